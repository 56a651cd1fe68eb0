//! Identity and access: passwords, sessions (cookie or bearer), sign-in throttling,
//! permissions, and the capability through which resolvers reach tenant data.

pub mod access;
pub mod links;
pub mod password;
pub mod permissions;
pub mod reach;
pub mod register;
pub mod routes;
pub mod session;
pub mod sign_in_audit;
pub mod sso;
pub mod throttle;
pub mod token;

pub use access::{RequestCtx, Scope, authenticated, authorize};
pub use permissions::{Action, Document, PermissionSet};
pub use reach::Reach;
pub use session::Session;
