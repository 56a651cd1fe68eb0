//! The 1C ClientBankExchange statement (format versions 1.02 and 1.03): the `key=value`
//! text every Russian bank and accounting program exports — a header, the account
//! sections (`СекцияРасчСчет … КонецРасчСчет` with the opening and closing balances and
//! the day's turnover) and the documents (`СекцияДокумент=… … КонецДокумента`). Read from
//! Windows-1251 (`Кодировка=Windows`), DOS cp866 (`Кодировка=DOS`) or UTF-8. The
//! statement is read for one settlement account of the tenant's: its incoming documents
//! become payment rows — the subscriber's account number found in the payment's purpose
//! («ЛС 40012345», «л/с: 7654321», «лицевой счет № …») or else in the `Код` field — and
//! every other document (the tenant paying, money to another account) is listed as
//! skipped with the reason. A statement whose balances do not add up is refused. No IO;
//! nothing here panics on any input (fuzzed).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::file::RawRow;

/// The first line of every such file.
const MAGIC: &str = "1CClientBankExchange";

/// One document of the statement, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The line its section starts on (1-based).
    pub line: usize,
    pub kind: String,
    pub number: String,
    pub date: String,
    pub amount: String,
    pub payer: String,
    pub payer_account: String,
    pub recipient_account: String,
    pub purpose: String,
    pub code: String,
}

/// One account section: its number and balances as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountSection {
    pub account: String,
    pub opening: Option<Decimal>,
    pub incoming: Option<Decimal>,
    pub outgoing: Option<Decimal>,
    pub closing: Option<Decimal>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    pub version: String,
    pub accounts: Vec<AccountSection>,
    pub documents: Vec<Document>,
}

/// Why a statement cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error(
        "is not a 1C ClientBankExchange statement (its first line must be 1CClientBankExchange)"
    )]
    NotClientBank,
    #[error("a section that starts on line {0} is not closed")]
    Unclosed(usize),
    #[error("the balances of account {0} do not add up: opening + incoming − outgoing ≠ closing")]
    Balances(String),
    #[error("the statement has no section of account {0}")]
    NoSuchAccount(String),
    #[error(
        "the incoming documents to account {account} sum to {documents}, the statement says {stated}"
    )]
    Incoming {
        account: String,
        documents: Decimal,
        stated: Decimal,
    },
}

/// The text of the file in its declared encoding (`Кодировка=`): UTF-8 when it reads as
/// UTF-8, else Windows-1251 unless the header says DOS.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    // The header is ASCII up to the value: find `Кодировка=DOS` in either code page.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
    if cp1251
        .lines()
        .take(20)
        .any(|l| l.trim().eq_ignore_ascii_case("Кодировка=DOS"))
    {
        return encoding_rs::IBM866.decode(bytes).0.into_owned();
    }
    let (cp866, _, _) = encoding_rs::IBM866.decode(bytes);
    if cp866
        .lines()
        .take(20)
        .any(|l| l.trim().eq_ignore_ascii_case("Кодировка=DOS"))
    {
        return cp866.into_owned();
    }
    cp1251.into_owned()
}

/// A money value as written (`1234.56`, a comma accepted).
fn amount(text: &str) -> Option<Decimal> {
    text.trim().replace(',', ".").parse().ok()
}

/// Reads the statement's sections.
pub fn read(bytes: &[u8]) -> Result<Statement, StatementError> {
    let text = decode(bytes);
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, first)) if first.trim().trim_start_matches('\u{feff}') == MAGIC => {}
        _ => return Err(StatementError::NotClientBank),
    }
    let mut st = Statement::default();
    let mut doc: Option<Document> = None;
    let mut acc: Option<(usize, AccountSection)> = None;
    for (i, raw) in lines {
        let line = raw.trim_end_matches('\r').trim();
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        let value = value.trim();
        if let Some(d) = doc.as_mut() {
            match key {
                "КонецДокумента" => {
                    if let Some(d) = doc.take() {
                        st.documents.push(d);
                    }
                }
                "Номер" => d.number = value.to_owned(),
                "Дата" => d.date = value.to_owned(),
                "Сумма" => d.amount = value.to_owned(),
                "ПлательщикСчет" => d.payer_account = value.to_owned(),
                // The payer's name: `Плательщик1` where the short `Плательщик` carries
                // the tax number too.
                "Плательщик1" => d.payer = value.to_owned(),
                "Плательщик" if d.payer.is_empty() => d.payer = value.to_owned(),
                "ПолучательСчет" => d.recipient_account = value.to_owned(),
                "НазначениеПлатежа" => d.purpose = value.to_owned(),
                "Код" => d.code = value.to_owned(),
                "СекцияДокумент" | "КонецФайла" => {
                    return Err(StatementError::Unclosed(d.line));
                }
                _ => {}
            }
            continue;
        }
        if let Some((start, a)) = acc.as_mut() {
            match key {
                "КонецРасчСчет" => {
                    if let Some((_, a)) = acc.take() {
                        st.accounts.push(a);
                    }
                }
                "РасчСчет" => a.account = value.to_owned(),
                "НачальныйОстаток" => a.opening = amount(value),
                "ВсегоПоступило" => a.incoming = amount(value),
                "ВсегоСписано" => a.outgoing = amount(value),
                "КонечныйОстаток" => a.closing = amount(value),
                "СекцияРасчСчет" | "СекцияДокумент" | "КонецФайла" =>
                {
                    return Err(StatementError::Unclosed(*start));
                }
                _ => {}
            }
            continue;
        }
        match key {
            "ВерсияФормата" => st.version = value.to_owned(),
            "СекцияРасчСчет" => acc = Some((i + 1, AccountSection::default())),
            "СекцияДокумент" => {
                doc = Some(Document {
                    line: i + 1,
                    kind: value.to_owned(),
                    ..Document::default()
                });
            }
            "КонецФайла" => break,
            _ => {}
        }
    }
    if let Some(d) = doc {
        return Err(StatementError::Unclosed(d.line));
    }
    if let Some((start, _)) = acc {
        return Err(StatementError::Unclosed(start));
    }
    Ok(st)
}

