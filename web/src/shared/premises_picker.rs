//! Choosing premises: a building found by its address (the searchable picker), then
//! one of its premises.

use yew::prelude::*;

use crate::shared::api::{self, BuildingCard, building_card};
use crate::shared::i18n::Key;
use crate::shared::picker::{PickKind, Picker};
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
    let apartments = use_state(Vec::<building_card::BuildingCardBuildingPremises>::new);
    {
        let apartments = apartments.clone();
        use_effect_with(*building, move |b| {
            apartments.set(Vec::new());
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
        Callback::from(move |id: Option<i64>| {
            building.set(id);
            told.emit(id);
            pick.emit(None);
        })
    };
    let on_premises = {
        let pick = props.on_pick.clone();
        Callback::from(move |e: Event| pick.emit(value(&e)))
    };
    html! {
        <>
            <Picker id={format!("{}-building", props.prefix)} kind={PickKind::Building}
                label={ui.t(Key::BuildingNo)} on_pick={on_building} />
            <label>{ ui.t(Key::Apartment) }
                <select id={format!("{}-premises", props.prefix)} onchange={on_premises}>
                    <option value="">{ ui.t(Key::Choose) }</option>
                    { for apartments.iter().map(|p| html! { <option value={p.id.to_string()}>{ &p.number }</option> }) }
                </select>
            </label>
        </>
    }
}
