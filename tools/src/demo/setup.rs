//! Go-live: the registry a demo utility entered before its first month, put through the
//! product's own use cases in one transaction — houses with apartments and areas,
//! subscribers and their accounts, residents, services, meters under the house meter,
//! benefits, the company's contract with its metering points, the balances taken over
//! from the previous system. Returns the ids the months that follow need.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use super::calendar::{Calendar, mix};
use super::spec::{Flat, Kit, Spec, Story};
use backend::audit::Actor;
use backend::auth::Reach;
use backend::error::{AppError, AppResult};
use metering::meter_hierarchy;
use metering::meters;
use platform::sql::stmt;
use registry::account_services;
use registry::addresses;
use registry::beneficiaries;
use registry::buildings;
use registry::contracts;
use registry::subscribers;
use registry::subsidies;

/// A flat's records.
#[derive(Debug, Clone)]
pub struct FlatIds {
    pub account: i64,
    pub family: Vec<i64>,
    pub cold: Option<i64>,
    pub hot: Option<i64>,
    pub premises: i64,
    pub building: i32,
}

/// What the months need to find again.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub services: HashMap<String, i32>,
    pub banks: HashMap<String, i32>,
    pub models: HashMap<String, i32>,
    /// Per house: the building and its house meter.
    pub houses: Vec<(i32, Option<i64>)>,
    pub flats: Vec<FlatIds>,
    pub company_account: i64,
    /// The company's subscriber (it pays for a flat too).
    pub company_subscriber: i64,
    /// The riser house's riser-1 main meter.
    pub riser_meter: Option<i64>,
    pub company_meters: Vec<i64>,
}

impl World {
    pub fn service(&self, code: &str) -> AppResult<i32> {
        self.services
            .get(code)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo service {code} is missing")))
    }

    pub fn bank(&self, code: &str) -> AppResult<i32> {
        self.banks
            .get(code)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo bank {code} is missing")))
    }

    fn model(&self, code: &str) -> AppResult<i32> {
        self.models
            .get(code)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo meter model {code} is missing")))
    }
}

/// A house's premises by number: id, floor, entrance.
type Apartments = HashMap<String, (i64, Option<i32>, Option<i32>)>;

#[derive(FromQueryResult)]
struct Coded {
    id: i32,
    code: String,
}

async fn codes(txn: &DatabaseTransaction, table: &str) -> AppResult<HashMap<String, i32>> {
    Ok(
        Coded::find_by_statement(stmt(&format!("SELECT id, code FROM {table}"), vec![]))
            .all(txn)
            .await?
            .into_iter()
            .map(|c| (c.code, c.id))
            .collect(),
    )
}

fn date(y: i32, m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::Internal(format!("date {y}-{m}-{d}")))
}

fn sql_date(d: NaiveDate) -> String {
    format!("DATE '{d}'")
}

/// The catalogue SQL with its dates filled in.
pub fn catalog(spec: &Spec, cal: &Calendar) -> AppResult<String> {
    let start = cal.start().first_day();
    let t0 = date(start.year() - 2, 1, 1)?;
    let t1 = cal.closed()[2].first_day();
    let mut sql = spec
        .catalog
        .replace("{T0}", &sql_date(t0))
        .replace("{T1}", &sql_date(t1))
        .replace("{Y}", &start.year().to_string());
    if spec.country == "UA" {
        sql.push_str(super::fixture::LATE_PRICE_LIST);
    }
    Ok(sql)
}

/// The date an account was opened: 2008–2019, by its number.
fn opened_on(account: &str) -> AppResult<NaiveDate> {
    let h = mix(account, 3);
    date(
        2008 + i32::try_from(h % 12).unwrap_or(0),
        1 + u32::try_from(h / 12 % 12).unwrap_or(0),
        1 + u32::try_from(h / 144 % 28).unwrap_or(0),
    )
}

fn digits(account: &str, salt: u64, n: u32) -> String {
    let v = mix(account, salt) % 10u64.pow(n);
    format!("{v:0width$}", width = n as usize)
}

