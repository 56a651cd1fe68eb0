//! `accounts` (tenant schema): the billing unit, minimal until the registry issue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub holder_name: String,
    pub address: String,
    pub residents: i32,
    pub branch_id: Option<i32>,
    pub account_type: String,
    pub meters: i32,
    pub balance: Decimal,
    pub subscriber_id: Option<i64>,
    pub premises_id: Option<i64>,
    pub status: String,
    pub opened_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub no_penalty: bool,
    pub comment: Option<String>,
    /// The account-types book's record (m0058).
    pub type_id: Option<i32>,
    /// The journal the account is kept in (m0058).
    pub journal_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
