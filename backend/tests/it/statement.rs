//! The reconciliation statement on the Ukrainian demo: over the three closed months it
//! opens with the first invoice's opening balance and closes with the last one's closing,
//! its rows adding up to the difference; as XLSX and PDF, in the tenant's language; the
//! subscriber gets their own account's, not another's.

use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::json;
use tools::demo::Demo;

use crate::helpers::{PASSWORD, TestApp, sql_text};

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.http
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    calamine::Reader::worksheet_range_at(&mut book, 0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"))
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn dec(t: &str) -> Decimal {
    t.parse().unwrap_or_else(|e| panic!("{t}: {e}"))
}

#[tokio::test]
async fn the_statement_opens_and_closes_with_the_invoices_and_adds_up() {
    let app = TestApp::spawn_demo(Demo::Ukraine, Utc::now()).await;
    let found = app
        .gql(
            "{ accounts(search: \"100001\") { items { id } } }",
            json!({}),
        )
        .await;
    let account = found["data"]["accounts"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{found}"));
    let (first, last) = {
        let months = sql_text(
            &app,
            &format!(
                "SELECT to_char(min(period), 'YYYY-MM') || ',' || to_char(max(period), 'YYYY-MM') \
                 FROM \"{{s}}\".invoices WHERE account_id = {account}"
            ),
        )
        .await;
        let (a, b) = months.split_once(',').unwrap_or_default();
        (a.to_owned(), b.to_owned())
    };
    let invoice = |month: &str, column: &str| {
        format!(
            "SELECT {column}::text FROM \"{{s}}\".invoices WHERE account_id = {account} AND period = DATE '{month}-01'"
        )
    };
    let opening = dec(&sql_text(&app, &invoice(&first, "opening")).await);
    let closing = dec(&sql_text(&app, &invoice(&last, "closing")).await);

    let path = format!("/files/statements/{account}/xlsx?from={first}&to={last}");
    let r = get(&app, &app.admin_token, &path).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .contains("spreadsheetml")
    );
    let sheet = cells(&r.bytes().await.unwrap_or_default());
    assert_eq!(
        sheet[0][0], "Акт звірки взаєморозрахунків",
        "the tenant's language"
    );
    assert_eq!(sheet[1][1], "100001");
    let row = |label: &str| {
        sheet
            .iter()
            .find(|r| r.get(1).is_some_and(|c| c == label))
            .cloned()
            .unwrap_or_else(|| panic!("{label}: {sheet:?}"))
    };
    assert_eq!(dec(&row("Сальдо на початок")[3]), opening);
    assert_eq!(dec(&row("Сальдо на кінець")[3]), closing, "{sheet:?}");
    // The rows between the opening and the turnover add up to it.
    let start = sheet
        .iter()
        .position(|r| r.get(1).is_some_and(|c| c == "Сальдо на початок"))
        .unwrap_or_default();
    let end = sheet
        .iter()
        .position(|r| r.get(1).is_some_and(|c| c == "Обороти"))
        .unwrap_or_default();
    let body = &sheet[start + 1..end];
    assert!(
        body.len() >= 6,
        "charges and payments of three months: {sheet:?}"
    );
    let sum = |c: usize| -> Decimal { body.iter().map(|r| dec(&r[c])).sum() };
    let turnover = row("Обороти");
    assert_eq!(sum(3), dec(&turnover[3]));
    assert_eq!(sum(4), dec(&turnover[4]));
    assert_eq!(opening + sum(3) - sum(4), closing);
    assert!(
        body.iter().any(|r| r[1] == "Оплата"),
        "the payments: {body:?}"
    );

    // The PDF of the same.
    let r = get(
        &app,
        &app.admin_token,
        &format!("/files/statements/{account}/pdf?from={first}&to={last}"),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap_or_default().starts_with(b"%PDF-"));
    // Months that are not months are refused.
    let r = get(
        &app,
        &app.admin_token,
        &format!("/files/statements/{account}/pdf?from=2026-13"),
    )
    .await;
    assert_eq!(r.status(), 404);

    // The subscriber: their own account, not another's.
    let token = app
        .login(&format!("{}.subscriber", app.tenant), PASSWORD)
        .await;
    let own = get(&app, &token, &format!("/files/statements/{account}/pdf")).await;
    assert_eq!(own.status(), 200);
    let other = sql_text(
        &app,
        "SELECT id::text FROM \"{s}\".accounts WHERE number = '100009'",
    )
    .await;
    let r = get(&app, &token, &format!("/files/statements/{other}/pdf")).await;
    assert_eq!(r.status(), 404);
}
