//! An audit row's before → after as field changes a person reads ("Area: 52.1 → 54.3"),
//! not two JSON documents: nested objects flatten to dotted paths, lists of plain values
//! to "a, b", and only the fields that differ are listed. Pure.

use serde_json::{Map, Value};

/// One field that a change touched.
#[derive(Debug, Clone, PartialEq, Eq, async_graphql::SimpleObject)]
pub struct FieldChange {
    /// The field's path in the record (`area`, `address.street`).
    pub field: String,
    /// The field's name in the reader's language (the path when the catalog has none).
    pub label: String,
    /// The value before, as text; empty when the field had none.
    pub before: String,
    /// The value after, as text; empty when the field is gone.
    pub after: String,
}

/// The fields that differ between `before` and `after`, by path in alphabetical order (the
/// order JSON objects keep here), the fields of `after` first, then those only `before`
/// had. `label` names a field by the last segment of its path.
pub fn field_changes(
    before: Option<&Value>,
    after: Option<&Value>,
    label: impl Fn(&str) -> String,
) -> Vec<FieldChange> {
    let mut b = Vec::new();
    let mut a = Vec::new();
    if let Some(v) = before {
        flatten("", v, &mut b);
    }
    if let Some(v) = after {
        flatten("", v, &mut a);
    }
    let find = |list: &[(String, String)], key: &str| {
        list.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            // An empty value and no value read the same.
            .filter(|v| !v.is_empty())
    };
    let mut keys: Vec<&String> = a.iter().map(|(k, _)| k).collect();
    keys.extend(
        b.iter()
            .map(|(k, _)| k)
            .filter(|k| !a.iter().any(|(ak, _)| ak == *k)),
    );
    keys.into_iter()
        .filter_map(|key| {
            let (was, is) = (find(&b, key), find(&a, key));
            (was != is).then(|| FieldChange {
                field: key.clone(),
                label: label(key.rsplit('.').next().unwrap_or(key)),
                before: was.unwrap_or_default(),
                after: is.unwrap_or_default(),
            })
        })
        .collect()
}

/// The changes as one line each: `label: before → after`.
pub fn describe(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| {
            let show = |s: &str| {
                if s.is_empty() {
                    "—".to_owned()
                } else {
                    s.to_owned()
                }
            };
            format!("{}: {} → {}", c.label, show(&c.before), show(&c.after))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => flatten_object(prefix, map, out),
        other => out.push((
            if prefix.is_empty() {
                "value".to_owned()
            } else {
                prefix.to_owned()
            },
            text(other),
        )),
    }
}

fn flatten_object(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (k, v) in map {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(inner) => flatten_object(&path, inner, out),
            other => out.push((path, text(other))),
        }
    }
}

/// A value as text: strings as they are, no quotes; nothing as empty; yes/no as ✓/✗;
/// a list of plain values joined by commas; anything deeper as compact JSON.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "✓".to_owned(),
        Value::Bool(false) => "✗".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn same(k: &str) -> String {
        k.to_owned()
    }

    #[test]
    fn lists_only_what_differs_with_plain_text_values() {
        let before =
            json!({"area": "52.1", "holder": "Іваненко", "active": true, "tags": ["a", "b"]});
        let after = json!({"area": "54.3", "holder": "Іваненко", "active": false, "tags": ["a"]});
        let c = field_changes(Some(&before), Some(&after), same);
        let got: Vec<_> = c
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("active", "✓", "✗"),
                ("area", "52.1", "54.3"),
                ("tags", "a, b", "a")
            ]
        );
    }

    #[test]
    fn creation_and_deletion_show_every_field_once() {
        let row = json!({"number": "100001", "closedOn": null, "address": {"street": "Шевченка", "house": "5"}});
        let created = field_changes(None, Some(&row), same);
        let fields: Vec<_> = created.iter().map(|c| c.field.as_str()).collect();
        // A field that is empty on creation is no change.
        assert_eq!(fields, vec!["address.house", "address.street", "number"]);
        assert!(created.iter().all(|c| c.before.is_empty()));
        let deleted = field_changes(Some(&row), None, same);
        assert_eq!(deleted.len(), 3);
        assert!(deleted.iter().all(|c| c.after.is_empty()));
    }

    #[test]
    fn labels_name_the_last_segment_and_describe_reads_as_lines() {
        let c = field_changes(
            Some(&json!({"premises": {"totalArea": 50}})),
            Some(&json!({"premises": {"totalArea": 51}})),
            |k| {
                if k == "totalArea" {
                    "Загальна площа".into()
                } else {
                    k.into()
                }
            },
        );
        assert_eq!(c[0].field, "premises.totalArea");
        assert_eq!(describe(&c), "Загальна площа: 50 → 51");
        let gone = field_changes(Some(&json!({"note": "x"})), Some(&json!({})), same);
        assert_eq!(describe(&gone), "note: x → —");
    }

    #[test]
    fn a_plain_value_is_one_field() {
        let c = field_changes(Some(&json!(1)), Some(&json!(2)), same);
        assert_eq!(describe(&c), "value: 1 → 2");
    }
}
