//! Services of an account on its card (periods, quantities, add, remove), and the group
//! operations panel of the account list: assign, change the period of, or remove a
//! service for the selected accounts, with the accounts skipped and why.

use yew::prelude::*;

use crate::admin::{bind, error_text, opt};
use crate::shared::api::{
    self, AddAccountService, GroupAssignService, GroupChangeServicePeriod, GroupRemoveService,
    PriceChoices, RemoveAccountService, UpdateAccountService, account_card, add_account_service,
    group_assign_service, group_change_service_period, group_remove_service, price_choices,
    remove_account_service, update_account_service,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, delete_cell};
use crate::shell::{Ui, use_can};

/// The tenant's services for a select: (id, name).
#[hook]
pub(crate) fn use_services() -> UseStateHandle<Vec<(i64, String)>> {
    let services = use_state(Vec::new);
    {
        let services = services.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<PriceChoices>(price_choices::Variables {}).await {
                    services.set(
                        d.services
                            .items
                            .into_iter()
                            .map(|s| (s.id, s.name))
                            .collect(),
                    );
                }
            });
        });
    }
    services
}

fn service_select(
    id: &str,
    services: &[(i64, String)],
    picked: &UseStateHandle<Option<i64>>,
) -> Html {
    let onchange = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            picked.set(v.parse().ok());
        })
    };
    html! {
        <select id={id.to_owned()} {onchange}>
            { for services.iter().map(|(sid, name)| html! { <option value={sid.to_string()} selected={**picked == Some(*sid)}>{ name }</option> }) }
        </select>
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub account_id: i64,
    pub services: Vec<account_card::AccountCardAccountServices>,
    pub on_changed: Callback<()>,
}

