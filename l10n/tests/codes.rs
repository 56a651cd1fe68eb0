//! Every code a user can meet has words: each value of every enum the API returns (read
//! from `backend/schema.graphql`, which the server's own schema test keeps current) and
//! each value a database check allows in a coded column (read from the migrations) has an
//! entry in `codes.ftl` in every locale; and every entry there labels such a value.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use l10n::{Catalog, Lang, code_id};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Coded columns whose values are not shown to users as words, and why.
const NOT_SHOWN: [(&str, &str); 5] = [
    (
        "sessions_kind_check",
        "how a session travels (cookie, bearer) is never shown",
    ),
    (
        "tenants_locale_check",
        "languages are shown by their own names",
    ),
    (
        "payment_templates_encoding_check",
        "a character set's name is its label",
    ),
    ("jobs_state_check", "shown through the API's JobState enum"),
    (
        "import_templates_encoding_check",
        "a character set's name is its label",
    ),
];

/// The enums that appear as a field's type in an output type (not only in inputs).
fn output_enums(schema: &str) -> BTreeMap<String, Vec<String>> {
    let mut enums = BTreeMap::new();
    let mut returned = BTreeSet::new();
    let mut block: Option<(String, String)> = None;
    for line in schema.lines() {
        if line.starts_with('}') {
            block = None;
            continue;
        }
        if let Some(head) = line.strip_suffix(" {") {
            let mut words = head.split_whitespace();
            let kind = words.next().unwrap_or_default().to_owned();
            let name = words.next().unwrap_or_default().to_owned();
            if kind == "enum" {
                enums.insert(name.clone(), Vec::new());
            }
            block = Some((kind, name));
            continue;
        }
        let Some((kind, name)) = &block else { continue };
        let body = line.trim();
        if body.is_empty() || body.starts_with('"') {
            continue;
        }
        match kind.as_str() {
            "enum"
                if body
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
            {
                if let Some(values) = enums.get_mut(name) {
                    values.push(body.to_owned());
                }
            }
            "type" | "interface" if line.starts_with('\t') && !line.starts_with("\t\t") => {
                if let Some((_, ty)) = body.rsplit_once(": ") {
                    returned.insert(ty.trim_matches(['[', ']', '!']).to_owned());
                }
            }
            _ => {}
        }
    }
    enums.retain(|name, _| returned.contains(name));
    enums
}

/// `CONSTRAINT <name> CHECK (<column> IN ('a', 'b'))` of every migration, values joined
/// over redefinitions (a later migration may widen a list).
fn checked_codes() -> BTreeMap<String, BTreeSet<String>> {
    let mut lists: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![root().join("migrations/sql")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let sql = std::fs::read_to_string(&path).unwrap_or_default();
            for (name, values) in in_checks(&sql) {
                lists.entry(name).or_default().extend(values);
            }
        }
    }
    lists
}