/// A subscriber's account number in a payment's purpose: the digits after «ЛС», «Л/С»,
/// «л.с.», «лицевой счет» / «лиц. счет» (any case, «№», «:» and spaces between).
pub fn account_in(purpose: &str) -> Option<String> {
    let lower = purpose.to_lowercase();
    const MARKS: [&str; 7] = [
        "лицевой счет",
        "лицевой счёт",
        "лиц. счет",
        "лиц.счет",
        "л/с",
        "л.с.",
        "лс",
    ];
    for mark in MARKS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(mark) {
            let start = from + at;
            let end = start + mark.len();
            // «лс» inside a word («тлс», «лсд») is not the mark.
            let before_ok = lower[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let rest = &lower[end..];
            let after_ok = rest.chars().next().is_none_or(|c| !c.is_alphabetic());
            if before_ok && after_ok {
                let digits: String = rest
                    .trim_start_matches(|c: char| {
                        c.is_whitespace() || matches!(c, '№' | ':' | '.' | '-' | '#')
                    })
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if !digits.is_empty() {
                    return Some(digits);
                }
            }
            from = end;
        }
    }
    None
}

/// A document the statement holds but no payment comes of: the document as a row (no
/// subscriber's account) and the reason ("field: rule").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub row: RawRow,
    pub reason: String,
}

/// The document as a payment row, the subscriber's account not yet looked for.
fn row_of(d: &Document) -> RawRow {
    let paid_on = NaiveDate::parse_from_str(d.date.trim(), "%d.%m.%Y")
        .map(|x| x.to_string())
        .unwrap_or_else(|_| d.date.clone());
    let some = |t: &str| (!t.is_empty()).then(|| t.to_owned());
    RawRow {
        line: d.line,
        account: None,
        payer: some(&d.payer),
        address: None,
        amount: some(&d.amount),
        paid_on: Some(paid_on),
        service: None,
        document: (!d.number.is_empty()).then(|| format!("{} {}", d.number, d.date)),
    }
}

