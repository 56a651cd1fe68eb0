//! The Reports screen: the catalogue of reports the user may run, the chosen report's
//! parameters (a month or a date range, a branch, a building, a threshold), «Open» for a
//! page of it with its totals over every row, and the whole of it to XLSX by the export
//! job. Column titles come from the server in the user's language.

use yew::prelude::*;

pub mod claims;
pub mod dashboard;
pub mod interim;
pub mod penalty;
pub mod schedules;

use crate::acts::{code_of, parse};
use crate::shared::api::{
    self, Report, ReportCatalog, ReportControllers, report, report_catalog, report_controllers,
    request_list_export, save_report_schedule,
};
use crate::shared::export::{ExportFormat, ExportXlsx, ListKind};
use crate::shared::form::{Outcome, field_error, form_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::picker::{PickKind, Picker};
use crate::shared::table::server_pager;
use crate::shell::{Ui, use_can};

const PAGE: i64 = 50;
/// The choice that shows the penalty statement instead of a report of the catalogue.
const PENALTY: &str = "PENALTY";
/// The choice that shows the interim summary (a simulation of the open month).
const INTERIM: &str = "INTERIM";
const FIELDS: [&str; 8] = [
    "controllerId",
    "period",
    "from",
    "to",
    "branchId",
    "buildingId",
    "minDebt",
    "kind",
];

/// The parameters as typed.
#[derive(Clone, PartialEq, Default)]
struct Params {
    kind: String,
    period: String,
    from: String,
    to: String,
    branch: Option<i64>,
    building: Option<i64>,
    min_debt: String,
    controller: Option<i64>,
}

/// The parameters as the input of operation `$m` (the report and its export are two
/// operations, each with its own generated type); what the report does not take is left out.
macro_rules! input_of {
    ($m:ident, $p:expr, $takes:expr) => {{
        let p = $p;
        let takes = |name: &str| $takes.iter().any(|t| t == name);
        let text = |name: &str, v: &str| {
            (takes(name) && !v.trim().is_empty()).then(|| v.trim().to_owned())
        };
        $m::ReportInput {
            kind: parse(&p.kind).unwrap_or($m::ReportKind::SUMMARY),
            period: text("period", &p.period),
            from: text("from", &p.from),
            to: text("to", &p.to),
            branch_id: p.branch.filter(|_| takes("branchId")),
            building_id: p.building.filter(|_| takes("buildingId")),
            min_debt: text("minDebt", &p.min_debt),
            controller_id: p.controller.filter(|_| takes("controllerId")),
        }
    }};
}

/// The month before the current one, `YYYY-MM` (the last closed month as a rule).
fn last_month() -> String {
    let now = js_sys::Date::new_0();
    let (y, m) = (now.get_full_year(), now.get_month());
    if m == 0 {
        format!("{}-12", y - 1)
    } else {
        format!("{y}-{m:02}")
    }
}

/// The first day of this month and today, `YYYY-MM-DD`.
fn this_month() -> (String, String) {
    let now = js_sys::Date::new_0();
    let (y, m, d) = (now.get_full_year(), now.get_month() + 1, now.get_date());
    (format!("{y}-{m:02}-01"), format!("{y}-{m:02}-{d:02}"))
}

#[function_component(ReportsSection)]
pub fn reports_section() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let catalog = use_state(Vec::<report_catalog::ReportCatalogReportCatalog>::new);
    // The schedule form shown; the schedules' list read again after a save.
    let scheduling = use_state(|| false);
    let saved = use_state(|| 0u32);
    let params = use_state(|| {
        let (from, to) = this_month();
        Params {
            kind: "SUMMARY".into(),
            period: last_month(),
            from,
            to,
            ..Params::default()
        }
    });
    // What was opened (the parameters as they were), and its page.
    let opened = use_state(|| None as Option<Params>);
    let offset = use_state(|| 0i64);
    let table = use_state(|| None as Option<report::ReportReport>);
    let outcome = use_state(|| None as Outcome);
    // Debtors ticked in the debtors report (their account numbers), for claim letters.
    let ticked = use_state(Vec::<String>::new);
    // The employees marked as controllers, for the route sheet.
    let controllers = use_state(Vec::<(i64, String)>::new);
    {
        let (catalog, controllers) = (catalog.clone(), controllers.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ReportCatalog>(report_catalog::Variables {}).await {
                    catalog.set(d.report_catalog);
                }
                if let Ok(d) = api::run::<ReportControllers>(report_controllers::Variables {}).await
                {
                    controllers.set(
                        d.reference_book
                            .items
                            .into_iter()
                            .filter(|e| e.active && e.extra["isController"].as_bool() == Some(true))
                            .map(|e| (e.id, e.name))
                            .collect(),
                    );
                }
            });
        });
    }
    let takes: Vec<String> = catalog
        .iter()
        .find(|r| code_of(&r.kind) == params.kind)
        .map(|r| r.params.clone())
        .unwrap_or_default();
    // The last request opened: an answer to an earlier one that comes later (the report
    // opened again while it was still loading) must not overwrite the newer outcome.
    let latest = use_mut_ref(|| 0u32);
    {
        let (table, outcome, takes) = (table.clone(), outcome.clone(), takes.clone());
        let latest = latest.clone();
        use_effect_with(((*opened).clone(), *offset), move |(opened, offset)| {
            if let Some(p) = opened.clone() {
                let offset = *offset;
                *latest.borrow_mut() += 1;
                let mine = *latest.borrow();
                wasm_bindgen_futures::spawn_local(async move {
                    let input = input_of!(report, &p, &takes);
                    let answer = api::call::<Report>(report::Variables { input, offset }).await;
                    if *latest.borrow() != mine {
                        return;
                    }
                    match answer {
                        Ok(d) => {
                            outcome.set(None);
                            table.set(Some(d.report));
                        }
                        Err(e) => {
                            table.set(None);
                            outcome.set(Some(Err(e)));
                        }
                    }
                });
            }
        });
    }
    let edit = |set: fn(&mut Params, String)| {
        let params = params.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let mut p = (*params).clone();
            set(&mut p, v);
            params.set(p);
        })
    };
    let pick = |set: fn(&mut Params, Option<i64>)| {
        let params = params.clone();
        Callback::from(move |v: Option<i64>| {
            let mut p = (*params).clone();
            set(&mut p, v);
            params.set(p);
        })
    };
    let choose = {
        let (params, table, opened) = (params.clone(), table.clone(), opened.clone());
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let mut p = (*params).clone();
            p.kind = v;
            params.set(p);
            table.set(None);
            opened.set(None);
        })
    };
    let open = {
        let (params, opened, offset) = (params.clone(), opened.clone(), offset.clone());
        let ticked = ticked.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            offset.set(0);
            ticked.set(Vec::new());
            opened.set(Some((*params).clone()));
        })
    };
    let p = (*params).clone();
    let shows = |name: &str| takes.iter().any(|t| t == name);
    let export_input = Some(input_of!(request_list_export, &p, &takes));
    let choose_controller = {
        let params = params.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let mut p = (*params).clone();
            p.controller = v.parse().ok();
            params.set(p);
        })
    };
    let chosen_title = catalog
        .iter()
        .find(|r| code_of(&r.kind) == p.kind)
        .map(|r| r.title.clone())
        .unwrap_or_default();
    let toggle = {
        let scheduling = scheduling.clone();
        Callback::from(move |_: MouseEvent| scheduling.set(!*scheduling))
    };
    let on_saved = {
        let saved = saved.clone();
        Callback::from(move |_| saved.set(*saved + 1))
    };
    // The debtors report opened by one who collects debts: a tick per debtor and the
    // claim letters under it.
    let claims_on =
        can.allows("invoices.update") && (*opened).as_ref().is_some_and(|o| o.kind == "DEBTORS");
    let tick = |number: &String| {
        let (ticked, number) = (ticked.clone(), number.clone());
        let on = ticked.contains(&number);
        let onchange = Callback::from(move |_: Event| {
            let mut list = (*ticked).clone();
            if let Some(i) = list.iter().position(|n| *n == number) {
                list.remove(i);
            } else {
                list.push(number.clone());
            }
            ticked.set(list);
        });
        html! { <td class="pick"><input type="checkbox" class="claim-pick" aria-label={ui.t(Key::ClaimTick)} checked={on} {onchange} /></td> }
    };
    let body = match &*table {
        Some(t) => {
            let numeric: Vec<bool> = t
                .columns
                .iter()
                .map(|c| code_of(&c.kind) != "TEXT")
                .collect();
            let money: Vec<bool> = t
                .columns
                .iter()
                .map(|c| code_of(&c.kind) == "MONEY")
                .collect();
            let titles: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
            let cell = |i: usize, v: &String| {
                let shown = if money.get(i).copied().unwrap_or(false) && !v.is_empty() {
                    ui.amount(v)
                } else {
                    v.clone()
                };
                let label = titles.get(i).cloned().unwrap_or_default();
                html! { <td class={classes!(numeric.get(i).copied().unwrap_or(false).then_some("num"))} data-label={label} data-value={v.clone()}>{ shown }</td> }
            };
            html! {
                <>
                <h3 id="report-title">{ t.title.clone() }</h3>
                // Over the list: a long list need not be scrolled through to send the letters.
                if claims_on {
                    if let Some(o) = &*opened {
                        <claims::ClaimLetters period={o.period.clone()} branch={o.branch} building={o.building}
                            min_debt={(!o.min_debt.trim().is_empty()).then(|| o.min_debt.trim().to_owned())}
                            ticked={(*ticked).clone()} total={t.total} />
                    }
                }
                <div class="scroll-x">
                <table id="report-table" class="grid data-table" data-total={t.total.to_string()}>
                    <thead><tr>
                        if claims_on { <th class="pick"></th> }
                        { for t.columns.iter().map(|c| html! { <th data-key={c.key.clone()}>{ c.title.clone() }</th> }) }
                    </tr></thead>
                    <tbody>{ for t.rows.iter().map(|r| html! { <tr>
                        if claims_on { { r.first().map(&tick).unwrap_or_default() } }
                        { for r.iter().enumerate().map(|(i, v)| cell(i, v)) }
                    </tr> }) }</tbody>
                    if !t.totals.is_empty() {
                        <tfoot><tr class="totals">
                            if claims_on { <td></td> }
                            { for t.totals.iter().enumerate().map(|(i, v)| cell(i, v)) }
                        </tr></tfoot>
                    }
                </table>
                </div>
                if t.total > PAGE { { server_pager(&ui, &offset, PAGE, t.total) } }
                if t.total == 0 { <p class="hint" id="report-empty">{ ui.t(Key::ReportEmpty) }</p> }
                </>
            }
        }
        None => html! {},
    };
    html! {
        <section id="reports" class="card">
            <h2>{ ui.t(Key::MenuReports) }</h2>
            <dashboard::Dashboard />
            <form id="report-form" class="grid" onsubmit={open}>
                <label>{ ui.t(Key::ReportChoose) }
                    <select id="report-kind" onchange={choose}>
                        { for catalog.iter().map(|r| {
                            let code = code_of(&r.kind);
                            html! { <option value={code.clone()} selected={code == p.kind}>{ r.title.clone() }</option> }
                        }) }
                        <option value={INTERIM} selected={p.kind == INTERIM}>{ ui.t(Key::InterimTitle) }</option>
                        <option value={PENALTY} selected={p.kind == PENALTY}>{ ui.t(Key::PenaltyTitle) }</option>
                    </select>
                </label>
                if shows("period") {
                    <label>{ ui.t(Key::Period) }<input id="report-period" type="month" value={p.period.clone()} aria-invalid={invalid(&outcome, "period")} oninput={edit(|p, v| p.period = v)} />{ field_error(&outcome, "period") }</label>
                }
                if shows("from") {
                    <label>{ ui.t(Key::FromDate) }<input id="report-from" type="date" value={p.from.clone()} aria-invalid={invalid(&outcome, "from")} oninput={edit(|p, v| p.from = v)} />{ field_error(&outcome, "from") }</label>
                    <label>{ ui.t(Key::ToDate) }<input id="report-to" type="date" value={p.to.clone()} aria-invalid={invalid(&outcome, "to")} oninput={edit(|p, v| p.to = v)} />{ field_error(&outcome, "to") }</label>
                }
                if shows("controllerId") {
                    <label>{ ui.t(Key::ReportController) }
                        <select id="report-controller" aria-invalid={invalid(&outcome, "controllerId")} onchange={choose_controller}>
                            <option value="" selected={p.controller.is_none()}>{ ui.t(Key::ReportEveryController) }</option>
                            { for controllers.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={p.controller == Some(*id)}>{ name.clone() }</option> }) }
                        </select>{ field_error(&outcome, "controllerId") }
                    </label>
                }
                if shows("branchId") {
                    <Picker key={format!("branch-{}", p.kind)} id="report-branch" kind={PickKind::Branch} label={ui.t(Key::ActScopeBranch)} on_pick={pick(|p, v| p.branch = v)} />
                }
                if shows("buildingId") {
                    <Picker key={format!("building-{}", p.kind)} id="report-building" kind={PickKind::Building} label={ui.t(Key::BillScopeBuilding)} on_pick={pick(|p, v| p.building = v)} />
                }
                if shows("minDebt") {
                    <label>{ ui.t(Key::ReportMinDebt) }<input id="report-min-debt" inputmode="decimal" value={p.min_debt.clone()} aria-invalid={invalid(&outcome, "minDebt")} oninput={edit(|p, v| p.min_debt = v)} />{ field_error(&outcome, "minDebt") }</label>
                }
                if p.kind != PENALTY && p.kind != INTERIM {
                    <div class="inline actions">
                        <button id="report-open" type="submit">{ ui.t(Key::ReportOpen) }</button>
                        // Keyed by the report: another report's file is not offered.
                        <ExportXlsx key={format!("xlsx-{}", p.kind)} list={ListKind::REPORT} report={export_input.clone()} />
                        <ExportXlsx key={format!("pdf-{}", p.kind)} list={ListKind::REPORT} report={export_input} format={ExportFormat::PDF} />
                        if can.allows("settings.update") {
                            <button id="report-schedule" type="button" aria-expanded={scheduling.to_string()} onclick={toggle}>{ ui.t(Key::ScheduleNew) }</button>
                        }
                    </div>
                }
            </form>
            if *scheduling && p.kind != PENALTY && p.kind != INTERIM && can.allows("settings.update") {
                <schedules::ScheduleForm key={p.kind.clone()} report={input_of!(save_report_schedule, &p, &takes)} takes_period={shows("period")} title={chosen_title} {on_saved} />
            }
            if p.kind == PENALTY {
                <penalty::PenaltyStatementForm />
            } else if p.kind == INTERIM {
                <interim::InterimSummary />
            } else {
                { form_error(&outcome, Some("report-error"), &FIELDS) }
                { body }
            }
            if can.allows("settings.view") {
                <schedules::ScheduleList refresh={*saved} />
            }
        </section>
    }
}
