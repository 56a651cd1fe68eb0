//! `restructurings` (tenant schema, m0012): a debt restructuring agreement of an account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "restructurings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// Unique (`restructurings_number_key`).
    pub number: String,
    pub signed_on: Date,
    pub debt: Decimal,
    pub months: i32,
    /// The first day of the first instalment's month.
    pub first_period: Date,
    /// `active` or `cancelled`; one active per account (`restructurings_one_active_idx`).
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
