//! The pure billing domain: newtypes parsed at the edge, rules, and the
//! calculation engine. No IO, no async, no clock: time is always an argument.

pub mod billing;
pub mod claim_letter;
pub mod dated;
pub mod electricity;
pub mod meters;
pub mod money;
pub mod payment_qr;
pub mod payments;
pub mod penalty_statement;
pub mod period;
pub mod plausibility;
pub mod premises;
pub mod readings;
pub mod reminders;
pub mod report_schedule;
pub mod restructuring;
pub mod seasons;
pub mod tenant;

pub use money::money;
pub use period::Period;
pub use tenant::TenantSlug;
