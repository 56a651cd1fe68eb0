//! Parties and premises: who is billed (subscribers, contracts, accounts, beneficiaries,
//! subsidies, restructurings, account services) and where (addresses, buildings,
//! premises), with the account row's denormalised counters. Functions take a tenant unit
//! of work; callers have authorised it.

pub mod account_holder;
pub mod account_journal;
pub mod account_lifecycle;
pub mod account_services;
pub mod accounts;
pub mod address_edit;
pub mod addresses;
pub mod beneficiaries;
pub mod building_services;
pub mod buildings;
pub mod contracts;
pub mod counters;
pub mod debt_cases;
pub mod entities;
pub mod graphql;
pub mod group_open;
pub mod numbering;
pub mod resident_archive;
pub mod resident_periods;
pub mod restructuring_kept;
pub mod restructurings;
pub mod subscriber_edit;
pub mod subscribers;
pub mod subsidies;
