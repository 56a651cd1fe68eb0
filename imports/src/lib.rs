//! Data imports: what a utility moving onto the platform (and every month after) loads
//! from files — tariffs and penalty rates, accounts with their addresses, residents,
//! meters, opening balances, beneficiaries, subsidies. One
//! machinery for all: a file (or a ZIP of many) is stored and fingerprinted, read through a
//! template into rows of text, checked row by row against the tenant's data, and — when
//! asked — posted in one transaction with its protocol.

pub mod archive;
mod benefits;
mod closed;
pub mod files;
pub mod graphql;
pub mod job;
pub mod kinds;
pub mod matching;
pub mod post;
pub mod read;
mod reference;
pub mod samples;
pub mod templates;
