//! Access's GraphQL resolvers: users, roles, the tenant's security and general settings,
//! the audit log, the signed-in user's own tenant, and the platform operator's tenants.

pub mod platform;
pub mod types;
pub mod users;
