//! The account card's debt restructuring agreements: the schedule of each and how it was
//! kept month by month (seed 001 «Нарахування та оплати за договором»), a new agreement
//! (number, date, debt, months, first period) and cancelling one.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, AddRestructuring, CancelRestructuring, account_card, add_restructuring,
    cancel_restructuring,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub account_id: i64,
    pub agreements: Vec<account_card::AccountCardAccountRestructurings>,
    /// The account's balance (what it owes when positive): the new agreement's debt
    /// starts from it (seed 001 §4.3.1, the debt filled in from the closing balance).
    pub balance: String,
    pub on_changed: Callback<()>,
}

#[function_component(RestructuringPanel)]
pub fn restructuring_panel(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    // A refused cancellation; the add form's own outcome is `added`.
    let message = use_state(|| None::<String>);
    let added = use_state(|| None as Outcome);
    let owed = owed(&props.balance);
    let (number, signed, debt, months, first) = (
        use_state(String::new),
        use_state(String::new),
        use_state(move || owed),
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
            added.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let required = [
                ("number", number.as_str()),
                ("signedOn", signed.as_str()),
                ("debt", debt.as_str()),
                ("months", months.as_str()),
                ("firstPeriod", first.as_str()),
            ];
            if let Some(refused) = missing(&ui, &required) {
                return message.set(Some(Err(refused)));
            }
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
                    Err(e) => message.set(Some(Err(e))),
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
        let actions = if active && may_edit {
            html! { <button class="cancel-restructuring danger" onclick={cancel}>{ ui.t(Key::Cancel) }</button> }
        } else {
            html! {}
        };
        Row::new(
            r.id,
            vec![
                Cell::text(r.number.clone()),
                Cell::text(r.signed_on.clone()),
                Cell::number(r.debt.clone(), ui.amount(&r.debt)),
                Cell::count(r.months),
                Cell::text(if active { ui.t(Key::Active) } else { ui.t(Key::Cancelled) }),
                Cell::text(schedule).class("schedule"),
                Cell::html(actions).class("actions"),
            ],
        )
        .class(classes!((!active).then_some("muted")))
    }).collect::<Vec<_>>();
    let columns = vec![
        Column::new("number", ui.t(Key::AgreementNumber)).sortable(),
        Column::new("signed", ui.t(Key::SignedOn)).sortable(),
        Column::new("debt", ui.t(Key::Debt)).numeric().sortable(),
        Column::new("months", ui.t(Key::Months))
            .numeric()
            .sortable(),
        Column::new("status", ui.t(Key::Status)).sortable(),
        Column::new("schedule", ui.t(Key::Schedule)),
        Column::new("actions", ""),
    ];
    let kept = props
        .agreements
        .iter()
        .map(|r| kept_table(&ui, r))
        .collect::<Html>();
    html! {
        <div class="restructurings">
            <h4>{ ui.t(Key::Restructuring) }</h4>
            <DataTable id="restructurings-table" {columns} rows={Rows::Ready(rows)} page_size={0} />
            { kept }
            if may_edit {
            <form id="add-restructuring" class="inline" onsubmit={on_add}>
                <label>{ ui.t(Key::AgreementNumber) }<input id="restructuring-number" aria-required="true" aria-invalid={invalid(&added, "number")} value={(*number).clone()} oninput={bind(&number)} />{ field_error(&added, "number") }</label>
                <label>{ ui.t(Key::SignedOn) }<input id="restructuring-signed" type="date" aria-required="true" aria-invalid={invalid(&added, "signedOn")} value={(*signed).clone()} oninput={bind(&signed)} />{ field_error(&added, "signedOn") }</label>
                <label>{ ui.t(Key::Debt) }<input id="restructuring-debt" inputmode="decimal" aria-required="true" aria-invalid={invalid(&added, "debt")} value={(*debt).clone()} oninput={bind(&debt)} />{ field_error(&added, "debt") }</label>
                <label>{ ui.t(Key::Months) }<input id="restructuring-months" inputmode="numeric" aria-required="true" aria-invalid={invalid(&added, "months")} value={(*months).clone()} oninput={bind(&months)} />{ field_error(&added, "months") }</label>
                <label>{ ui.t(Key::FirstInstalment) }<input id="restructuring-first" type="month" aria-required="true" aria-invalid={invalid(&added, "firstPeriod")} value={(*first).clone()} oninput={bind(&first)} />{ field_error(&added, "firstPeriod") }</label>
                <button id="restructuring-add" type="submit">{ ui.t(Key::NewAgreement) }</button>
                { form_error(&added, Some("restructuring-error"), &["number", "signedOn", "debt", "months", "firstPeriod"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="restructuring-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}

/// One agreement's months: the instalment, what the month's payments brought to it after
/// the month's bill, and how far behind the schedule it is (blank for months to come).
fn kept_table(ui: &Ui, r: &account_card::AccountCardAccountRestructurings) -> Html {
    let money = |v: &Option<String>| match v {
        Some(v) => Cell::number(v.clone(), ui.amount(v)),
        None => Cell::text(""),
    };
    let rows = r
        .instalments
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let behind = m
                .behind
                .as_deref()
                .is_some_and(|b| b.chars().any(|c| c.is_ascii_digit() && c != '0'));
            Row::new(
                i as i64,
                vec![
                    Cell::text(m.period.clone()),
                    Cell::number(m.amount.clone(), ui.amount(&m.amount)),
                    money(&m.paid),
                    if behind {
                        money(&m.behind).class("behind")
                    } else {
                        money(&m.behind)
                    },
                ],
            )
        })
        .collect::<Vec<_>>();
    let columns = vec![
        Column::new("period", ui.t(Key::Period)),
        Column::new("due", ui.t(Key::Instalment)).numeric(),
        Column::new("paid", ui.t(Key::PaidUnderAgreement)).numeric(),
        Column::new("behind", ui.t(Key::BehindAgreement)).numeric(),
    ];
    html! {
        <details class="agreement-kept" open={r.status == "active"}>
            <summary>{ format!("{} {}", ui.t(Key::AgreementKept), r.number) }</summary>
            <DataTable id={format!("restructuring-kept-{}", r.id)} {columns} rows={Rows::Ready(rows)} page_size={0} />
        </details>
    }
}

/// The balance as the debt to restructure: itself when the account owes, else nothing.
fn owed(balance: &str) -> String {
    let b = balance.trim();
    let owes = !b.starts_with('-') && b.chars().any(|c| c.is_ascii_digit() && c != '0');
    if owes { b.to_owned() } else { String::new() }
}
