//! The billing platform's server library: configuration, tenancy, persistence, GraphQL
//! and HTTP transport, and the jobs the worker runs. The `backend` binary serves it; the
//! `worker` binary runs its jobs.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod billing;
pub mod config;
pub mod entities;
pub mod error;
pub mod files;
pub mod graphql;
pub mod guard;
pub mod http;
pub mod i18n;
pub mod idempotency;
pub mod invoices;
pub mod jobs;
pub mod mail;
pub mod mail_settings;
pub mod outbound;
pub mod payments;
pub mod rate_limit;
pub mod registry;
pub mod reminders;
pub mod rotate_secrets;
pub mod secrets;
pub mod security_headers;
pub mod sheets;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod tenancy;
pub mod tenants;

pub use config::Settings;
pub use error::{AppError, AppResult};
pub use state::AppState;
