//! The building card's address part (seed 001 §2.1, §6.4): the building's number, the
//! street's kind and name, the locality's name, each with the utility's code and postal
//! index. Renaming a street or a locality says how many buildings it changes; the
//! accounts' addresses follow on the server.

use yew::prelude::*;

use super::{bind, error_text};
use crate::shared::api::{
    self, UpdateBuildingAddress, UpdateLocality, UpdateStreet, building_card,
    update_building_address, update_locality, update_street,
};
use crate::shared::form::choose;
use crate::shared::i18n::{Key, text_n};
use crate::shell::{Ui, use_can};

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Building,
    Street,
    Locality,
}

impl Part {
    /// The element ids' prefix (`ae-street-name`, …).
    fn prefix(self) -> &'static str {
        match self {
            Part::Building => "ae-building",
            Part::Street => "ae-street",
            Part::Locality => "ae-locality",
        }
    }

    fn title(self) -> Key {
        match self {
            Part::Building => Key::BuildingNo,
            Part::Street => Key::Street,
            Part::Locality => Key::Locality,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub building_id: i64,
    pub address: building_card::BuildingCardBuildingAddress,
    pub on_saved: Callback<()>,
}

#[function_component(AddressEditor)]
pub fn address_editor(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let a = &props.address;
    let saved = props.on_saved.clone();
    html! {
        <section id="address-editor" class="card">
            <h4>{ ui.t(Key::AddressParts) }</h4>
            <PartForm part={Part::Building} id={props.building_id} name={a.building_number.clone()}
                code={a.building_code.clone()} postal={a.building_postal_code.clone()} touches={1} on_saved={saved.clone()} />
            <PartForm part={Part::Street} id={a.street_id} name={a.street_name.clone()} kind={Some(a.street_kind.clone())}
                code={a.street_code.clone()} postal={a.street_postal_code.clone()} touches={a.street_buildings} on_saved={saved.clone()} />
            <PartForm part={Part::Locality} id={a.locality_id} name={a.locality_name.clone()}
                code={a.locality_code.clone()} postal={a.locality_postal_code.clone()} touches={a.locality_buildings} on_saved={saved} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PartProps {
    part: Part,
    id: i64,
    name: String,
    #[prop_or_default]
    kind: Option<String>,
    code: String,
    postal: String,
    /// How many buildings the change renames.
    touches: i64,
    on_saved: Callback<()>,
}

/// Sends one part's change through its mutation (the three take the same input).
async fn send(
    part: Part,
    id: i64,
    name: String,
    kind: Option<String>,
    code: String,
    postal_code: String,
) -> Result<i64, api::ApiError> {
    macro_rules! call {
        ($op:ty, $module:ident, $field:ident) => {
            api::call::<$op>($module::Variables {
                id,
                input: $module::AddressPartInput {
                    name,
                    kind,
                    code,
                    postal_code,
                },
            })
            .await
            .map(|r| r.$field)
        };
    }
    match part {
        Part::Building => call!(
            UpdateBuildingAddress,
            update_building_address,
            update_building_address
        ),
        Part::Street => call!(UpdateStreet, update_street, update_street),
        Part::Locality => call!(UpdateLocality, update_locality, update_locality),
    }
}

#[function_component(PartForm)]
fn part_form(props: &PartProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_update = use_can().allows("accounts.update");
    let name = use_state(|| props.name.clone());
    let kind = use_state(|| props.kind.clone().unwrap_or_default());
    let code = use_state(|| props.code.clone());
    let postal = use_state(|| props.postal.clone());
    let message = use_state(|| None::<String>);
    let p = props.part.prefix();
    let onsubmit = {
        let (part, id, has_kind) = (props.part, props.id, props.kind.is_some());
        let (name, kind, code, postal) = (name.clone(), kind.clone(), code.clone(), postal.clone());
        let (message, saved) = (message.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let kind = has_kind.then(|| (*kind).clone());
            let (n, c, pc) = ((*name).clone(), (*code).clone(), (*postal).clone());
            let (message, saved) = (message.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match send(part, id, n, kind, c, pc).await {
                    Ok(n) => {
                        message.set(Some(text_n(ui.lang, Key::AccountsFollowed, n)));
                        saved.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <form id={p} class="address-part inline" {onsubmit}>
            <label>{ ui.t(props.part.title()) }<input id={format!("{p}-name")} value={(*name).clone()} oninput={bind(&name)} /></label>
            if props.kind.is_some() {
                <label>{ ui.t(Key::StreetKind) }
                    <select id={format!("{p}-kind")} onchange={choose(&kind)}>
                        { crate::shared::labels::STREET_KINDS.options(&ui, &kind) }
                    </select>
                </label>
            }
            <label>{ ui.t(Key::Code) }<input id={format!("{p}-code")} value={(*code).clone()} oninput={bind(&code)} /></label>
            <label>{ ui.t(Key::PostalCode) }<input id={format!("{p}-postal")} value={(*postal).clone()} oninput={bind(&postal)} /></label>
            if props.touches > 1 {
                <p class="hint">{ format!("{}: {}", ui.t(Key::ChangeTouches), text_n(ui.lang, Key::BuildingsCount, props.touches)) }</p>
            }
            if may_update { <button id={format!("{p}-save")} type="submit">{ ui.t(Key::Save) }</button> }
            if let Some(m) = &*message { <p id={format!("{p}-message")} role="status">{ m }</p> }
        </form>
    }
}
