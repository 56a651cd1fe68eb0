//! Password links: "forgot password" on the sign-in page (the answer never says whether
//! the login exists) and the page an e-mailed link opens (`/set-password?token=…`), where
//! an invited user sets their first password and a forgetful one a new one.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api;
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// The page a password link opens (the path `/set-password`).
pub const PATH: &str = "/set-password";

/// The link's token (`?token=`).
fn token() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("token")
}

/// "Forgot password?": a login or e-mail, and the same answer whoever it names.
#[function_component(ForgotPassword)]
pub fn forgot_password() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let open = use_state(|| false);
    let login = use_state(String::new);
    let outcome = use_state(|| None::<Result<(), String>>);
    if !*open {
        let open = open.clone();
        return html! {
            <button id="forgot-open" type="button" class="link" onclick={Callback::from(move |_| open.set(true))}>
                { ui.t(Key::ForgotPassword) }
            </button>
        };
    }
    let onsubmit = {
        let (login, outcome) = (login.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (typed, outcome) = (login.trim().to_owned(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(api::forgot_password(&typed).await));
            });
        })
    };
    html! {
        <form id="forgot-form" class="login-panel forgot" {onsubmit}>
            <h2>{ ui.t(Key::ForgotPassword) }</h2>
            <p class="hint">{ ui.t(Key::ForgotHint) }</p>
            <label>{ ui.t(Key::ForgotLogin) }
                <input id="forgot-login" autocomplete="username" value={(*login).clone()} oninput={bind(&login)} />
            </label>
            <button id="forgot-submit" type="submit">{ ui.t(Key::ForgotSend) }</button>
            { match &*outcome {
                Some(Ok(())) => html! { <p id="forgot-sent" role="status">{ ui.t(Key::ForgotSent) }</p> },
                Some(Err(e)) => html! { <p id="forgot-error" class="error" role="alert">{ e }</p> },
                None => html! {},
            } }
        </form>
    }
}

/// The page a link opens: the new password twice.
#[function_component(SetPassword)]
pub fn set_password() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let first = use_state(String::new);
    let second = use_state(String::new);
    let outcome = use_state(|| None::<Result<String, String>>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (first, second, outcome, busy) =
            (first.clone(), second.clone(), outcome.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *first != *second {
                outcome.set(Some(Err(ui.t(Key::PasswordsDiffer).to_owned())));
                return;
            }
            let Some(t) = token() else {
                outcome.set(Some(Err(ui.t(Key::LinkBroken).to_owned())));
                return;
            };
            let (password, outcome, busy) = ((*first).clone(), outcome.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(api::set_password(&t, &password).await));
                busy.set(false);
            });
        })
    };
    let to_sign_in = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href("/");
        }
    });
    html! {
        <div class="login-page">
            if let Some(Ok(login)) = &*outcome {
                <div id="set-password-done" class="login-panel" role="status">
                    <h1>{ ui.t(Key::PasswordSet) }</h1>
                    <p>{ format!("{}: {login}", ui.t(Key::LoginLabel)) }</p>
                    <button id="set-password-sign-in" onclick={to_sign_in}>{ ui.t(Key::SignIn) }</button>
                </div>
            } else {
                <form id="set-password-form" class="login-panel" {onsubmit}>
                    <h1>{ ui.t(Key::SetPasswordTitle) }</h1>
                    <label>{ ui.t(Key::NewPassword) }
                        <input id="set-password-new" type="password" autocomplete="new-password" value={(*first).clone()} oninput={bind(&first)} />
                    </label>
                    <label>{ ui.t(Key::RepeatPassword) }
                        <input id="set-password-again" type="password" autocomplete="new-password" value={(*second).clone()} oninput={bind(&second)} />
                    </label>
                    if let Some(Err(e)) = &*outcome {
                        <p id="set-password-error" class="error" role="alert">{ e }</p>
                    }
                    <button id="set-password-submit" type="submit" disabled={*busy}>{ ui.t(Key::Save) }</button>
                </form>
            }
        </div>
    }
}
