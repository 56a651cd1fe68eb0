//! Editing what was created (issue 22): a subscriber's card and an account's lifecycle,
//! each audited, each bad input named by its field, each within the user's reach.

use serde_json::{Value, json};

use crate::helpers::{TestApp, sql, sql_number, sql_text};

const OPEN: &str = "mutation($i: OpenAccountInput!) { openAccount(input: $i) { account { id } subscriber { id } } }";
const EDIT: &str = "mutation($id: Int!, $i: SubscriberEditInput!) { updateSubscriber(id: $id, input: $i) { id displayName lastName email court contract employee amenities controllerId controllerName } }";
const STATUS: &str = "mutation($ids: [Int!]!, $i: AccountStatusInput!) { setAccountsStatus(accountIds: $ids, input: $i) { changed skipped { accountId number reason } } }";

/// A new individual's account in new premises: (account id, subscriber id).
async fn opened(app: &TestApp, street: &str, last: &str) -> (i64, i64) {
    let add = "mutation($s: String!) { addAddress(input: { locality: \"Ірпінь\", street: $s, building: \"7\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }";
    let r = app.gql(add, json!({ "s": street })).await;
    let b = r["data"]["addAddress"]["buildingId"]
        .as_i64()
        .unwrap_or_default();
    let card = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await;
    let p = card["data"]["building"]["premises"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app
        .gql(
            OPEN,
            json!({ "i": { "newSubscriber": { "lastName": last, "firstName": "Ірина" }, "premisesId": p, "openedOn": "2026-09-01" } }),
        )
        .await;
    let a = &r["data"]["openAccount"];
    let ids = (
        a["account"]["id"].as_i64().unwrap_or_default(),
        a["subscriber"]["id"].as_i64().unwrap_or_default(),
    );
    assert!(ids.0 > 0 && ids.1 > 0, "{r}");
    ids
}

fn field(r: &Value) -> &Value {
    &r["errors"][0]["extensions"]["field"]
}

#[tokio::test]
async fn a_subscriber_is_corrected_and_the_accounts_follow() {
    let app = TestApp::spawn().await;
    let (account, subscriber) = opened(&app, "Яблунева", "Ковальчкук").await;
    let controller = sql_number(
        &app,
        "INSERT INTO \"{s}\".employees (code, name, is_controller) VALUES ('k22', 'Контролер Петренко', true) RETURNING id::bigint",
    )
    .await;
    let fixed = json!({ "lastName": "Ковальчук", "firstName": "Ірина", "email": "iryna@example.com",
        "court": "справа 2-123/26", "contract": "№ 15 від 01.09.2026", "employee": true,
        "amenities": "централізоване опалення, газ", "controllerId": controller });
    let r = app.gql(EDIT, json!({ "id": subscriber, "i": fixed })).await;
    let s = &r["data"]["updateSubscriber"];
    assert_eq!(s["displayName"], "Ковальчук Ірина", "{r}");
    assert_eq!(s["email"], "iryna@example.com");
    assert_eq!(s["court"], "справа 2-123/26");
    assert_eq!(s["employee"], true);
    assert_eq!(s["controllerName"], "Контролер Петренко");
    // The list and its search show the fixed name.
    let holder = sql_text(
        &app,
        &format!("SELECT holder_name FROM \"{{s}}\".accounts WHERE id = {account}"),
    )
    .await;
    assert_eq!(holder, "Ковальчук Ірина");
    let found = app
        .gql("{ accounts(search: \"Ковальчук\") { total } }", json!({}))
        .await;
    assert_eq!(found["data"]["accounts"]["total"], 1, "{found}");
    assert_eq!(
        app.audit_actions("subscriber", Some(subscriber.to_string()))
            .await
            .first()
            .map(String::as_str),
        Some("update")
    );
    let before_in_audit = sql_text(
        &app,
        &format!(
            "SELECT before->>'displayName' FROM \"{{s}}\".audit_log WHERE entity = 'subscriber' AND entity_id = '{subscriber}' AND action = 'update'"
        ),
    )
    .await;
    assert_eq!(before_in_audit, "Ковальчкук Ірина");

    // Bad input names the field; nothing is written.
    let bad = |patch: Value| {
        let mut i = json!({ "lastName": "Ковальчук" });
        if let (Some(i), Some(p)) = (i.as_object_mut(), patch.as_object()) {
            i.extend(p.clone());
        }
        i
    };
    for (patch, expected) in [
        (json!({ "email": "iryna.example.com" }), "email"),
        (json!({ "lastName": " " }), "lastName"),
        (json!({ "legal": true, "legalName": "ТОВ Ірина" }), "legal"),
        (json!({ "birthDate": "2099-01-01" }), "birthDate"),
        (json!({ "controllerId": 999_999 }), "controllerId"),
        (json!({ "court": "x".repeat(301) }), "court"),
    ] {
        let r = app
            .gql(EDIT, json!({ "id": subscriber, "i": bad(patch) }))
            .await;
        assert_eq!(field(&r), expected, "{r}");
    }
    assert_eq!(
        sql_text(
            &app,
            &format!("SELECT email FROM \"{{s}}\".subscribers WHERE id = {subscriber}")
        )
        .await,
        "iryna@example.com"
    );
}

#[tokio::test]
async fn a_subscriber_outside_the_users_reach_cannot_be_edited() {
    let app = TestApp::spawn().await;
    let (_, subscriber) = opened(&app, "Горіхова", "Мельник").await;
    // The new building is in branch 1 (the demo's first); a branch-2 user does not see it.
    sql(
        &app,
        &format!("UPDATE \"{{s}}\".accounts SET branch_id = 1 WHERE subscriber_id = {subscriber}"),
    )
    .await;
    // A branch-2 operator does not see it; a viewer sees it but may not change it.
    for (who, roles, branches, code) in [
        ("br2", "operator", "[2]", "NOT_FOUND"),
        ("viewer22", "viewer", "[]", "FORBIDDEN"),
    ] {
        let login = format!("{}.{who}", app.tenant);
        let create = format!(
            "mutation($l: String!) {{ createUser(input: {{ login: $l, displayName: \"{who}\", password: \"Пароль-2026-{who}\", roles: [\"{roles}\"], branchIds: {branches} }}) {{ id }} }}"
        );
        app.gql(&create, json!({ "l": login })).await;
        let token = app.login(&login, &format!("Пароль-2026-{who}")).await;
        let r = app
            .gql_as(
                Some(&token),
                EDIT,
                json!({ "id": subscriber, "i": { "lastName": "Чужий" } }),
            )
            .await;
        assert_eq!(r["errors"][0]["extensions"]["code"], code, "{who}: {r}");
    }
}

#[tokio::test]
async fn an_account_is_closed_with_a_zero_or_a_kept_balance() {
    let app = TestApp::spawn().await;
    let (clean, _) = opened(&app, "Вишнева", "Бондар").await;
    let (owing, _) = opened(&app, "Черешнева", "Шевчук").await;
    sql(
        &app,
        &format!("UPDATE \"{{s}}\".accounts SET balance = 120.50 WHERE id = {owing}"),
    )
    .await;
    let open = sql_text(
        &app,
        "SELECT max(month)::text FROM \"{s}\".periods WHERE state = 'open'",
    )
    .await;
    let day = format!("{}05", open.get(..8).unwrap_or_default());
    let close = json!({ "status": "CLOSED", "closedOn": day });
    let r = app
        .gql(STATUS, json!({ "ids": [clean, owing], "i": close }))
        .await;
    let g = &r["data"]["setAccountsStatus"];
    assert_eq!(g["changed"], 1, "{r}");
    assert_eq!(g["skipped"][0]["accountId"], owing);
    assert!(
        g["skipped"][0]["reason"]
            .as_str()
            .is_some_and(|t| t.contains("120.50")),
        "{r}"
    );
    assert_eq!(
        sql_text(
            &app,
            &format!(
                "SELECT status || ' ' || closed_on FROM \"{{s}}\".accounts WHERE id = {clean}"
            )
        )
        .await,
        format!("closed {day}")
    );
    // Kept: the debt stays on the closed account.
    let keep = json!({ "status": "CLOSED", "closedOn": day, "keepBalance": true });
    let r = app.gql(STATUS, json!({ "ids": [owing], "i": keep })).await;
    assert_eq!(r["data"]["setAccountsStatus"]["changed"], 1, "{r}");
    assert_eq!(
        sql_text(
            &app,
            &format!("SELECT status || ' ' || balance FROM \"{{s}}\".accounts WHERE id = {owing}")
        )
        .await,
        "closed 120.50"
    );
    assert_eq!(
        app.audit_actions("account", Some(owing.to_string()))
            .await
            .first()
            .map(String::as_str),
        Some("set_status")
    );
    // The month the closing falls in is marked for recalculation.
    assert!(
        sql_number(
            &app,
            &format!("SELECT count(*) FROM \"{{s}}\".period_touches WHERE period = DATE '{open}'")
        )
        .await
            > 0
    );
    // Reopened by mistake's correction: the closing day goes.
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [clean], "i": { "status": "APPROVED" } }),
        )
        .await;
    assert_eq!(r["data"]["setAccountsStatus"]["changed"], 1, "{r}");
    assert_eq!(
        sql_number(
            &app,
            &format!("SELECT count(*) FROM \"{{s}}\".accounts WHERE id = {clean} AND closed_on IS NULL AND status = 'approved'")
        )
        .await,
        1
    );
}

