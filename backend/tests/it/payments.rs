//! Payments: typed payments split over the paid invoice's services (in proportion, by the
//! tenant's priority order, by hand) under the date rules of the open period, found with
//! totals, cancelled, counted by the calculation; batches with control totals; bank files
//! posted by a worker with a protocol (once only, the same payment never twice, a file
//! that does not add up refused whole), a refused row matched by hand.

use std::time::Duration;

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{TestApp, download_sheet, sql};

/// The open period's first day and the previous period's (the default charge period).
pub(crate) fn periods() -> (NaiveDate, NaiveDate) {
    let t = chrono::Utc::now().date_naive();
    let open = NaiveDate::from_ymd_opt(t.year(), t.month(), 1).unwrap_or_default();
    (open, open - Months::new(1))
}

fn ym(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// Last month's invoice of the account `number`: cold water asks 300, upkeep 100 (as the
/// calculation would have left them).
pub(crate) async fn invoice(app: &TestApp, number: &str, prev: NaiveDate) {
    sql(app, &format!(
        "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
         SELECT id, DATE '{prev}', now(), 0, 400, 0, 0, 0, 0, 0, 400 FROM \"{{s}}\".accounts WHERE number = '{number}'; \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
         SELECT DATE '{prev}', a.id, s.id, s.method, 0, 0, 0, x.amount, 0, 0, 0, 0, 0, x.amount, '[]' \
         FROM \"{{s}}\".accounts a CROSS JOIN (VALUES ('xvs', 300), ('utr', 100)) AS x(code, amount) \
         JOIN \"{{s}}\".services s ON s.code = x.code WHERE a.number = '{number}'"
    )).await;
}

async fn account_id(app: &TestApp, number: &str) -> i64 {
    let r = app
        .gql(
            "query($n: String!) { paymentDue(accountNumber: $n) { accountId } }",
            json!({ "n": number }),
        )
        .await;
    r["data"]["paymentDue"]["accountId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

const PAY: &str = "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id amount split chargePeriod } \
                   lines { serviceName amount } } }";

fn parts(r: &Value) -> Vec<(String, String)> {
    r["data"]["createPayment"]["lines"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|x| {
                    (
                        x["serviceName"].as_str().unwrap_or_default().to_owned(),
                        x["amount"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn error(r: &Value) -> (String, String, String) {
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
        e["message"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn payments_are_split_checked_found_cancelled_and_batched() {
    let app = TestApp::spawn().await;
    let (open, prev) = periods();
    // An account in a building (the calculation forms invoices of those).
    let (_, _, a1, _) = crate::meters::setup(&app).await;
    let number = app.account_number(a1).await;
    invoice(&app, &number, prev).await;
    sql(
        &app,
        "INSERT INTO \"{s}\".banks (code, name) VALUES ('pb', 'ПриватБанк')",
    )
    .await;
    let bank = app
        .gql("{ referenceBook(book: BANKS) { items { id } } }", json!({}))
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();

    let r = app
        .gql(
            "{ paymentRules { openPeriod defaultChargePeriod penaltyOn split } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r["data"]["paymentRules"],
        json!({ "openPeriod": ym(open), "defaultChargePeriod": ym(prev), "penaltyOn": true, "split": "proportional" })
    );
    let r = app
        .gql(
            "query($n: String!) { paymentDue(accountNumber: $n) { accountId due paid } }",
            json!({ "n": number }),
        )
        .await;
    assert_eq!(
        r["data"]["paymentDue"],
        json!({ "accountId": a1, "due": "400.00", "paid": "0" }),
        "{r}"
    );

    let day = |d: u32| open.with_day(d).unwrap_or(open).to_string();
    let base = json!({ "accountId": a1, "amount": "200", "kind": "BANK", "bankId": bank, "statement": "В-17",
                       "paidOn": prev.with_day(28).unwrap_or(prev).to_string(), "receivedOn": day(2) });
    let with = |extra: Value| {
        let mut i = base.clone();
        if let (Some(o), Some(e)) = (i.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        json!({ "i": i })
    };

    // In proportion to what the invoice asks: 300 : 100.
    let r = app.gql(PAY, with(json!({}))).await;
    assert_eq!(
        r["data"]["createPayment"]["payment"]["split"], "proportional",
        "{r}"
    );
    assert_eq!(
        r["data"]["createPayment"]["payment"]["chargePeriod"],
        prev.to_string()
    );
    assert_eq!(
        parts(&r),
        vec![
            ("Утримання будинку".into(), "50.00".into()),
            ("Холодне водопостачання".into(), "150.00".into())
        ]
    );
    let first = r["data"]["createPayment"]["payment"]["id"].clone();

    // By the tenant's priority order: upkeep first up to its 100, the rest to cold water.
    let services = app
        .gql(
            "{ paymentSettings { services { serviceId code } } }",
            json!({}),
        )
        .await;
    let id_of = |code: &str| {
        services["data"]["paymentSettings"]["services"]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["code"] == code))
            .map(|s| s["serviceId"].clone())
            .unwrap_or_default()
    };
    let r = app
        .gql(
            "mutation($o: [Int!]!) { updatePaymentSettings(split: \"priority\", order: $o) { split } }",
            json!({ "o": [id_of("utr"), id_of("xvs")] }),
        )
        .await;
    assert_eq!(
        r["data"]["updatePaymentSettings"]["split"], "priority",
        "{r}"
    );
    let r = app.gql(PAY, with(json!({ "amount": "150,00" }))).await;
    assert_eq!(
        parts(&r),
        vec![
            ("Утримання будинку".into(), "100.00".into()),
            ("Холодне водопостачання".into(), "50.00".into())
        ],
        "{r}"
    );

    // By hand, a cash-desk payment; the parts must add up to the total.
    let manual = json!({ "amount": "15", "kind": "CASH_DESK", "bankId": null, "split": "MANUAL",
        "lines": [{ "serviceId": id_of("xvs"), "amount": "10" }, { "serviceId": id_of("utr"), "amount": "5" }] });
    let r = app.gql(PAY, with(manual.clone())).await;
    assert_eq!(
        r["data"]["createPayment"]["payment"]["split"], "manual",
        "{r}"
    );
    let mut wrong = manual.clone();
    wrong["amount"] = json!("16");
    let r = app.gql_lang("uk", PAY, with(wrong)).await;
    let (code, field, message) = error(&r);
    assert_eq!(
        (code.as_str(), field.as_str()),
        ("VALIDATION", "lines"),
        "{r}"
    );
    assert!(message.contains("не загальну суму 16"), "{message}");

    // Every date rule names its field, in the user's language.
    let refusals = [
        (
            json!({ "receivedOn": prev.with_day(28).unwrap_or(prev).to_string() }),
            "receivedOn",
        ),
        (json!({ "paidOn": day(3) }), "paidOn"),
        (
            json!({ "paidOn": (prev - Months::new(1)).to_string() }),
            "paidOn",
        ),
        (json!({ "chargePeriod": ym(open) }), "chargePeriod"),
        (
            json!({ "chargePeriod": ym(prev - Months::new(1)) }),
            "chargePeriod",
        ),
        (json!({ "bankId": null }), "bankId"),
        (json!({ "amount": "-5" }), "amount"),
        (json!({ "amount": "1.005" }), "amount"),
        (json!({ "amount": "сто" }), "amount"),
    ];
    for (extra, expected) in refusals {
        let r = app.gql_lang("uk", PAY, with(extra.clone())).await;
        let (code, field, message) = error(&r);
        assert_eq!(
            (code.as_str(), field.as_str()),
            ("VALIDATION", expected),
            "{extra}: {r}"
        );
        assert!(
            !message.is_empty() && !message.starts_with(expected),
            "translated: {message}"
        );
    }
    let r = app
        .gql_lang("uk", PAY, with(json!({ "paidOn": day(3) })))
        .await;
    assert!(
        error(&r)
            .2
            .starts_with("дата оплати: не може бути пізніше дати надходження коштів"),
        "{r}"
    );

    // Found by subscriber and source, with totals; cancelled ones not summed.
    let find = |filter: Value| {
        app.gql(
            "query($f: PaymentFilter!) { payments(filter: $f) { totals { count amount } rows { id accountNumber amount kind lines cancelledAt } } }",
            json!({ "f": filter }),
        )
    };
    let r = find(json!({ "subscriber": number })).await;
    assert_eq!(
        r["data"]["payments"]["totals"],
        json!({ "count": 3, "amount": "365.00" }),
        "{r}"
    );
    let r = find(json!({ "source": "CASH_DESK" })).await;
    assert_eq!(r["data"]["payments"]["totals"]["count"], 1, "{r}");
    assert_eq!(
        r["data"]["payments"]["rows"][0]["lines"],
        "Утримання будинку: 5.00; Холодне водопостачання: 10.00"
    );
    let r = find(json!({ "subscriber": number, "from": ym(open + Months::new(1)) })).await;
    assert_eq!(
        r["data"]["payments"]["totals"]["count"], 0,
        "booked in the open period only: {r}"
    );

    let cancel = "mutation($id: Int!) { cancelPayment(id: $id) { cancelledAt } }";
    let r = app.gql(cancel, json!({ "id": first })).await;
    assert!(r["data"]["cancelPayment"]["cancelledAt"].is_string(), "{r}");
    let r = app.gql(cancel, json!({ "id": first })).await;
    assert_eq!(error(&r).0, "CONFLICT", "{r}");
    let r = find(json!({ "subscriber": number, "withCancelled": true })).await;
    assert_eq!(
        r["data"]["payments"]["totals"],
        json!({ "count": 2, "amount": "165.00" }),
        "{r}"
    );
    assert_eq!(
        r["data"]["payments"]["rows"].as_array().map(Vec::len),
        Some(3)
    );

    // The calculation counts the live payments with their parts per service.
    let r = app
        .gql(
            "mutation($a: Int!) { formInvoice(accountId: $a) { paid } }",
            json!({ "a": a1 }),
        )
        .await;
    assert!(
        r["data"]["formInvoice"]
            .as_array()
            .is_some_and(|l| l.len() == 2),
        "{r}"
    );
    #[derive(sea_orm::FromQueryResult)]
    struct Paid {
        code: String,
        paid: rust_decimal::Decimal,
    }
    let lines = <Paid as sea_orm::FromQueryResult>::find_by_statement(sea_orm::Statement::from_string(
        sea_orm::DbBackend::Postgres,
        format!(
            "SELECT s.code, l.paid FROM \"{0}\".invoice_lines l JOIN \"{0}\".services s ON s.id = l.service_id \
             WHERE l.period = DATE '{open}' AND l.account_id = {a1} ORDER BY s.code",
            app.tenant.schema()
        ),
    ))
    .all(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let paid: Vec<(String, String)> = lines
        .iter()
        .map(|l| (l.code.clone(), l.paid.to_string()))
        .collect();
    assert_eq!(
        paid,
        vec![
            ("utr".to_owned(), "105.00".to_owned()),
            ("xvs".to_owned(), "60.00".to_owned())
        ]
    );

    // A batch: posted only when its rows match the control count and sum.
    let r = app
        .gql(
            "mutation($i: BatchInput!) { createPaymentBatch(input: $i) { id state } }",
            json!({ "i": { "number": "П-1", "batchDate": day(5), "kind": "CASH_DESK", "controlCount": 2, "controlSum": "30,00" } }),
        )
        .await;
    assert_eq!(r["data"]["createPaymentBatch"]["state"], "draft", "{r}");
    let batch = r["data"]["createPaymentBatch"]["id"].clone();
    let items = "mutation($id: Int!, $items: [BatchItemInput!]!) { setPaymentBatchItems(id: $id, items: $items) { batch { enteredCount enteredSum } items { accountNumber opening } } }";
    let row = |n: &str, a: &str| json!({ "accountNumber": n, "amount": a, "paidOn": day(4) });
    let r = app
        .gql(
            items,
            json!({ "id": batch, "items": [row(&number, "10"), row("999999", "20")] }),
        )
        .await;
    assert_eq!(error(&r).1, "items[1].accountNumber", "{r}");
    let r = app
        .gql(items, json!({ "id": batch, "items": [row(&number, "10")] }))
        .await;
    assert_eq!(
        r["data"]["setPaymentBatchItems"]["items"][0]["opening"], "0",
        "{r}"
    );
    let post = "mutation($id: Int!) { postPaymentBatch(id: $id) { state postedAt } }";
    let r = app.gql(post, json!({ "id": batch })).await;
    assert_eq!(
        (error(&r).0.as_str(), error(&r).1.as_str()),
        ("VALIDATION", "controlCount"),
        "{r}"
    );
    let r = app
        .gql(
            items,
            json!({ "id": batch, "items": [row(&number, "10"), row("100002", "25")] }),
        )
        .await;
    assert_eq!(
        r["data"]["setPaymentBatchItems"]["batch"],
        json!({ "enteredCount": 2, "enteredSum": "35.00" }),
        "{r}"
    );
    let r = app.gql(post, json!({ "id": batch })).await;
    assert_eq!(error(&r).1, "controlSum", "{r}");
    app.gql(
        items,
        json!({ "id": batch, "items": [row(&number, "10"), row("100002", "20")] }),
    )
    .await;
    let r = app.gql(post, json!({ "id": batch })).await;
    assert_eq!(r["data"]["postPaymentBatch"]["state"], "posted", "{r}");
    let r = find(json!({ "batchId": batch })).await;
    assert_eq!(
        r["data"]["payments"]["totals"],
        json!({ "count": 2, "amount": "30.00" }),
        "{r}"
    );
    let r = app.gql(items, json!({ "id": batch, "items": [] })).await;
    assert_eq!(error(&r).0, "CONFLICT", "a posted batch is not edited: {r}");
    let del = "mutation($id: Int!) { deletePaymentBatch(id: $id) }";
    assert_eq!(
        error(&app.gql(del, json!({ "id": batch })).await).0,
        "CONFLICT"
    );
    let r = app
        .gql(
            "mutation($id: Int!) { cancelPaymentBatch(id: $id) { state } }",
            json!({ "id": batch }),
        )
        .await;
    assert_eq!(r["data"]["cancelPaymentBatch"]["state"], "cancelled", "{r}");
    assert_eq!(
        find(json!({ "batchId": batch })).await["data"]["payments"]["totals"]["count"],
        0
    );
    assert_eq!(
        app.gql(del, json!({ "id": batch })).await["data"]["deletePaymentBatch"],
        true
    );
    let r = app.gql("{ paymentBatches { id } }", json!({})).await;
    assert_eq!(r["data"]["paymentBatches"], json!([]), "{r}");

    // The list found exports to XLSX as on screen.
    let worker = app.start_worker(app.state.clone(), "payments-export");
    let r = app
        .gql(
            "mutation($f: PaymentFilter) { requestListExport(input: {list: PAYMENTS, payments: $f, lang: \"uk\"}) { id } }",
            json!({ "f": { "subscriber": number } }),
        )
        .await;
    let id = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(60)).await;
    assert_eq!(job["result"]["rows"], 2, "{job}");
    let sheet = download_sheet(&app, &id).await;
    assert_eq!(sheet.len(), 3, "{sheet:?}");
    assert_eq!(sheet[0][0], "ОР");
    assert!(sheet[1..].iter().all(|r| r[0] == number), "{sheet:?}");
    // The kind in words of the export's language, not the stored code.
    assert!(
        sheet[1..].iter().all(|r| r[7] == "Банк" || r[7] == "Каса"),
        "{sheet:?}"
    );
    worker.stop().await;

    // Permissions and audit.
    let viewer = app
        .login(&format!("{}.viewer", app.tenant), crate::helpers::PASSWORD)
        .await;
    let r = app.gql_as(Some(&viewer), PAY, with(json!({}))).await;
    assert_eq!(error(&r).0, "FORBIDDEN", "{r}");
    let actions = app.audit_actions("payment", None).await;
    assert!(
        actions.iter().filter(|a| *a == "create").count() >= 5,
        "{actions:?}"
    );
    assert!(actions.contains(&"cancel".to_owned()), "{actions:?}");
    let actions = app.audit_actions("payment_batch", None).await;
    for a in ["create", "update", "post", "cancel", "delete"] {
        assert!(actions.contains(&a.to_owned()), "{a}: {actions:?}");
    }

    // Once the period is closed its payments stay as they are.
    let next = open + Months::new(1);
    sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".periods SET state = 'closed' WHERE month = DATE '{open}'; \
         INSERT INTO \"{{s}}\".periods (month, state) VALUES (DATE '{next}', 'open')"
        ),
    )
    .await;
    let live =
        find(json!({ "subscriber": number })).await["data"]["payments"]["rows"][0]["id"].clone();
    let r = app.gql(cancel, json!({ "id": live })).await;
    assert_eq!(error(&r).0, "PERIOD_CLOSED", "{r}");
}

const UPLOAD: &str = "mutation($file: Upload!, $t: Int!, $b: Int, $r: NaiveDate!) { uploadPaymentFile(file: $file, templateId: $t, bankId: $b, receivedOn: $r) { id } }";

async fn upload(app: &TestApp, vars: Value, name: &str, bytes: &[u8]) -> Value {
    let r = app.upload_gql(UPLOAD, vars, name, bytes).await;
    match r["data"]["uploadPaymentFile"]["id"].as_str() {
        Some(id) => app.wait_job(id, Duration::from_secs(60)).await,
        None => r,
    }
}

/// The count and sum of the live payments that came from bank files.
async fn file_totals(app: &TestApp) -> Value {
    let r = app
        .gql(
            "{ payments(filter: {source: FILE}) { totals { count amount } } }",
            json!({}),
        )
        .await;
    r["data"]["payments"]["totals"].clone()
}

fn cp1251(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1251.encode(text).0.into_owned()
}

#[tokio::test]
async fn a_bank_file_is_posted_once_with_its_protocol() {
    let app = TestApp::spawn().await;
    let (open, prev) = periods();
    for n in ["100001", "100002", "100004"] {
        invoice(&app, n, prev).await;
    }
    sql(
        &app,
        "INSERT INTO \"{s}\".banks (code, name) VALUES ('osch', 'Ощадбанк')",
    )
    .await;
    let bank = app
        .gql("{ referenceBook(book: BANKS) { items { id } } }", json!({}))
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let templates = app
        .gql(
            "{ paymentTemplates { id name format encoding } }",
            json!({}),
        )
        .await;
    let registry = templates["data"]["paymentTemplates"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|t| t["encoding"] == "cp1251" && t["format"] == "csv")
        })
        .map(|t| t["id"].clone())
        .unwrap_or_else(|| panic!("{templates}"));
    let worker = app.start_worker(app.state.clone(), "payments-1");

    let d = |date: NaiveDate| date.format("%d-%m-%Y").to_string();
    let paid = d(prev.with_day(27).unwrap_or(prev));
    let early = d(prev - Months::new(1));
    let text = format!(
        "#FILESUM 262,00\n#FILELINES 6\n#SERVICE 7\n\
         {paid};10:01;D1;1;100001;Коваленко О.;Київ;;100,00\n\
         {paid};10:02;D2;1;100002;Петренко;Київ;;50,00\n\
         {paid};10:03;D3;1;999999;Невідомий;Київ;;7,00\n\
         {paid};10:04;D4;1;100003;Сидоренко;Київ;;abc\n\
         {early};10:05;D5;1;100004;Мельник;Київ;;5,00\n\
         {paid};10:06;D1;1;100001;Коваленко О.;Київ;;100,00\n"
    );
    let vars =
        json!({ "t": registry, "b": bank, "r": open.with_day(3).unwrap_or(open).to_string() });
    let job = upload(&app, vars.clone(), "reestr.txt", &cp1251(&text)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    let res = &job["result"];
    assert_eq!(
        (
            res["rows"].as_i64(),
            res["loaded"].as_i64(),
            res["refusedCount"].as_i64()
        ),
        (Some(6), Some(2), Some(4)),
        "{job}"
    );
    assert_eq!(res["amountLoaded"], "150.00", "{job}");
    let reasons: Vec<(i64, String)> = res["refused"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|r| {
                    (
                        r["line"].as_i64().unwrap_or(0),
                        r["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        reasons,
        vec![
            (6, "особовий рахунок: не знайдено".to_owned()),
            (7, "сума: не є числом".to_owned()),
            (
                8,
                format!("дата оплати: не може бути раніше першого дня періоду нарахувань ({prev})")
            ),
            (9, "документ: та сама оплата двічі у файлі".to_owned()),
        ],
        "{job}"
    );
    let file = res["fileId"].clone();

    // The registry row and the protocol.
    let r = app
        .gql("{ paymentFiles { id fileName bankName state rowsTotal rowsLoaded amountLoaded rowsRefused } }", json!({}))
        .await;
    assert_eq!(
        r["data"]["paymentFiles"][0],
        json!({ "id": file, "fileName": "reestr.txt", "bankName": "Ощадбанк", "state": "loaded", "rowsTotal": 6,
                "rowsLoaded": 2, "amountLoaded": "150.00", "rowsRefused": 4 }),
        "{r}"
    );
    let sheet = download_sheet(&app, job["id"].as_str().unwrap_or_default()).await;
    assert_eq!(
        sheet.len(),
        5,
        "the heading and the four refused rows: {sheet:?}"
    );
    assert_eq!(sheet[1][5], "особовий рахунок: не знайдено", "{sheet:?}");

    // The same file again is refused at once; the same payment in another file is not paid twice.
    let r = app
        .upload_gql(UPLOAD, vars.clone(), "reestr-copy.txt", &cp1251(&text))
        .await;
    assert_eq!(error(&r).0, "CONFLICT", "{r}");
    assert!(error(&r).2.contains("reestr.txt"), "{r}");
    let again = format!("#FILESUM 100,00\n{paid};11:00;D1;1;100001;Коваленко О.;Київ;;100,00\n");
    let job2 = upload(&app, vars.clone(), "reestr-2.txt", &cp1251(&again)).await;
    assert_eq!(
        (
            job2["result"]["loaded"].as_i64(),
            job2["result"]["refusedCount"].as_i64()
        ),
        (Some(0), Some(1)),
        "{job2}"
    );
    assert_eq!(
        job2["result"]["refused"][0]["reason"],
        "документ: цю оплату вже завантажено з іншого файлу"
    );

    // A file that does not add up is refused whole: nothing of it is paid.
    let bad = format!("#FILESUM 999,00\n{paid};12:00;D9;1;100002;Петренко;Київ;;50,00\n");
    let job3 = upload(&app, vars.clone(), "bad.txt", &cp1251(&bad)).await;
    assert_eq!(job3["state"], "DONE", "{job3}");
    assert_eq!(job3["result"]["loaded"], 0, "{job3}");
    assert_eq!(
        job3["result"]["message"],
        "файл: контрольна сума 999.00 не збігається з сумою рядків 50.00",
        "{job3}"
    );
    let broken = upload(
        &app,
        json!({ "t": registry, "r": vars["r"] }),
        "broken.txt",
        b"#FILESUM abc\n",
    )
    .await;
    assert!(
        broken["result"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("«abc»")),
        "{broken}"
    );
    assert_eq!(
        file_totals(&app).await,
        json!({ "count": 2, "amount": "150.00" })
    );

    // A refused row matched by hand to the right account.
    let a5 = account_id(&app, "100005").await;
    // Paid by hand with a key, twice at once (a double click): one payment.
    let matching = "mutation($f: Int!, $a: Int!) { matchPaymentFileRow(fileId: $f, line: 6, accountId: $a, \
                    idempotencyKey: \"match-row-6-of-file\") { id accountNumber amount } }";
    let (r, twice) = tokio::join!(
        app.gql(matching, json!({ "f": file, "a": a5 })),
        app.gql(matching, json!({ "f": file, "a": a5 }))
    );
    assert_eq!(
        r["data"]["matchPaymentFileRow"]["id"], twice["data"]["matchPaymentFileRow"]["id"],
        "{r} {twice}"
    );
    assert_eq!(
        (
            &r["data"]["matchPaymentFileRow"]["accountNumber"],
            &r["data"]["matchPaymentFileRow"]["amount"]
        ),
        (&json!("100005"), &json!("7.00")),
        "{r}"
    );
    let r = app
        .gql("query($f: Int!) { paymentFileRows(fileId: $f, refusedOnly: true) { line } paymentFile(id: $f) { rowsLoaded amountLoaded } }", json!({ "f": file }))
        .await;
    assert_eq!(
        r["data"]["paymentFileRows"],
        json!([{ "line": 7 }, { "line": 8 }, { "line": 9 }]),
        "{r}"
    );
    assert_eq!(
        r["data"]["paymentFile"],
        json!({ "rowsLoaded": 3, "amountLoaded": "157.00" }),
        "{r}"
    );

    // One audit row per upload and per posting, with the file's fingerprint.
    let actions = app
        .audit_actions("payment_file", Some(file.to_string()))
        .await;
    assert_eq!(actions, vec!["post".to_owned(), "upload".to_owned()]);
    worker.stop().await;
}

/// A double click, a retry after a lost answer, two requests at once: the same key pays
/// once and returns the first payment; the key reused for another payment is refused; a
/// batch posted twice with its key posts once; a refused row paid by hand twice, once.
#[tokio::test]
async fn the_same_idempotency_key_pays_once() {
    let app = TestApp::spawn().await;
    let (open, prev) = periods();
    let a = account_id(&app, "100001").await;
    invoice(&app, "100001", prev).await;
    let today = chrono::Utc::now().date_naive().max(open);
    let input = |key: &str, amount: &str| {
        json!({ "i": { "accountId": a, "amount": amount, "kind": "CASH_DESK", "paidOn": today,
                       "receivedOn": today, "idempotencyKey": key } })
    };
    let first = app.gql(PAY, input("key-0001-abcdef", "150.00")).await;
    let id = first["data"]["createPayment"]["payment"]["id"].clone();
    assert!(id.is_number(), "{first}");
    let again = app.gql(PAY, input("key-0001-abcdef", "150.00")).await;
    assert_eq!(
        again["data"]["createPayment"]["payment"]["id"], id,
        "{again}"
    );
    // Two at once: both answers name one payment.
    let (x, y) = tokio::join!(
        app.gql(PAY, input("key-0002-abcdef", "75.50")),
        app.gql(PAY, input("key-0002-abcdef", "75.50"))
    );
    assert_eq!(
        x["data"]["createPayment"]["payment"]["id"], y["data"]["createPayment"]["payment"]["id"],
        "{x} {y}"
    );
    let count = |n: &str| {
        format!("SELECT count(*) FROM \"{{s}}\".payments WHERE account_id = {a} AND amount = {n}")
    };
    crate::helpers::sql_expect(&app, &count("150.00"), 1).await;
    crate::helpers::sql_expect(&app, &count("75.50"), 1).await;
    // The key of the first payment for another amount: refused, nothing written.
    let other = app.gql(PAY, input("key-0001-abcdef", "99.00")).await;
    assert_eq!(error(&other).0, "CONFLICT", "{other}");
    crate::helpers::sql_expect(&app, &count("99.00"), 0).await;
    let bad = app.gql(PAY, input("short", "10.00")).await;
    assert_eq!(error(&bad).1, "idempotencyKey", "{bad}");

    // A batch posted twice with its key: the second answer is the posted batch.
    let b = app
        .gql(
            "mutation($i: BatchInput!) { createPaymentBatch(input: $i) { id } }",
            json!({ "i": { "number": "IK-1", "batchDate": today, "kind": "CASH_DESK",
                           "controlCount": 1, "controlSum": "20" } }),
        )
        .await;
    let batch = b["data"]["createPaymentBatch"]["id"].clone();
    let items = app
        .gql(
            "mutation($id: Int!, $items: [BatchItemInput!]!) { setPaymentBatchItems(id: $id, items: $items) { batch { enteredCount } } }",
            json!({ "id": batch, "items": [{ "accountNumber": "100001", "amount": "20", "paidOn": today }] }),
        )
        .await;
    assert!(items["errors"].is_null(), "{items}");
    let post = "mutation($id: Int!, $k: String) { postPaymentBatch(id: $id, idempotencyKey: $k) { state } }";
    let (p1, p2) = tokio::join!(
        app.gql(post, json!({ "id": batch, "k": "post-batch-IK-1" })),
        app.gql(post, json!({ "id": batch, "k": "post-batch-IK-1" }))
    );
    for p in [&p1, &p2] {
        assert_eq!(p["data"]["postPaymentBatch"]["state"], "posted", "{p}");
    }
    crate::helpers::sql_expect(&app, &count("20.00"), 1).await;
    // Without the key a second post is refused as before.
    let p3 = app.gql(post, json!({ "id": batch, "k": null })).await;
    assert!(!p3["errors"].is_null(), "{p3}");
}

#[tokio::test]
async fn the_payment_form_defaults_follow_the_accounts_invoice() {
    let app = TestApp::spawn().await;
    let (_, _, account, _) = crate::meters::setup(&app).await;
    let xvs = crate::readings::xvs(&app).await;
    let open = app.gql("{ openPeriod }", json!({})).await["data"]["openPeriod"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let first = chrono::NaiveDate::parse_from_str(&format!("{open}-01"), "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{e}"));
    let prev = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let invoice = |period: chrono::NaiveDate, closing: &str| {
        format!(
            "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
             VALUES ({account}, DATE '{period}', now(), 0, {closing}, 0, 0, 0, 0, 0, {closing}); \
             INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                    recalculation, benefit, subsidy, penalty, paid, closing, steps) \
             VALUES (DATE '{period}', {account}, {xvs}, 'metered', 8.6, 28.5465, 0, {closing}, 0, 0, 0, 0, 0, {closing}, '[]')"
        )
    };
    // With penalty accounting only the previous period may be paid: that is the default.
    sql(
        &app,
        "UPDATE {s}.billing_settings SET penalty_rule = 'ukraine'",
    )
    .await;
    sql(&app, &invoice(first, "245.5")).await;
    let number = app.account_number(account).await;
    let q = "query($n: String!, $c: String) { paymentDue(accountNumber: $n, chargePeriod: $c) { chargePeriod due paid toPay lines { code due } } }";
    let r = app.gql(q, json!({ "n": number })).await;
    assert_eq!(
        r["data"]["paymentDue"]["chargePeriod"],
        prev.to_string(),
        "{r}"
    );
    // Without it, a new account's only invoice is this month's: that is the default, not
    // an empty month.
    sql(&app, "UPDATE {s}.billing_settings SET penalty_rule = 'off'").await;
    let r = app.gql(q, json!({ "n": number })).await;
    let d = &r["data"]["paymentDue"];
    assert_eq!(d["chargePeriod"], first.to_string(), "{r}");
    assert_eq!(d["toPay"], "245.50", "{r}");
    assert_eq!(
        d["lines"],
        json!([{ "code": "xvs", "due": "245.50" }]),
        "{r}"
    );
    // With last month's invoice too, that one is paid by default (seed 001 §4.7.3), less
    // what was already paid for it.
    sql(&app, &invoice(prev, "100")).await;
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".payments (account_id, period, charge_period, amount, kind, paid_on, received_on, created_by, created_at) \
         VALUES ({account}, DATE '{first}', DATE '{prev}', 30, 'cash_desk', DATE '{first}', DATE '{first}', 'test', now())"
    ))
    .await;
    let r = app.gql(q, json!({ "n": number })).await;
    let d = &r["data"]["paymentDue"];
    assert_eq!(d["chargePeriod"], prev.to_string(), "{r}");
    assert_eq!(
        (&d["paid"], &d["toPay"]),
        (&json!("30.00"), &json!("70.00")),
        "{r}"
    );
    // A period the user chose stands, invoice or not.
    let r = app.gql(q, json!({ "n": number, "c": "2020-01" })).await;
    let d = &r["data"]["paymentDue"];
    assert_eq!(d["chargePeriod"], "2020-01-01", "{r}");
    assert!(d["toPay"].is_null() && d["lines"] == json!([]), "{r}");
}

/// A 1C ClientBankExchange statement of the settlement account the invoices print: only
/// its incoming documents to that account are paid, each to the account its purpose (or
/// `Код`) names; the tenant's own payments and money to other accounts are listed as
/// skipped; a statement whose balances do not add up pays nothing.
#[tokio::test]
async fn a_1c_statement_pays_exactly_the_incoming_documents_to_the_tenants_account() {
    const OWN: &str = "40702810900000012345";
    const OTHER: &str = "40702810000000077777";
    let app = TestApp::spawn().await;
    let (open, prev) = periods();
    for n in ["100001", "100002"] {
        invoice(&app, n, prev).await;
    }
    let (a1, a2) = (
        account_id(&app, "100001").await,
        account_id(&app, "100002").await,
    );
    sql(
        &app,
        &format!("UPDATE \"{{s}}\".invoice_settings SET account = '{OWN}'"),
    )
    .await;
    let templates = app
        .gql("{ paymentTemplates { id format ownAccount } }", json!({}))
        .await;
    let statement_template = templates["data"]["paymentTemplates"]
        .as_array()
        .and_then(|l| l.iter().find(|t| t["format"] == "1c"))
        .map(|t| t["id"].clone())
        .unwrap_or_else(|| panic!("{templates}"));
    let worker = app.start_worker(app.state.clone(), "payments-1c");
    let paid = prev.with_day(27).unwrap_or(prev).format("%d.%m.%Y");
    let doc = |n: u32, sum: &str, payer: &str, to: &str, extra: &str| {
        format!(
            "СекцияДокумент=Платежное поручение\r\nНомер={n}\r\nДата={paid}\r\nСумма={sum}\r\n\
             ПлательщикСчет={payer}\r\nПлательщик1=Плательщик {n}\r\nПолучательСчет={to}\r\n{extra}КонецДокумента\r\n"
        )
    };
    let statement = |closing: &str| {
        format!(
            "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\nОтправитель=Сбербанк Онлайн\r\n\
             СекцияРасчСчет\r\nРасчСчет={OWN}\r\nНачальныйОстаток=1000.00\r\nВсегоПоступило=157.00\r\n\
             ВсегоСписано=300.00\r\nКонечныйОстаток={closing}\r\nКонецРасчСчет\r\n{}{}{}{}{}КонецФайла\r\n",
            doc(
                11,
                "100.00",
                "40817810000000000001",
                OWN,
                "НазначениеПлатежа=Оплата ЖКУ, ЛС: 100001\r\n"
            ),
            doc(
                12,
                "50.00",
                "40817810000000000002",
                OWN,
                "Код=100002\r\nНазначениеПлатежа=за воду\r\n"
            ),
            doc(13, "300.00", OWN, OTHER, "НазначениеПлатежа=Аренда\r\n"),
            doc(
                14,
                "55.00",
                "40817810000000000003",
                OTHER,
                "НазначениеПлатежа=ЛС 100001\r\n"
            ),
            doc(
                15,
                "7.00",
                "40817810000000000004",
                OWN,
                "НазначениеПлатежа=л/с 999999\r\n"
            ),
        )
    };
    let vars =
        json!({ "t": statement_template, "r": open.with_day(3).unwrap_or(open).to_string() });
    let job = upload(
        &app,
        vars.clone(),
        "kl_to_1c.txt",
        &cp1251(&statement("857.00")),
    )
    .await;
    assert_eq!(job["state"], "DONE", "{job}");
    let res = &job["result"];
    assert_eq!(
        (
            res["rows"].as_i64(),
            res["loaded"].as_i64(),
            res["refusedCount"].as_i64(),
            res["skippedCount"].as_i64(),
            res["amountLoaded"].as_str()
        ),
        (Some(3), Some(2), Some(1), Some(2), Some("150.00")),
        "{job}"
    );
    let rows = app
        .gql(
            "{ payments(filter: {source: FILE}) { rows { accountId amount statement } } }",
            json!({}),
        )
        .await;
    let mut paid_to: Vec<(i64, String, String)> = rows["data"]["payments"]["rows"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|r| {
                    (
                        r["accountId"].as_i64().unwrap_or(0),
                        r["amount"].as_str().unwrap_or_default().to_owned(),
                        r["statement"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    paid_to.sort();
    let mut want = vec![
        (a1, "100.00".to_owned(), format!("11 {paid}")),
        (a2, "50.00".to_owned(), format!("12 {paid}")),
    ];
    want.sort();
    assert_eq!(paid_to, want, "{rows}");
    let file = res["fileId"].clone();
    let r = app
        .gql_lang(
            "uk",
            "query($f: Int!) { paymentFileRows(fileId: $f, refusedOnly: true) { line outcome reason amount } \
             paymentFile(id: $f) { rowsTotal rowsLoaded rowsRefused rowsSkipped } }",
            json!({ "f": file }),
        )
        .await;
    let protocol: Vec<(String, String, String)> = r["data"]["paymentFileRows"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|x| {
                    (
                        x["outcome"].as_str().unwrap_or_default().to_owned(),
                        x["amount"].as_str().unwrap_or_default().to_owned(),
                        x["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        protocol,
        vec![
            (
                "skipped".to_owned(),
                "300.00".to_owned(),
                "документ: вихідний (платить власний рахунок організації)".to_owned()
            ),
            (
                "skipped".to_owned(),
                "55.00".to_owned(),
                format!("документ: зараховано на інший рахунок {OTHER}")
            ),
            (
                "refused".to_owned(),
                "7.00".to_owned(),
                "особовий рахунок: не знайдено".to_owned()
            ),
        ],
        "{r}"
    );
    assert_eq!(
        r["data"]["paymentFile"],
        json!({ "rowsTotal": 3, "rowsLoaded": 2, "rowsRefused": 1, "rowsSkipped": 2 }),
        "{r}"
    );
    // The skipped documents are in the XLSX protocol too.
    let sheet = download_sheet(&app, job["id"].as_str().unwrap_or_default()).await;
    assert_eq!(sheet.len(), 4, "the heading and three rows: {sheet:?}");

    // Balances that do not add up: the statement pays nothing.
    let job = upload(
        &app,
        vars.clone(),
        "bad_1c.txt",
        &cp1251(&statement("900.00")),
    )
    .await;
    assert_eq!(
        (job["result"]["loaded"].as_i64(), job["result"]["message"].as_str()),
        (
            Some(0),
            Some(
                format!(
                    "файл: залишки рахунку {OWN} не сходяться: початковий + надійшло − списано ≠ кінцевий"
                )
                .as_str()
            )
        ),
        "{job}"
    );

    // A template of another settlement account, one the statement has no section of.
    let save = "mutation($i: TemplateInput!) { savePaymentTemplate(input: $i) { id ownAccount } }";
    let input = |own: &str| {
        json!({ "name": "1C Альфа", "format": "1c", "encoding": "cp1251", "ownAccount": own,
                "fields": { "account": {}, "amount": {} } })
    };
    let r = app.gql(save, json!({ "i": input("4070-2810") })).await;
    assert_eq!(
        (error(&r).0.as_str(), error(&r).1.as_str()),
        ("VALIDATION", "ownAccount"),
        "{r}"
    );
    let r = app
        .gql(save, json!({ "i": input("40702 810 5000 0000 0001") }))
        .await;
    let alfa = r["data"]["savePaymentTemplate"]["id"].clone();
    assert_eq!(
        r["data"]["savePaymentTemplate"]["ownAccount"], "40702810500000000001",
        "spaces dropped: {r}"
    );
    let job = upload(
        &app,
        json!({ "t": alfa, "r": vars["r"] }),
        "alfa_1c.txt",
        &cp1251(&statement("857.00").replace("Сбербанк", "Альфа")),
    )
    .await;
    assert_eq!(
        job["result"]["message"], "файл: у виписці немає секції рахунку 40702810500000000001",
        "{job}"
    );
    assert_eq!(
        file_totals(&app).await,
        json!({ "count": 2, "amount": "150.00" })
    );
    worker.stop().await;
}

/// A DBF registry (cp866) through the shipped template: rows paid, a stranger refused.
#[tokio::test]
async fn a_dbf_registry_in_cp866_is_paid_through_its_template() {
    let app = TestApp::spawn().await;
    let (open, prev) = periods();
    invoice(&app, "100001", prev).await;
    let templates = app
        .gql("{ paymentTemplates { id format } }", json!({}))
        .await;
    let dbf = templates["data"]["paymentTemplates"]
        .as_array()
        .and_then(|l| l.iter().find(|t| t["format"] == "dbf"))
        .map(|t| t["id"].clone())
        .unwrap_or_else(|| panic!("{templates}"));
    let cp866 = |t: &str| encoding_rs::IBM866.encode(t).0.into_owned();
    let day = prev
        .with_day(27)
        .unwrap_or(prev)
        .format("%Y%m%d")
        .to_string();
    let bytes = payments::file::write_dbf(
        &[
            ("LS", b'C', 10),
            ("FIO", b'C', 30),
            ("SUMMA", b'N', 12),
            ("DATA", b'D', 8),
        ],
        &[
            vec![
                b"100001".to_vec(),
                cp866("Коваленко О."),
                b"80.25".to_vec(),
                day.clone().into_bytes(),
            ],
            vec![
                b"999999".to_vec(),
                cp866("Неизвестный"),
                b"5.00".to_vec(),
                day.into_bytes(),
            ],
        ],
        0x26,
    );
    let worker = app.start_worker(app.state.clone(), "payments-dbf");
    let vars = json!({ "t": dbf, "r": open.with_day(3).unwrap_or(open).to_string() });
    let job = upload(&app, vars, "ZVIT.DBF", &bytes).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(
        (
            job["result"]["loaded"].as_i64(),
            job["result"]["refusedCount"].as_i64(),
            job["result"]["amountLoaded"].as_str()
        ),
        (Some(1), Some(1), Some("80.25")),
        "{job}"
    );
    assert_eq!(
        job["result"]["refused"][0]["payer"], "Неизвестный",
        "the cp866 name read: {job}"
    );
    worker.stop().await;
}
