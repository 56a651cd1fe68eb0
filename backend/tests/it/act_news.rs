//! Acts that recompute closed months from changed inputs, with worked numbers
//! (docs/architecture.md "Acts"): a reading corrected two periods back moves the
//! consumption of its own month and the average of the next; a subsidy of a closed month
//! arriving late cancels the month's benefit; a second data-update act over the same
//! month books nothing twice; a house meter's consumption topped up for a closed month
//! is spread over the house; a payment booked in a closed month is closed by a
//! data-update act and owed again.

use chrono::Months;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::acts::{
    calculate_and_close, create, dec, employee, error, form, id_of, line, open_and_previous,
    second_account, set_status,
};
use crate::helpers::{TestApp, sql, sql_text};

const METER: &str = "mutation($i: MeterInput!) { createMeter(input: $i) { id } }";
const ENTER: &str =
    "mutation($i: ReadingInput!) { enterReading(input: $i) { reading { consumption } } }";
const MONTHS: &str =
    "query($id: Int!) { actMonths(id: $id) { accountId period invoiceId serviceId was now } }";

/// Cold water on the building's base price list (31.4080 a m³) for `account`, with
/// `residents` living there since January.
async fn cold_water(app: &TestApp, building: &Value, account: i64, residents: &[&str]) -> i64 {
    let people: Vec<String> = residents
        .iter()
        .map(|n| format!("({account}, '{n}', DATE '2026-01-01', DATE '2026-01-01')"))
        .collect();
    sql(app, &format!(
        "UPDATE \"{{s}}\".buildings SET price_list_id = (SELECT id FROM \"{{s}}\".price_lists WHERE code = 'base') WHERE id = {building}; \
         INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) \
         SELECT {account}, id, DATE '2026-01-01' FROM \"{{s}}\".services WHERE code = 'xvs'; \
         INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, living_from) VALUES {}",
        people.join(", ")
    ))
    .await;
    id_of(app, "SERVICES", "xvs").await
}

