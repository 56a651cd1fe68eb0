//! Invoices as PDFs on screen: the account card's "PDF" (the period's invoice rendered by
//! a worker job, then downloaded), rendering a whole period from the Billing screen with
//! its progress, and the tenant's requisites and notes the invoices print.

use yew::prelude::*;

use crate::admin::{bind, error_text, opt};
use crate::documents::scope::{DocScope, scope_kind};
use crate::shared::api::{
    self, ExportInvoicesXml, InvoiceSettingsQuery, RenderInvoices, UpdateInvoiceSettings,
    export_invoices_xml, invoice_settings_query, render_invoices, update_invoice_settings,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shared::toast::{Toaster, use_toaster};
use crate::shell::Ui;

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running(i64),
    Done(serde_json::Value, String),
    Failed(String),
}

/// Follows a job just asked for (its id, or the server's refusal) into `state`: progress
/// while it runs, then its result and file, or the reason it failed.
async fn follow(
    state: UseStateHandle<State>,
    started: Result<String, api::ApiError>,
    toaster: Toaster,
    done: &'static str,
) {
    let id = match started {
        Ok(id) => id,
        Err(e) => return state.set(State::Failed(error_text(&e))),
    };
    let progress = {
        let state = state.clone();
        move |p| state.set(State::Running(p))
    };
    match toaster.follow(&id, progress, done).await {
        Ok(r) => state.set(State::Done(r, format!("/files/jobs/{id}"))),
        Err(e) => state.set(State::Failed(e)),
    }
}

#[derive(Properties, PartialEq)]
pub struct RenderProps {
    /// Whose invoices: one account's, a building's, a branch's, the ticked accounts' or
    /// (by default) the whole tenant's.
    #[prop_or_default]
    pub scope: DocScope,
    /// YYYY-MM; the working month when None.
    #[prop_or_default]
    pub period: Option<String>,
    /// The button's id (its status and download take it as a prefix); by default
    /// `invoice-pdf` for one account, `render-invoices` otherwise.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Off while the scope is not yet chosen (a branch or building to pick).
    #[prop_or_default]
    pub disabled: bool,
}

/// A button that renders the invoice(s) as PDF and then offers the file.
#[function_component(RenderPdf)]
pub fn render_pdf(props: &RenderProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let state = use_state(|| State::Idle);
    let toaster = use_toaster();
    let single = props.scope.single();
    let onclick = {
        let (state, scope, period) = (state.clone(), props.scope.clone(), props.period.clone());
        let done = ui.t(Key::ToastRendered);
        Callback::from(move |_| {
            let (state, toaster) = (state.clone(), toaster.clone());
            let (kind, id, account_ids) = scope.parts();
            let input = render_invoices::RenderInput {
                scope: scope_kind!(render_invoices, kind),
                id,
                account_ids,
                period: period.clone(),
            };
            state.set(State::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let started = api::call::<RenderInvoices>(render_invoices::Variables { input })
                    .await
                    .map(|d| d.render_invoices.id);
                follow(state, started, toaster, done).await;
            });
        })
    };
    let id = props.id.clone().unwrap_or_else(|| {
        AttrValue::from(if single {
            "invoice-pdf"
        } else {
            "render-invoices"
        })
    });
    let status = match &*state {
        State::Idle => html! {},
        State::Running(p) => html! { <span class="job running">{ format!("{p}%") }</span> },
        State::Failed(e) => html! { <span class="error" role="alert">{ e }</span> },
        State::Done(r, href) if single && r["objectKey"].is_string() => {
            html! { <a id={format!("{id}-download")} class="download" href={href.clone()} download="">{ ui.t(Key::Download) }</a> }
        }
        State::Done(r, href) => {
            let missing: Vec<&str> = r["qrMissing"]
                .as_array()
                .map(|m| m.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            html! {
                <span id={format!("{id}-done")} role="status">
                    { format!("{}: {}", ui.t(Key::InvRendered), r["rendered"]) }
                    if r["objectKey"].is_string() {
                        { " " }<a id={format!("{id}-download")} class="download" href={href.clone()} download="">{ ui.t(Key::DownloadZip) }</a>
                    }
                    if !missing.is_empty() {
                        <span class="warn render-qr-missing" data-missing={missing.join(",")}>{ format!(" {}", ui.t(Key::InvNoQrPrinted)) }</span>
                    }
                </span>
            }
        }
    };
    let label = match props.scope {
        DocScope::Account(_) => ui.t(Key::InvPdf),
        DocScope::Tenant => ui.t(Key::InvRenderAll),
        _ => ui.t(Key::InvRenderScope),
    };
    html! {
        <span class="render-pdf">
            <button id={id.clone()} type="button" {onclick} disabled={props.disabled || matches!(*state, State::Running(_))}>
                { label }
            </button>
            { status }
        </span>
    }
}

