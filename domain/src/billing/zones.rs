//! The main-meter hierarchy in the common-house distribution (DOMAIN.md method 4, seed 001
//! §6.7.1): which apartments each main meter of a service measures, and what the hierarchy
//! leaves unmeasured.
//!
//! The rule (docs/architecture.md "Meter hierarchy in the distribution"):
//! - A group, riser or entrance meter (the second tier) measures a **zone**: the accounts
//!   whose apartment meter of the service names it (or its predecessor) as main, and — for
//!   riser and entrance meters with a position — the accounts on that riser or entrance
//!   that have no linked meter. The zone's remainder (its volume less its accounts'
//!   quantities) goes to its accounts.
//! - The building meters measure the whole house: their volume less every zone's volume
//!   less the quantities of the accounts in no zone is the house's own remainder, shared by
//!   every account of the building (the common parts serve everyone).
//! - A main replaced in the period (the new one installed on the day the old one was
//!   removed, at the same place) adds both volumes to the same zone.
//! - Warnings: an apartment meter with no working main in a building that has mains for the
//!   service; a main removed in the period whose replacement came later or never.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{AccountInput, BuildingInput, BuildingMeter, MainPlace};
use crate::Period;

/// The house, or the part one second-tier main (and its replacements) measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// The main meters, in `BuildingInput::meters` order (indices).
    pub meters: Vec<usize>,
    /// The accounts whose quantities the volume is reduced by (indices).
    pub measured: Vec<usize>,
    /// The accounts that share the remainder (indices).
    pub sharing: Vec<usize>,
    /// None for the house; else the zone's first main meter.
    pub part: Option<i64>,
    /// Volumes of the zones under the house (taken off the house's volume).
    pub nested: Vec<usize>,
}

/// What the hierarchy cannot measure, found while the zones are drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HierarchyWarning {
    /// The account's apartment meter `meter_id` of `service_id` has no working main meter
    /// though the building has one for the service.
    NoMain {
        account_id: i64,
        meter_id: i64,
        service_id: i32,
    },
    /// The main `meter_id` (serial `serial`) was removed on `removed_on`; its replacement at
    /// the same place was installed on `next` (None: not at all in the period).
    MainGap {
        meter_id: i64,
        serial: String,
        service_id: i32,
        removed_on: NaiveDate,
        next: Option<NaiveDate>,
    },
}

fn working(m: &BuildingMeter, period: Period) -> bool {
    m.installed_on <= period.last_day() && m.removed_on.is_none_or(|r| r >= period.first_day())
}

/// The zones of the base service `base` in building `b` for `period`: the parts first (in
/// the order of their first meter), the house last. A building without mains for the
/// service gets one house zone without meters (its volume is unknown).
pub fn zones(b: &BuildingInput, base: i32, period: Period) -> (Vec<Zone>, Vec<HierarchyWarning>) {
    let mains: Vec<usize> = (0..b.meters.len())
        .filter(|&i| b.meters[i].service_id == base && working(&b.meters[i], period))
        .collect();
    // Each part main's zone: the root of its chain of replacements.
    let parts: Vec<usize> = mains
        .iter()
        .copied()
        .filter(|&i| b.meters[i].place != MainPlace::Building)
        .collect();
    let root = |mut i: usize| {
        // A chain never loops (each step goes back in time); the bound is for safety.
        for _ in 0..parts.len() {
            let m = &b.meters[i];
            match parts.iter().copied().find(|&p| {
                p != i
                    && b.meters[p].place == m.place
                    && b.meters[p].removed_on == Some(m.installed_on)
            }) {
                Some(p) => i = p,
                None => break,
            }
        }
        i
    };
    let mut zones: Vec<Zone> = Vec::new();
    let mut zone_of_meter: Vec<(usize, usize)> = Vec::new();
    for &i in &parts {
        let r = root(i);
        let z = match zone_of_meter.iter().find(|(m, _)| *m == r) {
            Some((_, z)) => *z,
            None => {
                zones.push(Zone {
                    meters: Vec::new(),
                    measured: Vec::new(),
                    sharing: Vec::new(),
                    part: Some(b.meters[r].meter_id),
                    nested: Vec::new(),
                });
                zone_of_meter.push((r, zones.len() - 1));
                zones.len() - 1
            }
        };
        zones[z].meters.push(i);
        if r != i {
            zone_of_meter.push((i, z));
        }
    }
    let mut warnings = Vec::new();
    let mut direct = Vec::new();
    for (ai, a) in b.accounts.iter().enumerate() {
        let linked = linked_zone(a, base, period, b, &zone_of_meter, &mains, &mut warnings);
        let z = linked.or_else(|| positioned_zone(a, b, &zones));
        match z {
            Some(z) => {
                zones[z].measured.push(ai);
                zones[z].sharing.push(ai);
            }
            None => direct.push(ai),
        }
    }
    warnings.extend(gaps(b, &mains, period));
    let house: Vec<usize> = mains
        .iter()
        .copied()
        .filter(|&i| b.meters[i].place == MainPlace::Building)
        .collect();
    // Without a house meter the accounts in no zone are measured by nothing: the house
    // zone is drawn only when there is no part either (its volume then reads "not known").
    if !house.is_empty() || zones.is_empty() {
        let nested = if house.is_empty() {
            Vec::new()
        } else {
            (0..zones.len()).collect()
        };
        zones.push(Zone {
            meters: house,
            measured: direct,
            sharing: (0..b.accounts.len()).collect(),
            part: None,
            nested,
        });
    }
    (zones, warnings)
}

