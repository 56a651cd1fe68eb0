//! The building card's edit form: characteristics, areas, lifts, the price list, the
//! services the building is provided with and the controller who reads its meters.

use yew::prelude::*;

use super::{bind, error_text, opt};
use crate::shared::api::{
    self, DeleteBuilding, PriceChoices, UpdateBuilding, building_card, delete_building,
    price_choices, update_building,
};
use crate::shared::confirm::confirm;
use crate::shared::form::pick;
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: i64,
    pub details: building_card::BuildingCardBuildingDetails,
    pub on_saved: Callback<()>,
    /// Called when the building was deleted.
    #[prop_or_default]
    pub on_deleted: Callback<()>,
}

fn num(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

#[function_component(BuildingEditor)]
pub fn building_editor(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (can.allows("accounts.update"), can.allows("accounts.delete"));
    let d = &props.details;
    let floors = use_state(|| num(d.floors));
    let entrances = use_state(|| num(d.entrances));
    let year = use_state(|| num(d.year_built));
    let lifts = use_state(|| d.lifts.to_string());
    let total = use_state(|| d.total_area.clone().unwrap_or_default());
    let living = use_state(|| d.living_area.clone().unwrap_or_default());
    let common = use_state(|| d.common_area.clone().unwrap_or_default());
    let price_list = use_state(|| d.price_list_id);
    let late_list = use_state(|| d.late_price_list_id);
    let services = use_state(|| d.service_ids.clone());
    let controller = use_state(|| d.controller_id);
    let choices = use_state(|| None::<price_choices::ResponseData>);
    let message = use_state(|| None::<String>);
    {
        let choices = choices.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(c) = api::run::<PriceChoices>(price_choices::Variables {}).await {
                    choices.set(Some(c));
                }
            });
        });
    }
    let on_save = {
        let (id, branch) = (props.id, d.branch_id);
        let (floors, entrances, year, lifts) = (
            floors.clone(),
            entrances.clone(),
            year.clone(),
            lifts.clone(),
        );
        let (total, living, common, price_list, services, controller) = (
            total.clone(),
            living.clone(),
            common.clone(),
            price_list.clone(),
            services.clone(),
            controller.clone(),
        );
        let late_list = late_list.clone();
        let (message, saved) = (message.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Whole numbers as typed; something else is sent as nothing and the
            // server's rule for the field applies.
            let int = |s: &str| s.trim().parse::<i64>().ok();
            let input = update_building::BuildingInput {
                branch_id: branch,
                floors: int(&floors),
                entrances: int(&entrances),
                year_built: int(&year),
                lifts: int(&lifts).unwrap_or(-1),
                total_area: opt(&total),
                living_area: opt(&living),
                common_area: opt(&common),
                price_list_id: *price_list,
                late_price_list_id: *late_list,
                service_ids: (*services).clone(),
                controller_id: *controller,
            };
            let (message, saved) = (message.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateBuilding>(update_building::Variables { id, input }).await {
                    Ok(_) => {
                        message.set(Some(ui.t(Key::Done).to_owned()));
                        saved.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    // A building entered by mistake goes with its premises (not one with accounts or
    // meters: the server says so).
    let on_delete = {
        let (id, message, deleted) = (props.id, message.clone(), props.on_deleted.clone());
        Callback::from(move |_| {
            if !confirm(&ui, Key::ConfirmDelete) {
                return;
            }
            let (message, deleted) = (message.clone(), deleted.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<DeleteBuilding>(delete_building::Variables { id }).await {
                    Ok(_) => deleted.emit(()),
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    // Employees marked as controllers (and the one assigned, whatever became of them).
    let controllers: Html = choices
        .as_ref()
        .map(|c| {
            c.employees
                .items
                .iter()
                .filter(|e| {
                    *controller == Some(e.id)
                        || (e.active && e.extra["isController"].as_bool() == Some(true))
                })
                .map(|e| html! { <option value={e.id.to_string()} selected={*controller == Some(e.id)}>{ &e.name }</option> })
                .collect()
        })
        .unwrap_or_default();
    let options = |chosen: Option<i64>| {
        match &*choices {
        Some(c) => c
            .price_lists
            .items
            .iter()
            .map(|l| html! { <option value={l.id.to_string()} selected={chosen == Some(l.id)}>{ &l.name }</option> })
            .collect::<Html>(),
        None => html! {},
    }
    };
    let (lists, late_lists) = (options(*price_list), options(*late_list));
    let service_boxes = match &*choices {
        Some(c) => {
            c.services
                .items
                .iter()
                .map(|s| {
                    let (sid, services) = (s.id, services.clone());
                    let checked = services.contains(&sid);
                    let onchange = Callback::from(move |_| {
                        let mut v = (*services).clone();
                        if v.contains(&sid) {
                            v.retain(|x| *x != sid);
                        } else {
                            v.push(sid);
                        }
                        services.set(v);
                    });
                    html! { <label class="check"><input type="checkbox" name="building-service" value={sid.to_string()} {checked} {onchange} />{ &s.name }</label> }
                })
                .collect::<Html>()
        }
        None => html! {},
    };
    html! {
        <form id="building-editor" class="card" onsubmit={on_save}>
            <h4>{ ui.t(Key::BuildingCharacteristics) }</h4>
            <label>{ ui.t(Key::Floors) }<input id="be-floors" inputmode="numeric" value={(*floors).clone()} oninput={bind(&floors)} /></label>
            <label>{ ui.t(Key::Entrances) }<input id="be-entrances" inputmode="numeric" value={(*entrances).clone()} oninput={bind(&entrances)} /></label>
            <label>{ ui.t(Key::YearBuilt) }<input id="be-year" inputmode="numeric" value={(*year).clone()} oninput={bind(&year)} /></label>
            <label>{ ui.t(Key::Lifts) }<input id="be-lifts" inputmode="numeric" value={(*lifts).clone()} oninput={bind(&lifts)} /></label>
            <label>{ ui.t(Key::TotalArea) }<input id="be-total" inputmode="decimal" value={(*total).clone()} oninput={bind(&total)} /></label>
            <label>{ ui.t(Key::LivingArea) }<input id="be-living" inputmode="decimal" value={(*living).clone()} oninput={bind(&living)} /></label>
            <label>{ ui.t(Key::CommonArea) }<input id="be-common" inputmode="decimal" value={(*common).clone()} oninput={bind(&common)} /></label>
            <label>{ crate::shared::labels::code(&ui, "Book", "PRICE_LISTS") }
                <select id="be-price-list" onchange={pick(&price_list)}>
                    <option value="" selected={price_list.is_none()}>{ "—" }</option>
                    { lists }
                </select>
            </label>
            <label>{ ui.t(Key::LatePriceList) }
                <select id="be-late-price-list" onchange={pick(&late_list)}>
                    <option value="" selected={late_list.is_none()}>{ "—" }</option>
                    { late_lists }
                </select>
            </label>
            <label>{ ui.t(Key::BuildingController) }
                <select id="be-controller" onchange={pick(&controller)}>
                    <option value="" selected={controller.is_none()}>{ "—" }</option>
                    { controllers }
                </select>
            </label>
            <fieldset class="services"><legend>{ ui.t(Key::ServicesProvided) }</legend>{ service_boxes }</fieldset>
            if may_update { <button id="be-save" type="submit">{ ui.t(Key::Save) }</button> }
            if may_delete { <button id="be-delete" type="button" class="danger" onclick={on_delete}>{ ui.t(Key::Delete) }</button> }
            if let Some(m) = &*message { <p id="be-message" role="status">{ m }</p> }
        </form>
    }
}