/// The settings fields in the card's order as the API names them (a refusal's field).
const NAMES: [&str; 10] = [
    "legalName",
    "taxCode",
    "address",
    "bankName",
    "account",
    "bic",
    "correspondentAccount",
    "qrFormat",
    "purpose",
    "notes",
];

/// The fields `qrMissing` may name: all but the QR format, purpose and notes.
const QR_FIELDS: &[&str] = NAMES.split_at(7).0;

/// The tenant's requisites, QR standard, payment purpose and notes (`settings.update`).
#[function_component(InvoiceSettingsCard)]
pub fn invoice_settings_card() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let fields: [UseStateHandle<String>; 10] = [
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(|| "nbu".to_owned()),
        use_state(String::new),
        use_state(String::new),
    ];
    let message = use_state(|| None as Outcome);
    let missing = use_state(Vec::<String>::new);
    // The fields take typing once the saved values are in: typed earlier, the answer
    // would overwrite them and the save would send the old values.
    let loaded = use_state(|| false);
    {
        let (fields, missing, loaded) = (fields.clone(), missing.clone(), loaded.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) =
                    api::run::<InvoiceSettingsQuery>(invoice_settings_query::Variables {}).await
                {
                    let s = d.invoice_settings;
                    missing.set(s.qr_missing.clone());
                    let values = [
                        s.legal_name,
                        s.tax_code,
                        s.address,
                        s.bank_name,
                        s.account,
                        s.bic,
                        s.correspondent_account,
                        s.qr_format,
                        s.purpose,
                        s.notes.unwrap_or_default(),
                    ];
                    for (f, v) in fields.iter().zip(values) {
                        f.set(v);
                    }
                }
                loaded.set(true);
            });
        });
    }
    let save = {
        let (fields, message, missing) = (fields.clone(), message.clone(), missing.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = |i: usize| (*fields[i]).clone();
            let input = update_invoice_settings::InvoiceSettingsInput {
                legal_name: v(0),
                tax_code: v(1),
                address: v(2),
                bank_name: v(3),
                account: v(4),
                bic: v(5),
                correspondent_account: v(6),
                qr_format: v(7),
                purpose: v(8),
                notes: opt(&v(9)),
            };
            let (message, missing) = (message.clone(), missing.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<UpdateInvoiceSettings>(update_invoice_settings::Variables {
                    input,
                })
                .await;
                if let Ok(d) = &r {
                    missing.set(d.update_invoice_settings.qr_missing.clone());
                }
                message.set(Some(r.map(|_| ())));
            });
        })
    };
    let upload_logo = {
        let message = message.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::upload_value(
                    "mutation($file: Upload!) { uploadInvoiceLogo(file: $file) }",
                    serde_json::json!({}),
                    &file,
                    "uploadInvoiceLogo",
                )
                .await;
                message.set(Some(r.map(|_| ()).map_err(api::ApiError::text)));
            });
        })
    };
    let remove_logo = {
        let message = message.clone();
        Callback::from(move |_| {
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<api::RemoveInvoiceLogo>(api::remove_invoice_logo::Variables {})
                    .await;
                message.set(Some(r.map(|_| ())));
            });
        })
    };
    let labels = [
        Key::InvLegalName,
        Key::FieldTaxId,
        Key::ColAddress,
        Key::PayBank,
        Key::FieldIban,
        Key::InvBic,
        Key::InvCorrespondent,
        Key::InvQrFormat,
        Key::InvPurpose,
        Key::InvNotes,
    ];
    let ids = [
        "inv-legal-name",
        "inv-tax-code",
        "inv-address",
        "inv-bank",
        "inv-account",
        "inv-bic",
        "inv-corr",
        "inv-qr",
        "inv-purpose",
        "inv-notes",
    ];
    // The requisites the QR standard needs that are empty, by their field's position.
    let lacking: Vec<usize> = missing
        .iter()
        .filter_map(|f| QR_FIELDS.iter().position(|q| q == f))
        .collect();
    html! {
        <form id="invoice-settings" class="card" onsubmit={save}>
            <h3>{ ui.t(Key::InvSettings) }</h3>
            if !lacking.is_empty() {
                <p id="inv-qr-missing" class="warn" role="status" data-missing={missing.join(",")}>
                    { format!("{} {}", ui.t(Key::InvQrMissing), lacking.iter().map(|i| ui.t(labels[*i])).collect::<Vec<_>>().join(", ")) }
                </p>
            }
            <div class="inline">
                { for fields.iter().enumerate().map(|(i, f)| {
                    if i == 7 {
                        let f = f.clone();
                        let onchange = Callback::from(move |e: Event| f.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()));
                        html! { <label>{ ui.t(labels[i]) }
                            <select id={ids[i]} disabled={!*loaded} {onchange}>{ crate::shared::labels::QR_FORMATS.options(&ui, &fields[7]) }</select>{ field_error(&message, NAMES[i]) }</label> }
                    } else {
                        let lacks = lacking.contains(&i);
                        let bad = invalid(&message, NAMES[i]).or_else(|| lacks.then_some(AttrValue::from("true")));
                        html! { <label class={classes!(lacks.then_some("missing"))}>{ ui.t(labels[i]) }<input id={ids[i]} disabled={!*loaded} aria-invalid={bad} value={(**f).clone()} oninput={bind(f)} />{ field_error(&message, NAMES[i]) }</label> }
                    }
                }) }
            </div>
            <button id="inv-settings-save" type="submit">{ ui.t(Key::Save) }</button>
            <label>{ ui.t(Key::InvLogo) }<input id="inv-logo" type="file" accept="image/png" onchange={upload_logo} /></label>
            <button id="inv-logo-remove" type="button" onclick={remove_logo}>{ ui.t(Key::InvLogoRemove) }</button>
            { receipt(&ui, &message, "inv-settings-saved", &NAMES) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct XmlProps {
    /// YYYY-MM.
    pub period: String,
}

/// The e-invoice export of a period (XML in the documented schema), then its download.
#[function_component(ExportXml)]
pub fn export_xml(props: &XmlProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let state = use_state(|| State::Idle);
    let toaster = use_toaster();
    let onclick = {
        let (state, period) = (state.clone(), props.period.clone());
        let done = ui.t(Key::ToastExportReady);
        Callback::from(move |_| {
            let (state, period, toaster) = (state.clone(), period.clone(), toaster.clone());
            state.set(State::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let started =
                    api::call::<ExportInvoicesXml>(export_invoices_xml::Variables { period })
                        .await
                        .map(|d| d.export_invoices_xml.id);
                follow(state, started, toaster, done).await;
            });
        })
    };
    html! {
        <span class="export-xml">
            <button id="export-invoices-xml" type="button" {onclick} disabled={matches!(*state, State::Running(_))}>{ ui.t(Key::InvExportXml) }</button>
            { match &*state {
                State::Idle => html! {},
                State::Running(p) => html! { <span class="job running">{ format!("{p}%") }</span> },
                State::Failed(e) => html! { <span class="error" role="alert">{ e }</span> },
                State::Done(_, href) => html! { <a id="export-invoices-xml-download" class="download" href={href.clone()} download="">{ ui.t(Key::Download) }</a> },
            } }
        </span>
    }
}
