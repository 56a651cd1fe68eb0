//! The invoices of the accounts ticked in a list (seed 001 §4.3: a selection is calculated,
//! printed and sent like a building): the working month calculated for them, their PDFs
//! rendered into one download, and their invoices sent by e-mail — each a worker job with
//! its progress, each checked against the user's reach by the server.

use serde_json::Value;
use yew::prelude::*;

use super::{JobView, follow, job_panel};
use crate::admin::error_text;
use crate::documents::invoice_pdf::RenderPdf;
use crate::documents::mail_settings::mail_scope;
use crate::documents::scope::{DocScope, scope_kind};
use crate::shared::api::{self, CalculatePeriod, calculate_period};
use crate::shared::i18n::Key;
use crate::shared::toast::use_toaster;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct SelectionProps {
    /// The ticked accounts' ids.
    pub account_ids: Vec<i64>,
}

#[function_component(SelectionInvoices)]
pub fn selection_invoices(props: &SelectionProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let toaster = use_toaster();
    let calc = use_state(|| JobView::Idle);
    let mailed = use_state(|| None::<Result<String, String>>);
    let scope = DocScope::Accounts(props.account_ids.clone());
    if !can.allows("invoices.create") {
        return html! {};
    }
    let calculate = {
        let (calc, scope, toaster) = (calc.clone(), scope.clone(), toaster.clone());
        let calculated = ui.t(Key::ToastCalculated);
        Callback::from(move |_| {
            let (kind, id, account_ids) = scope.parts();
            let input = calculate_period::CalculationInput {
                scope: scope_kind!(calculate_period, kind),
                id,
                account_ids,
                period: None,
            };
            let (calc, toaster) = (calc.clone(), toaster.clone());
            calc.set(JobView::Running(0, Value::Null));
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CalculatePeriod>(calculate_period::Variables { input }).await {
                    Ok(d) => follow(d.calculate_period.id, calc, toaster, calculated).await,
                    Err(e) => calc.set(JobView::Failed(error_text(&e))),
                }
            });
        })
    };
    let mail = {
        let (mailed, scope) = (mailed.clone(), scope.clone());
        let queued = ui.t(Key::MailQueued).to_owned();
        Callback::from(move |_| {
            let (mailed, queued, scope) = (mailed.clone(), queued.clone(), scope.clone());
            mailed.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                mailed.set(Some(mail_scope(&scope, None, false, &queued).await));
            });
        })
    };
    html! {
        <div id="selection-invoices" class="card group">
            <strong>{ format!("{}: {}", ui.t(Key::SelInvoices), props.account_ids.len()) }</strong>
            <div class="inline">
                <button id="selection-calc" type="button" onclick={calculate} disabled={matches!(*calc, JobView::Running(..))}>{ ui.t(Key::BillCalculate) }</button>
                <RenderPdf scope={scope.clone()} id="selection-pdf" />
                <button id="selection-mail" type="button" onclick={mail}>{ ui.t(Key::MailInvoices) }</button>
            </div>
            { job_panel(&ui, "selection-calc", &calc) }
            { match &*mailed {
                None => html! {},
                Some(Ok(m)) => html! { <p id="selection-mail-status" role="status">{ m }</p> },
                Some(Err(e)) => html! { <p id="selection-mail-error" class="error" role="alert">{ e }</p> },
            } }
        </div>
    }
}
