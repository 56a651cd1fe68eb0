//! `norms` (tenant schema, m0009): a consumption or social norm of a service from a day
//! on; one per service, kind and day (`norms_key`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "norms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    /// consumption or social.
    pub kind: String,
    /// person or m2.
    pub basis: String,
    pub valid_from: Date,
    pub quantity: Decimal,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
