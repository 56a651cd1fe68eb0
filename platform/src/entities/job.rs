//! `jobs` (tenant schema): the durable record of every background job.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub params: Json,
    pub state: String,
    pub attempts: i32,
    pub progress: i32,
    pub error: Option<String>,
    pub result: Option<Json>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub lease_until: Option<DateTimeUtc>,
    /// Who started it (None: the system).
    pub created_by_id: Option<Uuid>,
    pub created_by: Option<String>,
    /// The branches and buildings its starter was limited to.
    pub reach: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
