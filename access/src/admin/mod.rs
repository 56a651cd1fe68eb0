//! Tenant administration use cases: users, roles, the tenant's security settings, and the
//! platform operator's tenant management. Each is one transaction, permission-checked by
//! its caller's `Scope` and audited.

pub mod platform;
pub mod roles;
pub mod settings;
pub mod usage;
pub mod users;
