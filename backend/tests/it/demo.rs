//! The demo tenants exactly as `infra/up` seeds them (the same code on a fresh slug): a
//! living utility in every module — the registry, meters read for three closed months and
//! partly for the open one, every calculation method and reading basis, benefits, a
//! subsidy, penalties, a restructuring, the company on a contract, payments by cash, bank
//! statement, batch and bank file, invoice PDFs with a payable QR code, the reminder
//! schedule — with the account rows' counters agreeing with the records; and seeding again
//! changes nothing.

use std::process::Command;

use chrono::{TimeZone, Utc};
use registry::counters;
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tools::demo::{self, Demo};

use crate::helpers::{PASSWORD, TestApp, sql_number};

async fn drift(app: &TestApp) -> Vec<counters::Drift> {
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let d = counters::drift(&txn, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    d
}

async fn account_id(app: &TestApp, number: &str) -> i64 {
    let r = app
        .gql(
            "query($s: String) { accounts(search: $s) { items { id number } } }",
            json!({ "s": number }),
        )
        .await;
    r["data"]["accounts"]["items"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["number"] == number))
        .and_then(|x| x["id"].as_i64())
        .unwrap_or_else(|| panic!("account {number}: {r}"))
}

/// The payment QR of an invoice PDF as a stock reader sees it: the page rasterised by
/// pdftoppm and read by zbarimg.
fn qr_of(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("demo-qr-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("invoice.pdf");
    std::fs::write(&file, pdf).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-singlefile"])
        .arg(&file)
        .arg(dir.join("page"))
        .output()
        .unwrap_or_else(|e| panic!("pdftoppm (poppler-utils): {e}"));
    assert!(out.status.success(), "pdftoppm: {out:?}");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sqrcode.enable"])
        .arg(dir.join("page.png"))
        .output()
        .unwrap_or_else(|e| panic!("zbarimg (zbar-tools): {e}"));
    assert!(out.status.success(), "zbarimg found no QR code: {out:?}");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// base64url without padding, as the NBU link carries its payload.
fn base64url(text: &str) -> String {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap_or_else(|e| panic!("base64url {text}: {e}"));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// ISO 13616 check: the IBAN's remainder mod 97 is 1.
fn iban_valid(iban: &str) -> bool {
    let moved: String = iban[4..].chars().chain(iban[..4].chars()).collect();
    let mut rem: u32 = 0;
    for c in moved.chars() {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        for d in v.to_string().chars() {
            rem = (rem * 10 + d.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    iban.len() > 4 && rem == 1
}

async fn invoice_pdf(app: &TestApp, account: i64, period: &str) -> Vec<u8> {
    let r = app
        .http
        .get(format!("{}/files/invoices/{account}/{period}", app.base))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200, "invoice PDF of {account} {period}");
    r.bytes().await.unwrap_or_else(|e| panic!("{e}")).to_vec()
}

/// What the registry, the periods and the money of a demo add up to.
async fn living_utility(app: &TestApp, accounts: i64) {
    let s = app
        .gql("{ summary { accounts residents meters totalDebt } openPeriod billingPeriods { month state invoices } }", json!({}))
        .await;
    assert_eq!(s["data"]["summary"]["accounts"], accounts, "{s}");
    // The list's counters are the records' (the issue: meters claimed, none registered).
    let meters = sql_number(
        app,
        "SELECT count(*) FROM {s}.meters WHERE account_id IS NOT NULL AND removed_on IS NULL",
    )
    .await;
    assert!(meters > 30, "{meters} apartment meters");
    assert_eq!(s["data"]["summary"]["meters"], meters, "{s}");
    let residents = sql_number(
        app,
        "SELECT count(*) FROM {s}.residents WHERE living_to IS NULL OR living_to >= current_date",
    )
    .await;
    assert_eq!(s["data"]["summary"]["residents"], residents, "{s}");
    // The passport office's list, checked and waiting to be posted: one of its two people
    // is of an account the utility does not have.
    let imports = app
        .gql(
            "{ importFiles { rows { kind state rowsTotal rowsSkipped } } }",
            json!({}),
        )
        .await;
    let f = &imports["data"]["importFiles"]["rows"][0];
    assert_eq!(
        (
            f["kind"].as_str(),
            f["state"].as_str(),
            f["rowsTotal"].as_i64(),
            f["rowsSkipped"].as_i64()
        ),
        (Some("RESIDENT_LIST"), Some("checked"), Some(2), Some(1)),
        "{imports}"
    );
    // The central bank's rate table, posted: the tenant's rates, one row each.
    let rates = sql_number(app, "SELECT count(*) FROM {s}.penalty_rates").await;
    let posted = imports["data"]["importFiles"]["rows"]
        .as_array()
        .and_then(|l| l.iter().find(|f| f["kind"] == "PENALTY_RATES"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            posted["state"].as_str(),
            posted["rowsTotal"].as_i64(),
            posted["rowsSkipped"].as_i64()
        ),
        (Some("posted"), Some(rates), Some(0)),
        "{imports}"
    );
    let b = app
        .gql("{ buildings { total } meters { total } }", json!({}))
        .await;
    assert!(b["data"]["buildings"]["total"].as_i64() >= Some(3), "{b}");
    assert!(
        b["data"]["meters"]["total"].as_i64() > Some(meters),
        "house meters too: {b}"
    );
    // Three closed months, each with an invoice per account; the open month not yet.
    let periods = s["data"]["billingPeriods"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let closed: Vec<&Value> = periods.iter().filter(|p| p["state"] == "closed").collect();
    assert_eq!(closed.len(), 3, "{s}");
    for p in &closed {
        assert_eq!(p["invoices"], accounts, "{p}");
        let month = &p["month"].as_str().unwrap_or_default()[..7];
        let c = app
            .gql(
                "query($p: String!) { closingSummary(period: $p) { reconciles difference } }",
                json!({ "p": month }),
            )
            .await;
        assert_eq!(c["data"]["closingSummary"]["reconciles"], true, "{c}");
    }
    assert!(
        periods
            .iter()
            .any(|p| p["state"] == "open" && p["invoices"] == 0),
        "{s}"
    );
    // Every method and reading basis at work in the closed months.
    for method in ["metered", "norm", "area", "common_house", "fixed"] {
        let n = sql_number(
            app,
            &format!(
                "SELECT count(*) FROM {{s}}.invoice_lines WHERE method = '{method}' AND charged > 0"
            ),
        )
        .await;
        assert!(n > 0, "no {method} line");
    }
    for basis in ["actual", "calculated", "monthly_average", "daily_average"] {
        let n = sql_number(
            app,
            &format!("SELECT count(*) FROM {{s}}.invoice_lines WHERE basis = '{basis}'"),
        )
        .await;
        assert!(n > 0, "no line on basis {basis}");
    }
    for (what, column) in [
        ("benefit", "benefit"),
        ("subsidy", "subsidy"),
        ("penalty", "penalty"),
    ] {
        let n = sql_number(
            app,
            &format!("SELECT count(*) FROM {{s}}.invoices WHERE {column} > 0"),
        )
        .await;
        assert!(n > 0, "no invoice with a {what}");
    }
    // A heating season: nothing before it starts, the whole month once it runs.
    let heated = sql_number(
        app,
        "SELECT count(*) FROM {s}.invoice_lines l JOIN {s}.services v ON v.id = l.service_id \
                               WHERE v.seasonal AND l.charged > 0",
    )
    .await;
    assert!(heated > 0, "no heating charged");
    // A subscriber's slip in the portal waits for the office, not charged.
    assert_eq!(
        sql_number(
            app,
            "SELECT count(*) FROM {s}.held_readings h JOIN {s}.meters m ON m.id = h.meter_id \
             WHERE h.state = 'held' AND NOT EXISTS (SELECT 1 FROM {s}.readings r \
               WHERE r.meter_id = h.meter_id AND r.period = h.period)"
        )
        .await,
        1
    );
    // Payments of every kind, a batch posted and one being checked, the bank's file.
    assert!(
        sql_number(
            app,
            "SELECT count(*) FROM {s}.payments WHERE kind = 'cash_desk'"
        )
        .await
            > 0
    );
    assert!(
        sql_number(
            app,
            "SELECT count(*) FROM {s}.payments WHERE kind = 'bank' AND statement IS NOT NULL"
        )
        .await
            > 0
    );
    assert!(
        sql_number(
            app,
            "SELECT count(*) FROM {s}.payments WHERE batch_id IS NOT NULL"
        )
        .await
            > 0
    );
    let pay = app
        .gql("{ paymentFiles { state rowsTotal rowsLoaded rowsRefused jobId } paymentBatches { state } }", json!({}))
        .await;
    let file = &pay["data"]["paymentFiles"][0];
    assert_eq!(file["state"], "loaded", "{pay}");
    assert_eq!(file["rowsRefused"], 1, "the stranger's row: {pay}");
    assert!(file["rowsLoaded"].as_i64() > Some(0), "{pay}");
    let job = app
        .wait_job(
            file["jobId"].as_str().unwrap_or_default(),
            std::time::Duration::from_secs(1),
        )
        .await;
    // The protocol file is there; where it lies only its starter (the operator) is told.
    assert!(
        job["result"]["fileName"].is_string() && job["result"]["objectKey"].is_null(),
        "the protocol file: {job}"
    );
    let states: Vec<&str> = pay["data"]["paymentBatches"]
        .as_array()
        .map(|a| a.iter().filter_map(|b| b["state"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        states.contains(&"posted") && states.contains(&"draft"),
        "{states:?}"
    );
    // A restructuring, the company's contract, the printed invoices, the reminders.
    assert_eq!(
        sql_number(
            app,
            "SELECT count(*) FROM {s}.restructurings WHERE status = 'active'"
        )
        .await,
        1
    );
    // Its debtor is charged no penalty in the agreement's months (the tenant's setting is
    // off), and the invoice lines say why; before the agreement the debt was charged one.
    let spared = |when: &str| {
        format!(
            "SELECT count(*) FROM {{s}}.invoice_lines l JOIN {{s}}.accounts a ON a.id = l.account_id \
             JOIN {{s}}.restructurings r ON r.account_id = a.id \
             WHERE l.steps::jsonb @> '[{{\"kind\": \"penalty_under_agreement\"}}]' AND l.penalty = 0 AND {when}"
        )
    };
    assert!(sql_number(app, &spared("l.period >= r.first_period")).await > 0);
    // The debtor pays each month's bill and (about) an instalment: the card's table of the
    // agreement shows every month before the working one paid, never an instalment behind.
    let debtor = sql_number(
        app,
        "SELECT account_id FROM {s}.restructurings WHERE status = 'active'",
    )
    .await;
    let card = app
        .gql(
            "query($id: Int!) { account(id: $id) { restructurings { instalments { amount paid behind } } } }",
            json!({ "id": debtor }),
        )
        .await;
    let number = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
    };
    let months = card["data"]["account"]["restructurings"][0]["instalments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let reached: Vec<&Value> = months.iter().filter(|m| !m["paid"].is_null()).collect();
    assert!(!reached.is_empty(), "{card}");
    for (i, m) in reached.iter().enumerate() {
        let (due, paid, behind) = (
            number(&m["amount"]),
            number(&m["paid"]),
            number(&m["behind"]),
        );
        if i + 1 < reached.len() {
            assert!(paid > Some(rust_decimal::Decimal::ZERO), "{m}");
        }
        assert!(behind < due, "{m}");
    }
    assert_eq!(
        sql_number(app, &spared("l.period < r.first_period")).await,
        0
    );
    let legal = app.gql("{ legalEntities { total } }", json!({})).await;
    assert_eq!(legal["data"]["legalEntities"]["total"], 1, "{legal}");
    assert_eq!(
        sql_number(app, "SELECT count(*) FROM {s}.metering_points").await,
        2
    );
    // Each of the company's meters stands on its own metering point.
    assert_eq!(
        sql_number(
            app,
            "SELECT count(DISTINCT m.metering_point_id) FROM {s}.meters m \
             JOIN {s}.metering_points mp ON mp.id = m.metering_point_id \
             WHERE m.place LIKE '%' || mp.name"
        )
        .await,
        2
    );
    let last_closed = closed
        .iter()
        .filter_map(|p| p["month"].as_str())
        .max()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        sql_number(
            app,
            &format!(
                "SELECT count(*) FROM {{s}}.invoice_documents WHERE period = DATE '{last_closed}'"
            )
        )
        .await,
        accounts
    );
    let r = app
        .gql(
            "{ reminderSettings { readingsReminderDay paymentReminderDay } }",
            json!({}),
        )
        .await;
    assert!(
        r["data"]["reminderSettings"]["readingsReminderDay"].is_number(),
        "{r}"
    );
    // The counters agree with the records.
    assert_eq!(drift(app).await, vec![]);
}

#[tokio::test]
async fn the_ukrainian_demo_is_a_living_utility_and_its_invoices_can_be_paid() {
    let now = Utc::now();
    let app = TestApp::spawn_demo(Demo::Ukraine, now).await;
    living_utility(&app, 41).await;
    // The operator's everyday action that failed on the old demo: form an invoice.
    let operator = app
        .login(&format!("{}.operator", app.tenant), PASSWORD)
        .await;
    let frolov = account_id(&app, "100001").await;
    let f = app
        .gql_as(
            Some(&operator),
            "mutation($a: Int!) { formInvoice(accountId: $a) { service charged } }",
            json!({ "a": frolov }),
        )
        .await;
    assert!(
        f["data"]["formInvoice"]
            .as_array()
            .is_some_and(|l| l.len() >= 5),
        "{f}"
    );
    // The NBU QR of a printed invoice carries the payee, the IBAN, the code and the amount.
    let last = app
        .gql("{ billingPeriods { month state } }", json!({}))
        .await;
    let month = last["data"]["billingPeriods"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .filter(|p| p["state"] == "closed")
                .filter_map(|p| p["month"].as_str())
                .max()
        })
        .map(|m| m[..7].to_owned())
        .unwrap_or_else(|| panic!("{last}"));
    // Riser 1 of the first house has its own main between the house meter and the odd
    // apartments' meters (only riser-1 premises under it), read every closed month.
    assert_eq!(
        crate::helpers::sql_text(
            &app,
            "SELECT count(DISTINCT r.period) || '/' \
                    || (SELECT count(*) > 0 AND bool_and(p.riser = 1) FROM {s}.meters c \
                        JOIN {s}.premises p ON p.id = c.premises_id WHERE c.parent_id = m.id) \
                    || '/' || (SELECT p.install_method FROM {s}.meters p WHERE p.id = m.parent_id) \
             FROM {s}.meters m JOIN {s}.readings r ON r.meter_id = m.id \
             WHERE m.install_method = 'riser' GROUP BY m.id"
        )
        .await,
        "3/true/building"
    );
    // An owner who sold the flat and left owing: closed this month, the debt kept on it.
    assert_eq!(
        crate::helpers::sql_text(
            &app,
            "SELECT status || '/' || (closed_on IS NOT NULL) || '/' || (balance > 0) \
             FROM {s}.accounts WHERE number = '100028'"
        )
        .await,
        "closed/true/true"
    );
    // A third party pays for a flat: its invoice names the company as the payer.
    let paid_for = account_id(&app, "100029").await;
    let text = pdf_extract::extract_text_from_mem(&invoice_pdf(&app, paid_for, &month).await)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("ТОВ «Водограй»"), "{text}");
    let qr = qr_of(&invoice_pdf(&app, frolov, &month).await);
    let payload = base64url(
        qr.strip_prefix("https://bank.gov.ua/qr/")
            .unwrap_or_else(|| panic!("{qr}")),
    );
    let fields: Vec<&str> = payload.split('\n').collect();
    assert_eq!(&fields[..4], ["BCD", "002", "1", "UCT"], "{payload}");
    assert_eq!(fields[5], "КП «Водоканал «Демо»", "{payload}");
    assert!(
        iban_valid(fields[6]) && fields[6].starts_with("UA") && fields[6].len() == 29,
        "{payload}"
    );
    assert_eq!(fields[8], "38126451", "{payload}");
    let closing = app
        .gql(
            "query($a: Int!) { accountInvoices(accountId: $a) { period closing } }",
            json!({ "a": frolov }),
        )
        .await;
    let asked = closing["data"]["accountInvoices"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|i| i["period"].as_str().is_some_and(|p| p.starts_with(&month)))
        })
        .and_then(|i| i["closing"].as_str())
        .unwrap_or_else(|| panic!("{closing}"));
    let asked: Decimal = asked.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        fields[7],
        format!("UAH{}", asked.max(Decimal::ZERO).round_dp(2)),
        "{payload}"
    );
    assert!(
        fields[11].contains("100001"),
        "the purpose names the account: {payload}"
    );
    // The enterprise card is filled in: management, and two accounts from the banks book,
    // the main one (what the invoice prints) first.
    let card = app
        .gql(
            "{ enterprise { directorName bankAccounts { bankName account main } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        card["data"]["enterprise"],
        json!({ "directorName": "Литвиненко Олег Миколайович", "bankAccounts": [
            { "bankName": "АТ «Ощадбанк»", "account": "UA073004650000026034300654321", "main": true },
            { "bankName": "АТ КБ «ПриватБанк»", "account": "UA213223130000026007233566001", "main": false },
        ] }),
        "{card}"
    );
    // Heating in the houses of five storeys and more bears the floor coefficient (1.05);
    // in the lower ones, 1.
    let corrected = |floors: &str| {
        format!(
            "SELECT count(*) FROM {{s}}.invoice_lines l JOIN {{s}}.accounts a ON a.id = l.account_id \
             JOIN {{s}}.premises p ON p.id = a.premises_id JOIN {{s}}.buildings b ON b.id = p.building_id \
             WHERE b.floors {floors} AND l.steps::jsonb @> '[{{\"kind\": \"floor_coefficient\", \"args\": [\"1.05\"]}}]'"
        )
    };
    assert!(
        sql_number(&app, &corrected(">= 5")).await > 0,
        "no heating × 1.05"
    );
    assert_eq!(sql_number(&app, &corrected("< 5")).await, 0);
    // Seeding again keeps the tenant as it is.
    let before = sql_number(
        &app,
        "SELECT (SELECT count(*) FROM {s}.audit_log) + (SELECT count(*) FROM {s}.payments)",
    )
    .await;
    let again = demo::seed(&app.state, &app.tenant, Demo::Ukraine, Utc::now()).await;
    assert_eq!(again.ok(), Some(demo::Seeded::Kept));
    let after = sql_number(
        &app,
        "SELECT (SELECT count(*) FROM {s}.audit_log) + (SELECT count(*) FROM {s}.payments)",
    )
    .await;
    assert_eq!(before, after, "a second seeding changed records");
}

#[tokio::test]
async fn the_russian_demo_speaks_its_jurisdiction() {
    let app = TestApp::spawn_demo(Demo::Russia, Utc::now()).await;
    living_utility(&app, 21).await;
    let t = app.gql("{ tenant { currency locale } billingSettings { penaltyRule dueDay } penaltyRates { rate } }", json!({})).await;
    assert_eq!(t["data"]["tenant"]["currency"], "RUB", "{t}");
    assert_eq!(t["data"]["tenant"]["locale"], "ru", "{t}");
    assert_eq!(t["data"]["billingSettings"]["penaltyRule"], "russia", "{t}");
    assert!(
        t["data"]["penaltyRates"]
            .as_array()
            .is_some_and(|r| r.len() >= 5),
        "the key-rate table: {t}"
    );
    // The ГОСТ Р 56042-2014 QR with the payee's bank details.
    let ivanov = account_id(&app, "300001").await;
    let docs = app
        .gql(
            "query($a: Int!) { invoiceDocuments(accountId: $a) { period } }",
            json!({ "a": ivanov }),
        )
        .await;
    let period = docs["data"]["invoiceDocuments"][0]["period"]
        .as_str()
        .map(|p| p[..7].to_owned())
        .unwrap_or_else(|| panic!("{docs}"));
    let qr = qr_of(&invoice_pdf(&app, ivanov, &period).await);
    for part in [
        "ST00012|",
        "Name=ООО «УК «Демо-Сервис»",
        "PersonalAcc=40702810563000001234",
        "BIC=042809679",
        "CorrespAcc=30101810700000000679",
        "PayeeINN=6905127340",
        "PersAcc=300001",
    ] {
        assert!(qr.contains(part), "{part} in {qr}");
    }
    // The company's payment order came in the bank's 1C statement of the settlement
    // account, beside the tenant's own payment out (skipped).
    let files = app
        .gql("{ paymentFiles { fileName templateName rowsLoaded rowsRefused rowsSkipped amountLoaded } }", json!({}))
        .await;
    let statement = files["data"]["paymentFiles"]
        .as_array()
        .and_then(|l| {
            l.iter().find(|f| {
                f["fileName"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("kl_to_1c"))
            })
        })
        .unwrap_or_else(|| panic!("{files}"));
    assert_eq!(
        (
            &statement["rowsLoaded"],
            &statement["rowsRefused"],
            &statement["rowsSkipped"]
        ),
        (&json!(1), &json!(0), &json!(1)),
        "{files}"
    );
    // A debtor past 90 days pays the Housing Code's penalty.
    assert!(
        sql_number(
            &app,
            "SELECT count(*) FROM {s}.invoices i JOIN {s}.accounts a ON a.id = i.account_id \
                          WHERE a.number = '300015' AND i.penalty > 0"
        )
        .await
            > 0
    );
    let subscriber = app
        .login(&format!("{}.subscriber", app.tenant), PASSWORD)
        .await;
    let mine = app
        .gql_as(Some(&subscriber), "{ myAccounts { number } }", json!({}))
        .await;
    assert_eq!(
        mine["data"]["myAccounts"].as_array().map(Vec::len),
        Some(2),
        "{mine}"
    );
}

/// Seeded on the first day of a month just after midnight, after a leap February: every
/// date stays inside its month and before now.
#[tokio::test]
async fn the_demo_seeds_on_any_day() {
    let now = Utc
        .with_ymd_and_hms(2028, 3, 1, 0, 30, 0)
        .single()
        .unwrap_or_else(|| panic!("date"));
    let app = TestApp::spawn_demo(Demo::Ukraine, now).await;
    let p = app
        .gql("{ openPeriod billingPeriods { month state } }", json!({}))
        .await;
    assert_eq!(p["data"]["openPeriod"], "2028-03", "{p}");
    assert_eq!(sql_number(&app, "SELECT count(*) FROM {s}.payments WHERE received_on > DATE '2028-03-01' OR paid_on > received_on").await, 0);
    assert_eq!(
        sql_number(
            &app,
            "SELECT count(*) FROM {s}.invoices WHERE period = DATE '2028-02-01'"
        )
        .await,
        41
    );
}

/// The check finds a counter that no longer agrees with the records, and the use cases
/// keep them in step: a payment lowers the balance at once, cancelling it restores it, a
/// meter taken out leaves the count, a resident moving in joins it.
#[tokio::test]
async fn the_account_counters_follow_the_records_and_a_drift_is_found() {
    let app = TestApp::spawn_demo(Demo::Ukraine, Utc::now()).await;
    assert_eq!(drift(&app).await, vec![]);
    let sql = format!(
        "UPDATE {}.accounts SET meters = meters + 1 WHERE number = '100009'",
        app.tenant.schema()
    );
    app.state
        .owner_db
        .execute_unprepared(&sql)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let found = drift(&app).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].account.as_str(), found[0].field),
        ("100009", "meters")
    );
    let sql = format!(
        "UPDATE {}.accounts SET meters = meters - 1 WHERE number = '100009'",
        app.tenant.schema()
    );
    app.state
        .owner_db
        .execute_unprepared(&sql)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let a = account_id(&app, "100009").await;
    let balance = |r: Value| -> Decimal {
        r["data"]["account"]["account"]["balance"]
            .as_str()
            .and_then(|b| b.parse().ok())
            .unwrap_or_else(|| panic!("{r}"))
    };
    let card = "query($a: Int!) { account(id: $a) { account { balance residents meters } } }";
    let before = balance(app.gql(card, json!({ "a": a })).await);
    let open = app.gql("{ openPeriod }", json!({})).await;
    let open = open["data"]["openPeriod"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let today = Utc::now().date_naive();
    let p = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": a, "amount": "250.00", "kind": "CASH_DESK", "paidOn": today, "receivedOn": today } }),
        )
        .await;
    let id = p["data"]["createPayment"]["payment"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{open} {p}"));
    assert_eq!(
        balance(app.gql(card, json!({ "a": a })).await),
        before - Decimal::from(250)
    );
    assert_eq!(drift(&app).await, vec![]);
    let c = app
        .gql(
            "mutation($id: Int!) { cancelPayment(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(c["errors"].is_null(), "{c}");
    assert_eq!(balance(app.gql(card, json!({ "a": a })).await), before);
    let m = app
        .gql(
            "query($a: Int!) { meters(accountId: $a) { items { id } } }",
            json!({ "a": a }),
        )
        .await;
    let meter = m["data"]["meters"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{m}"));
    let r = app
        .gql(
            "mutation($id: Int!, $d: NaiveDate!) { removeMeter(id: $id, removedOn: $d, finalReading: \"99999\") { id } }",
            json!({ "id": meter, "d": today }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            "mutation($a: Int!, $d: NaiveDate!) { addResident(accountId: $a, input: { fullName: \"Коваленко Олег\", livingFrom: $d, registeredFrom: $d }) { account { id } } }",
            json!({ "a": a, "d": today }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(drift(&app).await, vec![]);
}
