//! `tariffs` (tenant schema, m0009): the price of a service in a price list from a day on;
//! one per price list, service and day (`tariffs_key`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tariffs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub price_list_id: i32,
    pub service_id: i32,
    pub valid_from: Date,
    /// With components, their sum.
    pub price: Decimal,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
