//! The penalty statement on the Reports screen: of an account (its real debts and
//! payments) and/or of debts and payments typed in (the calculator for court cases), by
//! the tenant's rules unless the form overrides them — the rule, the day of calculation,
//! the due day, the rate mode, the free days, a rate table and a cap. The result is the
//! table of intervals a court checks line by line, and its total.

use std::rc::Rc;

use yew::prelude::*;

use crate::acts::parse;
use crate::shared::api::{self, PenaltyStatement, penalty_statement as ps, request_list_export};
use crate::shared::export::{ExportFormat, ExportXlsx, ListKind};
use crate::shared::form::{Outcome, field_error, form_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::picker::{PickKind, Picker};
use crate::shell::Ui;

const FIELDS: [&str; 8] = [
    "accountId",
    "debts",
    "payments",
    "rates",
    "rateCap",
    "dueDay",
    "graceDays",
    "asOf",
];
const RULES: [&str; 4] = ["UKRAINE", "RUSSIA", "KAZAKHSTAN", "BULGARIA"];
const MODES: [&str; 3] = ["DAILY", "PAYMENT_DAY", "CALCULATION_DAY"];

#[derive(Clone, PartialEq, Default)]
pub(crate) struct Form {
    account: Option<i64>,
    rule: String,
    as_of: String,
    due_day: String,
    mode: String,
    grace: String,
    /// (period, amount)
    debts: Vec<(String, String)>,
    /// (date, amount, period)
    payments: Vec<(String, String, String)>,
    /// (from, percent)
    rates: Vec<(String, String)>,
    cap: (String, String, String),
}

/// A change of the form applied to its latest state (two events of one tick both land).
pub(crate) struct Change(Box<dyn FnOnce(&mut Form)>);

impl Reducible for Form {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut next = (*self).clone();
        (change.0)(&mut next);
        Rc::new(next)
    }
}

