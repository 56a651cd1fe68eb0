//! Data imports: a migration loaded from files as a new tenant would — accounts with their
//! addresses (a file with bad rows refused whole, then the corrected one checked and
//! posted), residents from a cp866 DBF (rows independent: the bad ones skipped), the meter
//! registry from a workbook (added, then replaced), opening balances from a ZIP of two
//! files with their reconciliation totals; the same file twice refused, the protocol in the
//! uploader's language and as XLSX.

use std::io::Write;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, download_sheet, sql_number, sql_text};

const UPLOAD: &str = "mutation($kind: ImportKind!, $t: Int!, $file: Upload!, $post: Boolean!, $replace: Boolean!) { \
    uploadImport(kind: $kind, templateId: $t, file: $file, post: $post, replace: $replace) { id } }";

async fn template(app: &TestApp, kind: &str, name: &str) -> i64 {
    let r = app
        .gql(
            "query($k: ImportKind) { importTemplates(kind: $k) { id name } }",
            json!({ "k": kind }),
        )
        .await;
    r["data"]["importTemplates"]
        .as_array()
        .and_then(|l| l.iter().find(|t| t["name"] == name))
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no template {name}: {r}"))
}

/// Uploads and waits for the job; the job (or the error answer).
async fn upload(
    app: &TestApp,
    kind: &str,
    t: i64,
    name: &str,
    bytes: &[u8],
    post: bool,
    replace: bool,
) -> Value {
    let vars = json!({ "kind": kind, "t": t, "post": post, "replace": replace });
    let r = app.upload_gql(UPLOAD, vars, name, bytes).await;
    match r["data"]["uploadImport"]["id"].as_str() {
        Some(id) => {
            let job = app.wait_job(id, Duration::from_secs(60)).await;
            assert_eq!(job["state"], "DONE", "{job}");
            job
        }
        None => r,
    }
}

fn file(job: &Value, i: usize) -> Value {
    job["result"]["files"][i].clone()
}

