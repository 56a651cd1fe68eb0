//! Electricity retail (seed 003, DOMAIN.md "Electricity retail"): the identifiers and rules
//! of a trader's billing, pure.

pub mod eic;
pub mod intervals;

pub use eic::{Eic, InvalidEic};
pub mod parties;
pub mod terms;
