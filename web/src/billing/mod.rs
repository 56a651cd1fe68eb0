//! Billing screens: the periods with calculating (a worker job with live progress:
//! percent, accounts done, invoices, errors; seed 000 Fig. 20–21), closing with its
//! options and reopening; the closing summary that reconciles, with a chart of charges by
//! service; and on the account card the billing table (seed 000 Fig. 9) with a chart of
//! charged and paid over time, an invoice's lines and the "why this amount" steps.

pub mod history;
pub mod selection;
mod simulation;
pub mod statement;

use gloo_timers::future::TimeoutFuture;
use serde_json::Value;
use std::collections::HashMap;

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::error_text;
use crate::documents::scope::{DocScope, scope_kind};
use crate::shared::api::{
    self, AccountInvoices, BillingJob, BillingPeriods, CalculatePeriod, CloseBillingPeriod,
    ClosingSummary, FormInvoice, InvoiceLines, ReopenPeriod, SimulatePeriod, account_invoices,
    billing_job, billing_periods, calculate_period, close_billing_period, closing_summary,
    form_invoice, invoice_lines, reopen_period, simulate_period,
};
use crate::shared::confirm::confirm;
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::i18n::Key;
use crate::shared::picker::{PickKind, Picker};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shared::toast::{Toaster, use_toaster};
use crate::shell::{Ui, use_can};

/// "2026-11-01" → "2026-11".
fn month(d: &str) -> String {
    d.get(..7).unwrap_or(d).to_owned()
}

/// A decimal string as a number for drawing only (amounts are shown as sent).
fn num(s: &str) -> f64 {
    s.parse().unwrap_or(0.0)
}

/// One explanation step in the user's language: the kind's template filled with the
/// step's values (`{0}`… the arguments, `{v}` the result).
pub fn step_text(ui: &Ui, step: &Value, serials: &HashMap<i64, String>) -> String {
    let kind = step["kind"].as_str().unwrap_or_default();
    let key = match kind {
        "meter_reading" => Key::StepMeterReading,
        "monthly_average" => Key::StepMonthlyAverage,
        "daily_average" => Key::StepDailyAverage,
        "zero_takes_previous" => Key::StepZeroTakesPrevious,
        "residents" => Key::StepResidents,
        "norm_by_persons" => Key::StepNormByPersons,
        "norm_by_area" => Key::StepNormByArea,
        "area" => Key::StepArea,
        "days" => Key::StepDays,
        "fixed" => Key::StepFixed,
        "common_share" => Key::StepCommonShare,
        "common_limit" => Key::StepCommonLimit,
        "floor_coefficient" => Key::StepFloorCoefficient,
        "tariff" => Key::StepTariff,
        "charge" => Key::StepCharge,
        "benefit_quantity" => Key::StepBenefitQuantity,
        "benefit" => Key::StepBenefit,
        "benefit_skipped_for_subsidy" => Key::StepBenefitSkipped,
        "subsidy" => Key::StepSubsidy,
        "penalty_interval" => Key::StepPenalty,
        "penalty_under_agreement" => Key::StepPenaltyUnderAgreement,
        "late_tariff" => Key::StepLateTariff,
        "closing" => Key::StepClosing,
        "act" => Key::StepAct,
        "not_provided" => Key::StepNotProvided,
        "recalculated_month" => Key::StepRecalculatedMonth,
        "corrected_month" => Key::StepCorrectedMonth,
        "updated_month" => Key::StepUpdatedMonth,
        "payment_closed" => Key::StepPaymentClosed,
        "storno" => Key::StepStorno,
        "storno_share" => Key::StepStornoShare,
        "correction" => Key::StepCorrection,
        "fine" => Key::StepFine,
        other => return other.to_owned(),
    };
    let mut text = ui.t(key).to_owned();
    let val = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    // A meter step names its meter by id; the reader knows it by its serial number.
    let names_meter = matches!(kind, "meter_reading" | "monthly_average" | "daily_average");
    if let Some(args) = step["args"].as_array() {
        for (i, a) in args.iter().enumerate().rev() {
            let shown = val(a);
            let shown = match (i, names_meter) {
                (0, true) => shown
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| serials.get(&id).cloned())
                    .unwrap_or(shown),
                _ => shown,
            };
            text = text.replace(&format!("{{{i}}}"), &shown);
        }
    }
    text.replace("{v}", &val(&step["value"]))
}

