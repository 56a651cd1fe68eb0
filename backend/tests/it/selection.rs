//! The accounts ticked in a list as a scope: the working month calculated for exactly
//! them, their invoices rendered into one zip and mailed to them alone; an empty, too big
//! or foreign selection refused naming `accountIds`, a building-limited user's selection
//! held to their buildings.

use std::io::Read;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, sql, sql_number};

/// Three invoiced accounts, in id order.
async fn three_accounts(app: &TestApp) -> Vec<i64> {
    #[derive(sea_orm::FromQueryResult)]
    struct Picked {
        id: i64,
    }
    let rows =
        <Picked as sea_orm::FromQueryResult>::find_by_statement(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT a.id FROM \"{0}\".accounts a \
                 WHERE EXISTS (SELECT 1 FROM \"{0}\".invoices v WHERE v.account_id = a.id) \
                 ORDER BY a.id LIMIT 3",
                app.tenant.schema()
            ),
        ))
        .all(&app.state.owner_db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 3, "three invoiced accounts");
    rows.into_iter().map(|r| r.id).collect()
}

/// Starts a job by `mutation` (as the admin) and waits for it to end.
async fn job(app: &TestApp, mutation: &str, vars: Value) -> Value {
    let r = app.gql(mutation, vars).await;
    let id = r["data"]
        .as_object()
        .and_then(|d| d.values().next())
        .and_then(|j| j["id"].as_str())
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    app.wait_job(&id, Duration::from_secs(120)).await
}

const CALC: &str =
    "mutation($ids: [Int!]) { calculatePeriod(input: {scope: ACCOUNTS, accountIds: $ids}) { id } }";
const RENDER: &str =
    "mutation($ids: [Int!]) { renderInvoices(input: {scope: ACCOUNTS, accountIds: $ids}) { id } }";
const MAIL: &str =
    "mutation($ids: [Int!]) { mailInvoices(input: {scope: ACCOUNTS, accountIds: $ids}) { id } }";

#[tokio::test]
async fn ticked_accounts_are_calculated_printed_and_mailed_alone() {
    let app = TestApp::spawn().await;
    app.generate_and_calculate(40, 17).await;
    let picked = three_accounts(&app).await;
    let (a, b, c) = (picked[0], picked[1], picked[2]);
    let worker = app.start_worker(app.state.clone(), "selection-1");

    // Calculated: the two ticked accounts' invoices are formed again by this job (a repeat
    // in the selection counts once); the third account's invoice stays as it was.
    let calc = job(&app, CALC, json!({ "ids": [b, a, a] })).await;
    assert_eq!(calc["state"], "DONE", "{calc}");
    assert_eq!(calc["result"]["accounts"], 2, "{calc}");
    let job_id = calc["id"].as_str().unwrap_or_default().to_owned();
    let formed = |account: i64| {
        let (app, job_id) = (&app, job_id.clone());
        async move {
            sql_number(
                app,
                &format!(
                    "SELECT count(*) FROM \"{{s}}\".invoices WHERE account_id = {account} \
                     AND job_id = '{job_id}'"
                ),
            )
            .await
        }
    };
    assert_eq!(
        (formed(a).await, formed(b).await, formed(c).await),
        (1, 1, 0)
    );

    // Printed: one zip of the two accounts' PDFs.
    let render = job(&app, RENDER, json!({ "ids": [a, b] })).await;
    assert_eq!(
        (
            render["state"].as_str(),
            render["result"]["rendered"].as_i64()
        ),
        (Some("DONE"), Some(2)),
        "{render}"
    );
    let zip_bytes = app
        .http
        .get(format!(
            "{}/files/jobs/{}",
            app.base,
            render["id"].as_str().unwrap_or_default()
        ))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(zip.len(), 2, "one PDF per ticked account");
    let mut first = Vec::new();
    zip.by_index(0)
        .unwrap_or_else(|e| panic!("{e}"))
        .read_to_end(&mut first)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first.starts_with(b"%PDF-"));

    // Mailed: all three subscribers have an address, only the ticked two are written to.
    let tag = uuid::Uuid::new_v4().simple().to_string();
    sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".subscribers s SET email = 'sel-{tag}-' || s.id || '@example.com' \
             WHERE s.id IN (SELECT subscriber_id FROM \"{{s}}\".accounts WHERE id IN ({a}, {b}, {c}))"
        ),
    )
    .await;
    let mail = job(&app, MAIL, json!({ "ids": [a, b] })).await;
    assert_eq!(mail["result"]["messages"], 2, "{mail}");
    worker.stop().await;
}

#[tokio::test]
async fn a_selection_is_refused_naming_the_field_when_empty_too_big_or_not_reachable() {
    let app = TestApp::spawn().await;
    app.generate_and_calculate(20, 23).await;
    let picked = three_accounts(&app).await;
    let a = picked[0];
    let refused = |r: &Value| {
        (
            r["errors"][0]["extensions"]["code"]
                .as_str()
                .map(str::to_owned),
            r["errors"][0]["extensions"]["field"]
                .as_str()
                .map(str::to_owned),
        )
    };
    let named = (Some("VALIDATION".to_owned()), Some("accountIds".to_owned()));
    for ids in [
        json!([]),
        Value::Null,
        json!([a, 987_654_321]),
        json!((1..=10_001).collect::<Vec<i64>>()),
    ] {
        for mutation in [CALC, RENDER, MAIL] {
            let r = app.gql(mutation, json!({ "ids": ids })).await;
            assert_eq!(refused(&r), named, "{ids} {mutation}: {r}");
        }
    }
    // In Ukrainian, the rule is told in the user's language.
    let r = app.gql_lang("uk", CALC, json!({ "ids": [] })).await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("відмітьте")),
        "{r}"
    );

    // A user limited to a new building may tick its account, not one of another building.
    let r = app
        .gql(
            "mutation { addAddress(input: { locality: \"Київ\", street: \"Вибрана\", building: \"1\", apartmentsFrom: 1, apartmentsTo: 1 }) { buildingId } }",
            json!({}),
        )
        .await;
    let building = r["data"]["addAddress"]["buildingId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let r = app
        .gql(
            "mutation($b: [Int!]!) { openAccountsForBuildings(input: { buildingIds: $b, openedOn: \"2026-10-01\" }) { lines { accountId } } }",
            json!({ "b": [building] }),
        )
        .await;
    let own = r["data"]["openAccountsForBuildings"]["lines"][0]["accountId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let create = "mutation($l: String!, $bl: [Int!]!) { createUser(input: { login: $l, displayName: \"Касир\", password: \"Вибрані-2026-рах\", roles: [\"operator\"], branchIds: [], buildingIds: $bl }) { login } }";
    let login = format!("{}.sel", app.tenant);
    let r = app
        .gql(create, json!({ "l": login, "bl": [building] }))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let token = app.login(&login, "Вибрані-2026-рах").await;
    let foreign = app
        .gql_as(Some(&token), CALC, json!({ "ids": [own, a] }))
        .await;
    assert_eq!(refused(&foreign), named, "{foreign}");
    let mine = app
        .gql_as(Some(&token), CALC, json!({ "ids": [own] }))
        .await;
    assert!(mine["data"]["calculatePeriod"]["id"].is_string(), "{mine}");
}