fn phone(country: &str, account: &str) -> String {
    let d = digits(account, 5, 7);
    match country {
        "RU" => format!("+7 915 {}-{}-{}", &d[..3], &d[3..5], &d[5..]),
        _ => format!("+380 67 {} {} {}", &d[..3], &d[3..5], &d[5..]),
    }
}

/// What the apartment meters are installed with: install/verification date (2021–2023)
/// and an initial reading.
fn meter_dates(account: &str, salt: u64) -> AppResult<(NaiveDate, String)> {
    let h = mix(account, salt);
    let day = date(
        2021 + i32::try_from(h % 3).unwrap_or(0),
        1 + u32::try_from(h / 3 % 12).unwrap_or(0),
        1 + u32::try_from(h / 36 % 28).unwrap_or(0),
    )?;
    Ok((day, format!("{}.{:03}", 10 + h % 300, h / 7 % 1000)))
}

/// Builds the registry of `spec` (the catalogue must be in place).
pub async fn build(
    txn: &DatabaseTransaction,
    spec: &Spec,
    cal: &Calendar,
    admin: &Actor,
    operator: &Actor,
) -> AppResult<World> {
    let now = cal.at(cal.start().first_day(), 7);
    for (code, name) in spec.branches {
        txn.execute_raw(stmt(
            "INSERT INTO branches (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name",
            vec![(*code).into(), (*name).into()],
        ))
        .await?;
    }
    let mut world = World {
        services: codes(txn, "services").await?,
        banks: codes(txn, "banks").await?,
        models: codes(txn, "meter_models").await?,
        ..World::default()
    };
    let branches = codes(txn, "branches").await?;
    let price_list = codes(txn, "price_lists").await?;
    let base = price_list.get("base").copied();
    // The controller who walks every house (the route sheet's).
    let controller = codes(txn, "employees").await?.get("k01").copied();
    // Houses, their apartments and cards.
    let mut premises: Vec<Apartments> = Vec::new();
    for (k, h) in spec.houses.iter().enumerate() {
        let range = (h.apartments.0 > 0).then_some(h.apartments);
        let added = addresses::add_address(
            txn,
            admin,
            now,
            &addresses::AddAddressInput {
                country: spec.country.into(),
                region: h.region.into(),
                district: String::new(),
                locality: h.locality.into(),
                street_kind: h.street_kind.into(),
                street: h.street.into(),
                building: h.number.into(),
                apartments_from: Some(range.map_or(1, |r| r.0)),
                apartments_to: Some(range.map_or(1, |r| r.1)),
                entrances: Some(h.entrances),
                floors: Some(h.floors),
            },
        )
        .await?;
        let building = added.building_id;
        if range.is_none() {
            // The company's premises are not a home.
            txn.execute_raw(stmt(
                "UPDATE premises SET kind = 'non_residential' WHERE building_id = $1",
                vec![building.into()],
            ))
            .await?;
        }
        let area: Decimal = spec
            .flats
            .iter()
            .filter(|f| f.house == k)
            .filter_map(|f| f.area.parse::<Decimal>().ok())
            .sum();
        let service_ids = h
            .services
            .iter()
            .map(|c| world.service(c))
            .collect::<AppResult<Vec<_>>>()?;
        buildings::update_building(
            txn,
            admin,
            now,
            building,
            &buildings::BuildingInput {
                branch_id: branches.get(h.branch).copied(),
                floors: Some(h.floors),
                entrances: Some(h.entrances),
                year_built: Some(h.year_built),
                lifts: h.lifts,
                total_area: (!area.is_zero())
                    .then(|| (area * Decimal::new(118, 2)).round_dp(1).to_string()),
                living_area: (!area.is_zero())
                    .then(|| (area * Decimal::new(62, 2)).round_dp(1).to_string()),
                common_area: (!area.is_zero())
                    .then(|| (area * Decimal::new(18, 2)).round_dp(1).to_string()),
                price_list_id: base,
                late_price_list_id: None,
                service_ids,
                controller_id: controller,
            },
        )
        .await?;
        #[derive(FromQueryResult)]
        struct P {
            id: i64,
            number: String,
            floor: Option<i32>,
            entrance: Option<i32>,
        }
        let rows = P::find_by_statement(stmt(
            "SELECT id, number, floor, entrance FROM premises WHERE building_id = $1",
            vec![building.into()],
        ))
        .all(txn)
        .await?;
        premises.push(
            rows.into_iter()
                .map(|p| (p.number, (p.id, p.floor, p.entrance)))
                .collect(),
        );
        let house_meter = if h.house_meter {
            let (installed, initial) = meter_dates(h.street, 11)?;
            let model = if spec.country == "RU" {
                "pulsar40"
            } else {
                "js40"
            };
            Some(
                install(
                    txn,
                    admin,
                    now,
                    Install {
                        serial: format!("6040{}", digits(h.street, 12, 4)),
                        model: world.model(model)?,
                        service: world.service("xvs")?,
                        method: "building",
                        building,
                        premises: None,
                        place: spec.words.house_meter_place.into(),
                        on: installed,
                        initial,
                        seal: format!("П-{}", digits(h.street, 13, 6)),
                        point: None,
                    },
                )
                .await?,
            )
        } else {
            None
        };
        world.houses.push((building, house_meter));
    }
    // Apartments, subscribers, accounts, residents, services, meters.
    for f in spec.flats {
        let ids = flat(txn, spec, cal, &world, &premises, f, (admin, operator)).await?;
        world.flats.push(ids);
    }
    // The house meters stand above the apartments' cold-water meters; in the riser house
    // riser 1 has a main of its own between (seed 001 §6.7.1: a riser meter).
    let houses = world.houses.clone();
    for (k, (building, main)) in houses.iter().enumerate() {
        let Some(main) = main else { continue };
        let riser = if spec.riser_house == Some(k) {
            // Boxed: the seeding's futures are deep enough for a test thread's stack.
            Some(Box::pin(riser_meter(txn, spec, &world, admin, now, *building)).await?)
        } else {
            None
        };
        world.riser_meter = world.riser_meter.or(riser);
        let on_riser = |f: &Flat| riser.is_some() && f.riser() == 1;
        let flats = || {
            spec.flats
                .iter()
                .zip(&world.flats)
                .filter(|(f, _)| f.house == k)
        };
        let riser_below: Vec<i64> = flats()
            .filter(|(f, _)| on_riser(f))
            .filter_map(|(_, ids)| ids.cold)
            .collect();
        let mut below: Vec<i64> = flats()
            .filter(|(f, _)| !on_riser(f))
            .filter_map(|(_, ids)| ids.cold)
            .collect();
        if let Some(r) = riser {
            if !riser_below.is_empty() {
                meter_hierarchy::assign(txn, admin, now, &Reach::default(), r, &riser_below)
                    .await?;
            }
            below.push(r);
        }
        if !below.is_empty() {
            meter_hierarchy::assign(txn, admin, now, &Reach::default(), *main, &below).await?;
        }
    }
    company(txn, spec, cal, &mut world, &premises, (admin, operator)).await?;
    // A third party pays for a flat: the company, for its employee's home.
    for (f, ids) in spec.flats.iter().zip(&world.flats) {
        if f.story.contains(&Story::PaidByCompany) {
            let edit = registry::account_lifecycle::AccountEditInput {
                opened_on: Some(opened_on(f.account)?),
                no_penalty: f.story.contains(&Story::NoPenalty),
                comment: None,
                payer_id: Some(world.company_subscriber),
                branch_id: None,
                type_id: None,
            };
            Box::pin(registry::account_lifecycle::update(
                txn,
                operator,
                now,
                &Reach::default(),
                ids.account,
                &edit,
            ))
            .await?;
        }
    }
    Ok(world)
}

