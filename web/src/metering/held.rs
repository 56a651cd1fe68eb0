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
        html! {
            <tr data-held={h.id.to_string()}>
                <td>{ account }</td>
                <td>{ &h.meter_serial }<div class="muted">{ &h.service_name }</div></td>
                <td>{ &h.period }</td>
                <td class="num">{ ui.quantity(&h.current) }</td>
                <td class="num warn">{ ui.quantity(&h.consumption) }</td>
                <td class="num">{ ui.quantity(&h.usual) }<div class="muted">{ code(&ui, "held_readings_usual_basis", &h.usual_basis) }</div></td>
                <td>{ &h.submitted_by }<div class="muted">{ code(&ui, "held_readings_source", &h.source) }{ " · " }{ ui.moment(&h.submitted_at) }</div></td>
                if may_decide {
                    <td class="actions">
                        <button class="held-accept" onclick={decide(h.id, true)}>{ ui.t(Key::HeldAccept) }</button>
                        <input class="held-note" aria-label={ui.t(Key::HeldRejectReason)} placeholder={ui.t(Key::HeldRejectReason)} value={note} oninput={on_note} />
                        <button class="held-reject danger" onclick={decide(h.id, false)}>{ ui.t(Key::HeldReject) }</button>
                    </td>
                }
            </tr>
        }
    });
    html! {
        <div id="held-readings" class="card">
            <h3>{ text_n(ui.lang, Key::HeldTitle, page.total) }</h3>
            <p class="hint">{ ui.t(Key::HeldHint) }</p>
            <div class="scroll-x">
                <table class="grid">
                    <thead><tr>
                        <th>{ ui.t(Key::ColAccount) }</th><th>{ ui.t(Key::SerialNumber) }</th><th>{ ui.t(Key::Period) }</th>
                        <th>{ ui.t(Key::HeldValue) }</th><th>{ ui.t(Key::HeldConsumption) }</th><th>{ ui.t(Key::HeldUsual) }</th>
                        <th>{ ui.t(Key::HeldSubmitted) }</th>
                        if may_decide { <th></th> }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if let Some(m) = &*message { <p id="held-message" role="status">{ m }</p> }
        </div>
    }
}
