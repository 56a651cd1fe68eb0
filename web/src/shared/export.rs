//! "Export to XLSX" for any list: queues the export job with the list's current filter
//! and order, shows its progress, then offers the file.

use yew::prelude::*;

use crate::shared::api::{self, RequestListExport, request_list_export};
use crate::shared::i18n::Key;
use crate::shared::toast::use_toaster;
use crate::shell::Ui;

pub use request_list_export::{AccountSort, Book, ExportFormat, ListKind};

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub list: ListKind,
    #[prop_or_default]
    pub search: Option<String>,
    /// The account list's journal and type filters.
    #[prop_or_default]
    pub journal_id: Option<i64>,
    #[prop_or_default]
    pub type_id: Option<i64>,
    #[prop_or(AccountSort::NUMBER)]
    pub sort: AccountSort,
    #[prop_or_default]
    pub desc: bool,
    #[prop_or_default]
    pub book: Option<Book>,
    /// YYYY-MM, for the closing summary.
    #[prop_or_default]
    pub period: Option<String>,
    /// For an account's billing table.
    #[prop_or_default]
    pub account_id: Option<i64>,
    /// For the payments found.
    #[prop_or_default]
    pub payments: Option<request_list_export::PaymentFilter>,
    /// For the register of acts.
    #[prop_or_default]
    pub acts: Option<request_list_export::ActFilter>,
    /// For an account's history (with `account_id`).
    #[prop_or_default]
    pub history: Option<request_list_export::HistoryFilter>,
    /// For a report of the catalogue.
    #[prop_or_default]
    pub report: Option<request_list_export::ReportInput>,
    /// For a penalty statement.
    #[prop_or_default]
    pub penalty: Option<request_list_export::PenaltyStatementInput>,
    /// XLSX, or PDF (a report's or a penalty statement's print form).
    #[prop_or(ExportFormat::XLSX)]
    pub format: ExportFormat,
    /// For the Meters list.
    #[prop_or_default]
    pub meters: Option<request_list_export::MeterListFilter>,
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running(i64),
    Ready(String),
    Failed(String),
}

#[function_component(ExportXlsx)]
pub fn export_xlsx(props: &ExportProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let state = use_state(|| State::Idle);
    let toaster = use_toaster();
    let onclick = {
        let state = state.clone();
        let toaster = toaster.clone();
        let vars = request_list_export::Variables {
            input: request_list_export::ListExportInput {
                list: props.list.clone(),
                search: props.search.clone(),
                journal_id: props.journal_id,
                type_id: props.type_id,
                sort: props.sort.clone(),
                desc: props.desc,
                lang: ui.lang.code().to_owned(),
                book: props.book.clone(),
                period: props.period.clone(),
                account_id: props.account_id,
                payments: props.payments.clone(),
                acts: props.acts.clone(),
                history: props.history.clone(),
                report: props.report.clone(),
                penalty: props.penalty.clone(),
                format: props.format.clone(),
                meters: props.meters.clone(),
            },
        };
        Callback::from(move |_| {
            let (state, vars, toaster) = (state.clone(), vars.clone(), toaster.clone());
            state.set(State::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let id = match api::call::<RequestListExport>(vars).await {
                    Ok(d) => d.request_list_export.id,
                    Err(e) => return state.set(State::Failed(e.message)),
                };
                let progress = {
                    let state = state.clone();
                    move |p| state.set(State::Running(p))
                };
                match toaster
                    .follow(&id, progress, ui.t(Key::ToastExportReady))
                    .await
                {
                    Ok(_) => state.set(State::Ready(format!("/files/jobs/{id}"))),
                    Err(e) => state.set(State::Failed(e)),
                }
            });
        })
    };
    let status = match &*state {
        State::Idle => html! {},
        State::Running(p) => html! { <span class="job running">{ format!("{p}%") }</span> },
        State::Ready(href) => {
            html! { <a class="download" href={href.clone()} download="">{ ui.t(Key::Download) }</a> }
        }
        State::Failed(m) => html! { <span class="error">{ m }</span> },
    };
    html! {
        <span class="export-xlsx">
            if props.format == ExportFormat::PDF {
                <button type="button" class="export-pdf-button" disabled={matches!(*state, State::Running(_))} {onclick}>{ ui.t(Key::ExportPdf) }</button>
            } else {
                <button type="button" class="export-xlsx-button" disabled={matches!(*state, State::Running(_))} {onclick}>{ ui.t(Key::ExportXlsx) }</button>
            }
            { status }
        </span>
    }
}
