//! A staff user's reach: the branches and buildings whose accounts they may see.

use serde::{Deserialize, Serialize};

/// Branches and buildings a user is limited to (seed 001 §4.2). Both empty = the whole
/// tenant; otherwise an account is within reach when its branch is one of `branches` or its
/// premises stand in one of `buildings` (the union: a district clerk may also be given a
/// few houses of a neighbouring district).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    #[serde(default)]
    pub branches: Vec<i32>,
    #[serde(default)]
    pub buildings: Vec<i32>,
}

impl Reach {
    pub fn everything(&self) -> bool {
        self.branches.is_empty() && self.buildings.is_empty()
    }

    /// Whether everything `other` reaches lies within this reach: this one is the whole
    /// tenant, or `other` is limited to branches and buildings all of which are this one's.
    pub fn covers(&self, other: &Reach) -> bool {
        self.everything()
            || (!other.everything()
                && other.branches.iter().all(|b| self.branches.contains(b))
                && other.buildings.iter().all(|b| self.buildings.contains(b)))
    }

    /// An SQL condition on a row of `accounts` (columns `branch_id`, `premises_id`) that is
    /// true for accounts within reach; None when everything is. The ids are integers read
    /// from the database, so writing them into the text cannot inject anything.
    pub fn account_condition(&self) -> Option<String> {
        (!self.everything()).then(|| {
            format!(
                "(branch_id IN ({}) OR premises_id IN (SELECT id FROM premises WHERE building_id IN ({})))",
                list(&self.branches),
                list(&self.buildings)
            )
        })
    }

    /// The same for a row of `accounts` named `alias` (in a join).
    pub fn account_condition_of(&self, alias: &str) -> Option<String> {
        (!self.everything()).then(|| {
            format!(
                "({alias}.branch_id IN ({}) OR {alias}.premises_id IN (SELECT id FROM premises WHERE building_id IN ({})))",
                list(&self.branches),
                list(&self.buildings)
            )
        })
    }

    /// The same for a row of `buildings` named `alias`: a building is within reach when it
    /// belongs to one of the branches or is one of the buildings.
    pub fn building_condition(&self, alias: &str) -> Option<String> {
        (!self.everything()).then(|| {
            format!(
                "({alias}.branch_id IN ({}) OR {alias}.id IN ({}))",
                list(&self.branches),
                list(&self.buildings)
            )
        })
    }
}

impl Reach {
    /// The same for a row carrying only a branch (`alias.branch_id`): an electricity
    /// customer is served by a branch and stands in no building, so a user limited to
    /// buildings alone reaches none.
    pub fn branch_condition(&self, alias: &str) -> Option<String> {
        (!self.everything()).then(|| format!("{alias}.branch_id IN ({})", list(&self.branches)))
    }

    /// Whether a branch is within reach.
    pub fn has_branch(&self, branch: i32) -> bool {
        self.everything() || self.branches.contains(&branch)
    }
}

/// `1,2,3`, or `NULL` for none (`x IN (NULL)` is never true).
fn list(ids: &[i32]) -> String {
    if ids.is_empty() {
        "NULL".to_owned()
    } else {
        ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::Reach;

    #[test]
    fn a_reach_covers_what_lies_within_it() {
        let all = Reach::default();
        let north = Reach {
            branches: vec![1],
            buildings: vec![7],
        };
        let north_house = Reach {
            branches: vec![],
            buildings: vec![7],
        };
        assert!(all.covers(&north) && all.covers(&all));
        assert!(north.covers(&north) && north.covers(&north_house));
        assert!(
            !north.covers(&all),
            "a limited user is not covered for the whole tenant"
        );
        assert!(!north_house.covers(&north));
    }

    #[test]
    fn condition_is_the_union_of_branches_and_buildings() {
        assert_eq!(Reach::default().account_condition(), None);
        let r = Reach {
            branches: vec![2, 5],
            buildings: vec![],
        };
        assert_eq!(
            r.account_condition().as_deref(),
            Some(
                "(branch_id IN (2,5) OR premises_id IN (SELECT id FROM premises WHERE building_id IN (NULL)))"
            )
        );
        let r = Reach {
            branches: vec![],
            buildings: vec![7],
        };
        assert_eq!(
            r.account_condition().as_deref(),
            Some(
                "(branch_id IN (NULL) OR premises_id IN (SELECT id FROM premises WHERE building_id IN (7)))"
            )
        );
        assert_eq!(
            r.building_condition("b").as_deref(),
            Some("(b.branch_id IN (NULL) OR b.id IN (7))")
        );
    }
}
