//! The reconciliation statement's links (акт звірки): months from and to (both optional:
//! from the first invoice, to the working month), then the statement as PDF or XLSX,
//! made by the server in the tenant's language. On the account card and in the portal.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct StatementProps {
    pub account_id: i64,
    /// Prefix of the element ids (`statement`, `portal-statement`).
    pub prefix: AttrValue,
}

/// `/files/statements/<id>/<format>` with the months asked for.
fn href(account: i64, format: &str, from: &str, to: &str) -> String {
    let months: Vec<String> = [("from", from), ("to", to)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let query = if months.is_empty() {
        String::new()
    } else {
        format!("?{}", months.join("&"))
    };
    format!("/files/statements/{account}/{format}{query}")
}

#[function_component(StatementLinks)]
pub fn statement_links(props: &StatementProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let (from, to) = (use_state(String::new), use_state(String::new));
    let p = props.prefix.as_str();
    html! {
        <div id={p.to_owned()} class="statement inline">
            <strong>{ ui.t(Key::StatementTitle) }</strong>
            <label>{ ui.t(Key::FromPeriod) }<input id={format!("{p}-from")} type="month" value={(*from).clone()} oninput={bind(&from)} /></label>
            <label>{ ui.t(Key::ToPeriod) }<input id={format!("{p}-to")} type="month" value={(*to).clone()} oninput={bind(&to)} /></label>
            <a id={format!("{p}-pdf")} class="download" href={href(props.account_id, "pdf", &from, &to)} download="">{ "PDF" }</a>
            <a id={format!("{p}-xlsx")} class="download" href={href(props.account_id, "xlsx", &from, &to)} download="">{ "XLSX" }</a>
        </div>
    }
}
