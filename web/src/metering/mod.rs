//! Metering: the meters dashboard and the readings.

pub mod held;
pub mod meter_card;
pub mod meters;
pub mod readings;
