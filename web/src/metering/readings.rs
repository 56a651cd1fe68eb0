//! Readings in the client: the inline entry cell of the meters tables (a number is the
//! current reading; "+N" enters the consumption N), a meter's history for an interval with
//! a consumption chart and the card's changes, and the import card (file upload → worker job → protocol) with
//! clearing a building's readings of the open period.

use yew::prelude::*;

use crate::admin::{bind, error_text, opt};
use crate::shared::api::{
    self, ClearBuildingReadings, EnterReading, MeterChanges, MeterReadings,
    clear_building_readings, enter_reading, meter_changes, meter_readings,
};
use crate::shared::confirm::{confirm, confirm_text};
use crate::shared::i18n::Key;
use crate::shared::premises_picker::PremisesPicker;
use crate::shared::toast::use_toaster;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct CellProps {
    pub meter_id: i64,
    pub on_saved: Callback<()>,
}

/// A text box in a meter's row: Enter saves it for the open period.
#[function_component(ReadingCell)]
pub fn reading_cell(props: &CellProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let value = use_state(String::new);
    let error = use_state(|| None::<String>);
    let onkeydown = {
        let (value, error, saved, meter_id) = (
            value.clone(),
            error.clone(),
            props.on_saved.clone(),
            props.meter_id,
        );
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            e.prevent_default();
            let text = value.trim().to_owned();
            if text.is_empty() {
                return;
            }
            let (current, consumption) = match text.strip_prefix('+') {
                Some(used) => (None, Some(used.trim().to_owned())),
                None => (Some(text), None),
            };
            let input = enter_reading::ReadingInput {
                meter_id,
                period: None,
                taken_on: None,
                current,
                consumption,
                basis: enter_reading::ReadingBasis::ACTUAL,
                source: enter_reading::ReadingSource::OPERATOR,
                confirmed: false,
            };
            let (value, error, saved) = (value.clone(), error.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut result = api::call::<EnterReading>(enter_reading::Variables {
                    input: input.clone(),
                })
                .await;
                // Far above the meter's usual: the operator looks again and confirms.
                if let Err(e) = &result
                    && e.code == "NEEDS_CONFIRMATION"
                    && confirm_text(&e.message)
                {
                    let input = enter_reading::ReadingInput {
                        confirmed: true,
                        ..input
                    };
                    result = api::call::<EnterReading>(enter_reading::Variables { input }).await;
                }
                match result {
                    Ok(_) => {
                        value.set(String::new());
                        error.set(None);
                        saved.emit(());
                    }
                    Err(e) => error.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <span class="reading-cell">
            <input class="reading-input" inputmode="decimal" size="8" title={ui.t(Key::ReadingEnterHint)} placeholder="↵" value={(*value).clone()} oninput={bind(&value)} {onkeydown} />
            if let Some(e) = &*error { <span class="error reading-error" role="alert">{ e }</span> }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub meter_id: i64,
    pub serial: String,
}

/// A meter's readings from one period to another, as a table and a bar chart of the
/// consumption per period.
#[function_component(ReadingHistory)]
pub fn reading_history(props: &HistoryProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let (from, to) = (use_state(String::new), use_state(String::new));
    let rows =
        use_state(|| None::<Result<Vec<meter_readings::MeterReadingsMeterReadings>, String>>);
    {
        let rows = rows.clone();
        let key = (props.meter_id, (*from).clone(), (*to).clone());
        use_effect_with(key, move |(meter_id, from, to)| {
            let vars = meter_readings::Variables {
                meter_id: *meter_id,
                from: opt(from),
                to: opt(to),
            };
            wasm_bindgen_futures::spawn_local(async move {
                rows.set(Some(
                    api::run::<MeterReadings>(vars)
                        .await
                        .map(|d| d.meter_readings),
                ));
            });
        });
    }
    let body = match &*rows {
        None => html! {},
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(list)) => html! {
            <>
                { chart(list) }
                <table id="reading-history" class="grid">
                    <thead><tr>
                        <th>{ ui.t(Key::Period) }</th><th>{ ui.t(Key::TakenOn) }</th><th>{ ui.t(Key::PreviousReading) }</th>
                        <th>{ ui.t(Key::CurrentReading) }</th><th>{ ui.t(Key::Consumption) }</th><th>{ ui.t(Key::Basis) }</th>
                        <th>{ ui.t(Key::Source) }</th><th>{ ui.t(Key::EnteredBy) }</th>
                    </tr></thead>
                    <tbody>{ for list.iter().map(|r| html! {
                        <tr>
                            <td>{ r.period.get(..7).unwrap_or(&r.period) }</td><td>{ &r.taken_on }</td><td class="num">{ &r.previous }</td>
                            <td class="num">{ &r.current }</td><td class="num">{ &r.consumption }</td><td>{ &r.flag }</td>
                            <td data-code={r.source.clone()}>{ crate::shared::labels::reading_source(&ui, &r.source) }</td><td>{ &r.entered_by }</td>
                        </tr>
                    }) }</tbody>
                </table>
            </>
        },
    };
    let changes = use_state(Vec::<meter_changes::MeterChangesMeterChanges>::new);
    {
        let changes = changes.clone();
        use_effect_with(props.meter_id, move |id| {
            let vars = meter_changes::Variables { id: *id };
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<MeterChanges>(vars).await {
                    changes.set(d.meter_changes);
                }
            });
        });
    }
    html! {
        <div id="reading-history-card" class="card">
            <h3>{ format!("{} — {}", ui.t(Key::ReadingHistory), props.serial) }</h3>
            <div class="inline">
                <label>{ ui.t(Key::FromPeriod) }<input id="history-from" type="month" value={(*from).clone()} oninput={bind(&from)} /></label>
                <label>{ ui.t(Key::ToPeriod) }<input id="history-to" type="month" value={(*to).clone()} oninput={bind(&to)} /></label>
            </div>
            { body }
            <h4>{ ui.t(Key::MeterChanges) }</h4>
            <table id="meter-changes" class="grid">
                <tbody>{ for changes.iter().map(|c| html! {
                    <tr><td data-at={c.at.clone()}>{ ui.moment(&c.at) }</td>
                        <td>{ c.actor_login.clone().unwrap_or_default() }</td>
                        <td data-action={c.action.clone()}>{ crate::shared::labels::code(&ui, "audit_action", &c.action) }</td>
                        <td class="diff">{ crate::admin::audit::changes(c.changes.iter().map(|f| (f.field.as_str(), f.label.as_str(), f.before.as_str(), f.after.as_str()))) }</td></tr>
                }) }</tbody>
            </table>
        </div>
    }
}

