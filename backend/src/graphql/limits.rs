//! What one GraphQL request may ask: at most `MAX_ROOT_FIELDS` fields at the top level
//! (aliases and fragments counted, since each root field runs in a transaction of its own:
//! tried, 1,000 aliases of a cheap field opened 1,000 transactions), and the schema
//! (introspection) only for a signed-in user.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

use super::RequestCtx;
use crate::error::AppError;

/// The most root fields one operation may select. The web client's largest screen asks
/// for a handful; a script wanting more sends more requests (and meets the rate limit).
pub const MAX_ROOT_FIELDS: usize = 20;

pub struct RequestLimits;

impl ExtensionFactory for RequestLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestLimitsExtension)
    }
}

struct RequestLimitsExtension;

fn refused(e: AppError) -> ServerError {
    let mut err = ServerError::new(e.to_string(), None);
    err.source = Some(Arc::new(e));
    err
}

#[async_graphql::async_trait::async_trait]
impl Extension for RequestLimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let signed_in = ctx
            .data_opt::<RequestCtx>()
            .is_some_and(|r| r.session.is_some());
        for names in roots_of(&doc) {
            if names.len() > MAX_ROOT_FIELDS {
                return Err(refused(AppError::TooComplex(format!(
                    "one request may ask for at most {MAX_ROOT_FIELDS} fields at its top level"
                ))));
            }
            if !signed_in && names.iter().any(|n| n == "__schema" || n == "__type") {
                // The schema is for signed-in users: said so rather than "sign in first".
                let mut err = refused(AppError::Unauthenticated);
                err.message = "sign in to read the schema".into();
                return Err(err);
            }
        }
        Ok(doc)
    }
}

/// Per operation of `doc`, the names of the fields it selects at its top.
fn roots_of(doc: &ExecutableDocument) -> Vec<Vec<String>> {
    doc.operations
        .iter()
        .map(|(_, op)| {
            let mut names = Vec::new();
            root_fields(
                doc,
                &op.node.selection_set.node,
                &mut HashSet::new(),
                &mut names,
            );
            names
        })
        .collect()
}

/// The names of the fields an operation selects at its top, through fragments (each
/// fragment expanded once: a fragment spread twice is the same fields).
fn root_fields(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    seen: &mut HashSet<String>,
    out: &mut Vec<String>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => out.push(f.node.name.node.to_string()),
            Selection::InlineFragment(f) => {
                root_fields(doc, &f.node.selection_set.node, seen, out);
            }
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.to_string();
                if seen.insert(name.clone())
                    && let Some(frag) = doc.fragments.get(&s.node.fragment_name.node)
                {
                    root_fields(doc, &frag.node.selection_set.node, seen, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(q: &str) -> usize {
        let doc = async_graphql::parser::parse_query(q).unwrap_or_else(|e| panic!("{e}"));
        roots_of(&doc).iter().map(Vec::len).max().unwrap_or(0)
    }

    #[test]
    fn aliases_and_fragments_count_as_the_fields_they_run() {
        assert_eq!(count("{ a: openPeriod b: openPeriod me { login } }"), 3);
        assert_eq!(
            count(
                "{ ...F ... on QueryRoot { x: openPeriod } } fragment F on QueryRoot { a: me { login } b: openPeriod }"
            ),
            3
        );
        // The same fragment twice runs its fields once each.
        assert_eq!(
            count("{ ...F ...F } fragment F on QueryRoot { a: openPeriod b: openPeriod }"),
            2
        );
    }
}
