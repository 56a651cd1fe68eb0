//! The meter card's main meter (seed 001 §6.7.1): the building, group, riser or entrance
//! meter this one is under, chosen from the meters the rules allow, or taken off it. The
//! server's protocol (a refusal's reason, the re-form warning) is shown as it answers.

use yew::prelude::*;

use crate::admin::error_text;
use crate::shared::api::{
    self, AssignMainMeter, MainMeterChoices, RemoveMainMeter, assign_main_meter,
    main_meter_choices, remove_main_meter,
};
use crate::shared::form::pick;
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub meter_id: i64,
    pub parent_serial: Option<String>,
    pub on_changed: Callback<()>,
}

/// What the hierarchy operation answered, as one line.
fn said(changed: i64, reasons: Vec<String>, warning: Option<String>, ui: &Ui) -> String {
    if changed > 0 {
        warning.map_or_else(
            || ui.t(Key::Done).to_owned(),
            |w| format!("{} — {w}", ui.t(Key::Done)),
        )
    } else {
        reasons.join("; ")
    }
}

#[function_component(MainMeterPanel)]
pub fn main_meter_panel(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_update = use_can().allows("meters.update");
    let choices = use_state(Vec::<main_meter_choices::MainMeterChoicesMainMeterChoices>::new);
    let chosen = use_state(|| None::<i64>);
    let message = use_state(|| None::<String>);
    {
        let (choices, chosen, meter_id) = (choices.clone(), chosen.clone(), props.meter_id);
        use_effect_with(meter_id, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let vars = main_meter_choices::Variables { meter_id };
                if let Ok(d) = api::run::<MainMeterChoices>(vars).await {
                    chosen.set(d.main_meter_choices.first().map(|c| c.id));
                    choices.set(d.main_meter_choices);
                }
            });
        });
    }
    let assign = {
        let (id, chosen, message, changed) = (
            props.meter_id,
            chosen.clone(),
            message.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |_| {
            let Some(main_id) = *chosen else { return };
            let (message, changed) = (message.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = assign_main_meter::Variables {
                    main_id,
                    meter_ids: vec![id],
                };
                match api::call::<AssignMainMeter>(vars).await {
                    Ok(d) => {
                        let r = d.assign_main_meter;
                        let reasons = r.skipped.into_iter().map(|s| s.reason).collect();
                        message.set(Some(said(r.changed, reasons, r.warning, &ui)));
                        if r.changed > 0 {
                            changed.emit(());
                        }
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let remove = {
        let (id, message, changed) = (props.meter_id, message.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            let (message, changed) = (message.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = remove_main_meter::Variables {
                    meter_ids: vec![id],
                };
                match api::call::<RemoveMainMeter>(vars).await {
                    Ok(d) => {
                        let r = d.remove_main_meter;
                        let reasons = r.skipped.into_iter().map(|s| s.reason).collect();
                        message.set(Some(said(r.changed, reasons, r.warning, &ui)));
                        if r.changed > 0 {
                            changed.emit(());
                        }
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <fieldset id="mc-main">
            <legend>{ ui.t(Key::MainMeter) }</legend>
            <p id="mc-main-current">{ props.parent_serial.clone().unwrap_or_else(|| "—".into()) }</p>
            if may_update {
                if props.parent_serial.is_some() {
                    <button id="mc-main-remove" type="button" onclick={remove}>{ ui.t(Key::RemoveMain) }</button>
                } else {
                    <select id="mc-main-choice" onchange={pick(&chosen)}>
                        { for choices.iter().map(|c| html! {
                            <option value={c.id.to_string()} selected={*chosen == Some(c.id)}>
                                { format!("{} — {} ({})", c.serial, c.address, crate::shared::labels::code(&ui, "meters_method", &c.install_method)) }
                            </option>
                        }) }
                    </select>
                    <button id="mc-main-assign" type="button" disabled={chosen.is_none()} onclick={assign}>{ ui.t(Key::AssignMain) }</button>
                }
            }
            if let Some(m) = &*message { <p id="mc-main-message" role="status">{ m }</p> }
        </fieldset>
    }
}
