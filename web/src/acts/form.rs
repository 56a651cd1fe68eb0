//! One storno act: the form (account, service or every service by debt, amount, reason,
//! executor, date, comment) while it is a draft of an open period, and the Results tab —
//! what it books per account and service, each amount with its explanation. Approving,
//! returning to draft and deleting a draft are buttons here too.

use std::collections::HashMap;

use yew::prelude::*;

use super::{code_of, select, use_choices};
use crate::admin::bind;
use crate::billing::step_text;
use crate::shared::api::{
    self, ActById, CreateAct, DeleteAct, SetActsStatus, UpdateAct, act_by_id, create_act,
    delete_act, set_acts_status, update_act,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::picker::{PickKind, Picker};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 7] = [
    "accountId",
    "serviceId",
    "amount",
    "reasonId",
    "executorId",
    "actDate",
    "comment",
];

#[derive(Properties, PartialEq)]
pub struct ActFormProps {
    /// None: a new storno act.
    pub id: Option<i64>,
    /// The register reloads after every change.
    pub on_changed: Callback<()>,
    pub on_close: Callback<()>,
}

type Loaded = Option<Result<act_by_id::ResponseData, String>>;

#[function_component(ActForm)]
pub fn act_form(props: &ActFormProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let choices = use_choices();
    let id = use_state(|| props.id);
    let reload = use_state(|| 0u32);
    let loaded = use_state(|| None as Loaded);
    let results = use_state(|| false);
    let (account, service, amount, reason, executor, date, comment) = (
        use_state(|| None::<i64>),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let outcome = use_state(|| None as Outcome);
    {
        let (loaded, service, amount, reason, executor, date, comment, account) = (
            loaded.clone(),
            service.clone(),
            amount.clone(),
            reason.clone(),
            executor.clone(),
            date.clone(),
            comment.clone(),
            account.clone(),
        );
        use_effect_with((*id, *reload), move |(id, _)| {
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    let r = api::run::<ActById>(act_by_id::Variables { id }).await;
                    if let Ok(d) = &r {
                        let a = &d.act;
                        let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                        account.set(a.account_id);
                        service.set(text(a.service_id));
                        amount.set(a.amount.clone().unwrap_or_default());
                        reason.set(text(a.reason_id));
                        executor.set(text(a.executor_id));
                        date.set(a.act_date.clone());
                        comment.set(a.comment.clone());
                    }
                    loaded.set(Some(r));
                });
            }
        });
    }
    let act = match &*loaded {
        Some(Ok(d)) => Some(d.act.clone()),
        _ => None,
    };
    let draft = act
        .as_ref()
        .is_none_or(|a| a.editable && code_of(&a.status) == "DRAFT");
    let may_save = draft
        && if act.is_some() {
            can.allows("acts.update")
        } else {
            can.allows("acts.create")
        };
    let save = {
        let (id, reload, outcome, changed) = (
            id.clone(),
            reload.clone(),
            outcome.clone(),
            props.on_changed.clone(),
        );
        let (account, service, amount, reason, executor, date, comment) = (
            account.clone(),
            service.clone(),
            amount.clone(),
            reason.clone(),
            executor.clone(),
            date.clone(),
            comment.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let account_text = account.map(|a| a.to_string()).unwrap_or_default();
            if let Some(refused) = missing(
                &ui,
                &[
                    ("accountId", account_text.as_str()),
                    ("amount", amount.as_str()),
                    ("executorId", executor.as_str()),
                ],
            ) {
                return outcome.set(Some(Err(refused)));
            }
            let Some(account_id) = *account else { return };
            let (id, reload, outcome, changed) =
                (id.clone(), reload.clone(), outcome.clone(), changed.clone());
            let (service, amount, reason, executor, date, comment) = (
                service.parse().ok(),
                (*amount).clone(),
                reason.parse().ok(),
                executor.parse().ok(),
                crate::admin::opt(&date),
                crate::admin::opt(&comment),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let r = match *id {
                    None => api::call::<CreateAct>(create_act::Variables {
                        input: create_act::ActInput {
                            kind: create_act::ActKind::STORNO,
                            account_id,
                            service_id: service,
                            amount,
                            reason_id: reason,
                            executor_id: executor,
                            act_date: date,
                            comment,
                        },
                    })
                    .await
                    .map(|d| d.create_act.id),
                    Some(current) => api::call::<UpdateAct>(update_act::Variables {
                        id: current,
                        input: update_act::ActInput {
                            kind: update_act::ActKind::STORNO,
                            account_id,
                            service_id: service,
                            amount,
                            reason_id: reason,
                            executor_id: executor,
                            act_date: date,
                            comment,
                        },
                    })
                    .await
                    .map(|d| d.update_act.id),
                };
                match r {
                    Ok(saved) => {
                        outcome.set(Some(Ok(())));
                        id.set(Some(saved));
                        reload.set(*reload + 1);
                        changed.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let set_status = |to: set_acts_status::ActStatus| {
        let (id, reload, outcome, changed) = (
            *id,
            reload.clone(),
            outcome.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(id) = id else { return };
            let (reload, outcome, changed, to) =
                (reload.clone(), outcome.clone(), changed.clone(), to.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetActsStatus>(set_acts_status::Variables {
                    ids: vec![id],
                    status: to,
                })
                .await
                {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        reload.set(*reload + 1);
                        changed.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let remove = {
        let (id, outcome, changed, close) = (
            *id,
            outcome.clone(),
            props.on_changed.clone(),
            props.on_close.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(id) = id else { return };
            if !confirm(&ui, Key::ConfirmDelete) {
                return;
            }
            let (outcome, changed, close) = (outcome.clone(), changed.clone(), close.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<DeleteAct>(delete_act::Variables { id }).await {
                    Ok(_) => {
                        changed.emit(());
                        close.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let pick_account = {
        let account = account.clone();
        Callback::from(move |picked: Option<i64>| account.set(picked))
    };
    let tab = |on_results: bool, key: Key, tab_id: &'static str| {
        let results = results.clone();
        let active = *results == on_results;
        html! {
            <button type="button" id={tab_id} role="tab" aria-selected={active.to_string()}
                class={classes!("tab", active.then_some("active"))}
                onclick={Callback::from(move |_| results.set(on_results))}>{ ui.t(key) }</button>
        }
    };
    let services: Vec<(i64, String)> = choices
        .services
        .iter()
        .map(|(i, n, _)| (*i, n.clone()))
        .collect();
    let title = match &act {
        Some(a) => {
            let (k, s) = super::kind_label(&ui, &a.kind, &a.status);
            format!("{k} {} {} · {s}", ui.t(Key::ActNumber), a.number)
        }
        None => ui.t(Key::ActNewStorno).to_owned(),
    };
    let body = if *results {
        lines_table(&ui, &loaded)
    } else {
        html! {
            <form id="act-form" class="grid" onsubmit={save}>
                <fieldset disabled={!may_save} class="load-gate">
                if let Some(a) = &act {
                    <p class="act-account" id="act-account-number">{ format!("{} {} · {}", ui.t(Key::ActAccount), a.account_number.clone().unwrap_or_default(), a.address.clone().unwrap_or_default()) }</p>
                } else {
                    <div>
                        <Picker id="act-account" kind={PickKind::Account} label={ui.t(Key::ActAccount)} on_pick={pick_account} />
                        { field_error(&outcome, "accountId") }
                    </div>
                }
                <label>{ ui.t(Key::BillService) }
                    { select("act-service", &services, &service, Some(ui.t(Key::ActAllServices)), invalid(&outcome, "serviceId")) }
                    { field_error(&outcome, "serviceId") }
                </label>
                <label>{ ui.t(Key::ActStornoAmount) }<input id="act-amount" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "amount")} value={(*amount).clone()} oninput={bind(&amount)} />{ field_error(&outcome, "amount") }</label>
                <label>{ ui.t(Key::ActReason) }
                    { select("act-reason", &choices.reasons_for("storno"), &reason, Some(""), invalid(&outcome, "reasonId")) }
                    { field_error(&outcome, "reasonId") }
                </label>
                <label>{ ui.t(Key::ActExecutor) }
                    { select("act-executor", &choices.employees, &executor, Some(""), invalid(&outcome, "executorId")) }
                    { field_error(&outcome, "executorId") }
                </label>
                <label>{ ui.t(Key::ActDate) }<input id="act-date" type="date" aria-invalid={invalid(&outcome, "actDate")} value={(*date).clone()} oninput={bind(&date)} />{ field_error(&outcome, "actDate") }</label>
                <label>{ ui.t(Key::ActComment) }<input id="act-comment" value={(*comment).clone()} oninput={bind(&comment)} />{ field_error(&outcome, "comment") }</label>
                if may_save {
                    <button id="act-save" type="submit">{ ui.t(Key::Save) }</button>
                }
                </fieldset>
            </form>
        }
    };
    let status = act.as_ref().map(|a| code_of(&a.status)).unwrap_or_default();
    let editable = act.as_ref().is_some_and(|a| a.editable);
    html! {
        <div id="act-panel" class="card" data-status={status.clone()} data-total={act.as_ref().map(|a| a.total.clone()).unwrap_or_default()}>
            <h3 id="act-title">{ title }</h3>
            <div class="tabs" role="tablist">
                { tab(false, Key::ActTabAct, "act-tab-act") }
                if act.is_some() { { tab(true, Key::ActTabResults, "act-tab-results") } }
            </div>
            { body }
            <div class="inline actions">
                if editable && can.allows("acts.update") && status == "DRAFT" {
                    <button id="act-approve" type="button" onclick={set_status(set_acts_status::ActStatus::APPROVED)}>{ ui.t(Key::ActApprove) }</button>
                }
                if editable && can.allows("acts.update") && status == "APPROVED" {
                    <button id="act-unapprove" type="button" onclick={set_status(set_acts_status::ActStatus::DRAFT)}>{ ui.t(Key::ActUnapprove) }</button>
                }
                if editable && can.allows("acts.delete") && status == "DRAFT" {
                    <button id="act-delete" class="danger" type="button" onclick={remove}>{ ui.t(Key::Delete) }</button>
                }
                <button id="act-close" type="button" onclick={props.on_close.reform(|_| ())}>{ ui.t(Key::Close) }</button>
            </div>
            { form_error(&outcome, Some("act-error"), &FIELDS) }
        </div>
    }
}

/// The Results tab: each line with its steps under it.
fn lines_table(ui: &Ui, loaded: &Loaded) -> Html {
    let columns = vec![
        Column::new("account", ui.t(Key::ActAccount)),
        Column::new("service", ui.t(Key::BillService)),
        Column::new("amount", ui.t(Key::Amount)).numeric(),
    ];
    let serials = HashMap::new();
    let rows = Rows::from(loaded.clone().map(|r| {
        r.map(|d| {
            d.act_lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let steps = l.steps.as_array().cloned().unwrap_or_default();
                    let why = html! {
                        <ul class="steps">
                            { for steps.iter().map(|s| html! { <li>{ step_text(ui, s, &serials) }</li> }) }
                        </ul>
                    };
                    Row::new(
                        i,
                        vec![
                            Cell::text(l.account_number.clone()),
                            Cell::text(l.service.clone()),
                            Cell::number(l.amount.clone(), ui.money(&l.amount))
                                .attr("data-amount", l.amount.clone()),
                        ],
                    )
                    .attr("data-service", l.service_id.to_string())
                    .detail("why", why)
                })
                .collect()
        })
    }));
    html! { <DataTable id="act-lines-table" {columns} {rows} page_size={0} /> }
}
