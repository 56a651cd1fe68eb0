//! "Open accounts for the apartments" on the building card (seed 001 §4.3, Ctrl+Ins):
//! one draft account for every apartment of the building, or of its whole street, that
//! has none; the protocol lists each apartment with its new number or why it was left.

use yew::prelude::*;

use super::{bind, error_text};
use crate::shared::api::{self, OpenAccountsForBuildings, open_accounts_for_buildings as op};
use crate::shared::form::tick;
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::routes::{NavLink, Route};
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub building_id: i64,
    pub street_id: i64,
    /// How many buildings the street has (the "whole street" choice shows above one).
    pub street_buildings: i64,
    pub on_opened: Callback<()>,
}

#[function_component(GroupOpen)]
pub fn group_open(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_create = use_can().allows("accounts.create");
    let opened_on = use_state(crate::payments::today);
    let whole_street = use_state(|| false);
    let protocol = use_state(|| None::<op::OpenAccountsForBuildingsOpenAccountsForBuildings>);
    let message = use_state(|| None::<String>);
    let onsubmit = {
        let (building, street) = (props.building_id, props.street_id);
        let (opened_on, whole_street) = (opened_on.clone(), whole_street.clone());
        let (protocol, message, done) =
            (protocol.clone(), message.clone(), props.on_opened.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = if *whole_street {
                op::GroupOpenInput {
                    building_ids: vec![],
                    street_id: Some(street),
                    opened_on: (*opened_on).clone(),
                }
            } else {
                op::GroupOpenInput {
                    building_ids: vec![building],
                    street_id: None,
                    opened_on: (*opened_on).clone(),
                }
            };
            let (protocol, message, done) = (protocol.clone(), message.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<OpenAccountsForBuildings>(op::Variables { input }).await {
                    Ok(d) => {
                        message.set(None);
                        protocol.set(Some(d.open_accounts_for_buildings));
                        done.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let columns = vec![
        Column::new("address", ui.t(Key::ColAddress)).sortable(),
        Column::new("number", ui.t(Key::ColAccount)).sortable(),
        Column::new("reason", ui.t(Key::GroupReason)).sortable(),
    ];
    let table = protocol.as_ref().map(|p| {
        let rows = p
            .lines
            .iter()
            .map(|l| {
                let number = match (l.account_id, &l.number) {
                    (Some(id), Some(n)) => {
                        Cell::html(html! { <NavLink to={Route::Account { id }}>{ n }</NavLink> })
                    }
                    _ => Cell::text("—"),
                };
                Row::new(l.premises_id, vec![
                    Cell::text(l.address.clone()),
                    number,
                    Cell::text(l.reason.clone().unwrap_or_default()),
                ])
            })
            .collect();
        html! { <>
            <p id="go-summary" role="status">{ format!("{}: {} · {}: {}", ui.t(Key::GroupOpened), p.opened, ui.t(Key::GroupSkipped), p.skipped) }</p>
            <DataTable id="go-protocol" {columns} rows={Rows::Ready(rows)} />
        </> }
    });
    if !may_create {
        return html! {};
    }
    html! {
        <form id="group-open" class="card" {onsubmit}>
            <h4>{ ui.t(Key::GroupOpenTitle) }</h4>
            <p class="hint">{ ui.t(Key::GroupOpenHint) }</p>
            <label>{ ui.t(Key::OpenedOn) }<input id="go-opened" type="date" value={(*opened_on).clone()} oninput={bind(&opened_on)} /></label>
            if props.street_buildings > 1 {
                <label class="check"><input id="go-street" type="checkbox" checked={*whole_street} onchange={tick(&whole_street)} />{ ui.t(Key::GroupWholeStreet) }</label>
            }
            <button id="go-submit" type="submit">{ ui.t(Key::GroupOpenButton) }</button>
            if let Some(m) = &*message { <p id="go-message" role="status" class="error">{ m }</p> }
            { table.unwrap_or_default() }
        </form>
    }
}
