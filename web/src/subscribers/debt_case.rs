//! The account card's debt collection (seed 000 «Суд»): the states of the debtor's case
//! with their days, newest first, and a new state (notice sent, agreement, in court,
//! paid) with its day and a comment; the latest is what the debtors report shows.

use yew::prelude::*;

use crate::acts::parse;
use crate::shared::api::{self, AddDebtCase, DebtCases, add_debt_case, debt_cases};
use crate::shared::form::{Outcome, field_error, form_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shell::{Ui, use_can};

const FIELDS: [&str; 3] = ["status", "since", "comment"];
const STATES: [&str; 4] = ["NOTICE_SENT", "AGREEMENT", "COURT", "PAID"];

#[derive(Properties, PartialEq)]
pub struct Props {
    pub account_id: i64,
}

#[function_component(DebtCasePanel)]
pub fn debt_case_panel(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let list = use_state(Vec::<debt_cases::DebtCasesDebtCases>::new);
    let (status, since, comment) = (
        use_state(|| "NOTICE_SENT".to_owned()),
        use_state(String::new),
        use_state(String::new),
    );
    let outcome = use_state(|| None as Outcome);
    {
        let list = list.clone();
        use_effect_with(props.account_id, move |account_id| {
            let account_id = *account_id;
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<DebtCases>(debt_cases::Variables { account_id }).await {
                    list.set(d.debt_cases);
                }
            });
        });
    }
    let add = {
        let (list, status, since, comment, outcome) = (
            list.clone(),
            status.clone(),
            since.clone(),
            comment.clone(),
            outcome.clone(),
        );
        let account_id = props.account_id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = add_debt_case::DebtCaseInput {
                status: parse(&status).unwrap_or(add_debt_case::DebtStatus::NOTICE_SENT),
                since: (*since).clone(),
                comment: (*comment).clone(),
            };
            let (list, outcome, comment) = (list.clone(), outcome.clone(), comment.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<AddDebtCase>(add_debt_case::Variables { account_id, input }).await
                {
                    Ok(d) => {
                        outcome.set(Some(Ok(())));
                        comment.set(String::new());
                        // The same fields as the list's; the history comes back whole.
                        list.set(
                            d.add_debt_case
                                .into_iter()
                                .map(|c| debt_cases::DebtCasesDebtCases {
                                    id: c.id,
                                    status: parse(&crate::acts::code_of(&c.status))
                                        .unwrap_or(debt_cases::DebtStatus::NOTICE_SENT),
                                    since: c.since,
                                    comment: c.comment,
                                    created_by: c.created_by,
                                })
                                .collect(),
                        );
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let text = |set: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            set.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
        })
    };
    let choose = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            status.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
        })
    };
    html! {
        <section id="debt-case" class="card">
            <h3>{ ui.t(Key::DebtCaseTitle) }</h3>
            if list.is_empty() {
                <p class="hint">{ ui.t(Key::DebtCaseNone) }</p>
            } else {
                <table id="debt-cases" class="grid">
                    <tbody>{ for list.iter().map(|c| html! {
                        <tr data-status={crate::acts::code_of(&c.status)}>
                            <td>{ c.since.clone() }</td>
                            <td>{ labels::api_enum(&ui, "DebtStatus", &c.status) }</td>
                            <td>{ c.comment.clone() }</td>
                            <td class="small">{ c.created_by.clone() }</td>
                        </tr>
                    }) }</tbody>
                </table>
            }
            if can.allows("invoices.update") {
                <form id="debt-case-form" class="inline" onsubmit={add}>
                    <select id="debt-status" aria-label={ui.t(Key::DebtCaseState)} onchange={choose}>
                        { for STATES.iter().map(|s| html! { <option value={s.to_string()} selected={*status == *s}>{ labels::code(&ui, "DebtStatus", s) }</option> }) }
                    </select>
                    <input id="debt-since" type="date" aria-label={ui.t(Key::DebtCaseSince)} aria-invalid={invalid(&outcome, "since")} value={(*since).clone()} oninput={text(since.clone())} />
                    { field_error(&outcome, "since") }
                    <input id="debt-comment" aria-label={ui.t(Key::ActComment)} aria-invalid={invalid(&outcome, "comment")} value={(*comment).clone()} oninput={text(comment.clone())} />
                    <button id="debt-add" type="submit">{ ui.t(Key::DebtCaseAdd) }</button>
                </form>
                { form_error(&outcome, Some("debt-error"), &FIELDS) }
            }
        </section>
    }
}
