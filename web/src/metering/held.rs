//! Readings held for review: subscribers' portal values far above the meter's usual, each
//! with what was usual; an operator accepts one (it is entered as submitted) or rejects it
//! with a reason the subscriber reads in the portal.

use yew::prelude::*;

use crate::admin::error_text;
use crate::shared::api::{
    self, AcceptHeldReading, HeldReadings, RejectHeldReading, accept_held_reading, held_readings,
    reject_held_reading,
};
use crate::shared::i18n::{Key, text_n};
use crate::shared::labels::code;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shell::routes::{NavLink, Route};
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct HeldProps {
    /// Called after a decision (the meters' last readings change).
    pub on_decided: Callback<()>,
}

#[function_component(HeldReadingsCard)]
pub fn held_readings_card(props: &HeldProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_decide = use_can().allows("readings.update");
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<held_readings::HeldReadingsHeldReadings, String>>);
    let notes = use_state(std::collections::HashMap::<i64, String>::new);
    let message = use_state(|| None::<String>);
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let vars = held_readings::Variables {
                    state: Some("held".into()),
                };
                data.set(Some(
                    api::run::<HeldReadings>(vars)
                        .await
                        .map(|d| d.held_readings),
                ));
            });
        });
    }
    let Some(Ok(page)) = &*data else {
        return html! {};
    };
    // Nothing waits: the card stays out of the way.
    if page.items.is_empty() {
        return html! {};
    }
    let decide = |id: i64, accept: bool| {
        let (version, message, notes, done) = (
            version.clone(),
            message.clone(),
            notes.clone(),
            props.on_decided.clone(),
        );
        Callback::from(move |_| {
            let note = notes.get(&id).cloned().unwrap_or_default();
            let (version, message, done) = (version.clone(), message.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = if accept {
                    api::call::<AcceptHeldReading>(accept_held_reading::Variables { id })
                        .await
                        .map(|d| Some(d.accept_held_reading.warning))
                } else {
                    api::call::<RejectHeldReading>(reject_held_reading::Variables { id, note })
                        .await
                        .map(|_| None)
                };
                match r {
                    Ok(warning) => {
                        message.set(warning);
                        version.set(*version + 1);
                        done.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let rows = page.items.iter().map(|h| {
        let note = notes.get(&h.id).cloned().unwrap_or_default();
        let on_note = {
            let (notes, id) = (notes.clone(), h.id);
            Callback::from(move |e: InputEvent| {
                let mut all = (*notes).clone();
                all.insert(id, e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
                notes.set(all);
            })
        };
        let account = match (h.account_id, &h.account_number) {
            (Some(id), Some(n)) => html! { <NavLink to={Route::Account { id }}>{ n }</NavLink> },
            _ => html! {},
        };
        let submitted = html! {
            <>{ &h.submitted_by }<div class="muted">{ code(&ui, "held_readings_source", &h.source) }{ " · " }{ ui.moment(&h.submitted_at) }</div></>
        };
        let mut cells = vec![
            Cell::html(account).sort_by(SortKey::Text(h.account_number.clone().unwrap_or_default())),
            Cell::html(html! { <>{ &h.meter_serial }<div class="muted">{ &h.service_name }</div></> })
                .sort_by(SortKey::Text(h.meter_serial.clone())),
            Cell::text(h.period.clone()),
            Cell::number(h.current.clone(), ui.quantity(&h.current)),
            Cell::number(h.consumption.clone(), ui.quantity(&h.consumption)).class("warn"),
            Cell::html(html! { <>{ ui.quantity(&h.usual) }<div class="muted">{ code(&ui, "held_readings_usual_basis", &h.usual_basis) }</div></> })
                .sort_by(SortKey::Number(h.usual.clone())),
            Cell::html(submitted).sort_by(SortKey::Text(h.submitted_at.clone())),
        ];
        if may_decide {
            cells.push(
                Cell::html(html! {
                    <>
                        <button class="held-accept" onclick={decide(h.id, true)}>{ ui.t(Key::HeldAccept) }</button>
                        <input class="held-note" aria-label={ui.t(Key::HeldRejectReason)} placeholder={ui.t(Key::HeldRejectReason)} value={note} oninput={on_note} />
                        <button class="held-reject danger" onclick={decide(h.id, false)}>{ ui.t(Key::HeldReject) }</button>
                    </>
                })
                .class("actions"),
            );
        }
        Row::new(h.id, cells).attr("data-held", h.id.to_string())
    }).collect::<Vec<_>>();
    let mut columns = vec![
        Column::new("account", ui.t(Key::ColAccount)).sortable(),
        Column::new("serial", ui.t(Key::SerialNumber)).sortable(),
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("value", ui.t(Key::HeldValue))
            .numeric()
            .sortable(),
        Column::new("consumption", ui.t(Key::HeldConsumption))
            .numeric()
            .sortable(),
        Column::new("usual", ui.t(Key::HeldUsual))
            .numeric()
            .sortable(),
        Column::new("submitted", ui.t(Key::HeldSubmitted)).sortable(),
    ];
    if may_decide {
        columns.push(Column::new("actions", ""));
    }
    html! {
        <div id="held-readings" class="card">
            <h3>{ text_n(ui.lang, Key::HeldTitle, page.total) }</h3>
            <p class="hint">{ ui.t(Key::HeldHint) }</p>
            <DataTable id="held-table" {columns} rows={Rows::Ready(rows)} />
            if let Some(m) = &*message { <p id="held-message" role="status">{ m }</p> }
        </div>
    }
}
