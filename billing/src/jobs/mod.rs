//! Billing's jobs: calculating a period over a scope and closing it (parameters and what
//! the worker runs).

pub mod calculation;
pub mod simulation;
