//! The premises card (seed 001 §6.4 «Картка квартири»): floor, entrance, riser, rooms,
//! stove, its own price list, and its areas from a date on (total, living, heated).

use yew::prelude::*;

use super::bind;
use crate::shared::api::{
    self, DeletePremises, PriceChoices, SetPremisesAreas, UpdatePremises, building_card,
    delete_premises, price_choices, set_premises_areas, update_premises,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, choose, field_error, invalid, missing, pick, receipt};
use crate::shared::i18n::Key;
use crate::shared::labels::STOVES;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub premises: building_card::BuildingCardBuildingPremises,
    pub on_saved: Callback<()>,
}

fn num(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// A decimal as typed ("52,4" or "52.4"); empty is none.
fn decimal(s: &str) -> Option<String> {
    Some(s.trim().replace([' ', '\u{a0}'], "").replace(',', ".")).filter(|s| !s.is_empty())
}

#[function_component(PremisesEditor)]
pub fn premises_editor(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (can.allows("accounts.update"), can.allows("accounts.delete"));
    let p = &props.premises;
    let floor = use_state(|| num(p.floor));
    let entrance = use_state(|| num(p.entrance));
    let riser = use_state(|| num(p.riser));
    let rooms = use_state(|| num(p.rooms));
    let stove = use_state(|| p.stove_type.clone());
    let price_list = use_state(|| p.price_list_id);
    let late_list = use_state(|| p.late_price_list_id);
    let lists = use_state(Vec::<(i64, String)>::new);
    {
        let lists = lists.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(c) = api::run::<PriceChoices>(price_choices::Variables {}).await {
                    lists.set(
                        c.price_lists
                            .items
                            .into_iter()
                            .map(|l| (l.id, l.name))
                            .collect(),
                    );
                }
            });
        });
    }
    let saved = use_state(|| None as Outcome);
    let on_save = {
        let (floor, entrance, riser, rooms, stove, price_list) = (
            floor.clone(),
            entrance.clone(),
            riser.clone(),
            rooms.clone(),
            stove.clone(),
            price_list.clone(),
        );
        let late_list = late_list.clone();
        let (id, outcome, done) = (p.id, saved.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // A whole number as typed; anything else goes as typed would not parse, so
            // the field is refused here naming it.
            let int = |field: &'static str, s: &str| -> Result<Option<i64>, &'static str> {
                match s.trim() {
                    "" => Ok(None),
                    t => t.parse().map(Some).map_err(|_| field),
                }
            };
            let parsed = (|| {
                Ok::<_, &'static str>((
                    int("floor", &floor)?,
                    int("entrance", &entrance)?,
                    int("riser", &riser)?,
                    int("rooms", &rooms)?,
                ))
            })();
            let (floor, entrance, riser, rooms) = match parsed {
                Ok(v) => v,
                Err(field) => {
                    return outcome.set(Some(Err(api::ApiError {
                        code: "VALIDATION".into(),
                        field: Some(field.into()),
                        message: ui.t(Key::PremWholeNumber).to_owned(),
                        missing: Vec::new(),
                    })));
                }
            };
            let input = update_premises::PremisesInput {
                floor,
                entrance,
                riser,
                rooms,
                stove_type: (*stove).clone(),
                price_list_id: *price_list,
                late_price_list_id: *late_list,
            };
            let (outcome, done) = (outcome.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdatePremises>(update_premises::Variables { id, input }).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        done.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let (from, total, living, heated) = (
        use_state(crate::payments::today),
        use_state(|| p.total_area.clone().unwrap_or_default()),
        use_state(|| p.living_area.clone().unwrap_or_default()),
        use_state(|| p.heated_area.clone().unwrap_or_default()),
    );
    let areas_saved = use_state(|| None as Outcome);
    let on_areas = {
        let (from, total, living, heated) =
            (from.clone(), total.clone(), living.clone(), heated.clone());
        let (id, outcome, done) = (p.id, areas_saved.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(
                &ui,
                &[("validFrom", from.as_str()), ("totalArea", total.as_str())],
            ) {
                return outcome.set(Some(Err(refused)));
            }
            let input = set_premises_areas::AreasInput {
                valid_from: (*from).clone(),
                total_area: decimal(&total).unwrap_or_default(),
                living_area: decimal(&living),
                heated_area: decimal(&heated),
            };
            let (outcome, done) = (outcome.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetPremisesAreas>(set_premises_areas::Variables {
                    premises_id: id,
                    input,
                })
                .await
                {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        done.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    // Premises entered by mistake go (not those with an account or a meter).
    let on_delete = {
        let (id, outcome, done) = (p.id, saved.clone(), props.on_saved.clone());
        Callback::from(move |_| {
            if !confirm(&ui, Key::ConfirmDelete) {
                return;
            }
            let (outcome, done) = (outcome.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<DeletePremises>(delete_premises::Variables { id }).await {
                    Ok(_) => done.emit(()),
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let field = |id: &'static str, key: Key, name: &'static str, state: &UseStateHandle<String>| {
        html! {
            <label>{ ui.t(key) }<input id={id} inputmode="numeric" aria-invalid={invalid(&saved, name)} value={(**state).clone()} oninput={bind(state)} />{ field_error(&saved, name) }</label>
        }
    };
    let area = |id: &'static str, key: Key, name: &'static str, state: &UseStateHandle<String>| {
        html! {
            <label>{ ui.t(key) }<input id={id} inputmode="decimal" aria-invalid={invalid(&areas_saved, name)} value={(**state).clone()} oninput={bind(state)} />{ field_error(&areas_saved, name) }</label>
        }
    };
    html! {
        <div id="premises-editor" class="card-view" data-id={p.id.to_string()}>
            <h4>{ format!("{} {}", ui.t(Key::Apartment), p.number) }</h4>
            <form id="premises-form" class="card" novalidate=true onsubmit={on_save}>
                { field("pe-floor", Key::Floor, "floor", &floor) }
                { field("pe-entrance", Key::Entrance, "entrance", &entrance) }
                { field("pe-riser", Key::PremRiser, "riser", &riser) }
                { field("pe-rooms", Key::Rooms, "rooms", &rooms) }
                <label>{ ui.t(Key::PremStove) }
                    <select id="pe-stove" onchange={choose(&stove)}>{ STOVES.options(&ui, &stove) }</select>
                    { field_error(&saved, "stoveType") }
                </label>
                <label>{ ui.t(Key::PremPriceList) }
                    <select id="pe-price-list" onchange={pick(&price_list)}>
                        <option value="" selected={price_list.is_none()}>{ ui.t(Key::PremBuildingsList) }</option>
                        { for lists.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={*price_list == Some(*id)}>{ name }</option> }) }
                    </select>
                    { field_error(&saved, "priceListId") }
                </label>
                <label>{ ui.t(Key::LatePriceList) }
                    <select id="pe-late-price-list" onchange={pick(&late_list)}>
                        <option value="" selected={late_list.is_none()}>{ ui.t(Key::PremBuildingsList) }</option>
                        { for lists.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={*late_list == Some(*id)}>{ name }</option> }) }
                    </select>
                    { field_error(&saved, "latePriceListId") }
                </label>
                if may_update { <button id="pe-save" type="submit">{ ui.t(Key::Save) }</button> }
                if may_delete { <button id="pe-delete" type="button" class="danger" onclick={on_delete}>{ ui.t(Key::Delete) }</button> }
                { receipt(&ui, &saved, "pe-saved", &["floor", "entrance", "riser", "rooms", "stoveType", "priceListId", "latePriceListId"]) }
            </form>
            <form id="premises-areas" class="card" novalidate=true onsubmit={on_areas}>
                <h4>{ ui.t(Key::PremAreas) }</h4>
                <label>{ ui.t(Key::ValidFrom) }<input id="pa-from" type="date" aria-required="true" aria-invalid={invalid(&areas_saved, "validFrom")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&areas_saved, "validFrom") }</label>
                { area("pa-total", Key::TotalArea, "totalArea", &total) }
                { area("pa-living", Key::LivingArea, "livingArea", &living) }
                { area("pa-heated", Key::PremHeatedArea, "heatedArea", &heated) }
                if may_update { <button id="pa-save" type="submit">{ ui.t(Key::Save) }</button> }
                { receipt(&ui, &areas_saved, "pa-saved", &["validFrom", "totalArea", "livingArea", "heatedArea"]) }
            </form>
        </div>
    }
}
