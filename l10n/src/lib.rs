//! Translation catalogs as data: Fluent files, one per locale and side, under
//! `locales/<code>/{server,web}.ftl`, loaded through `fluent-bundle` (plural rules
//! included). The locales are whatever folders exist there; adding one is adding a folder.
//! Pure: the files are compiled in, so the server and the wasm client share this crate.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// A locale of the catalogs (an index into the folders found at build time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    /// The locales the product's own fallbacks name; the build fails without them.
    pub const EN: Lang = Lang::named("en");
    pub const RU: Lang = Lang::named("ru");
    pub const UK: Lang = Lang::named("uk");

    const fn named(code: &str) -> Lang {
        let mut i = 0;
        while i < CODES.len() {
            if same(CODES[i].as_bytes(), code.as_bytes()) {
                return Lang(i as u8);
            }
            i += 1;
        }
        panic!("a locale the code names has no folder under locales/")
    }

    /// Every locale, by code.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..CODES.len()).filter_map(|i| u8::try_from(i).ok().map(Lang))
    }

    pub fn code(self) -> &'static str {
        CODES.get(usize::from(self.0)).copied().unwrap_or("en")
    }

    /// The locale of a language tag (`uk`, `ru-RU`, `EN_us`): its primary subtag.
    pub fn from_code(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::all().find(|l| l.code() == primary)
    }

    /// The first supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .find_map(|part| Lang::from_code(part.split(';').next().unwrap_or("")))
    }

    fn index(self) -> usize {
        usize::from(self.0)
    }
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// One side's messages in every locale.
pub struct Catalog {
    bundles: Vec<FluentBundle<&'static FluentResource>>,
    resources: Vec<&'static FluentResource>,
    /// Syntax errors by locale code (a test keeps it empty).
    pub errors: Vec<String>,
}

