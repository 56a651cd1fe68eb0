//! Debt collection (docs/reports.md): the moratoria book the penalty statement reads, the
//! statement's XLSX and print form, and claim letters — printed in one PDF or mailed —
//! each recording the debtor's "notice sent" once, however often the job is delivered;
//! and the main menu's dashboards, each counting what its section holds.

use std::time::Duration;

use chrono::Months;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::acts::{dec, id_of, open_and_previous, second_account};
use crate::helpers::{
    TestApp, download_pdf_text, download_sheet, mails_to, redeliver, sql, sql_number, sql_text,
    unique_email,
};
use crate::reports::line;

const STATEMENT: &str =
    "query($i: PenaltyStatementInput!) { penaltyStatement(input: $i) { total } }";
const SAVE: &str = "mutation($id: Int, $i: PenaltyMoratoriumInput!) { savePenaltyMoratorium(id: $id, input: $i) { id rule from to note } }";

/// The id of the job a mutation's answer names at `field`, once the job is done (a worker
/// must run).
async fn done_job(app: &TestApp, r: &Value, field: &str) -> String {
    let id = r["data"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(60)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    id
}

async fn total(app: &TestApp, input: &Value) -> String {
    let r = app.gql(STATEMENT, json!({ "i": input })).await;
    r["data"]["penaltyStatement"]["total"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned()
}

#[tokio::test]
async fn the_moratoria_book_is_edited_and_the_statement_reads_it() {
    let app = TestApp::spawn().await;
    // Pre-filled with the two Russian moratoria.
    let r = app
        .gql("{ penaltyMoratoria { rule from to } }", json!({}))
        .await;
    let list = r["data"]["penaltyMoratoria"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(list.len(), 2, "{r}");
    assert_eq!(list[1]["from"], "2022-03-31", "{r}");
    assert!(list.iter().all(|m| m["rule"] == "RUSSIA"), "{r}");

    // 1,000.00 of September 2023, due on the 20th of October, the Ukrainian rule, 22 %
    // and 20 % from 27 October, counted to 30 November: 6 days at 22 % (7.23) and 35 at
    // 20 % (38.36) = 45.59.
    let typed = json!({ "rule": "UKRAINE", "asOf": "2023-12-01", "dueDay": 20,
        "debts": [{ "period": "2023-09", "amount": "1000" }],
        "rates": [{ "from": "2023-07-28", "percent": "22" }, { "from": "2023-10-27", "percent": "20" }] });
    assert_eq!(total(&app, &typed).await, "45.59");
    // A Ukrainian moratorium over November leaves 21–31 October: 7.23 + 5 days at 20 %
    // (1,000 × 5 × 20 % × 2 / 365 = 5.479… → 5.48) = 12.71.
    let r = app
        .gql(
            SAVE,
            json!({ "i": { "rule": "UKRAINE", "from": "2023-11-01", "to": "2023-11-30", "note": "Рішення № 1" } }),
        )
        .await;
    let id = r["data"]["savePenaltyMoratorium"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(total(&app, &typed).await, "12.71");
    // An interval overlapping another of its rule, or ending before it starts, is refused
    // by its field; the Russian book is another rule's and does not overlap it.
    for (input, field) in [
        (
            json!({ "rule": "UKRAINE", "from": "2023-11-30", "to": "2023-12-05" }),
            "from",
        ),
        (
            json!({ "rule": "UKRAINE", "from": "2024-02-01", "to": "2024-01-01" }),
            "to",
        ),
        (
            json!({ "rule": "UKRAINE", "from": "2024-02-01", "to": "2024-02-02", "note": "я".repeat(301) }),
            "note",
        ),
    ] {
        let r = app.gql(SAVE, json!({ "i": input })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }
    // Changed to a shorter interval (its own dates do not overlap itself): 1–15 November
    // free leaves 16–30 November, 15 days at 20 % = 16.44, so 7.23 + 5.48 + 16.44 = 29.15.
    let r = app
        .gql(
            SAVE,
            json!({ "id": id, "i": { "rule": "UKRAINE", "from": "2023-11-01", "to": "2023-11-15" } }),
        )
        .await;
    assert_eq!(
        r["data"]["savePenaltyMoratorium"]["to"], "2023-11-15",
        "{r}"
    );
    assert_eq!(total(&app, &typed).await, "29.15");
    let r = app
        .gql(
            "mutation($id: Int!) { deletePenaltyMoratorium(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["data"]["deletePenaltyMoratorium"], true, "{r}");
    assert_eq!(total(&app, &typed).await, "45.59");
    assert_eq!(
        app.audit_actions("penalty_moratorium", Some(id.to_string()))
            .await
            .len(),
        3
    );
}

#[tokio::test]
async fn a_penalty_statement_is_written_to_xlsx_and_printed() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "penalty-files");
    // The Russian rule's worked example 1: 10,000.00 of January 2024, 9.5 %, to 31 May:
    // 190.00 + 153.46 = 343.46.
    let typed = json!({ "rule": "RUSSIA", "asOf": "2024-06-01", "dueDay": 10,
        "debts": [{ "period": "2024-01", "amount": "10000" }],
        "rates": [{ "from": "2023-12-18", "percent": "9.5" }] });
    let export = |format: &'static str| {
        format!(
            "mutation($p: PenaltyStatementInput!) {{ requestListExport(input: {{ list: PENALTY_STATEMENT, penalty: $p, lang: \"uk\", format: {format} }}) {{ id }} }}"
        )
    };
    let r = app.gql(&export("XLSX"), json!({ "p": typed })).await;
    let id = done_job(&app, &r, "requestListExport").await;
    let sheet = download_sheet(&app, &id).await;
    assert_eq!(sheet[0][0], "Розрахунок пені", "{sheet:?}");
    assert!(
        sheet[1][0].contains("2024-06-01") && sheet[1][0].contains(": 30"),
        "the rules in words: {sheet:?}"
    );
    // Heads, the two intervals, the total.
    assert_eq!(sheet.len(), 7, "{sheet:?}");
    assert_eq!(sheet[4][3], "60", "{sheet:?}");
    assert_eq!(sheet[4][7], "190", "{sheet:?}");
    assert_eq!(sheet[5][6], "1/130", "{sheet:?}");
    assert_eq!(sheet[6][7], "343.46", "{sheet:?}");

    let r = app.gql(&export("PDF"), json!({ "p": typed })).await;
    let id = done_job(&app, &r, "requestListExport").await;
    worker.stop().await;
    let text = download_pdf_text(&app, &id).await;
    for part in ["Розрахунок пені", "1/300", "153.46", "343.46", "2024-03-12"] {
        assert!(text.contains(part), "{part}: {text}");
    }

    // No statement, or one refused, is refused by field at once (not as a failed job).
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: PENALTY_STATEMENT }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "penalty", "{r}");
    let r = app
        .gql(
            &export("XLSX"),
            json!({ "p": { "debts": [{ "period": "2024-01", "amount": "-1" }] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "debts.0", "{r}");
}

const TEMPLATE: &str =
    "mutation($i: ClaimTemplateInput!) { saveClaimTemplate(input: $i) { title deadlineDays } }";
const CLAIMS: &str = "mutation($i: ClaimLettersInput!) { requestClaimLetters(input: $i) { id } }";

#[tokio::test]
async fn claim_letters_are_mailed_or_printed_each_with_one_notice() {
    let app = TestApp::spawn().await;
    let (_, prev) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let old = second_account(&app, b.clone()).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    line(
        &app,
        a,
        xvs,
        prev - Months::new(1),
        ["0", "100", "0", "100"],
    )
    .await;
    line(&app, a, xvs, prev, ["100", "150", "0", "250"]).await;
    line(&app, old, xvs, prev, ["300", "0", "0", "300"]).await;
    let email = unique_email();
    sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".subscribers SET email = '{email}' \
             WHERE id = (SELECT subscriber_id FROM \"{{s}}\".accounts WHERE id = {a})"
        ),
    )
    .await;
    let number = |id: i64| format!("SELECT number FROM \"{{s}}\".accounts WHERE id = {id}");
    let (a_no, old_no) = (
        sql_text(&app, &number(a)).await,
        sql_text(&app, &number(old)).await,
    );
    let holder = |id: i64| format!("SELECT holder_name FROM \"{{s}}\".accounts WHERE id = {id}");
    let (a_holder, old_holder) = (
        sql_text(&app, &holder(a)).await,
        sql_text(&app, &holder(old)).await,
    );

    // The template: a misspelt placeholder is refused by its field; the built-in text is
    // there before any is saved.
    let r = app
        .gql(
            "{ claimTemplate { title body placeholders saved { title } } }",
            json!({}),
        )
        .await;
    let t = &r["data"]["claimTemplate"];
    assert_eq!(t["saved"]["title"], "", "{r}");
    assert!(
        t["body"]
            .as_str()
            .unwrap_or_default()
            .contains("{deadline}"),
        "{r}"
    );
    assert!(
        t["placeholders"].as_array().is_some_and(|p| p.len() == 11),
        "{r}"
    );
    let r = app
        .gql(
            TEMPLATE,
            json!({ "i": { "body": "Борг {dept}", "deadlineDays": 10 } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "body", "{r}");
    let r = app
        .gql(TEMPLATE, json!({ "i": { "body": "x", "deadlineDays": 0 } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "deadlineDays", "{r}");
    let r = app
        .gql(
            TEMPLATE,
            json!({ "i": { "title": "ПРЕТЕНЗІЯ {number}", "body": "Шановний(а) {holder}! Борг {debt} {currency} сплатіть до {deadline}.", "deadlineDays": 14 } }),
        )
        .await;
    assert_eq!(r["data"]["saveClaimTemplate"]["deadlineDays"], 14, "{r}");

    let period = prev.format("%Y-%m").to_string();
    // Ticking none is asking for nobody.
    let r = app
        .gql(
            CLAIMS,
            json!({ "i": { "period": period, "accounts": [], "delivery": "MAIL" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "accounts", "{r}");

    // Every debtor of the report, by mail: the one with an address is mailed a PDF, the
    // other's letter goes to the stack to print.
    let worker = app.start_worker(app.state.clone(), "claims");
    let r = app
        .gql(
            CLAIMS,
            json!({ "i": { "period": period, "delivery": "MAIL" } }),
        )
        .await;
    let job = done_job(&app, &r, "requestClaimLetters").await;
    worker.stop().await;
    let mails = mails_to(&email);
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains(&format!("claim-{a_no}.pdf")),
        "{}",
        mails[0]
    );
    let text = download_pdf_text(&app, &job).await;
    for part in [
        format!("ПРЕТЕНЗІЯ {old_no}"),
        format!("Шановний(а) {old_holder}! Борг 300.00"),
        "12 місяців".to_owned(),
    ] {
        assert!(text.contains(&part), "{part}: {text}");
    }
    assert!(
        !text.contains(&a_holder),
        "the mailed letter is not printed: {text}"
    );
    let notices = |id: i64| {
        format!(
            "SELECT count(*) FROM \"{{s}}\".debt_cases WHERE account_id = {id} AND status = 'notice_sent'"
        )
    };
    assert_eq!(sql_number(&app, &notices(a)).await, 1);
    assert_eq!(sql_number(&app, &notices(old)).await, 1);

    // The same job delivered again (a redelivered message after a crash) neither mails
    // nor records again, and prints the same stack.
    redeliver(&app, &job).await;
    assert_eq!(mails_to(&email).len(), 1, "not mailed again");
    assert_eq!(sql_number(&app, &notices(a)).await, 1);
    assert_eq!(sql_number(&app, &notices(old)).await, 1);
    let r = app
        .gql(
            "query($id: UUID!) { job(id: $id) { result } }",
            json!({ "id": job }),
        )
        .await;
    assert_eq!(r["data"]["job"]["result"]["mailed"], 1, "{r}");
    assert_eq!(r["data"]["job"]["result"]["printed"], 1, "{r}");

    // The ticked debtor only, to print: one letter, another notice.
    let worker = app.start_worker(app.state.clone(), "claims-2");
    let r = app
        .gql(
            CLAIMS,
            json!({ "i": { "period": period, "accounts": [a_no], "delivery": "PRINT" } }),
        )
        .await;
    let job = done_job(&app, &r, "requestClaimLetters").await;
    worker.stop().await;
    let text = download_pdf_text(&app, &job).await;
    assert!(
        text.contains(&a_holder) && !text.contains(&old_holder),
        "{text}"
    );
    assert_eq!(mails_to(&email).len(), 1, "printing mails nothing");
    assert_eq!(sql_number(&app, &notices(a)).await, 2);
    assert_eq!(sql_number(&app, &notices(old)).await, 1);
}

const DASHBOARD: &str = "query($m: DashboardMenu!) { menuDashboard(menu: $m) { figures { key value kind } charts { key bars { label value } } } }";

/// A section's dashboard: its figures by key.
async fn figures(app: &TestApp, menu: &str) -> std::collections::HashMap<String, String> {
    let r = app.gql(DASHBOARD, json!({ "m": menu })).await;
    r["data"]["menuDashboard"]["figures"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|f| {
            (
                f["key"].as_str().unwrap_or_default().to_owned(),
                f["value"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn delta(
    before: &std::collections::HashMap<String, String>,
    after: &std::collections::HashMap<String, String>,
    key: &str,
) -> rust_decimal::Decimal {
    let v = |m: &std::collections::HashMap<String, String>| -> rust_decimal::Decimal {
        m.get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{key}: {m:?}"))
    };
    v(after) - v(before)
}

#[tokio::test]
async fn each_sections_dashboard_counts_what_the_section_holds() {
    let app = TestApp::spawn().await;
    let (open, prev) = open_and_previous();
    let (b, premises, a, model) = crate::meters::setup(&app).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    let before: Vec<_> = all_figures(&app).await;

    // An account opened, a meter installed and read this month, last month invoiced, a
    // payment received, a storno act drafted.
    second_account(&app, b.clone()).await;
    let r = app
        .gql(
            "mutation($i: MeterInput!) { createMeter(input: $i) { id } }",
            json!({ "i": { "serial": "D-1", "modelId": model, "serviceId": xvs, "buildingId": b,
                "premisesId": premises, "installedOn": "2022-12-10", "initialReading": "1" } }),
        )
        .await;
    let meter = r["data"]["createMeter"]["id"].clone();
    let r = app
        .gql(
            "mutation($i: ReadingInput!) { enterReading(input: $i) { warning } }",
            json!({ "i": { "meterId": meter, "takenOn": open.to_string(), "current": "5" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    line(&app, a, xvs, prev, ["0", "150", "0", "150"]).await;
    // The first account turns out to be a legal entity's.
    sql(
        &app,
        &format!("UPDATE \"{{s}}\".accounts SET account_type = 'legal' WHERE id = {a}"),
    )
    .await;
    sql(
        &app,
        &format!(
            "INSERT INTO \"{{s}}\".payments (account_id, period, amount, paid_on, charge_period, received_on, kind) \
             VALUES ({a}, DATE '{open}', 40.50, DATE '{open}', DATE '{prev}', DATE '{open}', 'cash_desk')"
        ),
    )
    .await;
    let employee = crate::acts::employee(&app).await;
    let r = crate::acts::create(
        &app,
        "createAct",
        json!({ "kind": "STORNO", "accountId": a, "amount": "100", "executorId": employee }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let after: Vec<_> = all_figures(&app).await;

    let [subs, meters, billing, payments, acts] = [0, 1, 2, 3, 4].map(|i| (&before[i], &after[i]));
    assert_eq!(delta(subs.0, subs.1, "accounts"), dec!(1));
    assert_eq!(delta(meters.0, meters.1, "working"), dec!(1));
    assert_eq!(delta(meters.0, meters.1, "read"), dec!(1));
    assert_eq!(delta(billing.0, billing.1, "charged"), dec!(150));
    assert_eq!(delta(billing.0, billing.1, "closing"), dec!(150));
    assert_eq!(delta(payments.0, payments.1, "count"), dec!(1));
    assert_eq!(delta(payments.0, payments.1, "amount"), dec!(40.50));
    assert_eq!(delta(acts.0, acts.1, "drafts"), dec!(1));
    assert_eq!(delta(acts.0, acts.1, "approved"), dec!(0));
    // The legal entity's account and its debt; the payment was typed in, not from a file.
    assert_eq!(delta(&before[5], &after[5], "accounts"), dec!(1));
    assert_eq!(delta(&before[5], &after[5], "debt"), dec!(150));
    assert_eq!(delta(&before[6], &after[6], "amount"), dec!(0));
    // The meter, the account, the act and their kin are audited changes of today.
    assert!(delta(&before[8], &after[8], "today") >= dec!(3));
    assert_eq!(delta(&before[7], &after[7], "services"), dec!(0));
    // A user limited to a branch with no accounts counts nothing of the others'.
    let r = app
        .gql(
            "mutation { createReferenceItem(book: BRANCHES, input: { code: \"b9\", name: \"Порожня\" }) { id } }",
            json!({}),
        )
        .await;
    let branch = r["data"]["createReferenceItem"]["id"].clone();
    let login = format!("{}.limited", app.tenant.as_str());
    let r = app
        .gql(
            "mutation($l: String!, $b: Int!) { createUser(input: { login: $l, displayName: \"Філія 9\", password: \"Філія-2026-дев'ята\", roles: [\"tenant_admin\"], branchIds: [$b] }) { id } }",
            json!({ "l": login, "b": branch }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let token = app.login(&login, "Філія-2026-дев'ята").await;
    for (menu, key) in [
        ("SUBSCRIBERS", "accounts"),
        ("BILLING", "charged"),
        ("PAYMENTS", "amount"),
        ("ACTS", "drafts"),
        ("LEGAL_ENTITIES", "debt"),
        ("METERS", "working"),
    ] {
        let r = app
            .gql_as(Some(&token), DASHBOARD, json!({ "m": menu }))
            .await;
        let value = r["data"]["menuDashboard"]["figures"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["key"] == key))
            .map(|f| dec(&f["value"]))
            .unwrap_or_else(|| panic!("{r}"));
        assert_eq!(value, dec!(0), "{menu} {key}: {r}");
    }
    // Of the change log, their own: the sign-in just now.
    let r = app
        .gql_as(Some(&token), DASHBOARD, json!({ "m": "ADMINISTRATION" }))
        .await;
    assert_eq!(
        r["data"]["menuDashboard"]["figures"][1]["value"], "1",
        "{r}"
    );
    // The payments chart has the day's bar; the meters by service have cold water's.
    let r = app.gql(DASHBOARD, json!({ "m": "PAYMENTS" })).await;
    let days = &r["data"]["menuDashboard"]["charts"][0]["bars"];
    assert!(
        days.as_array().is_some_and(|d| d
            .iter()
            .any(|b| b["label"] == "01" && dec(&b["value"]) >= dec!(40.50))),
        "{r}"
    );
}

/// The sections' figures, in the order Subscribers, Meters, Billing, Payments, Acts, Legal
/// entities, Payment import, Reference books, Administration.
async fn all_figures(app: &TestApp) -> Vec<std::collections::HashMap<String, String>> {
    let mut out = Vec::new();
    for menu in [
        "SUBSCRIBERS",
        "METERS",
        "BILLING",
        "PAYMENTS",
        "ACTS",
        "LEGAL_ENTITIES",
        "PAYMENT_IMPORT",
        "REFERENCE_BOOKS",
        "ADMINISTRATION",
    ] {
        out.push(figures(app, menu).await);
    }
    out
}
