//! Metering's jobs: their parameters (recorded by the resolvers) and what the worker runs
//! for them.

pub mod readings_import;
