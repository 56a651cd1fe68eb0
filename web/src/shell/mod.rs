//! The application shell of seed 000 §4.1: the vertical main menu on the left, the
//! summary panel on top, settings (language) and sign-out at the top right. Signed
//! out, it shows the sign-in panel instead.

pub mod login;
pub mod my_account;
pub mod password_link;
pub mod register;
pub mod routes;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::admin::Administration;
use crate::metering::meters::MetersSection;
use crate::pricing::books::ReferenceBooks;
use crate::shared::api::{self, Me, Shell, Summary, me, shell, summary};
use crate::shared::i18n::{Key, Lang, text};
use crate::shared::toast::ToastHost;
use crate::shell::login::Login;
use crate::shell::routes::{NavLink, Route};
use crate::subscribers::Subscribers;
use crate::subscribers::legal::LegalEntitiesSection;

/// The user's language and the tenant's currency; every component reads texts and
/// formats amounts through it.
#[derive(Clone, Copy, PartialEq)]
pub struct Ui {
    pub lang: Lang,
    pub currency: Currency,
    /// The tenant's IANA time zone (`Europe/Kyiv`); empty: the browser's.
    pub zone: &'static str,
}

impl Default for Ui {
    fn default() -> Self {
        Self {
            lang: Lang::UK,
            currency: Currency::default(),
            zone: "",
        }
    }
}

impl Ui {
    pub fn t(&self, key: Key) -> &'static str {
        text(self.lang, key)
    }

    /// An amount in the tenant's currency, as the user's language writes it.
    pub fn money(&self, amount: &str) -> String {
        crate::shared::format::money(self.lang, amount, self.currency.code())
    }

    /// An amount without the currency sign (parts of a whole, a list of services' shares).
    pub fn amount(&self, amount: &str) -> String {
        crate::shared::format::money(self.lang, amount, "")
    }

    /// A quantity (a reading, a consumption) with the language's separators.
    pub fn quantity(&self, value: &str) -> String {
        crate::shared::format::quantity(self.lang, value, 4)
    }

    /// A moment from the API in the tenant's time zone, with the zone named.
    pub fn moment(&self, iso: &str) -> String {
        crate::shared::format::moment(self.lang, iso, self.zone)
    }
}

/// The one `&'static` copy of a text that lives as long as the page (a time zone name):
/// `Ui` stays `Copy`, and each distinct text is kept once (also the ids of columns named
/// by the server, a reference book's fields).
pub(crate) fn interned(text: &str) -> &'static str {
    thread_local! {
        static TEXTS: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TEXTS.with(|t| {
        if let Some(found) = t.borrow().iter().find(|s| **s == text) {
            return *found;
        }
        let kept: &'static str = Box::leak(text.to_owned().into_boxed_str());
        t.borrow_mut().push(kept);
        kept
    })
}

/// What the signed-in user's roles allow (`"accounts.update"`…), for the controls: a
/// control the user may not use is not drawn (the server refuses it anyway).
#[derive(Clone, PartialEq, Default)]
pub struct Can(std::rc::Rc<Vec<String>>);

impl Can {
    pub fn new(permissions: &[String]) -> Self {
        Self(std::rc::Rc::new(permissions.to_vec()))
    }

    /// `document.action`, as the API names permissions.
    pub fn allows(&self, permission: &str) -> bool {
        self.0.iter().any(|p| p == permission)
    }
}

/// The user's permissions (nothing outside the workspace).
#[hook]
pub fn use_can() -> Can {
    use_context::<Can>().unwrap_or_default()
}

/// An ISO 4217 code (`UAH`), kept by value so `Ui` stays `Copy`; empty when unknown.
#[derive(Clone, Copy, PartialEq, Default)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Self {
        match code.as_bytes() {
            [a, b, c] if code.chars().all(|ch| ch.is_ascii_uppercase()) => Self([*a, *b, *c]),
            _ => Self::default(),
        }
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0)
            .ok()
            .filter(|c| !c.starts_with('\0'))
            .unwrap_or("")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Subscribers,
    LegalEntities,
    RetailCustomers,
    Meters,
    Billing,
    ReferenceBooks,
    PaymentImport,
    DataImport,
    Payments,
    Acts,
    Reports,
    Settings,
    Administration,
}

