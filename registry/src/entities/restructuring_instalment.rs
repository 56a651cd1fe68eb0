//! `restructuring_instalments` (tenant schema, m0012): one month's amount of an agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "restructuring_instalments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub restructuring_id: i64,
    /// The first day of the month.
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: Date,
    pub amount: Decimal,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
