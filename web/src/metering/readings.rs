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
use crate::shared::drawer::Drawer;
use crate::shared::i18n::Key;
use crate::shared::premises_picker::PremisesPicker;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
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
    let chart_view = match &*rows {
        Some(Ok(list)) => chart(list),
        _ => html! {},
    };
    let columns = vec![
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("taken", ui.t(Key::TakenOn)).sortable(),
        Column::new("previous", ui.t(Key::PreviousReading)).numeric(),
        Column::new("current", ui.t(Key::CurrentReading))
            .numeric()
            .sortable(),
        Column::new("consumption", ui.t(Key::Consumption))
            .numeric()
            .sortable(),
        Column::new("basis", ui.t(Key::Basis)).sortable(),
        Column::new("source", ui.t(Key::Source))
            .sortable()
            .optional(),
        Column::new("entered", ui.t(Key::EnteredBy))
            .sortable()
            .optional(),
    ];
    let history = Rows::from((*rows).clone().map(|r| {
        r.map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, r)| {
                    Row::new(
                        i,
                        vec![
                            Cell::text(r.period.get(..7).unwrap_or(&r.period).to_owned()),
                            Cell::text(r.taken_on.clone()),
                            Cell::number(r.previous.clone(), ui.quantity(&r.previous)),
                            Cell::number(r.current.clone(), ui.quantity(&r.current)),
                            Cell::number(r.consumption.clone(), ui.quantity(&r.consumption)),
                            Cell::text(r.flag.clone()),
                            Cell::text(crate::shared::labels::reading_source(&ui, &r.source))
                                .attr("data-code", r.source.clone()),
                            Cell::text(r.entered_by.clone()),
                        ],
                    )
                })
                .collect()
        })
    }));
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
    let change_columns = vec![
        Column::new("at", ui.t(Key::When)).sortable(),
        Column::new("who", ui.t(Key::User)).sortable(),
        Column::new("action", ui.t(Key::ActionLabel)).sortable(),
        Column::new("changes", ui.t(Key::Change)),
    ];
    let change_rows = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let diff = crate::admin::audit::changes(c.changes.iter().map(|f| {
                (
                    f.field.as_str(),
                    f.label.as_str(),
                    f.before.as_str(),
                    f.after.as_str(),
                )
            }));
            Row::new(
                i,
                vec![
                    Cell::text(ui.moment(&c.at))
                        .sort_by(SortKey::Text(c.at.clone()))
                        .attr("data-at", c.at.clone()),
                    Cell::text(c.actor_login.clone().unwrap_or_default()),
                    Cell::text(crate::shared::labels::code(&ui, "audit_action", &c.action))
                        .attr("data-action", c.action.clone()),
                    Cell::html(diff).class("diff"),
                ],
            )
        })
        .collect::<Vec<_>>();
    html! {
        <div id="reading-history-card" class="card">
            <div class="inline">
                <label>{ ui.t(Key::FromPeriod) }<input id="history-from" type="month" value={(*from).clone()} oninput={bind(&from)} /></label>
                <label>{ ui.t(Key::ToPeriod) }<input id="history-to" type="month" value={(*to).clone()} oninput={bind(&to)} /></label>
            </div>
            { chart_view }
            <DataTable id="reading-history" {columns} rows={history} />
            <h4>{ ui.t(Key::MeterChanges) }</h4>
            <DataTable id="meter-changes" columns={change_columns} rows={Rows::Ready(change_rows)} page_size={0} />
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
    let columns = vec![
        Column::new("serial", ui.t(Key::SerialNumber)).sortable(),
        Column::new("service", ui.t(Key::FieldServices)).sortable(),
        Column::new("last", ui.t(Key::LastReading)),
        Column::new("new", ui.t(Key::NewReading)),
        Column::new("history", ""),
    ];
    let rows = list
        .iter()
        .map(|m| {
            let show = {
                let (history, id, serial) = (history.clone(), m.id, m.serial.clone());
                Callback::from(move |_| history.set(Some((id, serial.clone()))))
            };
            // As typed and stored (the value the next reading is checked against).
            let last = format!(
                "{} ({})",
                m.last_reading.clone().unwrap_or_default(),
                m.last_flag.clone().unwrap_or_default()
            );
            Row::new(
                m.id,
                vec![
                    Cell::text(m.serial.clone()),
                    Cell::text(m.service_name.clone()),
                    Cell::text(last).class("last-reading"),
                    Cell::html(html! { <ReadingCell meter_id={m.id} on_saved={saved.clone()} /> }),
                    Cell::html(html! { <button class="meter-history" onclick={show}>{ ui.t(Key::ReadingHistory) }</button> }),
                ],
            )
            .attr("data-serial", m.serial.clone())
        })
        .collect::<Vec<_>>();
    html! {
        <div id="account-meters" class="card">
            <h3>{ ui.t(Key::AccountMeters) }</h3>
            <DataTable id="account-meters-table" {columns} rows={Rows::Ready(rows)} page_size={0} />
            if let Some((id, serial)) = &*history {
                <Drawer id="history-drawer" title={format!("{} — {serial}", ui.t(Key::ReadingHistory))}
                    on_close={ let h = history.clone(); Callback::from(move |()| h.set(None)) }>
                    <ReadingHistory key={*id} meter_id={*id} />
                </Drawer>
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
    let columns = ["line", "key", "value", "reason"]
        .into_iter()
        .zip(heads)
        .enumerate()
        .map(|(i, (id, head))| {
            let c = Column::new(id, head.to_owned()).sortable();
            if i == 0 { c.numeric() } else { c }
        })
        .collect::<Vec<_>>();
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, x)| {
            Row::new(
                i,
                vec![
                    Cell::number(x["line"].to_string(), x["line"].to_string()),
                    Cell::text(x[keys[0]].as_str().unwrap_or_default()),
                    Cell::text(x[keys[1]].as_str().unwrap_or_default()),
                    Cell::text(x["reason"].as_str().unwrap_or_default()),
                ],
            )
        })
        .collect::<Vec<_>>();
    html! { <DataTable {id} {columns} rows={Rows::Ready(rows)} /> }
}
