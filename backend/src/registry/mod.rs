//! The registry's repositories (accounts now; subscribers, premises, buildings with the
//! registry issue). Functions take a tenant unit of work; callers have authorised it.

pub mod account_services;
pub mod accounts;
pub mod addresses;
pub mod beneficiaries;
pub mod books;
pub mod buildings;
pub mod contracts;
pub mod meter_hierarchy;
pub mod meters;
pub mod prices;
pub mod restructurings;
pub mod subscribers;
pub mod subsidies;

/// The `%…%` LIKE pattern for a search box's text, with LIKE's own wildcards in the text
/// taken literally; None for empty text.
pub fn like_pattern(search: Option<&str>) -> Option<String> {
    search.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        format!(
            "%{}%",
            s.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    })
}
