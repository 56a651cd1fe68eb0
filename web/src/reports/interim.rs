//! The interim summary on the Reports screen (seed 000 Fig. 21): the open month simulated
//! as it stands now by a worker job (nothing written), its progress, then its lines summed
//! by service — opening, charged, recalculation, benefit, subsidy, penalty, paid, closing —
//! with the total, and the job's spreadsheet.

use serde_json::Value;
use yew::prelude::*;

use crate::shared::api::{self, RequestInterimSummary, request_interim_summary};
use crate::shared::i18n::Key;
use crate::shared::toast::use_toaster;
use crate::shell::Ui;

/// The amounts of a row, in the order of the columns.
const AMOUNTS: [&str; 8] = [
    "opening",
    "charged",
    "recalculation",
    "benefit",
    "subsidy",
    "penalty",
    "paid",
    "closing",
];
const HEADS: [Key; 8] = [
    Key::InterimOpening,
    Key::InterimCharged,
    Key::InterimRecalculation,
    Key::InterimBenefit,
    Key::InterimSubsidy,
    Key::InterimPenalty,
    Key::InterimPaid,
    Key::InterimClosing,
];

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running(i64),
    Done(String, Value),
    Failed(String),
}

#[function_component(InterimSummary)]
pub fn interim_summary() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let toaster = use_toaster();
    let state = use_state(|| State::Idle);
    let run = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let (state, toaster) = (state.clone(), toaster.clone());
            state.set(State::Running(0));
            wasm_bindgen_futures::spawn_local(async move {
                let id =
                    match api::call::<RequestInterimSummary>(request_interim_summary::Variables {})
                        .await
                    {
                        Ok(d) => d.request_interim_summary.id,
                        Err(e) => return state.set(State::Failed(e.message)),
                    };
                let progress = {
                    let state = state.clone();
                    move |p| state.set(State::Running(p))
                };
                match toaster.follow(&id, progress, ui.t(Key::InterimReady)).await {
                    Ok(r) => state.set(State::Done(id, r)),
                    Err(e) => state.set(State::Failed(e)),
                }
            });
        })
    };
    let body = match &*state {
        State::Idle => html! {},
        State::Running(p) => html! {
            <div id="interim-progress" class="job running">
                <progress max="100" value={p.to_string()}></progress>{ format!(" {p}%") }
            </div>
        },
        State::Failed(e) => html! { <p id="interim-error" class="error" role="alert">{ e }</p> },
        State::Done(id, r) => {
            let sums = r["sums"].as_array().cloned().unwrap_or_default();
            // The amounts of a row (the server sums them, Decimal to the kopeck).
            let amounts = |s: &Value| -> Html {
                AMOUNTS
                    .iter()
                    .map(|k| {
                        let v = s[*k].as_str().unwrap_or("0").to_owned();
                        html! { <td class="num" data-value={v.clone()}>{ ui.amount(&v) }</td> }
                    })
                    .collect()
            };
            let rows = sums.iter().map(|s| html! {
                <tr data-service={s["serviceId"].to_string()}>
                    <td>{ s["service"].as_str().unwrap_or_default().to_owned() }</td>
                    <td class="num" data-value={s["accounts"].to_string()}>{ s["accounts"].to_string() }</td>
                    { amounts(s) }
                </tr>
            }).collect::<Html>();
            let total = &r["sumsTotal"];
            html! {
                <div id="interim-done">
                    <p class="hint">{ format!("{}: {}", ui.t(Key::Period), r["period"].as_str().unwrap_or_default()) }
                        { " · " }<a class="download" id="interim-download" href={format!("/files/jobs/{id}")} download="">{ ui.t(Key::ExportXlsx) }</a>
                    </p>
                    <div class="scroll-x">
                    <table id="interim-table" class="grid data-table">
                        <thead><tr>
                            <th>{ ui.t(Key::BillService) }</th>
                            <th class="num">{ ui.t(Key::InterimAccounts) }</th>
                            { for HEADS.iter().map(|k| html! { <th class="num">{ ui.t(*k) }</th> }) }
                        </tr></thead>
                        <tbody>{ rows }</tbody>
                        <tfoot><tr class="totals">
                            <td>{ ui.t(Key::InterimTotal) }</td>
                            <td class="num" data-value={total["accounts"].to_string()}>{ total["accounts"].to_string() }</td>
                            { amounts(total) }
                        </tr></tfoot>
                    </table>
                    </div>
                </div>
            }
        }
    };
    html! {
        <section id="interim" class="card">
            <p class="hint">{ ui.t(Key::InterimHint) }</p>
            <button id="interim-run" type="button" disabled={matches!(*state, State::Running(_))} onclick={run}>{ ui.t(Key::InterimRun) }</button>
            { body }
        </section>
    }
}
