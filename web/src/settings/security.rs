//! The organisation's security settings: the password policy its users' passwords must
//! meet and single sign-on through its OpenID provider (issuer, client id and a client
//! secret that is written, never shown back: only whether one is stored); whether
//! subscribers may register in the portal themselves; the kind of business, which decides
//! the menus (the page reloads when it changes, so the menus follow at once).

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{
    self, SecuritySettingsQuery, UpdateSecuritySettings, security_settings_query,
    update_security_settings,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

/// The kinds of business a tenant chooses from.
const KINDS: [&str; 5] = [
    "water",
    "housing",
    "hoa",
    "electricity",
    "water_electricity",
];

const FIELDS: [&str; 5] = [
    "businessKind",
    "passwordMinLength",
    "ssoIssuer",
    "ssoClientId",
    "ssoClientSecret",
];

#[function_component(SecuritySettings)]
pub fn security_settings() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_save = use_can().allows("settings.update");
    let min_length = use_state(String::new);
    let mixed = use_state(|| false);
    let forbid_login = use_state(|| false);
    let issuer = use_state(String::new);
    let client_id = use_state(String::new);
    let secret = use_state(String::new);
    let has_secret = use_state(|| false);
    let registration = use_state(|| false);
    let kind = use_state(String::new);
    let saved_kind = use_state(String::new);
    let outcome = use_state(|| None as Outcome);
    // The fields take typing once the saved values are in (else the answer overwrites
    // what was typed and the save sends the old values).
    let loaded = use_state(|| false);
    {
        let loaded = loaded.clone();
        let (min_length, mixed, forbid_login, issuer, client_id, has_secret) = (
            min_length.clone(),
            mixed.clone(),
            forbid_login.clone(),
            issuer.clone(),
            client_id.clone(),
            has_secret.clone(),
        );
        let registration = registration.clone();
        let (kind, saved_kind) = (kind.clone(), saved_kind.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) =
                    api::run::<SecuritySettingsQuery>(security_settings_query::Variables {}).await
                {
                    let s = d.security_settings;
                    min_length.set(s.password_min_length.to_string());
                    mixed.set(s.password_require_mixed);
                    forbid_login.set(s.password_forbid_login);
                    issuer.set(s.sso_issuer.unwrap_or_default());
                    client_id.set(s.sso_client_id.unwrap_or_default());
                    has_secret.set(s.sso_has_secret);
                    registration.set(s.portal_registration);
                    kind.set(s.business_kind.clone());
                    saved_kind.set(s.business_kind);
                }
                loaded.set(true);
            });
        });
    }
    let save = {
        let (min_length, mixed, forbid_login, issuer, client_id, secret, has_secret, outcome) = (
            min_length.clone(),
            mixed.clone(),
            forbid_login.clone(),
            issuer.clone(),
            client_id.clone(),
            secret.clone(),
            has_secret.clone(),
            outcome.clone(),
        );
        let registration = registration.clone();
        let (kind, saved_kind) = (kind.clone(), saved_kind.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = update_security_settings::SecuritySettingsInput {
                password_min_length: Some(min_length.trim().parse::<i64>().unwrap_or(0)),
                password_require_mixed: Some(*mixed),
                password_forbid_login: Some(*forbid_login),
                // An empty string clears the value (the API's rule).
                sso_issuer: Some((*issuer).clone()),
                sso_client_id: Some((*client_id).clone()),
                // Left empty: the stored secret stays.
                sso_client_secret: Some((*secret).clone()).filter(|s| !s.is_empty()),
                portal_registration: Some(*registration),
                business_kind: Some((*kind).clone()).filter(|k| !k.is_empty()),
            };
            let (outcome, secret, has_secret) =
                (outcome.clone(), secret.clone(), has_secret.clone());
            let kind_changed = *kind != *saved_kind;
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<UpdateSecuritySettings>(update_security_settings::Variables {
                    input,
                })
                .await;
                if let Ok(d) = &r {
                    has_secret.set(d.update_security_settings.sso_has_secret);
                    secret.set(String::new());
                    if kind_changed && let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                outcome.set(Some(r.map(|_| ())));
            });
        })
    };
    let check = |state: &UseStateHandle<bool>| {
        let s = state.clone();
        Callback::from(move |_| s.set(!*s))
    };
    html! {
        <form id="security-settings" class="card" novalidate=true onsubmit={save}>
            <h3>{ ui.t(Key::SettingsSecurity) }</h3>
            <fieldset class="load-gate" disabled={!*loaded}>
            <label>{ ui.t(Key::TenantKind) }
                <select id="set-business-kind" aria-invalid={invalid(&outcome, "businessKind")} onchange={crate::shared::form::choose(&kind)}>
                    { for KINDS.iter().map(|k| html! {
                        <option value={*k} selected={*kind == *k}>{ crate::shared::labels::code(&ui, "tenants_business_kind", k) }</option>
                    }) }
                </select>
                { field_error(&outcome, "businessKind") }
            </label>
            <label>{ ui.t(Key::SetPasswordMinLength) }
                <input id="set-password-min" inputmode="numeric" aria-invalid={invalid(&outcome, "passwordMinLength")} value={(*min_length).clone()} oninput={bind(&min_length)} />
                { field_error(&outcome, "passwordMinLength") }
            </label>
            <label class="check"><input id="set-password-mixed" type="checkbox" checked={*mixed} onchange={check(&mixed)} />{ ui.t(Key::SetPasswordMixed) }</label>
            <label class="check"><input id="set-password-not-login" type="checkbox" checked={*forbid_login} onchange={check(&forbid_login)} />{ ui.t(Key::SetPasswordNotLogin) }</label>
            <h4>{ ui.t(Key::SetSso) }</h4>
            <label>{ ui.t(Key::SetSsoIssuer) }
                <input id="set-sso-issuer" type="url" placeholder="https://id.example.org/realms/utility" aria-invalid={invalid(&outcome, "ssoIssuer")} value={(*issuer).clone()} oninput={bind(&issuer)} />
                { field_error(&outcome, "ssoIssuer") }
            </label>
            <label>{ ui.t(Key::SetSsoClientId) }
                <input id="set-sso-client" value={(*client_id).clone()} oninput={bind(&client_id)} />
            </label>
            <label>{ ui.t(Key::SetSsoSecret) }
                <input id="set-sso-secret" type="password" autocomplete="new-password"
                    placeholder={if *has_secret { ui.t(Key::SetSsoSecretStored) } else { "" }}
                    value={(*secret).clone()} oninput={bind(&secret)} />
            </label>
            <h4>{ ui.t(Key::SetPortal) }</h4>
            <label class="check"><input id="set-portal-registration" type="checkbox" checked={*registration} onchange={check(&registration)} />{ ui.t(Key::SetPortalRegistration) }</label>
            </fieldset>
            if may_save { <button id="security-settings-save" type="submit">{ ui.t(Key::Save) }</button> }
            { receipt(&ui, &outcome, "security-settings-saved", &FIELDS) }
        </form>
    }
}
