//! Metering: the meters dashboard and the readings.

pub mod held;
pub mod meters;
pub mod readings;
