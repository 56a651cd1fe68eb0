//! Charges of nothing that are not deliberate: the account has the service in the period,
//! yet its quantity is zero because an input is missing (no area, nobody living there).
//! The calculation goes on; the run lists these as warnings beside its errors, so nothing
//! is charged zero in silence. (A metered service with no reading and nothing to fall back
//! on is not a zero but an error, `CalcError::NoNorm`.)

use super::quantity::{active, charged_days};
use super::{AccountInput, Line, Method, Norm};
use crate::Period;

/// The missing input behind a zero charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Charged by area (or a per-m² norm) and the premises have no area.
    NoArea,
    /// Charged per person and nobody counts as living there in the period.
    NoResidents,
}

/// One service of one account charged zero for a missing input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warning {
    pub service_id: i32,
    pub gap: Gap,
}

/// The services of `account` whose zero quantity in `lines` comes from a missing input.
pub fn gaps(account: &AccountInput, lines: &[Line], period: Period) -> Vec<Warning> {
    let nobody = account
        .residents
        .iter()
        .all(|s| s.clip(period.first_day(), period.last_day()).is_none());
    lines
        .iter()
        .filter(|l| l.quantity.is_zero())
        .filter_map(|l| {
            let svc = account
                .services
                .iter()
                .find(|s| s.service_id == l.service_id)?;
            // Out of its dates or its season: zero is right.
            let within = active(svc, period)?;
            if charged_days(svc, within) == 0 {
                return None;
            }
            let area = if svc.seasonal {
                account.heated_area
            } else {
                account.total_area
            };
            let gap = match svc.method {
                Method::Area if area.is_zero() => Gap::NoArea,
                Method::Norm => match svc.norm {
                    Some(Norm::PerPerson(_)) if nobody => Gap::NoResidents,
                    Some(Norm::PerSquareMetre(_)) if area.is_zero() => Gap::NoArea,
                    _ => return None,
                },
                Method::CommonHouse if svc.by_area && account.total_area.is_zero() => Gap::NoArea,
                Method::CommonHouse if !svc.by_area && nobody => Gap::NoResidents,
                _ => return None,
            };
            Some(Warning {
                service_id: l.service_id,
                gap,
            })
        })
        .collect()
}