/// The card's services table with an add form.
#[function_component(AccountServicesPanel)]
pub fn account_services_panel(props: &PanelProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    let choices = use_services();
    let picked = use_state(|| None::<i64>);
    let (starts, ends, quantity) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    // A refused removal; the add form's own outcome is `added`.
    let message = use_state(|| None::<String>);
    let added = use_state(|| None as Outcome);
    // The assignment being corrected (its row's "Edit" fills the form), if any.
    let editing = use_state(|| None::<i64>);
    let on_add = {
        let editing = editing.clone();
        let (id, picked, starts, ends, quantity, message, changed) = (
            props.account_id,
            picked.clone(),
            starts.clone(),
            ends.clone(),
            quantity.clone(),
            added.clone(),
            props.on_changed.clone(),
        );
        let first = choices.first().map(|c| c.0);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(service_id) = (*picked).or(first) else {
                return;
            };
            if let Some(refused) = missing(&ui, &[("startsOn", starts.as_str())]) {
                return message.set(Some(Err(refused)));
            }
            let (starts_on, ends_on, quantity) = ((*starts).clone(), opt(&ends), opt(&quantity));
            let (message, changed, editing) = (message.clone(), changed.clone(), editing.clone());
            let corrected = *editing;
            wasm_bindgen_futures::spawn_local(async move {
                let r = match corrected {
                    Some(assignment) => {
                        let input = update_account_service::ServicePeriodInput {
                            service_id,
                            starts_on,
                            ends_on,
                            quantity,
                        };
                        api::call::<UpdateAccountService>(update_account_service::Variables {
                            id: assignment,
                            input,
                        })
                        .await
                        .map(|_| ())
                    }
                    None => {
                        let input = add_account_service::ServicePeriodInput {
                            service_id,
                            starts_on,
                            ends_on,
                            quantity,
                        };
                        api::call::<AddAccountService>(add_account_service::Variables {
                            account_id: id,
                            input,
                        })
                        .await
                        .map(|_| ())
                    }
                };
                match r {
                    Ok(()) => {
                        message.set(None);
                        editing.set(None);
                        changed.emit(());
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let rows = props
        .services
        .iter()
        .map(|s| {
            let remove = {
                let (id, message, changed) = (s.id, message.clone(), props.on_changed.clone());
                Callback::from(move |_| {
                    if !confirm(&ui, Key::ConfirmDelete) {
                        return;
                    }
                    let (message, changed) = (message.clone(), changed.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::call::<RemoveAccountService>(remove_account_service::Variables {
                            id,
                        })
                        .await
                        {
                            Ok(_) => changed.emit(()),
                            Err(e) => message.set(Some(error_text(&e))),
                        }
                    });
                })
            };
            let edit = {
                let (picked, starts, ends, qty, editing) = (
                    picked.clone(),
                    starts.clone(),
                    ends.clone(),
                    quantity.clone(),
                    editing.clone(),
                );
                let s = s.clone();
                Callback::from(move |_| {
                    picked.set(Some(s.service_id));
                    starts.set(s.starts_on.clone());
                    ends.set(s.ends_on.clone().unwrap_or_default());
                    qty.set(s.quantity.clone().unwrap_or_default());
                    editing.set(Some(s.id));
                })
            };
            let quantity = s.quantity.clone().unwrap_or_default();
            // No quantity of its own (the service counts by its method): an empty cell.
            let shown = s
                .quantity
                .as_deref()
                .map(|q| ui.quantity(q))
                .unwrap_or_default();
            Row::new(
                s.id,
                vec![
                    Cell::text(s.service_name.clone()),
                    Cell::text(s.starts_on.clone()),
                    Cell::text(s.ends_on.clone().unwrap_or_else(|| "…".into())),
                    Cell::number(quantity, shown),
                    if may_edit {
                        Cell::html(html! { <button class="edit-service" onclick={edit}>{ ui.t(Key::Edit) }</button> })
                    } else {
                        Cell::text(String::new())
                    },
                    delete_cell(&ui, may_edit, remove),
                ],
            )
        })
        .collect::<Vec<_>>();
    let columns = vec![
        Column::new("service", ui.t(Key::FieldServices)).sortable(),
        Column::new("from", ui.t(Key::FieldStartsOn)).sortable(),
        Column::new("to", ui.t(Key::FieldEndsOn)).sortable(),
        Column::new("quantity", ui.t(Key::Quantity))
            .numeric()
            .sortable(),
        Column::new("edit", ""),
        Column::new("actions", ""),
    ];
    html! {
        <div class="account-services">
            <h4>{ ui.t(Key::FieldServices) }</h4>
            <DataTable id="account-services-table" {columns} rows={Rows::Ready(rows)} page_size={0} />
            if may_edit {
                <form id="add-account-service" class="inline" onsubmit={on_add}>
                    <label>{ ui.t(Key::FieldServices) }{ service_select("account-service-service", &choices, &picked) }{ field_error(&added, "serviceId") }</label>
                    <label>{ ui.t(Key::FieldStartsOn) }<input id="account-service-from" type="date" aria-required="true" aria-invalid={invalid(&added, "startsOn")} value={(*starts).clone()} oninput={bind(&starts)} />{ field_error(&added, "startsOn") }</label>
                    <label>{ ui.t(Key::FieldEndsOn) }<input id="account-service-to" type="date" aria-invalid={invalid(&added, "endsOn")} value={(*ends).clone()} oninput={bind(&ends)} />{ field_error(&added, "endsOn") }</label>
                    <label>{ ui.t(Key::Quantity) }<input id="account-service-quantity" inputmode="decimal" aria-invalid={invalid(&added, "quantity")} value={(*quantity).clone()} oninput={bind(&quantity)} />{ field_error(&added, "quantity") }</label>
                    <button id="account-service-add" type="submit">{ if editing.is_some() { ui.t(Key::Save) } else { ui.t(Key::AssignService) } }</button>
                    if editing.is_some() {
                        <button id="account-service-cancel" type="button" onclick={ let e = editing.clone(); Callback::from(move |_| e.set(None)) }>{ ui.t(Key::Cancel) }</button>
                    }
                    { form_error(&added, Some("account-service-error"), &["serviceId", "startsOn", "endsOn", "quantity"]) }
                </form>
            }
            if let Some(m) = &*message { <p id="account-service-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Operation {
    Assign,
    ChangePeriod,
    Remove,
}

#[derive(Properties, PartialEq)]
pub struct GroupProps {
    pub selected: Vec<i64>,
    pub on_done: Callback<()>,
}

/// A group operation's outcome: how many records changed, which accounts were skipped.
type GroupOutcome = (i64, Vec<(Option<String>, String)>);

#[function_component(GroupOperations)]
pub fn group_operations(props: &GroupProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let choices = use_services();
    let operation = use_state(|| Operation::Assign);
    let picked = use_state(|| None::<i64>);
    let (starts, ends, quantity) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let outcome = use_state(|| None::<Result<GroupOutcome, String>>);
    let on_apply = {
        let (selected, operation, picked, starts, ends, quantity, outcome, done) = (
            props.selected.clone(),
            *operation,
            picked.clone(),
            starts.clone(),
            ends.clone(),
            quantity.clone(),
            outcome.clone(),
            props.on_done.clone(),
        );
        let first = choices.first().map(|c| c.0);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(service_id) = (*picked).or(first) else {
                return;
            };
            let (account_ids, starts_on, ends_on, quantity) = (
                selected.clone(),
                (*starts).clone(),
                opt(&ends),
                opt(&quantity),
            );
            let (outcome, done) = (outcome.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<GroupOutcome, api::ApiError> = match operation {
                    Operation::Assign => {
                        let input = group_assign_service::ServicePeriodInput {
                            service_id,
                            starts_on,
                            ends_on,
                            quantity,
                        };
                        api::call::<GroupAssignService>(group_assign_service::Variables {
                            account_ids,
                            input,
                        })
                        .await
                        .map(|d| {
                            let g = d.group_assign_service;
                            (
                                g.changed,
                                g.skipped
                                    .into_iter()
                                    .map(|s| (s.number, s.reason))
                                    .collect(),
                            )
                        })
                    }
                    Operation::ChangePeriod => {
                        let input = group_change_service_period::ServicePeriodInput {
                            service_id,
                            starts_on,
                            ends_on,
                            quantity,
                        };
                        api::call::<GroupChangeServicePeriod>(
                            group_change_service_period::Variables { account_ids, input },
                        )
                        .await
                        .map(|d| {
                            let g = d.group_change_service_period;
                            (
                                g.changed,
                                g.skipped
                                    .into_iter()
                                    .map(|s| (s.number, s.reason))
                                    .collect(),
                            )
                        })
                    }
                    Operation::Remove => {
                        api::call::<GroupRemoveService>(group_remove_service::Variables {
                            account_ids,
                            service_id,
                        })
                        .await
                        .map(|d| {
                            let g = d.group_remove_service;
                            (
                                g.changed,
                                g.skipped
                                    .into_iter()
                                    .map(|s| (s.number, s.reason))
                                    .collect(),
                            )
                        })
                    }
                };
                if result.is_ok() {
                    done.emit(());
                }
                outcome.set(Some(result.map_err(|e| error_text(&e))));
            });
        })
    };
    let op_select = {
        let operation = operation.clone();
        let onchange = Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            operation.set(match v.as_str() {
                "change" => Operation::ChangePeriod,
                "remove" => Operation::Remove,
                _ => Operation::Assign,
            });
        });
        html! {
            <select id="group-operation" {onchange}>
                <option value="assign">{ ui.t(Key::AssignService) }</option>
                <option value="change">{ ui.t(Key::ChangeServicePeriod) }</option>
                <option value="remove">{ ui.t(Key::RemoveService) }</option>
            </select>
        }
    };
    let result = match &*outcome {
        None => html! {},
        Some(Err(e)) => html! { <p id="group-result" class="error" role="alert">{ e }</p> },
        Some(Ok((changed, skipped))) => html! {
            <div id="group-result" role="status">
                <p>{ format!("{}: {changed}; {}: {}", ui.t(Key::Changed), ui.t(Key::Skipped), skipped.len()) }</p>
                if !skipped.is_empty() {
                    <ul class="skipped">{ for skipped.iter().map(|(n, r)| html! { <li>{ format!("{} — {r}", n.clone().unwrap_or_default()) }</li> }) }</ul>
                }
            </div>
        },
    };
    html! {
        <form id="group-operations" class="card group" onsubmit={on_apply}>
            <strong>{ format!("{}: {}", ui.t(Key::SelectedAccounts), props.selected.len()) }</strong>
            { op_select }
            { service_select("group-service", &choices, &picked) }
            if *operation != Operation::Remove {
                <label>{ ui.t(Key::FieldStartsOn) }<input id="group-from" type="date" value={(*starts).clone()} oninput={bind(&starts)} /></label>
                <label>{ ui.t(Key::FieldEndsOn) }<input id="group-to" type="date" value={(*ends).clone()} oninput={bind(&ends)} /></label>
                <label>{ ui.t(Key::Quantity) }<input id="group-quantity" inputmode="decimal" value={(*quantity).clone()} oninput={bind(&quantity)} /></label>
            }
            <button id="group-apply" type="submit">{ ui.t(Key::Apply) }</button>
            { result }
        </form>
    }
}
