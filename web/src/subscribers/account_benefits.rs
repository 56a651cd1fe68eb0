//! The account card's benefits (beneficiaries with the residents a benefit extends to),
//! subsidies per service and period, and opening balances per service.

use yew::prelude::*;

use crate::admin::bind;
use crate::shared::api::{
    self, AddBeneficiary, BenefitChoices, DeleteSubsidy, EndBeneficiary, PriceChoices,
    RemoveBeneficiary, SetOpeningBalance, SetSubsidy, account_card, add_beneficiary,
    benefit_choices, delete_subsidy, end_beneficiary, price_choices, remove_beneficiary,
    set_opening_balance, set_subsidy,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

type Card = account_card::AccountCardAccount;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub account_id: i64,
    pub card: Card,
    pub on_changed: Callback<()>,
}

/// Loads (id, name) options once.
#[hook]
fn use_options(which: &'static str) -> UseStateHandle<Vec<(i64, String)>> {
    let options = use_state(Vec::new);
    {
        let options = options.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let list = if which == "benefits" {
                    api::run::<BenefitChoices>(benefit_choices::Variables {})
                        .await
                        .map(|d| {
                            d.reference_book
                                .items
                                .into_iter()
                                .map(|b| (b.id, b.name))
                                .collect()
                        })
                } else {
                    api::run::<PriceChoices>(price_choices::Variables {})
                        .await
                        .map(|d| {
                            d.services
                                .items
                                .into_iter()
                                .map(|s| (s.id, s.name))
                                .collect()
                        })
                };
                if let Ok(list) = list {
                    options.set(list);
                }
            });
        });
    }
    options
}

fn select(id: &str, options: &[(i64, String)], picked: &UseStateHandle<Option<i64>>) -> Html {
    let onchange = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            picked.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value()
                    .parse()
                    .ok(),
            );
        })
    };
    html! {
        <select id={id.to_owned()} {onchange}>
            { for options.iter().map(|(v, name)| html! { <option value={v.to_string()} selected={**picked == Some(*v)}>{ name }</option> }) }
        </select>
    }
}

/// Runs a mutation; on success tells the card to reload, else shows the error (under
/// the field it names).
fn run<F>(message: &UseStateHandle<Outcome>, changed: &Callback<()>, call: F)
where
    F: std::future::Future<Output = Result<(), api::ApiError>> + 'static,
{
    let (message, changed) = (message.clone(), changed.clone());
    wasm_bindgen_futures::spawn_local(async move {
        match call.await {
            Ok(()) => {
                message.set(None);
                changed.emit(());
            }
            Err(e) => message.set(Some(Err(e))),
        }
    });
}

/// The fields of this panel's forms the server may refuse by name.
const FIELDS: [&str; 9] = [
    "residentId",
    "benefitId",
    "startsOn",
    "endsOn",
    "document",
    "memberIds",
    "serviceId",
    "period",
    "amount",
];

