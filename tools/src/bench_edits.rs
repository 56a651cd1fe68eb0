//! `tools bench-edits SLUG [N]`: the registry's mass edits at scale on an existing
//! (generated) tenant, printing their figures. In one transaction that is rolled back at
//! the end, so the tenant is left as it was: a new street of N apartments (default 5,000,
//! in buildings of at most 2,000) gets an account for every apartment (seed 001 Ctrl+Ins),
//! then the same again (every apartment skipped), then the street is renamed with every
//! account's address following; then the tenant's biggest street is renamed the same way.
//! Last, the working month is calculated for N ticked accounts (the `ACCOUNTS` scope), which
//! re-forms those accounts' invoices as the product does.

use std::time::Instant;

use chrono::Utc;
use domain::TenantSlug;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use backend::audit::Actor;
use backend::auth::Reach;
use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use billing::run::{self, Scope};
use registry::address_edit::{self, AddressPartInput, Part};
use registry::addresses::{self, AddAddressInput, MAX_RANGE};
use registry::group_open::{self, GroupOpenInput};

#[derive(FromQueryResult)]
struct Biggest {
    id: i32,
    name: String,
    accounts: i64,
}

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

pub async fn edits(state: &AppState, slug: &TenantSlug, n: i32) -> AppResult<()> {
    let actor = Actor::system();
    let now = Utc::now();
    let reach = Reach::default();
    let txn = tenancy::begin(&state.db, slug).await?;
    // Automatic numbering for the run (rolled back with the rest).
    txn.execute_unprepared("UPDATE account_numbering SET auto = true")
        .await?;
    let street = format!("Вимірювальна {}", uuid::Uuid::new_v4().simple());
    let t = Instant::now();
    let mut buildings = Vec::new();
    let mut left = n;
    while left > 0 {
        let size = left.min(MAX_RANGE);
        let added = addresses::add_address(
            &txn,
            &actor,
            now,
            &AddAddressInput {
                country: "Україна".into(),
                region: String::new(),
                district: String::new(),
                locality: "Київ".into(),
                street_kind: "street".into(),
                street: street.clone(),
                building: (buildings.len() + 1).to_string(),
                apartments_from: Some(1),
                apartments_to: Some(size),
                entrances: None,
                floors: None,
            },
        )
        .await?;
        buildings.push(added.building_id);
        left -= size;
    }
    println!(
        "setup: a street of {n} apartments in {} buildings in {:.2} s",
        buildings.len(),
        t.elapsed().as_secs_f64()
    );
    let street_id = addresses_street(&txn, buildings[0]).await?;
    let input = GroupOpenInput {
        building_ids: Vec::new(),
        street_id: Some(street_id),
        opened_on: now.date_naive(),
    };
    let t = Instant::now();
    let first = group_open::open_for_buildings(&txn, &actor, now, &reach, &input).await?;
    let opened = t.elapsed().as_secs_f64();
    println!(
        "group opening, a street of {n} apartments: {} opened, {} skipped in {opened:.2} s ({:.0} accounts/s)",
        first.opened,
        first.skipped,
        first.opened as f64 / opened.max(1e-9)
    );
    let t = Instant::now();
    let again = group_open::open_for_buildings(&txn, &actor, now, &reach, &input).await?;
    println!(
        "the same again: {} opened, {} skipped in {:.2} s",
        again.opened,
        again.skipped,
        t.elapsed().as_secs_f64()
    );
    let rename = |name: String| AddressPartInput {
        name,
        kind: None,
        code: String::new(),
        postal_code: String::new(),
    };
    let t = Instant::now();
    let followed = address_edit::update(
        &txn,
        &actor,
        now,
        &reach,
        Part::Street,
        street_id,
        &rename(format!("{street} нова")),
    )
    .await?;
    println!(
        "street rename, the new street: {followed} accounts' addresses followed in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let biggest = Biggest::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT s.id, s.name, count(a.id) AS accounts FROM streets s JOIN buildings b ON b.street_id = s.id \
         JOIN premises p ON p.building_id = b.id JOIN accounts a ON a.premises_id = p.id \
         WHERE s.id <> $1 GROUP BY s.id, s.name ORDER BY 3 DESC LIMIT 1",
        [street_id.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::Internal(format!("{slug} has no streets")))?;
    let t = Instant::now();
    let followed = address_edit::update(
        &txn,
        &actor,
        now,
        &reach,
        Part::Street,
        biggest.id,
        &rename(format!("{} (перейменована)", biggest.name)),
    )
    .await?;
    println!(
        "street rename, the tenant's biggest street ({} accounts): {followed} addresses followed in {:.2} s",
        biggest.accounts,
        t.elapsed().as_secs_f64()
    );
    txn.rollback().await?;
    println!("rolled back: the tenant is as it was");

    // The ticked accounts' calculation: N accounts spread over the tenant.
    let txn = tenancy::begin(&state.db, slug).await?;
    let ids: Vec<i64> = Id::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!(
            "SELECT id FROM accounts WHERE premises_id IS NOT NULL AND status = 'approved' \
             ORDER BY md5(id::text) LIMIT {}",
            n.min(i32::try_from(run::MAX_SELECTION).unwrap_or(i32::MAX))
        ),
    ))
    .all(&txn)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    let period = metering::readings::current_open(&txn).await?;
    txn.commit().await?;
    let ticked = ids.len();
    let t = Instant::now();
    let summary = run::calculate(
        &state.db,
        slug,
        period,
        Scope::accounts(ids),
        &reach,
        None,
        Utc::now(),
        |_, _, _| async { Ok(()) },
    )
    .await?;
    println!(
        "calculation of {ticked} ticked accounts ({period}): {} invoices, {} errors in {:.2} s (load {:.2} s, engine {:.2} s, write {:.2} s)",
        summary.invoices,
        summary.error_count,
        t.elapsed().as_secs_f64(),
        summary.load_seconds,
        summary.engine_seconds,
        summary.write_seconds
    );
    Ok(())
}

/// The street of a building.
async fn addresses_street(txn: &sea_orm::DatabaseTransaction, building: i32) -> AppResult<i32> {
    #[derive(FromQueryResult)]
    struct Street {
        street_id: i32,
    }
    Street::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT street_id FROM buildings WHERE id = $1",
        [building.into()],
    ))
    .one(txn)
    .await?
    .map(|s| s.street_id)
    .ok_or_else(|| AppError::Internal("the new building vanished".into()))
}
