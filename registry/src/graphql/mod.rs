//! The registry's GraphQL resolvers: accounts and the summary panel, addresses, buildings
//! and premises, subscribers and contracts, legal entities, account services and
//! benefits. The API crate merges their query and mutation objects into the schema.

pub mod account_benefits;
pub mod account_lifecycle;
pub mod account_services;
pub mod accounts;
pub mod addresses;
pub mod debt_cases;
pub mod legal;
pub mod numbering;
pub mod subscribers;
pub mod types;

pub use types::{Account, AccountPage, Summary};
