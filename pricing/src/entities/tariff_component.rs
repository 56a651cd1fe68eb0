//! `tariff_components` (tenant schema, m0009): a named part of a tariff's price, in order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tariff_components")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tariff_id: i32,
    /// 1-based.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub name: String,
    pub price: Decimal,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