/// Consumption per period as bars scaled to the largest (an SVG the browser draws).
fn chart(list: &[meter_readings::MeterReadingsMeterReadings]) -> Html {
    let values: Vec<(String, f64)> = list
        .iter()
        .map(|r| {
            (
                r.period.get(..7).unwrap_or(&r.period).to_owned(),
                // Display only: the bar's height, never an amount.
                r.consumption.parse::<f64>().unwrap_or(0.0),
            )
        })
        .collect();
    if values.is_empty() {
        return html! {};
    }
    let max = values.iter().map(|v| v.1).fold(0.0_f64, f64::max).max(1e-9);
    let (w, h, step) = (640.0, 140.0, 640.0 / values.len() as f64);
    html! {
        <svg id="reading-chart" class="chart" viewBox={format!("0 0 {w} {}", h + 20.0)} role="img">
            { for values.iter().enumerate().map(|(i, (label, v))| {
                let bar = v / max * h;
                let x = i as f64 * step;
                html! {
                    <g>
                        <rect x={format!("{:.1}", x + step * 0.15)} y={format!("{:.1}", h - bar)} width={format!("{:.1}", step * 0.7)} height={format!("{bar:.1}")}>
                            <title>{ format!("{label}: {v}") }</title>
                        </rect>
                        <text x={format!("{:.1}", x + step / 2.0)} y={format!("{}", h + 14.0)} text-anchor="middle">{ label }</text>
                    </g>
                }
            }) }
        </svg>
    }
}

