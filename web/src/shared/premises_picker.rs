//! Choosing premises: a building from the list, then one of its premises.

use yew::prelude::*;

use crate::shared::api::{self, BuildingCard, Buildings, building_card, buildings};
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The id prefix of the two selects (`<prefix>-building`, `<prefix>-premises`).
    pub prefix: AttrValue,
    pub on_pick: Callback<Option<i64>>,
    /// Told the building when one is chosen (for building-level records such as meters).
    #[prop_or_default]
    pub on_building: Callback<Option<i64>>,
}

#[function_component(PremisesPicker)]
pub fn premises_picker(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let building = use_state(|| None::<i64>);
    let list = use_state(Vec::<buildings::BuildingsBuildingsItems>::new);
    let apartments = use_state(Vec::<building_card::BuildingCardBuildingPremises>::new);
    {
        let list = list.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<Buildings>(buildings::Variables { search: None }).await {
                    list.set(d.buildings.items);
                }
            });
        });
    }
    {
        let apartments = apartments.clone();
        use_effect_with(*building, move |b| {
            if let Some(id) = *b {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) = api::run::<BuildingCard>(building_card::Variables { id }).await {
                        apartments.set(d.building.premises);
                    }
                });
            }
        });
    }
    let value = |e: &Event| {
        e.target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value()
            .parse::<i64>()
            .ok()
    };
    let on_building = {
        let (building, pick, told) = (
            building.clone(),
            props.on_pick.clone(),
            props.on_building.clone(),
        );
        Callback::from(move |e: Event| {
            building.set(value(&e));
            told.emit(value(&e));
            pick.emit(None);
        })
    };
    let on_premises = {
        let pick = props.on_pick.clone();
        Callback::from(move |e: Event| pick.emit(value(&e)))
    };
    html! {
        <>
            <label>{ ui.t(Key::BuildingNo) }
                <select id={format!("{}-building", props.prefix)} onchange={on_building}>
                    <option value="">{ ui.t(Key::Choose) }</option>
                    { for list.iter().map(|b| html! { <option value={b.id.to_string()}>{ &b.address }</option> }) }
                </select>
            </label>
            <label>{ ui.t(Key::Apartment) }
                <select id={format!("{}-premises", props.prefix)} onchange={on_premises}>
                    <option value="">{ ui.t(Key::Choose) }</option>
                    { for apartments.iter().map(|p| html! { <option value={p.id.to_string()}>{ &p.number }</option> }) }
                </select>
            </label>
        </>
    }
}
