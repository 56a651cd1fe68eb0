//! Scheduled reports on the Reports screen (the tenant admin's, seed 000 §4.8): the report
//! chosen above, scheduled daily, weekly on a weekday or monthly on a day from a local
//! hour, for recipients by e-mail; the schedules with their latest runs (state, rows,
//! mailed, the file to download) and their removal.

use yew::prelude::*;

use crate::acts::{code_of, parse};
use crate::shared::api::{
    self, DeleteReportSchedule, ReportSchedules, SaveReportSchedule, delete_report_schedule,
    report_schedules, save_report_schedule,
};
use crate::shared::form::{Outcome, field_error, form_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 8] = [
    "title",
    "frequency",
    "weekday",
    "monthDay",
    "hour",
    "recipients",
    "branchId",
    "buildingId",
];
/// How soon the list is read again while a run is awaited.
const POLL_MS: u32 = 3_000;
/// How many times a schedule not run yet is looked for (two minutes: a worker's tick).
const FRESH_POLLS: u32 = 40;
const FREQUENCIES: [&str; 3] = ["daily", "weekly", "monthly"];
const RULES: [&str; 2] = ["last_closed", "open"];
const WEEKDAYS: [Key; 7] = [
    Key::Weekday1,
    Key::Weekday2,
    Key::Weekday3,
    Key::Weekday4,
    Key::Weekday5,
    Key::Weekday6,
    Key::Weekday7,
];

#[derive(Properties, PartialEq)]
pub struct FormProps {
    /// The report as chosen on the form above (its period and dates are set at each run).
    pub report: save_report_schedule::ReportInput,
    /// Whether the report takes a period (then the schedule chooses which).
    pub takes_period: bool,
    /// The report's name, the schedule's title unless typed.
    pub title: String,
    pub on_saved: Callback<()>,
}

