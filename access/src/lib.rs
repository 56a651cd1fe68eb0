//! Access: who may do what. Sessions, sign-in (password, SSO), tokens, permissions and
//! reach (`auth`); users, roles, the tenant's security and general settings and the
//! platform operator's tenant management (`admin`); jobs and uploads on a user's behalf
//! (`jobs`, `uploads`). Depends on `platform` only.

pub mod admin;
pub mod auth;
pub mod graphql;
pub mod jobs;
pub mod portal_codes;
pub mod uploads;