impl Section {
    /// The section a route shows; None for the start page and unknown paths.
    fn of(route: &Route) -> Option<Section> {
        Some(match route {
            Route::Subscribers | Route::Account { .. } => Section::Subscribers,
            Route::LegalEntities => Section::LegalEntities,
            Route::RetailCustomers => Section::RetailCustomers,
            Route::Meters => Section::Meters,
            Route::Billing => Section::Billing,
            Route::ReferenceBooks => Section::ReferenceBooks,
            Route::PaymentImport => Section::PaymentImport,
            Route::DataImport => Section::DataImport,
            Route::Payments | Route::PaymentsTab { .. } => Section::Payments,
            Route::Acts => Section::Acts,
            Route::Reports => Section::Reports,
            Route::Settings | Route::SettingsTab { .. } => Section::Settings,
            Route::Administration | Route::AdministrationTab { .. } => Section::Administration,
            Route::Home | Route::NotFound | Route::MyAccount => return None,
        })
    }

    fn route(self) -> Route {
        match self {
            Section::Subscribers => Route::Subscribers,
            Section::LegalEntities => Route::LegalEntities,
            Section::RetailCustomers => Route::RetailCustomers,
            Section::Meters => Route::Meters,
            Section::Billing => Route::Billing,
            Section::ReferenceBooks => Route::ReferenceBooks,
            Section::PaymentImport => Route::PaymentImport,
            Section::DataImport => Route::DataImport,
            Section::Payments => Route::Payments,
            Section::Acts => Route::Acts,
            Section::Reports => Route::Reports,
            Section::Settings => Route::Settings,
            Section::Administration => Route::Administration,
        }
    }
}

const MENU: [(Section, Key, &str); 13] = [
    (Section::Subscribers, Key::MenuSubscribers, "subscribers"),
    (
        Section::LegalEntities,
        Key::MenuLegalEntities,
        "legal-entities",
    ),
    (
        Section::RetailCustomers,
        Key::MenuRetailCustomers,
        "retail-customers",
    ),
    (Section::Meters, Key::MenuMeters, "meters"),
    (Section::Billing, Key::MenuBilling, "billing"),
    (
        Section::ReferenceBooks,
        Key::MenuReferenceBooks,
        "reference-books",
    ),
    (
        Section::PaymentImport,
        Key::MenuPaymentImport,
        "payment-import",
    ),
    (Section::Payments, Key::MenuPayments, "payments"),
    (Section::DataImport, Key::MenuDataImport, "data-import"),
    (Section::Acts, Key::MenuActs, "acts"),
    (Section::Reports, Key::MenuReports, "reports"),
    (Section::Settings, Key::MenuSettings, "settings"),
    (
        Section::Administration,
        Key::MenuAdministration,
        "administration",
    ),
];

const LANG_STORAGE_KEY: &str = "billing.lang";

fn stored_lang() -> Option<Lang> {
    let storage = web_sys::window()?.local_storage().ok()??;
    Lang::from_code(&storage.get_item(LANG_STORAGE_KEY).ok()??)
}

fn store_lang(lang: Lang) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(LANG_STORAGE_KEY, lang.code());
    }
}

#[derive(Properties, PartialEq)]
pub struct LangSelectProps {
    pub id: AttrValue,
    pub current: Lang,
    pub on_lang: Callback<Lang>,
}

/// The language switcher (the sign-in page and the top bar), each language in its own name.
#[function_component(LangSelect)]
pub fn lang_select(props: &LangSelectProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let onchange = {
        let cb = props.on_lang.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(l) = Lang::from_code(&value) {
                cb.emit(l);
            }
        })
    };
    html! {
        <label class="lang">
            <span class="sr-only">{ ui.t(Key::Language) }</span>
            <select id={props.id.clone()} title={ui.t(Key::Language)} {onchange}>
                { for crate::shared::i18n::languages().iter().map(|l| html! {
                    <option value={l.code()} selected={*l == props.current}>{ crate::shared::i18n::native_name(*l) }</option>
                }) }
            </select>
        </label>
    }
}

type MeState = Option<Result<Option<me::MeMe>, String>>;

/// The client under its router (the browser's address bar and history).
#[function_component(App)]
pub fn app() -> Html {
    html! { <BrowserRouter><Root /></BrowserRouter> }
}

