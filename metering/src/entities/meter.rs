//! `meters` (tenant schema, m0016; `parent_id` m0017, `search_text` m0019): a meter of a
//! catalogue model for a service, installed in a place, with its seal, verification and
//! removal; its passport (m0054); the legal entity's metering point it stands on (m0065).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meters")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// One working meter per serial and model (`meters_serial_working_idx`).
    pub serial: String,
    pub model_id: Option<i32>,
    pub service_id: i32,
    /// building, group, riser, entrance, apartment or building_group.
    pub install_method: String,
    pub building_id: i32,
    pub premises_id: Option<i64>,
    /// Found from the premises: its first open account.
    pub account_id: Option<i64>,
    pub place: Option<String>,
    pub installed_on: Date,
    pub initial_reading: Decimal,
    /// From the model.
    pub digits: Option<i32>,
    /// From the model.
    pub verification_months: Option<i32>,
    pub seal_number: Option<String>,
    pub sealed_on: Option<Date>,
    pub verified_on: Option<Date>,
    pub next_verification: Option<Date>,
    pub removed_on: Option<Date>,
    pub final_reading: Option<Decimal>,
    /// The main meter above this one.
    pub parent_id: Option<i64>,
    /// Serial, seal and address as the list shows them (kept by `refresh_search`).
    pub search_text: String,
    // The passport (m0054).
    pub manufacturer: Option<String>,
    pub manufactured_on: Option<Date>,
    pub installer: Option<String>,
    pub commissioned_on: Option<Date>,
    pub remote_reading: bool,
    pub is_virtual: bool,
    /// subscriber or utility.
    pub balance_owner: Option<String>,
    pub riser: Option<i32>,
    pub entrance: Option<i32>,
    pub note: Option<String>,
    /// The contract's metering point the meter measures (a legal entity's meter).
    pub metering_point_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
