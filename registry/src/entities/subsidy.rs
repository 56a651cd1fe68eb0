//! `subsidies` (tenant schema, m0011): a state-paid subsidy of an account's service for a
//! period; one per account, service and period (`subsidies_key`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "subsidies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub service_id: i32,
    /// The first day of the month.
    pub period: Date,
    pub amount: Decimal,
    /// Set once an invoice uses the subsidy; it cannot be deleted after that.
    pub invoice_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