#[derive(Clone, PartialEq)]
enum Import {
    Idle,
    Running(i64),
    Done(serde_json::Value, String),
    Failed(String),
}

/// The import card: a file, its job's progress, the counts and the rows not imported
/// (with the protocol to download); and clearing a building's readings.
#[function_component(ReadingsImport)]
pub fn readings_import() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_clear = use_can().allows("readings.delete");
    let state = use_state(|| Import::Idle);
    let file = use_state(|| None::<web_sys::File>);
    let on_file = {
        let file = file.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            file.set(input.files().and_then(|f| f.get(0)));
        })
    };
    let toaster = use_toaster();
    let start = {
        let (file, state, toaster) = (file.clone(), state.clone(), toaster.clone());
        let done = ui.t(Key::ToastImported);
        Callback::from(move |_| {
            let Some(f) = (*file).clone() else {
                return;
            };
            let (state, toaster) = (state.clone(), toaster.clone());
            state.set(Import::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let id = match api::upload(
                    "mutation($file: Upload!) { importReadings(file: $file) { id } }",
                    serde_json::json!({}),
                    &f,
                    "importReadings",
                )
                .await
                {
                    Ok(id) => id,
                    Err(e) => return state.set(Import::Failed(e)),
                };
                let progress = {
                    let state = state.clone();
                    move |p| state.set(Import::Running(p))
                };
                match toaster.follow(&id, progress, done).await {
                    Ok(result) => state.set(Import::Done(result, format!("/files/jobs/{id}"))),
                    Err(e) => state.set(Import::Failed(e)),
                }
            });
        })
    };
    let outcome = match &*state {
        Import::Idle => html! {},
        Import::Running(p) => {
            html! { <p id="import-progress" class="job running">{ format!("{p}%") }</p> }
        }
        Import::Failed(e) => html! { <p id="import-error" class="error" role="alert">{ e }</p> },
        Import::Done(r, href) => {
            let count = |k: &str| r[k].as_u64().unwrap_or(0);
            let rejected = r["rejected"].as_array().cloned().unwrap_or_default();
            let held = r["held"].as_array().cloned().unwrap_or_default();
            html! {
                <div id="import-result">
                    <p role="status">{ format!("{}: {} · {}: {} · {}: {} · {}: {} · ", ui.t(Key::Imported), count("imported"),
                        ui.t(Key::Unchanged), count("unchanged"), ui.t(Key::Rejected), count("rejectedCount"),
                        ui.t(Key::ImportHeld), count("heldCount")) }
                        <a class="download" href={href.clone()} download="">{ ui.t(Key::Protocol) }</a></p>
                    { protocol_table("import-protocol", [ui.t(Key::Line), ui.t(Key::SerialNumber), ui.t(Key::CurrentReading), ui.t(Key::Reason)], &rejected, ["meter", "value"]) }
                    { protocol_table("import-held", [ui.t(Key::Line), ui.t(Key::SerialNumber), ui.t(Key::CurrentReading), ui.t(Key::Reason)], &held, ["meter", "value"]) }
                </div>
            }
        }
    };
    html! {
        <div id="readings-import" class="card">
            <h3>{ ui.t(Key::ImportReadings) }</h3>
            <div class="inline">
                <input id="readings-file" type="file" accept=".xlsx,.xls,.csv" onchange={on_file} />
                <button id="readings-import-start" type="button" onclick={start} disabled={file.is_none()}>{ ui.t(Key::ImportAction) }</button>
            </div>
            { outcome }
            if may_clear { <ClearReadings /> }
        </div>
    }
}