#[allow(clippy::too_many_arguments)]
async fn flat(
    txn: &DatabaseTransaction,
    spec: &Spec,
    cal: &Calendar,
    world: &World,
    premises: &[Apartments],
    f: &Flat,
    (admin, operator): (&Actor, &Actor),
) -> AppResult<FlatIds> {
    let now = cal.at(cal.start().first_day(), 8);
    let house = &spec.houses[f.house];
    let (building, _) = world.houses[f.house];
    let (premises_id, floor, entrance) = premises[f.house]
        .get(f.apartment)
        .copied()
        .ok_or_else(|| AppError::Internal(format!("demo apartment {} is missing", f.apartment)))?;
    buildings::update_premises(
        txn,
        admin,
        now,
        premises_id,
        &buildings::PremisesInput {
            floor,
            entrance,
            riser: (spec.riser_house == Some(f.house)).then(|| f.riser()),
            rooms: Some(f.rooms),
            stove_type: if house.lifts > 0 { "electric" } else { "gas" }.into(),
            price_list_id: None,
            late_price_list_id: None,
        },
    )
    .await?;
    let total: Decimal = f
        .area
        .parse()
        .map_err(|_| AppError::Internal(format!("demo area {}", f.area)))?;
    addresses::set_areas(
        txn,
        admin,
        now,
        premises_id,
        &addresses::AreasInput {
            valid_from: date(2015, 1, 1)?,
            total_area: total,
            living_area: Some((total * Decimal::new(62, 2)).round_dp(1)),
            heated_area: Some(total),
        },
    )
    .await?;
    let opened = opened_on(f.account)?;
    let born = date(
        1945 + i32::try_from(mix(f.account, 6) % 50).unwrap_or(0),
        1 + u32::try_from(mix(f.account, 7) % 12).unwrap_or(0),
        1 + u32::try_from(mix(f.account, 8) % 28).unwrap_or(0),
    )?;
    let no_penalty = f.story.contains(&Story::NoPenalty);
    let account = subscribers::open_account(
        txn,
        operator,
        now,
        &subscribers::OpenAccountInput {
            number: Some(f.account.into()),
            subscriber_id: None,
            new_subscriber: Some(subscribers::SubscriberInput {
                legal: false,
                last_name: Some(f.holder[0].into()),
                first_name: Some(f.holder[1].into()),
                middle_name: Some(f.holder[2].into()),
                legal_name: None,
                tax_id: Some(digits(
                    f.account,
                    4,
                    if spec.country == "RU" { 12 } else { 10 },
                )),
                phone: Some(phone(spec.country, f.account)),
                email: (!f.email.is_empty()).then(|| f.email.into()),
                birth_date: Some(born),
            }),
            premises_id,
            opened_on: opened,
            no_penalty,
            comment: None,
        },
    )
    .await?;
    let resident = |name: String| subscribers::ResidentInput {
        full_name: name,
        birth_date: None,
        registered_from: Some(opened),
        registered_to: None,
        living_from: Some(opened),
        living_to: None,
    };
    let holder =
        subscribers::add_resident(txn, operator, now, account, &resident(f.holder.join(" ")))
            .await?
            .id;
    let mut family = Vec::new();
    for name in f.family {
        family.push(
            subscribers::add_resident(txn, operator, now, account, &resident((*name).into()))
                .await?
                .id,
        );
    }
    for code in house.services {
        account_services::assign(
            txn,
            operator,
            now,
            &Reach::default(),
            &[account],
            &account_services::ServicePeriodInput {
                service_id: world.service(code)?,
                starts_on: opened,
                ends_on: None,
                // A fixed service's quantity is one per account unless given.
                quantity: None,
            },
        )
        .await?;
    }
    let installed_later = f.story.contains(&Story::MeterInstalled);
    let mut cold = None;
    let mut hot = None;
    if f.kit != Kit::None && !installed_later {
        cold = Some(
            apartment_meter(
                txn,
                spec,
                world,
                operator,
                now,
                (building, premises_id),
                f,
                false,
                None,
            )
            .await?,
        );
    }
    if f.kit == Kit::ColdHot && house.services.contains(&"gvs") {
        hot = Some(
            apartment_meter(
                txn,
                spec,
                world,
                operator,
                now,
                (building, premises_id),
                f,
                true,
                None,
            )
            .await?,
        );
    }
    for s in f.story {
        if let Story::Benefit { code, family: all } = s {
            let benefit = codes(txn, "benefits").await?;
            let id = benefit
                .get(*code)
                .copied()
                .ok_or_else(|| AppError::Internal(format!("demo benefit {code} is missing")))?;
            beneficiaries::add(
                txn,
                operator,
                now,
                account,
                &beneficiaries::BeneficiaryInput {
                    resident_id: holder,
                    benefit_id: id,
                    starts_on: opened.max(date(2018, 1, 1)?),
                    ends_on: None,
                    document: Some(format!(
                        "{} № {}",
                        spec.words.benefit_document,
                        digits(f.account, 9, 6)
                    )),
                    member_ids: if *all { family.clone() } else { Vec::new() },
                },
            )
            .await?;
        }
    }
    let taken: Decimal = f.taken_over.parse().unwrap_or_default();
    if !taken.is_zero() {
        subsidies::set_opening_balance(
            txn,
            operator,
            now,
            account,
            world.service(house.services[0])?,
            &cal.start().to_string(),
            f.taken_over,
        )
        .await?;
    }
    Ok(FlatIds {
        account,
        family,
        cold,
        hot,
        premises: premises_id,
        building,
    })
}