#[tokio::test]
async fn closing_and_annulling_refuse_what_the_rules_forbid() {
    let app = TestApp::spawn().await;
    let (a, _) = opened(&app, "Липова", "Ткаченко").await;
    let r = app
        .gql(STATUS, json!({ "ids": [a], "i": { "status": "CLOSED" } }))
        .await;
    assert_eq!(field(&r), "closedOn", "{r}");
    sql(
        &app,
        "INSERT INTO \"{s}\".periods (month, state) VALUES (DATE '2026-08-01', 'closed') ON CONFLICT (month) DO UPDATE SET state = 'closed'",
    )
    .await;
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [a], "i": { "status": "CLOSED", "closedOn": "2026-08-20" } }),
        )
        .await;
    assert_eq!(field(&r), "closedOn", "{r}");
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [a], "i": { "status": "CLOSED", "closedOn": "2026-08-31" } }),
        )
        .await;
    assert_eq!(field(&r), "closedOn", "a closed month's last day too: {r}");
    // Annulled is for an account never invoiced.
    sql(
        &app,
        &format!(
            "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
             VALUES ({a}, DATE '2026-08-01', now(), 0, 10, 0, 0, 0, 0, 0, 10)"
        ),
    )
    .await;
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [a, 987_654], "i": { "status": "ANNULLED" } }),
        )
        .await;
    let g = &r["data"]["setAccountsStatus"];
    assert_eq!(g["changed"], 0, "{r}");
    let reasons: Vec<&str> = g["skipped"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["reason"].as_str()).collect())
        .unwrap_or_default();
    assert!(reasons.contains(&"has invoices; close it instead"), "{r}");
    assert!(reasons.contains(&"there is no such account"), "{r}");
    // In Ukrainian the reasons are Ukrainian.
    let r = app
        .gql_lang(
            "uk",
            STATUS,
            json!({ "ids": [a], "i": { "status": "DRAFT" } }),
        )
        .await;
    let reason = r["data"]["setAccountsStatus"]["skipped"][0]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.contains("рахунки"), "{r}");
    assert_eq!(
        sql_text(
            &app,
            &format!("SELECT status FROM \"{{s}}\".accounts WHERE id = {a}")
        )
        .await,
        "approved"
    );
}

