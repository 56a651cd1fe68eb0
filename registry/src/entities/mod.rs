//! The registry's sea-orm entities (tenant schema): the typed rows its plain CRUD writes,
//! kept apart from behaviour. Lists with computed columns, upserts and bulk writes stay SQL.

pub mod beneficiary;
pub mod beneficiary_member;
pub mod contract;
pub mod metering_point;
pub mod resident;
pub mod restructuring;
pub mod restructuring_instalment;
pub mod subsidy;
