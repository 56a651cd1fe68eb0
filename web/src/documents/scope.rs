//! Which accounts a calculation, a print run or a mailing takes, as the screens choose it:
//! the tenant, a branch or a building picked by name, one account, or the accounts ticked
//! in a list. Each operation's generated `ScopeKind` is told the same way.

/// The accounts an operation over invoices takes.
#[derive(Clone, PartialEq, Debug, Default)]
pub enum DocScope {
    #[default]
    Tenant,
    Branch(i64),
    Building(i64),
    Account(i64),
    /// The accounts ticked in a list.
    Accounts(Vec<i64>),
}

impl DocScope {
    /// The scope the Billing screen's chooser names ("TENANT", "BRANCH", "BUILDING") with
    /// the record picked; None while a branch or building is still to be picked.
    pub fn chosen(kind: &str, id: Option<i64>) -> Option<Self> {
        match (kind, id) {
            ("BRANCH", Some(id)) => Some(DocScope::Branch(id)),
            ("BUILDING", Some(id)) => Some(DocScope::Building(id)),
            ("BRANCH" | "BUILDING", None) => None,
            _ => Some(DocScope::Tenant),
        }
    }

    /// The API's scope name, the record's id and the ticked accounts.
    pub fn parts(&self) -> (&'static str, Option<i64>, Option<Vec<i64>>) {
        match self {
            DocScope::Tenant => ("TENANT", None, None),
            DocScope::Branch(id) => ("BRANCH", Some(*id), None),
            DocScope::Building(id) => ("BUILDING", Some(*id), None),
            DocScope::Account(id) => ("ACCOUNT", Some(*id), None),
            DocScope::Accounts(ids) => ("ACCOUNTS", None, Some(ids.clone())),
        }
    }

    /// One account's invoice: its PDF is the job's own file, not a zip.
    pub fn single(&self) -> bool {
        matches!(self, DocScope::Account(_))
    }
}

/// Tells a generated operation module's `ScopeKind` the scope: `scope_kind!(module, name)`.
macro_rules! scope_kind {
    ($module:ident, $name:expr) => {
        match $name {
            "BRANCH" => $module::ScopeKind::BRANCH,
            "BUILDING" => $module::ScopeKind::BUILDING,
            "ACCOUNT" => $module::ScopeKind::ACCOUNT,
            "ACCOUNTS" => $module::ScopeKind::ACCOUNTS,
            _ => $module::ScopeKind::TENANT,
        }
    };
}
pub(crate) use scope_kind;

#[cfg(test)]
mod tests {
    use super::DocScope;

    #[test]
    fn the_chooser_names_a_scope_only_once_its_record_is_picked() {
        assert_eq!(DocScope::chosen("TENANT", None), Some(DocScope::Tenant));
        assert_eq!(DocScope::chosen("BUILDING", None), None);
        assert_eq!(
            DocScope::chosen("BUILDING", Some(7)),
            Some(DocScope::Building(7))
        );
        assert_eq!(
            DocScope::Accounts(vec![3, 4]).parts(),
            ("ACCOUNTS", None, Some(vec![3, 4]))
        );
        assert!(DocScope::Account(1).single() && !DocScope::Accounts(vec![1]).single());
    }
}