#[function_component(Root)]
fn root() -> Html {
    let me_state = use_state(|| None as MeState);
    let generation = use_state(|| 0u32);
    let chosen = use_state(stored_lang);
    {
        let me_state = me_state.clone();
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                me_state.set(Some(api::run::<Me>(me::Variables {}).await.map(|d| d.me)));
            });
        });
    }
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let on_lang = {
        let chosen = chosen.clone();
        Callback::from(move |l: Lang| {
            store_lang(l);
            chosen.set(Some(l));
        })
    };
    let user_lang = match &*me_state {
        Some(Ok(Some(m))) => m.locale.as_deref().and_then(Lang::from_code),
        _ => None,
    };
    let base = Ui {
        lang: chosen.or(user_lang).unwrap_or(Lang::UK),
        currency: Currency::default(),
        zone: "",
    };
    // A password link's page stands apart: whoever is signed in (or nobody), it sets the
    // password of the link's user.
    let on_link_page = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|p| p == password_link::PATH);
    if on_link_page {
        return html! {
            <ContextProvider<Ui> context={base}>
                <password_link::SetPassword />
            </ContextProvider<Ui>>
        };
    }
    match &*me_state {
        None => html! { <p class="loading">{ base.t(Key::Loading) }</p> },
        Some(Err(e)) => {
            html! { <p class="error">{ format!("{}: {e}", base.t(Key::LoadFailed)) }</p> }
        }
        Some(Ok(None)) => html! {
            <ContextProvider<Ui> context={base}>
                <Login on_signed_in={reload} on_lang={on_lang} />
            </ContextProvider<Ui>>
        },
        Some(Ok(Some(me))) if me.kind == "subscriber" => {
            let sign_out = sign_out_then(reload);
            html! {
                <PortalRoot lang={chosen.or(user_lang)} name={me.display_name.clone()} on_sign_out={sign_out} />
            }
        }
        // The platform operator belongs to no tenant: their screens are the console.
        Some(Ok(Some(me))) if me.kind == "platform" => {
            let sign_out = sign_out_then(reload);
            html! {
                <ContextProvider<Ui> context={base}>
                    <crate::platform::Console on_sign_out={sign_out} on_lang={on_lang} />
                </ContextProvider<Ui>>
            }
        }
        Some(Ok(Some(me))) => html! {
            <Workspace me={me.clone()} chosen={*chosen} on_lang={on_lang} on_signed_out={reload} />
        },
    }
}

/// Signs out, then `reload` (the sign-in page comes back).
fn sign_out_then(reload: Callback<()>) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let reload = reload.clone();
        wasm_bindgen_futures::spawn_local(async move {
            api::logout().await;
            reload.emit(());
        });
    })
}

/// The tenant's name, language, currency and time zone, once loaded.
#[hook]
fn use_tenant() -> UseStateHandle<Option<Result<shell::ResponseData, String>>> {
    let shell_data = use_state(|| None::<Result<shell::ResponseData, String>>);
    {
        let shell_data = shell_data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                shell_data.set(Some(api::run::<Shell>(shell::Variables {}).await));
            });
        });
    }
    shell_data
}

/// The `Ui` of a signed-in user: the language chosen (or the user's own), else the
/// tenant's; the tenant's currency and time zone.
fn tenant_ui(shell_data: &Option<Result<shell::ResponseData, String>>, lang: Option<Lang>) -> Ui {
    let tenant = match shell_data {
        Some(Ok(d)) => Some(&d.tenant),
        _ => None,
    };
    Ui {
        lang: lang
            .or_else(|| tenant.and_then(|t| Lang::from_code(&t.locale)))
            .unwrap_or(Lang::UK),
        currency: tenant.map_or_else(Currency::default, |t| Currency::parse(&t.currency)),
        zone: tenant.map_or("", |t| interned(&t.time_zone)),
    }
}

#[derive(Properties, PartialEq)]
struct PortalRootProps {
    lang: Option<Lang>,
    name: AttrValue,
    on_sign_out: Callback<MouseEvent>,
}

/// The subscriber's portal under the tenant's currency and time zone.
#[function_component(PortalRoot)]
fn portal_root(props: &PortalRootProps) -> Html {
    let shell_data = use_tenant();
    let ui = tenant_ui(&shell_data, props.lang);
    html! {
        <ContextProvider<Ui> context={ui}>
            <crate::portal::Portal name={props.name.to_string()} on_sign_out={props.on_sign_out.clone()} />
        </ContextProvider<Ui>>
    }
}

#[derive(Properties, PartialEq)]
struct WorkspaceProps {
    me: me::MeMe,
    chosen: Option<Lang>,
    on_lang: Callback<Lang>,
    on_signed_out: Callback<()>,
}