#[derive(Clone, PartialEq)]
pub(crate) enum JobView {
    Idle,
    Running(i64, Value),
    Done(Value),
    Failed(String),
}

/// Polls a job until it ends, showing its progress and figures so far.
pub(crate) async fn follow(
    id: String,
    state: UseStateHandle<JobView>,
    toaster: Toaster,
    done: &'static str,
) {
    loop {
        TimeoutFuture::new(600).await;
        match api::call::<BillingJob>(billing_job::Variables { id: id.clone() }).await {
            Ok(d) => match d.job.state {
                billing_job::JobState::DONE => {
                    let mut result = d.job.result.unwrap_or_default();
                    // Its protocol file, when it wrote one, is downloaded by the job's id.
                    let href = result["fileName"]
                        .is_string()
                        .then(|| format!("/files/jobs/{id}"));
                    if let Some(href) = &href {
                        result["protocolHref"] = Value::from(href.clone());
                    }
                    toaster.done(done, href);
                    return state.set(JobView::Done(result));
                }
                billing_job::JobState::FAILED => {
                    let error = d.job.error.unwrap_or_default();
                    toaster.failed(&error);
                    return state.set(JobView::Failed(error));
                }
                _ => state.set(JobView::Running(
                    d.job.progress,
                    d.job.result.unwrap_or_default(),
                )),
            },
            Err(e) => return state.set(JobView::Failed(error_text(&e))),
        }
    }
}

/// The figures of a calculation: accounts, invoices, errors and warnings (the first ones
/// listed, all of them in the protocol file).
fn figures(ui: &Ui, r: &Value) -> Html {
    let href = r["protocolHref"].as_str().map(str::to_owned);
    let r = if r["closingRun"].is_object() || r["nextRun"].is_object() {
        if r["nextRun"].is_object() {
            &r["nextRun"]
        } else {
            &r["closingRun"]
        }
    } else {
        r
    };
    let n = |k: &str| r[k].as_u64().unwrap_or(0);
    let errors = r["errors"].as_array().cloned().unwrap_or_default();
    let warnings = r["warnings"].as_array().cloned().unwrap_or_default();
    let columns = || {
        vec![
            Column::new("account", ui.t(Key::ColAccount)).sortable(),
            Column::new("reason", ui.t(Key::Reason)).sortable(),
        ]
    };
    let rows = |list: &[Value]| {
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, e)| {
                Row::new(
                    i,
                    vec![
                        Cell::text(e["number"].as_str().unwrap_or_default()),
                        Cell::text(e["reason"].as_str().unwrap_or_default()),
                    ],
                )
            })
            .collect();
        Rows::Ready(rows)
    };
    html! {
        <>
        <p class="job-figures">{ format!("{}: {} · {}: {} · {}: {} · {}: {}", ui.t(Key::BillAccountsDone), n("accounts"),
            ui.t(Key::BillInvoices), n("invoices"), ui.t(Key::BillErrors), n("errorCount"),
            ui.t(Key::BillWarnings), n("warningCount")) }
            if let Some(h) = href { { " · " }<a class="download" id="calc-protocol" href={h} download="">{ ui.t(Key::Protocol) }</a> }
        </p>
        if !errors.is_empty() {
            <DataTable id="calc-errors" caption={ui.t(Key::BillErrors)} columns={columns()} rows={rows(&errors)} />
        }
        if !warnings.is_empty() {
            <DataTable id="calc-warnings" class={classes!("warnings")} caption={ui.t(Key::BillWarnings)} columns={columns()} rows={rows(&warnings)} />
        }
        </>
    }
}

pub(crate) fn job_panel(ui: &Ui, id: &str, job: &JobView) -> Html {
    match job {
        JobView::Idle => html! {},
        JobView::Running(p, so_far) => html! {
            <div id={format!("{id}-progress")} class="job running">
                <progress max="100" value={p.to_string()}></progress>{ format!(" {p}%") }
                { figures(ui, so_far) }
            </div>
        },
        JobView::Done(r) => {
            html! { <div id={format!("{id}-done")} class="job done" role="status">{ figures(ui, r) }</div> }
        }
        JobView::Failed(e) => {
            html! { <p id={format!("{id}-error")} class="error" role="alert">{ e }</p> }
        }
    }
}