#[tokio::test]
async fn the_account_card_fields_are_corrected() {
    let app = TestApp::spawn().await;
    let (a, _) = opened(&app, "Кленова", "Олійник").await;
    let q = "mutation($id: Int!, $i: AccountEditInput!) { updateAccount(id: $id, input: $i) { openedOn noPenalty comment } }";
    let r = app
        .gql(
            q,
            json!({ "id": a, "i": { "openedOn": "2026-09-01", "noPenalty": true, "comment": "пеню не нараховувати: рішення правління" } }),
        )
        .await;
    let c = &r["data"]["updateAccount"];
    assert_eq!(c["noPenalty"], true, "{r}");
    assert_eq!(c["comment"], "пеню не нараховувати: рішення правління");
    assert_eq!(
        app.audit_actions("account", Some(a.to_string()))
            .await
            .first()
            .map(String::as_str),
        Some("update")
    );
    let r = app
        .gql(q, json!({ "id": a, "i": { "comment": "x".repeat(1001) } }))
        .await;
    assert_eq!(field(&r), "comment", "{r}");
    // The card shows the premises' area in force today.
    let premises = sql_number(
        &app,
        &format!("SELECT premises_id FROM \"{{s}}\".accounts WHERE id = {a}"),
    )
    .await;
    let r = app
        .gql(
            "mutation($p: Int!) { setPremisesAreas(premisesId: $p, input: { validFrom: \"2026-01-01\", totalArea: \"52.40\" }) }",
            json!({ "p": premises }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            "query($id: Int!) { account(id: $id) { area } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(r["data"]["account"]["area"], "52.4", "{r}");
    // A third party pays; the account moves to another branch; both audited.
    let (_, payer) = opened(&app, "Тополина", "Платник").await;
    let own = sql_number(
        &app,
        &format!("SELECT subscriber_id FROM \"{{s}}\".accounts WHERE id = {a}"),
    )
    .await;
    let q2 = "mutation($id: Int!, $i: AccountEditInput!) { updateAccount(id: $id, input: $i) { branchId payer { displayName } } }";
    let r = app
        .gql(
            q2,
            json!({ "id": a, "i": { "payerId": payer, "branchId": 2 } }),
        )
        .await;
    let c = &r["data"]["updateAccount"];
    assert_eq!(c["payer"]["displayName"], "Платник Ірина", "{r}");
    assert_eq!(c["branchId"], 2);
    let after = sql_text(
        &app,
        &format!("SELECT after->>'branchId' FROM \"{{s}}\".audit_log WHERE entity = 'account' AND entity_id = '{a}' AND action = 'update' ORDER BY id DESC LIMIT 1"),
    )
    .await;
    assert_eq!(after, "2");
    // The invoice names the third party as its payer.
    let (_, prev) = crate::payments::periods();
    let number = app.account_number(a).await;
    crate::payments::invoice(&app, &number, prev).await;
    assert_eq!(app.invoice_document(a, prev).await.payer, "Платник Ірина");
    for (i, expected) in [
        (json!({ "payerId": own }), "payerId"),
        (json!({ "payerId": 999_999 }), "payerId"),
        (json!({ "branchId": 999 }), "branchId"),
    ] {
        let r = app.gql(q2, json!({ "id": a, "i": i })).await;
        assert_eq!(field(&r), expected, "{r}");
    }
    let open = sql_text(
        &app,
        "SELECT max(month)::text FROM \"{s}\".periods WHERE state = 'open'",
    )
    .await;
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [a], "i": { "status": "CLOSED", "closedOn": open } }),
        )
        .await;
    assert_eq!(r["data"]["setAccountsStatus"]["changed"], 1, "{r}");
    let r = app
        .gql(q, json!({ "id": a, "i": { "openedOn": "2099-01-01" } }))
        .await;
    assert_eq!(field(&r), "openedOn", "{r}");
}

