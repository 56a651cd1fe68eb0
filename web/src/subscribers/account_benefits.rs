//! The account card's benefits (beneficiaries with the residents a benefit extends to),
//! subsidies per service and period, and opening balances per service.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, AddBeneficiary, BenefitChoices, DeleteSubsidy, EndBeneficiary, PriceChoices,
    RemoveBeneficiary, SetOpeningBalance, SetSubsidy, account_card, add_beneficiary,
    benefit_choices, delete_subsidy, end_beneficiary, price_choices, remove_beneficiary,
    set_opening_balance, set_subsidy,
};
use crate::shared::confirm::confirm;
use crate::shared::i18n::Key;
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

/// Runs a mutation; on success tells the card to reload, else shows the error.
fn run<F>(message: &UseStateHandle<Option<String>>, changed: &Callback<()>, call: F)
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
            Err(e) => message.set(Some(error_text(&e))),
        }
    });
}

#[function_component(AccountBenefitsPanel)]
pub fn account_benefits_panel(props: &Props) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_edit = use_can().allows("accounts.update");
    let benefits = use_options("benefits");
    let services = use_options("services");
    let message = use_state(|| None::<String>);
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
    let beneficiary_rows = c.beneficiaries.iter().map(|b| {
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
            let (id, end_on, message, changed) = (b.id, end_on.clone(), message.clone(), props.on_changed.clone());
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
        html! {
            <tr>
                <td>{ &b.full_name }</td>
                <td>{ format!("{} ({}%)", b.benefit_name, b.percent) }</td>
                <td>{ format!("{} — {}", b.starts_on, b.ends_on.clone().unwrap_or_else(|| "…".into())) }</td>
                <td>{ b.document.clone().unwrap_or_default() }</td>
                <td class="members">{ members_text }</td>
                if may_edit {
                    <td class="actions">
                        <button class="end-benefit" onclick={end}>{ ui.t(Key::EndOn) }</button>
                        <button class="delete" onclick={remove}>{ ui.t(Key::Delete) }</button>
                    </td>
                }
            </tr>
        }
    });

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
        html! {
            <tr>
                <td>{ &s.period }</td><td>{ &s.service_name }</td><td class="num">{ &s.amount }</td>
                <td>{ if s.used { "✓" } else { "" } }</td>
                if may_edit { <td class="actions"><button class="delete" disabled={s.used} onclick={remove}>{ ui.t(Key::Delete) }</button></td> }
            </tr>
        }
    });
    let balance_rows = c.opening_balances.iter().map(|b| {
        html! { <tr><td>{ &b.period }</td><td>{ &b.service_name }</td><td class="num">{ &b.amount }</td></tr> }
    });
    html! {
        <div class="account-benefits">
            <h4>{ crate::shared::labels::code(&ui, "Book", "BENEFITS") }</h4>
            <table id="beneficiaries-table" class="grid">
                <thead><tr>
                    <th>{ ui.t(Key::FullName) }</th><th>{ crate::shared::labels::code(&ui, "Book", "BENEFITS") }</th><th>{ ui.t(Key::Period) }</th>
                    <th>{ ui.t(Key::Document) }</th><th>{ ui.t(Key::ExtendsTo) }</th><th></th>
                </tr></thead>
                <tbody>{ for beneficiary_rows }</tbody>
            </table>
            if may_edit {
            <div class="inline">
                <label>{ ui.t(Key::EndOn) }<input id="benefit-end-on" type="date" value={(*end_on).clone()} oninput={bind(&end_on)} /></label>
            </div>
            <form id="add-beneficiary" class="inline" onsubmit={on_add}>
                { select("beneficiary-resident", &residents, &holder) }
                { select("beneficiary-benefit", &benefits, &benefit) }
                <input id="beneficiary-from" type="date" value={(*from).clone()} oninput={bind(&from)} />
                <input id="beneficiary-document" placeholder={ui.t(Key::Document)} value={(*document).clone()} oninput={bind(&document)} />
                <fieldset class="members"><legend>{ ui.t(Key::ExtendsTo) }</legend>{ for member_boxes }</fieldset>
                <button id="beneficiary-add" type="submit">{ ui.t(Key::AddBenefit) }</button>
            </form>
            }
            <h4>{ ui.t(Key::Subsidies) }</h4>
            <table id="subsidies-table" class="grid">
                <thead><tr><th>{ ui.t(Key::Period) }</th><th>{ ui.t(Key::FieldServices) }</th><th>{ ui.t(Key::Amount) }</th><th>{ ui.t(Key::UsedInInvoice) }</th><th></th></tr></thead>
                <tbody>{ for subsidy_rows }</tbody>
            </table>
            <h4>{ ui.t(Key::OpeningBalances) }</h4>
            <table id="opening-balances-table" class="grid">
                <thead><tr><th>{ ui.t(Key::Period) }</th><th>{ ui.t(Key::FieldServices) }</th><th>{ ui.t(Key::Amount) }</th></tr></thead>
                <tbody>{ for balance_rows }</tbody>
            </table>
            if may_edit {
            <div id="money-form" class="inline">
                { select("money-service", &services, &money_service) }
                <input id="money-period" type="month" value={(*month).clone()} oninput={bind(&month)} />
                <input id="money-amount" inputmode="decimal" placeholder={ui.t(Key::Amount)} value={(*amount).clone()} oninput={bind(&amount)} />
                <button id="subsidy-save" type="button" onclick={money(false)}>{ ui.t(Key::SaveSubsidy) }</button>
                <button id="balance-save" type="button" onclick={money(true)}>{ ui.t(Key::SaveOpeningBalance) }</button>
            </div>
            }
            if let Some(m) = &*message { <p id="benefits-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}
