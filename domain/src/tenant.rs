//! `TenantSlug`: the short name that also names the tenant's schema and role.

use std::fmt;

/// A tenant's slug: 2–40 characters, a lowercase Latin letter first, then lowercase Latin
/// letters, digits or `_`. Because it is spliced into `tenant_<slug>` identifiers, nothing
/// else is ever accepted (this is what makes the `SET LOCAL search_path` safe to format).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantSlug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "slug must be 2–40 characters: a lowercase Latin letter, then lowercase letters, digits or _"
)]
pub struct InvalidSlug;

impl TenantSlug {
    pub fn parse(raw: &str) -> Result<Self, InvalidSlug> {
        let mut chars = raw.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if first_ok && rest_ok && (2..=40).contains(&raw.len()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidSlug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The PostgreSQL schema holding this tenant's tables.
    pub fn schema(&self) -> String {
        format!("tenant_{}", self.0)
    }

    /// The PostgreSQL role that may touch only this tenant's schema.
    pub fn role(&self) -> String {
        format!("tenant_{}_role", self.0)
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        for ok in ["demo", "vodokanal_kyiv", "a1", "osbb_42"] {
            assert_eq!(
                TenantSlug::parse(ok).map(|s| s.schema()),
                Ok(format!("tenant_{ok}"))
            );
        }
    }

    #[test]
    fn refuses_anything_that_could_break_an_identifier() {
        for bad in [
            "",
            "a",
            "Demo",
            "1abc",
            "_x",
            "demo-1",
            "demo;drop",
            "dé",
            "a b",
            "x\"y",
            &"a".repeat(41),
        ] {
            assert_eq!(TenantSlug::parse(bad), Err(InvalidSlug), "{bad:?}");
        }
    }
}
