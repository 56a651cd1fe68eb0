//! The application shell of seed 000 §4.1: the vertical main menu on the left, the
//! summary panel on top, settings and switch-user at the top right.

use yew::prelude::*;

use crate::api::{self, Shell, shell};
use crate::i18n::{Key, Lang, text};
use crate::subscribers::Subscribers;

/// The user's language; every component reads texts through it.
#[derive(Clone, Copy, PartialEq)]
pub struct Ui {
    pub lang: Lang,
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
    ReferenceBooks,
    PaymentImport,
    Payments,
    Reports,
    Administration,
}

const MENU: [(Section, Key, &str); 8] = [
    (Section::Subscribers, Key::MenuSubscribers, "subscribers"),
    (
        Section::LegalEntities,
        Key::MenuLegalEntities,
        "legal-entities",
    ),
    (Section::Meters, Key::MenuMeters, "meters"),
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

#[function_component(App)]
pub fn app() -> Html {
    let shell_data = use_state(|| None::<Result<shell::ResponseData, String>>);
    // The user's own choice wins; otherwise the tenant's locale once it is known.
    let chosen = use_state(stored_lang);
    let section = use_state(|| Section::Subscribers);
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
    let ui = Ui {
        lang: chosen.or(tenant_lang).unwrap_or(Lang::Uk),
    };
    let on_lang = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(l) = Lang::from_code(&value) {
                store_lang(l);
                chosen.set(Some(l));
            }
        })
    };

    let menu = MENU.iter().map(|(s, key, id)| {
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
                    <SummaryPanel data={(*shell_data).clone()} />
                    <div class="top-right">
                        <label class="lang">
                            <span class="sr-only">{ ui.t(Key::Language) }</span>
                            <select id="lang-select" title={ui.t(Key::Settings)} onchange={on_lang}>
                                { for Lang::ALL.iter().map(|l| html! {
                                    <option value={l.code()} selected={*l == ui.lang}>{ l.native_name() }</option>
                                }) }
                            </select>
                        </label>
                        <button class="switch-user" title={ui.t(Key::SwitchUser)}>{ ui.t(Key::SwitchUser) }</button>
                    </div>
                </header>
                <main class="content">
                    { match *section {
                        Section::Subscribers => html! { <Subscribers /> },
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
    data: Option<Result<shell::ResponseData, String>>,
}

#[function_component(SummaryPanel)]
fn summary_panel(props: &SummaryProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or(Ui { lang: Lang::Uk });
    match &props.data {
        None => html! { <div class="summary">{ ui.t(Key::Loading) }</div> },
        Some(Err(e)) => {
            html! { <div class="summary error" title={e.clone()}>{ ui.t(Key::LoadFailed) }</div> }
        }
        Some(Ok(d)) => {
            let s = &d.summary;
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
                    { item(Key::SummaryDebt, format!("{} {}", s.total_debt, d.tenant.currency), "summary-debt") }
                </div>
            }
        }
    }
}
