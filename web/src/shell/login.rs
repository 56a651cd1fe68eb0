//! The sign-in panel (seed 000 Fig. 1–2): login, password, and the warning on failure.

use yew::prelude::*;

use crate::shared::api::{self, LoginOutcome};
use crate::shared::i18n::{Key, Lang};
use crate::shell::{LangSelect, Ui};

/// The reason the server gave when single sign-on sent the user back (`?sso_error=`).
fn sso_error() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("sso_error")
}

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    pub on_signed_in: Callback<()>,
    /// The visitor chose a language (kept in the browser, used after sign-in too).
    pub on_lang: Callback<Lang>,
}

#[function_component(Login)]
pub fn login(props: &LoginProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let login = use_state(String::new);
    let password = use_state(String::new);
    let message = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let input = |state: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            state.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let onsubmit = {
        let (login, password, message, busy, done) = (
            login.clone(),
            password.clone(),
            message.clone(),
            busy.clone(),
            props.on_signed_in.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (l, p, message, busy, done) = (
                (*login).clone(),
                (*password).clone(),
                message.clone(),
                busy.clone(),
                done.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let text = match api::login(l.trim(), &p).await {
                    LoginOutcome::Ok => {
                        busy.set(false);
                        return done.emit(());
                    }
                    LoginOutcome::Wrong => ui.t(Key::WrongLogin).to_owned(),
                    LoginOutcome::Throttled(n) => {
                        ui.t(Key::ThrottledWait).replace("{n}", &n.to_string())
                    }
                    LoginOutcome::Suspended => ui.t(Key::TenantSuspended).to_owned(),
                    LoginOutcome::Failed(m) => m,
                };
                busy.set(false);
                message.set(Some(text));
            });
        })
    };
    let org = use_state(String::new);
    let sso_error = sso_error();
    let start_sso = {
        let org = org.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let code = org.trim().to_lowercase();
            if let Some(w) = web_sys::window() {
                let _ = w
                    .location()
                    .set_href(&format!("/auth/sso/start?tenant={code}"));
            }
        })
    };
    html! {
        <div class="login-page">
            <div class="login-lang">
                <LangSelect id="login-lang" current={ui.lang} on_lang={props.on_lang.clone()} />
            </div>
            <form class="login-panel" {onsubmit}>
                <h1>{ ui.t(Key::SignInTitle) }</h1>
                <label>{ ui.t(Key::LoginLabel) }
                    <input id="login-name" autocomplete="username" value={(*login).clone()} oninput={input(login.clone())} />
                </label>
                <label>{ ui.t(Key::PasswordLabel) }
                    <input id="login-password" type="password" autocomplete="current-password" value={(*password).clone()} oninput={input(password.clone())} />
                </label>
                if let Some(m) = &*message {
                    <p id="login-error" class="error" role="alert">{ m }</p>
                }
                <button id="login-submit" type="submit" disabled={*busy}>{ ui.t(Key::SignIn) }</button>
            </form>
            <crate::shell::password_link::ForgotPassword />
            <crate::shell::register::Register />
            <form class="login-panel sso" onsubmit={start_sso}>
                <h2>{ ui.t(Key::SsoTitle) }</h2>
                <label>{ ui.t(Key::SsoOrganisation) }
                    <input id="sso-tenant" value={(*org).clone()} oninput={input(org.clone())} />
                </label>
                if let Some(reason) = sso_error {
                    <p id="sso-error" class="error" role="alert">{ format!("{}: {reason}", ui.t(Key::SsoFailed)) }</p>
                }
                <button id="sso-submit" type="submit">{ ui.t(Key::SsoSignIn) }</button>
            </form>
        </div>
    }
}
