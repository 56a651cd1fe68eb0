//! The pure billing domain: newtypes parsed at the edge, rules, and (later) the
//! calculation engine. No IO, no async, no clock: time is always an argument.

pub mod period;
pub mod tenant;

pub use period::Period;
pub use tenant::TenantSlug;
