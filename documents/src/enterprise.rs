//! The enterprise card (seed 001 §2.2): the utility's name, codes, addresses, management,
//! tax office and bank accounts chosen from the banks book, checked as one card and saved
//! in one transaction. The name, tax code and legal address are `invoice_settings`' own
//! columns, and the main account's bank, number and bank code are copied there, so what
//! the invoices print is what the card says.

use async_graphql::{InputObject, SimpleObject};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::Serialize;

use platform::error::{AppError, AppResult};

use platform::sql::{optional_text, stmt};

/// The kinds of account the card offers (seed 001 «Тип рахунку»).
pub const KINDS: [&str; 4] = ["current", "deposit", "budget", "other"];

#[derive(SimpleObject, FromQueryResult, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseAccount {
    pub id: i32,
    pub bank_id: i32,
    /// The bank's name and code as the banks book has them now.
    pub bank_name: String,
    pub bank_code: String,
    pub account: String,
    pub kind: String,
    pub main: bool,
}

#[derive(SimpleObject, FromQueryResult, Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[graphql(complex)]
pub struct Enterprise {
    pub legal_name: String,
    pub tax_code: String,
    pub legal_address: String,
    pub postal_address: String,
    pub activity_kind: String,
    pub ownership_form: String,
    pub director_name: String,
    pub director_tax_id: String,
    pub accountant_name: String,
    pub accountant_tax_id: String,
    pub tax_office_code: String,
    pub tax_office_name: String,
    #[graphql(skip)]
    #[sea_orm(skip)]
    pub bank_accounts: Vec<EnterpriseAccount>,
}

