//! `payment_templates` (tenant schema, m0021): where each field sits in a bank's payment
//! file, its encoding and its control-total markers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Unique (`payment_templates_name_key`).
    pub name: String,
    pub bank_id: Option<i32>,
    /// csv, xlsx, fixed, 1c (m0046) or dbf (m0048).
    pub format: String,
    /// utf-8, cp1251, cp866 or cp1125.
    pub encoding: String,
    pub delimiter: String,
    pub skip_lines: i32,
    /// `{"account": 5, …}` (columns) or `{"account": [1, 10], …}` (start, width).
    pub fields: Json,
    pub date_format: String,
    pub sum_marker: Option<String>,
    pub count_marker: Option<String>,
    pub comment_prefix: Option<String>,
    pub active: bool,
    /// `1c`: the settlement account the statement is read for.
    pub own_account: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
