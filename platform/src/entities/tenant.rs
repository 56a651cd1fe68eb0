//! `public.tenants`: one row per tenant of the platform.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(schema_name = "public", table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub currency: String,
    pub locale: String,
    pub time_zone: String,
    pub jurisdiction: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub password_min_length: i32,
    pub password_require_mixed: bool,
    pub password_forbid_login: bool,
    pub sso_issuer: Option<String>,
    pub sso_client_id: Option<String>,
    pub sso_client_secret: Option<String>,
    /// water, housing, hoa or electricity (control m0005).
    pub business_kind: String,
    /// Subscribers may register in the portal themselves.
    pub portal_registration: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
