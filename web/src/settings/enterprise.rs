//! The enterprise card (seed 001 §2.2, «Картка підприємства»): the utility's name and
//! codes, addresses, management, tax office and its bank accounts, each account's bank
//! chosen from the banks book; saved whole, refusals shown under the field they name.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::shared::api::{
    self, EnterpriseQuery, PickBookItems, UpdateEnterprise, enterprise_query, pick_book_items,
    update_enterprise,
};
use crate::shared::form::{Outcome, field_error, invalid, receipt};
use crate::shared::i18n::Key;
use crate::shell::{Ui, use_can};

/// The card's text fields in screen order: the API's name, the input's id, the label.
const FIELDS: [(&str, &str, Key); 12] = [
    ("legalName", "ent-legal-name", Key::EntLegalName),
    ("taxCode", "ent-tax-code", Key::EntTaxCode),
    ("activityKind", "ent-activity", Key::EntActivity),
    ("ownershipForm", "ent-ownership", Key::EntOwnership),
    ("legalAddress", "ent-legal-address", Key::EntLegalAddress),
    ("postalAddress", "ent-postal-address", Key::EntPostalAddress),
    ("directorName", "ent-director", Key::EntDirector),
    ("directorTaxId", "ent-director-tax", Key::EntDirectorTaxId),
    ("accountantName", "ent-accountant", Key::EntAccountant),
    (
        "accountantTaxId",
        "ent-accountant-tax",
        Key::EntAccountantTaxId,
    ),
    (
        "taxOfficeCode",
        "ent-tax-office-code",
        Key::EntTaxOfficeCode,
    ),
    ("taxOfficeName", "ent-tax-office", Key::EntTaxOffice),
];

/// Where each group of the card begins (seed 001's tabs): the first field's index.
const GROUPS: [(usize, Key); 4] = [
    (0, Key::EntGroupEnterprise),
    (4, Key::EntGroupAddresses),
    (6, Key::EntGroupManagement),
    (10, Key::EntGroupTaxOffice),
];

/// The account kinds the API takes.
const KINDS: [&str; 4] = ["current", "deposit", "budget", "other"];

/// One row of the accounts table as typed.
#[derive(Clone, PartialEq, Default)]
struct Row {
    bank_id: Option<i64>,
    account: String,
    kind: String,
    main: bool,
}

