//! Shared by every feature: the GraphQL operations (`api`), list export, the
//! translation keys, locale-aware formatting and the premises picker.

pub mod api;
pub mod confirm;
pub mod drawer;
pub mod export;
pub mod form;
pub mod format;
pub mod i18n;
pub mod labels;
pub mod menu_dashboard;
pub mod picker;
pub mod premises_picker;
pub mod table;
pub mod toast;
