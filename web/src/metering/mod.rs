//! Metering: the meters dashboard and the readings.

pub mod meters;
pub mod readings;