fn skipped(f: &Value) -> Vec<String> {
    f["skippedRows"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|r| {
                    format!(
                        "{}: {}",
                        r["line"],
                        r["reason"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn cp866(text: &str) -> Vec<u8> {
    encoding_rs::IBM866.encode(text).0.into_owned()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        w.write_all(data).unwrap_or_else(|e| panic!("{e}"));
    }
    w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

const ACCOUNTS_BAD: &str = "ЛС;Місто;Вулиця;Будинок;Кв;ПІБ;Тип;Площа;Мешканців;Послуги\n\
    900001;Київ;Садова;1;5;Петренко Іван Петрович;individual;52,4;2;xvs,utr\n\
    100001;Київ;Садова;1;6;Коваль Ольга;individual;40;1;xvs\n\
    900003;Київ;Садова;1;7;Бондар Андрій;хтось;40;1;xvs\n\
    900004;Київ;Садова;1;8;Мельник Ірина;individual;40;1;xvs,nope\n";

const ACCOUNTS_GOOD: &str = "ЛС;Місто;Вулиця;Будинок;Кв;ПІБ;Тип;Площа;Мешканців;Послуги\n\
    900001;Київ;Садова;1;5;Петренко Іван Петрович;individual;52,4;2;xvs,utr\n\
    900002;Київ;Садова;1;6;Коваль Ольга;individual;40;0;xvs\n\
    900003;Ірпінь;Миру;12;;ТОВ \"Ромашка\";legal;120;0;xvs\n";

#[tokio::test]
async fn a_migration_loads_accounts_residents_meters_and_balances_from_files() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "imports-migration");
    let csv = |k: &'static str| template(&app, k, "CSV (UTF-8, ;)");
    let accounts_csv = csv("ACCOUNTS").await;
    let before = sql_number(&app, "SELECT count(*) FROM \"{s}\".accounts").await;

    // Bad rows: the whole file refused, each row's reason named (in Ukrainian: the uploader's).
    let job = upload(
        &app,
        "ACCOUNTS",
        accounts_csv,
        "accounts.csv",
        ACCOUNTS_BAD.as_bytes(),
        true,
        false,
    )
    .await;
    let f = file(&job, 0);
    assert_eq!(f["state"], "refused", "{job}");
    assert_eq!(f["rows"], 4);
    assert_eq!(f["skipped"], 3);
    let reasons = skipped(&f);
    assert!(
        reasons[0].starts_with("3: ") && reasons[0].contains("100001 уже існує"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("4: ") && reasons[1].contains("має бути individual"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].starts_with("5: ") && reasons[2].contains("немає послуги nope"),
        "{reasons:?}"
    );
    assert!(
        f["message"].as_str().unwrap_or_default().contains("3 з 4"),
        "{f}"
    );
    assert_eq!(
        sql_number(&app, "SELECT count(*) FROM \"{s}\".accounts").await,
        before
    );
    let sheet = download_sheet(&app, job["id"].as_str().unwrap_or_default()).await;
    assert!(
        sheet
            .iter()
            .any(|r| r.iter().any(|c| c.contains("немає послуги nope"))),
        "{sheet:?}"
    );

    // The corrected file: checked (nothing written), then posted.
    let job = upload(
        &app,
        "ACCOUNTS",
        accounts_csv,
        "accounts.csv",
        ACCOUNTS_GOOD.as_bytes(),
        false,
        false,
    )
    .await;
    let f = file(&job, 0);
    assert_eq!(
        (f["state"].as_str(), f["skipped"].as_i64()),
        (Some("checked"), Some(0)),
        "{job}"
    );
    assert_eq!(f["totals"]["accounts"], 3);
    assert_eq!(
        sql_number(&app, "SELECT count(*) FROM \"{s}\".accounts").await,
        before
    );
    let again = upload(
        &app,
        "ACCOUNTS",
        accounts_csv,
        "again.csv",
        ACCOUNTS_GOOD.as_bytes(),
        false,
        false,
    )
    .await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );
    let posted = app
        .gql(
            "mutation($ids: [Int!]!) { postImports(fileIds: $ids) { id } }",
            json!({ "ids": [f["id"]] }),
        )
        .await;
    let id = posted["data"]["postImports"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{posted}"));
    let job = app.wait_job(id, Duration::from_secs(60)).await;
    assert_eq!(file(&job, 0)["state"], "posted", "{job}");
    assert_eq!(
        sql_number(&app, "SELECT count(*) FROM \"{s}\".accounts").await,
        before + 3
    );
    assert_eq!(
        sql_text(
            &app,
            "SELECT address FROM \"{s}\".accounts WHERE number = '900001'"
        )
        .await,
        "Київ, Садова, 1, кв. 5"
    );
    assert_eq!(
        sql_text(&app, "SELECT address || ' / ' || account_type || ' / ' || holder_name FROM \"{s}\".accounts WHERE number = '900003'").await,
        "Ірпінь, Миру, 12 / legal / ТОВ \"Ромашка\""
    );
    assert_eq!(
        sql_text(&app, "SELECT s.last_name || ' ' || s.first_name || ' ' || s.middle_name FROM \"{s}\".accounts a \
                        JOIN \"{s}\".subscribers s ON s.id = a.subscriber_id WHERE a.number = '900001'").await,
        "Петренко Іван Петрович"
    );
    assert_eq!(
        sql_text(&app, "SELECT string_agg(v.code, ',' ORDER BY v.code) FROM \"{s}\".account_services x \
                        JOIN \"{s}\".services v ON v.id = x.service_id JOIN \"{s}\".accounts a ON a.id = x.account_id \
                        WHERE a.number = '900001'").await,
        "utr,xvs"
    );
    assert_eq!(
        sql_text(&app, "SELECT residents || ' / ' || (SELECT count(*) FROM \"{s}\".residents r WHERE r.account_id = a.id) || ' / ' || \
                        (SELECT total_area FROM \"{s}\".premises_areas x WHERE x.premises_id = a.premises_id)::numeric(8,1) \
                        FROM \"{s}\".accounts a WHERE number = '900001'").await,
        "2 / 2 / 52.4"
    );
    // Both apartments of Садова 1 are in one building.
    assert_eq!(
        sql_number(&app, "SELECT count(DISTINCT p.building_id) FROM \"{s}\".accounts a JOIN \"{s}\".premises p ON p.id = a.premises_id \
                          WHERE a.number IN ('900001', '900002')").await,
        1
    );
    let kinds = app
        .gql(
            "{ importKinds { kind loaded { records filesPosted } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        kinds["data"]["importKinds"][2]["kind"], "ACCOUNTS",
        "{kinds}"
    );
    assert_eq!(
        kinds["data"]["importKinds"][2]["loaded"]["filesPosted"], 1,
        "{kinds}"
    );

    // Residents from counts, a cp866 DBF named by its fields: rows stand alone.
    let dbf = payments::file::write_dbf(
        &[("LS", b'C', 10), ("KOLZAR", b'N', 3), ("KOLPR", b'N', 3)],
        &[
            vec![b"900002".to_vec(), b"3".to_vec(), b"2".to_vec()],
            vec![b"900001".to_vec(), b"1".to_vec(), b"1".to_vec()],
            vec![b"777777".to_vec(), b"1".to_vec(), b"1".to_vec()],
        ],
        0x26,
    );
    let job = upload(
        &app,
        "RESIDENTS",
        template(&app, "RESIDENTS", "DBF (cp866)").await,
        "zhyl.dbf",
        &dbf,
        true,
        false,
    )
    .await;
    let f = file(&job, 0);
    assert_eq!(
        (
            f["state"].as_str(),
            f["done"].as_i64(),
            f["skipped"].as_i64()
        ),
        (Some("posted"), Some(1), Some(2)),
        "{job}"
    );
    let reasons = skipped(&f);
    assert!(
        reasons[0].starts_with("2: ") && reasons[0].contains("уже має картки мешканців: 2"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("3: ") && reasons[1].contains("немає особового рахунку 777777"),
        "{reasons:?}"
    );
    assert_eq!(
        sql_text(&app, "SELECT a.residents || ' / ' || count(r.id) || ' / ' || count(r.registered_from) FROM \"{s}\".accounts a \
                        JOIN \"{s}\".residents r ON r.account_id = a.id WHERE a.number = '900002' GROUP BY a.residents").await,
        "2 / 3 / 3"
    );

    // A people list in cp866 text (DOS Russian: it has no Ukrainian і) with a bad date: that
    // row skipped.
    let people = cp866(
        "ЛС;ФИО;Дата рождения\n900003;Шевчук Мария;01.02.1980\n900003;Ткач Пётр;31.02.1980\n",
    );
    let t = template(&app, "RESIDENT_LIST", "CSV (UTF-8, ;)").await;
    let refused = upload(&app, "RESIDENT_LIST", t, "people.csv", &people, true, false).await;
    assert_eq!(
        file(&refused, 0)["state"],
        "refused",
        "a cp866 file read as UTF-8 is unreadable: {refused}"
    );
    let ts = app
        .gql(
            "mutation($i: ImportTemplateInput!) { saveImportTemplate(input: $i) { id columns { field } } }",
            json!({ "i": { "kind": "RESIDENT_LIST", "name": "Соцзахист cp866", "format": "csv", "encoding": "cp866",
                           "delimiter": ";", "skipLines": 1, "dateFormat": "%d.%m.%Y" } }),
        )
        .await;
    let t = ts["data"]["saveImportTemplate"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{ts}"));
    let people = cp866(
        "ЛС;ФИО;Дата рождения\n900003;Шевчук Мария;01.02.1980\n900003;Ткач Пётр;31.02.1980\n\n",
    );
    let job = upload(&app, "RESIDENT_LIST", t, "people.csv", &people, true, false).await;
    let f = file(&job, 0);
    assert_eq!(
        (f["done"].as_i64(), f["skipped"].as_i64()),
        (Some(1), Some(1)),
        "{job}"
    );
    assert!(skipped(&f)[0].starts_with("3: "), "{f}");
    assert_eq!(
        sql_text(&app, "SELECT full_name || ' ' || birth_date FROM \"{s}\".residents r JOIN \"{s}\".accounts a ON a.id = r.account_id \
                        WHERE a.number = '900003'").await,
        "Шевчук Мария 1980-02-01"
    );

    // The meter registry from a workbook: added; then replaced by a new meter.
    let sheet = |rows: &[[&str; 6]]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in [
            "account",
            "service",
            "serial",
            "installedOn",
            "initialReading",
            "model",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *h)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, *v)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        wb.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
    };
    let xlsx = template(&app, "METERS", "XLSX / XLS").await;
    let bad = sheet(&[
        ["900001", "xvs", "A-1", "01.12.2026", "12.5", ""],
        ["900002", "utr", "A-2", "01.12.2026", "3", ""],
        ["900003", "xvs", "A-3", "01.12.2026", "0", "Невідома"],
    ]);
    let job = upload(&app, "METERS", xlsx, "meters.xlsx", &bad, true, false).await;
    let f = file(&job, 0);
    assert_eq!(
        (f["state"].as_str(), f["skipped"].as_i64()),
        (Some("refused"), Some(2)),
        "{job}"
    );
    assert_eq!(
        sql_number(
            &app,
            "SELECT count(*) FROM \"{s}\".meters WHERE serial LIKE 'A-%'"
        )
        .await,
        0
    );
    let good = sheet(&[
        ["900001", "xvs", "A-1", "01.12.2026", "12.5", ""],
        ["900002", "xvs", "A-2", "01.12.2026", "3", ""],
    ]);
    let job = upload(&app, "METERS", xlsx, "meters2.xlsx", &good, true, false).await;
    assert_eq!(file(&job, 0)["state"], "posted", "{job}");
    assert_eq!(
        sql_text(
            &app,
            "SELECT meters || ' ' || meter_serials FROM \"{s}\".accounts WHERE number = '900001'"
        )
        .await,
        "1 A-1"
    );
    let replace = sheet(&[["900001", "xvs", "B-1", "15.12.2026", "1", ""]]);
    let job = upload(&app, "METERS", xlsx, "replace.xlsx", &replace, true, true).await;
    assert_eq!(file(&job, 0)["state"], "posted", "{job}");
    assert_eq!(
        sql_text(&app, "SELECT string_agg(serial || ':' || coalesce(removed_on::text, 'working'), ' ' ORDER BY m.id) \
                        FROM \"{s}\".meters m JOIN \"{s}\".accounts a ON a.id = m.account_id WHERE a.number = '900001'").await,
        "A-1:2026-12-15 B-1:working"
    );

    // Opening balances: a ZIP of two files, checked with the totals, then posted; the same
    // archive again changes nothing.
    let balances = zip_of(&[
        (
            "cold.csv",
            b"account;service;amount\n900001;xvs;120,50\n900002;xvs;-20.00\n" as &[u8],
        ),
        ("upkeep.csv", b"account;service;amount\n900001;utr;35\n"),
    ]);
    let bt = csv("BALANCES").await;
    let job = upload(&app, "BALANCES", bt, "saldo.zip", &balances, false, false).await;
    let (a, b) = (file(&job, 0), file(&job, 1));
    assert_eq!(
        (a["state"].as_str(), b["state"].as_str()),
        (Some("checked"), Some("checked")),
        "{job}"
    );
    assert_eq!(a["totals"]["total"], "100.50", "{a}");
    assert_eq!(a["totals"]["services"][0]["debit"], "120.50", "{a}");
    assert_eq!(a["totals"]["services"][0]["credit"], "20.00", "{a}");
    assert_eq!(
        sql_number(&app, "SELECT count(*) FROM \"{s}\".opening_balances").await,
        0
    );
    let again = upload(&app, "BALANCES", bt, "saldo.zip", &balances, false, false).await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );
    let ids = json!([a["id"], b["id"]]);
    let posted = app
        .gql(
            "mutation($ids: [Int!]!) { postImports(fileIds: $ids) { id } }",
            json!({ "ids": ids }),
        )
        .await;
    let id = posted["data"]["postImports"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{posted}"));
    app.wait_job(id, Duration::from_secs(60)).await;
    assert_eq!(
        sql_text(
            &app,
            "SELECT sum(amount)::text FROM \"{s}\".opening_balances"
        )
        .await,
        "135.50"
    );
    assert_eq!(
        sql_text(
            &app,
            "SELECT balance::text FROM \"{s}\".accounts WHERE number = '900001'"
        )
        .await,
        "155.50"
    );
    let files = app
        .gql(
            "{ importFiles(kind: BALANCES) { total rows { fileName archive state kind } } }",
            json!({}),
        )
        .await;
    assert_eq!(files["data"]["importFiles"]["total"], 2, "{files}");
    assert_eq!(
        files["data"]["importFiles"]["rows"][0]["archive"], "saldo.zip",
        "{files}"
    );
    assert_eq!(
        files["data"]["importFiles"]["rows"][0]["state"], "posted",
        "{files}"
    );
    let audit = app
        .audit_actions("import_file", Some(a["id"].to_string()))
        .await;
    assert_eq!(audit, ["post", "check", "upload"], "{audit:?}");
    worker.stop().await;
}

#[tokio::test]
async fn a_user_limited_to_a_branch_cannot_import_accounts_and_sees_only_own_files() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "imports-reach");
    let t = template(&app, "ACCOUNTS", "CSV (UTF-8, ;)").await;
    let login = format!("{}.branchop", app.tenant.as_str());
    let r = app
        .gql(
            "mutation($l: String!) { createUser(input: { login: $l, displayName: \"Філія 1\", password: \"Філія-2026-оператор\", \
              roles: [\"tenant_admin\"], branchIds: [1] }) { id } }",
            json!({ "l": login }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let token = app.login(&login, "Філія-2026-оператор").await;
    let vars = json!({ "kind": "ACCOUNTS", "t": t, "post": true, "replace": false });
    let r = app
        .upload_gql_as(
            Some(&token),
            UPLOAD,
            vars,
            "a.csv",
            ACCOUNTS_GOOD.as_bytes(),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    // The admin's file is not the branch user's to see.
    let job = upload(
        &app,
        "ACCOUNTS",
        t,
        "accounts.csv",
        ACCOUNTS_GOOD.as_bytes(),
        false,
        false,
    )
    .await;
    let id = file(&job, 0)["id"].clone();
    let seen = app
        .gql_as(Some(&token), "{ importFiles { total } }", json!({}))
        .await;
    assert_eq!(seen["data"]["importFiles"]["total"], 0, "{seen}");
    let rows = app
        .gql_as(
            Some(&token),
            "query($f: Int!) { importRows(fileId: $f) { line } }",
            json!({ "f": id }),
        )
        .await;
    assert_eq!(
        rows["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{rows}"
    );
    worker.stop().await;
}

#[tokio::test]
async fn subsidies_follow_the_templates_sewerage_rules_and_a_closed_month_refuses_the_file() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "imports-subsidies");
    // The office's combined line `stoki` is split 60/40; hot water an account lacks goes to
    // cold water (the demo's accounts have cold water and upkeep only).
    let saved = app
        .gql(
            "mutation($i: ImportTemplateInput!) { saveImportTemplate(input: $i) { id split { from to percent } fallback { from to } } }",
            json!({ "i": { "kind": "SUBSIDIES", "name": "Соцзахист", "format": "csv", "encoding": "utf-8",
                           "delimiter": ";", "skipLines": 1, "dateFormat": "%d.%m.%Y",
                           "fallback": [{ "from": "gvs", "to": "xvs" }],
                           "split": [{ "from": "stoki", "to": "xvs", "percent": "60" }, { "from": "stoki", "to": "utr", "percent": "40" }] } }),
        )
        .await;
    let t = saved["data"]["saveImportTemplate"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{saved}"));
    assert_eq!(
        saved["data"]["saveImportTemplate"]["split"][1]["percent"], "40",
        "{saved}"
    );
    let bad = app
        .gql(
            "mutation($i: ImportTemplateInput!) { saveImportTemplate(input: $i) { id } }",
            json!({ "i": { "kind": "SUBSIDIES", "name": "Криво", "format": "csv", "encoding": "utf-8",
                           "delimiter": ";", "skipLines": 1, "dateFormat": "%d.%m.%Y",
                           "split": [{ "from": "stoki", "to": "xvs", "percent": "70" }] } }),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "rules", "{bad}");

    let file = "ЛС;Послуга;Субсидія\n100001;stoki;100,01\n100002;gvs;10\n100003;opal;5\n999999;xvs;1\n100001;xvs;1\n";
    let job = upload(
        &app,
        "SUBSIDIES",
        t,
        "subs.csv",
        file.as_bytes(),
        true,
        false,
    )
    .await;
    let f = file_of(&job);
    assert_eq!(
        (
            f["state"].as_str(),
            f["done"].as_i64(),
            f["skipped"].as_i64()
        ),
        (Some("posted"), Some(3), Some(2)),
        "{job}"
    );
    let reasons = skipped(&f);
    assert!(
        reasons[0].starts_with("4: ") && reasons[0].contains("opal"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("5: ") && reasons[1].contains("999999"),
        "{reasons:?}"
    );
    assert_eq!(f["totals"]["total"], "111.01", "{f}");
    assert_eq!(
        sql_text(&app, "SELECT string_agg(a.number || ' ' || v.code || ' ' || s.amount, ', ' ORDER BY a.number, v.code) \
                        FROM \"{s}\".subsidies s JOIN \"{s}\".accounts a ON a.id = s.account_id \
                        JOIN \"{s}\".services v ON v.id = s.service_id").await,
        "100001 utr 40.00, 100001 xvs 61.01, 100002 xvs 10.00"
    );

    // The unknown account of line 5 is matched by hand: the row alone is credited to the
    // chosen account; a row that account cannot take either stays skipped, named why.
    let file_id = f["id"].as_i64().unwrap_or_default();
    let m = "mutation($f: Int!, $l: Int!, $a: String!) { matchImportRow(fileId: $f, line: $l, account: $a) { line outcome key } }";
    let r = app
        .gql(m, json!({ "f": file_id, "l": 5, "a": "100003" }))
        .await;
    assert_eq!(r["data"]["matchImportRow"]["outcome"], "imported", "{r}");
    let r = app
        .gql(m, json!({ "f": file_id, "l": 4, "a": "100003" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "service", "{r}");
    let r = app
        .gql(m, json!({ "f": file_id, "l": 2, "a": "100003" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "line", "{r}");
    assert_eq!(
        sql_text(&app, "SELECT string_agg(a.number || ' ' || v.code || ' ' || s.amount, ', ' ORDER BY a.number, v.code) \
                        FROM \"{s}\".subsidies s JOIN \"{s}\".accounts a ON a.id = s.account_id \
                        JOIN \"{s}\".services v ON v.id = s.service_id").await,
        "100001 utr 40.00, 100001 xvs 61.01, 100002 xvs 10.00, 100003 xvs 1.00"
    );
    let files = app
        .gql(
            "{ importFiles(kind: SUBSIDIES) { rows { id rowsDone rowsSkipped } } }",
            json!({}),
        )
        .await;
    let row = files["data"]["importFiles"]["rows"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["id"] == file_id).cloned())
        .unwrap_or_default();
    assert_eq!(
        (row["rowsDone"].as_i64(), row["rowsSkipped"].as_i64()),
        (Some(4), Some(1)),
        "{files}"
    );
    let audit = app
        .audit_actions("import_file", Some(file_id.to_string()))
        .await;
    assert_eq!(
        audit.first().map(String::as_str),
        Some("match"),
        "{audit:?}"
    );

    // A closed month's subsidies are corrected by acts: the file is refused whole.
    crate::helpers::sql(&app, "INSERT INTO \"{s}\".periods (month, state) VALUES (DATE '2025-01-01', 'closed') ON CONFLICT DO NOTHING").await;
    let r = app
        .upload_gql(
            "mutation($kind: ImportKind!, $t: Int!, $file: Upload!, $p: String) { uploadImport(kind: $kind, templateId: $t, file: $file, post: true, period: $p) { id } }",
            json!({ "kind": "SUBSIDIES", "t": t, "p": "2025-01" }),
            "old.csv",
            b"account;service;amount\n100001;xvs;3\n",
        )
        .await;
    let id = r["data"]["uploadImport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    let job = app.wait_job(id, Duration::from_secs(60)).await;
    let f = file_of(&job);
    assert_eq!(f["state"], "refused", "{job}");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("2025-01"),
        "{f}"
    );
    worker.stop().await;
}

fn file_of(job: &Value) -> Value {
    file(job, 0)
}

/// The residents of account `number`, in card order.
async fn resident_names(app: &TestApp, number: &str) -> Vec<String> {
    sql_text(
        app,
        &format!(
            "SELECT string_agg(r.full_name, '|' ORDER BY r.id) FROM \"{{s}}\".residents r \
             JOIN \"{{s}}\".accounts a ON a.id = r.account_id WHERE a.number = '{number}'"
        ),
    )
    .await
    .split('|')
    .map(str::to_owned)
    .collect()
}

#[tokio::test]
async fn tariffs_rates_and_beneficiaries_load_from_files_and_members_follow_the_main() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "imports-reference");
    let csv = |k: &'static str| template(&app, k, "CSV (UTF-8, ;)");

    // Tariffs: an unknown service refuses the whole file (a price list half-changed).
    let t = csv("TARIFFS").await;
    let bad = "Прайс-лист;Назва прайс-листа;Послуга;Діє з;Тариф\n\
               P2027;Тарифи 2027;xvs;01.01.2027;31,20\n\
               P2027;Тарифи 2027;nope;01.01.2027;10\n\
               P2027;Тарифи 2027;xvs;01.01.2027;32\n\
               P2027;Тарифи 2027;utr;01.01.2027;-1\n";
    let f = file_of(&upload(&app, "TARIFFS", t, "t.csv", bad.as_bytes(), true, false).await);
    assert_eq!(f["state"], "refused", "{f}");
    let reasons = skipped(&f);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons[0].starts_with("3: ") && reasons[0].contains("nope"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("4: ") && reasons[1].contains("рядку 2"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].starts_with("5: ") && reasons[2].contains("невід'ємним"),
        "{reasons:?}"
    );
    assert_eq!(
        sql_number(
            &app,
            "SELECT count(*) FROM \"{s}\".price_lists WHERE code = 'P2027'"
        )
        .await,
        0
    );
    let good = "priceList;priceListName;service;validFrom;price\n\
                P2027;Тарифи 2027;xvs;01.01.2027;31,20\n\
                P2027;Тарифи 2027;utr;01.01.2027;4.1234\n";
    let f = file_of(&upload(&app, "TARIFFS", t, "t2.csv", good.as_bytes(), true, false).await);
    assert_eq!(
        (f["state"].as_str(), f["totals"]["tariffs"].as_i64()),
        (Some("posted"), Some(2)),
        "{f}"
    );
    assert_eq!(
        sql_text(&app, "SELECT p.name || ': ' || string_agg(v.code || ' ' || t.price, ', ' ORDER BY v.code) \
                        FROM \"{s}\".tariffs t JOIN \"{s}\".price_lists p ON p.id = t.price_list_id \
                        JOIN \"{s}\".services v ON v.id = t.service_id WHERE p.code = 'P2027' GROUP BY p.name").await,
        "Тарифи 2027: utr 4.1234, xvs 31.2000"
    );

    // The NBU's discount rates from its DBF (a date field and a number), cp866.
    let dbf = payments::file::write_dbf(
        &[("DATA", b'D', 8), ("STAVKA", b'N', 8)],
        &[
            vec![b"20250124".to_vec(), b"14.5".to_vec()],
            vec![b"20250307".to_vec(), b"15.5".to_vec()],
        ],
        0x26,
    );
    let rates = template(&app, "PENALTY_RATES", "DBF (cp866)").await;
    let f = file_of(
        &upload(
            &app,
            "PENALTY_RATES",
            rates,
            "discount.dbf",
            &dbf,
            true,
            false,
        )
        .await,
    );
    assert_eq!(f["state"], "posted", "{f}");
    assert_eq!(f["totals"]["from"], "2025-01-24", "{f}");
    assert_eq!(
        sql_text(&app, "SELECT string_agg(valid_from || ' ' || rate, ', ' ORDER BY valid_from) \
                        FROM \"{s}\".penalty_rates WHERE valid_from >= DATE '2025-01-01' AND valid_from < DATE '2026-01-01'").await,
        "2025-01-24 14.5000, 2025-03-07 15.5000"
    );

    // Beneficiaries: the holder of 100001 gets a family benefit, the second resident is its
    // member; unknown people, benefits and a family member of a personal benefit are listed.
    let names = resident_names(&app, "100001").await;
    assert!(names.len() >= 2, "{names:?}");
    let (holder, member) = (&names[0], &names[1]);
    let b = csv("BENEFICIARIES").await;
    let file = format!(
        "ЛС;ПІБ;Пільга;Документ;Дата початку;Дата закінчення;Основний пільговик\n\
         100001;{holder};veteran;УБД 123;01.01.2026;31.12.2026;\n\
         100001;{member};veteran;;01.01.2026;;{holder}\n\
         100001;Нема Такого;veteran;;01.01.2026;;\n\
         100001;{holder};nope;;01.01.2026;;\n\
         100001;{member};dytyna;;01.01.2026;;{holder}\n\
         999999;{holder};veteran;;01.01.2026;;\n"
    );
    let f = file_of(
        &upload(
            &app,
            "BENEFICIARIES",
            b,
            "pilgy.csv",
            file.as_bytes(),
            true,
            false,
        )
        .await,
    );
    assert_eq!(
        (
            f["state"].as_str(),
            f["done"].as_i64(),
            f["skipped"].as_i64()
        ),
        (Some("posted"), Some(2), Some(4)),
        "{f}"
    );
    let reasons = skipped(&f);
    assert!(
        reasons[0].starts_with("4: ") && reasons[0].contains("Нема Такого"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("5: ") && reasons[1].contains("немає пільги nope"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].starts_with("6: ") && reasons[2].contains("не поширюється"),
        "{reasons:?}"
    );
    assert!(
        reasons[3].starts_with("7: ") && reasons[3].contains("999999"),
        "{reasons:?}"
    );
    assert_eq!(
        (
            f["totals"]["added"].as_i64(),
            f["totals"]["members"].as_i64()
        ),
        (Some(1), Some(1)),
        "{f}"
    );
    let periods = "SELECT string_agg(who || ' ' || starts_on || ' ' || coalesce(ends_on::text, '-'), ', ' ORDER BY who) FROM ( \
         SELECT 'main' AS who, b.starts_on, b.ends_on FROM \"{s}\".beneficiaries b JOIN \"{s}\".accounts a ON a.id = b.account_id \
         WHERE a.number = '100001' \
         UNION ALL SELECT 'member', m.starts_on, m.ends_on FROM \"{s}\".beneficiary_members m \
         JOIN \"{s}\".beneficiaries b ON b.id = m.beneficiary_id JOIN \"{s}\".accounts a ON a.id = b.account_id \
         WHERE a.number = '100001') x";
    assert_eq!(
        sql_text(&app, periods).await,
        "main 2026-01-01 2026-12-31, member 2026-01-01 2026-12-31"
    );
    // Next month's file extends the benefit: the same record renewed, the member follows.
    let next = format!(
        "account;fullName;benefit;startsOn;endsOn\n100001;{};veteran;01.01.2026;30.06.2027\n",
        holder.to_uppercase()
    );
    let f = file_of(
        &upload(
            &app,
            "BENEFICIARIES",
            b,
            "pilgy2.csv",
            next.as_bytes(),
            true,
            false,
        )
        .await,
    );
    assert_eq!(
        (
            f["totals"]["renewed"].as_i64(),
            f["totals"]["added"].as_i64(),
            f["totals"]["membersFollowed"].as_i64()
        ),
        (Some(1), Some(0), Some(1)),
        "{f}"
    );
    assert_eq!(
        sql_text(&app, periods).await,
        "main 2026-01-01 2027-06-30, member 2026-01-01 2027-06-30"
    );
    assert_eq!(
        sql_text(&app, "SELECT document FROM \"{s}\".beneficiaries b JOIN \"{s}\".accounts a ON a.id = b.account_id WHERE a.number = '100001'").await,
        "УБД 123"
    );

    // A list of residents with a benefit code: the person is its beneficiary from the
    // registration; an unknown code skips the row.
    let list = "account;fullName;birthDate;registeredFrom;benefit\n\
                100002;Нова Людина;01.02.1950;01.03.2026;dytyna\n\
                100002;Інша Людина;;;nope\n";
    let people = csv("RESIDENT_LIST").await;
    let f = file_of(
        &upload(
            &app,
            "RESIDENT_LIST",
            people,
            "l.csv",
            list.as_bytes(),
            true,
            false,
        )
        .await,
    );
    assert_eq!(
        (
            f["done"].as_i64(),
            f["skipped"].as_i64(),
            f["totals"]["added"].as_i64()
        ),
        (Some(1), Some(1), Some(1)),
        "{f}"
    );
    assert!(skipped(&f)[0].contains("немає пільги nope"), "{f}");
    assert_eq!(
        sql_text(&app, "SELECT r.full_name || ' ' || k.code || ' ' || b.starts_on FROM \"{s}\".beneficiaries b \
                        JOIN \"{s}\".residents r ON r.id = b.resident_id JOIN \"{s}\".benefits k ON k.id = b.benefit_id \
                        JOIN \"{s}\".accounts a ON a.id = b.account_id WHERE a.number = '100002'").await,
        "Нова Людина dytyna 2026-03-01"
    );

    // The same list from a Ukrainian DOS system: a DBF in cp1125, whose Ґ, Є, І and Ї
    // cp866 does not have.
    let name = "Їжаченко Ґанна Євгенівна";
    let dbf = payments::file::write_dbf(
        &[("LS", b'C', 10), ("FIO", b'C', 40), ("DR", b'D', 8)],
        &[vec![
            b"100002".to_vec(),
            platform::table::Charset::Cp1125.encode_lossy(name),
            b"19610704".to_vec(),
        ]],
        0x26,
    );
    let dos = template(&app, "RESIDENT_LIST", "DBF (cp1125)").await;
    let f = file_of(&upload(&app, "RESIDENT_LIST", dos, "meshk.dbf", &dbf, true, false).await);
    assert_eq!(f["state"], "posted", "{f}");
    assert_eq!(
        sql_text(&app, "SELECT r.full_name || ' ' || r.birth_date FROM \"{s}\".residents r \
                        JOIN \"{s}\".accounts a ON a.id = r.account_id WHERE a.number = '100002' AND r.birth_date = DATE '1961-07-04'").await,
        format!("{name} 1961-07-04")
    );

    // Meters named by the address of their premises instead of the account.
    let accounts = csv("ACCOUNTS").await;
    let one = "account;locality;street;building;apartment;holder;services\n\
               910001;Київ;Липова;3;7;Гнатюк Ірина;xvs\n910002;Київ;Липова;3;8;Гнатюк Павло;xvs\n";
    let f = file_of(
        &upload(
            &app,
            "ACCOUNTS",
            accounts,
            "a.csv",
            one.as_bytes(),
            true,
            false,
        )
        .await,
    );
    assert_eq!(f["state"], "posted", "{f}");
    let (number, at) = ("910001", "ЛИПОВА;3;7");
    let m = csv("METERS").await;
    let bad = format!(
        "Вулиця;Будинок;Кв;Послуга;Номер;Встановлено;Показання\n{at};xvs;ADDR-1;01.12.2026;5\nЛипова;3;;xvs;ADDR-2;01.12.2026;5\n;;;xvs;ADDR-3;01.12.2026;5\n"
    );
    let f = file_of(&upload(&app, "METERS", m, "m.csv", bad.as_bytes(), true, false).await);
    assert_eq!(f["state"], "refused", "{f}");
    let reasons = skipped(&f);
    assert!(
        reasons[0].starts_with("3: ") && reasons[0].contains("немає особового рахунку"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("4: ") && reasons[1].contains("або адресу"),
        "{reasons:?}"
    );
    let good = format!(
        "street;building;apartment;service;serial;installedOn;initialReading\n{at};xvs;ADDR-1;01.12.2026;5\n"
    );
    let f = file_of(&upload(&app, "METERS", m, "m2.csv", good.as_bytes(), true, false).await);
    assert_eq!(f["state"], "posted", "{f}");
    assert_eq!(
        sql_text(&app, "SELECT a.number FROM \"{s}\".meters m JOIN \"{s}\".accounts a ON a.id = m.account_id WHERE m.serial = 'ADDR-1'").await,
        number
    );

    // The onboarding screen counts what is loaded.
    let kinds = app
        .gql(
            "{ importKinds { kind loaded { records filesPosted } } }",
            json!({}),
        )
        .await;
    let list = kinds["data"]["importKinds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(list[0]["kind"], "TARIFFS", "{kinds}");
    let of = |k: &str| {
        list.iter()
            .find(|x| x["kind"] == k)
            .map(|x| x["loaded"]["filesPosted"].clone())
    };
    assert_eq!(
        (of("TARIFFS"), of("PENALTY_RATES"), of("BENEFICIARIES")),
        (Some(json!(1)), Some(json!(1)), Some(json!(2))),
        "{kinds}"
    );
    worker.stop().await;
}

#[tokio::test]
async fn a_closed_months_subsidies_become_draft_data_update_acts() {
    let app = TestApp::spawn().await;
    let (open, _) = crate::acts::open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    // Cold water by the norm for two residents, at the base price list.
    crate::helpers::sql(&app, &format!(
        "UPDATE \"{{s}}\".buildings SET price_list_id = (SELECT id FROM \"{{s}}\".price_lists WHERE code = 'base') WHERE id = {b}; \
         INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) \
         SELECT {a}, id, DATE '2026-01-01' FROM \"{{s}}\".services WHERE code = 'xvs'; \
         INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, living_from) VALUES \
           ({a}, 'Коваль Ірина', DATE '2026-01-01', DATE '2026-01-01'), ({a}, 'Коваль Олег', DATE '2026-01-01', DATE '2026-01-01')"
    ))
    .await;
    let employee = crate::acts::employee(&app).await;
    let month = open.format("%Y-%m").to_string();
    crate::acts::calculate_and_close(&app, &month, "imports-closed-calc").await;
    let number = sql_text(
        &app,
        &format!("SELECT number FROM \"{{s}}\".accounts WHERE id = {a}"),
    )
    .await;

    let worker = app.start_worker(app.state.clone(), "imports-closed");
    let t = template(&app, "SUBSIDIES", "CSV (UTF-8, ;)").await;
    let m = "mutation($t: Int!, $file: Upload!, $p: String, $e: Int) { uploadImport(kind: SUBSIDIES, templateId: $t, file: $file, post: true, period: $p, executorId: $e) { id } }";
    let run = |name: &'static str, body: String, executor: Option<i64>| {
        let app = &app;
        let month = month.clone();
        async move {
            let r = app
                .upload_gql(
                    m,
                    json!({ "t": t, "p": month, "e": executor }),
                    name,
                    body.as_bytes(),
                )
                .await;
            let id = r["data"]["uploadImport"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{r}"))
                .to_owned();
            file_of(&app.wait_job(&id, Duration::from_secs(60)).await)
        }
    };
    // Without the employee who makes the acts, the file is refused naming the choice.
    let f = run(
        "late.csv",
        format!("account;service;amount\n{number};xvs;25,50\n"),
        None,
    )
    .await;
    assert_eq!(f["state"], "refused", "{f}");
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&month) && message.contains("актуалізації"),
        "{f}"
    );

    // With one: the account's rows become one draft data-update act of the month; an
    // unknown account is listed.
    let f = run(
        "late-2.csv",
        format!("account;service;amount\n{number};xvs;25,50\n999999;xvs;1\n"),
        Some(employee),
    )
    .await;
    assert_eq!(
        (
            f["state"].as_str(),
            f["done"].as_i64(),
            f["skipped"].as_i64(),
            f["totals"]["acts"].as_i64()
        ),
        (Some("posted"), Some(1), Some(1), Some(1)),
        "{f}"
    );
    assert_eq!(f["totals"]["total"], "25.50", "{f}");
    let act = f["totals"]["actIds"][0].as_i64().unwrap_or_default();
    let subs = app
        .gql(
            "query($id: Int!) { act(id: $id) { kind status } actSubsidies(id: $id) { accountId period amount } }",
            json!({ "id": act }),
        )
        .await;
    assert_eq!(subs["data"]["act"]["kind"], "DATA_UPDATE", "{subs}");
    assert_eq!(subs["data"]["act"]["status"], "DRAFT", "{subs}");
    assert_eq!(subs["data"]["actSubsidies"][0]["period"], month, "{subs}");
    assert_eq!(subs["data"]["actSubsidies"][0]["amount"], "25.5", "{subs}");
    // The closed month's own subsidy table is untouched: the act carries the news.
    assert_eq!(
        sql_number(&app, "SELECT count(*) FROM \"{s}\".subsidies").await,
        0
    );
    worker.stop().await;
}
