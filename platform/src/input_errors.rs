//! Turns async-graphql's own input errors (a value of the wrong type, a required value
//! left out, an empty date) into the product's VALIDATION errors: the field, when the
//! library's text names it, and a rule a user can act on — never a Rust type name.

/// The expected form of a scalar, as a rule in the catalog's English.
fn rule_for(type_name: &str) -> &'static str {
    match type_name.trim_end_matches('!') {
        "NaiveDate" => "must be a date such as 2026-10-15",
        "Decimal" | "Float" => "must be a number such as 12.5",
        "Int" => "must be a whole number",
        "Boolean" => "must be yes or no",
        "DateTime" => "must be a date and time",
        _ => "is missing or not in the expected form",
    }
}

/// The field (its last path segment, `input.openedOn` → `openedOn`; "input" when the text
/// does not name one) and the rule, for a library error the user caused; None for any
/// other text (a malformed query stays `BAD_REQUEST`).
pub fn explain(message: &str) -> Option<(String, &'static str)> {
    // `Invalid value for argument "input.openedOn", expected type "NaiveDate"`: a null or a
    // value of another kind where a value is required.
    if let Some(rest) = message.strip_prefix("Invalid value for argument \"") {
        let (path, reason) = rest.split_once("\", ")?;
        let field = path.rsplit('.').next().filter(|f| !f.is_empty())?;
        // `field "x" of type "T" is required but not provided`: the field is inside.
        if let Some(inner) = reason.strip_prefix("field \"") {
            let (name, rest) = inner.split_once('"')?;
            let ty = rest
                .strip_prefix(" of type \"")
                .and_then(|t| t.split_once('"'))
                .map_or("", |(t, _)| t);
            return Some((name.to_owned(), required_rule(ty)));
        }
        let ty = reason
            .strip_prefix("expected type \"")
            .and_then(|t| t.split_once('"'))
            .map_or("", |(t, _)| t);
        return Some((field.to_owned(), rule_for(ty)));
    }
    // `Failed to parse "NaiveDate": premature end of input (occurred while parsing "X")`:
    // a text that is not a value of the scalar (an empty date field); the library does not
    // say which field, so the rule names the kind of value.
    let rest = message.strip_prefix("Failed to parse \"")?;
    let (ty, _) = rest.split_once('"')?;
    Some(("input".to_owned(), unparsed_rule(ty)))
}

fn required_rule(type_name: &str) -> &'static str {
    match type_name.trim_end_matches('!') {
        "NaiveDate" => "is required: enter a date",
        _ => "is required",
    }
}

fn unparsed_rule(type_name: &str) -> &'static str {
    match type_name {
        "NaiveDate" => "a required date is empty or not a date such as 2026-10-15",
        "Decimal" => "a required number is empty or not a number such as 12.5",
        _ => "a required value is empty or not in the expected form",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_date_of_an_input_object_names_the_kind_of_value() {
        let (field, rule) = explain(
            r#"Failed to parse "NaiveDate": premature end of input (occurred while parsing "OpenAccountInput")"#,
        )
        .unwrap_or_else(|| panic!("not explained"));
        assert_eq!(field, "input");
        assert_eq!(
            rule,
            "a required date is empty or not a date such as 2026-10-15"
        );
    }

    #[test]
    fn a_null_where_a_date_is_required_names_the_field() {
        let (field, rule) =
            explain(r#"Invalid value for argument "input.openedOn", expected type "NaiveDate""#)
                .unwrap_or_else(|| panic!("not explained"));
        assert_eq!(field, "openedOn");
        assert_eq!(rule, "must be a date such as 2026-10-15");
        let (field, rule) = explain(r#"Invalid value for argument "limit", expected type "Int""#)
            .unwrap_or_else(|| panic!("not explained"));
        assert_eq!((field.as_str(), rule), ("limit", "must be a whole number"));
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let (field, rule) = explain(
            r#"Invalid value for argument "input", field "openedOn" of type "NaiveDate!" is required but not provided"#,
        )
        .unwrap_or_else(|| panic!("not explained"));
        assert_eq!(
            (field.as_str(), rule),
            ("openedOn", "is required: enter a date")
        );
    }

    #[test]
    fn a_malformed_query_is_left_alone() {
        assert_eq!(explain("Unknown field \"x\" on type \"QueryRoot\"."), None);
        assert_eq!(explain("Invalid value for argument"), None);
        assert_eq!(explain(""), None);
    }
}
