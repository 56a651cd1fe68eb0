//! The application shell of seed 000 §4.1: the vertical main menu on the left, the
//! summary panel on top, settings (language) and switch-user at the top right. Signed
//! out, it shows the sign-in panel instead.

pub mod login;

use yew::prelude::*;

use crate::admin::Administration;
use crate::metering::meters::MetersSection;
use crate::pricing::books::ReferenceBooks;
use crate::shared::api::{self, Me, Shell, Summary, me, shell, summary};
use crate::shared::i18n::{Key, Lang, text};
use crate::shell::login::Login;
use crate::subscribers::Subscribers;
use crate::subscribers::legal::LegalEntitiesSection;

/// The user's language; every component reads texts through it.
#[derive(Clone, Copy, PartialEq)]
pub struct Ui {
    pub lang: Lang,
}

impl Default for Ui {
    fn default() -> Self {
        Self { lang: Lang::UK }
    }
}

impl Ui {
    pub fn t(&self, key: Key) -> &'static str {
        text(self.lang, key)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Subscribers,
    LegalEntities,
    Meters,
    Billing,
    ReferenceBooks,
    PaymentImport,
    Payments,
    Reports,
    Administration,
}

const MENU: [(Section, Key, &str); 9] = [
    (Section::Subscribers, Key::MenuSubscribers, "subscribers"),
    (
        Section::LegalEntities,
        Key::MenuLegalEntities,
        "legal-entities",
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
    (Section::Reports, Key::MenuReports, "reports"),
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

type MeState = Option<Result<Option<me::MeMe>, String>>;

#[function_component(App)]
pub fn app() -> Html {
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
    };
    match &*me_state {
        None => html! { <p class="loading">{ base.t(Key::Loading) }</p> },
        Some(Err(e)) => {
            html! { <p class="error">{ format!("{}: {e}", base.t(Key::LoadFailed)) }</p> }
        }
        Some(Ok(None)) => html! {
            <ContextProvider<Ui> context={base}>
                <Login on_signed_in={reload} />
            </ContextProvider<Ui>>
        },
        Some(Ok(Some(me))) if me.kind == "subscriber" => {
            let sign_out = Callback::from(move |_| {
                let reload = reload.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    api::logout().await;
                    reload.emit(());
                });
            });
            html! {
                <ContextProvider<Ui> context={base}>
                    <crate::portal::Portal name={me.display_name.clone()} on_sign_out={sign_out} />
                </ContextProvider<Ui>>
            }
        }
        Some(Ok(Some(me))) => html! {
            <Workspace me={me.clone()} chosen={*chosen} on_lang={on_lang} on_signed_out={reload} />
        },
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
    let shell_data = use_state(|| None::<Result<shell::ResponseData, String>>);
    let section = use_state(|| Section::Subscribers);
    let can = |p: &str| props.me.permissions.iter().any(|x| x == p);
    {
        let shell_data = shell_data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                shell_data.set(Some(api::run::<Shell>(shell::Variables {}).await));
            });
        });
    }
    let tenant_lang = match &*shell_data {
        Some(Ok(d)) => Lang::from_code(&d.tenant.locale),
        _ => None,
    };
    let user_lang = props.me.locale.as_deref().and_then(Lang::from_code);
    let ui = Ui {
        lang: props
            .chosen
            .or(user_lang)
            .or(tenant_lang)
            .unwrap_or(Lang::UK),
    };
    api::set_lang(ui.lang.code());
    let on_lang = {
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
    let sign_out = {
        let done = props.on_signed_out.clone();
        Callback::from(move |_| {
            let done = done.clone();
            wasm_bindgen_futures::spawn_local(async move {
                api::logout().await;
                done.emit(());
            });
        })
    };
    let visible = |s: Section| match s {
        Section::Administration => can("users.view"),
        Section::Subscribers => can("accounts.view"),
        Section::ReferenceBooks => can("reference_books.view"),
        Section::LegalEntities => can("subscribers.view"),
        Section::Meters => can("meters.view"),
        Section::Billing => can("invoices.view"),
        Section::Payments | Section::PaymentImport => can("payments.view"),
        _ => true,
    };
    let menu = MENU.iter().filter(|(s, _, _)| visible(*s)).map(|(s, key, id)| {
        let active = *section == *s;
        let onclick = {
            let section = section.clone();
            let s = *s;
            Callback::from(move |_| section.set(s))
        };
        html! {
            <li>
                <button id={format!("menu-{id}")} class={classes!("menu-item", active.then_some("active"))} {onclick}>
                    { ui.t(*key) }
                </button>
            </li>
        }
    });
    let tenant_name = match &*shell_data {
        Some(Ok(d)) => d.tenant.name.clone(),
        _ => String::new(),
    };
    html! {
        <ContextProvider<Ui> context={ui}>
        <div class="layout">
            <nav class="sidebar">
                <div class="brand">{ tenant_name }</div>
                <ul class="menu">{ for menu }</ul>
            </nav>
            <div class="main">
                <header class="topbar">
                    if can("accounts.view") {
                        <SummaryPanel currency={match &*shell_data { Some(Ok(d)) => d.tenant.currency.clone(), _ => String::new() }} />
                    } else {
                        <div class="summary"></div>
                    }
                    <div class="top-right">
                        <span id="current-user" class="user">{ &props.me.display_name }</span>
                        <label class="lang">
                            <span class="sr-only">{ ui.t(Key::Language) }</span>
                            <select id="lang-select" title={ui.t(Key::Settings)} onchange={on_lang}>
                                { for crate::shared::i18n::languages().iter().map(|l| html! {
                                    <option value={l.code()} selected={*l == ui.lang}>{ crate::shared::i18n::native_name(*l) }</option>
                                }) }
                            </select>
                        </label>
                        <button id="switch-user" class="switch-user" title={ui.t(Key::SwitchUser)} onclick={sign_out}>{ ui.t(Key::SwitchUser) }</button>
                    </div>
                </header>
                <main class="content">
                    { match *section {
                        Section::Subscribers if visible(Section::Subscribers) => html! { <Subscribers /> },
                        Section::Administration if visible(Section::Administration) => html! { <Administration /> },
                        Section::ReferenceBooks if visible(Section::ReferenceBooks) => html! { <ReferenceBooks /> },
                        Section::LegalEntities if visible(Section::LegalEntities) => html! { <LegalEntitiesSection /> },
                        Section::Meters if visible(Section::Meters) => html! { <MetersSection /> },
                        Section::Billing if visible(Section::Billing) => html! { <crate::billing::BillingSection can_configure={can("settings.update")} /> },
                        Section::Payments if visible(Section::Payments) => html! {
                            <crate::payments::PaymentsSection can_edit={can("payments.create")} can_cancel={can("payments.delete")} can_configure={can("settings.update")} />
                        },
                        Section::PaymentImport if visible(Section::PaymentImport) => html! {
                            <crate::payments::payment_files::PaymentFilesSection can_upload={can("payments.create")} can_edit_templates={can("settings.update")} />
                        },
                        _ => html! { <p class="not-ready">{ ui.t(Key::SectionNotReady) }</p> },
                    } }
                </main>
            </div>
        </div>
        </ContextProvider<Ui>>
    }
}

#[derive(Properties, PartialEq)]
struct SummaryProps {
    currency: String,
}

#[function_component(SummaryPanel)]
fn summary_panel(props: &SummaryProps) -> Html {
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
                    { item(Key::SummaryAccounts, s.accounts.to_string(), "summary-accounts") }
                    { item(Key::SummaryResidents, s.residents.to_string(), "summary-residents") }
                    { item(Key::SummaryMeters, s.meters.to_string(), "summary-meters") }
                    { item(Key::SummaryDebt, format!("{} {}", s.total_debt, props.currency), "summary-debt") }
                </div>
            }
        }
    }
}
