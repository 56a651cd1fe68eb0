//! Billing persistence around the pure engine (`domain::billing`): reading a chunk's
//! inputs in bulk, writing invoices, running a period's calculation over a scope, closing
//! and reopening periods, and knowing which buildings' invoices went stale.

pub mod catalog;
pub mod load;
pub mod periods;
pub mod run;
pub mod store;
pub mod touches;
pub mod views;
