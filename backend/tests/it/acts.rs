//! Acts through the API with worked numbers (docs/architecture.md "Acts"): a storno of
//! 100.00 spread over three services' debts of 150.00, 100.00 and 50.00; the seed's
//! billing row built from a correction (opening 111.00, paid 120.00, charged 0.00,
//! correction 34.00, penalty 0.00 → closing 25.00); fines only on the fine service;
//! approving and returning to draft move the open invoice; a closed period's acts never
//! change; every change audited.

use std::time::Duration;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::helpers::{TestApp, download_sheet, sql};

pub(crate) const ACT: &str =
    "id number kind status period total editable approvedBy serviceId reasonId";
const LINE: &str =
    "serviceId opening charged recalculation benefit subsidy penalty paid closing steps";

pub(crate) fn open_and_previous() -> (NaiveDate, NaiveDate) {
    let t = chrono::Utc::now().date_naive();
    let open = NaiveDate::from_ymd_opt(t.year(), t.month(), 1).unwrap_or_default();
    (open, open - Months::new(1))
}

/// Last month's invoice of `account`: each service (by code) left owing its amount.
async fn owed(app: &TestApp, account: i64, prev: NaiveDate, debts: &[(&str, &str)]) {
    let values: Vec<String> = debts
        .iter()
        .map(|(code, amount)| format!("('{code}', {amount})"))
        .collect();
    let values = values.join(", ");
    sql(app, &format!(
        "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
         SELECT {account}, DATE '{prev}', now(), 0, sum(x.amount), 0, 0, 0, 0, 0, sum(x.amount) FROM (VALUES {values}) AS x(code, amount); \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
         SELECT DATE '{prev}', {account}, s.id, s.method, 0, 0, 0, x.amount, 0, 0, 0, 0, 0, x.amount, '[]' \
         FROM (VALUES {values}) AS x(code, amount) JOIN \"{{s}}\".services s ON s.code = x.code"
    ))
    .await;
}

pub(crate) async fn id_of(app: &TestApp, book: &str, code: &str) -> i64 {
    let r = app
        .gql(
            &format!(
                "{{ referenceBook(book: {book}, search: \"{code}\") {{ items {{ id code }} }} }}"
            ),
            json!({}),
        )
        .await;
    r["data"]["referenceBook"]["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["code"] == code))
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("{book} {code}: {r}"))
}

pub(crate) fn dec(v: &Value) -> Decimal {
    v.as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("not a decimal: {v}"))
}

