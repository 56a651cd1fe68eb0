//! One act of the register: a storno act (account, service or every service by debt,
//! amount), a recalculation act (an account or a building, a service or a calculation
//! method or all, the days the services were not provided, the basis document), a
//! reading correction (the account's meter, the closed month, the corrected reading) or a
//! data update (an account or a building, the closed days to recompute, subsidies that
//! came with it) — each with its reason, executor, date and comment — editable while it
//! is a draft of an open period. Its Specification tab lists the closed months it
//! recomputed with a link to each issued invoice; its Results tab shows what it books per
//! account and service, each amount with its explanation. Approving, returning to draft
//! and deleting a draft are buttons here.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use super::{code_of, parse, use_choices};
use crate::billing::step_text;
use crate::shared::api::{
    self, ActById, ActClosablePayments, ActHouseMeters, ActMeters, CreateAct, DeleteAct,
    MeterReadings, SetActsStatus, UpdateAct, act_by_id, act_closable_payments, act_house_meters,
    act_meters, create_act, delete_act, meter_readings, set_acts_status, update_act,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::picker::{PickKind, Picker};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 21] = [
    "consumer1AccountId",
    "consumer2AccountId",
    "cancelPayments",
    "branchId",
    "houseReadings",
    "meterId",
    "readingPeriod",
    "readingValue",
    "subsidies",
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
    /// The kind of a new act (`STORNO`, `RECALCULATION`, `READING_CORRECTION`,
    /// `DATA_UPDATE`).
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
    branch: String,
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
    meter: String,
    reading_period: String,
    reading_value: String,
    /// A data update's subsidies: service, month, amount (of the act's account).
    subsidies: Vec<(String, String, String)>,
    /// A data update's house-meter top-ups: meter, month, consumption (of its building).
    tops: Vec<(String, String, String)>,
    /// A data update's payments of closed months to close (of its account).
    closed: Vec<i64>,
    /// Consumers 1 and 2 (seed 002): accounts the act concerns besides its scope.
    consumer1: Option<i64>,
    consumer2: Option<i64>,
}

/// A change of the form's fields, applied to their latest state: two change events of
/// one tick (a field left for another) both land.
pub(crate) struct Change(Box<dyn FnOnce(&mut Fields)>);

impl Reducible for Fields {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut next = (*self).clone();
        (change.0)(&mut next);
        Rc::new(next)
    }
}

impl Fields {
    fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }

    /// Acts over an account or a whole building.
    fn by_building(&self) -> bool {
        self.is("RECALCULATION") || self.is("DATA_UPDATE")
    }

    /// Acts that recompute closed months (they have a Specification).
    fn recomputes(&self) -> bool {
        self.by_building() || self.is("READING_CORRECTION")
    }
}

/// The form's tabs.
#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Act,
    Specification,
    Results,
}

