//! Opening an account in chosen premises for a new individual, a new legal entity (both
//! created in the same step) or an existing subscriber found by name or tax id; the same
//! form, given `holder_of`, sets the holder of a draft opened without one (a group
//! opening's).

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{
    self, OpenAccount, SetAccountHolder, SubscribersLookup, open_account, set_account_holder,
    subscribers_lookup,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shared::premises_picker::PremisesPicker;
use crate::shell::Ui;

/// For whom the account is opened.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    Individual,
    Legal,
    Existing,
}

#[derive(Properties, PartialEq)]
pub struct NewAccountProps {
    /// Called with the new account's id (or the draft's, once its holder is set).
    pub on_opened: Callback<i64>,
    /// A draft account without a holder: the form only chooses its holder.
    #[prop_or_default]
    pub holder_of: Option<i64>,
}

#[function_component(NewAccountForm)]
pub fn new_account_form(props: &NewAccountProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let (last, first, middle) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    // An account is mostly opened the day it is entered; the server checks the period.
    let (tax, phone, opened) = (
        use_state(String::new),
        use_state(String::new),
        use_state(crate::payments::today),
    );
    let premises = use_state(|| None::<i64>);
    // Empty: the next automatic number (a manual numbering refuses it by the field).
    let number = use_state(String::new);
    let outcome = use_state(|| None as Outcome);
    let who = use_state(|| Who::Individual);
    let legal_name = use_state(String::new);
    let (lookup, found, existing) = (
        use_state(String::new),
        use_state(Vec::<subscribers_lookup::SubscribersLookupSubscribers>::new),
        use_state(|| None::<i64>),
    );
    // Only the answer to the newest search is shown: the unfiltered list asked when
    // "existing" was chosen must not land after the name typed since.
    let latest = api::use_latest();
    {
        let (found, existing, latest) = (found.clone(), existing.clone(), latest.clone());
        use_effect_with(((*lookup).clone(), *who), move |(text, who)| {
            let search = Some(text.trim().to_owned()).filter(|s| !s.is_empty());
            if *who == Who::Existing {
                let ticket = latest.next();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) =
                        api::run::<SubscribersLookup>(subscribers_lookup::Variables { search })
                            .await
                        && latest.is(ticket)
                    {
                        existing.set(d.subscribers.first().map(|s| s.id));
                        found.set(d.subscribers);
                    }
                });
            }
        });
    }
    let onsubmit = {
        let (who, legal_name, existing) = (who.clone(), legal_name.clone(), existing.clone());
        let (last, first, middle, tax, phone, opened) = (
            last.clone(),
            first.clone(),
            middle.clone(),
            tax.clone(),
            phone.clone(),
            opened.clone(),
        );
        let (premises, outcome, done) =
            (premises.clone(), outcome.clone(), props.on_opened.clone());
        let number = number.clone();
        let holder_of = props.holder_of;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            let legal = *who == Who::Legal;
            let new_subscriber = (*who != Who::Existing).then(|| open_account::SubscriberInput {
                legal,
                last_name: if legal { None } else { opt(&last) },
                first_name: if legal { None } else { opt(&first) },
                middle_name: if legal { None } else { opt(&middle) },
                legal_name: if legal { opt(&legal_name) } else { None },
                tax_id: opt(&tax),
                phone: opt(&phone),
                email: None,
                birth_date: None,
            });
            let subscriber_id = if *who == Who::Existing {
                *existing
            } else {
                None
            };
            let (outcome, done) = (outcome.clone(), done.clone());
            if let Some(id) = holder_of {
                // The same fields, as the holder mutation's own input type.
                let new_subscriber = new_subscriber.map(|n| set_account_holder::SubscriberInput {
                    legal: n.legal,
                    last_name: n.last_name,
                    first_name: n.first_name,
                    middle_name: n.middle_name,
                    legal_name: n.legal_name,
                    tax_id: n.tax_id,
                    phone: n.phone,
                    email: n.email,
                    birth_date: n.birth_date,
                });
                let input = set_account_holder::AccountHolderInput {
                    subscriber_id,
                    new_subscriber,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    let vars = set_account_holder::Variables { id, input };
                    match api::call::<SetAccountHolder>(vars).await {
                        Ok(_) => {
                            outcome.set(None);
                            done.emit(id);
                        }
                        Err(e) => outcome.set(Some(Err(e))),
                    }
                });
                return;
            }
            let input = open_account::OpenAccountInput {
                number: opt(&number),
                subscriber_id,
                new_subscriber,
                premises_id: premises.unwrap_or(0),
                opened_on: (*opened).clone(),
                no_penalty: false,
                comment: None,
            };
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<OpenAccount>(open_account::Variables { input }).await {
                    Ok(d) => {
                        outcome.set(None);
                        done.emit(d.open_account.account.id);
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let holder_only = props.holder_of.is_some();
    html! {
        <form id="new-account" class="card" {onsubmit}>
            <h3>{ ui.t(if holder_only { Key::ChooseHolder } else { Key::NewAccount }) }</h3>
            <fieldset class="who">
                { for [(Who::Individual, Key::NewIndividual, "na-who-new"), (Who::Legal, Key::NewLegalEntity, "na-who-legal"), (Who::Existing, Key::ExistingSubscriber, "na-who-existing")]
                    .into_iter().map(|(w, key, id)| {
                        let who = who.clone();
                        let checked = *who == w;
                        html! { <label class="check"><input type="radio" name="na-who" id={id} {checked} onchange={Callback::from(move |_| who.set(w))} />{ ui.t(key) }</label> }
                    }) }
            </fieldset>
            { match *who {
                Who::Individual => html! { <>
                    <label>{ ui.t(Key::LastName) }<input id="na-last" aria-required="true" aria-invalid={invalid(&outcome, "lastName")} value={(*last).clone()} oninput={bind(&last)} />{ field_error(&outcome, "lastName") }</label>
                    <label>{ ui.t(Key::FirstName) }<input id="na-first" aria-invalid={invalid(&outcome, "firstName")} value={(*first).clone()} oninput={bind(&first)} />{ field_error(&outcome, "firstName") }</label>
                    <label>{ ui.t(Key::MiddleName) }<input id="na-middle" aria-invalid={invalid(&outcome, "middleName")} value={(*middle).clone()} oninput={bind(&middle)} />{ field_error(&outcome, "middleName") }</label>
                </> },
                Who::Legal => html! {
                    <label>{ ui.t(Key::OrganisationName) }<input id="na-legal-name" aria-required="true" aria-invalid={invalid(&outcome, "legalName")} value={(*legal_name).clone()} oninput={bind(&legal_name)} />{ field_error(&outcome, "legalName") }</label>
                },
                Who::Existing => html! { <>
                    <label>{ ui.t(Key::FindSubscriber) }<input id="na-lookup" value={(*lookup).clone()} oninput={bind(&lookup)} /></label>
                    <select id="na-existing" onchange={ let e = existing.clone(); Callback::from(move |ev: Event| e.set(ev.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().ok())) }>
                        { for found.iter().map(|s| html! { <option value={s.id.to_string()} selected={*existing == Some(s.id)}>{ format!("{} {}", s.display_name, s.tax_id.clone().unwrap_or_default()) }</option> }) }
                    </select>
                </> },
            } }
            if *who != Who::Existing {
                <label>{ ui.t(Key::FieldTaxId) }<input id="na-tax" aria-invalid={invalid(&outcome, "taxId")} value={(*tax).clone()} oninput={bind(&tax)} />{ field_error(&outcome, "taxId") }</label>
                <label>{ ui.t(Key::Phone) }<input id="na-phone" aria-invalid={invalid(&outcome, "phone")} value={(*phone).clone()} oninput={bind(&phone)} />{ field_error(&outcome, "phone") }</label>
            }
            if !holder_only {
                <PremisesPicker prefix="na" on_pick={ let p = premises.clone(); Callback::from(move |v| p.set(v)) } />
                { field_error(&outcome, "premisesId") }
                <label>{ ui.t(Key::NumNumberHint) }<input id="na-number" inputmode="numeric" aria-invalid={invalid(&outcome, "number")} value={(*number).clone()} oninput={bind(&number)} />{ field_error(&outcome, "number") }</label>
                <label>{ ui.t(Key::OpenedOn) }<input id="na-opened" type="date" aria-required="true" aria-invalid={invalid(&outcome, "openedOn")} value={(*opened).clone()} oninput={bind(&opened)} />{ field_error(&outcome, "openedOn") }</label>
            }
            <button id="na-submit" type="submit">{ ui.t(if holder_only { Key::Save } else { Key::OpenAccountButton }) }</button>
            { field_error(&outcome, "subscriberId") }
            { receipt(&ui, &outcome, "na-saved", &["lastName", "firstName", "middleName", "legalName", "taxId", "phone", "premisesId", "openedOn", "subscriberId", "number"]) }
        </form>
    }
}
