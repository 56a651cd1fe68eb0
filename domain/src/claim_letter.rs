//! A claim letter's text (досудебная претензия, попередження про заборгованість): the
//! tenant's template with `{name}` placeholders filled in from one debtor's figures. The
//! placeholders are a closed list, so a template with a misspelt one is refused when it
//! is saved rather than printed with braces in a thousand letters. `{{` and `}}` write a
//! brace. No IO.

/// The placeholders a template may use, in the order the editor lists them.
pub const PLACEHOLDERS: [&str; 11] = [
    "tenant", "date", "number", "holder", "address", "period", "debt", "penalty", "total",
    "currency", "deadline",
];

/// Why a template is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown placeholder {{{0}}}")]
    Unknown(String),
    #[error("a brace is not closed")]
    Unclosed,
}

/// The pieces of a template: text, and placeholders by name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(String),
    Field(&'a str),
}

fn pieces(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            text.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            text.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let end = after.find('}').ok_or(TemplateError::Unclosed)?;
            let name = after[..end].trim();
            if !PLACEHOLDERS.contains(&name) {
                return Err(TemplateError::Unknown(name.to_owned()));
            }
            if !text.is_empty() {
                out.push(Piece::Text(std::mem::take(&mut text)));
            }
            out.push(Piece::Field(name));
            rest = &after[end + 1..];
        } else {
            // A lone `}`: written as it is.
            text.push('}');
            rest = &tail[1..];
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// Checks a template: every placeholder known, every brace closed.
pub fn check(template: &str) -> Result<(), TemplateError> {
    pieces(template).map(|_| ())
}

/// The template with each placeholder replaced by `value(name)`.
pub fn fill(template: &str, value: impl Fn(&str) -> String) -> Result<String, TemplateError> {
    Ok(pieces(template)?
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Field(name) => value(name),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> String {
        match name {
            "holder" => "Іваненко І. І.".into(),
            "debt" => "1 250,00".into(),
            "deadline" => "16.12.2026".into(),
            other => format!("<{other}>"),
        }
    }

    #[test]
    fn placeholders_are_filled_and_braces_escaped() {
        let text = fill(
            "Шановний(а) {holder}! Борг {debt} {{грн}} сплатіть до { deadline }.",
            values,
        );
        assert_eq!(
            text.as_deref(),
            Ok("Шановний(а) Іваненко І. І.! Борг 1 250,00 {грн} сплатіть до 16.12.2026.")
        );
    }

    #[test]
    fn an_unknown_or_unclosed_placeholder_is_refused() {
        assert_eq!(
            check("Борг {dept}"),
            Err(TemplateError::Unknown("dept".into()))
        );
        assert_eq!(check("Борг {debt"), Err(TemplateError::Unclosed));
        assert_eq!(check("no placeholders } at all"), Ok(()));
    }
}