fn in_checks(sql: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut rest = sql;
    while let Some(at) = rest.find("CONSTRAINT ") {
        rest = &rest[at + "CONSTRAINT ".len()..];
        let mut words = rest.split_whitespace();
        let name = words.next().unwrap_or_default().to_owned();
        let tail: String = rest.split(';').next().unwrap_or_default().to_owned();
        // `CHECK (<column> IN (` in any spacing and line breaks.
        let flat: Vec<&str> = tail.split_whitespace().collect();
        let flat = flat.join(" ").replace("( ", "(").replace(" (", "(");
        let Some(check) = flat.strip_prefix(&format!("{name} CHECK(")) else {
            continue;
        };
        let mut parts = check.splitn(2, " IN(");
        let column = parts.next().unwrap_or_default();
        let Some(list) = parts.next() else { continue };
        if !column.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        let list = list.split(')').next().unwrap_or_default();
        let values = list
            .split(',')
            .map(|v| v.trim().trim_matches('\'').to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        found.push((name, values));
    }
    found
}

/// The list's name in the catalog: the constraint's name without `_check`.
fn list_name(constraint: &str) -> String {
    constraint.trim_end_matches("_check").to_owned()
}

/// The string items of `pub const <name>: &[&str] = &[...]` in a Rust source.
fn const_list(source: &str, name: &str) -> Vec<String> {
    let head = format!("pub const {name}: &[&str] = &[");
    let body = source
        .split(&head)
        .nth(1)
        .and_then(|rest| rest.split("];").next())
        .unwrap_or_default();
    body.split(',')
        .map(|v| v.trim().trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

fn expected_ids() -> BTreeMap<String, String> {
    let schema = std::fs::read_to_string(root().join("backend/schema.graphql")).unwrap_or_default();
    let mut ids = BTreeMap::new();
    let enums = output_enums(&schema);
    assert!(
        enums.contains_key("JobState") && enums.contains_key("Book"),
        "the schema's output enums were not found: {enums:?}"
    );
    for (name, values) in enums {
        for v in values {
            ids.insert(code_id(&name, &v), format!("enum {name}.{v}"));
        }
    }
    let checks = checked_codes();
    assert!(
        checks.contains_key("readings_source_check") && checks.contains_key("streets_kind_check"),
        "the migrations' coded columns were not found: {checks:?}"
    );
    for (constraint, values) in checks {
        if NOT_SHOWN.iter().any(|(c, _)| *c == constraint) {
            continue;
        }
        for v in values {
            ids.insert(
                code_id(&list_name(&constraint), &v),
                format!("column check {constraint} '{v}'"),
            );
        }
    }
    // The audit log's actions and record kinds: lists the audit module keeps (and checks
    // every row it writes against in debug builds).
    let audit = std::fs::read_to_string(root().join("platform/src/audit.rs")).unwrap_or_default();
    for (list, name) in [("audit_action", "ACTIONS"), ("audit_entity", "ENTITIES")] {
        let values = const_list(&audit, name);
        assert!(values.len() > 10, "audit::{name} was not found");
        for v in values {
            ids.insert(code_id(list, &v), format!("audit::{name} {v}"));
        }
    }
    ids
}

#[test]
fn every_code_the_api_or_the_database_holds_has_a_label_in_every_locale() {
    let expected = expected_ids();
    let catalog = Catalog::codes();
    assert!(catalog.errors.is_empty(), "codes.ftl: {:?}", catalog.errors);
    for lang in Lang::all() {
        let have: BTreeSet<&str> = catalog.ids(lang).into_iter().collect();
        let missing: Vec<_> = expected
            .iter()
            .filter(|(id, _)| !have.contains(id.as_str()))
            .map(|(id, from)| format!("{id} ({from})"))
            .collect();
        assert!(
            missing.is_empty(),
            "codes.ftl {}: no label for {missing:#?}",
            lang.code()
        );
        let stale: Vec<_> = have
            .iter()
            .filter(|id| !expected.contains_key(**id))
            .collect();
        assert!(
            stale.is_empty(),
            "codes.ftl {}: entries no API enum or coded column has: {stale:?}",
            lang.code()
        );
    }
}

#[test]
fn a_code_reads_as_words_and_an_unknown_one_as_itself() {
    assert_eq!(l10n::code_label(Lang::EN, "JobState", "RUNNING"), "Running");
    assert_eq!(
        l10n::code_label(Lang::RU, "payments_kind", "cash_desk"),
        "Касса"
    );
    assert_eq!(
        l10n::code_label(Lang::UK, "streets_kind", "avenue"),
        "Проспект"
    );
    assert_eq!(
        l10n::code_label(Lang::EN, "streets_kind", "galaxy"),
        "galaxy"
    );
    assert_eq!(
        code_id("ReadingBasis", "MONTHLY_AVERAGE"),
        "reading-basis-monthly-average"
    );
    assert_eq!(
        code_id("payments_kind", "cash_desk"),
        "payments-kind-cash-desk"
    );
}
