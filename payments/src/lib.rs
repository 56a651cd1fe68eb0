//! Payments (the `payments` permissions; templates are `settings`): manual entry with its
//! split over services, batches with control totals, bank payment files parsed by per-bank
//! templates and posted by a worker job, and the payments search.

pub mod batches;
pub mod client_bank;
pub mod entities;
pub mod entry;
pub mod file;
pub mod graphql;
pub mod import;
pub mod jobs;
pub mod search;
pub mod settings;
pub mod templates;
pub mod upload;
