//! Meters and what they measure: the meter register and its hierarchy (a building meter
//! over apartment meters), readings and their bases, and reading files (parsed, then
//! imported in chunks by a job). Functions take a tenant unit of work; callers have
//! authorised it.

pub mod entities;
pub mod graphql;
pub mod held_readings;
pub mod jobs;
pub mod meter_hierarchy;
pub mod meters;
pub mod reading_file;
pub mod reading_import;
pub mod readings;
