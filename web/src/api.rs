//! GraphQL operations, type-checked against the committed schema
//! (`backend/schema.graphql`) at compile time by graphql_client.

use graphql_client::{GraphQLQuery, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

// Custom scalars of the schema, as the client sees them.
type Decimal = String;
#[allow(clippy::upper_case_acronyms)]
type UUID = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../backend/schema.graphql",
    query_path = "graphql/shell.graphql",
    response_derives = "Clone, PartialEq, Debug"
)]
pub struct Shell;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../backend/schema.graphql",
    query_path = "graphql/accounts.graphql",
    response_derives = "Clone, PartialEq, Debug"
)]
pub struct Accounts;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../backend/schema.graphql",
    query_path = "graphql/export.graphql",
    response_derives = "Clone, PartialEq, Debug"
)]
pub struct RequestAccountsExport;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../backend/schema.graphql",
    query_path = "graphql/export.graphql",
    response_derives = "Clone, PartialEq, Debug"
)]
pub struct JobStatus;

/// Posts one operation to `/graphql`; an error is the server's first message.
pub async fn run<Q: GraphQLQuery>(vars: Q::Variables) -> Result<Q::ResponseData, String>
where
    Q::Variables: Serialize,
    Q::ResponseData: DeserializeOwned,
{
    let body = Q::build_query(vars);
    let resp = gloo_net::http::Request::post("/graphql")
        .json(&body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let parsed: Response<Q::ResponseData> = resp.json().await.map_err(|e| e.to_string())?;
    if let Some(err) = parsed.errors.as_ref().and_then(|e| e.first()) {
        return Err(err.message.clone());
    }
    parsed.data.ok_or_else(|| "empty response".to_owned())
}
