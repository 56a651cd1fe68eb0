//! The account card (seed 000 Fig. 6): the account, its subscriber, its residents with
//! their periods, adding a resident, and the billing table with its invoices' lines.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, AccountCard, AddResident, RemoveResident, ReregisterResident, UpdateResident,
    account_card, add_resident, remove_resident, reregister_resident, update_resident,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, invalid, missing, receipt};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};
use crate::subscribers::account_benefits::AccountBenefitsPanel;
use crate::subscribers::account_services::AccountServicesPanel;
use crate::subscribers::restructuring::RestructuringPanel;

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub id: i64,
    pub on_close: Callback<()>,
}

pub(super) fn period(from: &Option<String>, to: &Option<String>) -> String {
    match (from, to) {
        (None, None) => "—".into(),
        (f, t) => format!(
            "{} — {}",
            f.clone().unwrap_or_else(|| "…".into()),
            t.clone().unwrap_or_else(|| "…".into())
        ),
    }
}

#[function_component(AccountCardView)]
pub fn account_card_view(props: &CardProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    let may_edit_subscriber = use_can().allows("subscribers.update");
    let can_see_acts = use_can().allows("acts.view");
    // The account's penalty statement is a report (accountants, not controllers).
    let can_see_reports = use_can().allows("reports.view");
    let data = use_state(|| None::<Result<account_card::AccountCardAccount, String>>);
    let version = use_state(|| 0u32);
    let (name, living_from) = (use_state(String::new), use_state(String::new));
    // A refused move-out or removal; the add form's own outcome is `added`.
    let message = use_state(|| None::<String>);
    let added = use_state(|| None as Outcome);
    {
        let (data, id) = (data.clone(), props.id);
        use_effect_with((id, *version), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<AccountCard>(account_card::Variables { id })
                        .await
                        .map(|d| d.account),
                ));
            });
        });
    }
    let on_add = {
        let (id, name, living_from, message, version) = (
            props.id,
            name.clone(),
            living_from.clone(),
            added.clone(),
            version.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(&ui, &[("fullName", name.as_str())]) {
                return message.set(Some(Err(refused)));
            }
            let from = Some(living_from.trim().to_owned()).filter(|s| !s.is_empty());
            let input = add_resident::ResidentInput {
                full_name: (*name).clone(),
                birth_date: None,
                registered_from: from.clone(),
                registered_to: None,
                living_from: from,
                living_to: None,
            };
            let (message, version, name) = (message.clone(), version.clone(), name.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<AddResident>(add_resident::Variables {
                    account_id: id,
                    input,
                })
                .await
                {
                    Ok(_) => {
                        message.set(Some(Ok(())));
                        name.set(String::new());
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let moved_out = use_state(String::new);
    let again_on = use_state(String::new);
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let resident_columns = vec![
        Column::new("name", ui.t(Key::FullName)).sortable(),
        Column::new("registered", ui.t(Key::RegisteredPeriod)).sortable(),
        Column::new("living", ui.t(Key::LivingPeriod)).sortable(),
        Column::new("actions", ""),
    ];
    let body = match &*data {
        None => html! { <p>{ ui.t(Key::Loading) }</p> },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(c)) => {
            let a = &c.account;
            let sub = c.subscriber.as_ref();
            html! {
                <>
                <h3 id="card-title">{ format!("{} {} — {}", ui.t(Key::ColAccount), a.number, a.holder_name) }</h3>
                <dl class="facts">
                    <dt>{ ui.t(Key::ColAddress) }</dt><dd>{ &a.address }</dd>
                    if let Some(area) = &c.area {
                        <dt>{ ui.t(Key::TotalArea) }</dt><dd id="card-area">{ ui.quantity(area) }</dd>
                    }
                    <dt>{ ui.t(Key::AccountStatus) }</dt><dd id="card-status">{ crate::shared::labels::code(&ui, "accounts_status", &c.status) }</dd>
                    <dt>{ ui.t(Key::OpenedOn) }</dt><dd id="card-opened">{ c.opened_on.clone().unwrap_or_else(|| "—".into()) }</dd>
                    if let Some(day) = &c.closed_on {
                        <dt>{ ui.t(Key::EdClosedOn) }</dt><dd id="card-closed">{ day }</dd>
                    }
                    <dt>{ ui.t(Key::NoPenalty) }</dt><dd id="card-no-penalty">{ if c.no_penalty { "✓" } else { "—" } }</dd>
                    if let Some(text) = &c.comment {
                        <dt>{ ui.t(Key::EdComment) }</dt><dd id="card-comment">{ text }</dd>
                    }
                    <dt>{ ui.t(Key::FieldTaxId) }</dt><dd>{ sub.and_then(|s| s.tax_id.clone()).unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ ui.t(Key::Phone) }</dt><dd>{ sub.and_then(|s| s.phone.clone()).unwrap_or_else(|| "—".into()) }</dd>
                    if let Some(p) = &c.payer {
                        <dt>{ ui.t(Key::EdPayer) }</dt><dd id="card-payer">{ &p.display_name }</dd>
                    }
                    <dt>{ ui.t(Key::Email) }</dt><dd id="card-email">{ sub.and_then(|s| s.email.clone()).unwrap_or_else(|| "—".into()) }</dd>
                    if let Some(name) = sub.and_then(|s| s.controller_name.clone()) {
                        <dt>{ ui.t(Key::EdController) }</dt><dd>{ name }</dd>
                    }
                    <dt>{ ui.t(Key::ColBalance) }</dt><dd id="card-balance" data-amount={a.balance.clone()}>{ ui.money(&a.balance) }</dd>
                </dl>
                if may_edit && sub.is_none() {
                    <super::new_account::NewAccountForm key={format!("h{}", a.id)} holder_of={Some(a.id)}
                        on_opened={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                }
                if let (true, Some(s)) = (may_edit_subscriber, sub) {
                    // Keyed by the subscriber: a save keeps the form (and its receipt) open.
                    <super::card_edit::SubscriberEdit key={format!("s{}", s.id)} subscriber={super::card_edit::Subscriber::from(s)}
                        on_saved={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                }
                if may_edit {
                    <super::card_edit::AccountEdit key={format!("a{}", a.id)} account_id={a.id} status={c.status.clone()}
                        opened_on={c.opened_on.clone()} no_penalty={c.no_penalty} comment={c.comment.clone()}
                        branch_id={c.branch_id} type_id={a.type_id} payer={c.payer.as_ref().map(|p| (p.id, p.display_name.clone()))}
                        on_saved={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                }
                <h4>{ format!("{} ({})", ui.t(Key::ResidentsTitle), a.residents) }</h4>
                <DataTable id="residents-table" columns={resident_columns.clone()} rows={Rows::Ready(c.residents.iter().map(|r| {
                    let moved = {
                        let (r, day, message, version) = (r.clone(), moved_out.clone(), message.clone(), version.clone());
                        Callback::from(move |_| {
                            // Moving out ends the stay: the living period, and the
                            // registration when it is still open (deregistered on leaving).
                            let left = Some(day.trim().to_owned()).filter(|d| !d.is_empty());
                            let registered_to = match (&r.registered_from, &r.registered_to) {
                                (Some(_), None) => left.clone(),
                                _ => r.registered_to.clone(),
                            };
                            let input = update_resident::ResidentInput {
                                full_name: r.full_name.clone(),
                                birth_date: r.birth_date.clone(),
                                registered_from: r.registered_from.clone(),
                                registered_to,
                                living_from: r.living_from.clone(),
                                living_to: left,
                            };
                            let (id, message, version) = (r.id, message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<UpdateResident>(update_resident::Variables { id, input }).await {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let remove = {
                        let (id, message, version) = (r.id, message.clone(), version.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, version) = (message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<RemoveResident>(remove_resident::Variables { id }).await {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    // Left (the period ended): registered again from the day typed
                    // below, the ended period kept as history (seed 001 §4.3).
                    let open = |from: &Option<String>, to: &Option<String>| from.is_some() && to.is_none();
                    let ended = (r.living_to.is_some() || r.registered_to.is_some())
                        && !open(&r.registered_from, &r.registered_to)
                        && !open(&r.living_from, &r.living_to);
                    let again = {
                        let (id, day, message, version) = (r.id, again_on.clone(), message.clone(), version.clone());
                        Callback::from(move |_| {
                            let registered_from = day.trim().to_owned();
                            let (message, version) = (message.clone(), version.clone());
                            let input = reregister_resident::ReregisterInput { registered_from, living_from: None };
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<ReregisterResident>(reregister_resident::Variables { id, input }).await {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let actions = if may_edit {
                        html! { <>
                            if ended {
                                <button class="reregister" onclick={again}>{ ui.t(Key::Reregister) }</button>
                            } else {
                                <button class="moved-out" onclick={moved}>{ ui.t(Key::MovedOut) }</button>
                            }
                            <button class="delete danger" onclick={remove}>{ ui.t(Key::Delete) }</button>
                        </> }
                    } else {
                        html! {}
                    };
                    // Earlier periods under the current one, oldest first.
                    let earlier: Vec<String> = c.resident_periods.iter().filter(|p| p.resident_id == r.id)
                        .map(|p| period(&p.registered_from.clone().or(p.living_from.clone()), &p.registered_to.clone().or(p.living_to.clone())))
                        .collect();
                    let registered = period(&r.registered_from, &r.registered_to);
                    Row::new(r.id, vec![
                        Cell::text(r.full_name.clone()),
                        if earlier.is_empty() {
                            Cell::text(registered)
                        } else {
                            Cell::html(html! { <>{ registered }<br /><small class="earlier-periods">{ format!("{}: {}", ui.t(Key::EarlierPeriods), earlier.join("; ")) }</small></> })
                        },
                        Cell::text(period(&r.living_from, &r.living_to)),
                        Cell::html(actions).class("actions"),
                    ]).attr("data-resident", r.full_name.clone())
                }).collect())} page_size={0} />
                if may_edit {
                    <label>{ ui.t(Key::MovedOutOn) }<input id="resident-moved-out" type="date" value={(*moved_out).clone()} oninput={bind(&moved_out)} /></label>
                    <label>{ ui.t(Key::ReregisteredOn) }<input id="resident-again-on" type="date" value={(*again_on).clone()} oninput={bind(&again_on)} /></label>
                }
                <super::removed_residents::RemovedResidents residents={c.removed_residents.clone()}
                    on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                <AccountServicesPanel account_id={a.id} services={c.services.clone()}
                    on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                <AccountBenefitsPanel account_id={a.id} card={c.clone()}
                    on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                <RestructuringPanel account_id={a.id} agreements={c.restructurings.clone()} balance={a.balance.clone()}
                    on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                <super::debt_case::DebtCasePanel account_id={a.id} />
                <super::portal_code::PortalCodePanel account_id={a.id} />
                // Folded: a calculator the card holds, not what it shows first.
                if can_see_reports {
                    <details id="account-penalty-fold" class="fold">
                        <summary>{ ui.t(Key::PenaltyTitle) }</summary>
                        <crate::reports::penalty::PenaltyStatementForm account={Some(a.id)} />
                    </details>
                }
                <crate::metering::readings::AccountMeters account_id={a.id} />
                <crate::billing::AccountBilling account_id={a.id} />
                if can_see_acts {
                    <crate::acts::correction::AccountActs account_id={a.id}
                        on_changed={ let v = version.clone(); Callback::from(move |_| v.set(*v + 1)) } />
                }
                <crate::billing::history::AccountHistoryPanel account_id={a.id} />
                </>
            }
        }
    };
    html! {
        <section id="account-card" class="card-view account-card">
            <button class="close" onclick={close}>{ ui.t(Key::Close) }</button>
            { body }
            if may_edit {
                <form id="add-resident" class="card" onsubmit={on_add}>
                    <h3>{ ui.t(Key::AddResident) }</h3>
                    <label>{ ui.t(Key::FullName) }<input id="resident-name" aria-required="true" aria-invalid={invalid(&added, "fullName")} value={(*name).clone()} oninput={bind(&name)} />{ field_error(&added, "fullName") }</label>
                    <label>{ ui.t(Key::LivingFrom) }<input id="resident-from" type="date" aria-invalid={invalid(&added, "livingFrom")} value={(*living_from).clone()} oninput={bind(&living_from)} />{ field_error(&added, "livingFrom") }</label>
                    <button id="resident-submit" type="submit">{ ui.t(Key::AddResident) }</button>
                    { receipt(&ui, &added, "resident-saved", &["fullName", "livingFrom", "birthDate"]) }
                </form>
            }
            if let Some(m) = &*message { <p id="resident-message" class="error" role="alert">{ m }</p> }
        </section>
    }
}