/// The payment rows of `own` (the tenant's settlement account) and the documents skipped.
/// The account's balances must add up, and its incoming documents must sum to what the
/// section says came in (when the statement says it).
pub fn rows_for(st: &Statement, own: &str) -> Result<(Vec<RawRow>, Vec<Skipped>), StatementError> {
    let own = own.trim();
    let section = st
        .accounts
        .iter()
        .find(|a| a.account == own)
        .ok_or_else(|| StatementError::NoSuchAccount(own.to_owned()))?;
    if let (Some(o), Some(i), Some(x), Some(c)) = (
        section.opening,
        section.incoming,
        section.outgoing,
        section.closing,
    ) && o + i - x != c
    {
        return Err(StatementError::Balances(own.to_owned()));
    }
    let (mut rows, mut skipped) = (Vec::new(), Vec::new());
    let mut incoming = Decimal::ZERO;
    for d in &st.documents {
        if d.payer_account == own {
            skipped.push(Skipped {
                row: row_of(d),
                reason: "document: is outgoing (the tenant's own account pays)".into(),
            });
            continue;
        }
        if d.recipient_account != own {
            skipped.push(Skipped {
                row: row_of(d),
                reason: format!(
                    "document: is paid to another account {}",
                    d.recipient_account
                ),
            });
            continue;
        }
        incoming += amount(&d.amount).unwrap_or_default();
        let account = account_in(&d.purpose).or_else(|| {
            let code = d.code.trim();
            (!code.is_empty() && code.chars().all(|c| c.is_ascii_digit())).then(|| code.to_owned())
        });
        rows.push(RawRow {
            account,
            ..row_of(d)
        });
    }
    if let Some(stated) = section.incoming
        && stated != incoming
    {
        return Err(StatementError::Incoming {
            account: own.to_owned(),
            documents: incoming,
            stated,
        });
    }
    Ok((rows, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "40702810900000012345";

    /// A statement of `OWN` opening at 1,000.00 with 300.00 paid out, stating `incoming`
    /// and `closing`; its documents bring 1,200.50 in.
    fn statement(incoming: &str, closing: &str) -> String {
        format!(
            "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\nОтправитель=Бухгалтерия предприятия\r\n\
             СекцияРасчСчет\r\nДатаНачала=01.12.2026\r\nРасчСчет={OWN}\r\nНачальныйОстаток=1000.00\r\n\
             ВсегоПоступило={incoming}\r\nВсегоСписано=300.00\r\nКонечныйОстаток={closing}\r\nКонецРасчСчет\r\n\
             СекцияДокумент=Платежное поручение\r\nНомер=15\r\nДата=03.12.2026\r\nСумма=1200.50\r\n\
             ПлательщикСчет=40817810000000000001\r\nПлательщик=ИНН 7700000000 Иванов Иван Иванович\r\nПлательщик1=Иванов Иван Иванович\r\n\
             ПолучательСчет={OWN}\r\nНазначениеПлатежа=Оплата ЖКУ за ноябрь 2026, ЛС: 40012345; ул. Ленина, 1-5\r\nКонецДокумента\r\n\
             СекцияДокумент=Платежное поручение\r\nНомер=16\r\nДата=03.12.2026\r\nСумма=300.00\r\n\
             ПлательщикСчет={OWN}\r\nПолучательСчет=40702810000000099999\r\nНазначениеПлатежа=Оплата электроэнергии\r\nКонецДокумента\r\n\
             СекцияДокумент=Платежное поручение\r\nНомер=17\r\nДата=03.12.2026\r\nСумма=55.00\r\n\
             ПлательщикСчет=40817810000000000002\r\nПолучательСчет=40702810000000077777\r\nНазначениеПлатежа=л/с 7654321\r\nКонецДокумента\r\n\
             КонецФайла\r\n"
        )
    }

    #[test]
    fn incoming_documents_to_the_own_account_become_rows_and_the_rest_are_skipped() {
        let bytes = encoding_rs::WINDOWS_1251
            .encode(&statement("1200.50", "1900.50"))
            .0
            .into_owned();
        let st = read(&bytes).unwrap_or_default();
        assert_eq!(st.version, "1.03");
        assert_eq!(st.documents.len(), 3);
        let (rows, skipped) = rows_for(&st, OWN).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.account.as_deref(), Some("40012345"));
        assert_eq!(r.amount.as_deref(), Some("1200.50"));
        assert_eq!(r.paid_on.as_deref(), Some("2026-12-03"));
        assert_eq!(r.payer.as_deref(), Some("Иванов Иван Иванович"));
        assert_eq!(r.document.as_deref(), Some("15 03.12.2026"));
        assert_eq!(skipped.len(), 2);
        assert!(skipped[0].reason.contains("outgoing"));
        assert!(skipped[1].reason.contains("40702810000000077777"));
    }

    #[test]
    fn balances_that_do_not_add_up_and_bad_files_are_refused() {
        // 1,000.00 + 1,200.50 − 300.00 is not 2,000.00.
        let bytes = statement("1200.50", "2000.00").into_bytes();
        let st = read(&bytes).unwrap_or_default();
        assert_eq!(
            rows_for(&st, OWN),
            Err(StatementError::Balances(OWN.to_owned()))
        );
        // The balances add up, but the documents bring 1,200.50, not the 1,500.50 stated.
        let st = read(statement("1500.50", "2200.50").as_bytes()).unwrap_or_default();
        assert!(matches!(
            rows_for(&st, OWN),
            Err(StatementError::Incoming { .. })
        ));
        assert_eq!(
            rows_for(&st, "40702810000000000000"),
            Err(StatementError::NoSuchAccount("40702810000000000000".into()))
        );
        assert_eq!(read(b"PK\x03\x04"), Err(StatementError::NotClientBank));
        let cut = statement("1200.50", "1900.50");
        let cut = &cut[..cut.find("КонецДокумента").unwrap_or(cut.len())];
        assert!(matches!(
            read(cut.as_bytes()),
            Err(StatementError::Unclosed(_))
        ));
    }

    #[test]
    fn a_dos_statement_reads_in_cp866() {
        let text = statement("1200.50", "1900.50").replace("Кодировка=Windows", "Кодировка=DOS");
        let bytes = encoding_rs::IBM866.encode(&text).0.into_owned();
        assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8 any more");
        let st = read(&bytes).unwrap_or_default();
        assert_eq!(st.documents.len(), 3, "{st:?}");
        let (rows, _) = rows_for(&st, OWN).unwrap_or_default();
        assert_eq!(rows[0].payer.as_deref(), Some("Иванов Иван Иванович"));
    }

    #[test]
    fn the_account_is_found_in_the_purpose_in_its_usual_spellings() {
        for (purpose, want) in [
            ("Оплата ЖКУ, ЛС: 40012345; ул. Ленина", Some("40012345")),
            ("л/с 7654321 за ноябрь", Some("7654321")),
            ("Лицевой счет № 100200", Some("100200")),
            ("по лиц. счету 5", None),
            ("Оплата по договору 15", None),
            ("ТЛС 123", None),
            ("лс100", Some("100")),
        ] {
            assert_eq!(account_in(purpose).as_deref(), want, "{purpose}");
        }
    }
}
