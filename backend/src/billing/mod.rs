//! Billing persistence around the pure engine (`domain::billing`): reading a chunk's
//! inputs in bulk, writing invoices, running a period's calculation over a scope, closing
//! and reopening periods, the stale buildings themselves are marked by the writers (`periods::touches`).

pub mod catalog;
pub mod load;
pub mod periods;
pub mod run;
pub mod store;
pub mod views;
