//! The data generator: sizes, links between what it makes, determinism.

use sea_orm::{DbBackend, FromQueryResult, Statement};
use tools::generator::{self, Size};

use crate::helpers::{TestApp, fresh_slug};

#[derive(FromQueryResult, Debug, PartialEq)]
struct Row {
    number: String,
    holder_name: String,
    address: String,
    residents: i32,
    living: i64,
    services: i64,
    beneficiaries: i64,
    members: i64,
    meters: i64,
    /// Its apartment meter's readings, and whether it hangs under the house meter.
    readings: i64,
    under_main: bool,
    payments: i64,
    /// The house meter's consumption over its apartments' (×1000, for an integer).
    house_ratio: i64,
}

async fn generated(app: &TestApp, seed: i64) -> Vec<Row> {
    let slug = fresh_slug();
    backend::tenants::create(
        &app.state.owner_db,
        &backend::tenants::NewTenant::ukrainian(slug.clone(), "G"),
        chrono::Utc::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    generator::generate(
        &app.state,
        &slug,
        Size {
            accounts: 600,
            seed,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let txn = backend::tenancy::begin(&app.state.db, &slug)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = Row::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT a.number, a.holder_name, a.address, a.residents, \
                (SELECT count(*) FROM residents r WHERE r.account_id = a.id) AS living, \
                (SELECT count(*) FROM account_services x WHERE x.account_id = a.id) AS services, \
                (SELECT count(*) FROM beneficiaries b WHERE b.account_id = a.id) AS beneficiaries, \
                (SELECT count(*) FROM beneficiary_members m JOIN beneficiaries b ON b.id = m.beneficiary_id \
                 WHERE b.account_id = a.id) AS members, \
                a.meters::bigint AS meters, \
                (SELECT count(*) FROM readings r JOIN meters m ON m.id = r.meter_id WHERE m.account_id = a.id) AS readings, \
                EXISTS (SELECT 1 FROM meters m JOIN meters h ON h.id = m.parent_id \
                        WHERE m.account_id = a.id AND h.install_method = 'building') AS under_main, \
                (SELECT count(*) FROM payments x WHERE x.account_id = a.id) AS payments, \
                (SELECT (1000 * sum(r.consumption) FILTER (WHERE m.install_method = 'building') \
                         / sum(r.consumption) FILTER (WHERE m.install_method = 'apartment'))::bigint \
                 FROM readings r JOIN meters m ON m.id = r.meter_id WHERE m.building_id = p.building_id) AS house_ratio \
         FROM accounts a JOIN premises p ON p.id = a.premises_id JOIN subscribers s ON s.id = a.subscriber_id \
         ORDER BY a.number",
    ))
    .all(&txn)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    backend::tenants::drop(&app.state.owner_db, &slug)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    rows
}

#[tokio::test]
async fn the_generator_makes_linked_data_of_the_size_asked_the_same_every_time() {
    let app = TestApp::spawn().await;
    let a = generated(&app, 7).await;
    // Buildings get 20–100 apartments, 60 on average: the size lands near the target.
    assert!((300..=1200).contains(&a.len()), "{} accounts", a.len());
    assert!(
        a.iter()
            .all(|r| r.residents >= 1 && i64::from(r.residents) == r.living),
        "resident counts match residents"
    );
    assert!(a.iter().all(|r| r.address.contains(", кв. ")));
    // Four to six services each (hot water and heating on most accounts, the
    // common-house share of cold water on all).
    assert!(
        a.iter().all(|r| (4..=6).contains(&r.services)),
        "services per account"
    );
    assert!(a.iter().filter(|r| r.services == 6).count() * 2 > a.len());
    // About one account in twenty has a beneficiary, whose family shares the benefit.
    let with = a.iter().filter(|r| r.beneficiaries == 1).count();
    assert!((1..a.len() / 5).contains(&with), "{with} beneficiaries");
    assert!(
        a.iter()
            .filter(|r| r.beneficiaries == 1)
            .all(|r| r.members == i64::from(r.residents) - 1),
        "every other resident is a member"
    );
    // A meter per account under its house's meter, three closed months read, most paid;
    // the house meter reads 5% above its apartments together.
    assert!(
        a.iter()
            .all(|r| r.meters == 1 && r.readings == 3 && r.under_main),
        "meters and readings"
    );
    assert!(a.iter().all(|r| r.house_ratio == 1050), "house meters");
    let paid: i64 = a.iter().map(|r| r.payments).sum();
    let months = 3 * i64::try_from(a.len()).unwrap_or(0);
    assert!(paid * 10 > months * 8 && paid < months, "{paid} payments");
    let b = generated(&app, 7).await;
    assert_eq!(a, b, "same seed, same data");
    let c = generated(&app, 8).await;
    assert_ne!(a, c, "another seed, other data");
}
