//! The Acts section: the register of acts (filtered by kind, status, period, account,
//! building, reason and author; paged by the server) with a bulk status change for a
//! selection of one kind, and the act's form with its Specification and Results tabs. The account card's corrections and
//! fines are `correction`.

pub mod correction;
pub mod form;

use std::collections::BTreeSet;

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::opt;
use crate::shared::api::{
    self, ActChoices, Acts, SetActsStatus, act_choices, acts, request_list_export, set_acts_status,
};
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::form::{Outcome, form_error};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::picker::{PickKind, Picker};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, server_pager};
use crate::shell::{Ui, use_can};

const PAGE: i64 = 50;

/// The kinds the register offers (their GraphQL names).
const KINDS: [&str; 6] = [
    "RECALCULATION",
    "DATA_UPDATE",
    "READING_CORRECTION",
    "STORNO",
    "CORRECTION",
    "FINE",
];

/// What the forms choose from: reasons (with the kind of act each serves), employees,
/// services (with whether each is the fine service); active ones only.
#[derive(Clone, PartialEq, Default)]
pub struct Choices {
    /// Id, name, the kind of act it serves, the services it applies to (none: all).
    pub reasons: Vec<(i64, String, String, Vec<i64>)>,
    pub employees: Vec<(i64, String)>,
    pub services: Vec<(i64, String, bool)>,
    pub branches: Vec<(i64, String)>,
}

impl Choices {
    /// The reasons for acts of `applies_to` (`storno`, `correction`).
    pub fn reasons_for(&self, applies_to: &str) -> Vec<(i64, String)> {
        self.reasons_of(applies_to, None)
    }

    /// The reasons for acts of `applies_to` that apply to `service` (seed 002 Table 1:
    /// a reason tied to services serves those alone).
    pub fn reasons_of(&self, applies_to: &str, service: Option<i64>) -> Vec<(i64, String)> {
        self.reasons
            .iter()
            .filter(|(_, _, a, services)| {
                a == applies_to
                    && (services.is_empty() || service.is_none_or(|s| services.contains(&s)))
            })
            .map(|(id, name, _, _)| (*id, name.clone()))
            .collect()
    }
}

#[hook]
pub fn use_choices() -> UseStateHandle<Choices> {
    let choices = use_state(Choices::default);
    {
        let choices = choices.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ActChoices>(act_choices::Variables {}).await {
                    let extra = |v: &serde_json::Value, k: &str| v[k].clone();
                    choices.set(Choices {
                        reasons: d
                            .reasons
                            .items
                            .into_iter()
                            .filter(|r| r.active)
                            .map(|r| {
                                let applies = extra(&r.extra, "appliesTo")
                                    .as_str()
                                    .unwrap_or("recalculation")
                                    .to_owned();
                                let services = extra(&r.extra, "services")
                                    .as_array()
                                    .map(|a| {
                                        a.iter().filter_map(serde_json::Value::as_i64).collect()
                                    })
                                    .unwrap_or_default();
                                (r.id, r.name, applies, services)
                            })
                            .collect(),
                        employees: d
                            .employees
                            .items
                            .into_iter()
                            .filter(|e| e.active)
                            .map(|e| (e.id, e.name))
                            .collect(),
                        branches: d
                            .branches
                            .items
                            .into_iter()
                            .filter(|b| b.active)
                            .map(|b| (b.id, b.name))
                            .collect(),
                        services: d
                            .services
                            .items
                            .into_iter()
                            .filter(|s| s.active)
                            .map(|s| {
                                let fine = extra(&s.extra, "fine").as_bool().unwrap_or(false);
                                (s.id, s.name, fine)
                            })
                            .collect(),
                    });
                }
            });
        });
    }
    choices
}

/// A `<select>` of `options` bound to `picked` ("" = `none`, when given).
pub(crate) fn select(
    id: &'static str,
    options: &[(i64, String)],
    picked: &UseStateHandle<String>,
    none: Option<&str>,
    invalid: Option<AttrValue>,
) -> Html {
    let onchange = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            picked.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
        })
    };
    html! {
        <select {id} {onchange} aria-invalid={invalid}>
            if let Some(none) = none {
                <option value="" selected={picked.is_empty()}>{ none }</option>
            }
            { for options.iter().map(|(oid, name)| html! {
                <option value={oid.to_string()} selected={**picked == oid.to_string()}>{ name }</option>
            }) }
        </select>
    }
}

/// The act's kind and status in the user's language.
pub(crate) fn kind_label(
    ui: &Ui,
    kind: &impl serde::Serialize,
    status: &impl serde::Serialize,
) -> (String, String) {
    (
        labels::api_enum(ui, "ActKind", kind),
        labels::api_enum(ui, "ActStatus", status),
    )
}

