//! `contracts` (tenant schema, m0013): a legal subscriber's contract, billed through one
//! account of its own.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subscriber_id: i64,
    /// Unique (`contracts_account_key`).
    pub account_id: i64,
    /// Unique (`contracts_number_key`).
    pub number: String,
    pub signed_on: Date,
    pub valid_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
