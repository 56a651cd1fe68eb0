//! The account list: filtered by search text and branch scope, sorted, paged.

use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement, sea_query::Expr,
};

use access::auth::Reach;
use platform::entities::account;
use platform::error::AppResult;

/// Which accounts: every word of `search` must begin a word of the account's number,
/// holder or address (case-insensitive); `reach` limits to the user's branches and buildings.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct AccountFilter {
    pub search: Option<String>,
    #[serde(default)]
    pub reach: Reach,
    /// Only the accounts of this journal.
    #[serde(default)]
    pub journal_id: Option<i32>,
    /// Only the accounts of this type.
    #[serde(default)]
    pub type_id: Option<i32>,
}

impl AccountFilter {
    /// The journal and type conditions as SQL (ids are numbers: nothing to escape).
    fn chosen(&self) -> Option<String> {
        let parts: Vec<String> = [
            self.journal_id.map(|j| format!("journal_id = {j}")),
            self.type_id.map(|t| format!("type_id = {t}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }
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
    if let Some(cond) = f.chosen() {
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

#[derive(FromQueryResult)]
struct IdTotal {
    id: i64,
    total: i64,
}

/// A page of a search: the ids of the page and the number of matches come from one scan of
/// the word index (`count(*) OVER ()` over the matches, materialised first so that the
/// planner cannot walk the whole number index hoping to stop after a page), then the
/// page's rows by primary key. Counting in a second query searched the index twice.
async fn searched_page(
    txn: &DatabaseTransaction,
    f: &AccountFilter,
    tsquery: String,
    sort: AccountSort,
    desc: bool,
    offset: u64,
    limit: u64,
) -> AppResult<(u64, Vec<account::Model>)> {
    let key = match sort {
        AccountSort::Number => "number",
        AccountSort::Holder => "holder_name",
        AccountSort::Address => "address",
        AccountSort::Residents => "residents",
        AccountSort::Balance => "balance",
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let within: String = [f.reach.account_condition(), f.chosen()]
        .into_iter()
        .flatten()
        .map(|c| format!(" AND {c}"))
        .collect();
    let ids = IdTotal::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "WITH m AS MATERIALIZED (SELECT id, number, {key} AS k FROM accounts \
                 WHERE search @@ to_tsquery('simple', $1){within}) \
             SELECT id, count(*) OVER () AS total FROM m ORDER BY k {dir}, number OFFSET $2 LIMIT $3"
        ),
        [
            tsquery.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    let total = match ids.first() {
        Some(first) => u64::try_from(first.total).unwrap_or(0),
        // Past the end (or nothing found): count on its own.
        None if offset > 0 => query(f).count(txn).await?,
        None => 0,
    };
    let order_of: Vec<i64> = ids.iter().map(|r| r.id).collect();
    let mut rows = account::Entity::find()
        .filter(account::Column::Id.is_in(order_of.iter().copied()))
        .all(txn)
        .await?;
    rows.sort_by_key(|a| order_of.iter().position(|id| *id == a.id));
    Ok((total, rows))
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
    let words = f.search.as_deref().and_then(word_query);
    let (total, rows) = if let Some(tsquery) = words {
        searched_page(txn, f, tsquery, sort, desc, offset, limit).await?
    } else {
        // The number breaks ties, so pages never overlap.
        let rows = query(f)
            .order_by(column, order)
            .order_by_asc(account::Column::Number)
            .offset(offset)
            .limit(limit)
            .all(txn)
            .await?;
        // A first page that is not full already says how many there are.
        let total = if offset == 0 && (rows.len() as u64) < limit {
            rows.len() as u64
        } else {
            query(f).count(txn).await?
        };
        (total, rows)
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
