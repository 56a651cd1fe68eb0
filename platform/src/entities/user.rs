//! `public.users`: staff, subscribers and platform admins.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(schema_name = "public", table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub login: String,
    pub email: Option<String>,
    pub display_name: String,
    pub kind: String,
    pub password_hash: Option<String>,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub password_changed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