/// A meter put in on `on`: sealed and verified that day.
pub struct Install<'a> {
    pub serial: String,
    pub model: i32,
    pub service: i32,
    pub method: &'a str,
    pub building: i32,
    pub premises: Option<i64>,
    pub place: String,
    pub on: NaiveDate,
    pub initial: String,
    pub seal: String,
    /// The legal entity's metering point the meter stands on.
    pub point: Option<i64>,
}

pub async fn install(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    m: Install<'_>,
) -> AppResult<i64> {
    Ok(meters::create(
        txn,
        actor,
        now,
        &Reach::default(),
        &meters::MeterInput {
            serial: m.serial,
            model_id: Some(m.model),
            service_id: m.service,
            install_method: m.method.into(),
            building_id: m.building,
            premises_id: m.premises,
            place: Some(m.place),
            installed_on: m.on,
            initial_reading: m.initial,
            seal_number: Some(m.seal),
            sealed_on: Some(m.on),
            verified_on: Some(m.on),
            commissioned_on: Some(m.on),
            metering_point_id: m.point,
            balance_owner: Some(
                if m.premises.is_some() {
                    "subscriber"
                } else {
                    "utility"
                }
                .into(),
            ),
            ..Default::default()
        },
    )
    .await?
    .id)
}

/// The riser house's riser-1 main meter, in the basement beside the house meter.
async fn riser_meter(
    txn: &DatabaseTransaction,
    spec: &Spec,
    world: &World,
    admin: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    building: i32,
) -> AppResult<i64> {
    let (installed, initial) = meter_dates("riser-1", 14)?;
    Ok(meters::create(
        txn,
        admin,
        now,
        &Reach::default(),
        &meters::MeterInput {
            serial: format!("6025{}", digits("riser-1", 15, 4)),
            model_id: Some(world.model(if spec.country == "RU" {
                "pulsar25"
            } else {
                "js25"
            })?),
            service_id: world.service("xvs")?,
            install_method: "riser".into(),
            building_id: building,
            riser: Some(1),
            place: Some(spec.words.house_meter_place.into()),
            installed_on: installed,
            initial_reading: initial,
            seal_number: Some(format!("П-{}", digits("riser-1", 16, 6))),
            sealed_on: Some(installed),
            verified_on: Some(installed),
            commissioned_on: Some(installed),
            balance_owner: Some("utility".into()),
            ..Default::default()
        },
    )
    .await?
    .id)
}

