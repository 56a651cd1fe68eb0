//! GraphQL views of the registry's rows that other contexts' resolvers show too (the
//! account list row, the summary panel).

use async_graphql::SimpleObject;
use rust_decimal::Decimal;

use platform::entities::account;

/// The numbers of the summary panel at the top of every screen.
#[derive(SimpleObject)]
pub struct Summary {
    pub accounts: i64,
    pub residents: i64,
    pub meters: i64,
    /// Σ of account balances; positive = subscribers owe.
    pub total_debt: Decimal,
}

#[derive(SimpleObject)]
pub struct Account {
    pub id: i64,
    pub number: String,
    pub holder_name: String,
    pub address: String,
    pub residents: i32,
    pub branch: Option<String>,
    pub account_type: String,
    /// The account-types book's record.
    pub type_id: Option<i32>,
    pub journal_id: Option<i32>,
    pub meters: i32,
    pub balance: Decimal,
}

impl Account {
    pub fn new(a: account::Model, branch: Option<String>) -> Self {
        Self {
            id: a.id,
            number: a.number,
            holder_name: a.holder_name,
            address: a.address,
            residents: a.residents,
            branch,
            account_type: a.account_type,
            type_id: a.type_id,
            journal_id: a.journal_id,
            meters: a.meters,
            balance: domain::money(a.balance),
        }
    }
}

#[derive(SimpleObject)]
pub struct AccountPage {
    pub total: i64,
    pub items: Vec<Account>,
}
