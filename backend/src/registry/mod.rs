//! The registry's repositories (accounts now; subscribers, premises, buildings with the
//! registry issue). Functions take a tenant unit of work; callers have authorised it.

pub mod account_services;
pub mod accounts;
pub mod addresses;
pub mod beneficiaries;
pub mod books;
pub mod buildings;
pub mod contracts;
pub mod counters;
pub mod meter_hierarchy;
pub mod meters;
pub mod prices;
pub mod reading_file;
pub mod reading_import;
pub mod readings;
pub mod restructurings;
pub mod subscribers;
pub mod subsidies;

pub use platform::sql::{like_pattern, optional_text, settings_row, stmt};