#[tokio::test]
async fn a_service_charged_in_a_closed_month_is_ended_not_removed() {
    let app = TestApp::spawn().await;
    let (a, _) = opened(&app, "Березова", "Савчук").await;
    let (b, _) = opened(&app, "Осикова", "Гнатюк").await;
    let service = sql_number(
        &app,
        "SELECT id::bigint FROM \"{s}\".services ORDER BY id LIMIT 1",
    )
    .await;
    let add = "mutation($a: Int!, $i: ServicePeriodInput!) { addAccountService(accountId: $a, input: $i) { services { id } } }";
    for account in [a, b] {
        let r = app
            .gql(
                add,
                json!({ "a": account, "i": { "serviceId": service, "startsOn": "2026-08-01" } }),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
    }
    // August is closed and charged the service to the first account.
    sql(
        &app,
        &format!(
            "INSERT INTO \"{{s}}\".periods (month, state) VALUES (DATE '2026-08-01', 'closed') ON CONFLICT (month) DO UPDATE SET state = 'closed'; \
             INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing, steps) \
             VALUES (DATE '2026-08-01', {a}, {service}, 'fixed', 1, 10, 0, 10, 0, 0, 0, 0, 0, 10, '[]')"
        ),
    )
    .await;
    let assignment = sql_number(
        &app,
        &format!("SELECT id FROM \"{{s}}\".account_services WHERE account_id = {a}"),
    )
    .await;
    let r = app
        .gql(
            "mutation($id: Int!) { removeAccountService(id: $id) { services { id } } }",
            json!({ "id": assignment }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    let r = app
        .gql(
            "mutation($ids: [Int!]!, $s: Int!) { groupRemoveService(accountIds: $ids, serviceId: $s) { changed skipped { accountId reason } } }",
            json!({ "ids": [a, b], "s": service }),
        )
        .await;
    let g = &r["data"]["groupRemoveService"];
    assert_eq!(g["changed"], 1, "only the uncharged one: {r}");
    assert_eq!(g["skipped"][0]["accountId"], a);
    assert_eq!(
        g["skipped"][0]["reason"],
        "was charged in a closed month; end the service instead"
    );
    assert_eq!(
        sql_number(
            &app,
            &format!(
                "SELECT count(*) FROM \"{{s}}\".account_services WHERE account_id IN ({a}, {b})"
            )
        )
        .await,
        1
    );
}

#[tokio::test]
async fn new_accounts_follow_the_numbering_setting() {
    let app = TestApp::spawn().await;
    let set = "mutation($i: NumberingInput!) { updateAccountNumbering(input: $i) { auto prefix length } }";
    let r = app
        .gql(
            set,
            json!({ "i": { "auto": true, "prefix": "77", "length": 8 } }),
        )
        .await;
    assert_eq!(r["data"]["updateAccountNumbering"]["prefix"], "77", "{r}");
    let number = |id: i64| format!("SELECT number FROM \"{{s}}\".accounts WHERE id = {id}");
    let (first, _) = opened(&app, "Нумерація", "Перший").await;
    let (second, _) = opened(&app, "Нумерація-2", "Другий").await;
    assert_eq!(sql_text(&app, &number(first)).await, "77000001");
    assert_eq!(sql_text(&app, &number(second)).await, "77000002");
    assert_eq!(
        app.audit_actions("settings", Some("account_numbering".into()))
            .await
            .first()
            .map(String::as_str),
        Some("update")
    );
    for (input, expected) in [
        (
            json!({ "auto": true, "prefix": "7a", "length": 8 }),
            "prefix",
        ),
        (
            json!({ "auto": true, "prefix": "1234", "length": 4 }),
            "length",
        ),
        (
            json!({ "auto": true, "prefix": "", "length": 21 }),
            "length",
        ),
    ] {
        let r = app.gql(set, json!({ "i": input })).await;
        assert_eq!(field(&r), expected, "{r}");
    }
    // Manual: a number must be typed.
    app.gql(set, json!({ "i": { "auto": false, "length": 6 } }))
        .await;
    let add = "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Ручна\", building: \"1\", apartmentsFrom: 1, apartmentsTo: 1 }) { buildingId } }";
    let b = app.gql(add, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let p = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await["data"]["building"]["premises"][0]["id"]
        .clone();
    let open = |n: Value| json!({ "i": { "number": n, "newSubscriber": { "lastName": "Ручний" }, "premisesId": p, "openedOn": "2026-09-01" } });
    let r = app.gql(OPEN, open(Value::Null)).await;
    assert_eq!(field(&r), "number", "{r}");
    let r = app.gql(OPEN, open(json!("5550001"))).await;
    assert!(r["errors"].is_null(), "{r}");
}

#[tokio::test]
async fn premises_and_buildings_entered_by_mistake_are_deleted_others_stay() {
    let app = TestApp::spawn().await;
    let (account, _) = opened(&app, "Помилкова", "Зайченко").await;
    let premises = sql_number(
        &app,
        &format!("SELECT premises_id FROM \"{{s}}\".accounts WHERE id = {account}"),
    )
    .await;
    let building = sql_number(
        &app,
        &format!("SELECT building_id::bigint FROM \"{{s}}\".premises WHERE id = {premises}"),
    )
    .await;
    let other = sql_number(
        &app,
        &format!(
            "SELECT id FROM \"{{s}}\".premises WHERE building_id = {building} AND id <> {premises}"
        ),
    )
    .await;
    let del_premises = "mutation($id: Int!) { deletePremises(id: $id) { premises { id } } }";
    let del_building = "mutation($id: Int!) { deleteBuilding(id: $id) }";
    // With an account: both stay.
    let r = app.gql(del_premises, json!({ "id": premises })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    let r = app.gql(del_building, json!({ "id": building })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    // The empty apartment goes, audited; the card lists one apartment.
    let r = app.gql(del_premises, json!({ "id": other })).await;
    assert_eq!(
        r["data"]["deletePremises"]["premises"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{r}"
    );
    assert_eq!(
        app.audit_actions("premises", Some(other.to_string()))
            .await
            .first()
            .map(String::as_str),
        Some("delete")
    );
    // A building with no accounts goes with its premises.
    let add = "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Порожня\", building: \"9\", apartmentsFrom: 1, apartmentsTo: 3 }) { buildingId } }";
    let empty = app.gql(add, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let r = app.gql(del_building, json!({ "id": empty })).await;
    assert_eq!(r["data"]["deleteBuilding"], true, "{r}");
    assert_eq!(
        sql_number(
            &app,
            &format!("SELECT count(*) FROM \"{{s}}\".premises WHERE building_id = {empty}")
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_removed_resident_is_kept_and_restored() {
    let app = TestApp::spawn().await;
    let (account, _) = opened(&app, "Липова", "Шаповал").await;
    let r = app
        .gql(
            "mutation($a: Int!) { addResident(accountId: $a, input: { fullName: \"Шаповал Марта\", registeredFrom: \"2026-09-01\", livingFrom: \"2026-09-01\" }) { account { residents } residents { id } } }",
            json!({ "a": account }),
        )
        .await;
    assert_eq!(r["data"]["addResident"]["account"]["residents"], 1, "{r}");
    let id = r["data"]["addResident"]["residents"][0]["id"].clone();
    let r = app
        .gql(
            "mutation($id: Int!) { removeResident(id: $id) { account { residents } residents { id } removedResidents { id fullName registeredFrom removedBy } } }",
            json!({ "id": id }),
        )
        .await;
    let card = &r["data"]["removeResident"];
    assert_eq!(card["account"]["residents"], 0, "{r}");
    assert_eq!(card["residents"], json!([]));
    assert_eq!(card["removedResidents"][0]["fullName"], "Шаповал Марта");
    assert_eq!(card["removedResidents"][0]["registeredFrom"], "2026-09-01");
    assert!(
        card["removedResidents"][0]["removedBy"]
            .as_str()
            .is_some_and(|l| l.ends_with(".admin")),
        "{r}"
    );
    let r = app
        .gql(
            "mutation($id: Int!) { restoreResident(id: $id) { account { residents } residents { id fullName livingFrom } removedResidents { id } } }",
            json!({ "id": id }),
        )
        .await;
    let card = &r["data"]["restoreResident"];
    assert_eq!(card["account"]["residents"], 1, "{r}");
    assert_eq!(
        card["residents"][0]["id"], id,
        "the same resident, with its id"
    );
    assert_eq!(card["residents"][0]["livingFrom"], "2026-09-01");
    assert_eq!(card["removedResidents"], json!([]));
    assert_eq!(
        app.audit_actions("resident", Some(id.to_string()))
            .await
            .first()
            .map(String::as_str),
        Some("restore")
    );
    // Restored once: a second restore finds nothing.
    let r = app
        .gql(
            "mutation($id: Int!) { restoreResident(id: $id) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
}
