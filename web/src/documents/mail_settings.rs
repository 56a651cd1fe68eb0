//! The tenant's outgoing mail server (tenant admins): host, port, TLS mode, login, password
//! (write-only), sender; and a test e-mail through it.

use yew::prelude::*;

use crate::admin::{bind, error_text, opt};
use crate::documents::scope::{DocScope, scope_kind};
use crate::shared::api::{
    self, InvoiceMails, MailInvoices, MailSettingsQuery, SendTestMail, UpdateMailSettings,
    invoice_mails, mail_invoices, mail_settings_query, send_test_mail, update_mail_settings,
};
use crate::shared::form::{Outcome, field_error, form_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::Ui;

#[function_component(MailSettingsCard)]
pub fn mail_settings_card() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let host = use_state(String::new);
    let port = use_state(|| "587".to_owned());
    let tls = use_state(|| "starttls".to_owned());
    let login = use_state(String::new);
    let password = use_state(String::new);
    let password_set = use_state(|| false);
    let sender_name = use_state(String::new);
    let sender_address = use_state(String::new);
    let to = use_state(String::new);
    let message = use_state(|| None as Outcome<String>);
    // The fields take typing once the saved values are in (else the answer overwrites
    // what was typed).
    let loaded = use_state(|| false);
    {
        let loaded = loaded.clone();
        let (host, port, tls, login, password_set, sender_name, sender_address) = (
            host.clone(),
            port.clone(),
            tls.clone(),
            login.clone(),
            password_set.clone(),
            sender_name.clone(),
            sender_address.clone(),
        );
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) =
                    api::run::<MailSettingsQuery>(mail_settings_query::Variables {}).await
                {
                    let s = d.mail_settings;
                    host.set(s.host);
                    port.set(s.port.to_string());
                    tls.set(s.tls);
                    login.set(s.login);
                    password_set.set(s.password_set);
                    sender_name.set(s.sender_name);
                    sender_address.set(s.sender_address);
                }
                loaded.set(true);
            });
        });
    }
    let save = {
        let (host, port, tls, login, password, password_set, sender_name, sender_address, message) = (
            host.clone(),
            port.clone(),
            tls.clone(),
            login.clone(),
            password.clone(),
            password_set.clone(),
            sender_name.clone(),
            sender_address.clone(),
            message.clone(),
        );
        let saved = ui.t(Key::PaySaved).to_owned();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = update_mail_settings::MailSettingsInput {
                host: (*host).clone(),
                port: port.trim().parse().unwrap_or(0),
                tls: (*tls).clone(),
                login: (*login).clone(),
                password: opt(&password),
                sender_name: (*sender_name).clone(),
                sender_address: (*sender_address).clone(),
            };
            let (message, password_set, saved) =
                (message.clone(), password_set.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<UpdateMailSettings>(update_mail_settings::Variables { input })
                    .await
                {
                    Ok(d) => {
                        password_set.set(d.update_mail_settings.password_set);
                        message.set(Some(Ok(saved)));
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let test = {
        let (to, message) = (to.clone(), message.clone());
        let sent = ui.t(Key::MailTestSent).to_owned();
        Callback::from(move |_| {
            let (vars, message, sent) = (
                send_test_mail::Variables { to: (*to).clone() },
                message.clone(),
                sent.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SendTestMail>(vars).await {
                    Ok(_) => message.set(Some(Ok(sent))),
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let field = |key: Key,
                 id: &'static str,
                 name: &'static str,
                 state: &UseStateHandle<String>,
                 kind: &'static str| {
        html! {
            <label>{ ui.t(key) }<input {id} type={kind} disabled={!*loaded} aria-invalid={invalid(&message, name)} value={(**state).clone()} oninput={bind(state)} />{ field_error(&message, name) }</label>
        }
    };
    html! {
        <form id="mail-settings" class="card" onsubmit={save}>
            <h3>{ ui.t(Key::MailSettings) }</h3>
            <div class="inline">
                { field(Key::MailHost, "mail-host", "host", &host, "text") }
                { field(Key::MailPort, "mail-port", "port", &port, "text") }
                <label>{ ui.t(Key::MailTls) }
                    <select id="mail-tls" disabled={!*loaded} aria-invalid={invalid(&message, "tls")} onchange={ let t = tls.clone(); Callback::from(move |e: Event| t.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        { crate::shared::labels::TLS_MODES.options(&ui, &tls) }
                    </select>
                </label>
                { field(Key::LoginLabel, "mail-login", "login", &login, "text") }
                <label>{ ui.t(Key::PasswordLabel) }<input id="mail-password" type="password" disabled={!*loaded} placeholder={if *password_set { "••••••" } else { "" }} value={(*password).clone()} oninput={bind(&password)} /></label>
                { field(Key::MailSenderName, "mail-sender-name", "senderName", &sender_name, "text") }
                { field(Key::MailSenderAddress, "mail-sender-address", "senderAddress", &sender_address, "email") }
            </div>
            <button id="mail-save" type="submit">{ ui.t(Key::Save) }</button>
            <div class="inline">
                { field(Key::Email, "mail-test-to", "to", &to, "email") }
                <button id="mail-test" type="button" onclick={test}>{ ui.t(Key::MailTest) }</button>
            </div>
            { match &*message {
                None => html! {},
                Some(Ok(m)) => html! { <span id="mail-message" role="status">{ m }</span> },
                Some(Err(_)) => form_error(&message, Some("mail-error"), &["host", "port", "tls", "login", "senderName", "senderAddress", "to"]),
            } }
        </form>
    }
}

/// Sends the invoices of `scope` (the working month when `period` is None) by a mailing
/// job and waits for it: "`queued`: N messages", or the reason it was refused or failed.
pub async fn mail_scope(
    scope: &DocScope,
    period: Option<String>,
    resend: bool,
    queued: &str,
) -> Result<String, String> {
    let (kind, id, account_ids) = scope.parts();
    let input = mail_invoices::MailInvoicesInput {
        scope: scope_kind!(mail_invoices, kind),
        id,
        account_ids,
        period,
        resend,
    };
    let job = api::call::<MailInvoices>(mail_invoices::Variables { input })
        .await
        .map_err(|e| error_text(&e))?
        .mail_invoices
        .id;
    api::wait_job(&job, |_| {})
        .await
        .map(|r| format!("{queued}: {}", r["messages"]))
}

#[derive(Properties, PartialEq)]
pub struct MailInvoicesProps {
    /// YYYY-MM.
    pub period: String,
    /// Whose invoices are sent (the Billing screen's chosen scope); None while a branch
    /// or building is still to be picked.
    #[prop_or(Some(DocScope::Tenant))]
    pub scope: Option<DocScope>,
}

/// "Send the period's invoices by e-mail" (again, when asked) and each message's state.
#[function_component(MailInvoicesCard)]
pub fn mail_invoices_card(props: &MailInvoicesProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let resend = use_state(|| false);
    let list = use_state(|| None::<Result<Vec<invoice_mails::InvoiceMailsInvoiceMails>, String>>);
    let generation = use_state(|| 0u32);
    let status = use_state(|| None::<Result<String, String>>);
    {
        let (list, period) = (list.clone(), props.period.clone());
        use_effect_with((*generation, props.period.clone()), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(
                    api::run::<InvoiceMails>(invoice_mails::Variables { period })
                        .await
                        .map(|d| d.invoice_mails),
                ));
            });
        });
    }
    let send = {
        let (resend, status, generation, period, scope) = (
            resend.clone(),
            status.clone(),
            generation.clone(),
            props.period.clone(),
            props.scope.clone().unwrap_or_default(),
        );
        let queued = ui.t(Key::MailQueued).to_owned();
        Callback::from(move |_| {
            let (status, generation, queued) = (status.clone(), generation.clone(), queued.clone());
            let (scope, period, resend) = (scope.clone(), period.clone(), *resend);
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Some(
                    mail_scope(&scope, Some(period), resend, &queued).await,
                ));
                generation.set(*generation + 1);
            });
        })
    };
    let refresh = {
        let g = generation.clone();
        Callback::from(move |_| g.set(*g + 1))
    };
    let mail_columns = vec![
        Column::new("account", ui.t(Key::ColAccount)).sortable(),
        Column::new("email", ui.t(Key::Email)).sortable(),
        Column::new("state", ui.t(Key::Status)).sortable(),
        Column::new("attempts", ui.t(Key::MailAttempts))
            .numeric()
            .sortable(),
        Column::new("reason", ui.t(Key::Reason))
            .sortable()
            .optional(),
    ];
    html! {
        <div id="invoice-mails" class="card">
            <h3>{ format!("{} {}", ui.t(Key::MailInvoices), props.period) }</h3>
            <div class="inline">
                <label class="check"><input id="mail-resend" type="checkbox" checked={*resend} onchange={ let r = resend.clone(); Callback::from(move |_| r.set(!*r)) } />{ ui.t(Key::MailResend) }</label>
                <button id="mail-invoices" type="button" onclick={send} disabled={props.scope.is_none()}>{ ui.t(Key::MailInvoices) }</button>
                <button id="mail-invoices-refresh" type="button" onclick={refresh}>{ ui.t(Key::MailRefresh) }</button>
            </div>
            { match &*status {
                None => html! {},
                Some(Ok(m)) => html! { <p id="mail-invoices-status" role="status">{ m }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e }</p> },
            } }
            if let Some(Ok(rows)) = &*list {
                <DataTable id="invoice-mails-table" columns={mail_columns} rows={Rows::Ready(rows.iter().map(|m| {
                    Row::new(&m.account_number, vec![
                        Cell::text(m.account_number.clone()),
                        Cell::text(m.email.clone()),
                        Cell::text(crate::shared::labels::code(&ui, "invoice_mails_state", &m.state)),
                        Cell::count(m.attempts),
                        Cell::text(m.error.clone().unwrap_or_default()),
                    ]).class(format!("mail-{}", m.state))
                }).collect())} empty={AttrValue::from(ui.t(Key::MailNoneYet))} />
            }
        </div>
    }
}