fn text(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The form's fields as the API's input of operation `$m`.
macro_rules! act_input {
    ($m:ident, $f:expr) => {{
        let f = $f;
        let (recalc, data, reading) = (
            f.is("RECALCULATION"),
            f.is("DATA_UPDATE"),
            f.is("READING_CORRECTION"),
        );
        let house = f.by_building() && f.scope == "building";
        let by = |scope: &str| f.by_building() && f.scope == scope;
        $m::ActInput {
            kind: parse(&f.kind).unwrap_or($m::ActKind::STORNO),
            account_id: if f.by_building() && f.scope != "account" {
                None
            } else {
                f.account
            },
            building_id: if house { f.building } else { None },
            branch_id: if by("branch") {
                f.branch.parse().ok()
            } else {
                None
            },
            all_accounts: by("all"),
            service_id: if data || reading {
                None
            } else {
                f.service.parse().ok()
            },
            method: if recalc {
                crate::admin::opt(&f.method)
            } else {
                None
            },
            from: if recalc || data {
                crate::admin::opt(&f.from)
            } else {
                None
            },
            to: if recalc || data {
                crate::admin::opt(&f.to)
            } else {
                None
            },
            basis_document: BASES
                .contains(&f.basis.as_str())
                .then(|| parse(&f.basis))
                .flatten()
                .filter(|_| recalc || data),
            amount: if f.recomputes() {
                String::new()
            } else {
                f.amount.clone()
            },
            reason_id: f.reason.parse().ok(),
            executor_id: f.executor.parse().ok(),
            act_date: crate::admin::opt(&f.date),
            comment: crate::admin::opt(&f.comment),
            meter_id: if reading { f.meter.parse().ok() } else { None },
            reading_period: if reading {
                crate::admin::opt(&f.reading_period)
            } else {
                None
            },
            reading_value: if reading {
                crate::admin::opt(&f.reading_value)
            } else {
                None
            },
            house_readings: if data && house {
                f.tops
                    .iter()
                    .map(|(meter, period, consumption)| $m::ActHouseReadingInput {
                        meter_id: meter.parse().unwrap_or_default(),
                        period: period.clone(),
                        consumption: consumption.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            consumer1_account_id: f.consumer1,
            consumer2_account_id: f.consumer2,
            cancel_payments: if data && f.scope == "account" {
                f.closed.clone()
            } else {
                Vec::new()
            },
            subsidies: if data && f.scope == "account" {
                f.subsidies
                    .iter()
                    .map(|(service, period, amount)| $m::ActSubsidyInput {
                        account_id: f.account.unwrap_or_default(),
                        service_id: service.parse().unwrap_or_default(),
                        period: period.clone(),
                        amount: amount.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
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
    let tab_on = use_state(|| Tab::Act);
    let meters = use_state(Vec::<(i64, String)>::new);
    let house_meters = use_state(Vec::<(i64, String)>::new);
    // A data update's account: its payments of closed months (id, what the row says).
    let closable = use_state(Vec::<(i64, String)>::new);
    // The meter's reading of the chosen month as it stands (what a correction replaces).
    let stood = use_state(|| None as Option<String>);
    let fields = use_reducer_eq(|| Fields {
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
                        let loaded_fields = Fields {
                            kind: code_of(&a.kind),
                            scope: if a.building_id.is_some() {
                                "building"
                            } else if a.branch_id.is_some() {
                                "branch"
                            } else if a.all_accounts {
                                "all"
                            } else {
                                "account"
                            }
                            .into(),
                            branch: text(a.branch_id),
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
                            meter: text(a.meter_id),
                            reading_period: a.reading_period.clone().unwrap_or_default(),
                            reading_value: a.reading_value.clone().unwrap_or_default(),
                            subsidies: d
                                .act_subsidies
                                .iter()
                                .map(|s| {
                                    (s.service_id.to_string(), s.period.clone(), s.amount.clone())
                                })
                                .collect(),
                            tops: d
                                .act_house_readings
                                .iter()
                                .map(|t| {
                                    (
                                        t.meter_id.to_string(),
                                        t.period.clone(),
                                        t.consumption.clone(),
                                    )
                                })
                                .collect(),
                            closed: d.act_payments.iter().map(|p| p.payment_id).collect(),
                            consumer1: a.consumer1_account_id,
                            consumer2: a.consumer2_account_id,
                        };
                        fields.dispatch(Change(Box::new(move |f| *f = loaded_fields)));
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
    {
        // An act computed by a job: looked at again every two seconds until it is done.
        let reload = reload.clone();
        let computing = act.as_ref().is_some_and(|a| a.computing);
        use_effect_with((computing, *reload), move |(computing, _)| {
            if *computing {
                let reload = reload.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(2000).await;
                    reload.set(*reload + 1);
                });
            }
        });
    }
    let f = (*fields).clone();
    {
        // A reading correction offers the meters of the account it names.
        let meters = meters.clone();
        let account = f.account.filter(|_| f.is("READING_CORRECTION"));
        use_effect_with(account, move |account| {
            if let Some(account_id) = *account {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) = api::run::<ActMeters>(act_meters::Variables { account_id }).await
                    {
                        meters.set(
                            d.meters
                                .items
                                .into_iter()
                                .map(|m| (m.id, format!("{} · {}", m.serial, m.service_name)))
                                .collect(),
                        );
                    }
                });
            }
        });
    }
    {
        let stood = stood.clone();
        let key = (
            f.meter
                .parse::<i64>()
                .ok()
                .filter(|_| f.is("READING_CORRECTION")),
            f.reading_period.clone(),
        );
        use_effect_with(key, move |(meter, month)| {
            stood.set(None);
            if let (Some(meter_id), false) = (*meter, month.is_empty()) {
                let month = month.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) = api::run::<MeterReadings>(meter_readings::Variables {
                        meter_id,
                        from: Some(month.clone()),
                        to: Some(month),
                    })
                    .await
                    {
                        stood.set(d.meter_readings.first().map(|r| r.current.clone()));
                    }
                });
            }
        });
    }
    {
        // A data update over a building offers its house meters for a top-up.
        let house_meters = house_meters.clone();
        let building = f
            .building
            .filter(|_| f.is("DATA_UPDATE") && f.scope == "building");
        use_effect_with(building, move |building| {
            if let Some(building_id) = *building {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) =
                        api::run::<ActHouseMeters>(act_house_meters::Variables { building_id })
                            .await
                    {
                        house_meters.set(
                            d.act_house_meters
                                .into_iter()
                                .map(|m| (m.id, format!("{} · {}", m.serial, m.service)))
                                .collect(),
                        );
                    }
                });
            }
        });
    }
    {
        // A data update over an account offers its payments of closed months to close.
        let closable = closable.clone();
        let account = f
            .account
            .filter(|_| f.is("DATA_UPDATE") && f.scope == "account");
        let money = ui;
        use_effect_with(account, move |account| {
            closable.set(Vec::new());
            if let Some(account_id) = *account {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) =
                        api::run::<ActClosablePayments>(act_closable_payments::Variables {
                            account_id,
                        })
                        .await
                    {
                        closable.set(
                            d.act_closable_payments
                                .into_iter()
                                .map(|p| {
                                    let by = p
                                        .cancelled_by
                                        .map(|n| {
                                            format!(
                                                " · {}",
                                                money.t(Key::PayClosedByAct).replace("{n}", &n)
                                            )
                                        })
                                        .unwrap_or_default();
                                    (
                                        p.payment_id,
                                        format!(
                                            "{} · {} · {}{by}",
                                            p.period,
                                            p.paid_on,
                                            money.money(&p.amount)
                                        ),
                                    )
                                })
                                .collect(),
                        );
                    }
                });
            }
        });
    }
    let recalc = f.is("RECALCULATION");
    let data = f.is("DATA_UPDATE");
    let reading = f.is("READING_CORRECTION");
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
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            fields.dispatch(Change(Box::new(move |f| set(f, value))));
        })
    };
    // The same for a typed field, on every keystroke: a click on Save right after typing
    // sees what was typed.
    let typed = |set: fn(&mut Fields, String)| {
        let fields = fields.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            fields.dispatch(Change(Box::new(move |f| set(f, value))));
        })
    };
    let pick = |set: fn(&mut Fields, Option<i64>)| {
        let fields = fields.clone();
        Callback::from(move |picked: Option<i64>| {
            fields.dispatch(Change(Box::new(move |f| set(f, picked))));
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
            let (who, who_field) = match f.scope.as_str() {
                "building" if f.by_building() => (text(f.building), "buildingId"),
                "branch" if f.by_building() => (f.branch.clone(), "branchId"),
                "all" if f.by_building() => ("all".to_owned(), "accountId"),
                _ => (text(f.account), "accountId"),
            };
            let mut required = vec![
                (who_field, who.as_str()),
                ("executorId", f.executor.as_str()),
            ];
            if f.by_building() {
                required.extend([("from", f.from.as_str()), ("to", f.to.as_str())]);
            } else if f.is("READING_CORRECTION") {
                required.extend([
                    ("meterId", f.meter.as_str()),
                    ("readingPeriod", f.reading_period.as_str()),
                    ("readingValue", f.reading_value.as_str()),
                ]);
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
    let tab = |which: Tab, key: Key, tab_id: &'static str| {
        let tab_on = tab_on.clone();
        let active = *tab_on == which;
        html! {
            <button type="button" id={tab_id} role="tab" aria-selected={active.to_string()}
                class={classes!("tab", active.then_some("active"))}
                onclick={Callback::from(move |_| tab_on.set(which))}>{ ui.t(key) }</button>
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
        None if data => ui.t(Key::ActNewDataUpdate).to_owned(),
        None if reading => ui.t(Key::ActNewReadingCorrection).to_owned(),
        None => ui.t(Key::ActNewStorno).to_owned(),
    };
    let body = if *tab_on == Tab::Results {
        lines_table(&ui, &loaded)
    } else if *tab_on == Tab::Specification {
        months_table(&ui, &loaded)
    } else {
        let who = match &act {
            Some(a) => html! {
                <p class="act-account" id="act-account-number">{
                    match (&a.account_number, &a.building) {
                        (Some(n), _) => format!("{} {n} · {}", ui.t(Key::ActAccount), a.address.clone().unwrap_or_default()),
                        (None, Some(b)) => format!("{} {b}", ui.t(Key::BillScopeBuilding)),
                        _ => match (&a.branch, a.all_accounts) {
                            (Some(b), _) => format!("{} {b}", ui.t(Key::ActScopeBranch)),
                            (None, true) => ui.t(Key::ActScopeAll).to_owned(),
                            _ => String::new(),
                        },
                    }
                }</p>
            },
            None if f.by_building() && f.scope == "branch" => html! {
                <label>{ ui.t(Key::ActScopeBranch) }
                    { options("act-branch", "branchId", choices.branches.iter().map(|(i, n)| (i.to_string(), n.clone())).collect(),
                        &f.branch, edit(|f, v| f.branch = v), "") }
                    { field_error(&outcome, "branchId") }
                </label>
            },
            None if f.by_building() && f.scope == "all" => html! {},
            None if f.by_building() && f.scope == "building" => html! {
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
                if f.by_building() && act.is_none() {
                    <label>{ ui.t(Key::BillScope) }
                        <select id="act-scope" onchange={edit(|f, v| f.scope = v)}>
                            <option value="account" selected={f.scope == "account"}>{ ui.t(Key::ActAccount) }</option>
                            <option value="building" selected={f.scope == "building"}>{ ui.t(Key::BillScopeBuilding) }</option>
                            <option value="branch" selected={f.scope == "branch"}>{ ui.t(Key::ActScopeBranch) }</option>
                            <option value="all" selected={f.scope == "all"}>{ ui.t(Key::ActScopeAll) }</option>
                        </select>
                    </label>
                }
                { who }
                if !data && !reading { { service_choice } }
                if reading {
                    <p class="hint">{ ui.t(Key::ActReadingHint) }</p>
                    <label>{ ui.t(Key::ActMeter) }
                        { options("act-meter", "meterId", meters.iter().map(|(i, n)| (i.to_string(), n.clone())).collect(),
                            &f.meter, edit(|f, v| f.meter = v), "") }
                        { field_error(&outcome, "meterId") }
                    </label>
                    <label>{ ui.t(Key::ActReadingPeriod) }<input id="act-reading-period" type="month" aria-required="true" aria-invalid={invalid(&outcome, "readingPeriod")} value={f.reading_period.clone()} oninput={typed(|f, v| f.reading_period = v)} />{ field_error(&outcome, "readingPeriod") }</label>
                    if let Some(was) = act.as_ref().and_then(|a| a.reading_was.clone()).or_else(|| (*stood).clone()) {
                        <p id="act-reading-was" data-current={was.clone()}>{ format!("{}: {was}", ui.t(Key::ActReadingWas)) }</p>
                    }
                    <label>{ ui.t(Key::ActReadingValue) }<input id="act-reading-value" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "readingValue")} value={f.reading_value.clone()} oninput={typed(|f, v| f.reading_value = v)} />{ field_error(&outcome, "readingValue") }</label>
                } else if data {
                    <p class="hint">{ ui.t(Key::ActDataHint) }</p>
                    <label>{ ui.t(Key::ActMonthsFrom) }<input id="act-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "from")} value={f.from.clone()} oninput={typed(|f, v| f.from = v)} />{ field_error(&outcome, "from") }</label>
                    <label>{ ui.t(Key::ActMonthsTo) }<input id="act-to" type="date" aria-required="true" aria-invalid={invalid(&outcome, "to")} value={f.to.clone()} oninput={typed(|f, v| f.to = v)} />{ field_error(&outcome, "to") }</label>
                    <label>{ ui.t(Key::ActBasisDocument) }
                        { options("act-basis", "basisDocument", BASES.iter().map(|b| ((*b).to_owned(), labels::code(&ui, "BasisDocument", b))).collect(),
                            &f.basis, edit(|f, v| f.basis = v), "") }
                        { field_error(&outcome, "basisDocument") }
                    </label>
                    if f.scope == "account" {
                        { rows_editor(&ui, &fields, Rows3::Subsidies, &services, &outcome) }
                        { payments_to_close(&ui, &fields, &closable, &outcome) }
                    } else if f.scope == "building" {
                        { rows_editor(&ui, &fields, Rows3::Tops, &house_meters, &outcome) }
                    }
                } else if recalc {
                    <label>{ ui.t(Key::ActMethod) }
                        { options("act-method", "method", METHODS.iter().map(|m| ((*m).to_owned(), labels::code(&ui, "services_method", m))).collect(),
                            &f.method, edit(|f, v| f.method = v), ui.t(Key::ActAllMethods)) }
                        { field_error(&outcome, "method") }
                    </label>
                    <label>{ ui.t(Key::ActNotProvidedFrom) }<input id="act-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "from")} value={f.from.clone()} oninput={typed(|f, v| f.from = v)} />{ field_error(&outcome, "from") }</label>
                    <label>{ ui.t(Key::ActNotProvidedTo) }<input id="act-to" type="date" aria-required="true" aria-invalid={invalid(&outcome, "to")} value={f.to.clone()} oninput={typed(|f, v| f.to = v)} />{ field_error(&outcome, "to") }</label>
                    <label>{ ui.t(Key::ActBasisDocument) }
                        { options("act-basis", "basisDocument", BASES.iter().map(|b| ((*b).to_owned(), labels::code(&ui, "BasisDocument", b))).collect(),
                            &f.basis, edit(|f, v| f.basis = v), "") }
                        { field_error(&outcome, "basisDocument") }
                    </label>
                } else {
                    <label>{ ui.t(Key::ActStornoAmount) }<input id="act-amount" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "amount")} value={f.amount.clone()} oninput={typed(|f, v| f.amount = v)} />{ field_error(&outcome, "amount") }</label>
                }
                <label>{ ui.t(Key::ActReason) }
                    { options("act-reason", "reasonId", choices.reasons_of(if f.recomputes() { "recalculation" } else { "storno" }, f.service.parse().ok().filter(|_| recalc)).into_iter().map(|(i, n)| (i.to_string(), n)).collect(),
                        &f.reason, edit(|f, v| f.reason = v), "") }
                    { field_error(&outcome, "reasonId") }
                </label>
                if let Some(a) = &act {
                    if a.consumer1.is_some() || a.consumer2.is_some() {
                        <p id="act-consumers">{ format!("{}: {}", ui.t(Key::ActConsumers),
                            [a.consumer1.clone(), a.consumer2.clone()].into_iter().flatten().collect::<Vec<_>>().join("; ")) }</p>
                    }
                } else {
                    <div>
                        <Picker key="consumer1" id="act-consumer1" kind={PickKind::Account} label={ui.t(Key::ActConsumer1)} on_pick={pick(|f, v| f.consumer1 = v)} />
                        { field_error(&outcome, "consumer1AccountId") }
                    </div>
                    <div>
                        <Picker key="consumer2" id="act-consumer2" kind={PickKind::Account} label={ui.t(Key::ActConsumer2)} on_pick={pick(|f, v| f.consumer2 = v)} />
                        { field_error(&outcome, "consumer2AccountId") }
                    </div>
                }
                <label>{ ui.t(Key::ActExecutor) }
                    { options("act-executor", "executorId", choices.employees.iter().map(|(i, n)| (i.to_string(), n.clone())).collect(),
                        &f.executor, edit(|f, v| f.executor = v), "") }
                    { field_error(&outcome, "executorId") }
                </label>
                <label>{ ui.t(Key::ActDate) }<input id="act-date" type="date" aria-invalid={invalid(&outcome, "actDate")} value={f.date.clone()} oninput={typed(|f, v| f.date = v)} />{ field_error(&outcome, "actDate") }</label>
                <label>{ ui.t(Key::ActComment) }<input id="act-comment" value={f.comment.clone()} oninput={typed(|f, v| f.comment = v)} />{ field_error(&outcome, "comment") }</label>
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
            if act.as_ref().is_some_and(|a| a.computing) {
                <p id="act-computing" class="hint" role="status">{ ui.t(Key::ActComputing) }</p>
            }
            <div class="tabs" role="tablist">
                { tab(Tab::Act, Key::ActTabAct, "act-tab-act") }
                if act.is_some() && f.recomputes() { { tab(Tab::Specification, Key::ActTabSpecification, "act-tab-specification") } }
                if act.is_some() { { tab(Tab::Results, Key::ActTabResults, "act-tab-results") } }
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

/// Which of a data update's news rows an editor edits.
#[derive(Clone, Copy, PartialEq)]
enum Rows3 {
    /// Subsidies: service, month, amount (±).
    Subsidies,
    /// House-meter top-ups: meter, month, consumption.
    Tops,
}

impl Rows3 {
    fn of(self, f: &mut Fields) -> &mut Vec<(String, String, String)> {
        match self {
            Self::Subsidies => &mut f.subsidies,
            Self::Tops => &mut f.tops,
        }
    }

    fn rows(self, f: &Fields) -> &[(String, String, String)] {
        match self {
            Self::Subsidies => &f.subsidies,
            Self::Tops => &f.tops,
        }
    }

    /// The API's field of the rows, the editor's id and its words.
    fn words(self) -> (&'static str, &'static str, Key, Key, Key) {
        match self {
            Self::Subsidies => (
                "subsidies",
                "act-subsidies",
                Key::ActSubsidies,
                Key::BillService,
                Key::Amount,
            ),
            Self::Tops => (
                "houseReadings",
                "act-tops",
                Key::ActHouseReadings,
                Key::ActMeter,
                Key::ActConsumption,
            ),
        }
    }
}

/// A data update's news: one row per service (or house meter) and month, added and
/// removed here.
fn rows_editor(
    ui: &Ui,
    fields: &UseReducerHandle<Fields>,
    which: Rows3,
    choices: &[(i64, String)],
    outcome: &UseStateHandle<Outcome>,
) -> Html {
    let (field, id, legend, first, third) = which.words();
    let set = |i: usize, part: fn(&mut (String, String, String), String)| {
        let fields = fields.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            fields.dispatch(Change(Box::new(move |f| {
                if let Some(row) = which.of(f).get_mut(i) {
                    part(row, value);
                }
            })));
        })
    };
    let choose = |i: usize| {
        let fields = fields.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            fields.dispatch(Change(Box::new(move |f| {
                if let Some(row) = which.of(f).get_mut(i) {
                    row.0 = value;
                }
            })));
        })
    };
    let add = {
        let fields = fields.clone();
        Callback::from(move |_: MouseEvent| {
            fields.dispatch(Change(Box::new(move |f| {
                which.of(f).push(Default::default())
            })));
        })
    };
    let remove = |i: usize| {
        let fields = fields.clone();
        Callback::from(move |_: MouseEvent| {
            fields.dispatch(Change(Box::new(move |f| {
                let rows = which.of(f);
                if i < rows.len() {
                    rows.remove(i);
                }
            })));
        })
    };
    html! {
        <fieldset {id} class="rows">
            <legend>{ ui.t(legend) }</legend>
            { for which.rows(fields).iter().enumerate().map(|(i, (pick, period, amount))| html! {
                <div class="inline act-news">
                    <select class="act-news-pick" aria-label={ui.t(first)} onchange={choose(i)}>
                        <option value="" selected={pick.is_empty()}></option>
                        { for choices.iter().map(|(cid, n)| html! { <option value={cid.to_string()} selected={*pick == cid.to_string()}>{ n.clone() }</option> }) }
                    </select>
                    <input class="act-news-period" type="month" aria-label={ui.t(Key::Period)} value={period.clone()} oninput={set(i, |r, v| r.1 = v)} />
                    <input class="act-news-amount" inputmode="decimal" aria-label={ui.t(third)} value={amount.clone()} oninput={set(i, |r, v| r.2 = v)} />
                    <button type="button" class="act-news-remove" onclick={remove(i)}>{ ui.t(Key::ActSubsidyRemove) }</button>
                    { field_error(outcome, &format!("{field}.{i}")) }
                </div>
            }) }
            <button id={format!("{id}-add")} type="button" onclick={add}>{ ui.t(Key::ActSubsidyAdd) }</button>
            { field_error(outcome, field) }
        </fieldset>
    }
}

