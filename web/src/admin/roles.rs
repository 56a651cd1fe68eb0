//! Roles and the permission matrix: documents down, actions across; built-in roles are
//! shown read-only, custom roles are edited in place.

use yew::prelude::*;

use super::{bind, error_text};
use crate::shared::api::{
    self, CreateRole, DeleteRole, Roles, UpdateRole, create_role, delete_role, roles, update_role,
};
use crate::shared::confirm::confirm;
use crate::shared::i18n::{Key, builtin_role};
use crate::shared::labels::code;
use crate::shell::{Ui, use_can};

/// The documents of the permission matrix (coded column `role_permissions.document`).
const DOCS: [&str; 11] = [
    "subscribers",
    "accounts",
    "meters",
    "readings",
    "payments",
    "acts",
    "invoices",
    "reports",
    "reference_books",
    "settings",
    "users",
];

/// The actions across (`role_permissions.action`).
const ACTS: [&str; 4] = ["view", "create", "update", "delete"];

fn doc_enum(code: &str) -> update_role::Document {
    use update_role::Document as D;
    match code {
        "subscribers" => D::SUBSCRIBERS,
        "accounts" => D::ACCOUNTS,
        "meters" => D::METERS,
        "readings" => D::READINGS,
        "payments" => D::PAYMENTS,
        "acts" => D::ACTS,
        "invoices" => D::INVOICES,
        "reports" => D::REPORTS,
        "reference_books" => D::REFERENCE_BOOKS,
        "settings" => D::SETTINGS,
        _ => D::USERS,
    }
}

fn act_enum(code: &str) -> update_role::Action {
    use update_role::Action as A;
    match code {
        "view" => A::VIEW,
        "create" => A::CREATE,
        "update" => A::UPDATE,
        _ => A::DELETE,
    }
}

fn to_input(perms: &[String]) -> Vec<update_role::PermissionInput> {
    perms
        .iter()
        .filter_map(|p| p.split_once('.'))
        .map(|(d, a)| update_role::PermissionInput {
            document: doc_enum(d),
            action: act_enum(a),
        })
        .collect()
}

