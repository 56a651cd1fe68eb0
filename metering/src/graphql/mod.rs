//! Metering's GraphQL resolvers: the meter register and its hierarchy, readings and
//! their file import (queued as a job).

pub mod meters;
pub mod readings;
