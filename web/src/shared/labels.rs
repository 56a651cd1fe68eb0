//! Words for the codes the API returns and the settings use (reading sources, QR formats,
//! mail encryption, street kinds, statuses, roles…): a user reads "оператор", never
//! `operator`. The words live in the shared codes catalog (`locales/<code>/codes.ftl`),
//! keyed by the code's list — an API enum or a coded column — so the server's exports
//! say the same; a test keeps every list the API or the database holds labelled. A code
//! with no label is shown as it came (a tenant's own role, a future value).

use serde::Serialize;
use yew::{Html, html};

use crate::shared::i18n::builtin_role;
use crate::shell::Ui;

/// The label of `value` in the code list `list` (`readings_source`, `streets_kind`…).
pub fn code(ui: &Ui, list: &str, value: &str) -> String {
    l10n::code_label(ui.lang, list, value)
}

/// The label of an API enum value as the generated client types carry it: its GraphQL
/// name (`CASH_DESK`) looked up in the enum's list (`PaymentKind`).
pub fn api_enum(ui: &Ui, list: &str, value: &impl Serialize) -> String {
    let name = serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    code(ui, list, &name)
}

/// A coded column's values in the order a form offers them.
pub struct CodeList {
    pub list: &'static str,
    pub values: &'static [&'static str],
}

impl CodeList {
    /// The `<option>`s of a `<select>`, each value under its label, `selected` marked.
    pub fn options(&self, ui: &Ui, selected: &str) -> Html {
        self.values
            .iter()
            .map(|v| html! { <option value={*v} selected={selected == *v}>{ code(ui, self.list, v) }</option> })
            .collect()
    }
}

/// Where a reading came from.
pub fn reading_source(ui: &Ui, value: &str) -> String {
    code(ui, "readings_source", value)
}

/// The payment QR code formats of the invoice settings.
pub const QR_FORMATS: CodeList = CodeList {
    list: "invoice_settings_qr",
    values: &["nbu", "gost", "epc", "none"],
};

/// The mail server's encryption modes.
pub const TLS_MODES: CodeList = CodeList {
    list: "mail_settings_tls",
    values: &["none", "starttls", "tls"],
};

/// The street kinds the API takes.
pub const STREET_KINDS: CodeList = CodeList {
    list: "streets_kind",
    values: &[
        "street",
        "avenue",
        "lane",
        "square",
        "boulevard",
        "district",
        "road",
        "other",
    ],
};

/// A payment's kind as the API writes it in lists (`bank`, `cash_desk`).
pub fn payment_kind(ui: &Ui, value: &str) -> String {
    code(ui, "payments_kind", value)
}

/// A role by its code: a built-in role's name, else the code (a tenant's own role).
pub fn role(ui: &Ui, code: &str) -> String {
    builtin_role(code).map_or_else(|| code.to_owned(), |k| ui.t(k).to_owned())
}

/// Every value of a snake_case code list the catalog labels (the audit log's record
/// kinds and actions), as `(value, label)` sorted by the label in the user's language.
/// The catalog ids are `<list>-<value>` in kebab case, so a value's dashes were its
/// underscores.
pub fn catalog_values(ui: &Ui, list: &str) -> Vec<(String, String)> {
    let prefix = l10n::code_id(list, "");
    let mut values: Vec<(String, String)> = l10n::Catalog::codes()
        .ids(l10n::Lang::EN)
        .into_iter()
        .filter_map(|id| id.strip_prefix(prefix.as_str()))
        .map(|rest| {
            let value = rest.replace('-', "_");
            let label = code(ui, list, &value);
            (value, label)
        })
        .collect();
    values.sort_by_key(|v| v.1.to_lowercase());
    values
}

/// The kinds of stove in premises (they choose the gas or electricity norm).
pub const STOVES: CodeList = CodeList {
    list: "premises_stove",
    values: &["gas", "electric", "none"],
};

/// How a meter is installed (seed 001 §6.7: apartment, group of accounts, riser,
/// entrance, building, group of buildings).
pub const INSTALL_METHODS: CodeList = CodeList {
    list: "meters_method",
    values: &[
        "apartment",
        "group",
        "riser",
        "entrance",
        "building",
        "building_group",
    ],
};

/// Whose balance a meter is on.
pub const BALANCE_OWNERS: CodeList = CodeList {
    list: "meters_balance_owner",
    values: &["subscriber", "utility"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_lists_values_come_back_from_the_catalog_with_their_labels() {
        let ui = Ui {
            lang: l10n::Lang::EN,
            ..Ui::default()
        };
        let entities = catalog_values(&ui, "audit_entity");
        assert!(entities.contains(&(
            "held_reading".to_owned(),
            code(&ui, "audit_entity", "held_reading")
        )));
        assert!(
            entities
                .iter()
                .any(|(v, l)| v == "account_service" && l == "Account's service")
        );
        // Another list's ids are not taken for this one's.
        assert!(entities.iter().all(|(v, _)| !v.starts_with("action")));
        let sorted: Vec<String> = entities.iter().map(|(_, l)| l.to_lowercase()).collect();
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
    }
}