impl Catalog {
    /// The server's catalog (`server.ftl`), parsed once per process.
    pub fn server() -> &'static Catalog {
        static SERVER: OnceLock<Catalog> = OnceLock::new();
        SERVER.get_or_init(|| Catalog::load(SERVER_FILES))
    }

    /// The web client's catalog (`web.ftl`), parsed once per process.
    pub fn web() -> &'static Catalog {
        static WEB: OnceLock<Catalog> = OnceLock::new();
        WEB.get_or_init(|| Catalog::load(WEB_FILES))
    }

    /// Words for the codes the API returns and the database keeps (`codes.ftl`): shared by
    /// the web client's labels and the server's exports, so a code reads the same in both.
    pub fn codes() -> &'static Catalog {
        static CODES_CATALOG: OnceLock<Catalog> = OnceLock::new();
        CODES_CATALOG.get_or_init(|| Catalog::load(CODE_FILES))
    }

    fn load(files: &[&'static str]) -> Catalog {
        let mut bundles = Vec::new();
        let mut resources = Vec::new();
        let mut errors = Vec::new();
        for (code, source) in CODES.iter().zip(files) {
            let resource = match FluentResource::try_new((*source).to_owned()) {
                Ok(r) => r,
                Err((r, errs)) => {
                    errors.extend(errs.iter().map(|e| format!("{code}: {e:?}")));
                    r
                }
            };
            // Loaded once and kept for the process: the bundles borrow it.
            let resource: &'static FluentResource = Box::leak(Box::new(resource));
            let id = code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks: the texts go into spreadsheets, PDFs and plain
            // JSON errors as well as the page.
            bundle.set_use_isolating(false);
            if let Err(errs) = bundle.add_resource(resource) {
                errors.extend(errs.iter().map(|e| format!("{code}: {e:?}")));
            }
            bundles.push(bundle);
            resources.push(resource);
        }
        Catalog {
            bundles,
            resources,
            errors,
        }
    }

    /// Message `id` in `lang` with `args` (`$name` = value; a whole number selects
    /// plural forms), or None when the locale has no such message.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, &str)]) -> Option<String> {
        let bundle = self.bundles.get(lang.index())?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, arg_value(value));
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    }

    /// The message ids of `lang`, in file order.
    pub fn ids(&self, lang: Lang) -> Vec<&'static str> {
        self.resources
            .get(lang.index())
            .map(|r| {
                r.entries()
                    .filter_map(|e| match e {
                        ast::Entry::Message(m) => Some(m.id.name),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The variables message `id` uses in `lang`, sorted.
    pub fn variables(&self, lang: Lang, id: &str) -> Vec<&'static str> {
        let mut vars = Vec::new();
        if let Some(pattern) = self.pattern(lang, id) {
            collect_variables(pattern, &mut vars);
        }
        vars.sort_unstable();
        vars.dedup();
        vars
    }

    /// A flat message as literal pieces between its variables: `a { $p1 } b` is
    /// (["a ", " b"], ["p1"]). None when the message selects or nests.
    pub fn template(&self, lang: Lang, id: &str) -> Option<(Vec<&'static str>, Vec<&'static str>)> {
        let pattern = self.pattern(lang, id)?;
        let mut pieces = vec![String::new()];
        let mut vars = Vec::new();
        for element in &pattern.elements {
            match element {
                ast::PatternElement::TextElement { value } => {
                    if let Some(last) = pieces.last_mut() {
                        last.push_str(value);
                    }
                }
                ast::PatternElement::Placeable { expression } => match expression {
                    ast::Expression::Inline(ast::InlineExpression::VariableReference { id }) => {
                        vars.push(id.name);
                        pieces.push(String::new());
                    }
                    ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }) => {
                        if let Some(last) = pieces.last_mut() {
                            last.push_str(&unescape(value));
                        }
                    }
                    _ => return None,
                },
            }
        }
        let pieces = pieces
            .into_iter()
            .map(|p| &*Box::leak(p.into_boxed_str()))
            .collect();
        Some((pieces, vars))
    }

    fn pattern(&self, lang: Lang, id: &str) -> Option<&'static ast::Pattern<&'static str>> {
        self.resources
            .get(lang.index())?
            .entries()
            .find_map(|e| match e {
                ast::Entry::Message(m) if m.id.name == id => m.value.as_ref(),
                _ => None,
            })
    }
}

/// A whole number is passed as a number (plural forms select on it, and it prints as
/// written); anything else, amounts included, as the text it is.
fn arg_value(value: &str) -> FluentValue<'static> {
    let whole = !value.is_empty()
        && value.len() <= 15
        && value
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
        && value != "-"
        && !(value.len() > 1 && value.starts_with('0'));
    if whole {
        FluentValue::try_number(value).into_owned()
    } else {
        FluentValue::String(value.to_owned().into())
    }
}

fn unescape(literal: &str) -> String {
    literal.replace("\\\"", "\"").replace("\\\\", "\\")
}

fn collect_variables(pattern: &ast::Pattern<&'static str>, out: &mut Vec<&'static str>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, out);
        }
    }
}

fn collect_expression(expression: &ast::Expression<&'static str>, out: &mut Vec<&'static str>) {
    match expression {
        ast::Expression::Inline(inline) => collect_inline(inline, out),
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, out);
            for variant in variants {
                collect_variables(&variant.value, out);
            }
        }
    }
}

fn collect_inline(inline: &ast::InlineExpression<&'static str>, out: &mut Vec<&'static str>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => out.push(id.name),
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, out),
        _ => {}
    }
}

/// The catalog id of a web `Key` variant: its name in kebab case (`MenuSubscribers` is
/// `menu-subscribers`, `ColIBAN` is `col-iban`).
pub fn key_id(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut id = String::with_capacity(name.len() + 8);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                id.push('-');
            }
        }
        id.push(c.to_ascii_lowercase());
    }
    id
}

