//! `beneficiary_members` (tenant schema, m0011): a resident a family benefit extends to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "beneficiary_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub beneficiary_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub resident_id: i64,
    pub starts_on: Date,
    /// Never after the beneficiary's end (the application keeps it so).
    pub ends_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
