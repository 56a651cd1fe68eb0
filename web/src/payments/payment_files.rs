//! Bank payment files (seed 000 §4.6, Fig. 16–17): uploading a file with its template,
//! bank and receipt date (a worker job with live progress), the registry of loaded files,
//! a file's protocol with each row's fate — a refused row is paid to an account found by
//! hand — and, for tenant admins, the per-bank templates.

use serde_json::Value;
use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::{bind, error_text, opt};
use crate::shared::api::{
    self, MatchPaymentFileRow, PaymentDue, PaymentFileRows, PaymentFiles, PaymentRules,
    SavePaymentTemplate, match_payment_file_row, payment_due, payment_file_rows, payment_files,
    payment_rules, save_payment_template,
};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shared::toast::use_toaster;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub can_upload: bool,
    pub can_edit_templates: bool,
}

type Files = Option<Result<payment_files::ResponseData, String>>;

#[function_component(PaymentFilesSection)]
pub fn payment_files_section(props: &SectionProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None as Files);
    let banks = use_state(Vec::<(i64, String)>::new);
    let generation = use_state(|| 0u32);
    let chosen = use_state(|| None::<i64>);
    {
        let data = data.clone();
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<PaymentFiles>(payment_files::Variables {}).await,
                ));
            });
        });
    }
    {
        let banks = banks.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(r) = api::run::<PaymentRules>(payment_rules::Variables {}).await {
                    banks.set(
                        r.banks
                            .items
                            .iter()
                            .filter(|b| b.active)
                            .map(|b| (b.id, b.name.clone()))
                            .collect(),
                    );
                }
            });
        });
    }
    let refresh = {
        let g = generation.clone();
        Callback::from(move |_| g.set(*g + 1))
    };
    let Some(Ok(d)) = &*data else {
        return match &*data {
            Some(Err(e)) => html! { <p class="error">{ e }</p> },
            _ => html! { <p class="loading">{ ui.t(Key::Loading) }</p> },
        };
    };
    let rows = d
        .payment_files
        .iter()
        .map(|f| {
            let open = {
                let (c, id) = (chosen.clone(), f.id);
                Callback::from(move |()| c.set(Some(id)))
            };
            let counts = html! {
                <>
                    { format!("{}: {} · {}: {} · {}: {}", ui.t(Key::PayRowsTotal), f.rows_total, ui.t(Key::PayRowsLoaded), f.rows_loaded,
                        ui.t(Key::PayRowsRefused), f.rows_refused) }
                    if f.rows_skipped > 0 { { format!(" · {}: {}", ui.t(Key::PayRowsSkipped), f.rows_skipped) } }
                    if let Some(m) = &f.message { <div class="error">{ format!("{}: {m}", ui.t(Key::PayFileRefused)) }</div> }
                </>
            };
            let posted = f.posted_at.as_deref().map(|p| ui.moment(p)).unwrap_or_default();
            Row::new(
                f.id,
                vec![
                    Cell::text(f.file_name.clone()),
                    Cell::text(f.bank_name.clone().unwrap_or_default()),
                    Cell::text(ui.moment(&f.uploaded_at))
                        .sort_by(SortKey::Text(f.uploaded_at.clone()))
                        .attr("data-at", f.uploaded_at.clone()),
                    Cell::text(posted).sort_by(SortKey::Text(f.posted_at.clone().unwrap_or_default())),
                    Cell::number(f.amount_loaded.clone(), ui.money(&f.amount_loaded))
                        .attr("data-amount", f.amount_loaded.clone()),
                    Cell::html(counts).sort_by(SortKey::Number(f.rows_refused.to_string())),
                ],
            )
            .class(classes!(
                "payment-file",
                format!("state-{}", f.state),
                (*chosen == Some(f.id)).then_some("selected")
            ))
            .on_open(open)
        })
        .collect::<Vec<_>>();
    let columns = vec![
        Column::new("file", ui.t(Key::PayFile)).sortable(),
        Column::new("bank", ui.t(Key::PayBank)).sortable(),
        Column::new("uploaded", ui.t(Key::PayUploadedAt)).sortable(),
        Column::new("posted", ui.t(Key::PayPostedAt))
            .sortable()
            .optional(),
        Column::new("loaded", ui.t(Key::PayAmountLoaded))
            .numeric()
            .sortable(),
        Column::new("rows", ui.t(Key::PayRowsRefused)).sortable(),
    ];
    html! {
        <section id="payment-files-section">
            <MenuDashboard menu={DashboardMenu::PAYMENT_IMPORT} />
            if props.can_upload {
                <UploadCard templates={d.payment_templates.clone()} banks={(*banks).clone()} on_done={refresh.clone()} />
            }
            <div class="card">
                <h3>{ ui.t(Key::PayRegistry) }</h3>
                <DataTable id="payment-files-table" {columns} rows={Rows::Ready(rows)} />
            </div>
            if let Some(id) = *chosen {
                <FileProtocol key={id} id={id} can_match={props.can_upload} on_change={refresh.clone()} />
            }
            <Templates templates={d.payment_templates.clone()} can_edit={props.can_edit_templates} on_saved={refresh} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UploadProps {
    templates: Vec<payment_files::PaymentFilesPaymentTemplates>,
    banks: Vec<(i64, String)>,
    on_done: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Running(i64),
    Done(Value, String),
    Failed(String),
}

const UPLOAD: &str = "mutation($file: Upload!, $t: Int!, $b: Int, $r: NaiveDate!) { \
    uploadPaymentFile(file: $file, templateId: $t, bankId: $b, receivedOn: $r) { id } }";

#[function_component(UploadCard)]
fn upload_card(props: &UploadProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let file = use_state(|| None::<web_sys::File>);
    let template = use_state(|| {
        props
            .templates
            .iter()
            .find(|t| t.active)
            .map(|t| t.id.to_string())
            .unwrap_or_default()
    });
    let bank = use_state(String::new);
    let received = use_state(crate::payments::today);
    let state = use_state(|| Upload::Idle);
    let on_file = {
        let file = file.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            file.set(input.files().and_then(|f| f.get(0)));
        })
    };
    let toaster = use_toaster();
    let start = {
        let imported = ui.t(Key::ToastImported);
        let (file, template, bank, received, state, done) = (
            file.clone(),
            template.clone(),
            bank.clone(),
            received.clone(),
            state.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_| {
            let Some(f) = (*file).clone() else { return };
            let vars = serde_json::json!({
                "t": template.parse::<i64>().unwrap_or(0),
                "b": bank.parse::<i64>().ok(),
                "r": *received,
            });
            let (state, done, toaster) = (state.clone(), done.clone(), toaster.clone());
            state.set(Upload::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let id = match api::upload(UPLOAD, vars, &f, "uploadPaymentFile").await {
                    Ok(id) => id,
                    Err(e) => return state.set(Upload::Failed(e)),
                };
                let progress = {
                    let state = state.clone();
                    move |p| state.set(Upload::Running(p))
                };
                match toaster.follow(&id, progress, imported).await {
                    Ok(result) => state.set(Upload::Done(result, format!("/files/jobs/{id}"))),
                    Err(e) => return state.set(Upload::Failed(e)),
                }
                done.emit(());
            });
        })
    };
    let outcome = match &*state {
        Upload::Idle => html! {},
        Upload::Running(p) => {
            html! { <p id="payment-upload-progress" class="job running">{ format!("{p}%") }</p> }
        }
        Upload::Failed(e) => {
            html! { <p id="payment-upload-error" class="error" role="alert">{ e }</p> }
        }
        Upload::Done(r, href) => {
            let refused = r["refused"].as_array().cloned().unwrap_or_default();
            html! {
                <div id="payment-upload-result">
                    if let Some(m) = r["message"].as_str() { <p class="error" role="alert">{ format!("{}: {m}", ui.t(Key::PayFileRefused)) }</p> }
                    <p role="status">{ format!("{}: {} · {}: {} · {}: {} · {}: {} · ", ui.t(Key::PayRowsTotal), r["rows"],
                        ui.t(Key::PayRowsLoaded), r["loaded"], ui.t(Key::PayAmountLoaded), ui.money(r["amountLoaded"].as_str().unwrap_or("0")),
                        ui.t(Key::PayRowsRefused), r["refusedCount"]) }
                        if r["skippedCount"].as_u64().unwrap_or(0) > 0 { { format!("{}: {} · ", ui.t(Key::PayRowsSkipped), r["skippedCount"]) } }
                        <a class="download" href={href.clone()} download="">{ ui.t(Key::Protocol) }</a></p>
                    { crate::metering::readings::protocol_table("payment-upload-protocol", [ui.t(Key::Line), ui.t(Key::ColAccount), ui.t(Key::Amount), ui.t(Key::Reason)], &refused, ["account", "amount"]) }
                </div>
            }
        }
    };
    html! {
        <div id="payment-upload" class="card">
            <h3>{ ui.t(Key::PayUploadTitle) }</h3>
            <div class="inline">
                <input id="payment-file" type="file" accept=".xlsx,.xls,.csv,.txt,.dat" onchange={on_file} />
                <label>{ ui.t(Key::PayTemplate) }
                    <select id="payment-template" onchange={ let t = template.clone(); Callback::from(move |e: Event| t.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        { for props.templates.iter().filter(|t| t.active).map(|t| html! { <option value={t.id.to_string()} selected={*template == t.id.to_string()}>{ &t.name }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::PayBank) }
                    <select id="payment-file-bank" onchange={ let b = bank.clone(); Callback::from(move |e: Event| b.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        <option value="">{ "—" }</option>
                        { for props.banks.iter().map(|(id, name)| html! { <option value={id.to_string()}>{ name }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::PayReceivedOn) }<input id="payment-file-received" type="date" value={(*received).clone()} oninput={bind(&received)} /></label>
                <button id="payment-upload-start" type="button" onclick={start} disabled={file.is_none() || matches!(*state, Upload::Running(_))}>{ ui.t(Key::PayUpload) }</button>
            </div>
            { outcome }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ProtocolProps {
    id: i64,
    can_match: bool,
    on_change: Callback<()>,
}

/// A file's rows and their fate; a refused one may be paid to an account typed here.
#[function_component(FileProtocol)]
fn file_protocol(props: &ProtocolProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let rows =
        use_state(
            || None::<Result<Vec<payment_file_rows::PaymentFileRowsPaymentFileRows>, String>>,
        );
    let generation = use_state(|| 0u32);
    let error = use_state(|| None::<String>);
    {
        let (rows, id) = (rows.clone(), props.id);
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let vars = payment_file_rows::Variables {
                    file_id: id,
                    refused_only: false,
                };
                rows.set(Some(
                    api::run::<PaymentFileRows>(vars)
                        .await
                        .map(|d| d.payment_file_rows),
                ));
            });
        });
    }
    let Some(Ok(list)) = &*rows else {
        return html! { <p class="loading">{ ui.t(Key::Loading) }</p> };
    };
    let file_id = props.id;
    let body = list.iter().map(|r| {
        let outcome = match r.outcome.as_str() {
            "paid" => ui.t(Key::PayOutcomePaid),
            "matched" => ui.t(Key::PayOutcomeMatched),
            "skipped" => ui.t(Key::PayOutcomeSkipped),
            _ => ui.t(Key::PayOutcomeRefused),
        };
        let matcher = (r.outcome == "refused" && props.can_match).then(|| {
            let line = r.line;
            let (generation, error, change) = (generation.clone(), error.clone(), props.on_change.clone());
            let onchange = Callback::from(move |e: Event| {
                let number = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                let (generation, error, change) = (generation.clone(), error.clone(), change.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let found = api::call::<PaymentDue>(payment_due::Variables { account_number: number, charge_period: None }).await;
                    let r = match found {
                        // The same row paid to the same account again (a double entry) pays once.
                        Ok(d) => api::call::<MatchPaymentFileRow>(match_payment_file_row::Variables {
                            file_id, line, account_id: d.payment_due.account_id,
                            idempotency_key: Some(format!("match-row:{file_id}:{line}:{}", d.payment_due.account_id)),
                        }).await.map(|_| ()),
                        Err(e) => Err(e),
                    };
                    match r {
                        Ok(()) => { error.set(None); generation.set(*generation + 1); change.emit(()); }
                        Err(e) => error.set(Some(error_text(&e))),
                    }
                });
            });
            html! { <input class="match-account" placeholder={ui.t(Key::PayMatch)} {onchange} /> }
        });
        let amount = r.amount.clone().unwrap_or_default();
        Row::new(
            r.line,
            vec![
                Cell::count(r.line),
                Cell::text(r.account.clone().unwrap_or_default()),
                Cell::text(r.payer.clone().unwrap_or_default()),
                Cell::text(r.address.clone().unwrap_or_default()),
                Cell::number(amount.clone(), r.amount.as_deref().map(|a| ui.amount(a)).unwrap_or_default())
                    .attr("data-amount", amount),
                Cell::text(r.paid_on.clone().unwrap_or_default()),
                Cell::text(outcome),
                Cell::text(r.reason.clone().unwrap_or_default()),
                Cell::html(matcher.unwrap_or_default()),
            ],
        )
        .class(format!("outcome-{}", r.outcome))
    }).collect::<Vec<_>>();
    let columns = vec![
        Column::new("line", ui.t(Key::Line)).numeric().sortable(),
        Column::new("account", ui.t(Key::ColAccount)).sortable(),
        Column::new("payer", ui.t(Key::PayPayer)).sortable(),
        Column::new("address", ui.t(Key::ColAddress))
            .sortable()
            .optional(),
        Column::new("amount", ui.t(Key::Amount))
            .numeric()
            .sortable(),
        Column::new("paid-on", ui.t(Key::PayPaidOn))
            .sortable()
            .optional(),
        Column::new("outcome", ui.t(Key::Status)).sortable(),
        Column::new("reason", ui.t(Key::Reason)).sortable(),
        Column::new("match", ""),
    ];
    html! {
        <div id="payment-file-protocol" class="card">
            <h3>{ ui.t(Key::Protocol) }</h3>
            if let Some(e) = &*error { <p id="match-error" class="error" role="alert">{ e }</p> }
            <DataTable id="payment-file-rows" {columns} rows={Rows::Ready(body)} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TemplatesProps {
    templates: Vec<payment_files::PaymentFilesPaymentTemplates>,
    can_edit: bool,
    on_saved: Callback<()>,
}

/// "5" → column 5; "41:12" → start 41, width 12; empty → none.
fn place(text: &str) -> Option<save_payment_template::PlaceInput> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(match t.split_once(':') {
        Some((s, w)) => save_payment_template::PlaceInput {
            column: None,
            start: s.trim().parse().ok(),
            width: w.trim().parse().ok(),
        },
        None => save_payment_template::PlaceInput {
            column: t.parse().ok(),
            start: None,
            width: None,
        },
    })
}

/// A stored field as the editor shows it.
fn place_text(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::Array(a) if a.len() == 2 => format!("{}:{}", a[0], a[1]),
        _ => String::new(),
    }
}

/// The fields the editor offers, in its order.
const FIELDS: [&str; 6] = [
    "account", "amount", "payer", "address", "paidOn", "document",
];

fn field_key(name: &str) -> Key {
    match name {
        "account" => Key::ColAccount,
        "amount" => Key::Amount,
        "payer" => Key::PayPayer,
        "address" => Key::ColAddress,
        "paidOn" => Key::PayPaidOn,
        _ => Key::PayDocument,
    }
}

/// The templates; a tenant admin edits one or adds a new one.
#[function_component(Templates)]
fn templates(props: &TemplatesProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let editing = use_state(|| None::<Option<i64>>);
    let name = use_state(String::new);
    let format = use_state(|| "csv".to_owned());
    let encoding = use_state(|| "utf-8".to_owned());
    let delimiter = use_state(|| ";".to_owned());
    let skip = use_state(|| "0".to_owned());
    let date_format = use_state(|| "%d.%m.%Y".to_owned());
    let sum_marker = use_state(String::new);
    let count_marker = use_state(String::new);
    let comment = use_state(String::new);
    let own_account = use_state(String::new);
    let places = use_state(|| vec![String::new(); FIELDS.len()]);
    let error = use_state(|| None::<String>);
    let open = |t: Option<&payment_files::PaymentFilesPaymentTemplates>| {
        let (editing, name, format, encoding, delimiter, skip, date_format) = (
            editing.clone(),
            name.clone(),
            format.clone(),
            encoding.clone(),
            delimiter.clone(),
            skip.clone(),
            date_format.clone(),
        );
        let (sum_marker, count_marker, comment, places, own_account) = (
            sum_marker.clone(),
            count_marker.clone(),
            comment.clone(),
            places.clone(),
            own_account.clone(),
        );
        let t = t.cloned();
        Callback::from(move |_| {
            editing.set(Some(t.as_ref().map(|t| t.id)));
            name.set(t.as_ref().map(|t| t.name.clone()).unwrap_or_default());
            format.set(t.as_ref().map_or("csv".into(), |t| t.format.clone()));
            encoding.set(t.as_ref().map_or("utf-8".into(), |t| t.encoding.clone()));
            delimiter.set(t.as_ref().map_or(";".into(), |t| t.delimiter.clone()));
            skip.set(t.as_ref().map_or("0".into(), |t| t.skip_lines.to_string()));
            date_format.set(
                t.as_ref()
                    .map_or("%d.%m.%Y".into(), |t| t.date_format.clone()),
            );
            sum_marker.set(
                t.as_ref()
                    .and_then(|t| t.sum_marker.clone())
                    .unwrap_or_default(),
            );
            count_marker.set(
                t.as_ref()
                    .and_then(|t| t.count_marker.clone())
                    .unwrap_or_default(),
            );
            comment.set(
                t.as_ref()
                    .and_then(|t| t.comment_prefix.clone())
                    .unwrap_or_default(),
            );
            own_account.set(
                t.as_ref()
                    .and_then(|t| t.own_account.clone())
                    .unwrap_or_default(),
            );
            places.set(
                FIELDS
                    .iter()
                    .map(|f| {
                        t.as_ref()
                            .map(|t| place_text(&t.fields[*f]))
                            .unwrap_or_default()
                    })
                    .collect(),
            );
        })
    };
    let save = {
        let (editing, name, format, encoding, delimiter, skip, date_format) = (
            editing.clone(),
            name.clone(),
            format.clone(),
            encoding.clone(),
            delimiter.clone(),
            skip.clone(),
            date_format.clone(),
        );
        let (sum_marker, count_marker, comment, places, error, saved) = (
            sum_marker.clone(),
            count_marker.clone(),
            comment.clone(),
            places.clone(),
            error.clone(),
            props.on_saved.clone(),
        );
        let own_account = own_account.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(id) = *editing else { return };
            let empty = save_payment_template::PlaceInput {
                column: None,
                start: None,
                width: None,
            };
            let input = save_payment_template::TemplateInput {
                name: (*name).clone(),
                bank_id: None,
                format: (*format).clone(),
                encoding: (*encoding).clone(),
                delimiter: (*delimiter).clone(),
                skip_lines: skip.trim().parse().unwrap_or(0),
                fields: save_payment_template::FieldsInput {
                    account: place(&places[0]).unwrap_or(empty.clone()),
                    amount: place(&places[1]).unwrap_or(empty),
                    payer: place(&places[2]),
                    address: place(&places[3]),
                    paid_on: place(&places[4]),
                    service: None,
                    document: place(&places[5]),
                },
                date_format: (*date_format).clone(),
                sum_marker: opt(&sum_marker),
                count_marker: opt(&count_marker),
                comment_prefix: opt(&comment),
                active: true,
                own_account: opt(&own_account),
            };
            let (editing, error, saved) = (editing.clone(), error.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SavePaymentTemplate>(save_payment_template::Variables {
                    id,
                    input,
                })
                .await
                {
                    Ok(_) => {
                        error.set(None);
                        editing.set(None);
                        saved.emit(());
                    }
                    Err(e) => error.set(Some(error_text(&e))),
                }
            });
        })
    };
    // Formats read as words; an encoding's name is its label (`payment_templates.encoding`).
    let select = |state: &UseStateHandle<String>,
                  id: &'static str,
                  list: Option<&str>,
                  options: &[&'static str]| {
        let s = state.clone();
        let onchange = Callback::from(move |e: Event| {
            s.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        });
        html! { <select {id} {onchange}>{ for options.iter().map(|o| html! { <option value={*o} selected={**state == *o}>{ list.map_or_else(|| (*o).to_owned(), |l| crate::shared::labels::code(&ui, l, o)) }</option> }) }</select> }
    };
    let editor = editing.is_some().then(|| html! {
        <form id="template-form" class="inline" onsubmit={save}>
            <label>{ ui.t(Key::Name) }<input id="template-name" value={(*name).clone()} oninput={bind(&name)} /></label>
            <label>{ ui.t(Key::PayFormat) }{ select(&format, "template-format", Some("payment_templates_format"), &["csv", "xlsx", "fixed", "1c", "dbf"]) }</label>
            if *format == "1c" {
                <label>{ ui.t(Key::PayOwnAccount) }<input id="template-own-account" size="24" value={(*own_account).clone()} oninput={bind(&own_account)} /></label>
                <p class="hint">{ ui.t(Key::PayOwnAccountHint) }</p>
            } else {
                <label>{ ui.t(Key::PayEncoding) }{ select(&encoding, "template-encoding", None, &["utf-8", "cp1251", "cp866", "cp1125"]) }</label>
                <label>{ ui.t(Key::PayDelimiter) }<input id="template-delimiter" size="2" value={(*delimiter).clone()} oninput={bind(&delimiter)} /></label>
                <label>{ ui.t(Key::PaySkipLines) }<input id="template-skip" size="3" value={(*skip).clone()} oninput={bind(&skip)} /></label>
                <label>{ ui.t(Key::PayDateFormat) }<input id="template-date-format" value={(*date_format).clone()} oninput={bind(&date_format)} /></label>
                <label>{ ui.t(Key::PaySumMarker) }<input id="template-sum-marker" value={(*sum_marker).clone()} oninput={bind(&sum_marker)} /></label>
                <label>{ ui.t(Key::PayCountMarker) }<input id="template-count-marker" value={(*count_marker).clone()} oninput={bind(&count_marker)} /></label>
                <label>{ ui.t(Key::PayCommentPrefix) }<input id="template-comment" size="3" value={(*comment).clone()} oninput={bind(&comment)} /></label>
                <fieldset><legend>{ ui.t(Key::PayFieldsHint) }</legend>
                    { for FIELDS.iter().enumerate().map(|(i, f)| {
                        let value = places[i].clone();
                        let places = places.clone();
                        let oninput = Callback::from(move |e: InputEvent| {
                            let mut l = (*places).clone();
                            l[i] = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                            places.set(l);
                        });
                        html! { <label>{ ui.t(field_key(f)) }<input id={format!("template-field-{f}")} size="6" {value} {oninput} /></label> }
                    }) }
                </fieldset>
            }
            <button id="template-save" type="submit">{ ui.t(Key::Save) }</button>
            if let Some(e) = &*error { <p id="template-error" class="error" role="alert">{ e }</p> }
        </form>
    });
    let template_columns = vec![
        Column::new("name", ui.t(Key::Name)).sortable(),
        Column::new("format", ui.t(Key::PayFormat)).sortable(),
        Column::new("encoding", ui.t(Key::PayEncoding)).sortable(),
        Column::new("sum-marker", ui.t(Key::PaySumMarker)).optional(),
        Column::new("actions", ""),
    ];
    let template_rows = props
        .templates
        .iter()
        .map(|t| {
            let edit = if props.can_edit {
                html! { <button class="template-edit" onclick={open(Some(t))}>{ ui.t(Key::Edit) }</button> }
            } else {
                html! {}
            };
            Row::new(
                t.id,
                vec![
                    Cell::text(t.name.clone()),
                    Cell::text(crate::shared::labels::code(&ui, "payment_templates_format", &t.format)),
                    Cell::text(t.encoding.clone()),
                    Cell::text(t.sum_marker.clone().unwrap_or_default()),
                    Cell::html(edit).class("actions"),
                ],
            )
            .class("template")
        })
        .collect::<Vec<_>>();
    html! {
        <div id="payment-templates" class="card">
            <h3>{ ui.t(Key::PayTemplates) }</h3>
            <DataTable id="templates-table" columns={template_columns} rows={Rows::Ready(template_rows)} page_size={0} />
            if props.can_edit { <button id="template-new" onclick={open(None)}>{ ui.t(Key::PayNewTemplate) }</button> }
            { editor.unwrap_or_default() }
        </div>
    }
}
