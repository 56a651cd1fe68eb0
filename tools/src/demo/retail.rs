//! The demo's electricity retailer (issue 23): «Енергия Демо ЕООД», a Bulgarian trader
//! in euro with two offices, the three distribution grid operators, an intermediary, and
//! six customers — companies and households, hourly-metered and profile points, a
//! contract of each kind of price (fixed, time-of-use zones, exchange plus margin with
//! its bounds) and an annex that moved a bakery onto the exchange. Built through the
//! product's use cases (the books' `create`, the dossiers' `save`), relative to the day
//! it is seeded; idempotent as the water demos are (a `demo/seeded` mark).

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use domain::TenantSlug;
use domain::electricity::Eic;
use serde_json::json;

use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use backend::tenants::{self, NewTenant};
use platform::audit::{self, Change};
use pricing::books::{self, Book, ItemInput};
use retail::contracts::{self, RetailContractInput, Target};
use retail::customers::{self, RetailCustomerInput};
use retail::points::{self, RetailPointInput};

use super::{MARK_ENTITY, Seeded, actor, remove, seeded, users};

/// `<default>_bg`.
pub fn slug(default: &TenantSlug) -> AppResult<TenantSlug> {
    TenantSlug::parse(&format!("{default}_bg"))
        .map_err(|e| AppError::Internal(format!("demo slug: {e}")))
}

/// Seeds the retailer unless it is seeded already; logins are ensured either way.
pub async fn seed(state: &AppState, slug: &TenantSlug, now: DateTime<Utc>) -> AppResult<Seeded> {
    match seeded(state, slug).await? {
        Some(true) => {
            users::ensure_staff(state, slug).await?;
            return Ok(Seeded::Kept);
        }
        Some(false) => {
            tracing::warn!(%slug, "the retail demo stopped halfway last time; rebuilding it");
            remove(state, slug).await?;
        }
        None => {}
    }
    build(state, slug, now).await?;
    Ok(Seeded::Built)
}

/// Rebuilds the retailer from scratch.
pub async fn reset(state: &AppState, slug: &TenantSlug, now: DateTime<Utc>) -> AppResult<()> {
    remove(state, slug).await?;
    build(state, slug, now).await
}

/// A metering point's EIC: Bulgaria's issuing office 32, type Z, the twelve characters,
/// and the check character the scheme gives.
fn eic(code12: &str) -> AppResult<String> {
    let first = format!("32Z{code12}");
    let check = Eic::check_character(&first)
        .ok_or_else(|| AppError::Internal(format!("demo EIC {first}")))?;
    Ok(format!("{first}{check}"))
}

