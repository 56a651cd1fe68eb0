//! Self-registration in the subscriber's portal from the sign-in page: the organisation's
//! code, the account number and the registration code from the invoice, an e-mail; the
//! link that comes to the e-mail sets the password.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api;
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[function_component(Register)]
pub fn register() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let open = use_state(|| false);
    let tenant = use_state(String::new);
    let account = use_state(String::new);
    let code = use_state(String::new);
    let email = use_state(String::new);
    let name = use_state(String::new);
    let outcome = use_state(|| None::<Result<(), String>>);
    if !*open {
        let open = open.clone();
        return html! {
            <button id="register-open" type="button" class="link" onclick={Callback::from(move |_| open.set(true))}>
                { ui.t(Key::Register) }
            </button>
        };
    }
    let onsubmit = {
        let (tenant, account, code, email, name, outcome) = (
            tenant.clone(),
            account.clone(),
            code.clone(),
            email.clone(),
            name.clone(),
            outcome.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (t, a, c, m, n, outcome) = (
                (*tenant).clone(),
                (*account).clone(),
                (*code).clone(),
                (*email).clone(),
                (*name).clone(),
                outcome.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(api::register(&t, &a, &c, &m, &n).await));
            });
        })
    };
    html! {
        <form id="register-form" class="login-panel register" {onsubmit}>
            <h2>{ ui.t(Key::RegisterTitle) }</h2>
            <p class="hint">{ ui.t(Key::RegisterHint) }</p>
            <label>{ ui.t(Key::RegisterOrganisation) }<input id="register-tenant" value={(*tenant).clone()} oninput={bind(&tenant)} /></label>
            <label>{ ui.t(Key::RegisterAccount) }<input id="register-account" inputmode="numeric" value={(*account).clone()} oninput={bind(&account)} /></label>
            <label>{ ui.t(Key::RegisterCode) }<input id="register-code" placeholder="ABCD-2345" value={(*code).clone()} oninput={bind(&code)} /></label>
            <label>{ ui.t(Key::Email) }<input id="register-email" type="email" autocomplete="email" value={(*email).clone()} oninput={bind(&email)} /></label>
            <label>{ ui.t(Key::DisplayName) }<input id="register-name" autocomplete="name" value={(*name).clone()} oninput={bind(&name)} /></label>
            <button id="register-submit" type="submit">{ ui.t(Key::Register) }</button>
            { match &*outcome {
                Some(Ok(())) => html! { <p id="register-sent" role="status">{ ui.t(Key::RegisterSent) }</p> },
                Some(Err(e)) => html! { <p id="register-error" class="error" role="alert">{ e }</p> },
                None => html! {},
            } }
        </form>
    }
}
