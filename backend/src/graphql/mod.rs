//! The GraphQL API: schema assembly, per-request context, and the committed SDL.

mod mutation;
mod query;
mod types;

use async_graphql::{EmptySubscription, Schema};
use domain::TenantSlug;

pub use mutation::MutationRoot;
pub use query::QueryRoot;

use crate::state::AppState;

pub type ApiSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Facts about the request that resolvers may rely on. The tenant comes from the server
/// side (today the configured default tenant; with sign-in, the session), never from a
/// value the client sent.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub tenant: TenantSlug,
}

pub fn build_schema(state: AppState) -> ApiSchema {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .data(state)
        .limit_depth(12)
        .limit_complexity(2000)
        .finish()
}

/// The SDL committed at `backend/schema.graphql`; a test fails when they differ.
pub fn sdl() -> String {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .finish()
        .sdl()
}