#[function_component(RolesTab)]
pub fn roles_tab() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_create, may_update) = (can.allows("users.create"), can.allows("users.update"));
    let data = use_state(|| None::<Result<Vec<roles::RolesRoles>, String>>);
    let version = use_state(|| 0u32);
    let selected = use_state(|| None::<i64>);
    let message = use_state(|| None::<String>);
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<Roles>(roles::Variables {})
                        .await
                        .map(|d| d.roles),
                ));
            });
        });
    }
    let list = match &*data {
        Some(Ok(r)) => r.clone(),
        _ => Vec::new(),
    };
    let current = selected
        .and_then(|id| list.iter().find(|r| r.id == id))
        .or(list.first())
        .cloned();
    let on_pick = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            selected.set(v.parse().ok());
        })
    };
    let toggle = |perm: String| {
        let (current, version, message) = (current.clone(), version.clone(), message.clone());
        Callback::from(move |_| {
            let Some(role) = current.clone() else { return };
            let mut perms = role.permissions.clone();
            if perms.contains(&perm) {
                perms.retain(|p| p != &perm);
            } else {
                perms.push(perm.clone());
            }
            let (version, message) = (version.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let vars = update_role::Variables {
                    id: role.id,
                    name: None,
                    permissions: Some(to_input(&perms)),
                };
                match api::call::<UpdateRole>(vars).await {
                    Ok(_) => version.set(*version + 1),
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let matrix = current.as_ref().map(|role| {
        let rows = DOCS.iter().map(|d| {
            let cells = ACTS.iter().map(|a| {
                let perm = format!("{d}.{a}");
                let checked = role.permissions.contains(&perm);
                html! {
                    <td class="cell"><input type="checkbox" data-perm={perm.clone()} {checked} disabled={role.builtin || !may_update} onchange={toggle(perm)} /></td>
                }
            });
            html! { <tr><th>{ code(&ui, "role_permissions_document", d) }</th>{ for cells }</tr> }
        });
        html! {
            <table id="role-matrix" class="grid matrix">
                <thead><tr><th></th>{ for ACTS.iter().map(|a| html! { <th>{ code(&ui, "role_permissions_action", a) }</th> }) }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    });
    // A custom role's new name (empty: the name as it is).
    let rename = use_state(String::new);
    let on_rename = {
        let (current, rename, version, message) = (
            current.clone(),
            rename.clone(),
            version.clone(),
            message.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(role) = current.clone() else { return };
            let vars = update_role::Variables {
                id: role.id,
                name: Some((*rename).trim().to_owned()),
                permissions: None,
            };
            let (rename, version, message) = (rename.clone(), version.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateRole>(vars).await {
                    Ok(_) => {
                        rename.set(String::new());
                        message.set(None);
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let on_delete = {
        let (current, version, message, selected) = (
            current.clone(),
            version.clone(),
            message.clone(),
            selected.clone(),
        );
        Callback::from(move |_| {
            let Some(role) = current.clone() else { return };
            if !confirm(&ui, Key::ConfirmDelete) {
                return;
            }
            let (version, message, selected) = (version.clone(), message.clone(), selected.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<DeleteRole>(delete_role::Variables { id: role.id }).await {
                    Ok(_) => {
                        selected.set(None);
                        message.set(None);
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let custom = current.as_ref().is_some_and(|r| !r.builtin);
    let may_delete = can.allows("users.delete");
    let (code, name) = (use_state(String::new), use_state(String::new));
    let on_create = {
        let (code, name, version, message, selected) = (
            code.clone(),
            name.clone(),
            version.clone(),
            message.clone(),
            selected.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let vars = create_role::Variables {
                code: (*code).trim().to_owned(),
                name: (*name).trim().to_owned(),
                permissions: vec![],
            };
            let (version, message, selected) = (version.clone(), message.clone(), selected.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreateRole>(vars).await {
                    Ok(d) => {
                        selected.set(Some(d.create_role.id));
                        version.set(*version + 1);
                        message.set(None);
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <div class="roles-tab">
            <label>{ ui.t(Key::RolesLabel) }
                <select id="role-select" onchange={on_pick}>
                    { for list.iter().map(|r| html! {
                        <option value={r.id.to_string()} selected={current.as_ref().is_some_and(|c| c.id == r.id)}>
                            { match builtin_role(&r.code).filter(|_| r.builtin) {
                                Some(k) => format!("{} ({})", ui.t(k), ui.t(Key::Builtin)),
                                None => format!("{} ({})", r.name, r.code),
                            } }
                        </option>
                    }) }
                </select>
            </label>
            { for matrix }
            if custom && may_update {
                <form id="role-rename" class="card inline" novalidate=true onsubmit={on_rename}>
                    <label>{ ui.t(Key::Name) }<input id="role-new-name" placeholder={current.as_ref().map(|r| r.name.clone()).unwrap_or_default()} value={(*rename).clone()} oninput={bind(&rename)} /></label>
                    <button id="role-rename-submit" type="submit">{ ui.t(Key::Save) }</button>
                </form>
            }
            if custom && may_delete {
                <button id="role-delete" class="danger" onclick={on_delete}>{ ui.t(Key::Delete) }</button>
            }
            if may_create {
            <form id="new-role" class="card" onsubmit={on_create}>
                <h3>{ ui.t(Key::NewRole) }</h3>
                <label>{ ui.t(Key::Code) }<input id="new-role-code" value={(*code).clone()} oninput={bind(&code)} /></label>
                <label>{ ui.t(Key::Name) }<input id="new-role-name" value={(*name).clone()} oninput={bind(&name)} /></label>
                <button id="new-role-submit" type="submit">{ ui.t(Key::Create) }</button>
            </form>
            }
            if let Some(m) = &*message { <p class="error" role="alert">{ m }</p> }
        </div>
    }
}