/// Clearing a building's readings of the open period, with the protected ones listed.
#[function_component(ClearReadings)]
fn clear_readings() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let building = use_state(|| None::<i64>);
    let outcome = use_state(|| None::<String>);
    let onclick = {
        let (building, outcome) = (building.clone(), outcome.clone());
        Callback::from(move |_| {
            let Some(building_id) = *building else {
                return;
            };
            if !confirm(&ui, Key::ConfirmClearReadings) {
                return;
            }
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let vars = clear_building_readings::Variables { building_id };
                outcome.set(Some(match api::call::<ClearBuildingReadings>(vars).await {
                    Ok(d) => {
                        let r = d.clear_building_readings;
                        let mut text =
                            format!("{} {}: {}", r.period, ui.t(Key::Cleared), r.cleared);
                        for s in r.skipped {
                            text.push_str(&format!("; {} — {}", s.serial, s.reason));
                        }
                        if let Some(w) = r.warning {
                            text.push_str(&format!(". {w}"));
                        }
                        text
                    }
                    Err(e) => error_text(&e),
                }));
            });
        })
    };
    html! {
        <div class="inline clear-readings">
            <PremisesPicker prefix="clear"
                on_building={ let b = building.clone(); Callback::from(move |v| b.set(v)) }
                on_pick={ Callback::from(|_| ()) } />
            <button id="clear-readings" type="button" {onclick} disabled={building.is_none()}>{ ui.t(Key::ClearBuildingReadings) }</button>
            if let Some(o) = &*outcome { <p id="clear-result" role="status">{ o }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountMetersProps {
    pub account_id: i64,
}

/// The account card's meters with their last readings, the entry cell and the history.
#[function_component(AccountMeters)]
pub fn account_meters(props: &AccountMetersProps) -> Html {
    use crate::shared::api::{Meters, meters};
    let ui = use_context::<Ui>().unwrap_or_default();
    let version = use_state(|| 0u32);
    let list = use_state(Vec::<meters::MetersMetersItems>::new);
    let history = use_state(|| None::<(i64, String)>);
    {
        let list = list.clone();
        use_effect_with((props.account_id, *version), move |(account_id, _)| {
            let vars = meters::Variables {
                state: meters::MeterState::WORKING,
                search: None,
                verification: None,
                account_id: Some(*account_id),
                offset: 0,
            };
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<Meters>(vars).await {
                    list.set(d.meters.items);
                }
            });
        });
    }
    let saved = {
        let version = version.clone();
        Callback::from(move |_| version.set(*version + 1))
    };
    html! {
        <div id="account-meters" class="card">
            <h3>{ ui.t(Key::AccountMeters) }</h3>
            <table class="grid">
                <thead><tr><th>{ ui.t(Key::SerialNumber) }</th><th>{ ui.t(Key::FieldServices) }</th>
                    <th>{ ui.t(Key::LastReading) }</th><th>{ ui.t(Key::NewReading) }</th><th></th></tr></thead>
                <tbody>{ for list.iter().map(|m| {
                    let show = {
                        let (history, id, serial) = (history.clone(), m.id, m.serial.clone());
                        Callback::from(move |_| history.set(Some((id, serial.clone()))))
                    };
                    html! {
                        <tr data-serial={m.serial.clone()}>
                            <td>{ &m.serial }</td><td>{ &m.service_name }</td>
                            <td class="last-reading">{ format!("{} ({})", m.last_reading.clone().unwrap_or_default(), m.last_flag.clone().unwrap_or_default()) }</td>
                            <td><ReadingCell meter_id={m.id} on_saved={saved.clone()} /></td>
                            <td><button class="meter-history" onclick={show}>{ ui.t(Key::ReadingHistory) }</button></td>
                        </tr>
                    }
                }) }</tbody>
            </table>
            if let Some((id, serial)) = &*history {
                <ReadingHistory key={*id} meter_id={*id} serial={serial.clone()} />
            }
        </div>
    }
}

/// The rows an import did not take: line, two of the row's fields (`keys`), reason.
pub fn protocol_table(
    id: &'static str,
    heads: [&str; 4],
    rows: &[serde_json::Value],
    keys: [&str; 2],
) -> Html {
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <table {id} class="grid">
            <thead><tr>{ for heads.iter().map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
            <tbody>{ for rows.iter().map(|x| html! {
                <tr><td>{ x["line"].to_string() }</td><td>{ x[keys[0]].as_str().unwrap_or("") }</td>
                    <td>{ x[keys[1]].as_str().unwrap_or("") }</td><td>{ x["reason"].as_str().unwrap_or("") }</td></tr>
            }) }</tbody>
        </table>
    }
}