pub(crate) fn code_of(v: &impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

/// The register's filter as an operation of `$module` takes it (the register and its
/// export are two operations, each with its own generated type); empty parts left out.
macro_rules! filter_of {
    ($module:ident, $kind:expr, $status:expr, $period:expr, $author:expr, $account:expr, $building:expr, $reason:expr) => {
        $module::ActFilter {
            kind: KINDS.contains(&$kind).then(|| parse($kind)).flatten(),
            status: ["DRAFT", "APPROVED"]
                .contains(&$status)
                .then(|| parse($status))
                .flatten(),
            period: opt($period),
            account_id: $account,
            building_id: $building,
            reason_id: $reason.parse().ok(),
            created_by: opt($author),
        }
    };
}

#[derive(Clone, PartialEq)]
enum Open {
    None,
    /// A new act of the kind (`STORNO`, `RECALCULATION`).
    New(&'static str),
    Act(i64),
}

type Found = Option<Result<acts::ActsActs, String>>;

#[function_component(ActsSection)]
pub fn acts_section() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (kind, status, period, author) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let (account, building, reason) = (
        use_state(|| None as Option<i64>),
        use_state(|| None as Option<i64>),
        use_state(String::new),
    );
    let choices = use_choices();
    let offset = use_state(|| 0i64);
    let reload = use_state(|| 0u32);
    let found = use_state(|| None as Found);
    let selected = use_state(BTreeSet::<i64>::new);
    let open = use_state(|| Open::None);
    let outcome = use_state(|| None as Outcome);
    let latest = api::use_latest();
    {
        let (found, latest, selected) = (found.clone(), latest.clone(), selected.clone());
        let key = (
            (*kind).clone(),
            (*status).clone(),
            (*period).clone(),
            (*author).clone(),
            (*account, *building, (*reason).clone()),
            *offset,
            *reload,
        );
        use_effect_with(
            key,
            move |(kind, status, period, author, (account, building, reason), offset, _)| {
                let vars = acts::Variables {
                    filter: Some(filter_of!(
                        acts,
                        kind.as_str(),
                        status.as_str(),
                        period,
                        author,
                        *account,
                        *building,
                        reason
                    )),
                    offset: *offset,
                };
                let ticket = latest.next();
                wasm_bindgen_futures::spawn_local(async move {
                    let r = api::run::<Acts>(vars).await.map(|d| d.acts);
                    if latest.is(ticket) {
                        selected.set(BTreeSet::new());
                        found.set(Some(r));
                    }
                });
            },
        );
    }
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
    let refilter_id = |state: &UseStateHandle<Option<i64>>| {
        let (state, offset) = (state.clone(), offset.clone());
        Callback::from(move |picked: Option<i64>| {
            offset.set(0);
            state.set(picked);
        })
    };
    let changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let bulk = |to: set_acts_status::ActStatus| {
        let (selected, outcome, reload) = (selected.clone(), outcome.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let ids: Vec<i64> = selected.iter().copied().collect();
            let (outcome, reload, to) = (outcome.clone(), reload.clone(), to.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetActsStatus>(set_acts_status::Variables { ids, status: to })
                    .await
                {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        reload.set(*reload + 1);
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let may_update = can.allows("acts.update");
    let columns = vec![
        Column::new("pick", ""),
        Column::new("number", ui.t(Key::ActNumber)),
        Column::new("kind", ui.t(Key::ActKind)),
        Column::new("status", ui.t(Key::Status)),
        Column::new("date", ui.t(Key::ActDate)),
        Column::new("account", ui.t(Key::ActAccount)),
        Column::new("service", ui.t(Key::BillService)),
        Column::new("reason", ui.t(Key::ActReason)).optional(),
        Column::new("total", ui.t(Key::ActTotal)).numeric(),
        Column::new("author", ui.t(Key::ActAuthor)).optional(),
        Column::new("approver", ui.t(Key::ActApprovedBy)).optional(),
    ];
    let rows = Rows::from((*found).clone().map(|r| {
        r.map(|page| {
            page.items
                .iter()
                .map(|a| {
                    let (k, s) = kind_label(&ui, &a.kind, &a.status);
                    let pick = {
                        let (selected, id) = (selected.clone(), a.id);
                        Callback::from(move |e: Event| {
                            let on = e
                                .target_unchecked_into::<web_sys::HtmlInputElement>()
                                .checked();
                            let mut set = (*selected).clone();
                            if on {
                                set.insert(id);
                            } else {
                                set.remove(&id);
                            }
                            selected.set(set);
                        })
                    };
                    let label = format!("{} {}", ui.t(Key::ActNumber), a.number);
                    // Picking is not opening: the click stays with the checkbox.
                    let on_open = {
                        let (open, id) = (open.clone(), a.id);
                        Callback::from(move |()| open.set(Open::Act(id)))
                    };
                    Row::new(
                        a.id,
                        vec![
                            Cell::html(html! {
                                <input type="checkbox" class="act-pick" aria-label={label} disabled={!a.editable}
                                    checked={selected.contains(&a.id)} onchange={pick}
                                    onclick={Callback::from(|e: MouseEvent| e.stop_propagation())} />
                            }),
                            Cell::count(a.number),
                            Cell::text(k),
                            Cell::text(s),
                            Cell::text(a.act_date.clone()),
                            Cell::text(a.account_number.clone().or_else(|| a.building.clone()).or_else(|| a.branch.clone())
                                .unwrap_or_else(|| if a.all_accounts { ui.t(Key::ActScopeAll).to_owned() } else { String::new() })),
                            Cell::text(match (&a.service, &a.meter) {
                                (Some(s), _) => s.clone(),
                                (None, Some(m)) => format!("{} {m}", ui.t(Key::ActMeter)),
                                (None, None) if code_of(&a.kind) == "STORNO" => ui.t(Key::ActAllServices).to_owned(),
                                (None, None) => ui.t(Key::ActAllServicesPlain).to_owned(),
                            }),
                            Cell::text(a.reason.clone().unwrap_or_default()),
                            Cell::number(a.total.clone(), ui.money(&a.total)),
                            Cell::text(a.created_by.clone()),
                            Cell::text(a.approved_by.clone().unwrap_or_default()),
                        ],
                    )
                    .attr("data-status", code_of(&a.status))
                    .attr("data-kind", code_of(&a.kind))
                    .on_open(on_open)
                })
                .collect()
        })
    }));
    let footer = match &*found {
        Some(Ok(page)) => html! {
            <>
                <p id="acts-count" role="status" data-count={page.total.to_string()}>{ format!("{}: {}", ui.t(Key::HistoryFound), page.total) }</p>
                { server_pager(&ui, &offset, PAGE, page.total) }
            </>
        },
        _ => html! {},
    };
    let new_act = |kind: &'static str| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Open::New(kind)))
    };
    let close = {
        let open = open.clone();
        Callback::from(move |()| open.set(Open::None))
    };
    html! {
        <section class="acts">
            <MenuDashboard menu={DashboardMenu::ACTS} />
            <h2>{ ui.t(Key::MenuActs) }</h2>
            <div class="inline filters">
                <label>{ ui.t(Key::ActKind) }
                    <select id="acts-kind" onchange={refilter(&kind)}>
                        <option value="" selected={kind.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        { for KINDS.iter().map(|k| html! { <option value={*k} selected={*kind == *k}>{ labels::code(&ui, "ActKind", k) }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::Status) }
                    <select id="acts-status" onchange={refilter(&status)}>
                        <option value="" selected={status.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        { for ["DRAFT", "APPROVED"].iter().map(|k| html! { <option value={*k} selected={*status == *k}>{ labels::code(&ui, "ActStatus", k) }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::Period) }<input id="acts-period" type="month" value={(*period).clone()} onchange={refilter(&period)} /></label>
                <label>{ ui.t(Key::ActAuthor) }<input id="acts-author" value={(*author).clone()} onchange={refilter(&author)} /></label>
                <label>{ ui.t(Key::ActReason) }
                    <select id="acts-reason" onchange={refilter(&reason)}>
                        <option value="" selected={reason.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        { for choices.reasons.iter().map(|(id, n, _, _)| html! { <option value={id.to_string()} selected={*reason == id.to_string()}>{ n.clone() }</option> }) }
                    </select>
                </label>
                <Picker key="acts-account" id="acts-account" kind={PickKind::Account} label={ui.t(Key::ActAccount)} on_pick={refilter_id(&account)} />
                <Picker key="acts-building" id="acts-building" kind={PickKind::Building} label={ui.t(Key::BillScopeBuilding)} on_pick={refilter_id(&building)} />
            </div>
            <div class="inline actions">
                if can.allows("acts.create") {
                    <button id="act-new" type="button" onclick={new_act("STORNO")}>{ ui.t(Key::ActNewStorno) }</button>
                    <button id="act-new-recalculation" type="button" onclick={new_act("RECALCULATION")}>{ ui.t(Key::ActNewRecalculation) }</button>
                    <button id="act-new-reading" type="button" onclick={new_act("READING_CORRECTION")}>{ ui.t(Key::ActNewReadingCorrection) }</button>
                    <button id="act-new-data" type="button" onclick={new_act("DATA_UPDATE")}>{ ui.t(Key::ActNewDataUpdate) }</button>
                }
                if may_update {
                    <button id="acts-approve" type="button" disabled={selected.is_empty()} onclick={bulk(set_acts_status::ActStatus::APPROVED)}>{ ui.t(Key::ActApprove) }</button>
                    <button id="acts-unapprove" type="button" disabled={selected.is_empty()} onclick={bulk(set_acts_status::ActStatus::DRAFT)}>{ ui.t(Key::ActUnapprove) }</button>
                }
                { form_error(&outcome, Some("acts-error"), &[]) }
            </div>
            <DataTable id="acts-table" {columns} {rows} page_size={0} {footer} />
            <ExportXlsx list={ListKind::ACTS}
                acts={Some(filter_of!(request_list_export, kind.as_str(), status.as_str(), &period, &author, *account, *building, &*reason))} />
            { match &*open {
                Open::None => html! {},
                Open::New(kind) => html! { <form::ActForm key={format!("new-{kind}")} id={None::<i64>} kind={*kind} on_changed={changed.clone()} on_close={close.clone()} /> },
                Open::Act(id) => html! { <form::ActForm key={id.to_string()} id={Some(*id)} on_changed={changed.clone()} on_close={close.clone()} /> },
            } }
        </section>
    }
}
