//! Billing persistence around the pure engine (`domain::billing`): reading a chunk's
//! inputs in bulk, writing invoices, running a period's calculation over a scope, closing
//! and reopening periods. Which buildings went stale is marked by the writers themselves
//! (`periods::touches`); a calculation reads it.

pub mod catalog;
pub mod closing;
pub mod graphql;
pub mod history;
pub mod jobs;
pub mod load;
pub mod run;
pub mod simulate;
pub mod statement;
pub mod store;
pub mod views;
