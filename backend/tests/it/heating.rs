//! Heating floor coefficients: the book checked field by field and audited, and the
//! calculation multiplying heating by area by the coefficient of the building's storeys.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{TestApp, sql, sql_text};

const SAVE: &str = "mutation($id: Int, $i: HeatingCoefficientInput!) { saveHeatingCoefficient(id: $id, input: $i) { id validFrom lowRise highRise } }";

#[tokio::test]
async fn the_heating_coefficient_of_the_storeys_multiplies_heating_by_area() {
    let app = TestApp::spawn().await;
    // Enough for more than one building.
    app.generate(150, 5).await;
    // Bad input is refused by its field.
    for (input, field) in [
        (
            json!({ "validFrom": "2020-01-01", "lowRise": "5", "highRise": "1.1" }),
            "lowRise",
        ),
        (
            json!({ "validFrom": "2020-01-01", "lowRise": "1", "highRise": "много" }),
            "highRise",
        ),
        (
            json!({ "validFrom": "2020-01-01", "lowRise": "1", "highRise": "1.123456" }),
            "highRise",
        ),
    ] {
        let r = app.gql(SAVE, json!({ "i": input })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }
    let r = app
        .gql(SAVE, json!({ "i": { "validFrom": "2020-01-01", "lowRise": "1", "highRise": "1,08", "note": "наказ 12" } }))
        .await;
    let saved = &r["data"]["saveHeatingCoefficient"];
    assert_eq!(
        (&saved["lowRise"], &saved["highRise"]),
        (&json!("1"), &json!("1.08")),
        "{r}"
    );
    let id = saved["id"].as_i64().unwrap_or_default();
    assert_eq!(
        app.audit_actions("heating_coefficient", Some(id.to_string()))
            .await,
        vec!["create"]
    );
    // One row per first day.
    let r = app
        .gql(
            SAVE,
            json!({ "i": { "validFrom": "2020-01-01", "lowRise": "1", "highRise": "1.2" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "validFrom", "{r}");
    let listed = app
        .gql("{ heatingCoefficients { validFrom highRise } }", json!({}))
        .await;
    assert_eq!(
        listed["data"]["heatingCoefficients"],
        json!([{ "validFrom": "2020-01-01", "highRise": "1.08" }]),
        "{listed}"
    );
    // A heating season over the open month; a building of nine storeys and one of three.
    sql(
        &app,
        "INSERT INTO \"{s}\".seasons (code, name, starts_on, ends_on) \
         SELECT 'test', 'test', max(month), (max(month) + interval '1 month - 1 day')::date \
         FROM \"{s}\".periods WHERE state = 'open'; \
         UPDATE \"{s}\".buildings SET floors = CASE WHEN id = (SELECT min(p.building_id) FROM \"{s}\".premises p \
           JOIN \"{s}\".accounts a ON a.premises_id = p.id) THEN 9 ELSE 3 END",
    )
    .await;
    let job = app.calculate_tenant().await;
    assert_eq!(job["state"], "DONE", "{job}");
    // Every heating line of a nine-storey house has the coefficient step, its
    // quantity the area's × 1.08; the three-storey houses' lines by 1.
    let lines = sql_text(
        &app,
        "SELECT coalesce(json_agg(json_build_object('floors', b.floors, 'quantity', l.quantity::text, 'steps', l.steps)), '[]')::text \
         FROM \"{s}\".invoice_lines l JOIN \"{s}\".services v ON v.id = l.service_id AND v.code = 'opal' \
         JOIN \"{s}\".accounts a ON a.id = l.account_id JOIN \"{s}\".premises p ON p.id = a.premises_id \
         JOIN \"{s}\".buildings b ON b.id = p.building_id \
         WHERE l.period = (SELECT max(month) FROM \"{s}\".periods WHERE state = 'open') AND l.quantity > 0",
    )
    .await;
    let lines: Vec<Value> = serde_json::from_str(&lines).unwrap_or_else(|e| panic!("{e}: {lines}"));
    let dec = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<Decimal>().ok())
            .unwrap_or_default()
    };
    let mut seen = [0, 0];
    for l in &lines {
        let steps = l["steps"].as_array().cloned().unwrap_or_default();
        let last = steps
            .iter()
            .find(|s| s["kind"] == "floor_coefficient")
            .cloned()
            .unwrap_or_else(|| panic!("no coefficient step: {l}"));
        // The heating season entered twice over the month counts its days once.
        let days = steps
            .iter()
            .find(|s| s["kind"] == "days")
            .cloned()
            .unwrap_or_default();
        assert_eq!(days["args"][0], days["args"][1], "{l}");
        let (high, k) = if l["floors"] == 9 {
            (1, Decimal::new(108, 2))
        } else {
            (0, Decimal::ONE)
        };
        seen[high] += 1;
        assert_eq!(dec(&last["args"][1]), k, "{l}");
        assert_eq!(
            (dec(&last["args"][0]) * k).round_dp(4),
            dec(&l["quantity"]),
            "{l}"
        );
    }
    assert!(seen[0] > 0 && seen[1] > 0, "both kinds of house: {lines:?}");
}
