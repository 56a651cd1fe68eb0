//! The billing platform's server library: configuration, tenancy, persistence, GraphQL
//! and HTTP transport, and the jobs the worker runs. The `backend` binary serves it; the
//! `worker` binary runs its jobs.

// The merged GraphQL root nests one level per object it merges (`graphql::QueryRoot`).
#![recursion_limit = "256"]

pub mod backup;
pub mod files;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod rate_limit;
pub mod rotate_secrets;

pub use access::{admin, auth};
pub use platform::{
    audit, cli, config, entities, error, guard, i18n, idempotency, mail, outbound, secrets,
    security_headers, sheets, state, storage, telemetry, tenancy, tenants,
};

pub use config::Settings;
pub use error::{AppError, AppResult};
pub use state::AppState;
