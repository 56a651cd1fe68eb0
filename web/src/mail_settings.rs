//! The tenant's outgoing mail server (tenant admins): host, port, TLS mode, login, password
//! (write-only), sender; and a test e-mail through it.

use yew::prelude::*;

use crate::admin::{bind, error_text, opt};
use crate::api::{
    self, MailSettingsQuery, SendTestMail, UpdateMailSettings, mail_settings_query, send_test_mail,
    update_mail_settings,
};
use crate::i18n::Key;
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
    let message = use_state(|| None::<Result<String, String>>);
    {
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
                    Err(e) => message.set(Some(Err(error_text(&e)))),
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
                    Err(e) => message.set(Some(Err(error_text(&e)))),
                }
            });
        })
    };
    let field = |key: Key, id: &'static str, state: &UseStateHandle<String>, kind: &'static str| {
        html! {
            <label>{ ui.t(key) }<input {id} type={kind} value={(**state).clone()} oninput={bind(state)} /></label>
        }
    };
    html! {
        <form id="mail-settings" class="card" onsubmit={save}>
            <h3>{ ui.t(Key::MailSettings) }</h3>
            <div class="inline">
                { field(Key::MailHost, "mail-host", &host, "text") }
                { field(Key::MailPort, "mail-port", &port, "text") }
                <label>{ ui.t(Key::MailTls) }
                    <select id="mail-tls" onchange={ let t = tls.clone(); Callback::from(move |e: Event| t.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())) }>
                        { for ["none", "starttls", "tls"].iter().map(|o| html! { <option value={*o} selected={*tls == *o}>{ *o }</option> }) }
                    </select>
                </label>
                { field(Key::LoginLabel, "mail-login", &login, "text") }
                <label>{ ui.t(Key::PasswordLabel) }<input id="mail-password" type="password" placeholder={if *password_set { "••••••" } else { "" }} value={(*password).clone()} oninput={bind(&password)} /></label>
                { field(Key::MailSenderName, "mail-sender-name", &sender_name, "text") }
                { field(Key::MailSenderAddress, "mail-sender-address", &sender_address, "email") }
            </div>
            <button id="mail-save" type="submit">{ ui.t(Key::Save) }</button>
            <div class="inline">
                { field(Key::Email, "mail-test-to", &to, "email") }
                <button id="mail-test" type="button" onclick={test}>{ ui.t(Key::MailTest) }</button>
            </div>
            { match &*message {
                None => html! {},
                Some(Ok(m)) => html! { <span id="mail-message" role="status">{ m }</span> },
                Some(Err(e)) => html! { <span id="mail-error" class="error" role="alert">{ e }</span> },
            } }
        </form>
    }
}
