//! Claim letters from the debtors report: to the debtors ticked in it, or to every debtor
//! of the report when none is ticked; printed (one PDF of every letter) or e-mailed (those
//! without an address go to the PDF). The job's progress, then what was mailed and the
//! stack to download. Each letter records the account's "notice sent".

use yew::prelude::*;

use crate::acts::parse;
use crate::shared::api::{self, RequestClaimLetters, request_claim_letters as rc};
use crate::shared::form::{Outcome, field_error, form_error};
use crate::shared::i18n::Key;
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The debtors report's month, branch, building and least debt, as opened.
    pub period: String,
    pub branch: Option<i64>,
    pub building: Option<i64>,
    pub min_debt: Option<String>,
    /// Account numbers ticked; empty: every debtor of the report.
    pub ticked: Vec<String>,
    /// Debtors in the report.
    pub total: i64,
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running(i64),
    Done {
        id: String,
        mailed: i64,
        printed: i64,
    },
}

#[function_component(ClaimLetters)]
pub fn claim_letters(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let delivery = use_state(|| "PRINT".to_owned());
    let state = use_state(|| State::Idle);
    let outcome = use_state(|| None as Outcome);
    let count = if props.ticked.is_empty() {
        props.total
    } else {
        i64::try_from(props.ticked.len()).unwrap_or(i64::MAX)
    };
    let start = {
        let (delivery, state, outcome) = (delivery.clone(), state.clone(), outcome.clone());
        let input = rc::ClaimLettersInput {
            period: props.period.clone(),
            branch_id: props.branch,
            building_id: props.building,
            min_debt: props.min_debt.clone(),
            accounts: (!props.ticked.is_empty()).then(|| props.ticked.clone()),
            delivery: rc::ClaimDelivery::PRINT,
        };
        Callback::from(move |_: MouseEvent| {
            let mut input = input.clone();
            input.delivery = parse(&delivery).unwrap_or(rc::ClaimDelivery::PRINT);
            let (state, outcome) = (state.clone(), outcome.clone());
            state.set(State::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let id = match api::call::<RequestClaimLetters>(rc::Variables { input }).await {
                    Ok(d) => d.request_claim_letters.id,
                    Err(e) => {
                        state.set(State::Idle);
                        return outcome.set(Some(Err(e)));
                    }
                };
                outcome.set(None);
                let progress = {
                    let state = state.clone();
                    move |p| state.set(State::Running(p))
                };
                match api::wait_job(&id, progress).await {
                    Ok(r) => state.set(State::Done {
                        id,
                        mailed: r["mailed"].as_i64().unwrap_or(0),
                        printed: r["printed"].as_i64().unwrap_or(0),
                    }),
                    Err(e) => {
                        state.set(State::Idle);
                        outcome.set(Some(Err(api::ApiError::text(e))));
                    }
                }
            });
        })
    };
    let on_delivery = {
        let delivery = delivery.clone();
        Callback::from(move |e: Event| {
            delivery.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    let status = match &*state {
        State::Idle => html! {},
        State::Running(p) => html! { <span class="job running">{ format!("{p}%") }</span> },
        State::Done {
            id,
            mailed,
            printed,
        } => html! {
            <span id="claim-done" data-mailed={mailed.to_string()} data-printed={printed.to_string()}>
                { format!("{}: {mailed} · {}: {printed}", ui.t(Key::ClaimMailed), ui.t(Key::ClaimPrinted)) }
                if *printed > 0 {
                    { " · " }<a class="download" id="claim-download" href={format!("/files/jobs/{id}")} download="">{ ui.t(Key::Download) }</a>
                }
            </span>
        },
    };
    html! {
        <div id="claim-letters" class="card inline">
            <strong>{ ui.t(Key::ClaimLetters) }</strong>
            <label>{ ui.t(Key::ClaimDelivery) }
                <select id="claim-delivery" onchange={on_delivery}>
                    <option value="PRINT" selected={*delivery == "PRINT"}>{ ui.t(Key::ClaimDeliveryPrint) }</option>
                    <option value="MAIL" selected={*delivery == "MAIL"}>{ ui.t(Key::ClaimDeliveryMail) }</option>
                </select>
            </label>
            <button id="claim-start" type="button" disabled={count == 0 || matches!(*state, State::Running(_))} onclick={start}>
                { format!("{} ({count})", if props.ticked.is_empty() { ui.t(Key::ClaimForEvery) } else { ui.t(Key::ClaimForTicked) }) }
            </button>
            { status }
            { field_error(&outcome, "accounts") }
            { form_error(&outcome, Some("claim-error"), &["accounts"]) }
        </div>
    }
}
