//! The account list: filtered by search text and branch scope, sorted, paged.

use sea_orm::{
    DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, sea_query::Expr,
};

use crate::auth::Reach;
use crate::entities::account;
use crate::error::AppResult;

/// Which accounts: every word of `search` must begin a word of the account's number,
/// holder or address (case-insensitive); `reach` limits to the user's branches and buildings.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct AccountFilter {
    pub search: Option<String>,
    #[serde(default)]
    pub reach: Reach,
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    async_graphql::Enum,
)]
pub enum AccountSort {
    #[default]
    Number,
    Holder,
    Address,
    Residents,
    Balance,
}

/// `Коваленко олекс` → `коваленко & олекс:*`: every word (letters and digits only)
/// required, the last one as a prefix. None when the text has no such word.
pub fn word_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    // Words followed by more text were typed in full: they match whole words (far cheaper
    // on common names than prefixes, which would also pull in "олександрович" for
    // "олександр"); the last word may still be being typed, so it matches as a prefix.
    // Text ending in a separator means the last word is complete too.
    let last_complete = text.ends_with(|c: char| !c.is_alphanumeric());
    let n = words.len();
    let terms: Vec<String> = words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == n && !last_complete {
                format!("{w}:*")
            } else {
                w
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// An account with its branch's name.
pub type AccountRow = (account::Model, Option<String>);

fn query(f: &AccountFilter) -> sea_orm::Select<account::Entity> {
    let mut q = account::Entity::find();
    if let Some(cond) = f.reach.account_condition() {
        q = q.filter(Expr::cust(cond));
    }
    if let Some(text) = f.search.as_deref() {
        q = match word_query(text) {
            Some(tsquery) => q.filter(Expr::cust_with_values(
                "search @@ to_tsquery('simple', $1)",
                [tsquery],
            )),
            // Nothing searchable in the text (only punctuation): nothing matches.
            None if !text.trim().is_empty() => q.filter(Expr::cust("false")),
            None => q,
        };
    }
    q
}

#[cfg(test)]
mod tests {
    use super::word_query;

    #[test]
    fn words_become_required_prefixes() {
        assert_eq!(
            word_query("Коваленко олекс").as_deref(),
            Some("коваленко & олекс:*")
        );
        assert_eq!(word_query("Хрещатик, 2").as_deref(), Some("хрещатик & 2:*"));
        assert_eq!(word_query("Коваленко ").as_deref(), Some("коваленко"));
        assert_eq!(word_query("100002").as_deref(), Some("100002:*"));
        assert_eq!(word_query("%'&|!:*").as_deref(), None);
        assert_eq!(word_query("  ").as_deref(), None);
    }
}

#[derive(FromQueryResult)]
struct BranchName {
    id: i32,
    name: String,
}

/// One page, and the total count of the filter.
pub async fn page(
    txn: &DatabaseTransaction,
    f: &AccountFilter,
    sort: AccountSort,
    desc: bool,
    offset: u64,
    limit: u64,
) -> AppResult<(u64, Vec<AccountRow>)> {
    let column = match sort {
        AccountSort::Number => account::Column::Number,
        AccountSort::Holder => account::Column::HolderName,
        AccountSort::Address => account::Column::Address,
        AccountSort::Residents => account::Column::Residents,
        AccountSort::Balance => account::Column::Balance,
    };
    let order = if desc {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    // The number breaks ties, so pages never overlap.
    let rows = query(f)
        .order_by(column, order)
        .order_by_asc(account::Column::Number)
        .offset(offset)
        .limit(limit)
        .all(txn)
        .await?;
    // A first page that is not full already says how many there are: the usual case of a
    // specific search then costs one query, not two.
    let total = if offset == 0 && (rows.len() as u64) < limit {
        rows.len() as u64
    } else {
        query(f).count(txn).await?
    };
    let branches = BranchName::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT id, name FROM branches",
    ))
    .all(txn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|a| {
            let b = branches
                .iter()
                .find(|b| Some(b.id) == a.branch_id)
                .map(|b| b.name.clone());
            (a, b)
        })
        .collect();
    Ok((total, rows))
}
