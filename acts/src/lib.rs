//! Acts: documents that change money of closed periods, booked in the open period
//! (DOMAIN.md "Acts"). An act keeps the lines it books (account × service → amount, with
//! the steps that explain it); only approved acts of a period count, and the period's
//! calculation (`billing::load`) reads their lines into each invoice line's
//! `recalculation`. Storno, recalculation, reading-correction and data-update acts, and the
//! account card's corrections and fines (acts approved as they are entered); the acts that
//! change closed months recompute them through `recompute`.

pub mod data_update;
pub mod graphql;
pub mod jobs;
pub mod lines;
pub mod model;
pub mod payments;
pub mod reading;
pub mod recalculation;
pub mod recompute;
pub mod register;
pub mod store;