fn month(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

async fn act_months(app: &TestApp, id: i64) -> Vec<Value> {
    let r = app.gql(MONTHS, json!({ "id": id })).await;
    r["data"]["actMonths"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{r}"))
}

#[tokio::test]
async fn a_reading_corrected_two_periods_back_recomputes_its_month_and_the_average_after_it() {
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let p2 = p1 + Months::new(1);
    let (b, premises, a, model) = crate::meters::setup(&app).await;
    let xvs = cold_water(&app, &b, a, &["Коваль Ірина"]).await;
    let employee = employee(&app).await;
    let r = app
        .gql(
            METER,
            json!({ "i": { "serial": "ХВ-77", "modelId": model, "serviceId": xvs, "buildingId": b,
                "premisesId": premises, "installedOn": "2022-12-10", "initialReading": "12.5" } }),
        )
        .await;
    let meter = r["data"]["createMeter"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    // The first month read at 22.5 (10 m³); the second not read: its monthly average of
    // the actual readings is the first month's 10 m³. Both calculated and closed.
    let r = app
        .gql(
            ENTER,
            json!({ "i": { "meterId": meter, "current": "22.5", "takenOn": p1.to_string() } }),
        )
        .await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "10",
        "{r}"
    );
    calculate_and_close(&app, &month(p1), "rc-1").await;
    calculate_and_close(&app, &month(p2), "rc-2").await;

    let input = |extra: Value| {
        let mut i = json!({ "kind": "READING_CORRECTION", "accountId": a, "meterId": meter,
            "readingPeriod": month(p1), "readingValue": "24.5", "executorId": employee });
        if let (Some(o), Some(e)) = (i.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        i
    };
    // Refused by field: the open month, the same value, not a number, below the previous
    // reading (a typing error, not a turn of the dial), no meter.
    let open = month(p2 + Months::new(1));
    for (extra, field) in [
        (json!({ "readingPeriod": open }), "readingPeriod"),
        (json!({ "readingValue": "22.5" }), "readingValue"),
        (json!({ "readingValue": "2x" }), "readingValue"),
        (json!({ "readingValue": "11" }), "readingValue"),
        (json!({ "meterId": null }), "meterId"),
    ] {
        let r = create(&app, "createAct", input(extra)).await;
        assert_eq!(error(&r), ("VALIDATION".into(), field.into()), "{r}");
    }

    // 24.5: the first month used 12 m³, and the second's average follows to 12 m³.
    let t = dec!(31.4080);
    let (was, now) = (domain::money(dec!(10) * t), domain::money(dec!(12) * t));
    assert_eq!((was, now), (dec!(314.08), dec!(376.90)));
    let r = create(&app, "createAct", input(json!({}))).await;
    let act = &r["data"]["createAct"];
    assert_eq!(
        dec(&act["total"]),
        dec!(125.64),
        "two months × (376.90 − 314.08): {r}"
    );
    let id = act["id"].as_i64().unwrap_or_default();
    let months = act_months(&app, id).await;
    assert_eq!(months.len(), 2, "{months:?}");
    for (m, p) in months.iter().zip([p1, p2]) {
        assert_eq!(m["period"], month(p), "{m}");
        assert_eq!((dec(&m["was"]), dec(&m["now"])), (was, now), "{m}");
        assert!(
            m["invoiceId"].as_i64().is_some(),
            "links the issued invoice: {m}"
        );
    }
    let lines = app
        .gql(
            "query($id: Int!) { actLines(id: $id) { accountId serviceId amount steps } }",
            json!({ "id": id }),
        )
        .await;
    let steps = &lines["data"]["actLines"][0]["steps"];
    assert_eq!(steps[0]["kind"], "corrected_month", "{lines}");
    assert_eq!(steps.as_array().map(Vec::len), Some(2), "{lines}");

    // A draft leaves the reading alone; approving writes it, and the open invoice carries
    // the act; returning to draft writes the old value back.
    let reading_sql = format!(
        "SELECT current::text || '/' || consumption::text FROM \"{{s}}\".readings WHERE meter_id = {meter} AND period = DATE '{p1}'"
    );
    let reading = || sql_text(&app, &reading_sql);
    assert_eq!(reading().await, "22.5000/10.0000");
    let r = set_status(&app, &[id], "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(reading().await, "24.5000/12.0000");
    let l = line(&form(&app, a).await, xvs);
    assert_eq!(dec(&l["recalculation"]), dec!(125.64), "{l}");
    // The open month's reading follows the corrected one.
    let r = app
        .gql(
            ENTER,
            json!({ "i": { "meterId": meter, "current": "30.5" } }),
        )
        .await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "6",
        "{r}"
    );
    let r = set_status(&app, &[id], "DRAFT").await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(reading().await, "22.5000/10.0000");
    assert_eq!(
        sql_text(
            &app,
            &format!("SELECT previous::text || '/' || consumption::text FROM \"{{s}}\".readings WHERE meter_id = {meter} AND period > DATE '{p2}'")
        )
        .await,
        "22.5000/8.0000"
    );
    assert_eq!(
        app.audit_actions("act", Some(id.to_string())).await,
        ["unapprove", "approve", "create"]
    );
}

#[tokio::test]
async fn a_subsidy_arriving_late_cancels_the_closed_months_benefit() {
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let xvs = cold_water(&app, &b, a, &["Коваль Ірина", "Коваль Олег"]).await;
    let employee = employee(&app).await;
    // Iryna has a 50 % benefit on cold water since January.
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".benefits (code, name, percent) VALUES ('b50', 'Пільга 50 %', 50); \
         INSERT INTO \"{{s}}\".benefit_services (benefit_id, service_id) SELECT id, {xvs} FROM \"{{s}}\".benefits WHERE code = 'b50'; \
         INSERT INTO \"{{s}}\".beneficiaries (account_id, resident_id, benefit_id, starts_on) \
         SELECT {a}, r.id, x.id, DATE '2026-01-01' FROM \"{{s}}\".residents r, \"{{s}}\".benefits x \
         WHERE r.account_id = {a} AND r.full_name = 'Коваль Ірина' AND x.code = 'b50'"
    ))
    .await;
    calculate_and_close(&app, &month(p1), "du-1").await;
    let issued = |col: &str| {
        format!(
            "SELECT {col}::text FROM \"{{s}}\".invoice_lines WHERE account_id = {a} AND service_id = {xvs} AND period = DATE '{p1}'"
        )
    };
    let charged: Decimal = sql_text(&app, &issued("charged"))
        .await
        .parse()
        .unwrap_or_default();
    let benefit: Decimal = sql_text(&app, &issued("benefit"))
        .await
        .parse()
        .unwrap_or_default();
    // 3.6 m³ × 2 residents × 31.4080 = 226.14; Iryna's 50 % within her social norm of
    // 2.4 m³: 2.4 × 31.4080 × 50 % = 37.69.
    assert_eq!((charged, benefit), (dec!(226.14), dec!(37.69)));

    // In the next month the social office says: a subsidy of 100.00 on cold water was
    // granted for the closed month. A subsidy cancels the benefit (KMU 319): the month
    // should have been charged − 0 − 100.00 instead of charged − benefit.
    let from = p1.to_string();
    let to = (p1 + Months::new(1) - chrono::Days::new(1)).to_string();
    let input = |subsidies: Value| {
        json!({ "kind": "DATA_UPDATE", "accountId": a, "from": from, "to": to, "executorId": employee,
            "basisDocument": "MEMO", "subsidies": subsidies })
    };
    let news = |amount: &str, period: &str| json!([{ "accountId": a, "serviceId": xvs, "period": period, "amount": amount }]);
    // Refused by field: a month outside the act's, an amount of nothing.
    let outside = month(p1 + Months::new(1));
    let r = create(&app, "createAct", input(news("100", &outside))).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "subsidies.0".into()),
        "{r}"
    );
    let r = create(&app, "createAct", input(news("0", &month(p1)))).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "subsidies.0".into()),
        "{r}"
    );
    // Nothing changed without news: nothing to update.
    let r = create(&app, "createAct", input(json!([]))).await;
    assert_eq!(error(&r), ("VALIDATION".into(), "from".into()), "{r}");

    let r = create(&app, "createAct", input(news("100", &month(p1)))).await;
    let act = &r["data"]["createAct"];
    let expected = benefit - dec!(100.00);
    assert_eq!(expected, dec!(-62.31));
    assert_eq!(
        dec(&act["total"]),
        expected,
        "benefit {benefit} back, subsidy 100.00 off: {r}"
    );
    let id = act["id"].as_i64().unwrap_or_default();
    let months = act_months(&app, id).await;
    assert_eq!(months.len(), 1, "{months:?}");
    assert_eq!(
        (dec(&months[0]["was"]), dec(&months[0]["now"])),
        (charged - benefit, charged - dec!(100.00)),
        "{months:?}"
    );
    let subsidies = app
        .gql(
            "query($id: Int!) { actSubsidies(id: $id) { period amount } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        subsidies["data"]["actSubsidies"],
        json!([{ "period": month(p1), "amount": "100" }]),
        "{subsidies}"
    );
    // A second act over the same month finds nothing new; a corrective −40.00 books
    // exactly its own part: 40.00 more to pay.
    let r = create(&app, "createAct", input(json!([]))).await;
    assert_eq!(error(&r), ("VALIDATION".into(), "from".into()), "{r}");
    let r = create(&app, "createAct", input(news("-40", &month(p1)))).await;
    let second = &r["data"]["createAct"];
    assert_eq!(dec(&second["total"]), dec!(40.00), "{r}");
    let r = create(&app, "createAct", input(news("-70", &month(p1)))).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "subsidies".into()),
        "below 0: {r}"
    );

    // Approved, both are in the open month's invoice.
    let ids = [id, second["id"].as_i64().unwrap_or_default()];
    let r = set_status(&app, &ids, "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
    let l = line(&form(&app, a).await, xvs);
    assert_eq!(dec(&l["recalculation"]), expected + dec!(40.00), "{l}");
}

