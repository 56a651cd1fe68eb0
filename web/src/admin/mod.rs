//! The Administration dashboard (seed 000 Fig. 19): users, roles with their permission
//! matrix, and the change log.

mod address_editor;
mod addresses;
pub(crate) mod audit;
mod building_editor;
mod buildings_services;
mod group_open;
mod premises_editor;
mod reach;
mod roles;
mod user_edit;
mod users;

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::shared::i18n::Key;
use crate::shell::Ui;
use crate::shell::routes::{NavLink, Route};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Users,
    Roles,
    Audit,
    AddAddress,
    Buildings,
}

impl Tab {
    /// The tab's path segment (`/administration/<slug>`).
    fn slug(self) -> &'static str {
        match self {
            Tab::Users => "users",
            Tab::Roles => "roles",
            Tab::Audit => "audit",
            Tab::AddAddress => "add-address",
            Tab::Buildings => "buildings",
        }
    }

    fn from_slug(slug: &str) -> Option<Tab> {
        [
            Tab::Users,
            Tab::Roles,
            Tab::Audit,
            Tab::AddAddress,
            Tab::Buildings,
        ]
        .into_iter()
        .find(|t| t.slug() == slug)
    }
}

#[derive(Properties, PartialEq)]
pub struct AdministrationProps {
    /// The route's tab; None or an unknown one: users.
    #[prop_or_default]
    pub tab: Option<String>,
}

#[function_component(Administration)]
pub fn administration(props: &AdministrationProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let tab = props
        .tab
        .as_deref()
        .and_then(Tab::from_slug)
        .unwrap_or(Tab::Users);
    let button = |t: Tab, key: Key, id: &str| {
        let to = Route::AdministrationTab {
            tab: t.slug().to_owned(),
        };
        html! {
            <NavLink {to} id={id.to_owned()} class={classes!("tab", (tab == t).then_some("active"))}>{ ui.t(key) }</NavLink>
        }
    };
    html! {
        <section class="administration">
            <MenuDashboard menu={DashboardMenu::ADMINISTRATION} />
            <div class="tabs">
                { button(Tab::Users, Key::TabUsers, "tab-users") }
                { button(Tab::Roles, Key::TabRoles, "tab-roles") }
                { button(Tab::Audit, Key::TabAudit, "tab-audit") }
                { button(Tab::AddAddress, Key::TabAddAddress, "tab-add-address") }
                { button(Tab::Buildings, Key::TabBuildings, "tab-buildings") }
            </div>
            { match tab {
                Tab::Users => html! { <users::UsersTab /> },
                Tab::Roles => html! { <roles::RolesTab /> },
                Tab::Audit => html! { <audit::AuditTab /> },
                Tab::AddAddress => html! { <addresses::AddAddressTab /> },
                Tab::Buildings => html! { <addresses::BuildingsTab /> },
            } }
        </section>
    }
}

/// A text input bound to a state handle.
pub(crate) fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        state.set(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    })
}

/// A server error as the user sees it (the server's message names the field and rule).
/// What a text input holds, trimmed; None when empty.
pub(crate) fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub(crate) fn error_text(e: &crate::shared::api::ApiError) -> String {
    e.message.clone()
}