#[function_component(EnterpriseCard)]
pub fn enterprise_card() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_save = use_can().allows("settings.update");
    let values = use_state(BTreeMap::<&'static str, String>::new);
    let rows = use_state(Vec::<Row>::new);
    let banks = use_state(Vec::<(i64, String)>::new);
    let outcome = use_state(|| None as Outcome);
    {
        let (values, rows, banks) = (values.clone(), rows.clone(), banks.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let book = pick_book_items::Book::BANKS;
                if let Ok(d) =
                    api::run::<PickBookItems>(pick_book_items::Variables { book, search: None })
                        .await
                {
                    banks.set(
                        d.reference_book
                            .items
                            .into_iter()
                            .filter(|b| b.active)
                            .map(|b| (b.id, format!("{} · {}", b.name, b.code)))
                            .collect(),
                    );
                }
                if let Ok(d) = api::run::<EnterpriseQuery>(enterprise_query::Variables {}).await {
                    let e = d.enterprise;
                    let read = [
                        e.legal_name,
                        e.tax_code,
                        e.activity_kind,
                        e.ownership_form,
                        e.legal_address,
                        e.postal_address,
                        e.director_name,
                        e.director_tax_id,
                        e.accountant_name,
                        e.accountant_tax_id,
                        e.tax_office_code,
                        e.tax_office_name,
                    ];
                    values.set(FIELDS.iter().map(|f| f.0).zip(read).collect());
                    rows.set(
                        e.bank_accounts
                            .into_iter()
                            .map(|a| Row {
                                bank_id: Some(a.bank_id),
                                account: a.account,
                                kind: a.kind,
                                main: a.main,
                            })
                            .collect(),
                    );
                }
            });
        });
    }
    let text_input = |(name, id, key): &(&'static str, &'static str, Key)| {
        let value = values.get(name).cloned().unwrap_or_default();
        let oninput = {
            let (values, name) = (values.clone(), *name);
            Callback::from(move |e: InputEvent| {
                let mut v = (*values).clone();
                v.insert(
                    name,
                    e.target_unchecked_into::<web_sys::HtmlInputElement>()
                        .value(),
                );
                values.set(v);
            })
        };
        html! {
            <label>{ ui.t(*key) }
                <input id={*id} {value} {oninput} aria-invalid={invalid(&outcome, name)} />
                { field_error(&outcome, name) }
            </label>
        }
    };
    let groups = GROUPS.iter().enumerate().map(|(g, (from, title))| {
        let to = GROUPS.get(g + 1).map_or(FIELDS.len(), |n| n.0);
        html! {
            <fieldset class="ent-group">
                <legend>{ ui.t(*title) }</legend>
                { for FIELDS[*from..to].iter().map(text_input) }
            </fieldset>
        }
    });
    let edit_row = |i: usize, change: fn(&mut Row, String)| {
        let rows = rows.clone();
        Callback::from(move |value: String| {
            let mut v = (*rows).clone();
            if let Some(r) = v.get_mut(i) {
                change(r, value);
            }
            rows.set(v);
        })
    };
    let account_rows = rows.iter().enumerate().map(|(i, r)| {
        let on_bank = edit_row(i, |r, v| r.bank_id = v.parse().ok());
        let on_account = edit_row(i, |r, v| r.account = v);
        let on_kind = edit_row(i, |r, v| r.kind = v);
        let on_main = {
            let rows = rows.clone();
            Callback::from(move |_: Event| {
                let v = rows
                    .iter()
                    .enumerate()
                    .map(|(j, r)| Row {
                        main: j == i,
                        ..r.clone()
                    })
                    .collect();
                rows.set(v);
            })
        };
        let remove = {
            let rows = rows.clone();
            Callback::from(move |_: MouseEvent| {
                let mut v = (*rows).clone();
                v.remove(i);
                rows.set(v);
            })
        };
        let select = |e: Event| {
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value()
        };
        html! {
            <tr class="ent-account" data-row={i.to_string()}>
                <td>
                    <select class="ent-bank" aria-label={ui.t(Key::EntBank)} onchange={move |e: Event| on_bank.emit(select(e))}>
                        <option value="" selected={r.bank_id.is_none()}>{ "—" }</option>
                        { for banks.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={r.bank_id == Some(*id)}>{ name }</option> }) }
                    </select>
                </td>
                <td><input class="ent-iban" aria-label={ui.t(Key::EntAccountNumber)} value={r.account.clone()}
                    oninput={move |e: InputEvent| on_account.emit(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())} /></td>
                <td>
                    <select class="ent-kind" aria-label={ui.t(Key::EntAccountKind)} onchange={move |e: Event| on_kind.emit(select(e))}>
                        { for KINDS.iter().map(|k| html! { <option value={*k} selected={r.kind == *k}>{ crate::shared::labels::code(&ui, "enterprise_accounts_kind", k) }</option> }) }
                    </select>
                </td>
                <td><input type="radio" name="ent-main" class="ent-main" aria-label={ui.t(Key::EntMain)} checked={r.main} onchange={on_main} /></td>
                <td><button type="button" class="ent-remove" onclick={remove}>{ ui.t(Key::Delete) }</button></td>
            </tr>
        }
    });
    let add_row = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut v = (*rows).clone();
            v.push(Row {
                kind: "current".into(),
                main: v.is_empty(),
                ..Row::default()
            });
            rows.set(v);
        })
    };
    let save = {
        let (values, rows, outcome) = (values.clone(), rows.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = |name: &str| values.get(name).cloned().unwrap_or_default();
            let input = update_enterprise::EnterpriseInput {
                legal_name: v("legalName"),
                tax_code: v("taxCode"),
                legal_address: v("legalAddress"),
                postal_address: v("postalAddress"),
                activity_kind: v("activityKind"),
                ownership_form: v("ownershipForm"),
                director_name: v("directorName"),
                director_tax_id: v("directorTaxId"),
                accountant_name: v("accountantName"),
                accountant_tax_id: v("accountantTaxId"),
                tax_office_code: v("taxOfficeCode"),
                tax_office_name: v("taxOfficeName"),
                bank_accounts: rows
                    .iter()
                    .map(|r| update_enterprise::EnterpriseAccountInput {
                        // No bank chosen: 0 names none, and the server says which field.
                        bank_id: r.bank_id.unwrap_or(0),
                        bank_account: r.account.clone(),
                        kind: r.kind.clone(),
                        main: r.main,
                    })
                    .collect(),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<UpdateEnterprise>(update_enterprise::Variables { input }).await;
                outcome.set(Some(r.map(|_| ())));
            });
        })
    };
    let row_fields = ["bankAccounts", "bankId", "bankAccount", "kind", "main"];
    let mut named: Vec<&str> = FIELDS.iter().map(|f| f.0).collect();
    named.extend(row_fields);
    html! {
        <form id="enterprise-card" class="card" novalidate=true onsubmit={save}>
            <h3>{ ui.t(Key::EntTitle) }</h3>
            { for groups }
            <fieldset class="ent-group">
                <legend>{ ui.t(Key::EntGroupAccounts) }</legend>
                <table id="ent-accounts" class="data">
                    <thead><tr>
                        <th>{ ui.t(Key::EntBank) }</th><th>{ ui.t(Key::EntAccountNumber) }</th>
                        <th>{ ui.t(Key::EntAccountKind) }</th><th>{ ui.t(Key::EntMain) }</th><th></th>
                    </tr></thead>
                    <tbody>{ for account_rows }</tbody>
                </table>
                <button id="ent-add-account" type="button" onclick={add_row}>{ ui.t(Key::EntAddAccount) }</button>
                { for row_fields.iter().map(|f| field_error(&outcome, f)) }
            </fieldset>
            if may_save { <button id="ent-save" type="submit">{ ui.t(Key::Save) }</button> }
            { receipt(&ui, &outcome, "ent-saved", &named) }
        </form>
    }
}
