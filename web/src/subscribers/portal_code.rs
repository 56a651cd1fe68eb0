//! The account's portal registration code on its card: what the invoice prints, so the
//! office can tell a subscriber on the phone; a new code when the old one went astray.

use yew::prelude::*;

use crate::admin::error_text;
use crate::shared::api::{self, PortalCode, RenewPortalCode, portal_code, renew_portal_code};
use crate::shared::confirm::confirm;
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct PortalCodeProps {
    pub account_id: i64,
}

#[function_component(PortalCodePanel)]
pub fn portal_code_panel(props: &PortalCodeProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_renew = use_can().allows("accounts.update");
    let code = use_state(|| None::<Result<String, String>>);
    {
        let (code, id) = (code.clone(), props.account_id);
        use_effect_with(id, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::run::<PortalCode>(portal_code::Variables { account_id: id }).await;
                code.set(Some(r.map(|d| d.portal_code)));
            });
        });
    }
    let renew = {
        let (code, id) = (code.clone(), props.account_id);
        Callback::from(move |_| {
            if !confirm(&ui, Key::ConfirmRenewPortalCode) {
                return;
            }
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r =
                    api::call::<RenewPortalCode>(renew_portal_code::Variables { account_id: id })
                        .await;
                code.set(Some(
                    r.map(|d| d.renew_portal_code).map_err(|e| error_text(&e)),
                ));
            });
        })
    };
    html! {
        <p id="account-portal" class="portal-code" title={ui.t(Key::PortalCodeHint)}>
            { format!("{}: ", ui.t(Key::PortalCode)) }
            { match &*code {
                Some(Ok(c)) => html! { <strong id="account-portal-code">{ c }</strong> },
                Some(Err(e)) => html! { <span class="error">{ e }</span> },
                None => html! { <span class="loading">{ "…" }</span> },
            } }
            if may_renew { <button id="portal-code-renew" class="link" onclick={renew}>{ ui.t(Key::PortalCodeRenew) }</button> }
        </p>
    }
}
