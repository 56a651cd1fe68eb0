//! The client's routes: every section, the account card and the tabs of Administration
//! and Payments have a path, so a refresh keeps the screen, Back goes back and a link can
//! be shared. The backend answers every one of these paths with `index.html`.

use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    /// Sends the user to the first section their permissions open.
    #[at("/")]
    Home,
    #[at("/subscribers")]
    Subscribers,
    /// The account card over the list.
    #[at("/subscribers/:id")]
    Account { id: i64 },
    #[at("/legal-entities")]
    LegalEntities,
    /// Electricity retail: the customers' dossiers.
    #[at("/retail-customers")]
    RetailCustomers,
    #[at("/meters")]
    Meters,
    #[at("/billing")]
    Billing,
    #[at("/reference-books")]
    ReferenceBooks,
    #[at("/payment-import")]
    PaymentImport,
    #[at("/data-import")]
    DataImport,
    #[at("/payments")]
    Payments,
    #[at("/payments/:tab")]
    PaymentsTab { tab: String },
    #[at("/acts")]
    Acts,
    #[at("/reports")]
    Reports,
    #[at("/settings")]
    Settings,
    #[at("/settings/:tab")]
    SettingsTab { tab: String },
    #[at("/administration")]
    Administration,
    #[at("/administration/:tab")]
    AdministrationTab { tab: String },
    /// The signed-in user's own page: their password.
    #[at("/me")]
    MyAccount,
    #[not_found]
    #[at("/not-found")]
    NotFound,
}

/// A link that changes the route without reloading the page (a plain `href` stays, so a
/// middle click or "copy link" works as on any site); `id` and `class` for tests and CSS.
#[derive(Properties, PartialEq)]
pub struct NavLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(NavLink)]
pub fn nav_link(props: &NavLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |e: MouseEvent| {
            // Let the browser open a new tab or window when asked to.
            if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
                return;
            }
            e.prevent_default();
            if let Some(n) = &navigator {
                n.push(&to);
            }
        })
    };
    html! {
        <a href={props.to.to_path()} id={props.id.clone()} class={props.class.clone()} title={props.title.clone()} {onclick}>
            { props.children.clone() }
        </a>
    }
}

/// Goes to `to` (a new history entry).
pub fn go(navigator: &Option<Navigator>, to: Route) {
    if let Some(n) = navigator {
        n.push(&to);
    }
}
