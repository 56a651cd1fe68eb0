//! The meter registry: cards with verification dates, lists and filters, removal and
//! restore, and the account search by meter number.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const CREATE: &str = "mutation($i: MeterInput!) { createMeter(input: $i) { id serial accountNumber address nextVerification digits initialReading } }";
const LIST: &str = "query($s: MeterState!, $q: String, $v: VerificationFilter, $on: NaiveDate) { meters(state: $s, search: $q, verification: $v, on: $on) { total items { serial } } }";

pub(crate) async fn setup(app: &TestApp) -> (Value, i64, i64, Value) {
    let add = "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Садова\", building: \"3\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }";
    let b = app.gql(add, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let premises = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await["data"]["building"]["premises"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    let sub = app
        .gql("mutation { createSubscriber(input: { lastName: \"Коваль\", firstName: \"Ірина\" }) { id } }", json!({}))
        .await["data"]["createSubscriber"]["id"]
        .clone();
    let open = app
        .gql("mutation($s: Int!, $p: Int!) { openAccount(input: { subscriberId: $s, premisesId: $p, openedOn: \"2026-01-01\" }) { account { id } } }", json!({ "s": sub, "p": premises }))
        .await;
    let account = open["data"]["openAccount"]["account"]["id"]
        .as_i64()
        .unwrap_or_default();
    let model = app
        .gql(
            "mutation($i: ItemInput!) { createReferenceItem(book: METER_MODELS, input: $i) { id } }",
            json!({ "i": { "code": "sv15", "name": "СВ-15", "extra": { "digits": 5, "verificationMonths": 48 } } }),
        )
        .await["data"]["createReferenceItem"]["id"]
        .clone();
    (b, premises, account, model)
}

#[tokio::test]
async fn a_meter_card_computes_its_verification_and_the_account_is_found_by_its_number() {
    let app = TestApp::spawn().await;
    let (b, premises, account, model) = setup(&app).await;
    let xvs = app
        .gql(
            "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let input = json!({ "serial": "ХВ-0457731", "modelId": model, "serviceId": xvs, "buildingId": b, "premisesId": premises,
        "installedOn": "2022-12-10", "initialReading": "12,5", "sealNumber": "П-77", "verifiedOn": "2022-12-01" });
    let r = app.gql(CREATE, json!({ "i": input })).await;
    let m = &r["data"]["createMeter"];
    assert_eq!(
        m["nextVerification"], "2026-12-01",
        "verified + 48 months: {r}"
    );
    assert_eq!(m["digits"], 5, "from the model: {r}");
    assert_eq!(m["initialReading"], "12.5", "{r}");
    assert!(
        m["accountNumber"].is_string(),
        "the apartment's account: {r}"
    );
    let id = m["id"].clone();

    // The account is found by the meter's number.
    let found = app
        .gql(
            "{ accounts(search: \"ХВ-0457731\") { items { id meters } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        found["data"]["accounts"]["items"][0]["id"], account,
        "{found}"
    );
    assert_eq!(
        found["data"]["accounts"]["items"][0]["meters"], 1,
        "{found}"
    );

    // Bad cards name the field.
    for (change, field) in [
        (json!({ "initialReading": "0" }), "initialReading"),
        (json!({ "serial": " " }), "serial"),
        (json!({ "installMethod": "roof" }), "installMethod"),
        (
            json!({ "installedOn": "2023-01-01", "serial": "ХВ-0457731" }),
            "serial",
        ),
    ] {
        let mut bad = input.clone();
        if let (Some(o), Some(c)) = (bad.as_object_mut(), change.as_object()) {
            o.extend(c.clone());
        }
        let r = app.gql(CREATE, json!({ "i": bad })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }

    // A verification moves the next one on and records the new seal.
    let verify = "mutation($id: Int!, $d: NaiveDate!, $s: String) { verifyMeter(id: $id, verifiedOn: $d, sealNumber: $s) { verifiedOn nextVerification sealNumber sealedOn } }";
    let r = app
        .gql(verify, json!({ "id": id, "d": "2026-11-20", "s": "П-91" }))
        .await;
    assert_eq!(
        r["data"]["verifyMeter"],
        json!({ "verifiedOn": "2026-11-20", "nextVerification": "2030-11-20", "sealNumber": "П-91", "sealedOn": "2026-11-20" }),
        "{r}"
    );
    let r = app
        .gql(verify, json!({ "id": id, "d": "2020-01-01" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "verifiedOn", "{r}");
    // Verified again on the install day: next verification 2026-12-10, for the filters.
    let r = app
        .gql(verify, json!({ "id": id, "d": "2022-12-10" }))
        .await;
    assert_eq!(
        r["data"]["verifyMeter"]["nextVerification"], "2026-12-10",
        "{r}"
    );

    // Verification filters on a given day.
    let due = |v: &str, on: &str| app.gql(LIST, json!({ "s": "WORKING", "v": v, "on": on }));
    assert_eq!(
        due("DUE_SOON", "2026-11-23").await["data"]["meters"]["total"],
        1
    );
    assert_eq!(
        due("OVERDUE", "2026-11-23").await["data"]["meters"]["total"],
        0
    );
    assert_eq!(
        due("OVERDUE", "2026-12-11").await["data"]["meters"]["total"],
        1
    );
    assert_eq!(
        due("DUE_SOON", "2026-10-01").await["data"]["meters"]["total"],
        0
    );

    // Removed: it moves to the archive and leaves the account's search; restored: back.
    let remove = "mutation($id: Int!, $d: NaiveDate!) { removeMeter(id: $id, removedOn: $d, finalReading: \"145.2\") { removedOn finalReading } }";
    let today = chrono::Utc::now().date_naive().to_string();
    let r = app.gql(remove, json!({ "id": id, "d": today })).await;
    assert_eq!(r["data"]["removeMeter"]["finalReading"], "145.2", "{r}");
    let archive = app.gql(LIST, json!({ "s": "ARCHIVE" })).await;
    assert_eq!(archive["data"]["meters"]["total"], 1, "{archive}");
    let gone = app
        .gql("{ accounts(search: \"ХВ-0457731\") { total } }", json!({}))
        .await;
    assert_eq!(gone["data"]["accounts"]["total"], 0, "{gone}");
    let r = app
        .gql(
            "mutation($id: Int!) { restoreMeter(id: $id) { removedOn } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["data"]["restoreMeter"]["removedOn"].is_null(), "{r}");
    let back = app.gql(LIST, json!({ "s": "WORKING", "q": "0457" })).await;
    assert_eq!(
        back["data"]["meters"]["items"][0]["serial"], "ХВ-0457731",
        "{back}"
    );

    let actions = app.audit_actions("meter", Some(id.to_string())).await;
    assert_eq!(
        actions,
        ["restore", "remove", "verify", "verify", "create"],
        "audit"
    );
}

#[tokio::test]
async fn main_meters_are_assigned_removed_and_replaced_under_the_rules() {
    let app = TestApp::spawn().await;
    let (b, premises, _, model) = setup(&app).await;
    let xvs = app
        .gql(
            "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let gvs = app
        .gql(
            "{ referenceBook(book: SERVICES, search: \"gvs\") { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let make = |serial: &str, method: &str, service: &Value, flat: Option<i64>, installed: &str| {
        json!({ "i": { "serial": serial, "modelId": model, "serviceId": service, "installMethod": method,
            "buildingId": b, "premisesId": flat, "installedOn": installed, "initialReading": "1" } })
    };
    let id = |r: Value| {
        r["data"]["createMeter"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{r}"))
    };
    let house = id(app
        .gql(CREATE, make("Б-1", "building", &xvs, None, "2020-01-01"))
        .await);
    let flat = id(app
        .gql(
            CREATE,
            make("К-1", "apartment", &xvs, Some(premises), "2020-01-01"),
        )
        .await);
    let hot = id(app
        .gql(
            CREATE,
            make("К-2", "apartment", &gvs, Some(premises), "2020-01-01"),
        )
        .await);

    let assign = "mutation($m: Int!, $ids: [Int!]!) { assignMainMeter(mainId: $m, meterIds: $ids) { changed skipped { meterId reason } warning } }";
    let r = app
        .gql_lang(
            "uk",
            assign,
            json!({ "m": house, "ids": [flat, hot, house] }),
        )
        .await;
    let g = &r["data"]["assignMainMeter"];
    assert_eq!(g["changed"], 1, "{r}");
    assert_eq!(
        g["warning"], "рахунки відкритого періоду треба переформувати",
        "{r}"
    );
    let reasons: Vec<(i64, String)> = g["skipped"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    (
                        s["meterId"].as_i64().unwrap_or_default(),
                        s["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        reasons.contains(&(
            hot,
            "головний лічильник має обліковувати ту саму послугу".into()
        )),
        "{r}"
    );
    assert!(
        reasons.contains(&(house, "лічильник не може бути головним сам собі".into())),
        "{r}"
    );
    let card = app
        .gql(
            "query($id: Int!) { meter(id: $id) { parentSerial } }",
            json!({ "id": flat }),
        )
        .await;
    assert_eq!(card["data"]["meter"]["parentSerial"], "Б-1", "{card}");

    // Replacing: not while the old main works; then only with the new one installed the
    // day the old one was taken out.
    // Take-out days must lie in the open period (the current month).
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let (out_day, later_day) = (format!("{month}-02"), format!("{month}-03"));
    let new_house = id(app
        .gql(CREATE, make("Б-2", "building", &xvs, None, &later_day))
        .await);
    let replace = "mutation($o: Int!, $n: Int!) { replaceMainMeter(oldMainId: $o, newMainId: $n) { changed } }";
    let r = app
        .gql(replace, json!({ "o": house, "n": new_house }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "newMainId", "{r}");
    let remove = "mutation($id: Int!, $d: NaiveDate!) { removeMeter(id: $id, removedOn: $d, finalReading: \"100\") { id } }";
    let r = app
        .gql(remove, json!({ "id": house, "d": "2020-01-31" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "removedOn", "{r}");
    let r = app.gql(remove, json!({ "id": house, "d": out_day })).await;
    assert!(r["errors"].is_null(), "{r}");
    // The flat's main is out of service until it is replaced: the list says so.
    let flagged = |r: &Value| r["data"]["meter"]["parentRemoved"].clone();
    let q = "query($id: Int!) { meter(id: $id) { parentSerial parentRemoved } }";
    let card = app.gql(q, json!({ "id": flat })).await;
    assert_eq!(flagged(&card), json!(true), "{card}");
    let r = app
        .gql(replace, json!({ "o": house, "n": new_house }))
        .await;
    let msg = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains(&out_day), "the dates must meet: {r}");
    let r = app
        .gql(
            "mutation($id: Int!) { updateMeter(id: $id, input: { serial: \"Б-2\", serviceId: 0, buildingId: 0, installedOn: \"2026-10-31\", initialReading: \"1\" }) { id } }",
            json!({ "id": new_house }),
        )
        .await;
    assert!(
        r["errors"].is_array(),
        "a card needs its service and building: {r}"
    );
    let fix = make("Б-2", "building", &xvs, None, &out_day);
    let r = app
        .gql("mutation($id: Int!, $i: MeterInput!) { updateMeter(id: $id, input: $i) { installedOn } }", json!({ "id": new_house, "i": fix["i"] }))
        .await;
    assert_eq!(r["data"]["updateMeter"]["installedOn"], out_day, "{r}");
    let r = app
        .gql(replace, json!({ "o": house, "n": new_house }))
        .await;
    assert_eq!(r["data"]["replaceMainMeter"]["changed"], 1, "{r}");
    let card = app
        .gql(
            "query($id: Int!) { meter(id: $id) { parentSerial } }",
            json!({ "id": flat }),
        )
        .await;
    assert_eq!(card["data"]["meter"]["parentSerial"], "Б-2", "{card}");
    let card = app.gql(q, json!({ "id": flat })).await;
    assert_eq!(flagged(&card), json!(false), "{card}");

    let remove = "mutation($ids: [Int!]!) { removeMainMeter(meterIds: $ids) { changed skipped { reason } } }";
    let r = app.gql(remove, json!({ "ids": [flat, hot] })).await;
    assert_eq!(r["data"]["removeMainMeter"]["changed"], 1, "{r}");
    assert_eq!(
        r["data"]["removeMainMeter"]["skipped"][0]["reason"], "the meter has no main meter",
        "{r}"
    );
    let actions = app.audit_actions("meter", Some(flat.to_string())).await;
    assert_eq!(
        actions,
        ["remove_main", "replace_main", "assign_main", "create"],
        "audit"
    );
}