/// The zone of the account's apartment meter of `base` linked to a part main, warning
/// about a meter linked to no working main.
fn linked_zone(
    a: &AccountInput,
    base: i32,
    period: Period,
    b: &BuildingInput,
    zone_of_meter: &[(usize, usize)],
    mains: &[usize],
    warnings: &mut Vec<HierarchyWarning>,
) -> Option<usize> {
    let mut found = None;
    for s in a.services.iter().filter(|s| s.service_id == base) {
        for m in &s.meters {
            if m.installed_on > period.last_day()
                || m.removed_on.is_some_and(|r| r < period.first_day())
            {
                continue;
            }
            let main = m
                .main_id
                .and_then(|id| mains.iter().copied().find(|&i| b.meters[i].meter_id == id));
            match main {
                Some(i) => {
                    if let Some((_, z)) = zone_of_meter.iter().find(|(mi, _)| *mi == i) {
                        found = found.or(Some(*z));
                    }
                }
                None if !mains.is_empty() => warnings.push(HierarchyWarning::NoMain {
                    account_id: a.account_id,
                    meter_id: m.id,
                    service_id: base,
                }),
                None => {}
            }
        }
    }
    found
}

/// The zone of a riser or entrance main at the account's premises' riser or entrance.
fn positioned_zone(a: &AccountInput, b: &BuildingInput, zones: &[Zone]) -> Option<usize> {
    zones.iter().position(|z| {
        z.meters.iter().any(|&i| match b.meters[i].place {
            MainPlace::Riser(Some(r)) => a.riser == Some(r),
            MainPlace::Entrance(Some(e)) => a.entrance == Some(e),
            _ => false,
        })
    })
}

/// Mains removed in the period without a replacement at the same place on the same day.
fn gaps(b: &BuildingInput, mains: &[usize], period: Period) -> Vec<HierarchyWarning> {
    let mut out = Vec::new();
    for &i in mains {
        let m = &b.meters[i];
        let Some(removed) = m.removed_on else {
            continue;
        };
        if removed > period.last_day() {
            continue;
        }
        let next = mains
            .iter()
            .map(|&j| &b.meters[j])
            .filter(|n| n.place == m.place && n.installed_on >= removed && n.meter_id != m.meter_id)
            .map(|n| n.installed_on)
            .min();
        if next != Some(removed) {
            out.push(HierarchyWarning::MainGap {
                meter_id: m.meter_id,
                serial: m.serial.clone(),
                service_id: m.service_id,
                removed_on: removed,
                next,
            });
        }
    }
    out
}

/// The zone's volume: its meters' consumption, less the zones nested under it; None when
/// it has no meter or one is not read.
pub fn volume(b: &BuildingInput, zones: &[Zone], z: &Zone) -> Option<Decimal> {
    let own = read(b, &z.meters)?;
    let mut inner = Decimal::ZERO;
    for &n in &z.nested {
        inner += read(b, &zones[n].meters)?;
    }
    Some(own - inner)
}

fn read(b: &BuildingInput, meters: &[usize]) -> Option<Decimal> {
    if meters.is_empty() {
        return None;
    }
    meters.iter().map(|&i| b.meters[i].consumption).sum()
}
