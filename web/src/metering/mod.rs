//! Metering: the meters dashboard and the readings.

pub mod held;
pub mod main_meter;
pub mod meter_card;
pub mod meters;
pub mod readings;
