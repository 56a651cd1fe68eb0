//! Meter rules with no IO: the next verification date, and a reading's wrap-around.

use chrono::{Datelike, Months, NaiveDate};

/// The next verification: the last one plus the interval in months (the 31st becomes the
/// month's last day where the month is shorter).
pub fn next_verification(verified_on: NaiveDate, interval_months: u32) -> Option<NaiveDate> {
    verified_on.checked_add_months(Months::new(interval_months))
}

/// Whether a working meter's verification is overdue on `day`, or due within `soon` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Overdue,
    DueSoon,
    Fine,
}

pub fn verification_state(next: Option<NaiveDate>, day: NaiveDate, soon: i64) -> Verification {
    match next {
        Some(n) if n < day => Verification::Overdue,
        Some(n) if (n - day).num_days() <= soon => Verification::DueSoon,
        _ => Verification::Fine,
    }
}

/// Years a meter has been in service on `day` (for the card).
pub fn years_in_service(installed_on: NaiveDate, day: NaiveDate) -> i32 {
    let mut years = day.year() - installed_on.year();
    if (day.month(), day.day()) < (installed_on.month(), installed_on.day()) {
        years -= 1;
    }
    years.max(0)
}

/// What the main-meter rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterFacts {
    pub id: i64,
    /// The service the meter measures (the "type" the rules compare).
    pub service_id: i32,
    pub install_method: String,
    pub building_id: i32,
    pub removed: bool,
    /// The main meter it is under now, if any.
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MainError {
    #[error("a meter cannot be its own main meter")]
    Itself,
    #[error("the main meter must measure the same service")]
    OtherType,
    #[error("a building meter cannot have a main meter")]
    BuildingMeter,
    #[error("a removed meter cannot become a main meter")]
    RemovedMain,
    #[error("the main meter must be installed on the building, not in an apartment")]
    NotOnBuilding,
    #[error("the main meter must be in the same building")]
    OtherBuilding,
    #[error("the meter already has a main meter; remove it first")]
    AlreadyHasMain,
    #[error("the main meter is below this meter")]
    Cycle,
}

/// Whether `main` may become the main meter of `child`. `chain` holds the ids above
/// `main` (its main, that one's main, …) to refuse cycles.
pub fn check_main(main: &MeterFacts, child: &MeterFacts, chain: &[i64]) -> Result<(), MainError> {
    if main.id == child.id {
        return Err(MainError::Itself);
    }
    if main.service_id != child.service_id {
        return Err(MainError::OtherType);
    }
    if child.install_method == "building" {
        return Err(MainError::BuildingMeter);
    }
    if main.removed {
        return Err(MainError::RemovedMain);
    }
    if main.install_method == "apartment" {
        return Err(MainError::NotOnBuilding);
    }
    if main.building_id != child.building_id && main.install_method != "building_group" {
        return Err(MainError::OtherBuilding);
    }
    if child.parent_id.is_some() {
        return Err(MainError::AlreadyHasMain);
    }
    if chain.contains(&child.id) {
        return Err(MainError::Cycle);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplaceError {
    #[error("a working main meter cannot be replaced; take it out of service first")]
    OldWorking,
    #[error("the new main meter must be installed on the day the old one was taken out ({0})")]
    Dates(NaiveDate),
}

/// Whether a removed main meter may hand its meters to `new_installed_on`'s meter.
pub fn check_replace(
    old_removed_on: Option<NaiveDate>,
    new_installed_on: NaiveDate,
) -> Result<(), ReplaceError> {
    match old_removed_on {
        None => Err(ReplaceError::OldWorking),
        Some(day) if day != new_installed_on => Err(ReplaceError::Dates(day)),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("{y}-{m}-{day}"))
    }

    #[test]
    fn the_next_verification_adds_the_interval() {
        assert_eq!(next_verification(d(2026, 3, 15), 48), Some(d(2030, 3, 15)));
        assert_eq!(next_verification(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(next_verification(d(2027, 12, 31), 2), Some(d(2028, 2, 29)));
    }

    #[test]
    fn due_soon_and_overdue_are_told_apart() {
        let day = d(2026, 11, 23);
        assert_eq!(
            verification_state(Some(d(2026, 11, 22)), day, 30),
            Verification::Overdue
        );
        assert_eq!(
            verification_state(Some(d(2026, 12, 23)), day, 30),
            Verification::DueSoon
        );
        assert_eq!(
            verification_state(Some(d(2026, 12, 24)), day, 30),
            Verification::Fine
        );
        assert_eq!(verification_state(None, day, 30), Verification::Fine);
        assert_eq!(years_in_service(d(2020, 12, 1), day), 5);
    }

    fn meter(id: i64, method: &str) -> MeterFacts {
        MeterFacts {
            id,
            service_id: 1,
            install_method: method.to_owned(),
            building_id: 7,
            removed: false,
            parent_id: None,
        }
    }

    #[test]
    fn every_main_meter_rule_is_checked() {
        let main = meter(1, "building");
        let flat = meter(2, "apartment");
        assert_eq!(check_main(&main, &flat, &[]), Ok(()));
        assert_eq!(check_main(&main, &main, &[]), Err(MainError::Itself));
        let other = MeterFacts {
            service_id: 2,
            ..flat.clone()
        };
        assert_eq!(check_main(&main, &other, &[]), Err(MainError::OtherType));
        assert_eq!(
            check_main(&meter(3, "riser"), &main, &[]),
            Err(MainError::BuildingMeter)
        );
        let removed = MeterFacts {
            removed: true,
            ..main.clone()
        };
        assert_eq!(
            check_main(&removed, &flat, &[]),
            Err(MainError::RemovedMain)
        );
        assert_eq!(
            check_main(&meter(4, "apartment"), &flat, &[]),
            Err(MainError::NotOnBuilding)
        );
        let elsewhere = MeterFacts {
            building_id: 8,
            ..meter(5, "riser")
        };
        assert_eq!(
            check_main(&elsewhere, &flat, &[]),
            Err(MainError::OtherBuilding)
        );
        let taken = MeterFacts {
            parent_id: Some(9),
            ..flat.clone()
        };
        assert_eq!(
            check_main(&main, &taken, &[]),
            Err(MainError::AlreadyHasMain)
        );
        // A riser meter under the entrance meter 6 cannot become that meter's main.
        let riser = meter(6, "riser");
        assert_eq!(
            check_main(&riser, &meter(10, "entrance"), &[10]),
            Err(MainError::Cycle)
        );
    }

    #[test]
    fn a_main_meter_is_replaced_only_when_out_of_service_on_the_new_ones_install_day() {
        let day = d(2026, 11, 1);
        assert_eq!(check_replace(None, day), Err(ReplaceError::OldWorking));
        assert_eq!(
            check_replace(Some(d(2026, 10, 31)), day),
            Err(ReplaceError::Dates(d(2026, 10, 31)))
        );
        assert_eq!(check_replace(Some(day), day), Ok(()));
    }
}
