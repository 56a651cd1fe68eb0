//! The calculation settings (seed 001 "Налаштування розрахунку"): how many months average
//! a meter without a reading, whether a zero reading takes the previous month's, whom a
//! per-person norm counts, the penalty rule and the day debt becomes overdue.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{
    self, BillingSettingsQuery, UpdateBillingSettings, billing_settings_query,
    update_billing_settings,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shared::labels::CodeList;
use crate::shell::{Ui, use_can};

const RESIDENTS: CodeList = CodeList {
    list: "billing_settings_residents",
    values: &["registered", "living"],
};

const PENALTY: CodeList = CodeList {
    list: "billing_settings_penalty",
    values: &["off", "ukraine", "russia", "kazakhstan", "bulgaria"],
};

const FIELDS: [&str; 6] = [
    "averageMonths",
    "zeroTakesPrevious",
    "residentsBasis",
    "penaltyRule",
    "dueDay",
    "penaltyUnderAgreement",
];

#[function_component(CalculationSettings)]
pub fn calculation_settings() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_save = use_can().allows("settings.update");
    let average = use_state(String::new);
    let zero_previous = use_state(|| false);
    let residents = use_state(|| "registered".to_owned());
    let penalty = use_state(|| "off".to_owned());
    let due_day = use_state(String::new);
    let under_agreement = use_state(|| false);
    let outcome = use_state(|| None as Outcome);
    // The fields take typing once the saved values are in (else the answer overwrites
    // what was typed and the save sends the old values).
    let loaded = use_state(|| false);
    {
        let loaded = loaded.clone();
        let (average, zero_previous, residents, penalty, due_day, under_agreement) = (
            average.clone(),
            zero_previous.clone(),
            residents.clone(),
            penalty.clone(),
            due_day.clone(),
            under_agreement.clone(),
        );
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) =
                    api::run::<BillingSettingsQuery>(billing_settings_query::Variables {}).await
                {
                    let s = d.billing_settings;
                    average.set(s.average_months.to_string());
                    zero_previous.set(s.zero_takes_previous);
                    residents.set(s.residents_basis);
                    penalty.set(s.penalty_rule);
                    due_day.set(s.due_day.to_string());
                    under_agreement.set(s.penalty_under_agreement);
                }
                loaded.set(true);
            });
        });
    }
    let save = {
        let (average, zero_previous, residents, penalty, due_day, under_agreement, outcome) = (
            average.clone(),
            zero_previous.clone(),
            residents.clone(),
            penalty.clone(),
            due_day.clone(),
            under_agreement.clone(),
            outcome.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // A number the browser cannot read goes as 0: the server names the field and
            // its range in the user's language.
            let number = |s: &str| s.trim().parse::<i64>().unwrap_or(0);
            let input = update_billing_settings::BillingSettingsInput {
                average_months: number(&average),
                zero_takes_previous: *zero_previous,
                residents_basis: (*residents).clone(),
                penalty_rule: (*penalty).clone(),
                due_day: number(&due_day),
                penalty_under_agreement: *under_agreement,
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<UpdateBillingSettings>(update_billing_settings::Variables {
                    input,
                })
                .await;
                outcome.set(Some(r.map(|_| ())));
            });
        })
    };
    let select = |state: &UseStateHandle<String>| {
        let s = state.clone();
        Callback::from(move |e: Event| {
            s.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    html! {
        <form id="calculation-settings" class="card" novalidate=true onsubmit={save}>
            <h3>{ ui.t(Key::SettingsCalculation) }</h3>
            <fieldset class="load-gate" disabled={!*loaded}>
            <label>{ ui.t(Key::SetAverageMonths) }
                <input id="set-average-months" inputmode="numeric" aria-invalid={invalid(&outcome, "averageMonths")} value={(*average).clone()} oninput={bind(&average)} />
                <span class="hint">{ ui.t(Key::SetAverageMonthsHint) }</span>
                { field_error(&outcome, "averageMonths") }
            </label>
            <label class="check">
                <input id="set-zero-previous" type="checkbox" checked={*zero_previous}
                    onchange={ let z = zero_previous.clone(); Callback::from(move |_| z.set(!*z)) } />
                { ui.t(Key::SetZeroTakesPrevious) }
            </label>
            <label>{ ui.t(Key::SetResidentsBasis) }
                <select id="set-residents-basis" onchange={select(&residents)}>{ RESIDENTS.options(&ui, &residents) }</select>
            </label>
            <label>{ ui.t(Key::SetPenaltyRule) }
                <select id="set-penalty-rule" onchange={select(&penalty)}>{ PENALTY.options(&ui, &penalty) }</select>
            </label>
            <label>{ ui.t(Key::SetDueDay) }
                <input id="set-due-day" inputmode="numeric" aria-invalid={invalid(&outcome, "dueDay")} value={(*due_day).clone()} oninput={bind(&due_day)} />
                { field_error(&outcome, "dueDay") }
            </label>
            <label class="check">
                <input id="set-penalty-under-agreement" type="checkbox" checked={*under_agreement}
                    onchange={ let u = under_agreement.clone(); Callback::from(move |_| u.set(!*u)) } />
                { ui.t(Key::SetPenaltyUnderAgreement) }
            </label>
            </fieldset>
            if may_save { <button id="calculation-settings-save" type="submit">{ ui.t(Key::Save) }</button> }
            { receipt(&ui, &outcome, "calculation-settings-saved", &FIELDS) }
        </form>
    }
}
