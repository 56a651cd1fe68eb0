//! The "access limited to" part of the user form: branches to tick and buildings found by
//! address. Nothing chosen means the whole tenant (the rule is the server's, see
//! `backend/src/auth/reach.rs`).

use yew::prelude::*;

use super::bind;
use crate::shared::api::{self, ReachChoices, reach_choices};
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub branches: UseStateHandle<Vec<i64>>,
    /// Chosen buildings with their addresses (the address only for showing).
    pub buildings: UseStateHandle<Vec<(i64, String)>>,
}

#[function_component(ReachPicker)]
pub fn reach_picker(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let search = use_state(String::new);
    let choices = use_state(|| None::<reach_choices::ResponseData>);
    {
        let choices = choices.clone();
        use_effect_with((*search).clone(), move |s| {
            let search = Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ReachChoices>(reach_choices::Variables { search }).await {
                    choices.set(Some(d));
                }
            });
        });
    }
    let Some(d) = &*choices else {
        return html! {};
    };
    let branch_boxes = d.reference_book.items.iter().map(|b| {
        let (id, picked) = (b.id, props.branches.clone());
        let onchange = Callback::from(move |_| {
            let mut v = (*picked).clone();
            if v.contains(&id) {
                v.retain(|x| *x != id);
            } else {
                v.push(id);
            }
            picked.set(v);
        });
        html! { <label class="check"><input type="checkbox" name="reach-branch" value={id.to_string()} checked={props.branches.contains(&id)} {onchange} />{ &b.name }</label> }
    });
    let chosen = props.buildings.iter().map(|(id, address)| {
        let (id, picked) = (*id, props.buildings.clone());
        let onclick = Callback::from(move |_| {
            let mut v = (*picked).clone();
            v.retain(|(x, _)| *x != id);
            picked.set(v);
        });
        html! { <span class="chip reach-building">{ address }<button type="button" title={ui.t(Key::Delete)} {onclick}>{ "×" }</button></span> }
    });
    let found = d
        .buildings
        .items
        .iter()
        .filter(|b| !props.buildings.iter().any(|(x, _)| *x == b.id))
        .map(|b| {
            let (row, picked) = ((b.id, b.address.clone()), props.buildings.clone());
            let onclick = Callback::from(move |_| {
                let mut v = (*picked).clone();
                v.push(row.clone());
                picked.set(v);
            });
            html! { <li><button type="button" class="link reach-building-option" {onclick}>{ &b.address }</button></li> }
        });
    html! {
        <fieldset class="reach">
            <legend>{ ui.t(Key::ReachLabel) }</legend>
            <p class="muted">{ ui.t(Key::ReachHint) }</p>
            <div class="branches">{ for branch_boxes }</div>
            <div class="chips">{ for chosen }</div>
            <input id="reach-building-search" placeholder={ui.t(Key::FindBuilding)} value={(*search).clone()} oninput={bind(&search)} />
            <ul class="options">{ for found }</ul>
        </fieldset>
    }
}
