//! The numbering of new accounts (seed 001 §4.3): automatic or manual, the prefix and the
//! length numbers are padded to with zeros, with a sample of the next number's shape.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{
    self, AccountNumberingQuery, UpdateAccountNumbering, account_numbering_query,
    update_account_numbering,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt, tick};
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

#[function_component(NumberingSettings)]
pub fn numbering_settings() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_save = use_can().allows("settings.update");
    let auto = use_state(|| true);
    let prefix = use_state(String::new);
    let length = use_state(String::new);
    let loaded = use_state(|| false);
    let outcome = use_state(|| None as Outcome);
    {
        let (auto, prefix, length, loaded) =
            (auto.clone(), prefix.clone(), length.clone(), loaded.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) =
                    api::run::<AccountNumberingQuery>(account_numbering_query::Variables {}).await
                {
                    let n = d.account_numbering;
                    auto.set(n.auto);
                    prefix.set(n.prefix);
                    length.set(n.length.to_string());
                    loaded.set(true);
                }
            });
        });
    }
    let save = {
        let (auto, prefix, length, outcome) = (
            auto.clone(),
            prefix.clone(),
            length.clone(),
            outcome.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(len) = length.trim().parse::<i64>() else {
                return outcome.set(Some(Err(api::ApiError {
                    code: "VALIDATION".into(),
                    field: Some("length".into()),
                    message: ui.t(Key::PremWholeNumber).to_owned(),
                    missing: Vec::new(),
                })));
            };
            let input = update_account_numbering::NumberingInput {
                auto: *auto,
                prefix: Some(prefix.trim().to_owned()),
                length: len,
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<UpdateAccountNumbering>(update_account_numbering::Variables {
                    input,
                })
                .await;
                outcome.set(Some(r.map(|_| ())));
            });
        })
    };
    // What an automatic number looks like: the prefix, then 1 padded with zeros.
    let sample = length
        .trim()
        .parse::<usize>()
        .ok()
        .map(|l| {
            format!(
                "{}{:0>w$}",
                prefix.trim(),
                1,
                w = l.saturating_sub(prefix.trim().len())
            )
        })
        .unwrap_or_default();
    html! {
        <form id="numbering-settings" class="card" novalidate=true onsubmit={save}>
            <h3>{ ui.t(Key::NumTitle) }</h3>
            <label class="check"><input id="num-auto" type="checkbox" disabled={!*loaded} checked={*auto} onchange={tick(&auto)} />{ ui.t(Key::NumAuto) }</label>
            <label>{ ui.t(Key::NumPrefix) }<input id="num-prefix" inputmode="numeric" disabled={!*loaded} aria-invalid={invalid(&outcome, "prefix")} value={(*prefix).clone()} oninput={bind(&prefix)} />{ field_error(&outcome, "prefix") }</label>
            <label>{ ui.t(Key::NumLength) }<input id="num-length" inputmode="numeric" disabled={!*loaded} aria-invalid={invalid(&outcome, "length")} value={(*length).clone()} oninput={bind(&length)} />{ field_error(&outcome, "length") }</label>
            if *auto {
                <p id="num-sample" class="hint">{ format!("{} {sample}", ui.t(Key::NumSample)) }</p>
            }
            if may_save { <button id="num-save" type="submit">{ ui.t(Key::Save) }</button> }
            { receipt(&ui, &outcome, "num-saved", &["prefix", "length"]) }
        </form>
    }
}
