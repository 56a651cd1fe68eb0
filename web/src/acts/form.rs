//! One act of the register: a storno act (account, service or every service by debt,
//! amount) or a recalculation act (an account or a building, a service or a calculation
//! method or all, the days the services were not provided, the basis document) — each
//! with its reason, executor, date and comment — editable while it is a draft of an open
//! period; its Results tab shows what it books per account and service, each amount with
//! its explanation. Approving, returning to draft and deleting a draft are buttons here.

use std::collections::HashMap;

use yew::prelude::*;

use super::{code_of, parse, use_choices};
use crate::billing::step_text;
use crate::shared::api::{
    self, ActById, CreateAct, DeleteAct, SetActsStatus, UpdateAct, act_by_id, create_act,
    delete_act, set_acts_status, update_act,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::picker::{PickKind, Picker};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 12] = [
    "accountId",
    "buildingId",
    "serviceId",
    "method",
    "from",
    "to",
    "amount",
    "reasonId",
    "executorId",
    "basisDocument",
    "actDate",
    "comment",
];

/// The calculation methods a recalculation may be limited to.
const METHODS: [&str; 5] = ["metered", "norm", "area", "common_house", "fixed"];
/// The basis documents (GraphQL names).
const BASES: [&str; 8] = [
    "HEATING_OFF",
    "MEMO",
    "OWNER_CHANGE",
    "TEMPERATURE_REGIME",
    "LOW_TEMPERATURE",
    "INTERRUPTION",
    "DAILY_AVERAGE",
    "BUILDING_OFF",
];

#[derive(Properties, PartialEq)]
pub struct ActFormProps {
    /// None: a new act of `kind`.
    pub id: Option<i64>,
    /// The kind of a new act (`STORNO`, `RECALCULATION`).
    #[prop_or(AttrValue::from("STORNO"))]
    pub kind: AttrValue,
    /// The register reloads after every change.
    pub on_changed: Callback<()>,
    pub on_close: Callback<()>,
}

type Loaded = Option<Result<act_by_id::ResponseData, String>>;

/// What the form holds, as typed.
#[derive(Clone, PartialEq, Default)]
struct Fields {
    kind: String,
    /// `account` or `building` (a recalculation's scope).
    scope: String,
    account: Option<i64>,
    building: Option<i64>,
    service: String,
    method: String,
    from: String,
    to: String,
    basis: String,
    amount: String,
    reason: String,
    executor: String,
    date: String,
    comment: String,
}

