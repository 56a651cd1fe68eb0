//! Settings, apart from the month's operations: one tab per topic — the enterprise card,
//! the requisites the invoices print, mail, reminders, the calculation, account numbering, payments,
//! security — each with its own URL (`/settings/<tab>`). Shown to whom `settings.view`
//! opens.

mod calculation;
mod claims;
mod enterprise;
mod numbering;
mod security;

use yew::prelude::*;

use crate::shared::i18n::Key;
use crate::shell::Ui;
use crate::shell::routes::{NavLink, Route};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Enterprise,
    Requisites,
    Mail,
    Reminders,
    Calculation,
    Numbering,
    Payments,
    Claims,
    Security,
}

const TABS: [(Tab, &str, Key); 9] = [
    (Tab::Enterprise, "enterprise", Key::SettingsEnterprise),
    (Tab::Requisites, "requisites", Key::SettingsRequisites),
    (Tab::Mail, "mail", Key::SettingsMail),
    (Tab::Reminders, "reminders", Key::SettingsReminders),
    (Tab::Calculation, "calculation", Key::SettingsCalculation),
    (Tab::Numbering, "numbering", Key::NumTab),
    (Tab::Payments, "payments", Key::SettingsPayments),
    (Tab::Claims, "claims", Key::SettingsClaims),
    (Tab::Security, "security", Key::SettingsSecurity),
];

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The route's tab; None or an unknown one: the requisites.
    #[prop_or_default]
    pub tab: Option<String>,
}

#[function_component(SettingsSection)]
pub fn settings_section(props: &SettingsProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let tab = TABS
        .iter()
        .find(|(_, slug, _)| props.tab.as_deref() == Some(*slug))
        .map_or(Tab::Requisites, |(t, _, _)| *t);
    let tabs = TABS.iter().map(|(t, slug, key)| {
        let to = Route::SettingsTab {
            tab: (*slug).to_owned(),
        };
        html! {
            <NavLink {to} id={format!("settings-tab-{slug}")} class={classes!("tab", (tab == *t).then_some("active"))}>{ ui.t(*key) }</NavLink>
        }
    });
    html! {
        <section class="settings">
            <h2>{ ui.t(Key::MenuSettings) }</h2>
            <nav class="tabs">{ for tabs }</nav>
            { match tab {
                Tab::Enterprise => html! { <enterprise::EnterpriseCard /> },
                Tab::Requisites => html! { <crate::documents::invoice_pdf::InvoiceSettingsCard /> },
                Tab::Mail => html! { <crate::documents::mail_settings::MailSettingsCard /> },
                Tab::Reminders => html! { <crate::documents::reminders::RemindersCard /> },
                Tab::Calculation => html! { <calculation::CalculationSettings /> },
                Tab::Numbering => html! { <numbering::NumberingSettings /> },
                Tab::Payments => html! { <crate::payments::PaymentSettingsTab /> },
                Tab::Claims => html! { <claims::ClaimTemplateCard /> },
                Tab::Security => html! { <security::SecuritySettings /> },
            } }
        </section>
    }
}