#[function_component(Workspace)]
fn workspace(props: &WorkspaceProps) -> Html {
    let shell_data = use_tenant();
    let route = use_route::<Route>().unwrap_or(Route::NotFound);
    let navigator = use_navigator();
    let can = |p: &str| props.me.permissions.iter().any(|x| x == p);
    let user_lang = props.me.locale.as_deref().and_then(Lang::from_code);
    let ui = tenant_ui(&shell_data, props.chosen.or(user_lang));
    api::set_lang(ui.lang.code());
    // Signing out returns to the start page, so whoever signs in next starts at their own
    // first section rather than on a screen of the previous user.
    let sign_out = {
        let (done, navigator) = (props.on_signed_out.clone(), navigator.clone());
        Callback::from(move |()| {
            let (done, navigator) = (done.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                api::logout().await;
                if let Some(n) = &navigator {
                    n.replace(&Route::Home);
                }
                done.emit(());
            });
        })
    };
    // What the tenant's kind of business uses: the monthly loop's sections for water,
    // housing and owners' associations, the trader's for electricity retail, both for
    // a tenant of both; the shared ones (reference books, imports, reports, settings,
    // administration)
    // for all. Until the tenant is read, the water side (the older default).
    let kind = match &*shell_data {
        Some(Ok(d)) => d.tenant.business_kind.clone(),
        _ => "water".to_owned(),
    };
    let electricity = kind == "electricity" || kind == "water_electricity";
    let water = kind != "electricity";
    let used = |s: Section| match s {
        Section::RetailCustomers => electricity,
        Section::Subscribers
        | Section::LegalEntities
        | Section::Meters
        | Section::Billing
        | Section::PaymentImport
        | Section::Payments
        | Section::Acts => water,
        Section::ReferenceBooks
        | Section::DataImport
        | Section::Reports
        | Section::Settings
        | Section::Administration => true,
    };
    let visible = |s: Section| {
        used(s)
            && match s {
                Section::Administration => can("users.view"),
                Section::Settings => can("settings.view"),
                Section::Subscribers => can("accounts.view"),
                Section::ReferenceBooks => can("reference_books.view"),
                Section::LegalEntities | Section::RetailCustomers => can("subscribers.view"),
                Section::Meters => can("meters.view"),
                Section::Billing => can("invoices.view"),
                Section::Payments | Section::PaymentImport => can("payments.view"),
                // The imports' own documents: accounts, subscribers (residents), meters.
                Section::DataImport => {
                    can("accounts.view") || can("subscribers.view") || can("meters.view")
                }
                Section::Acts => can("acts.view"),
                Section::Reports => can("reports.view"),
            }
    };
    let section = Section::of(&route);
    // The start page goes to the first section the user's permissions open; replacing the
    // entry keeps Back from bouncing through it.
    // (Not before the tenant's kind is known: an electricity retailer's start page is
    // not the water side's.)
    let first = MENU
        .iter()
        .map(|(s, _, _)| *s)
        .find(|s| visible(*s))
        .filter(|_| shell_data.is_some());
    {
        let navigator = navigator.clone();
        use_effect_with((route.clone(), first), move |(route, first)| {
            if let (Route::Home, Some(first), Some(n)) = (route, first, navigator) {
                n.replace(&first.route());
            }
        });
    }
    let menu = MENU.iter().filter(|(s, _, _)| visible(*s)).map(|(s, key, id)| {
        let active = section == Some(*s);
        html! {
            <li>
                <NavLink to={s.route()} id={format!("menu-{id}")} class={classes!("menu-item", active.then_some("active"))}>
                    { ui.t(*key) }
                </NavLink>
            </li>
        }
    });
    let tenant_name = match &*shell_data {
        Some(Ok(d)) => d.tenant.name.clone(),
        _ => String::new(),
    };
    let permissions = Can::new(&props.me.permissions);
    html! {
        <ContextProvider<Ui> context={ui}>
        <ContextProvider<Can> context={permissions}>
        <ToastHost>
        <div class="layout">
            <nav class="sidebar">
                <div class="brand">{ tenant_name }</div>
                <ul class="menu scroll-x">{ for menu }</ul>
            </nav>
            <div class="main">
                <header class="topbar">
                    // The water side's counters (accounts, residents, meters, debt).
                    if can("accounts.view") && water {
                        <SummaryPanel />
                    } else {
                        <div class="summary"></div>
                    }
                    <div class="top-right">
                        <NavLink to={Route::MyAccount} id="current-user" class="user" title={ui.t(Key::MyAccount)}>{ &props.me.display_name }</NavLink>
                        <LangSelect id="lang-select" current={ui.lang} on_lang={props.on_lang.clone()} />
                        <button id="sign-out" class="sign-out" onclick={sign_out.reform(|_| ())}>{ ui.t(Key::SignOut) }</button>
                    </div>
                </header>
                <main class="content">
                    { match (section, &route) {
                        (Some(Section::Subscribers), r) if visible(Section::Subscribers) => {
                            let account = match r { Route::Account { id } => Some(*id), _ => None };
                            html! { <Subscribers {account} /> }
                        }
                        (Some(Section::Administration), r) if visible(Section::Administration) => {
                            let tab = match r { Route::AdministrationTab { tab } => Some(tab.clone()), _ => None };
                            html! { <Administration {tab} /> }
                        }
                        (Some(Section::ReferenceBooks), _) if visible(Section::ReferenceBooks) => html! { <ReferenceBooks /> },
                        (Some(Section::LegalEntities), _) if visible(Section::LegalEntities) => html! { <LegalEntitiesSection /> },
                        (Some(Section::RetailCustomers), _) if visible(Section::RetailCustomers) => html! { <crate::retail::RetailSection /> },
                        (Some(Section::Meters), _) if visible(Section::Meters) => html! { <MetersSection /> },
                        (Some(Section::Billing), _) if visible(Section::Billing) => html! { <crate::billing::BillingSection /> },
                        (Some(Section::Payments), r) if visible(Section::Payments) => {
                            let tab = match r { Route::PaymentsTab { tab } => Some(tab.clone()), _ => None };
                            html! {
                                <crate::payments::PaymentsSection {tab} can_edit={can("payments.create")} can_cancel={can("payments.delete")} />
                            }
                        }
                        (Some(Section::PaymentImport), _) if visible(Section::PaymentImport) => html! {
                            <crate::payments::payment_files::PaymentFilesSection can_upload={can("payments.create")} can_edit_templates={can("settings.update")} />
                        },
                        (Some(Section::DataImport), _) if visible(Section::DataImport) => html! { <crate::imports::ImportData /> },
                        (Some(Section::Settings), r) if visible(Section::Settings) => {
                            let tab = match r { Route::SettingsTab { tab } => Some(tab.clone()), _ => None };
                            html! { <crate::settings::SettingsSection {tab} /> }
                        }
                        (Some(Section::Acts), _) if visible(Section::Acts) => html! { <crate::acts::ActsSection /> },
                        (Some(Section::Reports), _) if visible(Section::Reports) => html! { <crate::reports::ReportsSection /> },
                        (None, Route::Home) => html! { <p class="loading">{ ui.t(Key::Loading) }</p> },
                        (None, Route::MyAccount) => html! {
                            <my_account::MyAccount login={props.me.login.clone()} display_name={props.me.display_name.clone()} on_signed_out={sign_out.clone()} />
                        },
                        // An unknown path, or a section the user's permissions do not open.
                        _ => html! {
                            <div class="not-found" id="not-found">
                                <p>{ ui.t(Key::PageNotFound) }</p>
                                <NavLink to={Route::Home} id="go-home">{ ui.t(Key::GoHome) }</NavLink>
                            </div>
                        },
                    } }
                </main>
            </div>
        </div>
        </ToastHost>
        </ContextProvider<Can>>
        </ContextProvider<Ui>>
    }
}