/// The form that schedules the report chosen above.
#[function_component(ScheduleForm)]
pub fn schedule_form(props: &FormProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let title = use_state(String::new);
    let frequency = use_state(|| "monthly".to_owned());
    let weekday = use_state(|| "1".to_owned());
    let month_day = use_state(|| "1".to_owned());
    let hour = use_state(|| "7".to_owned());
    let rule = use_state(|| "last_closed".to_owned());
    let recipients = use_state(String::new);
    let outcome = use_state(|| None as Outcome);
    let text = |set: &UseStateHandle<String>| {
        let set = set.clone();
        Callback::from(move |e: InputEvent| {
            set.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
        })
    };
    let pick = |set: &UseStateHandle<String>| {
        let set = set.clone();
        Callback::from(move |e: Event| {
            set.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
        })
    };
    let save = {
        let (title, frequency, weekday, month_day, hour, rule, recipients, outcome) = (
            title.clone(),
            frequency.clone(),
            weekday.clone(),
            month_day.clone(),
            hour.clone(),
            rule.clone(),
            recipients.clone(),
            outcome.clone(),
        );
        let (report, default_title, on_saved) = (
            props.report.clone(),
            props.title.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = |s: &str| s.trim().parse::<i64>().ok();
            let typed = title.trim().to_owned();
            let input = save_report_schedule::ReportScheduleInput {
                title: if typed.is_empty() {
                    default_title.clone()
                } else {
                    typed
                },
                report: report.clone(),
                period_rule: parse(&rule.to_uppercase())
                    .unwrap_or(save_report_schedule::PeriodRule::LAST_CLOSED),
                frequency: parse(&frequency.to_uppercase())
                    .unwrap_or(save_report_schedule::ScheduleFrequency::MONTHLY),
                weekday: (*frequency == "weekly").then(|| number(&weekday)).flatten(),
                month_day: (*frequency == "monthly")
                    .then(|| number(&month_day))
                    .flatten(),
                // An hour that is not a number is sent as one out of range: refused by field.
                hour: number(&hour).unwrap_or(-1),
                recipients: recipients
                    .split([',', ';', '\n', ' '])
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect(),
            };
            let (outcome, on_saved) = (outcome.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = save_report_schedule::Variables { id: None, input };
                match api::call::<SaveReportSchedule>(vars).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        on_saved.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    html! {
        <form id="schedule-form" class="grid" onsubmit={save}>
            <label>{ ui.t(Key::ScheduleName) }<input id="schedule-title" placeholder={props.title.clone()} value={(*title).clone()} aria-invalid={invalid(&outcome, "title")} oninput={text(&title)} />{ field_error(&outcome, "title") }</label>
            <label>{ ui.t(Key::ScheduleFrequency) }
                <select id="schedule-frequency" onchange={pick(&frequency)}>
                    { for FREQUENCIES.iter().map(|f| html! { <option value={*f} selected={*frequency == *f}>{ labels::code(&ui, "report_schedules_frequency", f) }</option> }) }
                </select>
            </label>
            if *frequency == "weekly" {
                <label>{ ui.t(Key::ScheduleWeekday) }
                    <select id="schedule-weekday" aria-invalid={invalid(&outcome, "weekday")} onchange={pick(&weekday)}>
                        { for WEEKDAYS.iter().enumerate().map(|(i, k)| {
                            let v = (i + 1).to_string();
                            html! { <option value={v.clone()} selected={*weekday == v}>{ ui.t(*k) }</option> }
                        }) }
                    </select>{ field_error(&outcome, "weekday") }
                </label>
            }
            if *frequency == "monthly" {
                <label>{ ui.t(Key::ScheduleMonthDay) }<input id="schedule-month-day" type="number" min="1" max="31" value={(*month_day).clone()} aria-invalid={invalid(&outcome, "monthDay")} oninput={text(&month_day)} />{ field_error(&outcome, "monthDay") }</label>
            }
            <label>{ ui.t(Key::ScheduleHour) }<input id="schedule-hour" type="number" min="0" max="23" value={(*hour).clone()} aria-invalid={invalid(&outcome, "hour")} oninput={text(&hour)} />{ field_error(&outcome, "hour") }</label>
            if props.takes_period {
                <label>{ ui.t(Key::SchedulePeriodRule) }
                    <select id="schedule-period-rule" onchange={pick(&rule)}>
                        { for RULES.iter().map(|r| html! { <option value={*r} selected={*rule == *r}>{ labels::code(&ui, "report_schedules_period_rule", r) }</option> }) }
                    </select>
                </label>
            }
            <label class="wide">{ ui.t(Key::ScheduleRecipients) }<textarea id="schedule-recipients" rows="2" value={(*recipients).clone()} aria-invalid={invalid(&outcome, "recipients")} oninput={Callback::from({
                let recipients = recipients.clone();
                move |e: InputEvent| recipients.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())
            })} />{ field_error(&outcome, "recipients") }</label>
            <div class="inline actions">
                <button id="schedule-save" type="submit">{ ui.t(Key::ScheduleSave) }</button>
                if matches!(*outcome, Some(Ok(()))) { <span id="schedule-saved" class="ok">{ ui.t(Key::ScheduleSaved) }</span> }
            </div>
            { form_error(&outcome, Some("schedule-error"), &FIELDS) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct ListProps {
    /// Changed to read the list again (after a schedule was saved).
    pub refresh: u32,
}

/// When a schedule runs, in words: "Weekly, Monday, from 07:00".
fn when(ui: &Ui, s: &report_schedules::ReportSchedulesReportSchedules) -> String {
    let mut out = labels::code(ui, "report_schedules_frequency", &s.frequency);
    if let Some(d) = s.weekday {
        let k = usize::try_from(d - 1).ok().and_then(|i| WEEKDAYS.get(i));
        out.push_str(&format!(", {}", k.map_or("", |k| ui.t(*k))));
    }
    if let Some(d) = s.month_day {
        out.push_str(&format!(", {d}"));
    }
    format!("{out}, {:02}:00", s.hour)
}

/// The schedules with their runs.
#[function_component(ScheduleList)]
pub fn schedule_list(props: &ListProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let list = use_state(Vec::<report_schedules::ReportSchedulesReportSchedules>::new);
    let reload = use_state(|| 0u32);
    let error = use_state(|| None as Outcome);
    {
        let (list, reload) = (list.clone(), reload.clone());
        use_effect_with((props.refresh, *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ReportSchedules>(report_schedules::Variables {}).await {
                    // A schedule not run yet or a run not finished: read again shortly, so
                    // the run shows its progress without a reload.
                    // (A schedule not run yet is awaited for a while only: its first
                    // slot may be days away.)
                    let fresh = *reload < FRESH_POLLS;
                    let waiting = d.report_schedules.iter().any(|s| match s.runs.first() {
                        None => fresh,
                        Some(r) => !matches!(r.state.as_deref(), Some("done" | "failed")),
                    });
                    list.set(d.report_schedules);
                    if waiting {
                        gloo_timers::future::TimeoutFuture::new(POLL_MS).await;
                        reload.set(*reload + 1);
                    }
                }
            });
        });
    }
    let delete = |id: i64| {
        let (reload, error) = (reload.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, error) = (reload.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<DeleteReportSchedule>(delete_report_schedule::Variables { id })
                    .await
                {
                    Ok(_) => reload.set(*reload + 1),
                    Err(e) => error.set(Some(Err(e))),
                }
            });
        })
    };
    let run = |r: &report_schedules::ReportSchedulesReportSchedulesRuns| {
        let state = r.state.clone().unwrap_or_default();
        html! {
            <li class="schedule-run" data-slot={r.slot.clone()} data-state={state.clone()}>
                { r.slot.clone() }{ " · " }{ labels::code(&ui, "JobState", &state.to_uppercase()) }
                if let Some(n) = r.rows { { format!(" · {n}") } }
                if r.mailed_at.is_some() { { " · " }<span class="mailed">{ ui.t(Key::ScheduleMailed) }</span> }
                if let (Some(id), "done") = (&r.job_id, state.as_str()) {
                    { " · " }<a class="download" href={format!("/files/jobs/{id}")} download="">{ ui.t(Key::Download) }</a>
                }
            </li>
        }
    };
    html! {
        <section id="report-schedules">
            <h3>{ ui.t(Key::ScheduleTitle) }</h3>
            { form_error(&error, Some("schedules-error"), &[]) }
            if list.is_empty() {
                <p class="hint">{ ui.t(Key::ScheduleNone) }</p>
            } else {
                <table class="grid data-table">
                    <tbody>{ for list.iter().map(|s| html! {
                        <tr class="report-schedule" data-id={s.id.to_string()} data-kind={code_of(&s.kind)}>
                            <td>{ s.title.clone() }</td>
                            <td>{ when(&ui, s) }</td>
                            <td class="small">{ s.recipients.join(", ") }</td>
                            <td>
                                if s.runs.is_empty() {
                                    <span class="hint">{ ui.t(Key::ScheduleNever) }</span>
                                } else {
                                    <ul class="schedule-runs">{ for s.runs.iter().map(run) }</ul>
                                }
                            </td>
                            <td>
                                if can.allows("settings.update") {
                                    <button type="button" class="schedule-delete" onclick={delete(s.id)}>{ ui.t(Key::Delete) }</button>
                                }
                            </td>
                        </tr>
                    }) }</tbody>
                </table>
            }
        </section>
    }
}
