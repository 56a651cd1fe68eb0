//! The platform under every context: configuration, the shared state (pools, queue,
//! object store, mailer), the one tenancy helper, the error enum and its GraphQL codes,
//! audit, secrets, mail and outbound HTTP, spreadsheets, the jobs queue runtime, the
//! server's message catalog and telemetry. It knows no bounded context.

pub mod audit;
pub mod audit_changes;
pub mod cli;
pub mod config;
pub mod entities;
pub mod error;
pub mod guard;
pub mod i18n;
pub mod idempotency;
pub mod input;
pub mod input_errors;
pub mod jobs;
pub mod mail;
pub mod outbound;
pub mod pool;
pub mod secrets;
pub mod security_headers;
pub mod sheets;
pub mod sql;
pub mod state;
pub mod storage;
pub mod table;
pub mod telemetry;
pub mod tenancy;
pub mod tenants;

pub use config::Settings;
pub use error::{AppError, AppResult};
pub use state::AppState;
