//! sea-orm entities: table shapes only, no behaviour (that lives in the repositories).
//!
//! Tenant tables carry no schema name: the tenant helper's `search_path` picks the
//! schema. Control-plane tables are always qualified with `public`.

pub mod account;
pub mod job;
pub mod session;
pub mod tenant;
pub mod user;
