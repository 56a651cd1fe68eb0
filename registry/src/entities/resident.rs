//! `residents` (tenant schema, m0005): a person registered or living at an account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "residents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub full_name: String,
    pub birth_date: Option<Date>,
    pub registered_from: Option<Date>,
    pub registered_to: Option<Date>,
    pub living_from: Option<Date>,
    pub living_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
