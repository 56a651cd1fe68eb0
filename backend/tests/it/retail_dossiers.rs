//! Electricity retail dossiers (issue 23): a customer with its identifier checked by its
//! kind's rule, metering points by EIC (one customer's at a time), contracts and annexes
//! with their price terms; every change audited; a user limited to a branch sees only that
//! branch's customers; the tenant's kind of business chosen in its settings.

use serde_json::{Value, json};

use crate::helpers::{TestApp, sql_number};

const CUSTOMER: &str = "mutation($id: Int, $i: RetailCustomerInput!) { saveRetailCustomer(id: $id, input: $i) { customer { id name identifier vatNumber delivery invoiceEmail paymentDays } branchName intermediaryName points { id eic metering registeredTo gridOperatorName } contracts { id contractId number priceKind price priceDay priceNight pricePeak margin priceMin priceMax validFrom } } }";
const POINT: &str = "mutation($c: Int, $id: Int, $i: RetailPointInput!) { saveRetailPoint(customerId: $c, id: $id, input: $i) { points { id eic registeredFrom registeredTo } } }";
const CONTRACT: &str = "mutation($c: Int, $a: Int, $id: Int, $i: RetailContractInput!) { saveRetailContract(customerId: $c, annexOf: $a, id: $id, input: $i) { contracts { id contractId number priceKind price priceDay priceNight pricePeak margin priceMin priceMax validFrom } } }";
const ITEM: &str =
    "mutation($b: Book!, $i: ItemInput!) { createReferenceItem(book: $b, input: $i) { id } }";