/// The Billing section: the month's operations — periods, calculating, closing, reopening,
/// the summary, the period's invoice PDFs, XML and mailing. What invoices print and how
/// they are mailed is configured under Settings.
#[function_component(BillingSection)]
pub fn billing_section() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    // Calculating and forming invoices create them; closing and reopening a period are
    // the invoices' delete right (seed 001's matrix).
    let (may_calculate, may_close) = (can.allows("invoices.create"), can.allows("invoices.delete"));
    let periods =
        use_state(|| None::<Result<Vec<billing_periods::BillingPeriodsBillingPeriods>, String>>);
    let version = use_state(|| 0u32);
    let calc = use_state(|| JobView::Idle);
    let closing = use_state(|| JobView::Idle);
    let sim = use_state(|| JobView::Idle);
    let scope = use_state(|| "TENANT".to_owned());
    let scope_id = use_state(|| None::<i64>);
    let (missing, reform, next) = (use_state(|| true), use_state(|| false), use_state(|| false));
    let message = use_state(|| None::<String>);
    let chosen = use_state(|| None::<String>);
    {
        let periods = periods.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                periods.set(Some(
                    api::run::<BillingPeriods>(billing_periods::Variables {})
                        .await
                        .map(|d| d.billing_periods),
                ));
            });
        });
    }
    let list = match &*periods {
        Some(Ok(l)) => l.clone(),
        _ => Vec::new(),
    };
    let earliest_open = list
        .iter()
        .filter(|p| p.state == "open")
        .map(|p| month(&p.month))
        .min();
    let working = list
        .iter()
        .filter(|p| p.state == "open")
        .map(|p| month(&p.month))
        .max();
    let shown = (*chosen).clone().or(working.clone());
    let reload = {
        let version = version.clone();
        move || version.set(*version + 1)
    };
    let toaster = use_toaster();
    let pick_scope = {
        let scope_id = scope_id.clone();
        Callback::from(move |id: Option<i64>| scope_id.set(id))
    };
    let start_calc = {
        let toaster = toaster.clone();
        let (calc, scope, scope_id, reload) = (
            calc.clone(),
            scope.clone(),
            scope_id.clone(),
            reload.clone(),
        );
        Callback::from(move |_| {
            let Some(chosen) = DocScope::chosen(&scope, *scope_id) else {
                return;
            };
            let (kind, id, account_ids) = chosen.parts();
            let (calc, reload, toaster) = (calc.clone(), reload.clone(), toaster.clone());
            let calculated = ui.t(Key::ToastCalculated);
            calc.set(JobView::Running(0, Value::Null));
            wasm_bindgen_futures::spawn_local(async move {
                let vars = calculate_period::Variables {
                    input: calculate_period::CalculationInput {
                        scope: scope_kind!(calculate_period, kind),
                        id,
                        account_ids,
                        period: None,
                    },
                };
                match api::call::<CalculatePeriod>(vars).await {
                    Ok(d) => {
                        follow(d.calculate_period.id, calc, toaster, calculated).await;
                        reload();
                    }
                    Err(e) => calc.set(JobView::Failed(error_text(&e))),
                }
            });
        })
    };
    let start_sim = {
        let toaster = toaster.clone();
        let (sim, scope, scope_id) = (sim.clone(), scope.clone(), scope_id.clone());
        Callback::from(move |_| {
            let Some(chosen) = DocScope::chosen(&scope, *scope_id) else {
                return;
            };
            let (kind, id, account_ids) = chosen.parts();
            let (sim, toaster) = (sim.clone(), toaster.clone());
            let simulated = ui.t(Key::ToastSimulated);
            sim.set(JobView::Running(0, Value::Null));
            wasm_bindgen_futures::spawn_local(async move {
                let vars = simulate_period::Variables {
                    input: simulate_period::CalculationInput {
                        scope: scope_kind!(simulate_period, kind),
                        id,
                        account_ids,
                        period: None,
                    },
                };
                match api::call::<SimulatePeriod>(vars).await {
                    Ok(d) => follow(d.simulate_period.id, sim, toaster, simulated).await,
                    Err(e) => sim.set(JobView::Failed(error_text(&e))),
                }
            });
        })
    };
    let start_close = {
        let (closing, reload) = (closing.clone(), reload.clone());
        let (missing, reform, next, period) = (
            missing.clone(),
            reform.clone(),
            next.clone(),
            earliest_open.clone(),
        );
        Callback::from(move |_| {
            let Some(period) = period.clone() else { return };
            if !confirm(&ui, Key::ConfirmClose) {
                return;
            }
            let (closing, reload, toaster) = (closing.clone(), reload.clone(), toaster.clone());
            let closed = ui.t(Key::ToastClosed);
            let input = close_billing_period::CloseInput {
                period,
                form_missing: *missing,
                reform_all: *reform,
                form_next: *next,
            };
            closing.set(JobView::Running(0, Value::Null));
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CloseBillingPeriod>(close_billing_period::Variables { input })
                    .await
                {
                    Ok(d) => {
                        follow(d.close_period.id, closing, toaster, closed).await;
                        reload();
                    }
                    Err(e) => closing.set(JobView::Failed(error_text(&e))),
                }
            });
        })
    };
    let reopen = |p: String| {
        let (message, reload) = (message.clone(), reload.clone());
        Callback::from(move |_| {
            if !confirm(&ui, Key::ConfirmReopen) {
                return;
            }
            let (message, reload, period) = (message.clone(), reload.clone(), p.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<ReopenPeriod>(reopen_period::Variables { period }).await {
                    Ok(d) => {
                        message.set(Some(format!(
                            "{}: {}",
                            d.reopen_period.months.join(", "),
                            d.reopen_period.warning
                        )));
                        reload();
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let toggle = |s: &UseStateHandle<bool>| {
        let s = s.clone();
        Callback::from(move |_| s.set(!*s))
    };
    let rows = list
        .iter()
        .map(|p| {
            let m = month(&p.month);
            let open = p.state == "open";
            let show = {
                let (chosen, m) = (chosen.clone(), m.clone());
                Callback::from(move |()| chosen.set(Some(m.clone())))
            };
            let reopen_button = if !open && may_close {
                html! { <button class="reopen" onclick={reopen(m.clone())}>{ ui.t(Key::BillReopen) }</button> }
            } else {
                html! {}
            };
            Row::new(
                &m,
                vec![
                    Cell::text(m.clone()),
                    Cell::text(ui.t(if open { Key::BillStateOpen } else { Key::BillStateClosed }))
                        .class("period-state"),
                    Cell::count(p.invoices),
                    Cell::text(p.closed_by.clone().unwrap_or_default()),
                    Cell::html(reopen_button).class("actions"),
                ],
            )
            .attr("id", format!("period-{m}"))
            .class(classes!((Some(&m) == shown.as_ref()).then_some("selected")))
            .on_open(show)
        })
        .collect::<Vec<_>>();
    let chosen_scope = DocScope::chosen(&scope, *scope_id);
    let period_columns = vec![
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("state", ui.t(Key::Status)).sortable(),
        Column::new("invoices", ui.t(Key::BillInvoices))
            .numeric()
            .sortable(),
        Column::new("closed-by", ui.t(Key::BillClosedBy)).sortable(),
        Column::new("actions", ""),
    ];
    html! {
        <section id="billing" class="billing">
            <MenuDashboard menu={DashboardMenu::BILLING} />
            <h2>{ ui.t(Key::MenuBilling) }</h2>
            if let Some(Err(e)) = &*periods { <p class="error">{ e }</p> }
            <h3>{ ui.t(Key::BillPeriods) }</h3>
            <DataTable id="periods" columns={period_columns} rows={Rows::Ready(rows)} />
            if let Some(m) = &*message { <p id="reopen-message" class="warning" role="status">{ m }</p> }
            if may_calculate {
            <div id="calculate" class="card">
                <h3>{ format!("{} {}", ui.t(Key::BillCalculate), working.clone().unwrap_or_default()) }</h3>
                <div class="inline">
                    <label>{ ui.t(Key::BillScope) }
                        <select id="calc-scope" onchange={ let (s, id) = (scope.clone(), scope_id.clone()); Callback::from(move |e: Event| { id.set(None); s.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()) }) }>
                            <option value="TENANT" selected={*scope == "TENANT"}>{ ui.t(Key::BillScopeTenant) }</option>
                            <option value="BRANCH" selected={*scope == "BRANCH"}>{ ui.t(Key::BillScopeBranch) }</option>
                            <option value="BUILDING" selected={*scope == "BUILDING"}>{ ui.t(Key::BillScopeBuilding) }</option>
                        </select>
                    </label>
                    if *scope == "BRANCH" {
                        <Picker id="calc-scope-branch" kind={PickKind::Branch} label={ui.t(Key::BillScopeBranch)} on_pick={pick_scope.clone()} />
                    }
                    if *scope == "BUILDING" {
                        <Picker id="calc-scope-building" kind={PickKind::Building} label={ui.t(Key::BillScopeBuilding)} on_pick={pick_scope.clone()} />
                    }
                    <button id="calc-start" type="button" onclick={start_calc} disabled={matches!(*calc, JobView::Running(..)) || (*scope != "TENANT" && scope_id.is_none())}>{ ui.t(Key::BillCalculate) }</button>
                    <button id="sim-start" type="button" title={ui.t(Key::SimHint)} onclick={start_sim} disabled={matches!(*sim, JobView::Running(..)) || (*scope != "TENANT" && scope_id.is_none())}>{ ui.t(Key::SimSimulate) }</button>
                </div>
                { job_panel(&ui, "calc", &calc) }
                { simulation::panel(&ui, &sim) }
            </div>
            }
            if let (Some(p), true) = (earliest_open.clone(), may_close) {
                <div id="close-period" class="card">
                    <h3>{ format!("{} {p}", ui.t(Key::BillClose)) }</h3>
                    <label class="check"><input id="close-missing" type="checkbox" checked={*missing} onchange={toggle(&missing)} />{ ui.t(Key::BillFormMissing) }</label>
                    <label class="check"><input id="close-reform" type="checkbox" checked={*reform} onchange={toggle(&reform)} />{ ui.t(Key::BillReformAll) }</label>
                    <label class="check"><input id="close-next" type="checkbox" checked={*next} onchange={toggle(&next)} />{ ui.t(Key::BillFormNext) }</label>
                    <button id="close-start" type="button" onclick={start_close} disabled={matches!(*closing, JobView::Running(..))}>{ ui.t(Key::BillClose) }</button>
                    { job_panel(&ui, "close", &closing) }
                </div>
            }
            <div id="invoice-documents" class="card">
                if may_calculate {
                    // The calculation's scope chooser applies to the print run too.
                    <crate::documents::invoice_pdf::RenderPdf scope={chosen_scope.clone().unwrap_or_default()} disabled={chosen_scope.is_none()} />
                }
                if let Some(p) = shown.clone() { <crate::documents::invoice_pdf::ExportXml period={p} /> }
            </div>
            if let Some(p) = shown.clone() { <crate::documents::mail_settings::MailInvoicesCard period={p} scope={chosen_scope.clone()} /> }
            if let Some(p) = shown {
                <SummaryView period={p} version={*version} />
            }
        </section>
    }
}

/// How a column of the money tables shows: a text, a figure always shown, or a figure the
/// user may hide (the identifying column and the figures a reader looks for first stay).
#[derive(Clone, Copy)]
enum Col {
    Text,
    Figure,
    Extra,
}

/// The sortable columns of a money table (closing summary, invoices, invoice lines).
fn money_columns(ui: &Ui, spec: &[(&'static str, Key, Col)]) -> Vec<Column> {
    spec.iter()
        .map(|(id, key, col)| {
            let c = Column::new(id, ui.t(*key)).sortable();
            match col {
                Col::Text => c,
                Col::Figure => c.numeric(),
                Col::Extra => c.numeric().optional(),
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct SummaryProps {
    period: String,
    version: u32,
}

#[function_component(SummaryView)]
fn summary_view(props: &SummaryProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<closing_summary::ClosingSummaryClosingSummary, String>>);
    {
        let data = data.clone();
        use_effect_with((props.period.clone(), props.version), move |(period, _)| {
            let period = period.clone();
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<ClosingSummary>(closing_summary::Variables { period })
                        .await
                        .map(|d| d.closing_summary),
                ));
            });
        });
    }
    let Some(Ok(s)) = &*data else {
        return html! {};
    };
    let services: Vec<_> = s.rows.iter().filter(|r| r.service_id.is_some()).collect();
    let max = services
        .iter()
        .map(|r| num(&r.charged))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let bar_h = 22;
    let chart_h = bar_h * services.len().max(1) + 4;
    let summary_row = |r: &closing_summary::ClosingSummaryClosingSummaryRows| {
        let money = |v: &String| Cell::number(v.clone(), ui.amount(v));
        let name = if r.service_id.is_none() {
            ui.t(Key::BillTotal).to_owned()
        } else {
            r.service.clone()
        };
        Row::new(
            r.service_id.unwrap_or_default(),
            vec![
                Cell::text(name),
                Cell::count(r.accounts),
                money(&r.opening),
                money(&r.charged),
                money(&r.recalculation),
                money(&r.benefit),
                money(&r.subsidy),
                money(&r.penalty),
                money(&r.paid),
                money(&r.closing),
            ],
        )
    };
    let summary_rows: Vec<Row> = services.iter().map(|r| summary_row(r)).collect();
    let summary_total = s
        .rows
        .iter()
        .find(|r| r.service_id.is_none())
        .map(|r| summary_row(r).class("total"));
    let summary_columns = money_columns(
        &ui,
        &[
            ("service", Key::BillService, Col::Text),
            ("accounts", Key::BillAccountsDone, Col::Figure),
            ("opening", Key::BillOpening, Col::Extra),
            ("charged", Key::BillCharged, Col::Figure),
            ("recalculation", Key::BillRecalculation, Col::Extra),
            ("benefit", Key::BillBenefit, Col::Extra),
            ("subsidy", Key::BillSubsidy, Col::Extra),
            ("penalty", Key::BillPenalty, Col::Extra),
            ("paid", Key::BillPaid, Col::Figure),
            ("closing", Key::BillClosing, Col::Figure),
        ],
    );
    html! {
        <div id="closing-summary" class="card">
            <h3>{ format!("{} {}", ui.t(Key::BillSummary), s.period) }</h3>
            <ExportXlsx list={ListKind::CLOSING_SUMMARY} period={Some(s.period.clone())} />
            <DataTable id="summary-table" columns={summary_columns} rows={Rows::Ready(summary_rows)} total={summary_total} page_size={0} />
            if s.reconciles {
                <p id="summary-reconciles" class="ok">{ format!("✓ {}", ui.t(Key::BillReconciles)) }</p>
            } else {
                <p id="summary-reconciles" class="error">{ format!("✗ {}: {}", ui.t(Key::BillDoesNotReconcile), s.difference) }</p>
            }
            <svg id="summary-chart" class="chart" width="520" height={chart_h.to_string()} role="img" aria-label={ui.t(Key::BillCharged)}>
                { for services.iter().enumerate().map(|(i, r)| {
                    let y = i * bar_h + 2;
                    let w = (num(&r.charged) / max * 300.0).max(1.0);
                    html! { <g>
                        <text x="0" y={(y + 15).to_string()} font-size="12">{ r.service.chars().take(28).collect::<String>() }</text>
                        <rect x="200" y={y.to_string()} width={format!("{w:.1}")} height={(bar_h - 6).to_string()} fill="#4a7bd0" />
                        <text x={format!("{:.1}", 205.0 + w)} y={(y + 15).to_string()} font-size="12">{ &r.charged }</text>
                    </g> }
                }) }
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountBillingProps {
    pub account_id: i64,
}

/// The account card's billing table, its chart, and an invoice's lines with their steps.
#[function_component(AccountBilling)]
pub fn account_billing(props: &AccountBillingProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_form = use_can().allows("invoices.create");
    // The account's meters, working and taken out, by id: the steps name them by serial.
    let serials = use_state(HashMap::<i64, String>::new);
    {
        let serials = serials.clone();
        use_effect_with(props.account_id, move |account_id| {
            let account_id = *account_id;
            wasm_bindgen_futures::spawn_local(async move {
                use crate::shared::api::{Meters, meters};
                let mut found = HashMap::new();
                for state in [meters::MeterState::WORKING, meters::MeterState::ARCHIVE] {
                    let vars = meters::Variables {
                        state,
                        search: None,
                        verification: None,
                        account_id: Some(account_id),
                        offset: 0,
                    };
                    if let Ok(d) = api::run::<Meters>(vars).await {
                        found.extend(d.meters.items.into_iter().map(|m| (m.id, m.serial)));
                    }
                }
                serials.set(found);
            });
        });
    }
    let version = use_state(|| 0u32);
    let table =
        use_state(|| None::<Result<Vec<account_invoices::AccountInvoicesAccountInvoices>, String>>);
    let open = use_state(|| None::<String>);
    let lines = use_state(|| None::<Result<Vec<invoice_lines::InvoiceLinesInvoiceLines>, String>>);
    let why = use_state(|| None::<i64>);
    let message = use_state(|| None::<String>);
    {
        let (table, id) = (table.clone(), props.account_id);
        use_effect_with((id, *version), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                table.set(Some(
                    api::run::<AccountInvoices>(account_invoices::Variables { account_id: id })
                        .await
                        .map(|d| d.account_invoices),
                ));
            });
        });
    }
    {
        let (lines, id, why) = (lines.clone(), props.account_id, why.clone());
        use_effect_with(((*open).clone(), *version), move |(period, _)| {
            why.set(None);
            if let Some(period) = period.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    lines.set(Some(
                        api::run::<InvoiceLines>(invoice_lines::Variables {
                            account_id: id,
                            period,
                        })
                        .await
                        .map(|d| d.invoice_lines),
                    ));
                });
            } else {
                lines.set(None);
            }
        });
    }
    let form = {
        let (version, message, open, id) = (
            version.clone(),
            message.clone(),
            open.clone(),
            props.account_id,
        );
        Callback::from(move |_| {
            let (version, message, open) = (version.clone(), message.clone(), open.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<FormInvoice>(form_invoice::Variables { account_id: id }).await {
                    Ok(_) => {
                        message.set(None);
                        open.set(None);
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let invoices = match &*table {
        Some(Ok(t)) => t.clone(),
        _ => Vec::new(),
    };
    // Charged and paid over time, oldest on the left.
    let mut series: Vec<_> = invoices.iter().take(12).collect();
    series.reverse();
    let top = series
        .iter()
        .map(|i| num(&i.charged).max(num(&i.paid)))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let chart = (!series.is_empty()).then(|| html! {
        <svg id="billing-chart" class="chart" width="480" height="140" role="img" aria-label={ui.t(Key::BillChart)}>
            <title>{ ui.t(Key::BillChart) }</title>
            { for series.iter().enumerate().map(|(i, inv)| {
                let x = 10 + i * 38;
                let hc = num(&inv.charged) / top * 100.0;
                let hp = num(&inv.paid) / top * 100.0;
                html! { <g>
                    <rect x={x.to_string()} y={format!("{:.1}", 110.0 - hc)} width="14" height={format!("{hc:.1}")} fill="#4a7bd0"><title>{ format!("{}: {}", ui.t(Key::BillCharged), inv.charged) }</title></rect>
                    <rect x={(x + 15).to_string()} y={format!("{:.1}", 110.0 - hp)} width="14" height={format!("{hp:.1}")} fill="#5aa469"><title>{ format!("{}: {}", ui.t(Key::BillPaid), inv.paid) }</title></rect>
                    <text x={x.to_string()} y="128" font-size="10">{ month(&inv.period).get(2..).unwrap_or("").to_owned() }</text>
                </g> }
            }) }
        </svg>
    });
    let money = |v: &String| Cell::number(v.clone(), ui.amount(v));
    let rows = invoices
        .iter()
        .map(|inv| {
            let m = month(&inv.period);
            let pick = {
                let (open, m) = (open.clone(), m.clone());
                Callback::from(move |()| open.set(Some(m.clone())))
            };
            let button = {
                let pick = pick.clone();
                html! { <button class="link" onclick={Callback::from(move |_| pick.emit(()))}>{ &m }</button> }
            };
            Row::new(
                &m,
                vec![
                    Cell::html(button).sort_by(SortKey::Text(m.clone())),
                    money(&inv.opening),
                    money(&inv.paid),
                    money(&inv.charged),
                    money(&inv.recalculation),
                    money(&inv.benefit),
                    money(&inv.subsidy),
                    money(&inv.penalty),
                    money(&inv.closing),
                ],
            )
            .attr("id", format!("invoice-{m}"))
            .attr("data-recalculation", inv.recalculation.clone())
            .attr("data-closing", inv.closing.clone())
            .class(classes!((Some(&m) == open.as_ref()).then_some("selected")))
            .on_open(pick)
        })
        .collect::<Vec<_>>();
    let invoice_columns = money_columns(
        &ui,
        &[
            ("period", Key::Period, Col::Text),
            ("opening", Key::BillOpening, Col::Extra),
            ("paid", Key::BillPaid, Col::Figure),
            ("charged", Key::BillCharged, Col::Figure),
            ("recalculation", Key::BillRecalculation, Col::Extra),
            ("benefit", Key::BillBenefit, Col::Extra),
            ("subsidy", Key::BillSubsidy, Col::Extra),
            ("penalty", Key::BillPenalty, Col::Extra),
            ("closing", Key::BillClosing, Col::Figure),
        ],
    );
    let mut line_columns = money_columns(
        &ui,
        &[
            ("service", Key::BillService, Col::Text),
            ("basis", Key::Basis, Col::Text),
            ("quantity", Key::Quantity, Col::Extra),
            ("tariff", Key::BillTariff, Col::Extra),
            ("charged", Key::BillCharged, Col::Figure),
            ("recalculation", Key::BillRecalculation, Col::Extra),
            ("benefit", Key::BillBenefit, Col::Extra),
            ("subsidy", Key::BillSubsidy, Col::Extra),
            ("penalty", Key::BillPenalty, Col::Extra),
            ("paid", Key::BillPaid, Col::Extra),
            ("closing", Key::BillClosing, Col::Figure),
        ],
    );
    line_columns.push(Column::new("why", ""));
    let detail = match &*lines {
        Some(Ok(ls)) => {
            let rows = ls
                .iter()
                .map(|l| {
                    let sid = l.service_id;
                    let toggle = {
                        let why = why.clone();
                        Callback::from(move |_| {
                            why.set(if *why == Some(sid) { None } else { Some(sid) })
                        })
                    };
                    let row = Row::new(
                        sid,
                        vec![
                            Cell::text(l.service.clone()),
                            Cell::text(l.flag.clone().unwrap_or_default()),
                            Cell::number(
                                l.quantity.clone(),
                                format!("{} {}", ui.quantity(&l.quantity), l.unit.clone().unwrap_or_default()),
                            ),
                            Cell::number(l.tariff.clone(), ui.quantity(&l.tariff)),
                            money(&l.charged),
                            money(&l.recalculation),
                            money(&l.benefit),
                            money(&l.subsidy),
                            money(&l.penalty),
                            money(&l.paid),
                            money(&l.closing),
                            Cell::html(html! { <button class="why" onclick={toggle}>{ ui.t(Key::BillWhy) }</button> }),
                        ],
                    )
                    .attr("id", format!("line-{sid}"));
                    if *why == Some(sid) {
                        let steps = l.steps.as_array().cloned().unwrap_or_default();
                        row.detail(
                            "steps",
                            html! {
                                <ol id={format!("steps-{sid}")}>
                                    { for steps.iter().map(|s| html! { <li>{ step_text(&ui, s, &serials) }</li> }) }
                                </ol>
                            },
                        )
                    } else {
                        row
                    }
                })
                .collect();
            html! { <DataTable id="invoice-lines" columns={line_columns} rows={Rows::Ready(rows)} page_size={0} empty={AttrValue::from(ui.t(Key::BillNoLines))} /> }
        }
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        None => html! {},
    };
    html! {
        <div id="account-billing" class="card">
            <h3>{ ui.t(Key::BillTable) }</h3>
            if may_form {
                <button id="form-invoice" type="button" onclick={form}>{ ui.t(Key::BillFormInvoice) }</button>
            }
            <crate::documents::invoice_pdf::RenderPdf scope={crate::documents::scope::DocScope::Account(props.account_id)} period={(*open).as_ref().map(|p| month(p))} />
            <ExportXlsx list={ListKind::ACCOUNT_INVOICES} account_id={Some(props.account_id)} />
            if let Some(m) = &*message { <p id="form-invoice-error" class="error" role="alert">{ m }</p> }
            if invoices.is_empty() {
                <p class="empty">{ ui.t(Key::BillNoInvoices) }</p>
            } else {
                { chart.unwrap_or_default() }
                <DataTable id="billing-table" columns={invoice_columns} rows={Rows::Ready(rows)} />
            }
            { detail }
        </div>
    }
}