/// Installs an apartment's cold- (or hot-) water meter as of the flat's meter date.
#[allow(clippy::too_many_arguments)]
pub async fn apartment_meter(
    txn: &DatabaseTransaction,
    spec: &Spec,
    world: &World,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    (building, premises): (i32, i64),
    f: &Flat,
    hot: bool,
    installed_on: Option<NaiveDate>,
) -> AppResult<i64> {
    let (installed, initial) = meter_dates(f.account, if hot { 21 } else { 20 })?;
    let installed = installed_on.unwrap_or(installed).min(now.date_naive());
    let model = match (spec.country, hot) {
        ("RU", false) => "sgv15",
        ("RU", true) => "sgv15g",
        (_, false) => "lk15x",
        (_, true) => "lk15g",
    };
    let serial = format!(
        "{}{}",
        if hot { "22" } else { "21" },
        digits(f.account, if hot { 23 } else { 22 }, 6)
    );
    install(
        txn,
        actor,
        now,
        Install {
            serial,
            model: world.model(model)?,
            service: world.service(if hot { "gvs" } else { "xvs" })?,
            method: "apartment",
            building,
            premises: Some(premises),
            place: spec.words.meter_place.into(),
            on: installed,
            initial,
            seal: format!("№{}", digits(f.account, 24, 7)),
            point: None,
        },
    )
    .await
}

