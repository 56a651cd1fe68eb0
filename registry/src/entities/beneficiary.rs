//! `beneficiaries` (tenant schema, m0011): a resident holding a benefit over a period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "beneficiaries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub resident_id: i64,
    pub benefit_id: i32,
    pub starts_on: Date,
    /// None while the benefit runs on; never before `starts_on`.
    pub ends_on: Option<Date>,
    /// The document that grants the benefit.
    pub document: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