/// The Specification tab: the closed months recomputed per account and service, each
/// with the issued invoice it corrects.
fn months_table(ui: &Ui, loaded: &Loaded) -> Html {
    let columns = vec![
        Column::new("period", ui.t(Key::Period)),
        Column::new("account", ui.t(Key::ActAccount)),
        Column::new("service", ui.t(Key::BillService)),
        Column::new("was", ui.t(Key::ActMonthWas)).numeric(),
        Column::new("now", ui.t(Key::ActMonthNow)).numeric(),
        Column::new("invoice", ui.t(Key::ActInvoice)),
    ];
    let rows = Rows::from(loaded.clone().map(|r| {
        r.map(|d| {
            d.act_months
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let link = match m.invoice_id {
                        Some(_) => html! {
                            <a class="act-invoice" href={format!("/files/invoices/{}/{}", m.account_id, m.period)} download="">{ "PDF" }</a>
                        },
                        None => html! {},
                    };
                    Row::new(
                        i,
                        vec![
                            Cell::text(m.period.clone()),
                            Cell::text(m.account_number.clone()),
                            Cell::text(m.service.clone()),
                            Cell::number(m.was.clone(), ui.money(&m.was)),
                            Cell::number(m.now.clone(), ui.money(&m.now)),
                            Cell::html(link),
                        ],
                    )
                    .attr("data-period", m.period.clone())
                })
                .collect()
        })
    }));
    html! { <DataTable id="act-months-table" {columns} {rows} page_size={0} /> }
}

/// A data update's payments of closed months, each with a box to close it.
fn payments_to_close(
    ui: &Ui,
    fields: &UseReducerHandle<Fields>,
    closable: &[(i64, String)],
    outcome: &Outcome,
) -> Html {
    let toggle = |id: i64| {
        let fields = fields.clone();
        Callback::from(move |_: Event| {
            fields.dispatch(Change(Box::new(move |f| {
                if let Some(i) = f.closed.iter().position(|c| *c == id) {
                    f.closed.remove(i);
                } else {
                    f.closed.push(id);
                }
            })));
        })
    };
    html! {
        <fieldset id="act-payments" aria-invalid={invalid(outcome, "cancelPayments")}>
            <legend>{ ui.t(Key::ActClosePayments) }</legend>
            if closable.is_empty() {
                <p class="hint">{ ui.t(Key::ActNoClosablePayments) }</p>
            }
            { for closable.iter().map(|(id, label)| html! {
                <label class="inline">
                    <input type="checkbox" class="act-payment" data-payment={id.to_string()}
                        checked={fields.closed.contains(id)} onchange={toggle(*id)} />
                    { label.clone() }
                </label>
            }) }
            { field_error(outcome, "cancelPayments") }
        </fieldset>
    }
}