#[function_component(SummaryPanel)]
fn summary_panel() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<summary::SummarySummary, String>>);
    {
        let data = data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<Summary>(summary::Variables {})
                        .await
                        .map(|d| d.summary),
                ));
            });
        });
    }
    match &*data {
        None => html! { <div class="summary">{ ui.t(Key::Loading) }</div> },
        Some(Err(e)) => {
            html! { <div class="summary error" title={e.clone()}>{ ui.t(Key::LoadFailed) }</div> }
        }
        Some(Ok(s)) => {
            let item = |key: Key, value: String, id: &str| {
                html! {
                    <div class="summary-item" id={id.to_owned()}>
                        <span class="summary-label">{ ui.t(key) }</span>
                        <span class="summary-value">{ value }</span>
                    </div>
                }
            };
            html! {
                <div class="summary">
                    { item(Key::SummaryAccounts, crate::shared::format::quantity(ui.lang, &s.accounts.to_string(), 0), "summary-accounts") }
                    { item(Key::SummaryResidents, crate::shared::format::quantity(ui.lang, &s.residents.to_string(), 0), "summary-residents") }
                    { item(Key::SummaryMeters, crate::shared::format::quantity(ui.lang, &s.meters.to_string(), 0), "summary-meters") }
                    <div class="summary-item" id="summary-debt" data-amount={s.total_debt.clone()}>
                        <span class="summary-label">{ ui.t(Key::SummaryDebt) }</span>
                        <span class="summary-value">{ ui.money(&s.total_debt) }</span>
                    </div>
                </div>
            }
        }
    }
}
