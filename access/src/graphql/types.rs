//! GraphQL output types: thin views of entities.

use async_graphql::SimpleObject;

use platform::entities::tenant;

#[derive(SimpleObject)]
pub struct Tenant {
    pub slug: String,
    pub name: String,
    pub currency: String,
    pub locale: String,
    pub time_zone: String,
    /// water, housing, hoa, electricity or water_electricity: which menus it sees.
    pub business_kind: String,
}

impl From<tenant::Model> for Tenant {
    fn from(t: tenant::Model) -> Self {
        Self {
            slug: t.slug,
            name: t.name,
            currency: t.currency,
            locale: t.locale,
            time_zone: t.time_zone,
            business_kind: t.business_kind,
        }
    }
}
