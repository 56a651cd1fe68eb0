//! Editing a user (the row's "Edit"): name, e-mail, roles and reach (branches and
//! buildings) of a staff user, the accounts of a subscriber user.

use yew::prelude::*;

use super::bind;
use super::reach::ReachPicker;
use crate::shared::api::{self, UpdateUser, update_user, users};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct UserEditProps {
    pub user: users::UsersUsersItems,
    pub roles: Vec<users::UsersRoles>,
    pub on_saved: Callback<()>,
}

#[function_component(UserEdit)]
pub fn user_edit(props: &UserEditProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let u = &props.user;
    let subscriber = u.kind == "subscriber";
    let name = use_state(|| u.display_name.clone());
    let email = use_state(|| u.email.clone().unwrap_or_default());
    let picked = use_state(|| u.roles.clone());
    let accounts = use_state(|| u.account_numbers.join(", "));
    let branches = use_state(|| u.branch_ids.clone());
    // The picker shows a chosen building by its address; a stored one by its number.
    let buildings = use_state(|| {
        u.building_ids
            .iter()
            .map(|id| (*id, format!("#{id}")))
            .collect::<Vec<_>>()
    });
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let (name, email, picked, accounts) = (
            name.clone(),
            email.clone(),
            picked.clone(),
            accounts.clone(),
        );
        let (branches, buildings) = (branches.clone(), buildings.clone());
        let (id, outcome, saved) = (u.id.clone(), outcome.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = update_user::UserPatchInput {
                display_name: Some((*name).trim().to_owned()),
                // Empty clears the e-mail.
                email: Some((*email).trim().to_owned()),
                locale: None,
                roles: Some((*picked).clone()),
                branch_ids: (!subscriber).then(|| (*branches).clone()),
                building_ids: (!subscriber).then(|| buildings.iter().map(|(id, _)| *id).collect()),
                account_numbers: subscriber.then(|| {
                    accounts
                        .split(',')
                        .map(|a| a.trim().to_owned())
                        .filter(|a| !a.is_empty())
                        .collect()
                }),
            };
            let (id, outcome, saved) = (id.clone(), outcome.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateUser>(update_user::Variables { id, input }).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        saved.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let role_boxes = super::users::role_boxes(&ui, &props.roles, &picked, "edit-role");
    html! {
        <form class="card user-edit" novalidate=true {onsubmit}>
            <label>{ ui.t(Key::DisplayName) }<input class="ue-name" aria-invalid={invalid(&outcome, "displayName")} value={(*name).clone()} oninput={bind(&name)} />{ field_error(&outcome, "displayName") }</label>
            <label>{ ui.t(Key::Email) }<input class="ue-email" type="email" aria-invalid={invalid(&outcome, "email")} value={(*email).clone()} oninput={bind(&email)} />{ field_error(&outcome, "email") }</label>
            if subscriber {
                <label>{ ui.t(Key::AccountsLabel) }<input class="ue-accounts" aria-invalid={invalid(&outcome, "accountNumbers")} value={(*accounts).clone()} oninput={bind(&accounts)} />{ field_error(&outcome, "accountNumbers") }</label>
            }
            <fieldset class="roles"><legend>{ ui.t(Key::RolesLabel) }</legend>{ role_boxes }{ field_error(&outcome, "roles") }</fieldset>
            if !subscriber {
                <ReachPicker branches={branches.clone()} buildings={buildings.clone()} />
                { field_error(&outcome, "branchIds") }
                { field_error(&outcome, "buildingIds") }
            }
            <button class="ue-save" type="submit">{ ui.t(Key::Save) }</button>
            { receipt(&ui, &outcome, "user-edit-saved", &["displayName", "email", "roles", "accountNumbers", "branchIds", "buildingIds"]) }
        </form>
    }
}
