//! The payment QR code printed on an invoice, in the format of the tenant's country: the
//! NBU payment QR (Ukraine, resolution No. 97 of 2021, format 002, as a bank.gov.ua link),
//! ГОСТ Р 56042-2014 (Russia, `ST00012|…`) or EPC069-12 (SEPA credit transfer, EU and
//! Bulgaria). Text in, text out: the backend draws the code.

use rust_decimal::Decimal;

/// Which standard the tenant prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrFormat {
    Nbu,
    Gost,
    Epc,
}

impl QrFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "nbu" => Some(Self::Nbu),
            "gost" => Some(Self::Gost),
            "epc" => Some(Self::Epc),
            _ => None,
        }
    }
}

/// Who is paid and what for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub name: String,
    /// ЄДРПОУ / ИНН of the payee.
    pub tax_code: String,
    /// IBAN (Ukraine, EU) or the settlement account (Russia).
    pub account: String,
    pub bank_name: String,
    /// BIC (Russia, EU); empty in Ukraine.
    pub bic: String,
    /// The bank's correspondent account (Russia).
    pub correspondent_account: String,
    /// ISO 4217 code of the amount (UAH, RUB, EUR, BGN).
    pub currency: String,
}

/// The payment asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub amount: Decimal,
    pub account_number: String,
    pub payer: String,
    pub address: String,
    /// MMYYYY of the invoice's period.
    pub period: String,
    pub purpose: String,
}

/// Keeps a field to `max` characters and out of the separators of its format.
fn clean(s: &str, max: usize, separators: &[char]) -> String {
    s.chars()
        .map(|c| {
            if separators.contains(&c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .take(max)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn two_places(amount: Decimal) -> String {
    let mut a = amount.max(Decimal::ZERO).round_dp(2);
    a.rescale(2);
    a.to_string()
}

/// base64url without padding (the NBU link carries the payload so).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for s in sextets.iter().take(chunk.len() + 1) {
            out.push(char::from(ALPHABET[*s as usize]));
        }
    }
    out
}

/// The requisites `format` needs that the payee lacks, by their settings field names
/// (`legalName`, `account`, `taxCode`, `bankName`, `bic`, `correspondentAccount`): a bank
/// app refuses a code without them, so an invoice prints none rather than a broken one.
/// NBU resolution 97: the payee's name, IBAN and ЄДРПОУ/РНОКПП; ГОСТ Р 56042 §5.2: name,
/// account, bank, BIC and correspondent account (the tax code is optional there but every
/// utility's purpose needs it, so it is asked too); EPC069-12: name and IBAN (the BIC is
/// optional inside the EEA).
pub fn missing(format: QrFormat, p: &Payee) -> Vec<&'static str> {
    let mut need: Vec<(&'static str, &str)> = vec![("legalName", &p.name), ("account", &p.account)];
    match format {
        QrFormat::Nbu => need.push(("taxCode", &p.tax_code)),
        QrFormat::Gost => need.extend([
            ("taxCode", p.tax_code.as_str()),
            ("bankName", p.bank_name.as_str()),
            ("bic", p.bic.as_str()),
            ("correspondentAccount", p.correspondent_account.as_str()),
        ]),
        QrFormat::Epc => {}
    }
    need.into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(f, _)| f)
        .collect()
}

