//! The services of the buildings ticked in the list, added or taken away in one go (seed
//! 001 §6.4 «Групове додавання послуг», Ctrl+G).

use yew::prelude::*;

use super::error_text;
use crate::shared::api::{
    self, ChangeBuildingsServices, PriceChoices, change_buildings_services, price_choices,
};
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub building_ids: Vec<i64>,
    pub on_done: Callback<()>,
}

#[function_component(BuildingsServices)]
pub fn buildings_services(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let services = use_state(Vec::<(i64, String)>::new);
    let chosen = use_state(Vec::<i64>::new);
    let message = use_state(|| None::<String>);
    {
        let services = services.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(c) = api::run::<PriceChoices>(price_choices::Variables {}).await {
                    services.set(
                        c.services
                            .items
                            .into_iter()
                            .map(|s| (s.id, s.name))
                            .collect(),
                    );
                }
            });
        });
    }
    let send = |remove: bool| {
        let (ids, chosen, message, done) = (
            props.building_ids.clone(),
            chosen.clone(),
            message.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_| {
            let vars = change_buildings_services::Variables {
                building_ids: ids.clone(),
                service_ids: (*chosen).clone(),
                remove: Some(remove),
            };
            let (message, done) = (message.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<ChangeBuildingsServices>(vars).await {
                    Ok(d) => {
                        let r = d.change_buildings_services;
                        message.set(Some(format!(
                            "{}: {} · {}: {}",
                            ui.t(Key::BuildingsChanged),
                            r.changed,
                            ui.t(Key::BuildingsUnchanged),
                            r.unchanged
                        )));
                        done.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let boxes: Html = services
        .iter()
        .map(|(id, name)| {
            let (id, chosen) = (*id, chosen.clone());
            let checked = chosen.contains(&id);
            let onchange = Callback::from(move |_| {
                let mut v = (*chosen).clone();
                if v.contains(&id) {
                    v.retain(|x| *x != id);
                } else {
                    v.push(id);
                }
                chosen.set(v);
            });
            html! { <label class="check"><input type="checkbox" name="bs-service" value={id.to_string()} {checked} {onchange} />{ name }</label> }
        })
        .collect();
    html! {
        <section id="buildings-services" class="card">
            <h4>{ format!("{} ({})", ui.t(Key::GroupServicesTitle), props.building_ids.len()) }</h4>
            <fieldset class="services"><legend>{ ui.t(Key::ServicesProvided) }</legend>{ boxes }</fieldset>
            <div class="inline">
                <button id="bs-add" type="button" onclick={send(false)}>{ ui.t(Key::GroupServicesAdd) }</button>
                <button id="bs-remove" type="button" onclick={send(true)}>{ ui.t(Key::GroupServicesRemove) }</button>
            </div>
            if let Some(m) = &*message { <p id="bs-message" role="status">{ m }</p> }
        </section>
    }
}