fn text(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The form's fields as the API's input of operation `$m`.
macro_rules! act_input {
    ($m:ident, $f:expr) => {{
        let f = $f;
        let recalc = f.kind == "RECALCULATION";
        $m::ActInput {
            kind: parse(&f.kind).unwrap_or($m::ActKind::STORNO),
            account_id: if recalc && f.scope == "building" {
                None
            } else {
                f.account
            },
            building_id: if recalc && f.scope == "building" {
                f.building
            } else {
                None
            },
            service_id: f.service.parse().ok(),
            method: crate::admin::opt(&f.method),
            from: crate::admin::opt(&f.from),
            to: crate::admin::opt(&f.to),
            basis_document: BASES
                .contains(&f.basis.as_str())
                .then(|| parse(&f.basis))
                .flatten(),
            amount: if recalc {
                String::new()
            } else {
                f.amount.clone()
            },
            reason_id: f.reason.parse().ok(),
            executor_id: f.executor.parse().ok(),
            act_date: crate::admin::opt(&f.date),
            comment: crate::admin::opt(&f.comment),
        }
    }};
}

#[function_component(ActForm)]
pub fn act_form(props: &ActFormProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let choices = use_choices();
    let id = use_state(|| props.id);
    let reload = use_state(|| 0u32);
    let loaded = use_state(|| None as Loaded);
    let results = use_state(|| false);
    let fields = use_state(|| Fields {
        kind: props.kind.to_string(),
        scope: "account".into(),
        ..Fields::default()
    });
    let outcome = use_state(|| None as Outcome);
    {
        let (loaded, fields) = (loaded.clone(), fields.clone());
        use_effect_with((*id, *reload), move |(id, _)| {
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    let r = api::run::<ActById>(act_by_id::Variables { id }).await;
                    if let Ok(d) = &r {
                        let a = &d.act;
                        fields.set(Fields {
                            kind: code_of(&a.kind),
                            scope: if a.building_id.is_some() {
                                "building"
                            } else {
                                "account"
                            }
                            .into(),
                            account: a.account_id,
                            building: a.building_id,
                            service: text(a.service_id),
                            method: a.method.clone().unwrap_or_default(),
                            from: a.from_date.clone().unwrap_or_default(),
                            to: a.to_date.clone().unwrap_or_default(),
                            basis: a.basis_document.as_ref().map(code_of).unwrap_or_default(),
                            amount: a.amount.clone().unwrap_or_default(),
                            reason: text(a.reason_id),
                            executor: text(a.executor_id),
                            date: a.act_date.clone(),
                            comment: a.comment.clone(),
                        });
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
    let f = (*fields).clone();
    let recalc = f.kind == "RECALCULATION";
    let draft = act
        .as_ref()
        .is_none_or(|a| a.editable && code_of(&a.status) == "DRAFT");
    let may_save = draft
        && if act.is_some() {
            can.allows("acts.update")
        } else {
            can.allows("acts.create")
        };
    // A text field of the form, bound to its part of `fields`.
    let edit = |set: fn(&mut Fields, String)| {
        let fields = fields.clone();
        Callback::from(move |e: Event| {
            let mut next = (*fields).clone();
            set(
                &mut next,
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
            fields.set(next);
        })
    };
    let pick = |set: fn(&mut Fields, Option<i64>)| {
        let fields = fields.clone();
        Callback::from(move |picked: Option<i64>| {
            let mut next = (*fields).clone();
            set(&mut next, picked);
            fields.set(next);
        })
    };
    let save = {
        let (id, reload, outcome, changed, fields) = (
            id.clone(),
            reload.clone(),
            outcome.clone(),
            props.on_changed.clone(),
            fields.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*fields).clone();
            let recalc = f.kind == "RECALCULATION";
            let (who, who_field) = if recalc && f.scope == "building" {
                (text(f.building), "buildingId")
            } else {
                (text(f.account), "accountId")
            };
            let mut required = vec![
                (who_field, who.as_str()),
                ("executorId", f.executor.as_str()),
            ];
            if recalc {
                required.extend([("from", f.from.as_str()), ("to", f.to.as_str())]);
            } else {
                required.push(("amount", f.amount.as_str()));
            }
            if let Some(refused) = missing(&ui, &required) {
                return outcome.set(Some(Err(refused)));
            }
            let (id, reload, outcome, changed) =
                (id.clone(), reload.clone(), outcome.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = match *id {
                    None => api::call::<CreateAct>(create_act::Variables {
                        input: act_input!(create_act, &f),
                    })
                    .await
                    .map(|d| d.create_act.id),
                    Some(current) => api::call::<UpdateAct>(update_act::Variables {
                        id: current,
                        input: act_input!(update_act, &f),
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
    let options = |id: &'static str,
                   field: &str,
                   list: Vec<(String, String)>,
                   value: &str,
                   onchange: Callback<Event>,
                   none: &str| {
        html! {
            <select {id} {onchange} aria-invalid={invalid(&outcome, field)}>
                <option value="" selected={value.is_empty()}>{ none.to_owned() }</option>
                { for list.into_iter().map(|(v, l)| html! { <option value={v.clone()} selected={value == v}>{ l }</option> }) }
            </select>
        }
    };
    let title = match &act {
        Some(a) => {
            let (k, s) = super::kind_label(&ui, &a.kind, &a.status);
            format!("{k} {} {} · {s}", ui.t(Key::ActNumber), a.number)
        }
        None if recalc => ui.t(Key::ActNewRecalculation).to_owned(),
        None => ui.t(Key::ActNewStorno).to_owned(),
    };
    let body = if *results {
        lines_table(&ui, &loaded)
    } else {
        let who = match &act {
            Some(a) => html! {
                <p class="act-account" id="act-account-number">{
                    match (&a.account_number, &a.building) {
                        (Some(n), _) => format!("{} {n} · {}", ui.t(Key::ActAccount), a.address.clone().unwrap_or_default()),
                        (None, Some(b)) => format!("{} {b}", ui.t(Key::BillScopeBuilding)),
                        _ => String::new(),
                    }
                }</p>
            },
            None if recalc && f.scope == "building" => html! {
                <div>
                    <Picker key="building" id="act-building" kind={PickKind::Building} label={ui.t(Key::BillScopeBuilding)} on_pick={pick(|f, v| f.building = v)} />
                    { field_error(&outcome, "buildingId") }
                </div>
            },
            None => html! {
                <div>
                    <Picker key="account" id="act-account" kind={PickKind::Account} label={ui.t(Key::ActAccount)} on_pick={pick(|f, v| f.account = v)} />
                    { field_error(&outcome, "accountId") }
                </div>
            },
        };
        let service_choice = html! {
            <label>{ ui.t(Key::BillService) }
                { options("act-service", "serviceId", services.iter().map(|(i, n)| (i.to_string(), n.clone())).collect(), &f.service,
                    edit(|f, v| f.service = v),
                    if recalc { ui.t(Key::ActAllServicesPlain) } else { ui.t(Key::ActAllServices) }) }
                { field_error(&outcome, "serviceId") }
            </label>
        };
        html! {
            <form id="act-form" class="grid" onsubmit={save}>
                <fieldset disabled={!may_save} class="load-gate">
                if recalc && act.is_none() {
                    <label>{ ui.t(Key::BillScope) }
                        <select id="act-scope" onchange={edit(|f, v| f.scope = v)}>
                            <option value="account" selected={f.scope == "account"}>{ ui.t(Key::ActAccount) }</option>
                            <option value="building" selected={f.scope == "building"}>{ ui.t(Key::BillScopeBuilding) }</option>
                        </select>
                    </label>
                }
                { who }
                { service_choice }
                if recalc {
                    <label>{ ui.t(Key::ActMethod) }
                        { options("act-method", "method", METHODS.iter().map(|m| ((*m).to_owned(), labels::code(&ui, "services_method", m))).collect(),
                            &f.method, edit(|f, v| f.method = v), ui.t(Key::ActAllMethods)) }
                        { field_error(&outcome, "method") }
                    </label>
                    <label>{ ui.t(Key::ActNotProvidedFrom) }<input id="act-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "from")} value={f.from.clone()} onchange={edit(|f, v| f.from = v)} />{ field_error(&outcome, "from") }</label>
                    <label>{ ui.t(Key::ActNotProvidedTo) }<input id="act-to" type="date" aria-required="true" aria-invalid={invalid(&outcome, "to")} value={f.to.clone()} onchange={edit(|f, v| f.to = v)} />{ field_error(&outcome, "to") }</label>
                    <label>{ ui.t(Key::ActBasisDocument) }
                        { options("act-basis", "basisDocument", BASES.iter().map(|b| ((*b).to_owned(), labels::code(&ui, "BasisDocument", b))).collect(),
                            &f.basis, edit(|f, v| f.basis = v), "") }
                        { field_error(&outcome, "basisDocument") }
                    </label>
                } else {
                    <label>{ ui.t(Key::ActStornoAmount) }<input id="act-amount" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "amount")} value={f.amount.clone()} onchange={edit(|f, v| f.amount = v)} />{ field_error(&outcome, "amount") }</label>
                }
                <label>{ ui.t(Key::ActReason) }
                    { options("act-reason", "reasonId", choices.reasons_for(if recalc { "recalculation" } else { "storno" }).into_iter().map(|(i, n)| (i.to_string(), n)).collect(),
                        &f.reason, edit(|f, v| f.reason = v), "") }
                    { field_error(&outcome, "reasonId") }
                </label>
                <label>{ ui.t(Key::ActExecutor) }
                    { options("act-executor", "executorId", choices.employees.iter().map(|(i, n)| (i.to_string(), n.clone())).collect(),
                        &f.executor, edit(|f, v| f.executor = v), "") }
                    { field_error(&outcome, "executorId") }
                </label>
                <label>{ ui.t(Key::ActDate) }<input id="act-date" type="date" aria-invalid={invalid(&outcome, "actDate")} value={f.date.clone()} onchange={edit(|f, v| f.date = v)} />{ field_error(&outcome, "actDate") }</label>
                <label>{ ui.t(Key::ActComment) }<input id="act-comment" value={f.comment.clone()} onchange={edit(|f, v| f.comment = v)} />{ field_error(&outcome, "comment") }</label>
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