/// The text the QR code carries.
pub fn payload(format: QrFormat, p: &Payee, r: &Request) -> String {
    match format {
        QrFormat::Nbu => {
            let nl = ['\n', '\r'];
            let purpose = clean(
                &format!("{}, о/р {}, {}", r.purpose, r.account_number, r.period),
                140,
                &nl,
            );
            let fields = [
                "BCD".to_owned(),
                "002".to_owned(),
                "1".to_owned(),
                "UCT".to_owned(),
                String::new(),
                clean(&p.name, 70, &nl),
                clean(&p.account, 34, &nl),
                format!("{}{}", p.currency, two_places(r.amount)),
                clean(&p.tax_code, 10, &nl),
                String::new(),
                String::new(),
                purpose,
                String::new(),
            ];
            format!(
                "https://bank.gov.ua/qr/{}",
                base64url(fields.join("\n").as_bytes())
            )
        }
        QrFormat::Gost => {
            let f = |s: &str| clean(s, 160, &['|']);
            let kopecks = (r.amount.max(Decimal::ZERO).round_dp(2) * Decimal::from(100)).trunc();
            format!(
                "ST00012|Name={}|PersonalAcc={}|BankName={}|BIC={}|CorrespAcc={}|PayeeINN={}|Sum={}|Purpose={}|PayerAddress={}|PersAcc={}|PaymPeriod={}|LastName={}",
                f(&p.name),
                f(&p.account),
                f(&p.bank_name),
                f(&p.bic),
                f(&p.correspondent_account),
                f(&p.tax_code),
                kopecks,
                f(&r.purpose),
                f(&r.address),
                f(&r.account_number),
                f(&r.period),
                f(&r.payer),
            )
        }
        QrFormat::Epc => {
            let nl = ['\n', '\r'];
            [
                "BCD".to_owned(),
                "002".to_owned(),
                "1".to_owned(),
                "SCT".to_owned(),
                clean(&p.bic, 11, &nl),
                clean(&p.name, 70, &nl),
                clean(&p.account, 34, &nl),
                format!("{}{}", p.currency, two_places(r.amount)),
                String::new(),
                String::new(),
                clean(
                    &format!("{} {} {}", r.purpose, r.account_number, r.period),
                    140,
                    &nl,
                ),
            ]
            .join("\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn payee(currency: &str) -> Payee {
        Payee {
            name: "КП «Водоканал»".into(),
            tax_code: "12345678".into(),
            account: "UA213223130000026007233566001".into(),
            bank_name: "АТ «Банк»".into(),
            bic: "044525225".into(),
            correspondent_account: "30101810400000000225".into(),
            currency: currency.into(),
        }
    }

    fn request() -> Request {
        Request {
            amount: dec!(1234.5),
            account_number: "100001".into(),
            payer: "Коваленко О.|І.".into(),
            address: "Київ, Хрещатик, 1".into(),
            period: "112026".into(),
            purpose: "Оплата комунальних послуг".into(),
        }
    }

    #[test]
    fn missing_requisites_are_named_per_standard() {
        let full = payee("UAH");
        for f in [QrFormat::Nbu, QrFormat::Gost, QrFormat::Epc] {
            assert!(missing(f, &full).is_empty(), "{f:?}");
        }
        let empty = Payee {
            name: " ".into(),
            tax_code: String::new(),
            account: String::new(),
            bank_name: String::new(),
            bic: String::new(),
            correspondent_account: String::new(),
            currency: "UAH".into(),
        };
        assert_eq!(
            missing(QrFormat::Nbu, &empty),
            ["legalName", "account", "taxCode"]
        );
        assert_eq!(missing(QrFormat::Epc, &empty), ["legalName", "account"]);
        assert_eq!(
            missing(QrFormat::Gost, &empty),
            [
                "legalName",
                "account",
                "taxCode",
                "bankName",
                "bic",
                "correspondentAccount"
            ]
        );
    }

    #[test]
    fn gost_fields_in_order_with_the_sum_in_kopecks() {
        let s = payload(QrFormat::Gost, &payee("RUB"), &request());
        assert!(
            s.starts_with("ST00012|Name=КП «Водоканал»|PersonalAcc=UA213223130000026007233566001|"),
            "{s}"
        );
        assert!(s.contains("|Sum=123450|"), "{s}");
        assert!(
            s.contains("|PersAcc=100001|PaymPeriod=112026|LastName=Коваленко О. І."),
            "a separator in a value is blanked: {s}"
        );
    }

    #[test]
    fn nbu_link_carries_the_13_lines_in_base64url() {
        let s = payload(QrFormat::Nbu, &payee("UAH"), &request());
        let tail = s
            .strip_prefix("https://bank.gov.ua/qr/")
            .unwrap_or_else(|| panic!("{s}"));
        assert!(
            tail.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{tail}"
        );
        assert_eq!(base64url(b"BCD"), "QkNE");
        assert_eq!(base64url(b"BC"), "QkM");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn epc_amount_has_the_currency_and_two_decimals() {
        let s = payload(QrFormat::Epc, &payee("EUR"), &request());
        let lines: Vec<&str> = s.split('\n').collect();
        assert_eq!(lines.len(), 11);
        assert_eq!((lines[0], lines[3], lines[7]), ("BCD", "SCT", "EUR1234.50"));
    }
}