/// The label of `value` in the code list `list` (`payments-kind`, `PaymentSource`):
/// the entry `<list>-<value>` in kebab case, or the value itself when the catalog has
/// none (a value newer than the catalog is shown, not hidden).
pub fn code_label(lang: Lang, list: &str, value: &str) -> String {
    Catalog::codes()
        .format(lang, &code_id(list, value), &[])
        .unwrap_or_else(|| value.to_owned())
}

/// The catalog id of a code: the list's name and the value in kebab case
/// (`PaymentSource`, `CASH_DESK` → `payment-source-cash-desk`;
/// `streets-kind`, `avenue` → `streets-kind-avenue`).
pub fn code_id(list: &str, value: &str) -> String {
    let kebab = |s: &str| {
        if s.contains(['_', '-']) || s.chars().all(|c| !c.is_ascii_lowercase()) {
            s.to_ascii_lowercase().replace('_', "-")
        } else {
            key_id(s)
        }
    };
    format!("{}-{}", kebab(list), kebab(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_tags_find_their_locale() {
        for l in Lang::all() {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("ru-RU"), Some(Lang::RU));
        assert_eq!(Lang::from_code("UK"), Some(Lang::UK));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(
            Lang::from_accept_language("de-DE, uk;q=0.9, en;q=0.5"),
            Some(Lang::UK)
        );
    }

    #[test]
    fn plural_forms_follow_each_languages_rules() {
        let c = Catalog::server();
        let digits = |lang, n: &str| {
            c.format(
                lang,
                "msg-must-be-less-than-the-meter-has",
                &[("p1", "100000"), ("p2", n)],
            )
        };
        assert_eq!(
            digits(Lang::UK, "1").as_deref(),
            Some("менше 100000 (лічильник має 1 розряд)")
        );
        assert_eq!(
            digits(Lang::UK, "3").as_deref(),
            Some("менше 100000 (лічильник має 3 розряди)")
        );
        assert_eq!(
            digits(Lang::UK, "5").as_deref(),
            Some("менше 100000 (лічильник має 5 розрядів)")
        );
        assert_eq!(
            digits(Lang::RU, "22").as_deref(),
            Some("меньше 100000 (у счётчика 22 разряда)")
        );
        assert_eq!(
            digits(Lang::RU, "11").as_deref(),
            Some("меньше 100000 (у счётчика 11 разрядов)")
        );
        assert_eq!(
            digits(Lang::RU, "21").as_deref(),
            Some("меньше 100000 (у счётчика 21 разряд)")
        );
        // Bulgarian counts "1 разряд", "5 разряда"; Kazakh keeps the noun singular after
        // any number, so its message has no plural forms at all.
        let bg = Lang::from_code("bg").unwrap_or(Lang::EN);
        let kk = Lang::from_code("kk").unwrap_or(Lang::EN);
        assert_eq!(
            digits(bg, "1").as_deref(),
            Some("трябва да е по-малко от 100000 (уредът има 1 разряд)")
        );
        assert_eq!(
            digits(bg, "5").as_deref(),
            Some("трябва да е по-малко от 100000 (уредът има 5 разряда)")
        );
        assert_eq!(
            digits(kk, "5").as_deref(),
            Some("100000 мәнінен кем болуы керек (есептеуіште 5 разряд бар)")
        );
    }

    #[test]
    fn key_names_become_kebab_ids() {
        assert_eq!(key_id("MenuSubscribers"), "menu-subscribers");
        assert_eq!(key_id("ColIBAN"), "col-iban");
        assert_eq!(key_id("Settings"), "settings");
        assert_eq!(key_id("ExportXLSXFile"), "export-xlsx-file");
    }

    #[test]
    fn amounts_and_codes_pass_as_written() {
        assert_eq!(arg_value("0012"), FluentValue::String("0012".into()));
        assert_eq!(arg_value("10.50"), FluentValue::String("10.50".into()));
        assert!(matches!(arg_value("42"), FluentValue::Number(_)));
    }
}
