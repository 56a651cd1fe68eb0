//! The billing simulation's findings on the Billing screen: how many accounts and lines
//! were compared, how many differ and by how much in all, per service, and the largest
//! differences with both explanations (as issued, as it would be now), plus the
//! spreadsheet of them.

use std::collections::HashMap;

use serde_json::Value;
use yew::prelude::*;

use super::{JobView, step_text};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::Ui;

fn steps(ui: &Ui, list: &Value) -> Html {
    let serials = HashMap::new();
    html! {
        <ol>{ for list.as_array().into_iter().flatten().map(|s| html! { <li>{ step_text(ui, s, &serials) }</li> }) }</ol>
    }
}

fn findings(ui: &Ui, r: &Value) -> Html {
    let n = |k: &str| r[k].as_u64().unwrap_or(0);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let money = |v: &Value| {
        let t = text(v);
        Cell::number(
            t.clone(),
            if t.is_empty() {
                t.clone()
            } else {
                ui.money(&t)
            },
        )
    };
    let services = r["byService"].as_array().cloned().unwrap_or_default();
    let largest = r["largest"].as_array().cloned().unwrap_or_default();
    let service_rows = services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Row::new(
                i,
                vec![
                    Cell::text(text(&s["service"])),
                    Cell::count(s["lines"].as_u64().unwrap_or(0)),
                    money(&s["difference"]),
                ],
            )
        })
        .collect();
    let largest_rows = largest
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let why = html! {
                <div class="why-pair">
                    <div><strong>{ ui.t(Key::SimIssued) }</strong>{ steps(ui, &d["issuedSteps"]) }</div>
                    <div><strong>{ ui.t(Key::SimNow) }</strong>{ steps(ui, &d["steps"]) }</div>
                </div>
            };
            Row::new(
                i,
                vec![
                    Cell::text(text(&d["number"])),
                    Cell::text(text(&d["service"])),
                    money(&d["issuedClosing"]),
                    money(&d["closing"]),
                    money(&d["difference"]).attr("data-amount", text(&d["difference"])),
                ],
            )
            .detail("why", why)
        })
        .collect();
    let href = r["protocolHref"].as_str().map(str::to_owned);
    html! {
        <>
            <p id="sim-figures" class="job-figures" data-differing={n("differingLines").to_string()} data-difference={text(&r["difference"])}>
                { format!("{}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
                    ui.t(Key::BillAccountsDone), n("accounts"), ui.t(Key::SimLines), n("lines"),
                    ui.t(Key::SimDifferingLines), n("differingLines"), ui.t(Key::SimDifferingAccounts), n("differingAccounts"),
                    ui.t(Key::SimDifference), ui.money(&text(&r["difference"]))) }
                if let Some(h) = href { { " · " }<a class="download" id="sim-download" href={h} download="">{ ui.t(Key::ExportXlsx) }</a> }
            </p>
            if !services.is_empty() {
                <DataTable id="sim-services" caption={ui.t(Key::SimByService)} columns={vec![
                    Column::new("service", ui.t(Key::BillService)),
                    Column::new("lines", ui.t(Key::SimDifferingLines)).numeric(),
                    Column::new("difference", ui.t(Key::SimDifference)).numeric(),
                ]} rows={Rows::Ready(service_rows)} page_size={0} />
                <DataTable id="sim-largest" caption={ui.t(Key::SimLargest)} columns={vec![
                    Column::new("account", ui.t(Key::ColAccount)),
                    Column::new("service", ui.t(Key::BillService)),
                    Column::new("issued", ui.t(Key::SimIssued)).numeric(),
                    Column::new("now", ui.t(Key::SimNow)).numeric(),
                    Column::new("difference", ui.t(Key::SimDifference)).numeric(),
                ]} rows={Rows::Ready(largest_rows)} page_size={0} />
            }
        </>
    }
}

/// The simulation job as it runs and what it found.
pub fn panel(ui: &Ui, job: &JobView) -> Html {
    match job {
        JobView::Idle => html! {},
        JobView::Running(p, _) => html! {
            <div id="sim-progress" class="job running">
                <progress max="100" value={p.to_string()}></progress>{ format!(" {p}%") }
            </div>
        },
        JobView::Done(r) => {
            html! { <div id="sim-done" class="job done" role="status">{ findings(ui, r) }</div> }
        }
        JobView::Failed(e) => html! { <p id="sim-error" class="error" role="alert">{ e }</p> },
    }
}
