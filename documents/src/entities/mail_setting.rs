//! `mail_settings` (tenant schema, m0023): the tenant's own outgoing mail server; one row
//! (`id` is always true), the platform's server while `host` is empty.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: bool,
    pub host: String,
    pub port: i32,
    /// none, starttls or tls.
    pub tls: String,
    pub login: String,
    /// Sealed under the deployment's key; never in the clear.
    pub password_enc: Option<Vec<u8>>,
    pub sender_name: String,
    pub sender_address: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
