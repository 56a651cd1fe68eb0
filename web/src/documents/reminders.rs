//! Reminders to subscribers (tenant admins): the days of the month and the hour they go,
//! "send now" for each kind, and the runs with their messages counted by state.

use yew::prelude::*;

use crate::admin::{bind, opt};
use crate::shared::api::{
    self, ReminderSettingsQuery, SendRemindersNow, UpdateReminderSettings, reminder_settings_query,
    send_reminders_now, update_reminder_settings,
};
use crate::shared::form::{Outcome, field_error, form_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::Ui;

type Runs = Vec<reminder_settings_query::ReminderSettingsQueryReminderRuns>;

#[function_component(RemindersCard)]
pub fn reminders_card() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let readings_day = use_state(String::new);
    let payment_day = use_state(String::new);
    let hour = use_state(|| "9".to_owned());
    let runs = use_state(Runs::new);
    let generation = use_state(|| 0u32);
    let message = use_state(|| None as Outcome<String>);
    // The days take typing once the saved ones are in (else the answer overwrites them).
    let loaded = use_state(|| false);
    {
        let loaded = loaded.clone();
        let (readings_day, payment_day, hour, runs) = (
            readings_day.clone(),
            payment_day.clone(),
            hour.clone(),
            runs.clone(),
        );
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) =
                    api::run::<ReminderSettingsQuery>(reminder_settings_query::Variables {}).await
                {
                    let s = d.reminder_settings;
                    let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                    readings_day.set(text(s.readings_reminder_day));
                    payment_day.set(text(s.payment_reminder_day));
                    hour.set(s.reminder_hour.to_string());
                    runs.set(d.reminder_runs);
                }
                loaded.set(true);
            });
        });
    }
    let save = {
        let (readings_day, payment_day, hour, message) = (
            readings_day.clone(),
            payment_day.clone(),
            hour.clone(),
            message.clone(),
        );
        let saved = ui.t(Key::PaySaved).to_owned();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Text that is not a number goes as 0 / -1, which the server refuses by field.
            let day = |s: &str| opt(s).map(|v| v.parse().unwrap_or(0));
            let input = update_reminder_settings::ReminderSettingsInput {
                readings_reminder_day: day(&readings_day),
                payment_reminder_day: day(&payment_day),
                reminder_hour: hour.trim().parse().unwrap_or(-1),
            };
            let (message, saved) = (message.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateReminderSettings>(update_reminder_settings::Variables {
                    input,
                })
                .await
                {
                    Ok(_) => message.set(Some(Ok(saved))),
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let send = |kind: &'static str| {
        let (message, generation) = (message.clone(), generation.clone());
        let queued = ui.t(Key::MailQueued).to_owned();
        Callback::from(move |_| {
            let (message, generation, queued) =
                (message.clone(), generation.clone(), queued.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = send_reminders_now::Variables {
                    kind: kind.to_owned(),
                };
                let id = match api::call::<SendRemindersNow>(vars).await {
                    Ok(d) => d.send_reminders_now.id,
                    Err(e) => return message.set(Some(Err(e))),
                };
                match api::wait_job(&id, |_| {}).await {
                    Ok(r) => message.set(Some(Ok(format!("{queued}: {}", r["messages"])))),
                    Err(e) => message.set(Some(Err(api::ApiError::text(e)))),
                }
                generation.set(*generation + 1);
            });
        })
    };
    let refresh = {
        let g = generation.clone();
        Callback::from(move |_| g.set(*g + 1))
    };
    let field = |key: Key, id: &'static str, name: &'static str, state: &UseStateHandle<String>| {
        html! {
            <label>{ ui.t(key) }<input {id} type="number" min="0" max="31" disabled={!*loaded} aria-invalid={invalid(&message, name)} value={(**state).clone()} oninput={bind(state)} />{ field_error(&message, name) }</label>
        }
    };
    let kind_name = |k: &str| crate::shared::labels::code(&ui, "reminder_runs_kind", k);
    let run_columns = vec![
        Column::new("day", ui.t(Key::RemDay)).sortable(),
        Column::new("kind", ui.t(Key::ColType)).sortable(),
        Column::new("by", ui.t(Key::RemRequestedBy))
            .sortable()
            .optional(),
        Column::new("queued", ui.t(Key::MailQueued))
            .numeric()
            .sortable(),
        Column::new("sent", ui.t(Key::RemSent)).numeric().sortable(),
        Column::new("failed", ui.t(Key::RemFailed))
            .numeric()
            .sortable(),
        Column::new("skipped", ui.t(Key::RemSkipped))
            .numeric()
            .sortable()
            .optional(),
    ];
    let run_rows = runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Row::new(
                i,
                vec![
                    Cell::text(r.run_on.clone()),
                    Cell::text(kind_name(&r.kind)),
                    Cell::text(r.requested_by.clone()),
                    Cell::count(r.queued),
                    Cell::count(r.sent),
                    Cell::count(r.failed),
                    Cell::count(r.skipped),
                ],
            )
            .class(format!("run-{}", r.kind))
        })
        .collect::<Vec<_>>();
    html! {
        // The server checks the values and names the field in the user's language; the
        // browser's own range check would only block the form without saying which rule.
        <form id="reminders" class="card" novalidate=true onsubmit={save}>
            <h3>{ ui.t(Key::RemTitle) }</h3>
            <p class="hint">{ ui.t(Key::RemHint) }</p>
            <div class="inline">
                { field(Key::RemReadingsDay, "rem-readings-day", "readingsReminderDay", &readings_day) }
                { field(Key::RemPaymentDay, "rem-payment-day", "paymentReminderDay", &payment_day) }
                { field(Key::RemHour, "rem-hour", "reminderHour", &hour) }
            </div>
            <div class="inline">
                <button id="rem-save" type="submit">{ ui.t(Key::Save) }</button>
                <button id="rem-send-readings" type="button" onclick={send("readings")}>{ ui.t(Key::RemSendReadings) }</button>
                <button id="rem-send-payment" type="button" onclick={send("payment")}>{ ui.t(Key::RemSendPayment) }</button>
                <button id="rem-refresh" type="button" onclick={refresh}>{ ui.t(Key::MailRefresh) }</button>
            </div>
            { match &*message {
                None => html! {},
                Some(Ok(m)) => html! { <span id="rem-message" role="status">{ m }</span> },
                Some(Err(_)) => form_error(&message, Some("rem-error"), &["readingsReminderDay", "paymentReminderDay", "reminderHour"]),
            } }
            if !runs.is_empty() {
                <DataTable id="reminder-runs" columns={run_columns} rows={Rows::Ready(run_rows)} />
            }
        </form>
    }
}