/// A second account, of a new subscriber, in the building's second apartment.
pub(crate) async fn second_account(app: &TestApp, building: Value) -> i64 {
    let found = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": building }),
        )
        .await;
    let second = found["data"]["building"]["premises"][1]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{found}"));
    let r = app
        .gql(
            "mutation($p: Int!) { openAccount(input: { premisesId: $p, openedOn: \"2026-01-01\", newSubscriber: { lastName: \"Мельник\", firstName: \"Петро\" } }) { account { id } } }",
            json!({ "p": second }),
        )
        .await;
    r["data"]["openAccount"]["account"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

/// An employee of the book, the executor of the acts.
pub(crate) async fn employee(app: &TestApp) -> i64 {
    let r = app
        .gql(
            "mutation { createReferenceItem(book: EMPLOYEES, input: { code: \"e1\", name: \"Бондар О.\" }) { id } }",
            json!({}),
        )
        .await;
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

pub(crate) fn error(r: &Value) -> (String, String) {
    let e = &r["errors"][0];
    (
        e["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        e["extensions"]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

pub(crate) async fn form(app: &TestApp, account: i64) -> Vec<Value> {
    let r = app
        .gql(
            &format!("mutation($a: Int!) {{ formInvoice(accountId: $a) {{ {LINE} }} }}"),
            json!({ "a": account }),
        )
        .await;
    r["data"]["formInvoice"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{r}"))
}

pub(crate) fn line(lines: &[Value], service: i64) -> Value {
    lines
        .iter()
        .find(|l| l["serviceId"] == service)
        .cloned()
        .unwrap_or_else(|| panic!("no line of service {service}: {lines:?}"))
}

pub(crate) async fn create(app: &TestApp, mutation: &str, input: Value) -> Value {
    app.gql(
        &format!("mutation($i: ActInput!) {{ {mutation}(input: $i) {{ {ACT} }} }}"),
        json!({ "i": input }),
    )
    .await
}

pub(crate) async fn set_status(app: &TestApp, ids: &[i64], status: &str) -> Value {
    app.gql(
        &format!("mutation($ids: [Int!]!, $s: ActStatus!) {{ setActsStatus(ids: $ids, status: $s) {{ {ACT} }} }}"),
        json!({ "ids": ids, "s": status }),
    )
    .await
}

/// The open month calculated over the tenant and closed (by a worker of its own).
pub(crate) async fn calculate_and_close(app: &TestApp, month: &str, queue: &str) {
    let worker = app.start_worker(app.state.clone(), queue);
    for (mutation, vars) in [
        (
            "mutation { calculatePeriod(input: { scope: TENANT }) { id } }",
            json!({}),
        ),
        (
            "mutation($p: String!) { closePeriod(input: { period: $p }) { id } }",
            json!({ "p": month }),
        ),
    ] {
        let r = app.gql(mutation, vars).await;
        let job = r["data"]
            .as_object()
            .and_then(|d| d.values().next())
            .and_then(|j| j["id"].as_str())
            .unwrap_or_else(|| panic!("{r}"))
            .to_owned();
        let done = app.wait_job(&job, Duration::from_secs(120)).await;
        assert_eq!(done["state"], "DONE", "{done}");
    }
    worker.stop().await;
}

#[tokio::test]
async fn a_storno_spreads_over_the_debts_and_moves_the_open_invoice_only_while_approved() {
    let app = TestApp::spawn().await;
    let (open, prev) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    owed(
        &app,
        a,
        prev,
        &[("xvs", "150"), ("opal", "100"), ("utr", "50")],
    )
    .await;
    let (xvs, opal, utr) = (
        id_of(&app, "SERVICES", "xvs").await,
        id_of(&app, "SERVICES", "opal").await,
        id_of(&app, "SERVICES", "utr").await,
    );
    let employee = employee(&app).await;
    let storno = json!({ "kind": "STORNO", "accountId": a, "amount": "100", "executorId": employee, "comment": "списання" });

    // Refused by field: no amount, no executor, a date outside the open period.
    let r = create(
        &app,
        "createAct",
        json!({ "kind": "STORNO", "accountId": a, "amount": "0", "executorId": employee }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "amount".into()), "{r}");
    let r = create(
        &app,
        "createAct",
        json!({ "kind": "STORNO", "accountId": a, "amount": "100" }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "executorId".into()), "{r}");
    let r = create(&app, "createAct", json!({ "kind": "STORNO", "accountId": a, "amount": "100", "executorId": employee, "actDate": prev.to_string() })).await;
    assert_eq!(error(&r), ("VALIDATION".into(), "actDate".into()), "{r}");

    // A draft: its lines are there, the invoice does not count them.
    let before = form(&app, a).await;
    let r = create(&app, "createAct", storno.clone()).await;
    let act = &r["data"]["createAct"];
    assert_eq!(act["status"], "DRAFT", "{r}");
    assert_eq!(act["total"], "-100.00", "{r}");
    assert_eq!(act["kind"], "STORNO");
    assert!(
        act["reasonId"].is_i64(),
        "the Storno reason by default: {r}"
    );
    let id = act["id"].as_i64().unwrap_or_default();
    let number = act["number"].as_i64().unwrap_or_default();
    let lines = app
        .gql(
            "query($id: Int!) { actLines(id: $id) { serviceId amount steps } }",
            json!({ "id": id }),
        )
        .await;
    let got: Vec<(i64, String)> = lines["data"]["actLines"]
        .as_array()
        .unwrap_or_else(|| panic!("{lines}"))
        .iter()
        .map(|l| {
            (
                l["serviceId"].as_i64().unwrap_or_default(),
                l["amount"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut want = vec![
        (xvs, "-50.00".to_owned()),
        (opal, "-33.33".to_owned()),
        (utr, "-16.67".to_owned()),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    assert_eq!(got_sorted, want, "in proportion to 150 / 100 / 50: {lines}");
    assert_eq!(
        lines["data"]["actLines"][0]["steps"][0]["kind"], "storno_share",
        "{lines}"
    );
    let drafted = form(&app, a).await;
    assert_eq!(drafted, before, "a draft changes nothing");

    // Approved: the open invoice's lines take it in their recalculation, and say so.
    let r = set_status(&app, &[id], "APPROVED").await;
    assert_eq!(r["data"]["setActsStatus"][0]["status"], "APPROVED", "{r}");
    assert!(
        r["data"]["setActsStatus"][0]["approvedBy"].is_string(),
        "{r}"
    );
    let approved = form(&app, a).await;
    for (service, amount) in [(xvs, "-50.00"), (opal, "-33.33"), (utr, "-16.67")] {
        let (was, now) = (line(&before, service), line(&approved, service));
        assert_eq!(now["recalculation"], amount, "{now}");
        assert_eq!(
            dec(&now["closing"]) - dec(&was["closing"]),
            dec(&json!(amount)),
            "the closing moves by the act alone: {was} → {now}"
        );
        let steps = now["steps"].as_array().cloned().unwrap_or_default();
        assert!(
            steps.iter().any(|s| s["kind"] == "act"
                && s["args"][0].as_str() == Some(number.to_string().as_str())
                && s["value"] == amount),
            "the line names the act: {steps:?}"
        );
    }
    let summary = app
        .gql(
            "query($p: String!) { closingSummary(period: $p) { reconciles difference } }",
            json!({ "p": open.format("%Y-%m").to_string() }),
        )
        .await;
    assert_eq!(
        summary["data"]["closingSummary"]["reconciles"], true,
        "{summary}"
    );

    // An approved act is changed or deleted only after it goes back to draft.
    let r = app
        .gql(
            "mutation($id: Int!, $i: ActInput!) { updateAct(id: $id, input: $i) { id } }",
            json!({ "id": id, "i": storno }),
        )
        .await;
    assert_eq!(error(&r).0, "CONFLICT", "{r}");
    let r = app
        .gql(
            "mutation($id: Int!) { deleteAct(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error(&r).0, "CONFLICT", "{r}");

    // Back to draft: the invoice is as it was.
    let r = set_status(&app, &[id], "DRAFT").await;
    assert_eq!(r["data"]["setActsStatus"][0]["status"], "DRAFT", "{r}");
    assert_eq!(form(&app, a).await, before);

    // A bulk change takes acts of one kind only.
    let fine_service = app
        .gql(
            "mutation { createReferenceItem(book: SERVICES, input: { code: \"fine\", name: \"Штрафи\", extra: { method: \"fixed\", fine: true } }) { id } }",
            json!({}),
        )
        .await["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_default();
    let r = create(
        &app,
        "addCorrection",
        json!({ "kind": "FINE", "accountId": a, "serviceId": xvs, "amount": "40" }),
    )
    .await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "serviceId".into()),
        "not the fine service: {r}"
    );
    let r = create(&app, "addCorrection", json!({ "kind": "FINE", "accountId": a, "serviceId": fine_service, "amount": "40", "comment": "самовільне підключення" })).await;
    let fine = &r["data"]["addCorrection"];
    assert_eq!(
        (fine["status"].clone(), fine["total"].clone()),
        (json!("APPROVED"), json!("40.00")),
        "{r}"
    );
    let r = set_status(
        &app,
        &[id, fine["id"].as_i64().unwrap_or_default()],
        "APPROVED",
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "ids".into()), "{r}");
    let fined = form(&app, a).await;
    let l = line(&fined, fine_service);
    assert_eq!(
        (dec(&l["recalculation"]), dec(&l["charged"])),
        (dec!(40.00), dec!(0)),
        "{l}"
    );

    // A storno on an account that owes nothing must name its service.
    let other = second_account(&app, b.clone()).await;
    let r = create(
        &app,
        "createAct",
        json!({ "kind": "STORNO", "accountId": other, "amount": "10", "executorId": employee }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "serviceId".into()), "{r}");

    // Approved again, then the period closes: the act is final; a draft moves on.
    let r = set_status(&app, &[id], "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
    let draft = create(&app, "createAct", json!({ "kind": "STORNO", "accountId": a, "serviceId": utr, "amount": "5", "executorId": employee })).await;
    let draft = draft["data"]["createAct"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{draft}"));
    let worker = app.start_worker(app.state.clone(), "acts-1");
    let r = app
        .gql(
            "mutation($p: String!) { closePeriod(input: { period: $p, formMissing: true }) { id } }",
            json!({ "p": open.format("%Y-%m").to_string() }),
        )
        .await;
    let job = r["data"]["closePeriod"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let done = app.wait_job(&job, Duration::from_secs(120)).await;
    assert_eq!(done["state"], "DONE", "{done}");
    worker.stop().await;
    let r = set_status(&app, &[id], "DRAFT").await;
    assert_eq!(error(&r).0, "PERIOD_CLOSED", "{r}");
    let r = app
        .gql(
            &format!("query($id: Int!) {{ act(id: $id) {{ {ACT} }} }}"),
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["data"]["act"]["editable"], false, "{r}");
    let r = app
        .gql(
            &format!("query($id: Int!) {{ act(id: $id) {{ {ACT} }} }}"),
            json!({ "id": draft }),
        )
        .await;
    let next = (open + Months::new(1)).format("%Y-%m").to_string();
    assert_eq!(
        (
            r["data"]["act"]["period"].clone(),
            r["data"]["act"]["editable"].clone()
        ),
        (json!(next), json!(true)),
        "{r}"
    );

    // The register finds them by kind and status; every change is audited.
    let r = app
        .gql(
            "{ acts(filter: { kind: STORNO, status: APPROVED }) { total items { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["acts"]["total"], 1, "{r}");
    assert_eq!(r["data"]["acts"]["items"][0]["id"], id, "{r}");
    // The register exports as filtered on screen, in the export's language.
    let worker = app.start_worker(app.state.clone(), "acts-export");
    let r = app
        .gql("{ acts(filter: { kind: STORNO }) { total } }", json!({}))
        .await;
    assert_eq!(
        r["data"]["acts"]["total"], 2,
        "the approved one and the draft: {r}"
    );
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: ACTS, acts: { kind: STORNO }, lang: \"uk\" }) { id } }",
            json!({}),
        )
        .await;
    let export = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&export, Duration::from_secs(60)).await;
    assert_eq!(job["result"]["rows"], 2, "{job}");
    let sheet = download_sheet(&app, &export).await;
    assert_eq!(sheet[0][0], "№", "{sheet:?}");
    assert!(sheet[1..].iter().all(|r| r[1] == "Акт сторно"), "{sheet:?}");
    assert!(
        sheet[1..]
            .iter()
            .any(|r| r[2] == "Затверджено" && r[11] == "-100"),
        "{sheet:?}"
    );
    worker.stop().await;
    let actions = app.audit_actions("act", Some(id.to_string())).await;
    for a in ["create", "approve", "unapprove"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn the_seed_billing_row_comes_out_of_a_correction() {
    // Seed 000 Fig. 9: opening 111.00, paid 120.00, charged 0.00, correction 34.00,
    // penalty 0.00 → closing 25.00.
    let app = TestApp::spawn().await;
    let (open, prev) = open_and_previous();
    let (_, _, a, _) = crate::meters::setup(&app).await;
    owed(&app, a, prev, &[("gvs", "111")]).await;
    let gvs = id_of(&app, "SERVICES", "gvs").await;
    let paid = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": a, "amount": "120", "kind": "CASH_DESK", "paidOn": open.to_string(), "receivedOn": open.to_string() } }),
        )
        .await;
    assert!(paid["errors"].is_null(), "{paid}");
    let r = create(
        &app,
        "addCorrection",
        json!({ "kind": "CORRECTION", "accountId": a, "serviceId": gvs, "amount": "34" }),
    )
    .await;
    let act = &r["data"]["addCorrection"];
    assert_eq!(
        (act["status"].clone(), act["total"].clone()),
        (json!("APPROVED"), json!("34.00")),
        "{r}"
    );
    assert!(
        act["reasonId"].is_i64(),
        "the Correction reason by default: {r}"
    );
    let r = create(
        &app,
        "addCorrection",
        json!({ "kind": "CORRECTION", "accountId": a, "serviceId": gvs, "amount": "0" }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "amount".into()), "{r}");
    let r = create(
        &app,
        "addCorrection",
        json!({ "kind": "STORNO", "accountId": a, "serviceId": gvs, "amount": "5" }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "kind".into()), "{r}");

    let l = line(&form(&app, a).await, gvs);
    let row: Vec<Decimal> = [
        "opening",
        "paid",
        "charged",
        "recalculation",
        "penalty",
        "closing",
    ]
    .iter()
    .map(|k| dec(&l[*k]))
    .collect();
    // As the seed prints it: 111.00, 120.00, 0.00, 34.00, 0.00, 25.00 (compared as numbers).
    assert_eq!(
        row,
        [
            dec!(111.00),
            dec!(120.00),
            dec!(0.00),
            dec!(34.00),
            dec!(0.00),
            dec!(25.00)
        ],
        "{l}"
    );
}

/// A closed month's resident-days as the engine counts them: `persons` residents living
/// all month, `cut` days not provided → persons (4 places) → norm × persons (4 places) ×
/// tariff (kopecks).
fn norm_charge(persons: i64, days: i64, cut: i64, norm: Decimal, tariff: Decimal) -> Decimal {
    let p = (Decimal::from(persons * (days - cut)) / Decimal::from(days)).round_dp(4);
    (norm * p).round_dp(4) * tariff
}

#[tokio::test]
async fn a_recalculation_act_takes_the_days_not_provided_off_closed_months() {
    let app = TestApp::spawn().await;
    let (open, _) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let a2 = second_account(&app, b.clone()).await;
    // Cold water without a meter (the norm, 3.6 m³ a person) for two residents and for
    // one; the base price list (31.4080 a m³ since July).
    sql(&app, &format!(
        "UPDATE \"{{s}}\".buildings SET price_list_id = (SELECT id FROM \"{{s}}\".price_lists WHERE code = 'base') WHERE id = {b}; \
         INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) \
         SELECT x, (SELECT id FROM \"{{s}}\".services WHERE code = 'xvs'), DATE '2026-01-01' FROM unnest(ARRAY[{a}, {a2}]::bigint[]) x; \
         INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, living_from) VALUES \
           ({a}, 'Коваль Ірина', DATE '2026-01-01', DATE '2026-01-01'), ({a}, 'Коваль Олег', DATE '2026-01-01', DATE '2026-01-01'), \
           ({a2}, 'Мельник Петро', DATE '2026-01-01', DATE '2026-01-01')"
    ))
    .await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    let employee = employee(&app).await;
    // The month calculated and closed.
    calculate_and_close(&app, &open.format("%Y-%m").to_string(), "acts-recalc").await;

    let days = ((open + Months::new(1)) - open).num_days();
    let (tariff, norm) = (dec!(31.4080), dec!(3.6));
    let issued = |persons: i64| domain::money(norm_charge(persons, days, 0, norm, tariff));
    let cut = |persons: i64| domain::money(norm_charge(persons, days, 15, norm, tariff));
    let from = open.to_string();
    let to = (open + chrono::Days::new(14)).to_string();
    let recalc = |extra: Value| {
        let mut input = json!({ "kind": "RECALCULATION", "serviceId": xvs, "from": from, "to": to,
            "basisDocument": "INTERRUPTION", "executorId": employee });
        if let (Some(i), Some(e)) = (input.as_object_mut(), extra.as_object()) {
            i.extend(e.clone());
        }
        input
    };

    // Refused by field: no days, days of the open month, an account and a building.
    let r = create(
        &app,
        "createAct",
        json!({ "kind": "RECALCULATION", "accountId": a, "executorId": employee, "to": to }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "from".into()), "{r}");
    let next = (open + Months::new(1)).to_string();
    let r = create(
        &app,
        "createAct",
        recalc(json!({ "accountId": a, "to": next })),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "to".into()), "{r}");
    let r = create(
        &app,
        "createAct",
        recalc(json!({ "accountId": a, "buildingId": b })),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "buildingId".into()), "{r}");
    let vv = id_of(&app, "SERVICES", "vv").await;
    let r = create(
        &app,
        "createAct",
        recalc(json!({ "accountId": a, "serviceId": vv })),
    )
    .await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "from".into()),
        "nothing to recalculate: {r}"
    );

    // A reason tied to other services (seed 002 Table 1: an unsatisfactory temperature
    // is for hot water and heating): refused for cold water, and over every service it
    // finds none of its own on the account.
    let temperature = id_of(&app, "RECALCULATION_REASONS", "temperature").await;
    let r = create(
        &app,
        "createAct",
        recalc(json!({ "accountId": a, "reasonId": temperature })),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "reasonId".into()), "{r}");
    let r = create(
        &app,
        "createAct",
        recalc(json!({ "accountId": a, "reasonId": temperature, "serviceId": null })),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "from".into()), "{r}");

    // One account: 15 days of cold water not provided in the closed month.
    let r = create(&app, "createAct", recalc(json!({ "accountId": a }))).await;
    let act = &r["data"]["createAct"];
    let expected = cut(2) - issued(2);
    assert_eq!(dec(&act["total"]), expected, "{r}");
    assert!(expected < Decimal::ZERO);
    let id = act["id"].as_i64().unwrap_or_default();
    let lines = app
        .gql(
            "query($id: Int!) { actLines(id: $id) { accountId serviceId amount steps } }",
            json!({ "id": id }),
        )
        .await;
    let first = &lines["data"]["actLines"][0];
    assert_eq!(
        (first["accountId"].as_i64(), first["serviceId"].as_i64()),
        (Some(a), Some(xvs)),
        "{lines}"
    );
    let step = &first["steps"][0];
    assert_eq!(step["kind"], "recalculated_month", "{lines}");
    assert_eq!(step["args"][2], "15", "{lines}");
    assert_eq!(dec(&step["args"][3]), issued(2), "{lines}");

    // The whole house: both accounts, each by its own residents.
    let r = create(&app, "createAct", recalc(json!({ "buildingId": b }))).await;
    let house = &r["data"]["createAct"];
    assert_eq!(dec(&house["total"]), expected + cut(1) - issued(1), "{r}");

    // Every account of the tenant: computed by a worker job queued with the act, and not
    // approvable until it is; it books what the house act books (the tenant's one house).
    let r = app
        .gql(
            "mutation($i: ActInput!) { createAct(input: $i) { id total computing jobId } }",
            json!({ "i": recalc(json!({ "allAccounts": true })) }),
        )
        .await;
    let wide = &r["data"]["createAct"];
    assert_eq!(wide["computing"], true, "{r}");
    let wide_id = wide["id"].as_i64().unwrap_or_default();
    let job = wide["jobId"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let r = set_status(&app, &[wide_id], "APPROVED").await;
    assert_eq!(error(&r).0, "CONFLICT", "{r}");
    let worker = app.start_worker(app.state.clone(), "acts-wide");
    assert_eq!(
        app.wait_job(&job, Duration::from_secs(120)).await["state"],
        "DONE"
    );
    worker.stop().await;
    let r = app
        .gql(
            "query($id: Int!) { act(id: $id) { total computing allAccounts } }",
            json!({ "id": wide_id }),
        )
        .await;
    assert_eq!(r["data"]["act"]["computing"], false, "{r}");
    assert_eq!(dec(&r["data"]["act"]["total"]), dec(&house["total"]), "{r}");
    // Subsidies and top-ups name an account or a house: not over every account.
    let r = create(
        &app,
        "createAct",
        json!({ "kind": "DATA_UPDATE", "allAccounts": true, "from": from, "to": to, "executorId": employee,
            "subsidies": [{ "accountId": a, "serviceId": xvs, "period": open.format("%Y-%m").to_string(), "amount": "5" }] }),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "subsidies".into()), "{r}");
    let r = create(
        &app,
        "createAct",
        recalc(json!({ "allAccounts": true, "buildingId": b })),
    )
    .await;
    assert_eq!(error(&r), ("VALIDATION".into(), "buildingId".into()), "{r}");

    // Approved, the account's act is in the open month's invoice.
    let r = set_status(&app, &[id], "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
    let l = line(&form(&app, a).await, xvs);
    assert_eq!(dec(&l["recalculation"]), expected, "{l}");
}
