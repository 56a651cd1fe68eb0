//! The account card's acts (seed 000 «Корректировка», «Штраф»): the account's acts of
//! every kind, and the form for a correction (± amount on a service, with its reason) or
//! a fine (on the service marked as the fine service) — each approved as it is entered
//! and booked in the open period's invoice.

use yew::prelude::*;

use super::{code_of, kind_label, select, use_choices};
use crate::admin::bind;
use crate::shared::api::{self, Acts, AddCorrection, acts, add_correction};
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 4] = ["serviceId", "amount", "reasonId", "comment"];

#[derive(Properties, PartialEq)]
pub struct Props {
    pub account_id: i64,
    /// The card reloads its billing table after a correction.
    pub on_changed: Callback<()>,
}

#[function_component(AccountActs)]
pub fn account_acts(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let choices = use_choices();
    let reload = use_state(|| 0u32);
    let found = use_state(|| None as Option<Result<acts::ActsActs, String>>);
    let fine = use_state(|| false);
    let (service, amount, reason, comment) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let outcome = use_state(|| None as Outcome);
    {
        let found = found.clone();
        use_effect_with((props.account_id, *reload), move |(account_id, _)| {
            let vars = acts::Variables {
                filter: Some(acts::ActFilter {
                    kind: None,
                    status: None,
                    period: None,
                    account_id: Some(*account_id),
                    building_id: None,
                    reason_id: None,
                    created_by: None,
                }),
                offset: 0,
            };
            wasm_bindgen_futures::spawn_local(async move {
                found.set(Some(api::run::<Acts>(vars).await.map(|d| d.acts)));
            });
        });
    }
    let save = {
        let (account_id, reload, outcome, changed, fine) = (
            props.account_id,
            reload.clone(),
            outcome.clone(),
            props.on_changed.clone(),
            fine.clone(),
        );
        let (service, amount, reason, comment) = (
            service.clone(),
            amount.clone(),
            reason.clone(),
            comment.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(
                &ui,
                &[("serviceId", service.as_str()), ("amount", amount.as_str())],
            ) {
                return outcome.set(Some(Err(refused)));
            }
            let input = add_correction::ActInput {
                kind: if *fine {
                    add_correction::ActKind::FINE
                } else {
                    add_correction::ActKind::CORRECTION
                },
                account_id: Some(account_id),
                building_id: None,
                branch_id: None,
                all_accounts: false,
                service_id: service.parse().ok(),
                method: None,
                from: None,
                to: None,
                basis_document: None,
                amount: (*amount).clone(),
                reason_id: if *fine { None } else { reason.parse().ok() },
                executor_id: None,
                act_date: None,
                comment: crate::admin::opt(&comment),
                meter_id: None,
                reading_period: None,
                reading_value: None,
                subsidies: Vec::new(),
                house_readings: Vec::new(),
                cancel_payments: Vec::new(),
                consumer1_account_id: None,
                consumer2_account_id: None,
            };
            let (reload, outcome, changed, amount, comment) = (
                reload.clone(),
                outcome.clone(),
                changed.clone(),
                amount.clone(),
                comment.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<AddCorrection>(add_correction::Variables { input }).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        amount.set(String::new());
                        comment.set(String::new());
                        reload.set(*reload + 1);
                        changed.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let on_kind = {
        let (fine, service) = (fine.clone(), service.clone());
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            fine.set(v == "FINE");
            service.set(String::new());
        })
    };
    let services: Vec<(i64, String)> = choices
        .services
        .iter()
        .filter(|(_, _, is_fine)| !*fine || *is_fine)
        .map(|(i, n, _)| (*i, n.clone()))
        .collect();
    let columns = vec![
        Column::new("number", ui.t(Key::ActNumber)),
        Column::new("kind", ui.t(Key::ActKind)),
        Column::new("status", ui.t(Key::Status)),
        Column::new("period", ui.t(Key::Period)),
        Column::new("service", ui.t(Key::BillService)),
        Column::new("reason", ui.t(Key::ActReason)).optional(),
        Column::new("total", ui.t(Key::ActTotal)).numeric(),
        Column::new("comment", ui.t(Key::ActComment)).optional(),
    ];
    let rows = Rows::from((*found).clone().map(|r| {
        r.map(|page| {
            page.items
                .iter()
                .map(|a| {
                    let (k, s) = kind_label(&ui, &a.kind, &a.status);
                    Row::new(
                        a.id,
                        vec![
                            Cell::count(a.number),
                            Cell::text(k),
                            Cell::text(s),
                            Cell::text(a.period.clone()),
                            Cell::text(
                                a.service
                                    .clone()
                                    .unwrap_or_else(|| ui.t(Key::ActAllServices).to_owned()),
                            ),
                            Cell::text(a.reason.clone().unwrap_or_default()),
                            Cell::number(a.total.clone(), ui.money(&a.total))
                                .attr("data-amount", a.total.clone()),
                            Cell::text(a.comment.clone()),
                        ],
                    )
                    .attr("data-kind", code_of(&a.kind))
                    .attr("data-status", code_of(&a.status))
                })
                .collect()
        })
    }));
    let may_add = can.allows("acts.create") && can.allows("acts.update");
    html! {
        <div id="account-acts" class="card">
            <h3>{ ui.t(Key::MenuActs) }</h3>
            <DataTable id="account-acts-table" {columns} {rows} page_size={0} />
            if may_add {
                <form id="correction-form" class="inline" onsubmit={save}>
                    <label>{ ui.t(Key::ActKind) }
                        <select id="correction-kind" onchange={on_kind}>
                            <option value="CORRECTION" selected={!*fine}>{ crate::shared::labels::code(&ui, "ActKind", "CORRECTION") }</option>
                            <option value="FINE" selected={*fine}>{ crate::shared::labels::code(&ui, "ActKind", "FINE") }</option>
                        </select>
                    </label>
                    <label>{ ui.t(Key::BillService) }
                        { select("correction-service", &services, &service, Some(""), invalid(&outcome, "serviceId")) }
                        { field_error(&outcome, "serviceId") }
                    </label>
                    <label>{ ui.t(Key::Amount) }<input id="correction-amount" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "amount")} value={(*amount).clone()} oninput={bind(&amount)} />{ field_error(&outcome, "amount") }</label>
                    if !*fine {
                        <label>{ ui.t(Key::ActReason) }
                            { select("correction-reason", &choices.reasons_for("correction"), &reason, Some(""), invalid(&outcome, "reasonId")) }
                            { field_error(&outcome, "reasonId") }
                        </label>
                    }
                    <label>{ ui.t(Key::ActComment) }<input id="correction-comment" value={(*comment).clone()} oninput={bind(&comment)} />{ field_error(&outcome, "comment") }</label>
                    <button id="correction-save" type="submit">{ ui.t(Key::ActAddCorrection) }</button>
                    { form_error(&outcome, Some("correction-error"), &FIELDS) }
                </form>
            }
        </div>
    }
}
