//! Server messages in the user's language, from the Fluent catalogs in
//! `locales/<code>/server.ftl` (crate `l10n`).
//!
//! Messages are written in English at their source (so logs and tests read plainly); the
//! English catalog holds each one's shape with `$p1`, `$p2`… for its variable parts, and a
//! message is translated by finding its shape and formatting the same entry in the user's
//! language (plural forms included). An English message with no entry is sent as it is.

use std::sync::OnceLock;

use l10n::Catalog;
pub use l10n::Lang;

/// The language a request's `Accept-Language` header asks for, if it names one.
pub fn lang_of_request(headers: &axum::http::HeaderMap) -> Option<Lang> {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
}

/// A message's English shape: its id, the literal pieces and the variables between them.
struct Shape {
    id: &'static str,
    pieces: Vec<&'static str>,
    vars: Vec<&'static str>,
}

fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let catalog = Catalog::server();
        catalog
            .ids(Lang::EN)
            .into_iter()
            .filter(|id| id.starts_with("msg-"))
            .filter_map(|id| {
                let (pieces, vars) = catalog.template(Lang::EN, id)?;
                Some(Shape { id, pieces, vars })
            })
            .collect()
    })
}

/// `text` in `lang` (unchanged when the catalog has no entry for it).
pub fn message(lang: Lang, text: &str) -> String {
    if lang == Lang::EN {
        return text.to_owned();
    }
    for shape in shapes() {
        if let Some(params) = matches(&shape.pieces, text) {
            let args: Vec<(&str, &str)> = shape
                .vars
                .iter()
                .copied()
                .zip(params.iter().map(String::as_str))
                .collect();
            if let Some(done) = Catalog::server().format(lang, shape.id, &args) {
                return done;
            }
        }
    }
    text.to_owned()
}

/// A protocol's reason, "field: rule" (or a bare rule), in `lang`: the field by its
/// catalog name, the rule as a message.
pub fn reason(lang: Lang, reason: &str) -> String {
    match reason.split_once(": ") {
        Some((field, rule)) => format!("{}: {}", self::field(lang, field), message(lang, rule)),
        None => message(lang, reason),
    }
}

/// Catalog text `id` in `lang` (English when the locale lacks it; the id when none has it).
pub fn text(lang: Lang, id: &str) -> String {
    let catalog = Catalog::server();
    catalog
        .format(lang, id, &[])
        .or_else(|| catalog.format(Lang::EN, id, &[]))
        .unwrap_or_else(|| id.to_owned())
}

/// Catalog text `id` in `lang` with its variables (`{ $n }`) filled in from `args`.
pub fn text_with(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let catalog = Catalog::server();
    catalog
        .format(lang, id, args)
        .or_else(|| catalog.format(Lang::EN, id, args))
        .unwrap_or_else(|| id.to_owned())
}

/// The field's name in `lang` (the name itself when the catalog has none).
pub fn field(lang: Lang, name: &str) -> String {
    Catalog::server()
        .format(lang, &format!("field-{name}"), &[])
        .unwrap_or_else(|| name.to_owned())
}

/// The variable parts of `text` if it has the shape of `pieces` (the literal text around
/// the variables).
fn matches(pieces: &[&str], text: &str) -> Option<Vec<String>> {
    let mut rest = text.strip_prefix(*pieces.first()?)?;
    let mut params = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let at = if last {
            rest.len()
                .checked_sub(piece.len())
                .filter(|&at| rest.get(at..) == Some(*piece))?
        } else {
            rest.find(piece)?
        };
        params.push(rest.get(..at)?.to_owned());
        rest = rest.get(at + piece.len()..)?;
    }
    (rest.is_empty()).then_some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_translate_with_their_values() {
        assert_eq!(
            message(Lang::UK, "must be at least 10 characters long"),
            "має бути не коротшим за 10 символів"
        );
        assert_eq!(
            message(
                Lang::RU,
                "role auditor is assigned to 2 user(s); take it away first"
            ),
            "роль auditor назначена 2 польз.; сначала снимите её"
        );
        assert_eq!(
            message(Lang::UK, "missing permission accounts.view"),
            "немає права accounts.view"
        );
        assert_eq!(message(Lang::EN, "sign in first"), "sign in first");
        assert_eq!(message(Lang::UK, "something new"), "something new");
        assert_eq!(field(Lang::UK, "password"), "пароль");
    }
}
