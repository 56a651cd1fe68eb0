//! Payments' jobs: importing a bank payment file (parameters and what the worker runs).

pub mod payments_import;
