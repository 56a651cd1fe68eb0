//! The signed-in user's own page (`/me`): who they are and their password change. A
//! changed password ends every session of the user, so the page says so and signs out.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{self, ChangeMyPassword, change_my_password};
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct MyAccountProps {
    pub login: String,
    pub display_name: String,
    /// After the change: every session ended, back to the sign-in form.
    pub on_signed_out: Callback<()>,
}

#[function_component(MyAccount)]
pub fn my_account(props: &MyAccountProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let (current, new, repeat) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let message = use_state(|| None::<(bool, String)>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (current, new, repeat, message, busy, done) = (
            current.clone(),
            new.clone(),
            repeat.clone(),
            message.clone(),
            busy.clone(),
            props.on_signed_out.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Checked here first: the two new passwords must match, and the fields be filled.
            if current.is_empty() || new.is_empty() {
                return message.set(Some((false, ui.t(Key::PasswordFieldsRequired).to_owned())));
            }
            if *new != *repeat {
                return message.set(Some((false, ui.t(Key::PasswordsDiffer).to_owned())));
            }
            let vars = change_my_password::Variables {
                current: (*current).clone(),
                new: (*new).clone(),
            };
            let (message, busy, done) = (message.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<ChangeMyPassword>(vars).await {
                    Ok(_) => {
                        message.set(Some((true, ui.t(Key::PasswordChanged).to_owned())));
                        gloo_timers::future::TimeoutFuture::new(2500).await;
                        done.emit(());
                    }
                    Err(e) => {
                        busy.set(false);
                        message.set(Some((false, error_text(&e))));
                    }
                }
            });
        })
    };
    html! {
        <section id="my-account" class="my-account">
            <h2>{ ui.t(Key::MyAccount) }</h2>
            <dl class="facts">
                <dt>{ ui.t(Key::LoginLabel) }</dt><dd id="my-login">{ &props.login }</dd>
                <dt>{ ui.t(Key::DisplayName) }</dt><dd>{ &props.display_name }</dd>
            </dl>
            <form id="password-form" class="card" {onsubmit}>
                <h3>{ ui.t(Key::ChangePassword) }</h3>
                <label>{ ui.t(Key::CurrentPassword) }
                    <input id="password-current" type="password" autocomplete="current-password" required=true value={(*current).clone()} oninput={bind(&current)} />
                </label>
                <label>{ ui.t(Key::NewPassword) }
                    <input id="password-new" type="password" autocomplete="new-password" required=true value={(*new).clone()} oninput={bind(&new)} />
                </label>
                <label>{ ui.t(Key::RepeatPassword) }
                    <input id="password-repeat" type="password" autocomplete="new-password" required=true value={(*repeat).clone()} oninput={bind(&repeat)} />
                </label>
                <button id="password-save" type="submit" disabled={*busy}>{ ui.t(Key::Save) }</button>
                <p class="muted">{ ui.t(Key::PasswordChangeHint) }</p>
                if let Some((ok, m)) = &*message {
                    <p id="password-message" class={classes!(if *ok { "ok" } else { "error" })} role={if *ok { "status" } else { "alert" }}>{ m }</p>
                }
            </form>
        </section>
    }
}
