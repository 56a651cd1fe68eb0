//! The catalogs are complete and alive: every locale has every entry with the same
//! variables, and every entry is used by the code (server messages by their English
//! shape, field names and document texts by their id, web texts by their `Key`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use l10n::{Catalog, Lang};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Rust sources under `dirs`, concatenated, leaving out `skip`.
fn sources(dirs: &[&str], skip: &str) -> String {
    let mut out = String::new();
    let mut stack: Vec<PathBuf> = dirs.iter().map(|d| root().join(d)).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with(skip) {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    out
}

fn same_entries_everywhere(catalog: &Catalog, side: &str) {
    assert!(catalog.errors.is_empty(), "{side}: {:?}", catalog.errors);
    let english: BTreeSet<&str> = catalog.ids(Lang::EN).into_iter().collect();
    assert!(!english.is_empty());
    for lang in Lang::all() {
        let ids: BTreeSet<&str> = catalog.ids(lang).into_iter().collect();
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(
            missing.is_empty(),
            "{side} {}: missing {missing:?}",
            lang.code()
        );
        assert!(
            extra.is_empty(),
            "{side} {}: not in English {extra:?}",
            lang.code()
        );
        for id in &english {
            assert_eq!(
                catalog.variables(lang, id),
                catalog.variables(Lang::EN, id),
                "{side} {}: {id} uses other variables than in English",
                lang.code()
            );
        }
    }
}

#[test]
fn every_locale_has_every_entry_with_the_same_variables() {
    same_entries_everywhere(Catalog::server(), "server.ftl");
    same_entries_everywhere(Catalog::web(), "web.ftl");
}

#[test]
fn every_server_entry_is_used_by_the_code() {
    // Every crate the server is built from (not the tools, not the web client).
    let code = sources(
        &[
            "domain/src",
            "platform/src",
            "access/src",
            "periods/src",
            "registry/src",
            "pricing/src",
            "metering/src",
            "billing/src",
            "payments/src",
            "documents/src",
            "acts/src",
            "reports/src",
            "imports/src",
            "retail/src",
            "backend/src",
        ],
        "i18n.rs",
    );
    let catalog = Catalog::server();
    let mut unused = Vec::new();
    for id in catalog.ids(Lang::EN) {
        let used = if id.starts_with("msg-") {
            // A message is used when its longest literal part is written in the code
            // (the rest comes from `format!` arguments).
            let (pieces, _) = catalog
                .template(Lang::EN, id)
                .unwrap_or_else(|| panic!("{id}: the English form must be flat"));
            let longest = pieces.iter().max_by_key(|p| p.len()).copied().unwrap_or("");
            let longest = longest.trim();
            // As a Rust literal it may carry escapes (`\"`, `\\t`).
            let escaped = longest.replace('\\', "\\\\").replace('"', "\\\"");
            longest.len() < 3 || code.contains(longest) || code.contains(&escaped)
        } else if let Some(field) = id.strip_prefix("field-") {
            code.contains(&format!("\"{field}\""))
        } else {
            code.contains(&format!("\"{id}\""))
        };
        if !used {
            unused.push(id);
        }
    }
    assert!(
        unused.is_empty(),
        "server.ftl entries no code uses: {unused:?}"
    );
}

#[test]
fn every_web_key_has_an_entry_and_every_entry_a_used_key() {
    let i18n = std::fs::read_to_string(root().join("web/src/shared/i18n.rs")).unwrap_or_default();
    let body = i18n
        .split("pub enum Key {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .unwrap_or_default();
    let keys: Vec<&str> = body
        .lines()
        .map(|l| l.trim().trim_end_matches(','))
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect();
    assert!(keys.len() > 100, "the Key enum was not found");
    let ids: BTreeSet<String> = keys.iter().map(|k| l10n::key_id(k)).collect();
    assert_eq!(ids.len(), keys.len(), "two keys share an id");
    let catalog: BTreeSet<String> = Catalog::web()
        .ids(Lang::EN)
        .into_iter()
        .filter(|id| *id != "language-name")
        .map(str::to_owned)
        .collect();
    let no_entry: Vec<_> = ids.difference(&catalog).collect();
    let no_key: Vec<_> = catalog.difference(&ids).collect();
    assert!(
        no_entry.is_empty(),
        "keys without a web.ftl entry: {no_entry:?}"
    );
    assert!(
        no_key.is_empty(),
        "web.ftl entries without a key: {no_key:?}"
    );
    let code = sources(&["web/src"], "i18n.rs");
    let unused: Vec<_> = keys
        .iter()
        .filter(|k| !code.contains(&format!("Key::{k}")) && !i18n.contains(&format!("=> Key::{k}")))
        .collect();
    assert!(unused.is_empty(), "keys no view uses: {unused:?}");
}

/// A locale the catalogs hold is one the database lets a tenant and a user choose: the
/// latest `CHECK (locale IN (…))` of each table in the control migrations names them all.
#[test]
fn the_database_accepts_every_locale() {
    let dir = root().join("migrations/sql/control");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for constraint in ["tenants_locale_check", "users_locale_check"] {
        let latest = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .flat_map(|sql| {
                sql.split(';')
                    .filter(|s| s.contains(constraint) && s.contains("CHECK"))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .last()
            .unwrap_or_else(|| panic!("no {constraint} in the control migrations"));
        for lang in Lang::all() {
            assert!(
                latest.contains(&format!("'{}'", lang.code())),
                "{constraint} does not accept {}: {latest}",
                lang.code()
            );
        }
    }
}
