//! The account card's debt restructuring agreements: the schedule of each, a new
//! agreement (number, date, debt, months, first period) and cancelling one.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, AddRestructuring, CancelRestructuring, account_card, add_restructuring,
    cancel_restructuring,
};
use crate::shared::confirm::confirm;
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub account_id: i64,
    pub agreements: Vec<account_card::AccountCardAccountRestructurings>,
    pub on_changed: Callback<()>,
}

#[function_component(RestructuringPanel)]
pub fn restructuring_panel(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    let message = use_state(|| None::<String>);
    let (number, signed, debt, months, first) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(|| "12".to_owned()),
        use_state(String::new),
    );
    let on_add = {
        let (id, number, signed, debt, months, first, message, changed) = (
            props.account_id,
            number.clone(),
            signed.clone(),
            debt.clone(),
            months.clone(),
            first.clone(),
            message.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = add_restructuring::RestructuringInput {
                number: (*number).clone(),
                signed_on: (*signed).clone(),
                debt: (*debt).clone(),
                // A non-number becomes 0, which the server refuses naming the field.
                months: months.trim().parse().unwrap_or(0),
                first_period: (*first).clone(),
            };
            let (message, changed) = (message.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<AddRestructuring>(add_restructuring::Variables {
                    account_id: id,
                    input,
                })
                .await
                {
                    Ok(_) => {
                        message.set(None);
                        changed.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    let rows = props.agreements.iter().map(|r| {
        let cancel = {
            let (id, message, changed) = (r.id, message.clone(), props.on_changed.clone());
            Callback::from(move |_| {
                if !confirm(&ui, Key::ConfirmCancelAgreement) {
                    return;
                }
                let (message, changed) = (message.clone(), changed.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match api::call::<CancelRestructuring>(cancel_restructuring::Variables { id })
                        .await
                    {
                        Ok(_) => changed.emit(()),
                        Err(e) => message.set(Some(error_text(&e))),
                    }
                });
            })
        };
        let active = r.status == "active";
        let schedule = r
            .instalments
            .iter()
            .map(|i| format!("{} {}", i.period, i.amount))
            .collect::<Vec<_>>()
            .join("; ");
        html! {
            <tr class={classes!((!active).then_some("muted"))}>
                <td>{ &r.number }</td>
                <td>{ &r.signed_on }</td>
                <td class="num">{ &r.debt }</td>
                <td class="num">{ r.months }</td>
                <td>{ if active { ui.t(Key::Active) } else { ui.t(Key::Cancelled) } }</td>
                <td class="schedule">{ schedule }</td>
                <td class="actions">
                    if active && may_edit { <button class="cancel-restructuring" onclick={cancel}>{ ui.t(Key::Cancel) }</button> }
                </td>
            </tr>
        }
    });
    html! {
        <div class="restructurings">
            <h4>{ ui.t(Key::Restructuring) }</h4>
            <table id="restructurings-table" class="grid">
                <thead><tr>
                    <th>{ ui.t(Key::AgreementNumber) }</th><th>{ ui.t(Key::SignedOn) }</th><th>{ ui.t(Key::Debt) }</th>
                    <th>{ ui.t(Key::Months) }</th><th>{ ui.t(Key::Status) }</th><th>{ ui.t(Key::Schedule) }</th><th></th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if may_edit {
            <form id="add-restructuring" class="inline" onsubmit={on_add}>
                <input id="restructuring-number" placeholder={ui.t(Key::AgreementNumber)} value={(*number).clone()} oninput={bind(&number)} />
                <input id="restructuring-signed" type="date" value={(*signed).clone()} oninput={bind(&signed)} />
                <input id="restructuring-debt" inputmode="decimal" placeholder={ui.t(Key::Debt)} value={(*debt).clone()} oninput={bind(&debt)} />
                <input id="restructuring-months" inputmode="numeric" value={(*months).clone()} oninput={bind(&months)} />
                <input id="restructuring-first" type="month" value={(*first).clone()} oninput={bind(&first)} />
                <button id="restructuring-add" type="submit">{ ui.t(Key::NewAgreement) }</button>
            </form>
            }
            if let Some(m) = &*message { <p id="restructuring-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}
