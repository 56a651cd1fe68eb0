//! Opening an account: a new subscriber (individual) in chosen premises, in one step.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::api::{self, OpenAccount, open_account};
use crate::i18n::Key;
use crate::premises_picker::PremisesPicker;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct NewAccountProps {
    /// Called with the new account's id.
    pub on_opened: Callback<i64>,
}

#[function_component(NewAccountForm)]
pub fn new_account_form(props: &NewAccountProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let (last, first, middle) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let (tax, phone, opened) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let premises = use_state(|| None::<i64>);
    let message = use_state(|| None::<String>);
    let onsubmit = {
        let (last, first, middle, tax, phone, opened) = (
            last.clone(),
            first.clone(),
            middle.clone(),
            tax.clone(),
            phone.clone(),
            opened.clone(),
        );
        let (premises, message, done) =
            (premises.clone(), message.clone(), props.on_opened.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            let input = open_account::OpenAccountInput {
                number: None,
                subscriber_id: None,
                new_subscriber: Some(open_account::SubscriberInput {
                    legal: false,
                    last_name: opt(&last),
                    first_name: opt(&first),
                    middle_name: opt(&middle),
                    legal_name: None,
                    tax_id: opt(&tax),
                    phone: opt(&phone),
                    email: None,
                    birth_date: None,
                }),
                premises_id: premises.unwrap_or(0),
                opened_on: (*opened).clone(),
                no_penalty: false,
                comment: None,
            };
            let (message, done) = (message.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<OpenAccount>(open_account::Variables { input }).await {
                    Ok(d) => {
                        message.set(None);
                        done.emit(d.open_account.account.id);
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <form id="new-account" class="card" {onsubmit}>
            <h3>{ ui.t(Key::NewAccount) }</h3>
            <label>{ ui.t(Key::LastName) }<input id="na-last" value={(*last).clone()} oninput={bind(&last)} /></label>
            <label>{ ui.t(Key::FirstName) }<input id="na-first" value={(*first).clone()} oninput={bind(&first)} /></label>
            <label>{ ui.t(Key::MiddleName) }<input id="na-middle" value={(*middle).clone()} oninput={bind(&middle)} /></label>
            <label>{ ui.t(Key::FieldTaxId) }<input id="na-tax" value={(*tax).clone()} oninput={bind(&tax)} /></label>
            <label>{ ui.t(Key::Phone) }<input id="na-phone" value={(*phone).clone()} oninput={bind(&phone)} /></label>
            <PremisesPicker prefix="na" on_pick={ let p = premises.clone(); Callback::from(move |v| p.set(v)) } />
            <label>{ ui.t(Key::OpenedOn) }<input id="na-opened" type="date" value={(*opened).clone()} oninput={bind(&opened)} /></label>
            <button id="na-submit" type="submit">{ ui.t(Key::OpenAccountButton) }</button>
            if let Some(m) = &*message { <p id="na-message" class="error" role="alert">{ m }</p> }
        </form>
    }
}