async fn item(app: &TestApp, book: &str, input: Value) -> i64 {
    let r = app.gql(ITEM, json!({ "b": book, "i": input })).await;
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

fn field(r: &Value) -> &Value {
    &r["errors"][0]["extensions"]["field"]
}

/// A point's input on the operator, from a day.
fn point(eic: &str, operator: i64, from: &str, to: Option<&str>) -> Value {
    json!({ "eic": eic, "pointNumber": "ИТН 4021", "gridOperatorId": operator, "voltage": "medium",
            "metering": "hourly", "registeredFrom": from, "registeredTo": to })
}

fn contract(number: &str, from: &str, terms: Value) -> Value {
    let mut i = json!({ "number": number, "signedOn": "2026-01-10", "validFrom": from });
    if let (Some(i), Some(t)) = (i.as_object_mut(), terms.as_object()) {
        i.extend(t.clone());
    }
    i
}

#[tokio::test]
async fn a_dossier_holds_checked_customers_points_and_contracts_within_reach() {
    let app = TestApp::spawn().await;
    let sofia = item(&app, "BRANCHES", json!({ "code": "SOF", "name": "София" })).await;
    let plovdiv = item(
        &app,
        "BRANCHES",
        json!({ "code": "PDV", "name": "Пловдив" }),
    )
    .await;
    let operator = item(
        &app,
        "GRID_OPERATORS",
        json!({ "code": "ERYUG", "name": "Електроразпределение Юг", "extra": { "eic": "32XEVN-DISTRIBUC" } }),
    )
    .await;
    let agent = item(
        &app,
        "INTERMEDIARIES",
        json!({ "code": "A1", "name": "Енерджи Брокер", "extra": { "commission": "1,5" } }),
    )
    .await;
    let company = json!({ "branchId": sofia, "kind": "company", "name": "Пекарна Изгрев ООД",
        "identifier": "121396123", "vatNumber": "bg 121396123", "invoiceEmail": "fakturi@izgrev.bg",
        "paymentDays": 15, "intermediaryId": agent });
    // Each rule refused by its field, in the user's language.
    for (change, expected) in [
        (json!({ "identifier": "121396124" }), "identifier"),
        (json!({ "identifier": null }), "identifier"),
        (json!({ "vatNumber": "BG12139612X" }), "vatNumber"),
        (json!({ "invoiceEmail": "" }), "invoiceEmail"),
        (json!({ "paymentDays": 200 }), "paymentDays"),
        (json!({ "kind": "farm" }), "kind"),
        (json!({ "branchId": 9999 }), "branchId"),
    ] {
        let mut input = company.clone();
        if let (Some(i), Some(c)) = (input.as_object_mut(), change.as_object()) {
            i.extend(c.clone());
        }
        let r = app.gql(CUSTOMER, json!({ "i": input })).await;
        assert_eq!(field(&r), expected, "{change}: {r}");
    }
    let r = app
        .gql_lang(
            "bg",
            CUSTOMER,
            json!({ "i": { "branchId": sofia, "kind": "company", "name": "X", "identifier": "121396124", "invoiceEmail": "x@x.bg" } }),
        )
        .await;
    assert_eq!(
        r["errors"][0]["message"],
        "ЕИК / ЕГН: контролната цифра на идентификатора не съвпада (грешка при въвеждане?)",
        "{r}"
    );
    let r = app.gql(CUSTOMER, json!({ "i": company })).await;
    let card = &r["data"]["saveRetailCustomer"];
    assert_eq!(card["customer"]["vatNumber"], "BG121396123", "{r}");
    assert_eq!(
        (&card["branchName"], &card["intermediaryName"]),
        (&json!("София"), &json!("Енерджи Брокер"))
    );
    let customer = card["customer"]["id"].as_i64().unwrap_or_default();
    assert_eq!(
        app.audit_actions("retail_customer", Some(customer.to_string()))
            .await,
        vec!["create"]
    );
    // A household needs no identifier, but one given is an ЕГН; one identifier per customer.
    let home = json!({ "branchId": plovdiv, "kind": "household", "name": "Иван Петров",
        "delivery": "post" });
    let r = app.gql(CUSTOMER, json!({ "i": home })).await;
    let household = r["data"]["saveRetailCustomer"]["customer"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let mut taken = home.clone();
    taken["identifier"] = json!("121396123");
    let r = app
        .gql(CUSTOMER, json!({ "id": household, "i": taken }))
        .await;
    assert_eq!(field(&r), "identifier", "a company's ЕИК is no ЕГН: {r}");
    taken["identifier"] = json!("7523169263");
    let r = app
        .gql(CUSTOMER, json!({ "id": household, "i": taken }))
        .await;
    assert_eq!(
        r["data"]["saveRetailCustomer"]["customer"]["identifier"], "7523169263",
        "{r}"
    );

    // Points: the EIC checked, one customer's at a time.
    let eic = "32Z140000201473C";
    for (input, expected) in [
        (
            point("32Z140000201473D", operator, "2026-01-01", None),
            "eic",
        ),
        (
            point("10YCA-BULGARIA-R", operator, "2026-01-01", None),
            "eic",
        ),
        (point(eic, 9999, "2026-01-01", None), "gridOperatorId"),
        (
            point(eic, operator, "2026-05-01", Some("2026-04-01")),
            "registeredTo",
        ),
    ] {
        let r = app.gql(POINT, json!({ "c": customer, "i": input })).await;
        assert_eq!(field(&r), expected, "{input}: {r}");
    }
    let mut profiled = point(eic, operator, "2026-01-01", None);
    profiled["metering"] = json!("profile");
    let r = app
        .gql(POINT, json!({ "c": customer, "i": profiled }))
        .await;
    assert_eq!(field(&r), "profile", "{r}");
    let r = app
        .gql(
            POINT,
            json!({ "c": customer, "i": point(&eic.to_lowercase(), operator, "2026-01-01", Some("2026-06-30")) }),
        )
        .await;
    let points = &r["data"]["saveRetailPoint"]["points"];
    assert_eq!(points[0]["eic"], eic, "kept upper case: {r}");
    let r = app
        .gql(
            POINT,
            json!({ "c": household, "i": point(eic, operator, "2026-06-01", None) }),
        )
        .await;
    assert_eq!(field(&r), "eic", "June is the company's still: {r}");
    let r = app
        .gql(
            POINT,
            json!({ "c": household, "i": point(eic, operator, "2026-07-01", None) }),
        )
        .await;
    assert_eq!(
        r["data"]["saveRetailPoint"]["points"][0]["registeredFrom"], "2026-07-01",
        "from July the household's: {r}"
    );

    // Contracts and annexes with their terms.
    for (terms, expected) in [
        (json!({ "priceKind": "fixed" }), "price"),
        (
            json!({ "priceKind": "fixed", "price": "210", "margin": "4" }),
            "margin",
        ),
        (
            json!({ "priceKind": "zones", "priceDay": "230" }),
            "priceNight",
        ),
        (
            json!({ "priceKind": "zones", "priceDay": "-1", "priceNight": "150" }),
            "priceDay",
        ),
        (
            json!({ "priceKind": "exchange", "margin": "4", "priceMin": "250", "priceMax": "90" }),
            "priceMax",
        ),
        (
            json!({ "priceKind": "fixed", "price": "1,234567" }),
            "price",
        ),
        (json!({ "priceKind": "hourly" }), "priceKind"),
    ] {
        let r = app
            .gql(
                CONTRACT,
                json!({ "c": customer, "i": contract("Д-1", "2026-02-01", terms.clone()) }),
            )
            .await;
        assert_eq!(field(&r), expected, "{terms}: {r}");
    }
    let r = app
        .gql(
            CONTRACT,
            json!({ "c": customer, "i": contract("Д-1", "2026-02-01", json!({ "priceKind": "zones", "priceDay": "231,50", "priceNight": "148.2", "pricePeak": "290" })) }),
        )
        .await;
    let first = &r["data"]["saveRetailContract"]["contracts"][0];
    assert_eq!(
        (
            &first["priceDay"],
            &first["priceNight"],
            &first["pricePeak"]
        ),
        (&json!("231.5"), &json!("148.2"), &json!("290")),
        "{r}"
    );
    let contract_id = first["id"].as_i64().unwrap_or_default();
    let annex = |from: &str| {
        contract(
            "Анекс 1",
            from,
            json!({ "priceKind": "exchange", "margin": "6.8", "priceMin": "90", "priceMax": "320" }),
        )
    };
    let r = app
        .gql(
            CONTRACT,
            json!({ "a": contract_id, "i": annex("2025-12-01") }),
        )
        .await;
    assert_eq!(field(&r), "validFrom", "signed after it begins: {r}");
    let mut early = annex("2026-01-20");
    early["signedOn"] = json!("2025-12-01");
    let r = app
        .gql(CONTRACT, json!({ "a": contract_id, "i": early }))
        .await;
    assert_eq!(field(&r), "validFrom", "before its contract: {r}");
    let r = app
        .gql(
            CONTRACT,
            json!({ "a": contract_id, "i": annex("2026-04-01") }),
        )
        .await;
    let contracts = r["data"]["saveRetailContract"]["contracts"].clone();
    assert_eq!(
        contracts.as_array().map(|a| a
            .iter()
            .map(|c| (c["number"].clone(), c["contractId"].clone()))
            .collect::<Vec<_>>()),
        Some(vec![
            (json!("Д-1"), Value::Null),
            (json!("Анекс 1"), json!(contract_id))
        ]),
        "{r}"
    );
    assert_eq!(contracts[1]["margin"], "6.8");
    let annex_id = contracts[1]["id"].as_i64().unwrap_or_default();
    let r = app
        .gql(CONTRACT, json!({ "a": annex_id, "i": contract("Анекс 2", "2026-05-01", json!({ "priceKind": "fixed", "price": "200" })) }))
        .await;
    assert_eq!(field(&r), "contractId", "an annex of an annex: {r}");
    let r = app
        .gql(
            CONTRACT,
            json!({ "c": customer, "a": contract_id, "i": annex("2026-04-01") }),
        )
        .await;
    assert_eq!(field(&r), "id", "{r}");
    let r = app
        .gql(CONTRACT, json!({ "c": customer, "i": annex("2026-04-01") }))
        .await;
    assert_eq!(field(&r), "number", "the number is taken: {r}");
    assert_eq!(
        app.audit_actions("retail_contract", Some(annex_id.to_string()))
            .await,
        vec!["create"]
    );

    // The list: searched by a point's EIC and by a contract's number.
    let list = "query($s: String) { retailCustomers(search: $s) { total items { name points contracts branchName } } }";
    let r = app.gql(list, json!({ "s": "201473" })).await;
    assert_eq!(
        r["data"]["retailCustomers"]["total"], 2,
        "both had the point: {r}"
    );
    let r = app.gql(list, json!({ "s": "анекс" })).await;
    assert_eq!(
        r["data"]["retailCustomers"]["items"],
        json!([{ "name": "Пекарна Изгрев ООД", "points": 0, "contracts": 1, "branchName": "София" }]),
        "the company's point left in June; one contract, its annex not counted: {r}"
    );

    // A user of Plovdiv's branch sees Plovdiv's household only, and may not move it to
    // Sofia nor add to Sofia's customer.
    let login = format!("{}.pdv", app.tenant);
    app.gql(
        "mutation($l: String!, $b: [Int!]) { createUser(input: { login: $l, displayName: \"pdv\", password: \"Пароль-2026-pdv-retail\", roles: [\"operator\"], branchIds: $b }) { id } }",
        json!({ "l": login, "b": [plovdiv] }),
    )
    .await;
    let token = app.login(&login, "Пароль-2026-pdv-retail").await;
    let r = app.gql_as(Some(&token), list, json!({})).await;
    assert_eq!(
        r["data"]["retailCustomers"]["items"],
        json!([{ "name": "Иван Петров", "points": 1, "contracts": 0, "branchName": "Пловдив" }]),
        "{r}"
    );
    let r = app
        .gql_as(
            Some(&token),
            "query($id: Int!) { retailCustomer(id: $id) { customer { name } } }",
            json!({ "id": customer }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
    let mut moved = taken.clone();
    moved["branchId"] = json!(sofia);
    let r = app
        .gql_as(
            Some(&token),
            CUSTOMER,
            json!({ "id": household, "i": moved }),
        )
        .await;
    assert_eq!(field(&r), "branchId", "{r}");
    let r = app
        .gql_as(
            Some(&token),
            CONTRACT,
            json!({ "c": customer, "i": contract("Д-9", "2026-02-01", json!({ "priceKind": "fixed", "price": "200" })) }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");

    // Scanned papers: a PDF of the contract, a renamed program refused; downloaded by
    // whoever sees the customer, by nobody else; removed with its file.
    const ATTACH: &str = "mutation($c: Int!, $k: Int, $file: Upload!) { attachRetailDocument(customerId: $c, contractId: $k, file: $file) { documents { id contractId fileName mediaType bytes uploadedBy } } }";
    let scan = b"%PDF-1.4\n% the signed contract\n%%EOF\n";
    let r = app
        .upload_gql(
            ATTACH,
            json!({ "c": customer, "k": contract_id }),
            "Договор Д-1.pdf",
            b"MZ\x90\x00 not a scan",
        )
        .await;
    assert_eq!(field(&r), "file", "{r}");
    let r = app
        .upload_gql(
            ATTACH,
            json!({ "c": household, "k": contract_id }),
            "x.pdf",
            scan,
        )
        .await;
    assert_eq!(field(&r), "contractId", "another customer's contract: {r}");
    let r = app
        .upload_gql(
            ATTACH,
            json!({ "c": customer, "k": contract_id }),
            "Договор Д-1.pdf",
            scan,
        )
        .await;
    let paper = &r["data"]["attachRetailDocument"]["documents"][0];
    assert_eq!(
        (
            &paper["fileName"],
            &paper["mediaType"],
            &paper["bytes"],
            &paper["contractId"]
        ),
        (
            &json!("Договор Д-1.pdf"),
            &json!("application/pdf"),
            &json!(scan.len()),
            &json!(contract_id)
        ),
        "{r}"
    );
    let paper = paper["id"].as_i64().unwrap_or_default();
    let download = |t: String| {
        app.http
            .get(format!("{}/files/retail-documents/{paper}", app.base))
            .bearer_auth(t)
            .send()
    };
    let got = download(app.admin_token.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.status(), 200);
    assert_eq!(
        got.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    assert!(
        got.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(
                |d| d.contains("filename*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80")
            ),
        "{:?}",
        got.headers()
    );
    assert_eq!(
        got.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        scan.to_vec()
    );
    let other = download(token.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        other.status(),
        404,
        "Plovdiv's user does not see Sofia's papers"
    );
    let r = app
        .gql(
            "mutation($id: Int!) { removeRetailDocument(id: $id) { documents { id } } }",
            json!({ "id": paper }),
        )
        .await;
    assert_eq!(
        r["data"]["removeRetailDocument"]["documents"],
        json!([]),
        "{r}"
    );
    let gone = download(app.admin_token.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(gone.status(), 404);
    assert_eq!(
        app.audit_actions("retail_document", Some(paper.to_string()))
            .await,
        vec!["delete", "create"]
    );
    let left = app
        .state
        .store
        .objects(&format!("tenants/{}/retail/", app.tenant))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(left.is_empty(), "the file went with the paper: {left:?}");
}

#[tokio::test]
async fn the_tenant_chooses_its_kind_of_business() {
    let app = TestApp::spawn().await;
    let set = "mutation($k: String!) { updateSecuritySettings(input: { businessKind: $k }) { businessKind } }";
    let r = app.gql(set, json!({ "k": "bakery" })).await;
    assert_eq!(field(&r), "businessKind", "{r}");
    let r = app.gql("{ reportCatalog { kind } }", json!({})).await;
    let water = r["data"]["reportCatalog"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        water.len() > 10 && !water.contains(&json!({ "kind": "RETAIL_CONTRACTS" })),
        "{r}"
    );
    let r = app.gql(set, json!({ "k": "water_electricity" })).await;
    assert_eq!(
        r["data"]["updateSecuritySettings"]["businessKind"], "water_electricity",
        "{r}"
    );
    let r = app.gql("{ reportCatalog { kind } }", json!({})).await;
    assert_eq!(
        r["data"]["reportCatalog"].as_array().map(Vec::len),
        Some(water.len() + 1),
        "both sides' reports: {r}"
    );
    let r = app.gql("{ tenant { businessKind } }", json!({})).await;
    assert_eq!(
        r["data"]["tenant"]["businessKind"], "water_electricity",
        "{r}"
    );
    assert_eq!(
        app.audit_actions("settings", Some("security".into())).await,
        vec!["update"],
        "one change, the refused one not recorded"
    );
}

#[tokio::test]
async fn the_demo_retailer_has_customers_of_every_kind_of_price() {
    let now = chrono::Utc::now();
    let app = TestApp::spawn_retail_demo(now).await;
    let r = app
        .gql(
            "{ tenant { businessKind currency locale } retailCustomers { total items { id name kind points contracts intermediaryName } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r["data"]["tenant"],
        json!({ "businessKind": "electricity", "currency": "EUR", "locale": "bg" }),
        "{r}"
    );
    let items = r["data"]["retailCustomers"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(r["data"]["retailCustomers"]["total"], 6, "{r}");
    let households = items.iter().filter(|c| c["kind"] == "household").count();
    let points: i64 = items
        .iter()
        .map(|c| c["points"].as_i64().unwrap_or(0))
        .sum();
    let brought = items
        .iter()
        .filter(|c| c["intermediaryName"] == "Енерджи Брокер ООД")
        .count();
    assert_eq!((households, points, brought), (2, 8, 2), "{r}");
    // Every kind of price in some contract; the bakery's annex moved it onto the exchange.
    let mut kinds = std::collections::BTreeSet::new();
    for c in &items {
        let card = app
            .gql(
                "query($id: Int!) { retailCustomer(id: $id) { points { eic metering profile } contracts { contractId priceKind margin priceMin priceMax validFrom } } }",
                json!({ "id": c["id"] }),
            )
            .await;
        assert!(
            card["data"]["retailCustomer"]["contracts"].is_array(),
            "{card}"
        );
        let card = &card["data"]["retailCustomer"];
        for p in card["points"].as_array().into_iter().flatten() {
            let eic = p["eic"].as_str().unwrap_or_default();
            assert!(
                domain::electricity::Eic::parse(eic).is_ok_and(|e| e.is_metering_point()),
                "{eic}"
            );
            assert_eq!(p["metering"] == "profile", p["profile"] != "", "{p}");
        }
        for k in card["contracts"].as_array().into_iter().flatten() {
            kinds.insert(k["priceKind"].as_str().unwrap_or_default().to_owned());
            if !k["contractId"].is_null() {
                assert_eq!(
                    (
                        c["name"].as_str(),
                        &k["margin"],
                        &k["priceMin"],
                        &k["priceMax"]
                    ),
                    (
                        Some("Пекарна Изгрев ООД"),
                        &json!("6.8"),
                        &json!("90"),
                        &json!("320")
                    ),
                    "{card}"
                );
            }
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        vec!["exchange", "fixed", "zones"]
    );
    // The list exports as searched on screen, in the export's language.
    let worker = app.start_worker(app.state.clone(), "retail-export");
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: RETAIL_CUSTOMERS, search: \"ООД\", lang: \"bg\" }) { id } }",
            json!({}),
        )
        .await;
    let export = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app
        .wait_job(&export, std::time::Duration::from_secs(60))
        .await;
    assert_eq!(job["result"]["rows"], 2, "{job}");
    let sheet = crate::helpers::download_sheet(&app, &export).await;
    assert_eq!(sheet[0][..3], ["Клиент", "Вид", "ЕИК / ЕГН"], "{sheet:?}");
    assert_eq!(
        sheet[1..]
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str(), r[4].as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("Автосервиз Тракия ЕООД", "Фирма", "2"),
            ("Пекарна Изгрев ООД", "Фирма", "2")
        ],
        "{sheet:?}"
    );
    worker.stop().await;
    // The retailer's report catalogue is the trader's; a water tenant's has no such report.
    let catalog = "{ reportCatalog { kind } }";
    let r = app.gql(catalog, json!({})).await;
    assert_eq!(
        r["data"]["reportCatalog"],
        json!([{ "kind": "RETAIL_CONTRACTS" }]),
        "{r}"
    );
    // The contracts and annexes report: signed over the last year, the bakery's contract
    // followed by its annex; Plovdiv's only when asked by branch.
    let year_ago = now.date_naive() - chrono::Duration::days(365);
    let report = "query($i: ReportInput!) { report(input: $i, offset: 0, limit: 100) { columns { key } rows totals total } }";
    let r = app
        .gql_lang(
            "bg",
            report,
            json!({ "i": { "kind": "RETAIL_CONTRACTS", "from": year_ago, "to": now.date_naive() } }),
        )
        .await;
    let t = &r["data"]["report"];
    assert_eq!(t["total"], 7, "six contracts and one annex: {r}");
    let rows: Vec<Vec<String>> = serde_json::from_value(t["rows"].clone()).unwrap_or_default();
    let bakery: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[0] == "Пекарна Изгрев ООД")
        .collect();
    assert_eq!(
        bakery
            .iter()
            .map(|r| (r[3].as_str(), r[4].as_str(), r[8].as_str(), r[9].as_str()))
            .collect::<Vec<_>>(),
        vec![
            (
                "Д-2026-014",
                "",
                "Цени по тарифни зони",
                "231.5 / 148.2 / 290"
            ),
            (
                "Анекс 1 към Д-2026-014",
                "Д-2026-014",
                "Борсова цена плюс надценка",
                "+6.8 (90–320)"
            ),
        ],
        "{r}"
    );
    let plovdiv = sql_number(
        &app,
        "SELECT id::bigint FROM \"{s}\".branches WHERE code = 'PDV'",
    )
    .await;
    let r = app
        .gql(
            report,
            json!({ "i": { "kind": "RETAIL_CONTRACTS", "from": year_ago, "to": now.date_naive(), "branchId": plovdiv } }),
        )
        .await;
    assert_eq!(r["data"]["report"]["total"], 3, "{r}");
    // A second seeding keeps it as it is.
    let again = tools::demo::retail::seed(&app.state, &app.tenant, chrono::Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, tools::demo::Seeded::Kept);
    let r = app.gql("{ retailCustomers { total } }", json!({})).await;
    assert_eq!(r["data"]["retailCustomers"]["total"], 6, "{r}");
    // Its operator signs in and sees the dossiers.
    let token = app
        .login(
            &format!("{}.operator", app.tenant),
            tools::demo::DEMO_PASSWORD,
        )
        .await;
    let r = app
        .gql_as(Some(&token), "{ retailCustomers { total } }", json!({}))
        .await;
    assert_eq!(r["data"]["retailCustomers"]["total"], 6, "{r}");
}
