//! The account card's history (seed 000 Fig. 8, «История»): the account's operations over
//! a range of months — charges, recalculations, benefits, subsidies, penalties per
//! service, and payments with their document — filtered by kind and service, newest
//! first, paged by the server, with how many were found and their sum.

use yew::prelude::*;

use crate::admin::opt;
use crate::shared::api::{self, AccountHistory, account_history, request_list_export};
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, server_pager};
use crate::shell::Ui;
use crate::subscribers::account_services::use_services;

const PAGE: i64 = 50;

/// The kinds in the filter's order (their GraphQL names).
const KINDS: [&str; 6] = [
    "CHARGE",
    "RECALCULATION",
    "BENEFIT",
    "SUBSIDY",
    "PENALTY",
    "PAYMENT",
];

/// The kind chosen in the filter as a list of one (None: every kind — the generated enum
/// would take "" as an unknown value), for the query and for the export alike.
fn one_kind<T: serde::de::DeserializeOwned>(kind: &str) -> Option<Vec<T>> {
    KINDS
        .contains(&kind)
        .then(|| serde_json::from_value::<T>(serde_json::Value::String(kind.to_owned())).ok())
        .flatten()
        .map(|k| vec![k])
}

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub account_id: i64,
}

type Found = Option<Result<account_history::AccountHistoryAccountHistory, String>>;

#[function_component(AccountHistoryPanel)]
pub fn account_history_panel(props: &HistoryProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let services = use_services();
    let (from, to, kind, service) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let offset = use_state(|| 0i64);
    let found = use_state(|| None as Found);
    let latest = api::use_latest();
    {
        let (found, latest) = (found.clone(), latest.clone());
        let key = (
            props.account_id,
            (*from).clone(),
            (*to).clone(),
            (*kind).clone(),
            (*service).clone(),
            *offset,
        );
        use_effect_with(key, move |(account_id, from, to, kind, service, offset)| {
            let kinds = one_kind::<account_history::HistoryKind>(kind);
            let vars = account_history::Variables {
                account_id: *account_id,
                from: opt(from),
                to: opt(to),
                kinds,
                service_id: service.parse().ok(),
                offset: *offset,
            };
            let ticket = latest.next();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::run::<AccountHistory>(vars)
                    .await
                    .map(|d| d.account_history);
                if latest.is(ticket) {
                    found.set(Some(r));
                }
            });
        });
    }
    // A new filter starts from the first page.
    let refilter = |state: &UseStateHandle<String>| {
        let (state, offset) = (state.clone(), offset.clone());
        Callback::from(move |e: Event| {
            offset.set(0);
            state.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
        })
    };
    let columns = vec![
        Column::new("on", ui.t(Key::HistoryDate)),
        Column::new("kind", ui.t(Key::HistoryOperation)),
        Column::new("service", ui.t(Key::BillService)),
        Column::new("amount", ui.t(Key::Amount)).numeric(),
        Column::new("document", ui.t(Key::Document)).optional(),
        Column::new("period", ui.t(Key::Period)).optional(),
    ];
    let rows = Rows::from((*found).clone().map(|r| {
        r.map(|page| {
            page.items
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let kind = labels::api_enum(&ui, "HistoryKind", &h.kind);
                    let document = match (&h.source, &h.document) {
                        (Some(s), Some(d)) => format!("{} · {d}", labels::payment_kind(&ui, s)),
                        (Some(s), None) => labels::payment_kind(&ui, s),
                        (None, d) => d.clone().unwrap_or_default(),
                    };
                    let document = if h.cancelled {
                        format!("{document} ({})", ui.t(Key::Cancelled))
                    } else {
                        document
                    };
                    Row::new(
                        i,
                        vec![
                            Cell::text(h.on.clone()),
                            Cell::text(kind),
                            Cell::text(h.service.clone().unwrap_or_default()),
                            Cell::number(h.amount.clone(), ui.money(&h.amount))
                                .attr("data-amount", h.amount.clone()),
                            Cell::text(document),
                            Cell::text(h.period.get(..7).unwrap_or_default()),
                        ],
                    )
                    .attr(
                        "data-kind",
                        serde_json::to_value(&h.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                    )
                    .class(classes!(h.cancelled.then_some("cancelled")))
                })
                .collect()
        })
    }));
    let footer = match &*found {
        Some(Ok(page)) => html! {
            <>
                <p id="history-totals" role="status" data-count={page.total.to_string()} data-sum={page.sum.clone()}>
                    { format!("{}: {} · {}: {}", ui.t(Key::HistoryFound), page.total, ui.t(Key::HistorySum), ui.money(&page.sum)) }
                </p>
                { server_pager(&ui, &offset, PAGE, page.total) }
            </>
        },
        _ => html! {},
    };
    html! {
        <div id="account-history" class="card">
            <h3>{ ui.t(Key::HistoryTitle) }</h3>
            <super::statement::StatementLinks account_id={props.account_id} prefix="statement" />
            <div class="inline filters">
                <label>{ ui.t(Key::FromPeriod) }<input id="history-from-month" type="month" value={(*from).clone()} onchange={refilter(&from)} /></label>
                <label>{ ui.t(Key::ToPeriod) }<input id="history-to-month" type="month" value={(*to).clone()} onchange={refilter(&to)} /></label>
                <label>{ ui.t(Key::HistoryOperation) }
                    <select id="history-kind" onchange={refilter(&kind)}>
                        <option value="" selected={kind.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        { for KINDS.iter().map(|k| html! { <option value={*k} selected={*kind == *k}>{ labels::code(&ui, "HistoryKind", k) }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::BillService) }
                    <select id="history-service" onchange={refilter(&service)}>
                        <option value="" selected={service.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        { for services.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={*service == id.to_string()}>{ name }</option> }) }
                    </select>
                </label>
            </div>
            <DataTable id="history-table" {columns} {rows} page_size={0} {footer} />
            <ExportXlsx list={ListKind::ACCOUNT_HISTORY} account_id={Some(props.account_id)}
                history={Some(request_list_export::HistoryFilter {
                    from: opt(&from),
                    to: opt(&to),
                    kinds: one_kind::<request_list_export::HistoryKind>(&kind),
                    service_id: service.parse().ok(),
                })} />
        </div>
    }
}