#[function_component(AccountBenefitsPanel)]
pub fn account_benefits_panel(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    let benefits = use_options("benefits");
    let services = use_options("services");
    let message = use_state(|| None as Outcome);
    let c = &props.card;

    // New beneficiary.
    let holder = use_state(|| None::<i64>);
    let benefit = use_state(|| None::<i64>);
    let (from, document) = (use_state(String::new), use_state(String::new));
    let members = use_state(Vec::<i64>::new);
    let residents: Vec<(i64, String)> = c
        .residents
        .iter()
        .map(|r| (r.id, r.full_name.clone()))
        .collect();
    let on_add = {
        let (id, holder, benefit, from, document, members, message, changed) = (
            props.account_id,
            holder.clone(),
            benefit.clone(),
            from.clone(),
            document.clone(),
            members.clone(),
            message.clone(),
            props.on_changed.clone(),
        );
        let (first_resident, first_benefit) = (
            residents.first().map(|r| r.0),
            benefits.first().map(|b| b.0),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(resident_id), Some(benefit_id)) =
                ((*holder).or(first_resident), (*benefit).or(first_benefit))
            else {
                return;
            };
            if let Some(refused) = missing(&ui, &[("startsOn", from.as_str())]) {
                return message.set(Some(Err(refused)));
            }
            let input = add_beneficiary::BeneficiaryInput {
                resident_id,
                benefit_id,
                starts_on: (*from).clone(),
                ends_on: None,
                document: Some(document.trim().to_owned()).filter(|d| !d.is_empty()),
                member_ids: members
                    .iter()
                    .copied()
                    .filter(|m| *m != resident_id)
                    .collect(),
            };
            run(&message, &changed, async move {
                api::call::<AddBeneficiary>(add_beneficiary::Variables {
                    account_id: id,
                    input,
                })
                .await
                .map(|_| ())
            });
        })
    };
    let member_boxes = residents.iter().map(|(rid, name)| {
        let (rid, members) = (*rid, members.clone());
        let checked = members.contains(&rid);
        let onchange = Callback::from(move |_| {
            let mut v = (*members).clone();
            if v.contains(&rid) {
                v.retain(|x| *x != rid);
            } else {
                v.push(rid);
            }
            members.set(v);
        });
        html! { <label class="check"><input type="checkbox" name="member" value={rid.to_string()} {checked} {onchange} />{ name }</label> }
    });
    let end_on = use_state(String::new);
    let beneficiary_rows = c
        .beneficiaries
        .iter()
        .map(|b| {
            let members_text = b
                .members
                .iter()
                .map(|m| match &m.ends_on {
                    Some(e) => format!("{} (… {e})", m.full_name),
                    None => m.full_name.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let end = {
                let (id, end_on, message, changed) = (
                    b.id,
                    end_on.clone(),
                    message.clone(),
                    props.on_changed.clone(),
                );
                Callback::from(move |_| {
                    let ends_on = Some(end_on.trim().to_owned()).filter(|s| !s.is_empty());
                    run(&message, &changed, async move {
                        api::call::<EndBeneficiary>(end_beneficiary::Variables { id, ends_on })
                            .await
                            .map(|_| ())
                    });
                })
            };
            let remove = {
                let (id, message, changed) = (b.id, message.clone(), props.on_changed.clone());
                Callback::from(move |_| {
                    if !confirm(&ui, Key::ConfirmDelete) {
                        return;
                    }
                    run(&message, &changed, async move {
                        api::call::<RemoveBeneficiary>(remove_beneficiary::Variables { id })
                            .await
                            .map(|_| ())
                    });
                })
            };
            let actions = if may_edit {
                html! { <>
                    <button class="end-benefit" onclick={end}>{ ui.t(Key::EndOn) }</button>
                    <button class="delete danger" onclick={remove}>{ ui.t(Key::Delete) }</button>
                </> }
            } else {
                html! {}
            };
            Row::new(
                b.id,
                vec![
                    Cell::text(b.full_name.clone()),
                    Cell::text(format!("{} ({}%)", b.benefit_name, b.percent)),
                    Cell::text(format!(
                        "{} — {}",
                        b.starts_on,
                        b.ends_on.clone().unwrap_or_else(|| "…".into())
                    )),
                    Cell::text(b.document.clone().unwrap_or_default()),
                    Cell::text(members_text).class("members"),
                    Cell::html(actions).class("actions"),
                ],
            )
        })
        .collect::<Vec<_>>();
    let beneficiary_columns = vec![
        Column::new("name", ui.t(Key::FullName)).sortable(),
        Column::new(
            "benefit",
            crate::shared::labels::code(&ui, "Book", "BENEFITS"),
        )
        .sortable(),
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("document", ui.t(Key::Document))
            .sortable()
            .optional(),
        Column::new("members", ui.t(Key::ExtendsTo)),
        Column::new("actions", ""),
    ];

    // Subsidies and opening balances share a form shape: service, month, amount.
    let (money_service, month, amount) = (
        use_state(|| None::<i64>),
        use_state(String::new),
        use_state(String::new),
    );
    let money = |balance: bool| {
        let (id, service, month, amount, message, changed) = (
            props.account_id,
            money_service.clone(),
            month.clone(),
            amount.clone(),
            message.clone(),
            props.on_changed.clone(),
        );
        let first = services.first().map(|s| s.0);
        Callback::from(move |_: MouseEvent| {
            let Some(service_id) = (*service).or(first) else {
                return;
            };
            if let Some(refused) = missing(
                &ui,
                &[("period", month.as_str()), ("amount", amount.as_str())],
            ) {
                return message.set(Some(Err(refused)));
            }
            let (period, amount) = ((*month).clone(), (*amount).clone());
            if balance {
                run(&message, &changed, async move {
                    api::call::<SetOpeningBalance>(set_opening_balance::Variables {
                        account_id: id,
                        service_id,
                        period,
                        amount,
                    })
                    .await
                    .map(|_| ())
                });
            } else {
                run(&message, &changed, async move {
                    api::call::<SetSubsidy>(set_subsidy::Variables {
                        account_id: id,
                        service_id,
                        period,
                        amount,
                    })
                    .await
                    .map(|_| ())
                });
            }
        })
    };
    let subsidy_rows = c.subsidies.iter().map(|s| {
        let remove = {
            let (id, message, changed) = (s.id, message.clone(), props.on_changed.clone());
            Callback::from(move |_| {
                if !confirm(&ui, Key::ConfirmDelete) {
                    return;
                }
                run(&message, &changed, async move {
                    api::call::<DeleteSubsidy>(delete_subsidy::Variables { id })
                        .await
                        .map(|_| ())
                });
            })
        };
        let actions = if may_edit {
            html! { <button class="delete danger" disabled={s.used} onclick={remove}>{ ui.t(Key::Delete) }</button> }
        } else {
            html! {}
        };
        Row::new(
            s.id,
            vec![
                Cell::text(s.period.clone()),
                Cell::text(s.service_name.clone()),
                Cell::number(s.amount.clone(), ui.amount(&s.amount)),
                Cell::text(if s.used { "✓" } else { "" }),
                Cell::html(actions).class("actions"),
            ],
        )
    }).collect::<Vec<_>>();
    let subsidy_columns = vec![
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("service", ui.t(Key::FieldServices)).sortable(),
        Column::new("amount", ui.t(Key::Amount))
            .numeric()
            .sortable(),
        Column::new("used", ui.t(Key::UsedInInvoice)).sortable(),
        Column::new("actions", ""),
    ];
    let balance_rows = c
        .opening_balances
        .iter()
        .enumerate()
        .map(|(i, b)| {
            Row::new(
                i,
                vec![
                    Cell::text(b.period.clone()),
                    Cell::text(b.service_name.clone()),
                    Cell::number(b.amount.clone(), ui.amount(&b.amount)),
                ],
            )
        })
        .collect::<Vec<_>>();
    let balance_columns = vec![
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("service", ui.t(Key::FieldServices)).sortable(),
        Column::new("amount", ui.t(Key::Amount))
            .numeric()
            .sortable(),
    ];
    html! {
        <div class="account-benefits">
            <h4>{ crate::shared::labels::code(&ui, "Book", "BENEFITS") }</h4>
            <DataTable id="beneficiaries-table" columns={beneficiary_columns} rows={Rows::Ready(beneficiary_rows)} page_size={0} />
            if may_edit {
            <div class="inline">
                <label>{ ui.t(Key::EndOn) }<input id="benefit-end-on" type="date" aria-invalid={invalid(&message, "endsOn")} value={(*end_on).clone()} oninput={bind(&end_on)} />{ field_error(&message, "endsOn") }</label>
            </div>
            <form id="add-beneficiary" class="inline" onsubmit={on_add}>
                <label>{ ui.t(Key::FullName) }{ select("beneficiary-resident", &residents, &holder) }{ field_error(&message, "residentId") }</label>
                <label>{ crate::shared::labels::code(&ui, "Book", "BENEFITS") }{ select("beneficiary-benefit", &benefits, &benefit) }{ field_error(&message, "benefitId") }</label>
                <label>{ ui.t(Key::ValidFrom) }<input id="beneficiary-from" type="date" aria-required="true" aria-invalid={invalid(&message, "startsOn")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&message, "startsOn") }</label>
                <label>{ ui.t(Key::Document) }<input id="beneficiary-document" aria-invalid={invalid(&message, "document")} value={(*document).clone()} oninput={bind(&document)} />{ field_error(&message, "document") }</label>
                <fieldset class="members"><legend>{ ui.t(Key::ExtendsTo) }</legend>{ for member_boxes }{ field_error(&message, "memberIds") }</fieldset>
                <button id="beneficiary-add" type="submit">{ ui.t(Key::AddBenefit) }</button>
            </form>
            }
            <h4>{ ui.t(Key::Subsidies) }</h4>
            <DataTable id="subsidies-table" columns={subsidy_columns} rows={Rows::Ready(subsidy_rows)} />
            <h4>{ ui.t(Key::OpeningBalances) }</h4>
            <DataTable id="opening-balances-table" columns={balance_columns} rows={Rows::Ready(balance_rows)} />
            if may_edit {
            <div id="money-form" class="inline">
                <label>{ ui.t(Key::FieldServices) }{ select("money-service", &services, &money_service) }{ field_error(&message, "serviceId") }</label>
                <label>{ ui.t(Key::Period) }<input id="money-period" type="month" aria-required="true" aria-invalid={invalid(&message, "period")} value={(*month).clone()} oninput={bind(&month)} />{ field_error(&message, "period") }</label>
                <label>{ ui.t(Key::Amount) }<input id="money-amount" inputmode="decimal" aria-required="true" aria-invalid={invalid(&message, "amount")} value={(*amount).clone()} oninput={bind(&amount)} />{ field_error(&message, "amount") }</label>
                <button id="subsidy-save" type="button" onclick={money(false)}>{ ui.t(Key::SaveSubsidy) }</button>
                <button id="balance-save" type="button" onclick={money(true)}>{ ui.t(Key::SaveOpeningBalance) }</button>
            </div>
            }
            { form_error(&message, Some("benefits-message"), &FIELDS) }
        </div>
    }
}