/// The company: a legal subscriber, its contract (which opens its account), the metering
/// points and their meters.
async fn company(
    txn: &DatabaseTransaction,
    spec: &Spec,
    cal: &Calendar,
    world: &mut World,
    premises: &[Apartments],
    (admin, operator): (&Actor, &Actor),
) -> AppResult<()> {
    let now = cal.at(cal.start().first_day(), 9);
    let c = &spec.company;
    let (premises_id, _, _) = premises[c.house]
        .get("1")
        .copied()
        .ok_or_else(|| AppError::Internal("the company's premises are missing".into()))?;
    let (building, _) = world.houses[c.house];
    let subscriber = contracts::create(
        txn,
        operator,
        now,
        &contracts::LegalEntityInput {
            name: c.name.into(),
            tax_id: Some(c.tax_id.into()),
            legal_address: Some(c.legal_address.into()),
            phone: Some(c.phone.into()),
            email: Some(c.email.into()),
        },
    )
    .await?;
    let signed = date(c.signed_on.0, c.signed_on.1, c.signed_on.2)?;
    let contract = contracts::add_contract(
        txn,
        operator,
        now,
        subscriber,
        &contracts::ContractInput {
            number: c.contract.into(),
            signed_on: signed,
            valid_to: None,
            premises_id,
            account_number: Some(c.account.into()),
        },
    )
    .await?;
    let (_, account) = contracts::contract_owner(txn, contract).await?;
    world.company_account = account;
    world.company_subscriber = subscriber;
    let xvs = world.service("xvs")?;
    account_services::assign(
        txn,
        operator,
        now,
        &Reach::default(),
        &[account],
        &account_services::ServicePeriodInput {
            service_id: xvs,
            starts_on: signed,
            ends_on: None,
            quantity: None,
        },
    )
    .await?;
    let model = world.model(if spec.country == "RU" {
        "pulsar25"
    } else {
        "js25"
    })?;
    for p in c.points {
        let point = contracts::add_metering_point(
            txn,
            operator,
            now,
            contract,
            &contracts::MeteringPointInput {
                name: p.name.into(),
                service_id: Some(xvs),
                comment: None,
            },
        )
        .await?;
        let m = install(
            txn,
            admin,
            now,
            Install {
                serial: p.serial.into(),
                model,
                service: xvs,
                method: "apartment",
                building,
                premises: Some(premises_id),
                place: format!("{}, {}", spec.words.point_meter_place, p.name),
                on: signed,
                initial: format!("{}.5", 100 + mix(p.serial, 1) % 900),
                seal: format!("П-{}", digits(p.serial, 2, 6)),
                point: Some(point),
            },
        )
        .await?;
        world.company_meters.push(m);
    }
    Ok(())
}
