//! The claim letters' template (tenant admins): the title, the text with its placeholders
//! ({holder}, {debt}, {deadline}…, listed beside it) and the days a debtor is given to
//! pay. The form opens with what the letters use now — the tenant's texts, or the
//! built-in ones in the tenant's language; emptying a text returns it to the built-in one.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{
    self, ClaimTemplate, SaveClaimTemplate, claim_template, save_claim_template,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 3] = ["title", "body", "deadlineDays"];

#[function_component(ClaimTemplateCard)]
pub fn claim_template_card() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_update = use_can().allows("settings.update");
    let (title, body, days) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let placeholders = use_state(Vec::<String>::new);
    let outcome = use_state(|| None as Outcome);
    let loaded = use_state(|| false);
    {
        let (title, body, days, placeholders, loaded) = (
            title.clone(),
            body.clone(),
            days.clone(),
            placeholders.clone(),
            loaded.clone(),
        );
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<ClaimTemplate>(claim_template::Variables {}).await {
                    let t = d.claim_template;
                    title.set(t.title);
                    body.set(t.body);
                    days.set(t.saved.deadline_days.to_string());
                    placeholders.set(t.placeholders);
                }
                loaded.set(true);
            });
        });
    }
    let save = {
        let (title, body, days, outcome) =
            (title.clone(), body.clone(), days.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = save_claim_template::ClaimTemplateInput {
                title: (*title).clone(),
                body: (*body).clone(),
                // Not a number: 0, which the server refuses by field.
                deadline_days: days.trim().parse().unwrap_or(0),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SaveClaimTemplate>(save_claim_template::Variables { input }).await
                {
                    Ok(_) => outcome.set(Some(Ok(()))),
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let on_body = {
        let body = body.clone();
        Callback::from(move |e: InputEvent| {
            body.set(
                e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value(),
            )
        })
    };
    html! {
        <section id="claim-template" class="card">
            <h3>{ ui.t(Key::ClaimTemplateTitle) }</h3>
            <p class="hint">{ ui.t(Key::ClaimTemplateHint) }</p>
            <form id="claim-template-form" class="grid" onsubmit={save}>
                <label>{ ui.t(Key::ClaimLetterTitle) }<input id="claim-title" maxlength="200" disabled={!*loaded || !may_update} aria-invalid={invalid(&outcome, "title")} value={(*title).clone()} oninput={bind(&title)} />{ field_error(&outcome, "title") }</label>
                <label class="wide">{ ui.t(Key::ClaimLetterBody) }<textarea id="claim-body" rows="14" disabled={!*loaded || !may_update} aria-invalid={invalid(&outcome, "body")} value={(*body).clone()} oninput={on_body} />{ field_error(&outcome, "body") }</label>
                <p class="hint" id="claim-placeholders">{ ui.t(Key::ClaimPlaceholders) }{ ": " }{ placeholders.join(" ") }</p>
                <label>{ ui.t(Key::ClaimDeadlineDays) }<input id="claim-deadline-days" type="number" min="1" max="90" disabled={!*loaded || !may_update} aria-invalid={invalid(&outcome, "deadlineDays")} value={(*days).clone()} oninput={bind(&days)} />{ field_error(&outcome, "deadlineDays") }</label>
                if may_update {
                    <div class="inline actions"><button id="claim-template-save" type="submit">{ ui.t(Key::Save) }</button></div>
                }
                { receipt(&ui, &outcome, "claim-template-saved", &FIELDS) }
            </form>
        </section>
    }
}