#[async_graphql::ComplexObject]
impl Enterprise {
    /// The enterprise's bank accounts, the main one first.
    async fn bank_accounts(&self) -> Vec<EnterpriseAccount> {
        self.bank_accounts.clone()
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct EnterpriseAccountInput {
    /// A bank of the banks book.
    pub bank_id: i32,
    /// An IBAN (its check digits are checked) or a 20-digit settlement account.
    pub bank_account: String,
    /// current, deposit, budget or other.
    #[graphql(default_with = "\"current\".to_owned()")]
    pub kind: String,
    /// The account invoices print; with one account it is the main one anyway.
    #[graphql(default)]
    pub main: bool,
}

#[derive(InputObject, Clone, Debug)]
pub struct EnterpriseInput {
    pub legal_name: String,
    pub tax_code: String,
    pub legal_address: String,
    #[graphql(default)]
    pub postal_address: String,
    #[graphql(default)]
    pub activity_kind: String,
    #[graphql(default)]
    pub ownership_form: String,
    #[graphql(default)]
    pub director_name: String,
    #[graphql(default)]
    pub director_tax_id: String,
    #[graphql(default)]
    pub accountant_name: String,
    #[graphql(default)]
    pub accountant_tax_id: String,
    #[graphql(default)]
    pub tax_office_code: String,
    #[graphql(default)]
    pub tax_office_name: String,
    /// Every account of the enterprise (at least one); the card's list replaces the old.
    pub bank_accounts: Vec<EnterpriseAccountInput>,
}

/// The card as stored, its accounts the main one first.
pub async fn load(txn: &DatabaseTransaction) -> AppResult<Enterprise> {
    let mut card = Enterprise::find_by_statement(stmt(
        "SELECT s.legal_name, s.tax_code, s.address AS legal_address, e.postal_address, \
                e.activity_kind, e.ownership_form, e.director_name, e.director_tax_id, \
                e.accountant_name, e.accountant_tax_id, e.tax_office_code, e.tax_office_name \
         FROM invoice_settings s CROSS JOIN enterprise e",
        vec![],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("the enterprise card has no row".into()))?;
    card.bank_accounts = EnterpriseAccount::find_by_statement(stmt(
        "SELECT x.id, x.bank_id, b.name AS bank_name, b.code AS bank_code, x.account, x.kind, x.main \
         FROM enterprise_accounts x JOIN banks b ON b.id = x.bank_id ORDER BY x.main DESC, x.id",
        vec![],
    ))
    .all(txn)
    .await?;
    Ok(card)
}

/// A tax number's digits as the country writes it: `field` names it in a refusal.
/// Ukraine: ЄДРПОУ 8 digits or a person's РНОКПП 10; Russia: ИНН 10 (a company) or 12
/// (a person); Kazakhstan: БИН/ИИН 12; Bulgaria: ЕИК 9 or 13, ЕГН 10; elsewhere 5–20
/// letters and digits.
fn tax_number(jurisdiction: &str, field: &str, v: &str, required: bool) -> AppResult<String> {
    let v = v.trim();
    if v.is_empty() {
        return if required {
            Err(AppError::validation(field, "is required"))
        } else {
            Ok(String::new())
        };
    }
    let digits = v.chars().all(|c| c.is_ascii_digit());
    let n = v.chars().count();
    let ok = match jurisdiction {
        "UA" => digits && (n == 8 || n == 10),
        "RU" => digits && (n == 10 || n == 12),
        "KZ" => digits && n == 12,
        "BG" => digits && (n == 9 || n == 10 || n == 13),
        _ => (5..=20).contains(&n) && v.chars().all(|c| c.is_ascii_alphanumeric()),
    };
    if ok {
        Ok(v.to_owned())
    } else {
        Err(AppError::validation(
            field,
            match jurisdiction {
                "UA" => "must be 8 digits (ЄДРПОУ) or 10 digits (РНОКПП)",
                "RU" => "must be 10 or 12 digits (ИНН)",
                "KZ" => "must be 12 digits (БИН/ИИН)",
                "BG" => "must be 9 or 13 digits (ЕИК) or 10 digits (ЕГН)",
                _ => "must be 5–20 letters and digits",
            },
        ))
    }
}

/// An account number: an IBAN with right check digits (spaces allowed, stored without),
/// or a 20-digit settlement account where IBANs are not used.
pub fn account_number(v: &str) -> AppResult<String> {
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = compact.to_uppercase();
    if upper.len() == 20 && upper.chars().all(|c| c.is_ascii_digit()) {
        return Ok(upper);
    }
    match upper.parse::<iban::Iban>() {
        Ok(_) => Ok(upper),
        Err(_) => Err(AppError::validation(
            "bankAccount",
            "must be an IBAN with the right check digits or a 20-digit settlement account",
        )),
    }
}

/// The card checked as a whole: every refusal names its field (an account's by
/// `bankAccounts`, `bankId`, `bankAccount`, `kind` or `main`).
pub fn check(jurisdiction: &str, input: &EnterpriseInput) -> AppResult<EnterpriseInput> {
    let text = |field: &str, v: &str, max: usize| {
        optional_text(Some(v), field, max).map(Option::unwrap_or_default)
    };
    let legal_name = text("legalName", &input.legal_name, 200)?;
    if legal_name.is_empty() {
        return Err(AppError::validation("legalName", "is required"));
    }
    let legal_address = text("legalAddress", &input.legal_address, 300)?;
    if legal_address.is_empty() {
        return Err(AppError::validation("legalAddress", "is required"));
    }
    if input.bank_accounts.is_empty() {
        return Err(AppError::validation(
            "bankAccounts",
            "the enterprise needs at least one bank account",
        ));
    }
    if input.bank_accounts.len() > 20 {
        return Err(AppError::validation("bankAccounts", "at most 20 accounts"));
    }
    let mut accounts = Vec::new();
    for a in &input.bank_accounts {
        let account = account_number(&a.bank_account)?;
        if accounts
            .iter()
            .any(|x: &EnterpriseAccountInput| x.bank_account == account)
        {
            return Err(AppError::validation("bankAccount", "is listed twice"));
        }
        if !KINDS.contains(&a.kind.as_str()) {
            return Err(AppError::validation(
                "kind",
                "must be current, deposit, budget or other",
            ));
        }
        accounts.push(EnterpriseAccountInput {
            bank_account: account,
            ..a.clone()
        });
    }
    // One account is the main one by itself; of several, exactly one is marked.
    if accounts.len() == 1 {
        accounts[0].main = true;
    } else if accounts.iter().filter(|a| a.main).count() != 1 {
        return Err(AppError::validation(
            "main",
            "mark exactly one account as the main one",
        ));
    }
    Ok(EnterpriseInput {
        legal_name,
        tax_code: tax_number(jurisdiction, "taxCode", &input.tax_code, true)?,
        legal_address,
        postal_address: text("postalAddress", &input.postal_address, 300)?,
        activity_kind: text("activityKind", &input.activity_kind, 200)?,
        ownership_form: text("ownershipForm", &input.ownership_form, 200)?,
        director_name: text("directorName", &input.director_name, 200)?,
        director_tax_id: tax_number(jurisdiction, "directorTaxId", &input.director_tax_id, false)?,
        accountant_name: text("accountantName", &input.accountant_name, 200)?,
        accountant_tax_id: tax_number(
            jurisdiction,
            "accountantTaxId",
            &input.accountant_tax_id,
            false,
        )?,
        tax_office_code: text("taxOfficeCode", &input.tax_office_code, 20)?,
        tax_office_name: text("taxOfficeName", &input.tax_office_name, 200)?,
        bank_accounts: accounts,
    })
}

/// Saves a checked card: the enterprise row, the invoice requisites it shares, and the
/// accounts replaced by the card's list (a bank not in the book, or inactive, is refused
/// naming `bankId`).
pub async fn save(txn: &DatabaseTransaction, card: &EnterpriseInput) -> AppResult<()> {
    #[derive(FromQueryResult)]
    struct Bank {
        id: i32,
        code: String,
        name: String,
    }
    let ids: Vec<i32> = card.bank_accounts.iter().map(|a| a.bank_id).collect();
    let banks = Bank::find_by_statement(stmt(
        "SELECT id, code, name FROM banks WHERE id = ANY($1) AND active",
        vec![ids.into()],
    ))
    .all(txn)
    .await?;
    let bank = |id: i32| banks.iter().find(|b| b.id == id);
    if card.bank_accounts.iter().any(|a| bank(a.bank_id).is_none()) {
        return Err(AppError::validation(
            "bankId",
            "choose an active bank of the banks book",
        ));
    }
    txn.execute_raw(stmt(
        "UPDATE enterprise SET postal_address = $1, activity_kind = $2, ownership_form = $3, \
           director_name = $4, director_tax_id = $5, accountant_name = $6, accountant_tax_id = $7, \
           tax_office_code = $8, tax_office_name = $9",
        vec![
            card.postal_address.clone().into(),
            card.activity_kind.clone().into(),
            card.ownership_form.clone().into(),
            card.director_name.clone().into(),
            card.director_tax_id.clone().into(),
            card.accountant_name.clone().into(),
            card.accountant_tax_id.clone().into(),
            card.tax_office_code.clone().into(),
            card.tax_office_name.clone().into(),
        ],
    ))
    .await?;
    txn.execute_raw(stmt("DELETE FROM enterprise_accounts", vec![]))
        .await?;
    for a in &card.bank_accounts {
        txn.execute_raw(stmt(
            "INSERT INTO enterprise_accounts (bank_id, account, kind, main) VALUES ($1, $2, $3, $4)",
            vec![
                a.bank_id.into(),
                a.bank_account.clone().into(),
                a.kind.clone().into(),
                a.main.into(),
            ],
        ))
        .await?;
    }
    let main = card
        .bank_accounts
        .iter()
        .find(|a| a.main)
        .ok_or_else(|| AppError::Internal("a checked card has a main account".into()))?;
    let main_bank = bank(main.bank_id)
        .ok_or_else(|| AppError::Internal("the main account's bank was checked".into()))?;
    txn.execute_raw(stmt(
        "UPDATE invoice_settings SET legal_name = $1, tax_code = $2, address = $3, \
           bank_name = $4, account = $5, bic = $6",
        vec![
            card.legal_name.clone().into(),
            card.tax_code.clone().into(),
            card.legal_address.clone().into(),
            main_bank.name.clone().into(),
            main.bank_account.clone().into(),
            main_bank.code.clone().into(),
        ],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(accounts: Vec<(&str, bool)>) -> EnterpriseInput {
        EnterpriseInput {
            legal_name: " КП «Водоканал» ".into(),
            tax_code: "12345678".into(),
            legal_address: "Київ, Хрещатик, 1".into(),
            postal_address: String::new(),
            activity_kind: String::new(),
            ownership_form: "комунальна".into(),
            director_name: "Петренко П. П.".into(),
            director_tax_id: String::new(),
            accountant_name: String::new(),
            accountant_tax_id: String::new(),
            tax_office_code: String::new(),
            tax_office_name: String::new(),
            bank_accounts: accounts
                .into_iter()
                .map(|(account, main)| EnterpriseAccountInput {
                    bank_id: 1,
                    bank_account: account.into(),
                    kind: "current".into(),
                    main,
                })
                .collect(),
        }
    }

    fn field(r: AppResult<EnterpriseInput>) -> Option<String> {
        match r {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn an_iban_is_checked_by_its_digits_and_kept_without_spaces() {
        let ok = check(
            "UA",
            &card(vec![("UA21 3223 1300 0002 6007 2335 6600 1", false)]),
        );
        let ok = ok.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ok.bank_accounts[0].bank_account,
            "UA213223130000026007233566001"
        );
        assert!(ok.bank_accounts[0].main, "a single account is the main one");
        assert_eq!(ok.legal_name, "КП «Водоканал»");
        assert_eq!(
            field(check(
                "UA",
                &card(vec![("UA21 3223 1300 0002 6007 2335 6600 2", false)])
            )),
            Some("bankAccount".into())
        );
        // A Russian settlement account has no check digits of its own here.
        assert!(
            check(
                "RU",
                &EnterpriseInput {
                    tax_code: "7701234567".into(),
                    ..card(vec![("40702810900000000001", false)])
                }
            )
            .is_ok()
        );
    }

    #[test]
    fn the_card_is_refused_naming_the_field() {
        assert_eq!(
            field(check("UA", &card(vec![]))),
            Some("bankAccounts".into())
        );
        let two = vec![
            ("UA213223130000026007233566001", false),
            ("40702810900000000001", false),
        ];
        assert_eq!(field(check("UA", &card(two))), Some("main".into()));
        let twice = vec![
            ("UA213223130000026007233566001", true),
            ("UA21 3223130000026007233566001", false),
        ];
        assert_eq!(field(check("UA", &card(twice))), Some("bankAccount".into()));
        let one = vec![("UA213223130000026007233566001", false)];
        let bad_code = EnterpriseInput {
            tax_code: "1234".into(),
            ..card(one.clone())
        };
        assert_eq!(field(check("UA", &bad_code)), Some("taxCode".into()));
        let bad_director = EnterpriseInput {
            director_tax_id: "12".into(),
            ..card(one.clone())
        };
        assert_eq!(
            field(check("UA", &bad_director)),
            Some("directorTaxId".into())
        );
        let no_name = EnterpriseInput {
            legal_name: "  ".into(),
            ..card(one.clone())
        };
        assert_eq!(field(check("UA", &no_name)), Some("legalName".into()));
        let kind = EnterpriseInput {
            bank_accounts: vec![EnterpriseAccountInput {
                kind: "savings".into(),
                ..card(one.clone()).bank_accounts[0].clone()
            }],
            ..card(one)
        };
        assert_eq!(field(check("UA", &kind)), Some("kind".into()));
    }
}