#[tokio::test]
async fn a_house_meter_topped_up_for_a_closed_month_is_spread_over_the_house() {
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let (b, _, a, model) = crate::meters::setup(&app).await;
    let a2 = second_account(&app, b.clone()).await;
    // Two flats of one resident each, cold water by the norm (3.6 m³ each) and its
    // common-house share (31.4080 a m³, at most 1.5 m³ a resident).
    let xvs = cold_water(&app, &b, a, &["Коваль Ірина"]).await;
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) \
         SELECT {a2}, id, DATE '2026-01-01' FROM \"{{s}}\".services WHERE code = 'xvs'; \
         INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) \
         SELECT x, s.id, DATE '2026-01-01' FROM unnest(ARRAY[{a}, {a2}]::bigint[]) x, \"{{s}}\".services s WHERE s.code = 'xvs_odn'; \
         INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, living_from) \
         VALUES ({a2}, 'Мельник Петро', DATE '2026-01-01', DATE '2026-01-01')"
    ))
    .await;
    let odn = id_of(&app, "SERVICES", "xvs_odn").await;
    let employee = employee(&app).await;
    // The house meter read 8.2 m³ in the month: 1.0 m³ over the flats' 7.2, half each.
    let r = app
        .gql(
            METER,
            json!({ "i": { "serial": "БУД-1", "modelId": model, "serviceId": xvs, "buildingId": b,
                "installMethod": "building", "installedOn": "2022-12-10", "initialReading": "100" } }),
        )
        .await;
    let house = r["data"]["createMeter"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let r = app
        .gql(
            ENTER,
            json!({ "i": { "meterId": house, "current": "108.2", "takenOn": p1.to_string() } }),
        )
        .await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "8.2",
        "{r}"
    );
    calculate_and_close(&app, &month(p1), "top-1").await;
    let t = dec!(31.4080);
    let half = domain::money(dec!(0.5) * t);
    assert_eq!(half, dec!(15.70));

    // The house meter really showed 9.2 m³: 2.0 m³ over the flats, 1.0 m³ each.
    let from = p1.to_string();
    let to = (p1 + Months::new(1) - chrono::Days::new(1)).to_string();
    let top = |who: Value, consumption: &str| {
        let mut i = json!({ "kind": "DATA_UPDATE", "from": from, "to": to, "executorId": employee,
            "houseReadings": [{ "meterId": house, "period": month(p1), "consumption": consumption }] });
        if let (Some(o), Some(w)) = (i.as_object_mut(), who.as_object()) {
            o.extend(w.clone());
        }
        i
    };
    // Refused by field: over one account, not a house meter, a negative consumption.
    let r = create(&app, "createAct", top(json!({ "accountId": a }), "9.2")).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "houseReadings".into()),
        "{r}"
    );
    let r = create(&app, "createAct", top(json!({ "buildingId": b }), "-1")).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "houseReadings.0".into()),
        "{r}"
    );

    let r = create(&app, "createAct", top(json!({ "buildingId": b }), "9.2")).await;
    let act = &r["data"]["createAct"];
    let each = domain::money(dec!(1.0) * t) - half;
    assert_eq!(each, dec!(15.71));
    assert_eq!(dec(&act["total"]), each * dec!(2), "{r}");
    let id = act["id"].as_i64().unwrap_or_default();
    let lines = app
        .gql(
            "query($id: Int!) { actLines(id: $id) { accountId serviceId amount } }",
            json!({ "id": id }),
        )
        .await;
    let lines = lines["data"]["actLines"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for l in &lines {
        assert_eq!(l["serviceId"].as_i64(), Some(odn), "{l}");
        assert_eq!(dec(&l["amount"]), each, "{l}");
    }
    let tops = app
        .gql(
            "query($id: Int!) { actHouseReadings(id: $id) { meterId period consumption } actHouseMeters(buildingId: $b) { id serial } }"
                .replace("$b", &b.to_string())
                .as_str(),
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        tops["data"]["actHouseReadings"],
        json!([{ "meterId": house, "period": month(p1), "consumption": "9.2" }]),
        "{tops}"
    );
    assert_eq!(
        tops["data"]["actHouseMeters"][0]["serial"], "БУД-1",
        "{tops}"
    );
    let r = set_status(&app, &[id], "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
    let l = line(&form(&app, a2).await, odn);
    assert_eq!(dec(&l["recalculation"]), each, "{l}");

    // A draft left when the month closes goes on into the next one, but was computed
    // before that month closed: it is approved only after it is saved (computed) again.
    let input = top(json!({ "buildingId": b }), "10.2");
    let r = create(&app, "createAct", input.clone()).await;
    let draft = r["data"]["createAct"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    calculate_and_close(&app, &month(p1 + Months::new(1)), "top-2").await;
    let r = set_status(&app, &[draft], "APPROVED").await;
    assert_eq!(error(&r).0, "CONFLICT", "{r}");
    let r = app
        .gql(
            "mutation($id: Int!, $i: ActInput!) { updateAct(id: $id, input: $i) { id total } }",
            json!({ "id": draft, "i": input }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = set_status(&app, &[draft], "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
}

#[tokio::test]
async fn a_closed_months_payment_closed_by_a_data_update_act_is_owed_again() {
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let xvs = cold_water(&app, &b, a, &["Коваль Ірина"]).await;
    let other = second_account(&app, b.clone()).await;
    let employee = employee(&app).await;
    let pay = |account: i64| {
        json!({ "i": { "accountId": account, "amount": "50.00", "kind": "CASH_DESK",
            "paidOn": p1.to_string(), "receivedOn": p1.to_string() } })
    };
    const PAY: &str = "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }";
    let r = app.gql(PAY, pay(a)).await;
    let payment = r["data"]["createPayment"]["payment"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let r = app.gql(PAY, pay(other)).await;
    let others = r["data"]["createPayment"]["payment"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    calculate_and_close(&app, &month(p1), "dp-1").await;
    let paid: Decimal = sql_text(&app, &format!(
        "SELECT sum(paid)::text FROM \"{{s}}\".invoice_lines WHERE account_id = {a} AND period = DATE '{p1}'"
    ))
    .await
    .parse()
    .unwrap_or_default();
    assert_eq!(
        paid,
        dec!(50.00),
        "the closed month's invoice counted the payment"
    );

    // The bank returns the payment in the next month: a data-update act closes it.
    let from = p1.to_string();
    let to = (p1 + Months::new(1) - chrono::Days::new(1)).to_string();
    let input = |scope: Value, ids: Value| {
        let mut i = json!({ "kind": "DATA_UPDATE", "from": from, "to": to, "executorId": employee,
            "basisDocument": "MEMO", "cancelPayments": ids });
        if let (Some(i), Some(s)) = (i.as_object_mut(), scope.as_object()) {
            i.extend(s.clone());
        }
        i
    };
    let account = json!({ "accountId": a });
    // Refused by field: another account's payment, one that does not exist, the same one
    // twice, and an act over the building (a payment is an account's).
    for (ids, field) in [
        (json!([others]), "cancelPayments.0"),
        (json!([payment + others + 1000]), "cancelPayments.0"),
        (json!([payment, payment]), "cancelPayments.1"),
    ] {
        let r = create(&app, "createAct", input(account.clone(), ids)).await;
        assert_eq!(error(&r), ("VALIDATION".into(), field.into()), "{r}");
    }
    let r = create(
        &app,
        "createAct",
        input(json!({ "buildingId": b }), json!([payment])),
    )
    .await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "cancelPayments".into()),
        "{r}"
    );
    let closable = app
        .gql(
            "query($a: Int!) { actClosablePayments(accountId: $a) { paymentId period amount cancelledBy } }",
            json!({ "a": a }),
        )
        .await;
    assert_eq!(
        closable["data"]["actClosablePayments"],
        json!([{ "paymentId": payment, "period": month(p1), "amount": "50.00", "cancelledBy": null }]),
        "{closable}"
    );

    let r = create(&app, "createAct", input(account.clone(), json!([payment]))).await;
    let act = &r["data"]["createAct"];
    assert_eq!(
        dec(&act["total"]),
        dec!(50.00),
        "the payment owed again: {r}"
    );
    let id = act["id"].as_i64().unwrap_or_default();
    let lines = app
        .gql(
            "query($id: Int!) { actLines(id: $id) { serviceId amount steps } }",
            json!({ "id": id }),
        )
        .await;
    let lines = &lines["data"]["actLines"];
    assert_eq!(lines[0]["serviceId"], xvs, "{lines}");
    assert_eq!(lines[0]["steps"][0]["kind"], "payment_closed", "{lines}");
    assert_eq!(
        lines[0]["steps"][0]["args"],
        json!([p1.to_string(), month(p1), "50"]),
        "{lines}"
    );
    // One payment, one act: a second act naming it is refused.
    let r = create(&app, "createAct", input(account.clone(), json!([payment]))).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "cancelPayments.0".into()),
        "{r}"
    );

    // Approved: the payment is marked as closed by the act, and the open invoice owes it.
    let r = set_status(&app, &[id], "APPROVED").await;
    assert!(r["errors"].is_null(), "{r}");
    let number = act["number"].to_string();
    let by = sql_text(&app, &format!(
        "SELECT coalesce(x.number::text, '-') FROM \"{{s}}\".payments p LEFT JOIN \"{{s}}\".acts x ON x.id = p.cancelled_by_act WHERE p.id = {payment}"
    ))
    .await;
    assert_eq!(by, number);
    let l = line(&form(&app, a).await, xvs);
    assert_eq!(dec(&l["recalculation"]), dec!(50.00), "{l}");
    // The payment itself stays as the closed month had it: cancelling it directly is refused.
    let r = app
        .gql(
            "mutation($id: Int!) { cancelPayment(id: $id) { id } }",
            json!({ "id": payment }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "PERIOD_CLOSED", "{r}");

    // Back to draft: the mark comes off and the open invoice no longer owes it.
    let r = set_status(&app, &[id], "DRAFT").await;
    assert!(r["errors"].is_null(), "{r}");
    let by = sql_text(&app, &format!(
        "SELECT coalesce(cancelled_by_act::text, '-') FROM \"{{s}}\".payments WHERE id = {payment}"
    ))
    .await;
    assert_eq!(by, "-");
    let l = line(&form(&app, a).await, xvs);
    assert_eq!(dec(&l["recalculation"]), dec!(0.00), "{l}");
}

#[tokio::test]
async fn a_norm_raised_for_a_closed_month_is_topped_up_by_a_data_update_act() {
    // Seed 002's "top-up by changing the norm": the norm's new value is entered dated in
    // the closed month (the norms book keeps dates whatever the period) and a data-update
    // act recomputes the month by it.
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let xvs = cold_water(&app, &b, a, &["Коваль Ірина"]).await;
    let employee = employee(&app).await;
    calculate_and_close(&app, &month(p1), "dn-1").await;
    let charged: Decimal = sql_text(&app, &format!(
        "SELECT charged::text FROM \"{{s}}\".invoice_lines WHERE account_id = {a} AND service_id = {xvs} AND period = DATE '{p1}'"
    ))
    .await
    .parse()
    .unwrap_or_default();
    // 3.6 m³ a person × 31.4080 = 113.07.
    assert_eq!(charged, dec!(113.07));
    let r = app
        .gql(
            "mutation($i: NormInput!) { setNorm(input: $i) { id } }",
            json!({ "i": { "serviceId": xvs, "kind": "CONSUMPTION", "validFrom": p1.to_string(), "quantity": "4.0" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let to = (p1 + Months::new(1) - chrono::Days::new(1)).to_string();
    let r = create(
        &app,
        "createAct",
        json!({ "kind": "DATA_UPDATE", "accountId": a, "from": p1.to_string(), "to": to,
            "executorId": employee, "basisDocument": "MEMO" }),
    )
    .await;
    // 4.0 × 31.4080 = 125.63: 12.56 more for the closed month.
    assert_eq!(dec(&r["data"]["createAct"]["total"]), dec!(12.56), "{r}");
    let months = act_months(
        &app,
        r["data"]["createAct"]["id"].as_i64().unwrap_or_default(),
    )
    .await;
    assert_eq!(
        (dec(&months[0]["was"]), dec(&months[0]["now"])),
        (dec!(113.07), dec!(125.63)),
        "{months:?}"
    );
}

#[tokio::test]
async fn an_act_names_up_to_two_consumers_within_reach() {
    // Seed 002: «Споживач 1», «Споживач 2» — accounts the act concerns besides its own.
    let app = TestApp::spawn().await;
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let neighbour = second_account(&app, b).await;
    let employee = employee(&app).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    let make = "mutation($i: ActInput!) { createAct(input: $i) { id consumer1AccountId consumer1 consumer2AccountId } }";
    let input = |c1: i64| {
        json!({ "i": { "kind": "STORNO", "accountId": a, "serviceId": xvs, "amount": "10", "executorId": employee,
            "consumer1AccountId": c1 } })
    };
    let r = app.gql(make, input(neighbour)).await;
    let act = &r["data"]["createAct"];
    assert_eq!(act["consumer1AccountId"], neighbour, "{r}");
    let number = sql_text(
        &app,
        &format!("SELECT number FROM \"{{s}}\".accounts WHERE id = {neighbour}"),
    )
    .await;
    assert!(
        act["consumer1"]
            .as_str()
            .is_some_and(|c| c.starts_with(&number)),
        "named by number and holder: {r}"
    );
    assert!(act["consumer2AccountId"].is_null(), "{r}");
    let r = app.gql(make, input(neighbour + 100_000)).await;
    assert_eq!(
        error(&r),
        ("VALIDATION".into(), "consumer1AccountId".into()),
        "{r}"
    );
}