fn opt(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// The statement's input of the form, in the types of one generated operation (the
/// statement's query and the export's mutation each have their own).
macro_rules! input_of {
    ($m:ident, $f:expr) => {{
        let f: &Form = $f;
        let (cf, ct, cp) = &f.cap;
        $m::PenaltyStatementInput {
            account_id: f.account,
            debts: f
                .debts
                .iter()
                .map(|(period, amount)| $m::PenaltyDebtInput {
                    period: period.clone(),
                    amount: amount.clone(),
                })
                .collect(),
            payments: f
                .payments
                .iter()
                .map(|(date, amount, period)| $m::PenaltyPaymentInput {
                    date: date.clone(),
                    amount: amount.clone(),
                    period: opt(period),
                })
                .collect(),
            // The generated enums take any text (`Other`): an empty choice is none.
            rule: opt(&f.rule).and_then(|r| parse(&r)),
            as_of: opt(&f.as_of),
            due_day: f.due_day.trim().parse().ok(),
            rates: (!f.rates.is_empty()).then(|| {
                f.rates
                    .iter()
                    .map(|(from, percent)| $m::PenaltyRateInput {
                        from: from.clone(),
                        percent: percent.clone(),
                    })
                    .collect()
            }),
            rate_mode: opt(&f.mode).and_then(|m| parse(&m)),
            rate_cap: (!cp.trim().is_empty()).then(|| $m::PenaltyCapInput {
                from: cf.clone(),
                to: ct.clone(),
                percent: cp.clone(),
            }),
            grace_days: f.grace.trim().parse().ok(),
            moratoria: None,
        }
    }};
}

fn input_of(f: &Form) -> ps::PenaltyStatementInput {
    input_of!(ps, f)
}

/// The same input for the statement's files (XLSX, PDF).
fn export_input_of(f: &Form) -> request_list_export::PenaltyStatementInput {
    input_of!(request_list_export, f)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// On the account card: the account's statement (no account picker).
    #[prop_or_default]
    pub account: Option<i64>,
}

#[function_component(PenaltyStatementForm)]
pub fn penalty_statement_form(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let fixed = props.account;
    let form = use_reducer_eq(move || Form {
        account: fixed,
        ..Form::default()
    });
    let outcome = use_state(|| None as Outcome);
    // The statement shown and the form it was made of (its files are made of the same).
    let result = use_state(|| None as Option<(ps::PenaltyStatementPenaltyStatement, Form)>);
    let set = |apply: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            form.dispatch(Change(Box::new(move |f| apply(f, v))));
        })
    };
    let choose = |apply: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            form.dispatch(Change(Box::new(move |f| apply(f, v))));
        })
    };
    let row_edit = |apply: fn(&mut Form, usize, String), i: usize| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            form.dispatch(Change(Box::new(move |f| apply(f, i, v))));
        })
    };
    let act = |apply: Rc<dyn Fn(&mut Form)>| {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            let apply = apply.clone();
            form.dispatch(Change(Box::new(move |f| apply(f))));
        })
    };
    let pick = {
        let form = form.clone();
        Callback::from(move |v: Option<i64>| {
            form.dispatch(Change(Box::new(move |f| f.account = v)));
        })
    };
    let compute = {
        let (form, outcome, result) = (form.clone(), outcome.clone(), result.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let snapshot = (*form).clone();
            let input = input_of(&snapshot);
            let (outcome, result) = (outcome.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<PenaltyStatement>(ps::Variables { input }).await {
                    Ok(d) => {
                        outcome.set(None);
                        result.set(Some((d.penalty_statement, snapshot)));
                    }
                    Err(e) => {
                        result.set(None);
                        outcome.set(Some(Err(e)));
                    }
                }
            });
        })
    };
    let f = (*form).clone();
    let options = |list: &[&str], enum_name: &str, value: &str| {
        html! {
            <>
            <option value="" selected={value.is_empty()}>{ ui.t(Key::PenaltyTenantDefault) }</option>
            { for list.iter().map(|v| html! { <option value={v.to_string()} selected={value == *v}>{ labels::code(&ui, enum_name, v) }</option> }) }
            </>
        }
    };
    let debts = html! {
        <fieldset id="penalty-debts" aria-invalid={invalid(&outcome, "debts")}>
            <legend>{ ui.t(Key::PenaltyDebts) }</legend>
            { for f.debts.iter().enumerate().map(|(i, (period, amount))| html! {
                <div class="inline penalty-row">
                    <input class="penalty-debt-period" type="month" aria-label={ui.t(Key::Period)} value={period.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.debts.get_mut(i) { r.0 = v }, i)} />
                    <input class="penalty-debt-amount" inputmode="decimal" aria-label={ui.t(Key::PenaltyAmount)} aria-invalid={invalid(&outcome, &format!("debts.{i}"))} value={amount.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.debts.get_mut(i) { r.1 = v }, i)} />
                    <button type="button" class="penalty-remove" onclick={act(Rc::new(move |f: &mut Form| { if i < f.debts.len() { f.debts.remove(i); } }))}>{ ui.t(Key::ActSubsidyRemove) }</button>
                </div>
            }) }
            <button id="penalty-debts-add" type="button" onclick={act(Rc::new(|f: &mut Form| f.debts.push(Default::default())))}>{ ui.t(Key::PenaltyAddDebt) }</button>
            { field_error(&outcome, "debts") }
        </fieldset>
    };
    let payments = html! {
        <fieldset id="penalty-payments" aria-invalid={invalid(&outcome, "payments")}>
            <legend>{ ui.t(Key::PenaltyPayments) }</legend>
            { for f.payments.iter().enumerate().map(|(i, (date, amount, period))| html! {
                <div class="inline penalty-row">
                    <input class="penalty-payment-date" type="date" aria-label={ui.t(Key::PenaltyPaymentDate)} value={date.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.payments.get_mut(i) { r.0 = v }, i)} />
                    <input class="penalty-payment-amount" inputmode="decimal" aria-label={ui.t(Key::PenaltyAmount)} aria-invalid={invalid(&outcome, &format!("payments.{i}"))} value={amount.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.payments.get_mut(i) { r.1 = v }, i)} />
                    <input class="penalty-payment-period" type="month" aria-label={ui.t(Key::PenaltyPaysPeriod)} value={period.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.payments.get_mut(i) { r.2 = v }, i)} />
                    <button type="button" class="penalty-remove" onclick={act(Rc::new(move |f: &mut Form| { if i < f.payments.len() { f.payments.remove(i); } }))}>{ ui.t(Key::ActSubsidyRemove) }</button>
                </div>
            }) }
            <button id="penalty-payments-add" type="button" onclick={act(Rc::new(|f: &mut Form| f.payments.push(Default::default())))}>{ ui.t(Key::PenaltyAddPayment) }</button>
            { field_error(&outcome, "payments") }
        </fieldset>
    };
    let rates = html! {
        <fieldset id="penalty-rates" aria-invalid={invalid(&outcome, "rates")}>
            <legend>{ ui.t(Key::PenaltyRates) }</legend>
            if f.rates.is_empty() { <p class="hint">{ ui.t(Key::PenaltyRatesHint) }</p> }
            { for f.rates.iter().enumerate().map(|(i, (from, percent))| html! {
                <div class="inline penalty-row">
                    <input class="penalty-rate-from" type="date" aria-label={ui.t(Key::FromDate)} value={from.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.rates.get_mut(i) { r.0 = v }, i)} />
                    <input class="penalty-rate-percent" inputmode="decimal" aria-label={ui.t(Key::PenaltyRate)} aria-invalid={invalid(&outcome, &format!("rates.{i}"))} value={percent.clone()} oninput={row_edit(|f, i, v| if let Some(r) = f.rates.get_mut(i) { r.1 = v }, i)} />
                    <button type="button" class="penalty-remove" onclick={act(Rc::new(move |f: &mut Form| { if i < f.rates.len() { f.rates.remove(i); } }))}>{ ui.t(Key::ActSubsidyRemove) }</button>
                </div>
            }) }
            <button id="penalty-rates-add" type="button" onclick={act(Rc::new(|f: &mut Form| f.rates.push(Default::default())))}>{ ui.t(Key::PenaltyAddRate) }</button>
            { field_error(&outcome, "rates") }
        </fieldset>
    };
    let table = match &*result {
        Some((s, made_of)) => html! {
            <>
            <div class="toolbar" id="penalty-files">
                <ExportXlsx list={ListKind::PENALTY_STATEMENT} penalty={Some(export_input_of(made_of))} />
                <ExportXlsx list={ListKind::PENALTY_STATEMENT} penalty={Some(export_input_of(made_of))} format={ExportFormat::PDF} />
            </div>
            <p id="penalty-rules" class="hint">{ format!("{} · {} · {} {} · {} {}",
                labels::api_enum(&ui, "PenaltyStatementRule", &s.rule),
                labels::api_enum(&ui, "PenaltyRateMode", &s.rate_mode),
                ui.t(Key::PenaltyDueDay), s.due_day, ui.t(Key::PenaltyGraceDays), s.grace_days) }</p>
            <div class="scroll-x">
            <table id="penalty-table" class="grid data-table">
                <thead><tr>
                    <th>{ ui.t(Key::Period) }</th><th>{ ui.t(Key::FromDate) }</th><th>{ ui.t(Key::ToDate) }</th>
                    <th>{ ui.t(Key::PenaltyDays) }</th><th>{ ui.t(Key::PenaltyDebt) }</th><th>{ ui.t(Key::PenaltyRate) }</th>
                    <th>{ ui.t(Key::PenaltyFraction) }</th><th>{ ui.t(Key::PenaltyAmount) }</th>
                </tr></thead>
                <tbody>{ for s.rows.iter().map(|r| html! {
                    <tr data-amount={r.amount.clone()}>
                        <td>{ r.period.clone() }</td><td>{ r.from.clone() }</td><td>{ r.to.clone() }</td>
                        <td class="num">{ r.days }</td><td class="num">{ ui.amount(&r.debt) }</td><td class="num">{ format!("{} %", r.rate) }</td>
                        <td class="num">{ r.fraction.clone() }</td><td class="num">{ ui.amount(&r.amount) }</td>
                    </tr>
                }) }</tbody>
                <tfoot><tr><td colspan="7">{ ui.t(Key::PenaltyTotal) }</td><td id="penalty-total" class="num" data-total={s.total.clone()}>{ ui.money(&s.total) }</td></tr></tfoot>
            </table>
            </div>
            </>
        },
        None => html! {},
    };
    html! {
        <section id={if fixed.is_some() { "account-penalty" } else { "penalty-statement" }} class="card penalty-statement">
            <h3>{ ui.t(Key::PenaltyTitle) }</h3>
            <p class="hint">{ ui.t(Key::PenaltyHint) }</p>
            <form id="penalty-form" class="grid" onsubmit={compute}>
                if fixed.is_none() {
                    <Picker id="penalty-account" kind={PickKind::Account} label={ui.t(Key::ActAccount)} on_pick={pick} />
                }
                <label>{ ui.t(Key::PenaltyRule) }<select id="penalty-rule" onchange={choose(|f, v| f.rule = v)}>{ options(&RULES, "PenaltyStatementRule", &f.rule) }</select></label>
                <label>{ ui.t(Key::PenaltyAsOf) }<input id="penalty-as-of" type="date" value={f.as_of.clone()} aria-invalid={invalid(&outcome, "asOf")} oninput={set(|f, v| f.as_of = v)} />{ field_error(&outcome, "asOf") }</label>
                <label>{ ui.t(Key::PenaltyDueDay) }<input id="penalty-due-day" inputmode="numeric" value={f.due_day.clone()} aria-invalid={invalid(&outcome, "dueDay")} oninput={set(|f, v| f.due_day = v)} />{ field_error(&outcome, "dueDay") }</label>
                <label>{ ui.t(Key::PenaltyRateMode) }<select id="penalty-rate-mode" onchange={choose(|f, v| f.mode = v)}>{ options(&MODES, "PenaltyRateMode", &f.mode) }</select></label>
                <label>{ ui.t(Key::PenaltyGraceDays) }<input id="penalty-grace" inputmode="numeric" value={f.grace.clone()} aria-invalid={invalid(&outcome, "graceDays")} oninput={set(|f, v| f.grace = v)} />{ field_error(&outcome, "graceDays") }</label>
                { debts }
                { payments }
                { rates }
                <fieldset id="penalty-cap" aria-invalid={invalid(&outcome, "rateCap")}>
                    <legend>{ ui.t(Key::PenaltyCap) }</legend>
                    <div class="inline penalty-row">
                        <input id="penalty-cap-from" type="date" aria-label={ui.t(Key::FromDate)} value={f.cap.0.clone()} oninput={set(|f, v| f.cap.0 = v)} />
                        <input id="penalty-cap-to" type="date" aria-label={ui.t(Key::ToDate)} value={f.cap.1.clone()} oninput={set(|f, v| f.cap.1 = v)} />
                        <input id="penalty-cap-percent" inputmode="decimal" aria-label={ui.t(Key::PenaltyRate)} value={f.cap.2.clone()} oninput={set(|f, v| f.cap.2 = v)} />
                    </div>
                    { field_error(&outcome, "rateCap") }
                </fieldset>
                <div class="inline actions"><button id="penalty-compute" type="submit">{ ui.t(Key::PenaltyCompute) }</button></div>
            </form>
            { form_error(&outcome, Some("penalty-error"), &FIELDS) }
            { table }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_without_a_percent_and_empty_rates_are_left_to_the_tenant() {
        let f = Form {
            debts: vec![("2024-01".into(), "100".into())],
            cap: ("2022-02-28".into(), "".into(), " ".into()),
            ..Form::default()
        };
        let input = input_of(&f);
        assert!(input.rate_cap.is_none() && input.rates.is_none() && input.rule.is_none());
        assert_eq!(input.debts.len(), 1);
        assert_eq!(input.debts[0].period, "2024-01");
    }
}
