//! The account card's removed residents (seed 001 §4.3: residents are removed logically):
//! who was removed, when and by whom, each restorable with the periods it had.

use yew::prelude::*;

use crate::admin::error_text;
use crate::shared::api::{self, RestoreResident, account_card, restore_resident};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

type Removed = account_card::AccountCardAccountRemovedResidents;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub residents: Vec<Removed>,
    pub on_changed: Callback<()>,
}

#[function_component(RemovedResidents)]
pub fn removed_residents(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    let message = use_state(|| None::<String>);
    if props.residents.is_empty() {
        return html! {};
    }
    let columns = vec![
        Column::new("name", ui.t(Key::FullName)).sortable(),
        Column::new("registered", ui.t(Key::RegisteredPeriod)).sortable(),
        Column::new("living", ui.t(Key::LivingPeriod)).sortable(),
        Column::new("removed", ui.t(Key::RemovedAt)).sortable(),
        Column::new("actions", ""),
    ];
    let rows = props
        .residents
        .iter()
        .map(|r| {
            let restore = {
                let (id, message, changed) = (r.id, message.clone(), props.on_changed.clone());
                Callback::from(move |_| {
                    let (message, changed) = (message.clone(), changed.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::call::<RestoreResident>(restore_resident::Variables { id }).await
                        {
                            Ok(_) => changed.emit(()),
                            Err(e) => message.set(Some(error_text(&e))),
                        }
                    });
                })
            };
            let actions = if may_edit {
                html! { <button class="restore" onclick={restore}>{ ui.t(Key::Restore) }</button> }
            } else {
                html! {}
            };
            Row::new(
                r.id,
                vec![
                    Cell::text(r.full_name.clone()),
                    Cell::text(super::account_card::period(
                        &r.registered_from,
                        &r.registered_to,
                    )),
                    Cell::text(super::account_card::period(&r.living_from, &r.living_to)),
                    Cell::text(format!("{} · {}", ui.moment(&r.removed_at), r.removed_by)),
                    Cell::html(actions).class("actions"),
                ],
            )
            .attr("data-resident", r.full_name.clone())
        })
        .collect();
    html! {
        <details id="removed-residents" class="fold">
            <summary>{ format!("{} ({})", ui.t(Key::RemovedResidents), props.residents.len()) }</summary>
            <DataTable id="removed-residents-table" {columns} rows={Rows::Ready(rows)} page_size={0} />
            if let Some(m) = &*message { <p class="error" role="alert">{ m }</p> }
        </details>
    }
}
