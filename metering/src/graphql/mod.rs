//! Metering's GraphQL resolvers: the meter register and its hierarchy. (Readings and
//! their imports stay with the API crate until the job kinds move there: they queue jobs.)

pub mod meters;
