//! Shared by every feature: the GraphQL operations (`api`), list export, the
//! translation keys and the premises picker.

pub mod api;
pub mod export;
pub mod i18n;
pub mod premises_picker;
