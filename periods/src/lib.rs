//! What every writer of a month's data does, below every context that writes it: hold the
//! month open for its transaction (`guard`) and mark the buildings it touched, so the
//! calculation knows whose invoices are stale (`touches`); which month is the working one
//! (`working`).

pub mod guard;
pub mod touches;
pub mod working;

pub use guard::{hold, hold_unless_ahead, open_or_refused};
pub use working::working_month;
