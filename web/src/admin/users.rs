//! Users: the list, a new user with roles and an initial password (or an invitation by
//! e-mail to set their own), deactivate/activate, reset a password, send an invitation.

use yew::prelude::*;

use super::reach::ReachPicker;
use super::{bind, error_text};
use crate::shared::api::{
    self, CreateUser, InviteUser, ResetUserPassword, SetUserActive, Users, create_user,
    invite_user, reset_user_password, set_user_active, users,
};
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::{Key, builtin_role, text_n};
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shell::{Ui, use_can};

#[function_component(UsersTab)]
pub fn users_tab() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_create = use_can().allows("users.create");
    let data = use_state(|| None::<Result<users::ResponseData, String>>);
    let version = use_state(|| 0u32);
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let vars = users::Variables {
                    search: None,
                    offset: 0,
                    limit: 200,
                };
                data.set(Some(api::run::<Users>(vars).await));
            });
        });
    }
    let refresh = {
        let version = version.clone();
        Callback::from(move |_: ()| version.set(*version + 1))
    };
    let (login, name, email, password, accounts) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let subscriber = use_state(|| false);
    let picked = use_state(Vec::<String>::new);
    let reach_branches = use_state(Vec::<i64>::new);
    let reach_buildings = use_state(Vec::<(i64, String)>::new);
    let on_create = {
        let (reach_branches, reach_buildings) = (reach_branches.clone(), reach_buildings.clone());
        let outcome = outcome.clone();
        let (login, name, email, password, accounts, subscriber, picked, message, refresh) = (
            login.clone(),
            name.clone(),
            email.clone(),
            password.clone(),
            accounts.clone(),
            subscriber.clone(),
            picked.clone(),
            message.clone(),
            refresh.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = create_user::NewUserInput {
                login: (*login).trim().to_owned(),
                display_name: (*name).trim().to_owned(),
                email: Some((*email).trim().to_owned()).filter(|s| !s.is_empty()),
                subscriber: *subscriber,
                password: (*password).clone(),
                locale: None,
                roles: (*picked).clone(),
                branch_ids: if *subscriber {
                    Vec::new()
                } else {
                    (*reach_branches).clone()
                },
                building_ids: if *subscriber {
                    Vec::new()
                } else {
                    reach_buildings.iter().map(|(id, _)| *id).collect()
                },
                account_numbers: accounts
                    .split(',')
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect(),
            };
            let outcome = outcome.clone();
            let (message, refresh, login, password) = (
                message.clone(),
                refresh.clone(),
                login.clone(),
                password.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreateUser>(create_user::Variables { input }).await {
                    Ok(d) => {
                        outcome.set(None);
                        message.set(Some(format!("✓ {}", d.create_user.login)));
                        login.set(String::new());
                        password.set(String::new());
                        refresh.emit(());
                    }
                    Err(e) => {
                        message.set(None);
                        outcome.set(Some(Err(e)));
                    }
                }
            });
        })
    };
    let roles = match &*data {
        Some(Ok(d)) => d.roles.clone(),
        _ => Vec::new(),
    };
    let role_boxes = role_boxes(&ui, &roles, &picked, "role");
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.users
                .items
                .iter()
                .map(|u| {
                    let kind = crate::shared::labels::code(&ui, "users_kind", &u.kind);
                    let roles = u
                        .roles
                        .iter()
                        .map(|r| crate::shared::labels::role(&ui, r))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let status = match (u.active, u.has_password) {
                        (false, _) => ui.t(Key::Inactive).to_owned(),
                        (true, true) => ui.t(Key::Active).to_owned(),
                        (true, false) => format!("{} ({})", ui.t(Key::Active), ui.t(Key::UserInvitePending)),
                    };
                    Row::new(
                        &u.id,
                        vec![
                            Cell::text(u.login.clone()),
                            Cell::html(html! { <>{ &u.display_name }<div class="muted">{ kind }</div></> })
                                .sort_by(SortKey::Text(u.display_name.clone())),
                            Cell::text(roles).attr("data-roles", u.roles.join(",")),
                            Cell::text(u.account_numbers.join(", ")),
                            Cell::text(reach_text(ui, u.branch_ids.len(), u.building_ids.len()))
                                .class("reach"),
                            Cell::text(status),
                            Cell::html(html! { <UserActions user={u.clone()} roles={d.roles.clone()} on_changed={refresh.clone()} /> })
                                .class("actions"),
                        ],
                    )
                    .attr("data-login", u.login.clone())
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("login", ui.t(Key::LoginLabel)).sortable(),
        Column::new("name", ui.t(Key::DisplayName)).sortable(),
        Column::new("roles", ui.t(Key::RolesLabel)).sortable(),
        Column::new("accounts", ui.t(Key::AccountsLabel))
            .sortable()
            .optional(),
        Column::new("reach", ui.t(Key::ReachColumn))
            .sortable()
            .optional(),
        Column::new("status", ui.t(Key::Status)).sortable(),
        Column::new("actions", ""),
    ];
    html! {
        <div class="users-tab">
            <div class="toolbar"><ExportXlsx list={ListKind::USERS} /></div>
            <DataTable id="users-table" {columns} {rows} />
            if may_create {
            <form id="new-user" class="card" onsubmit={on_create}>
                <h3>{ ui.t(Key::NewUser) }</h3>
                <label>{ ui.t(Key::LoginLabel) }<input id="new-user-login" aria-required="true" aria-invalid={invalid(&outcome, "login")} value={(*login).clone()} oninput={bind(&login)} />{ field_error(&outcome, "login") }</label>
                <label>{ ui.t(Key::DisplayName) }<input id="new-user-name" aria-required="true" aria-invalid={invalid(&outcome, "displayName")} value={(*name).clone()} oninput={bind(&name)} />{ field_error(&outcome, "displayName") }</label>
                <label>{ ui.t(Key::Email) }<input id="new-user-email" type="email" aria-invalid={invalid(&outcome, "email")} value={(*email).clone()} oninput={bind(&email)} />{ field_error(&outcome, "email") }</label>
                <label>{ ui.t(Key::PasswordLabel) }<input id="new-user-password" type="password" autocomplete="new-password" aria-invalid={invalid(&outcome, "password")} value={(*password).clone()} oninput={bind(&password)} />{ field_error(&outcome, "password") }</label>
                <p class="hint">{ ui.t(Key::UserPasswordOrInvite) }</p>
                <label class="check">
                    <input id="new-user-subscriber" type="checkbox" checked={*subscriber}
                        onchange={ let s = subscriber.clone(); Callback::from(move |_| s.set(!*s)) } />
                    { ui.t(Key::KindSubscriber) }
                </label>
                if *subscriber {
                    <label>{ ui.t(Key::AccountsLabel) }<input id="new-user-accounts" placeholder="100001, 100003" aria-invalid={invalid(&outcome, "accountNumbers")} value={(*accounts).clone()} oninput={bind(&accounts)} />{ field_error(&outcome, "accountNumbers") }</label>
                }
                <fieldset class="roles"><legend>{ ui.t(Key::RolesLabel) }</legend>{ role_boxes }{ field_error(&outcome, "roles") }</fieldset>
                if !*subscriber {
                    <ReachPicker branches={reach_branches.clone()} buildings={reach_buildings.clone()} />
                }
                <button id="new-user-submit" type="submit">{ ui.t(Key::Create) }</button>
                if let Some(m) = &*message { <p id="new-user-message" role="status">{ m }</p> }
                { receipt(&ui, &outcome, "new-user-saved", &["login", "displayName", "email", "password", "accountNumbers", "roles"]) }
            </form>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    user: users::UsersUsersItems,
    roles: Vec<users::UsersRoles>,
    on_changed: Callback<()>,
}

/// A user's row actions (switching on and off, a new password), with their own state.
#[function_component(UserActions)]
fn user_actions(props: &RowProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_update = use_can().allows("users.update");
    let u = &props.user;
    let resetting = use_state(|| false);
    let editing = use_state(|| false);
    let new_password = use_state(String::new);
    let note = use_state(|| None::<String>);
    let toggle = {
        let (id, active, changed, note) = (
            u.id.clone(),
            u.active,
            props.on_changed.clone(),
            note.clone(),
        );
        Callback::from(move |_| {
            let (id, changed, note) = (id.clone(), changed.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetUserActive>(set_user_active::Variables {
                    id,
                    active: !active,
                })
                .await
                {
                    Ok(_) => changed.emit(()),
                    Err(e) => note.set(Some(error_text(&e))),
                }
            });
        })
    };
    let reset = {
        let (id, new_password, note, resetting) = (
            u.id.clone(),
            new_password.clone(),
            note.clone(),
            resetting.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (id, password, note, resetting) = (
                id.clone(),
                (*new_password).clone(),
                note.clone(),
                resetting.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<ResetUserPassword>(reset_user_password::Variables {
                    id,
                    password,
                })
                .await
                {
                    Ok(_) => {
                        resetting.set(false);
                        note.set(Some(ui.t(Key::Done).to_owned()));
                    }
                    Err(e) => note.set(Some(error_text(&e))),
                }
            });
        })
    };
    let invite = {
        let (id, note) = (u.id.clone(), note.clone());
        Callback::from(move |_| {
            let (id, note) = (id.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<InviteUser>(invite_user::Variables { id }).await {
                    Ok(_) => note.set(Some(ui.t(Key::UserInvited).to_owned())),
                    Err(e) => note.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <>
            if may_update {
            if u.active && u.email.is_some() {
                <button class="invite-user" onclick={invite}>{ ui.t(Key::UserInvite) }</button>
            }
            <button class="edit-user" onclick={ let e = editing.clone(); Callback::from(move |_| e.set(!*e)) }>{ ui.t(Key::Edit) }</button>
            <button class="toggle-active" onclick={toggle}>{ if u.active { ui.t(Key::Deactivate) } else { ui.t(Key::Activate) } }</button>
            <button class="reset-password" onclick={ let r = resetting.clone(); Callback::from(move |_| r.set(!*r)) }>{ ui.t(Key::ResetPassword) }</button>
            if *resetting {
                <form class="inline" onsubmit={reset}>
                    <input class="reset-password-input" type="password" aria-label={ui.t(Key::NewPassword)} placeholder={ui.t(Key::NewPassword)} value={(*new_password).clone()} oninput={bind(&new_password)} />
                    <button type="submit">{ ui.t(Key::Save) }</button>
                </form>
            }
            if *editing {
                <super::user_edit::UserEdit user={u.clone()} roles={props.roles.clone()}
                    on_saved={ let (e, c) = (editing.clone(), props.on_changed.clone()); Callback::from(move |_| { e.set(false); c.emit(()) }) } />
            }
            }
            if let Some(n) = &*note { <div class="note">{ n }</div> }
        </>
    }
}

/// A checkbox per role, ticking and unticking `picked` (role codes).
pub(super) fn role_boxes(
    ui: &Ui,
    roles: &[users::UsersRoles],
    picked: &UseStateHandle<Vec<String>>,
    name: &'static str,
) -> Html {
    roles
        .iter()
        .map(|r| {
            let code = r.code.clone();
            let checked = picked.contains(&code);
            let picked = picked.clone();
            let onchange = Callback::from(move |_| {
                let mut v = (*picked).clone();
                if v.contains(&code) {
                    v.retain(|c| c != &code);
                } else {
                    v.push(code.clone());
                }
                picked.set(v);
            });
            let label = builtin_role(&r.code).map_or(r.name.clone(), |k| ui.t(k).to_owned());
            html! { <label class="check"><input type="checkbox" {name} value={r.code.clone()} {checked} {onchange} />{ label }</label> }
        })
        .collect()
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// "whole tenant", or "2 branches, 1 building" for a limited user.
fn reach_text(ui: Ui, branches: usize, buildings: usize) -> String {
    if branches == 0 && buildings == 0 {
        return ui.t(Key::WholeTenant).to_owned();
    }
    let mut parts = Vec::new();
    if branches > 0 {
        parts.push(text_n(ui.lang, Key::BranchesCount, count(branches)));
    }
    if buildings > 0 {
        parts.push(text_n(ui.lang, Key::BuildingsCount, count(buildings)));
    }
    parts.join(", ")
}