struct Customer {
    kind: &'static str,
    name: &'static str,
    identifier: Option<&'static str>,
    branch: usize,
    address: &'static str,
    delivery: &'static str,
    grouping: &'static str,
    intermediary: bool,
    /// (12 characters of the EIC, the operator's index, voltage, profile code or "" for hourly)
    points: &'static [(&'static str, usize, &'static str, &'static str)],
    /// The contract's number and price terms (kind, price fields as typed).
    contract: (&'static str, &'static str, [Option<&'static str>; 7]),
    /// An annex two months ago: number and terms.
    annex: Option<(&'static str, &'static str, [Option<&'static str>; 7])>,
}

const N: Option<&str> = None;

const CUSTOMERS: [Customer; 6] = [
    Customer {
        kind: "company",
        name: "Пекарна Изгрев ООД",
        identifier: Some("204319871"),
        branch: 0,
        address: "София, ж.к. Изгрев, ул. Райко Алексиев 12",
        delivery: "email",
        grouping: "customer",
        intermediary: false,
        points: &[
            ("140000201473", 0, "medium", ""),
            ("140000201480", 0, "low", ""),
        ],
        contract: (
            "Д-2026-014",
            "zones",
            [N, Some("231.50"), Some("148.20"), Some("290"), N, N, N],
        ),
        annex: Some((
            "Анекс 1 към Д-2026-014",
            "exchange",
            [N, N, N, N, Some("6.80"), Some("90"), Some("320")],
        )),
    },
    Customer {
        kind: "company",
        name: "Хотел Марица АД",
        identifier: Some("130574226"),
        branch: 1,
        address: "Пловдив, бул. Марица 42",
        delivery: "email",
        grouping: "customer",
        intermediary: true,
        points: &[("220000118806", 1, "medium", "")],
        contract: (
            "Д-2026-021",
            "exchange",
            [N, N, N, N, Some("8.50"), Some("85"), Some("300")],
        ),
        annex: None,
    },
    Customer {
        kind: "company",
        name: "СУ „Христо Ботев“",
        identifier: Some("000663814"),
        branch: 0,
        address: "София, ул. Оборище 30",
        delivery: "post",
        grouping: "customer",
        intermediary: false,
        points: &[("140000377021", 0, "low", "B1")],
        contract: ("Д-2026-002", "fixed", [Some("198.40"), N, N, N, N, N, N]),
        annex: None,
    },
    Customer {
        kind: "household",
        name: "Иван Петров",
        identifier: Some("8512043423"),
        branch: 1,
        address: "Пловдив, ул. Капитан Райчо 7, ап. 4",
        delivery: "post",
        grouping: "customer",
        intermediary: false,
        points: &[("220000904417", 1, "low", "H0")],
        contract: ("Д-2026-030", "fixed", [Some("182"), N, N, N, N, N, N]),
        annex: None,
    },
    Customer {
        kind: "household",
        name: "Мария Георгиева",
        identifier: None,
        branch: 0,
        address: "София, ул. Шипка 18, ап. 9",
        delivery: "portal",
        grouping: "customer",
        intermediary: false,
        points: &[("140000512066", 0, "low", "H0")],
        contract: ("Д-2026-031", "fixed", [Some("182"), N, N, N, N, N, N]),
        annex: None,
    },
    Customer {
        kind: "company",
        name: "Автосервиз Тракия ЕООД",
        identifier: Some("202117641"),
        branch: 1,
        address: "Пловдив, ж.к. Тракия, ул. Съединение 3",
        delivery: "email",
        grouping: "point",
        intermediary: true,
        points: &[
            ("220000733150", 1, "low", ""),
            ("220000733167", 1, "low", "B2"),
        ],
        contract: (
            "Д-2026-025",
            "zones",
            [N, Some("226"), Some("152.60"), N, N, N, N],
        ),
        annex: None,
    },
];

/// A book's row made through the books' use case; its id.
async fn book_row(
    txn: &sea_orm::DatabaseTransaction,
    actor: &platform::audit::Actor,
    now: DateTime<Utc>,
    book: Book,
    (code, name): (&str, &str),
    extra: serde_json::Value,
) -> AppResult<i64> {
    let item = books::create(
        txn,
        actor,
        now,
        book,
        &ItemInput {
            code: code.into(),
            name: name.into(),
            active: true,
            extra: Some(extra),
        },
    )
    .await?;
    Ok(i64::from(item.id))
}

fn terms(
    number: &str,
    signed: NaiveDate,
    from: NaiveDate,
    (kind, p): (&str, [Option<&str>; 7]),
) -> RetailContractInput {
    let s = |v: Option<&str>| v.map(str::to_owned);
    RetailContractInput {
        number: number.into(),
        signed_on: signed,
        valid_from: from,
        valid_to: None,
        price_kind: kind.into(),
        price: s(p[0]),
        price_day: s(p[1]),
        price_night: s(p[2]),
        price_peak: s(p[3]),
        margin: s(p[4]),
        price_min: s(p[5]),
        price_max: s(p[6]),
        note: String::new(),
    }
}

async fn build(state: &AppState, slug: &TenantSlug, now: DateTime<Utc>) -> AppResult<()> {
    let today = now.date_naive();
    let month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .ok_or_else(|| AppError::Internal("demo month".into()))?;
    let back = |m: u32| {
        month
            .checked_sub_months(Months::new(m))
            .ok_or_else(|| AppError::Internal("demo month".into()))
    };
    // Supplied for six months; the bakery's annex from two months ago.
    let (start, annexed) = (back(6)?, back(2)?);
    let signed = start - chrono::Duration::days(12);
    tenants::create(
        &state.owner_db,
        &NewTenant {
            slug: slug.clone(),
            name: "Енергия Демо ЕООД".into(),
            currency: "EUR".into(),
            locale: "bg".into(),
            time_zone: "Europe/Sofia".into(),
            jurisdiction: "BG".into(),
            business_kind: "electricity".into(),
        },
        signed.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc(),
    )
    .await?;
    users::ensure_staff(state, slug).await?;
    let (admin, operator) = (
        actor(state, slug, "admin").await?,
        actor(state, slug, "operator").await?,
    );
    let everything = access::auth::Reach::default();
    let txn = tenancy::begin(&state.db, slug).await?;
    let mut branches = Vec::new();
    for b in [("SOF", "Офис София"), ("PDV", "Офис Пловдив")] {
        branches.push(book_row(&txn, &admin, now, Book::Branches, b, json!({})).await?);
    }
    let mut operators = Vec::new();
    for o in [
        ("ERM-ZAPAD", "Електроразпределителни мрежи Запад"),
        ("ER-YUG", "Електроразпределение Юг"),
        ("ERP-SEVER", "Електроразпределение Север"),
    ] {
        operators.push(book_row(&txn, &admin, now, Book::GridOperators, o, json!({})).await?);
    }
    let broker = book_row(
        &txn,
        &admin,
        now,
        Book::Intermediaries,
        ("BRK", "Енерджи Брокер ООД"),
        json!({ "commission": "1.20" }),
    )
    .await?;
    let id32 = |v: i64| i32::try_from(v).map_err(|_| AppError::Internal("demo id".into()));
    for c in &CUSTOMERS {
        let identifier = c.identifier.map(str::to_owned);
        let input = RetailCustomerInput {
            branch_id: id32(branches[c.branch])?,
            kind: c.kind.into(),
            name: c.name.into(),
            vat_number: identifier
                .as_ref()
                .filter(|_| c.kind == "company")
                .map(|i| format!("BG{i}")),
            identifier,
            address: c.address.into(),
            contact: String::new(),
            phone: String::new(),
            email: match (c.kind, c.identifier) {
                ("company", Some(i)) => format!("office@{i}.example"),
                _ => String::new(),
            },
            payment_days: if c.kind == "company" { 15 } else { 20 },
            delivery: c.delivery.into(),
            invoice_email: String::new(),
            grouping: c.grouping.into(),
            intermediary_id: c.intermediary.then_some(id32(broker)?),
        };
        let id = customers::save(&txn, &everything, &operator, now, None, &input).await?;
        for (code, op, voltage, profile) in c.points {
            let point = RetailPointInput {
                eic: eic(code)?,
                point_number: format!("ИТН {}", &code[6..]),
                grid_operator_id: id32(operators[*op])?,
                voltage: (*voltage).into(),
                metering: if profile.is_empty() {
                    "hourly"
                } else {
                    "profile"
                }
                .into(),
                profile: (*profile).into(),
                address: c.address.into(),
                registered_from: start,
                registered_to: None,
            };
            points::save(&txn, &everything, &operator, now, Some(id), None, &point).await?;
        }
        let (number, kind, prices) = c.contract;
        let contract = terms(number, signed, start, (kind, prices));
        contracts::save(
            &txn,
            &everything,
            &operator,
            now,
            Target::NewContract { customer: id },
            &contract,
        )
        .await?;
        if let Some((number, kind, prices)) = c.annex {
            let first = retail::contracts::of_customer(&txn, id).await?;
            let contract_id = first
                .first()
                .map(|k| k.id)
                .ok_or_else(|| AppError::Internal("demo contract".into()))?;
            let annex = terms(
                number,
                annexed - chrono::Duration::days(10),
                annexed,
                (kind, prices),
            );
            contracts::save(
                &txn,
                &everything,
                &operator,
                now,
                Target::NewAnnex {
                    contract: contract_id,
                },
                &annex,
            )
            .await?;
        }
    }
    audit::record(
        &txn,
        &admin,
        now,
        Change {
            entity: MARK_ENTITY,
            entity_id: slug.to_string(),
            action: "seeded",
            before: None,
            after: Some(json!({ "customers": CUSTOMERS.len() })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
