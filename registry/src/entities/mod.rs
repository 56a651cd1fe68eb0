//! The registry's sea-orm entities (tenant schema): the typed rows its plain CRUD writes,
//! kept apart from behaviour. Lists with computed columns and bulk writes stay SQL.

pub mod restructuring;
pub mod restructuring_instalment;
