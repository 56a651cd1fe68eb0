//! The permission matrix: document types × actions (seed 001 §4.2). The same lists are
//! the CHECK constraints of `role_permissions` in the tenant schema.

use std::collections::HashSet;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum Document {
    Subscribers,
    Accounts,
    Meters,
    Readings,
    Payments,
    Acts,
    Invoices,
    Reports,
    ReferenceBooks,
    Settings,
    Users,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum Action {
    View,
    Create,
    Update,
    Delete,
}

impl Document {
    pub const ALL: [Document; 11] = [
        Document::Subscribers,
        Document::Accounts,
        Document::Meters,
        Document::Readings,
        Document::Payments,
        Document::Acts,
        Document::Invoices,
        Document::Reports,
        Document::ReferenceBooks,
        Document::Settings,
        Document::Users,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Document::Subscribers => "subscribers",
            Document::Accounts => "accounts",
            Document::Meters => "meters",
            Document::Readings => "readings",
            Document::Payments => "payments",
            Document::Acts => "acts",
            Document::Invoices => "invoices",
            Document::Reports => "reports",
            Document::ReferenceBooks => "reference_books",
            Document::Settings => "settings",
            Document::Users => "users",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

impl Action {
    pub const ALL: [Action; 4] = [Action::View, Action::Create, Action::Update, Action::Delete];

    pub fn code(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What one user may do: the union of their roles' permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet(HashSet<(Document, Action)>);

impl PermissionSet {
    pub fn all() -> Self {
        Self(
            Document::ALL
                .iter()
                .flat_map(|d| Action::ALL.iter().map(move |a| (*d, *a)))
                .collect(),
        )
    }

    /// From `(document, action)` code pairs as stored; unknown codes are ignored.
    pub fn from_codes<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self(
            pairs
                .into_iter()
                .filter_map(|(d, a)| Some((Document::from_code(d)?, Action::from_code(a)?)))
                .collect(),
        )
    }

    pub fn allows(&self, d: Document, a: Action) -> bool {
        self.0.contains(&(d, a))
    }

    pub fn iter(&self) -> impl Iterator<Item = (Document, Action)> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_dropped() {
        for d in Document::ALL {
            assert_eq!(Document::from_code(d.code()), Some(d));
        }
        let set = PermissionSet::from_codes([
            ("accounts", "view"),
            ("nonsense", "view"),
            ("users", "fly"),
        ]);
        assert!(set.allows(Document::Accounts, Action::View));
        assert_eq!(set.iter().count(), 1);
        assert_eq!(PermissionSet::all().iter().count(), 44);
    }
}
