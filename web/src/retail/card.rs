//! A customer's dossier: its data and invoicing settings, its points and its contracts
//! with their annexes, each saved through its own form; a save reloads the card.

use yew::prelude::*;

use super::Choices;
use super::draft::{Draft, Edit, Fields, codes, input, rows};
use crate::shared::api::{
    self, RetailCustomerCard, SaveRetailContract, SaveRetailCustomer, SaveRetailPoint,
    retail_customer_card, save_retail_contract, save_retail_customer, save_retail_point,
};
use crate::shared::form::{Outcome, form_error, missing};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, use_can};

type Card = retail_customer_card::RetailCard;

const KINDS: [&str; 2] = ["company", "household"];
const DELIVERIES: [&str; 3] = ["email", "post", "portal"];
const GROUPINGS: [&str; 2] = ["customer", "point"];
const VOLTAGES: [&str; 3] = ["low", "medium", "high"];
const METERINGS: [&str; 2] = ["hourly", "profile"];
const PRICE_KINDS: [&str; 3] = ["fixed", "zones", "exchange"];

/// The customer's fields as the form holds them.
fn customer_fields(c: &retail_customer_card::RetailCardCustomer) -> Fields {
    Fields::default()
        .with("branchId", c.branch_id.to_string())
        .with("kind", c.kind.clone())
        .with("name", c.name.clone())
        .with("identifier", c.identifier.clone().unwrap_or_default())
        .with("vatNumber", c.vat_number.clone().unwrap_or_default())
        .with("address", c.address.clone())
        .with("contact", c.contact.clone())
        .with("phone", c.phone.clone())
        .with("email", c.email.clone())
        .with("paymentDays", c.payment_days.to_string())
        .with("delivery", c.delivery.clone())
        .with("invoiceEmail", c.invoice_email.clone())
        .with("grouping", c.grouping.clone())
        .with(
            "intermediaryId",
            c.intermediary_id.map(|i| i.to_string()).unwrap_or_default(),
        )
}

#[derive(Properties, PartialEq)]
pub struct CustomerFormProps {
    pub id: Option<i64>,
    pub initial: Fields,
    pub choices: Choices,
    pub on_saved: Callback<i64>,
}

/// A new customer (no `id`) or its change: basic data and invoicing settings.
#[function_component(CustomerForm)]
pub fn customer_form(props: &CustomerFormProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let d = {
        let initial = props.initial.clone();
        let first_branch = props.choices.branches.first().map(|b| b.0.to_string());
        use_reducer(move || {
            let mut f = initial;
            for (k, v) in [
                ("kind", "company"),
                ("delivery", "email"),
                ("grouping", "customer"),
                ("paymentDays", "10"),
            ] {
                f.0.entry(k).or_insert_with(|| v.to_owned());
            }
            if let Some(b) = first_branch {
                f.0.entry("branchId").or_insert(b);
            }
            f
        })
    };
    // The branches may arrive after the form: the first one is the default.
    {
        let (d, first) = (d.clone(), props.choices.branches.first().map(|b| b.0));
        use_effect_with(first, move |first| {
            if let Some(b) = first
                && d.get("branchId").is_empty()
            {
                d.dispatch(Edit::Set("branchId", b.to_string()));
            }
        });
    }
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let (d, outcome, id, on_saved) =
            (d.clone(), outcome.clone(), props.id, props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(
                &ui,
                &[
                    ("name", d.get("name").as_str()),
                    ("branchId", d.get("branchId").as_str()),
                ],
            ) {
                return outcome.set(Some(Err(refused)));
            }
            let input = save_retail_customer::RetailCustomerInput {
                branch_id: d.id("branchId").unwrap_or(0),
                kind: d.get("kind"),
                name: d.get("name"),
                identifier: d.opt("identifier"),
                vat_number: d.opt("vatNumber"),
                address: d.get("address"),
                contact: d.get("contact"),
                phone: d.get("phone"),
                email: d.get("email"),
                payment_days: d.get("paymentDays").trim().parse().unwrap_or(-1),
                delivery: d.get("delivery"),
                invoice_email: d.get("invoiceEmail"),
                grouping: d.get("grouping"),
                intermediary_id: d.id("intermediaryId"),
            };
            let (outcome, on_saved) = (outcome.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SaveRetailCustomer>(save_retail_customer::Variables { id, input })
                    .await
                {
                    Ok(r) => {
                        outcome.set(Some(Ok(())));
                        on_saved.emit(r.save_retail_customer.customer.id);
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let o = &*outcome;
    let p = "rc";
    let c = &props.choices;
    html! {
        <form id="retail-customer-form" class="card form-grid" {onsubmit}>
            { codes(&ui, &d, o, ("kind", Key::RetailCustomerKind), ("el_customers_kind", &KINDS), p) }
            { input(&ui, &d, o, ("name", Key::Name), "text", p) }
            { input(&ui, &d, o, ("identifier", Key::RetailIdentifier), "text", p) }
            { input(&ui, &d, o, ("vatNumber", Key::RetailVatNumber), "text", p) }
            { rows(&ui, &d, o, ("branchId", Key::ColBranch), &c.branches, false, p) }
            { input(&ui, &d, o, ("address", Key::RetailAddress), "text", p) }
            { input(&ui, &d, o, ("contact", Key::RetailContact), "text", p) }
            { input(&ui, &d, o, ("phone", Key::Phone), "text", p) }
            { input(&ui, &d, o, ("email", Key::Email), "email", p) }
            <h4>{ ui.t(Key::RetailInvoicing) }</h4>
            { input(&ui, &d, o, ("paymentDays", Key::RetailPaymentDays), "number", p) }
            { codes(&ui, &d, o, ("delivery", Key::RetailDelivery), ("el_customers_delivery", &DELIVERIES), p) }
            { input(&ui, &d, o, ("invoiceEmail", Key::RetailInvoiceEmail), "email", p) }
            { codes(&ui, &d, o, ("grouping", Key::RetailGrouping), ("el_customers_grouping", &GROUPINGS), p) }
            { rows(&ui, &d, o, ("intermediaryId", Key::RetailIntermediary), &c.intermediaries, true, p) }
            <button id="rc-submit" type="submit">{ ui.t(Key::Save) }</button>
            { crate::shared::form::receipt(&ui, o, "rc-saved", &["kind", "name", "identifier", "vatNumber", "branchId", "address", "contact", "phone", "email", "paymentDays", "delivery", "invoiceEmail", "grouping", "intermediaryId"]) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub id: i64,
    pub choices: Choices,
    pub on_changed: Callback<()>,
}

#[function_component(RetailCard)]
pub fn retail_card(props: &CardProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let may_update = use_can().allows("subscribers.update");
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<Card, String>>);
    // Which point and contract the forms edit (none: a new one).
    let point = use_state(|| None::<i64>);
    let contract = use_state(|| None::<i64>);
    {
        let (data, id) = (data.clone(), props.id);
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<RetailCustomerCard>(retail_customer_card::Variables { id })
                        .await
                        .map(|d| d.retail_customer),
                ));
            });
        });
    }
    let reload = {
        let (version, changed, point, contract) = (
            version.clone(),
            props.on_changed.clone(),
            point.clone(),
            contract.clone(),
        );
        Callback::from(move |_: i64| {
            point.set(None);
            contract.set(None);
            version.set(*version + 1);
            changed.emit(());
        })
    };
    let body = match &*data {
        None => html! { <p>{ ui.t(Key::Loading) }</p> },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(c)) => {
            let point_rows: Vec<Row> = c
                .points
                .iter()
                .map(|p| {
                    let pick = {
                        let (point, id) = (point.clone(), p.id);
                        Callback::from(move |_| point.set(Some(id)))
                    };
                    Row::new(
                        p.id,
                        vec![
                            Cell::text(p.eic.clone()),
                            Cell::text(p.point_number.clone()),
                            Cell::text(p.grid_operator_name.clone()),
                            Cell::text(labels::code(&ui, "el_points_voltage", &p.voltage)),
                            Cell::text(labels::code(&ui, "el_points_metering", &p.metering)),
                            Cell::text(p.registered_from.clone()),
                            Cell::text(p.registered_to.clone().unwrap_or_default()),
                        ],
                    )
                    .attr("data-eic", p.eic.clone())
                    .on_open(pick)
                })
                .collect();
            let point_columns = vec![
                Column::new("eic", ui.t(Key::RetailEic)).sortable(),
                Column::new("number", ui.t(Key::RetailPointNumber)).sortable(),
                Column::new("operator", ui.t(Key::RetailGridOperator)).sortable(),
                Column::new("voltage", ui.t(Key::RetailVoltage))
                    .sortable()
                    .optional(),
                Column::new("metering", ui.t(Key::RetailMetering)).sortable(),
                Column::new("from", ui.t(Key::RetailRegisteredFrom)).sortable(),
                Column::new("to", ui.t(Key::RetailRegisteredTo)).sortable(),
            ];
            let contract_rows: Vec<Row> = c
                .contracts
                .iter()
                .map(|k| {
                    let pick = {
                        let (contract, id) = (contract.clone(), k.id);
                        Callback::from(move |_| contract.set(Some(id)))
                    };
                    let number = if k.contract_id.is_some() {
                        format!("↳ {}", k.number)
                    } else {
                        k.number.clone()
                    };
                    Row::new(
                        k.id,
                        vec![
                            Cell::text(number),
                            Cell::text(k.signed_on.clone()),
                            Cell::text(k.valid_from.clone()),
                            Cell::text(k.valid_to.clone().unwrap_or_default()),
                            Cell::text(labels::code(&ui, "el_contracts_price_kind", &k.price_kind)),
                            Cell::text(terms(k)),
                        ],
                    )
                    .attr("data-number", k.number.clone())
                    .on_open(pick)
                })
                .collect();
            let contract_columns = vec![
                Column::new("number", ui.t(Key::RetailContractNumber)),
                Column::new("signed", ui.t(Key::SignedOn)),
                Column::new("from", ui.t(Key::ValidFrom)),
                Column::new("to", ui.t(Key::RetailValidTo)),
                Column::new("kind", ui.t(Key::RetailPriceKind)),
                Column::new("terms", ui.t(Key::RetailTerms)),
            ];
            let editing_point =
                (*point).and_then(|id| c.points.iter().find(|p| p.id == id).cloned());
            let editing_contract =
                (*contract).and_then(|id| c.contracts.iter().find(|k| k.id == id).cloned());
            let all_contracts: Vec<(i64, String)> = c
                .contracts
                .iter()
                .map(|k| (k.id, k.number.clone()))
                .collect();
            let contracts_only: Vec<(i64, String)> = c
                .contracts
                .iter()
                .filter(|k| k.contract_id.is_none())
                .map(|k| (k.id, k.number.clone()))
                .collect();
            html! {
                <>
                <h3 id="retail-title">{ &c.customer.name }</h3>
                <dl class="facts">
                    <dt>{ ui.t(Key::RetailCustomerKind) }</dt><dd>{ labels::code(&ui, "el_customers_kind", &c.customer.kind) }</dd>
                    <dt>{ ui.t(Key::RetailIdentifier) }</dt><dd>{ c.customer.identifier.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ ui.t(Key::ColBranch) }</dt><dd>{ &c.branch_name }</dd>
                    <dt>{ ui.t(Key::RetailIntermediary) }</dt><dd>{ c.intermediary_name.clone().unwrap_or_else(|| "—".into()) }</dd>
                </dl>
                if may_update {
                    <details class="edit">
                        <summary>{ ui.t(Key::Edit) }</summary>
                        <CustomerForm key={format!("c{}", *version)} id={Some(c.customer.id)} initial={customer_fields(&c.customer)} choices={props.choices.clone()} on_saved={reload.clone()} />
                    </details>
                }
                <h4>{ ui.t(Key::RetailPoints) }</h4>
                <DataTable id="retail-points" columns={point_columns} rows={Rows::Ready(point_rows)} page_size={0} />
                if may_update {
                    <PointForm key={format!("p{:?}{}", *point, *version)} customer={c.customer.id} point={editing_point}
                        choices={props.choices.clone()} on_saved={reload.clone()} />
                }
                <h4>{ ui.t(Key::RetailContracts) }</h4>
                <DataTable id="retail-contracts" columns={contract_columns} rows={Rows::Ready(contract_rows)} page_size={0} />
                if may_update {
                    <ContractForm key={format!("k{:?}{}", *contract, *version)} customer={c.customer.id} contract={editing_contract}
                        contracts={contracts_only} on_saved={reload.clone()} />
                }
                <super::papers::Papers customer={c.customer.id} documents={c.documents.clone()}
                    contracts={all_contracts} on_saved={reload.clone()} />
                </>
            }
        }
    };
    html! { <section id="retail-card" class="card-view">{ body }</section> }
}

/// The terms in a few words: "231.5 / 148.2 / 290" for zones, "+6.8" over the exchange;
/// the bounds after, as "(90–320)", "(≥ 90)" or "(≤ 320)".
fn terms(k: &retail_customer_card::RetailCardContracts) -> String {
    let main = match k.price_kind.as_str() {
        "fixed" => k.price.clone().unwrap_or_default(),
        "zones" => [&k.price_day, &k.price_night, &k.price_peak]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" / "),
        _ => format!("+{}", k.margin.clone().unwrap_or_default()),
    };
    match (&k.price_min, &k.price_max) {
        (Some(min), Some(max)) => format!("{main} ({min}–{max})"),
        (Some(min), None) => format!("{main} (≥ {min})"),
        (None, Some(max)) => format!("{main} (≤ {max})"),
        (None, None) => main,
    }
}

#[derive(Properties, PartialEq)]
struct PointProps {
    customer: i64,
    point: Option<retail_customer_card::RetailCardPoints>,
    choices: Choices,
    on_saved: Callback<i64>,
}

#[function_component(PointForm)]
fn point_form(props: &PointProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let d: Draft = {
        let (p, first) = (
            props.point.clone(),
            props.choices.operators.first().map(|o| o.0),
        );
        use_reducer(move || match p {
            Some(p) => Fields::default()
                .with("eic", p.eic)
                .with("pointNumber", p.point_number)
                .with("gridOperatorId", p.grid_operator_id.to_string())
                .with("voltage", p.voltage)
                .with("metering", p.metering)
                .with("profile", p.profile)
                .with("address", p.address)
                .with("registeredFrom", p.registered_from)
                .with("registeredTo", p.registered_to.unwrap_or_default()),
            None => Fields::default()
                .with("voltage", "low")
                .with("metering", "hourly")
                .with(
                    "gridOperatorId",
                    first.map(|f| f.to_string()).unwrap_or_default(),
                ),
        })
    };
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let (d, outcome, on_saved) = (d.clone(), outcome.clone(), props.on_saved.clone());
        let (customer, id) = (props.customer, props.point.as_ref().map(|p| p.id));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let required = [
                ("eic", d.get("eic")),
                ("gridOperatorId", d.get("gridOperatorId")),
                ("registeredFrom", d.get("registeredFrom")),
            ];
            let required: Vec<(&'static str, &str)> =
                required.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(refused) = missing(&ui, &required) {
                return outcome.set(Some(Err(refused)));
            }
            let input = save_retail_point::RetailPointInput {
                eic: d.get("eic"),
                point_number: d.get("pointNumber"),
                grid_operator_id: d.id("gridOperatorId").unwrap_or(0),
                voltage: d.get("voltage"),
                metering: d.get("metering"),
                profile: d.get("profile"),
                address: d.get("address"),
                registered_from: d.get("registeredFrom"),
                registered_to: d.opt("registeredTo"),
            };
            let variables = save_retail_point::Variables {
                customer_id: id.is_none().then_some(customer),
                id,
                input,
            };
            let (outcome, on_saved) = (outcome.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SaveRetailPoint>(variables).await {
                    Ok(_) => on_saved.emit(customer),
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let o = &*outcome;
    let p = "rp";
    let title = if props.point.is_some() {
        ui.t(Key::Edit)
    } else {
        ui.t(Key::RetailAddPoint)
    };
    html! {
        <form id="retail-point-form" class="card form-grid" {onsubmit}>
            <h4>{ title }</h4>
            { input(&ui, &d, o, ("eic", Key::RetailEic), "text", p) }
            { input(&ui, &d, o, ("pointNumber", Key::RetailPointNumber), "text", p) }
            { rows(&ui, &d, o, ("gridOperatorId", Key::RetailGridOperator), &props.choices.operators, false, p) }
            { codes(&ui, &d, o, ("voltage", Key::RetailVoltage), ("el_points_voltage", &VOLTAGES), p) }
            { codes(&ui, &d, o, ("metering", Key::RetailMetering), ("el_points_metering", &METERINGS), p) }
            if d.get("metering") == "profile" {
                { input(&ui, &d, o, ("profile", Key::RetailProfile), "text", p) }
            }
            { input(&ui, &d, o, ("address", Key::RetailAddress), "text", p) }
            { input(&ui, &d, o, ("registeredFrom", Key::RetailRegisteredFrom), "date", p) }
            { input(&ui, &d, o, ("registeredTo", Key::RetailRegisteredTo), "date", p) }
            <button id="rp-submit" type="submit">{ ui.t(Key::Save) }</button>
            { form_error(o, Some("rp-message"), &["eic", "pointNumber", "gridOperatorId", "voltage", "metering", "profile", "address", "registeredFrom", "registeredTo"]) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ContractProps {
    customer: i64,
    contract: Option<retail_customer_card::RetailCardContracts>,
    /// The customer's contracts (not annexes): what a new annex may amend.
    contracts: Vec<(i64, String)>,
    on_saved: Callback<i64>,
}

const PRICES: [(&str, Key); 7] = [
    ("price", Key::RetailPrice),
    ("priceDay", Key::RetailPriceDay),
    ("priceNight", Key::RetailPriceNight),
    ("pricePeak", Key::RetailPricePeak),
    ("margin", Key::RetailMargin),
    ("priceMin", Key::RetailPriceMin),
    ("priceMax", Key::RetailPriceMax),
];

/// The price fields a kind of price shows (the bounds with every kind).
fn shown(kind: &str, field: &str) -> bool {
    match field {
        "price" => kind == "fixed",
        "priceDay" | "priceNight" | "pricePeak" => kind == "zones",
        "margin" => kind == "exchange",
        _ => true,
    }
}

#[function_component(ContractForm)]
fn contract_form(props: &ContractProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let d: Draft = {
        let k = props.contract.clone();
        use_reducer(move || match k {
            Some(k) => Fields::default()
                .with("number", k.number)
                .with("signedOn", k.signed_on)
                .with("validFrom", k.valid_from)
                .with("validTo", k.valid_to.unwrap_or_default())
                .with("priceKind", k.price_kind)
                .with("price", k.price.unwrap_or_default())
                .with("priceDay", k.price_day.unwrap_or_default())
                .with("priceNight", k.price_night.unwrap_or_default())
                .with("pricePeak", k.price_peak.unwrap_or_default())
                .with("margin", k.margin.unwrap_or_default())
                .with("priceMin", k.price_min.unwrap_or_default())
                .with("priceMax", k.price_max.unwrap_or_default())
                .with("note", k.note),
            None => Fields::default().with("priceKind", "fixed"),
        })
    };
    let outcome = use_state(|| None as Outcome);
    let onsubmit = {
        let (d, outcome, on_saved) = (d.clone(), outcome.clone(), props.on_saved.clone());
        let (customer, id) = (props.customer, props.contract.as_ref().map(|k| k.id));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let required = [
                ("number", d.get("number")),
                ("signedOn", d.get("signedOn")),
                ("validFrom", d.get("validFrom")),
            ];
            let required: Vec<(&'static str, &str)> =
                required.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(refused) = missing(&ui, &required) {
                return outcome.set(Some(Err(refused)));
            }
            let kind = d.get("priceKind");
            // Prices of another kind stay in the form but are not sent.
            let price = |f: &str| d.opt(f).filter(|_| shown(&kind, f));
            let input = save_retail_contract::RetailContractInput {
                number: d.get("number"),
                signed_on: d.get("signedOn"),
                valid_from: d.get("validFrom"),
                valid_to: d.opt("validTo"),
                price: price("price"),
                price_day: price("priceDay"),
                price_night: price("priceNight"),
                price_peak: price("pricePeak"),
                margin: price("margin"),
                price_min: price("priceMin"),
                price_max: price("priceMax"),
                note: d.get("note"),
                price_kind: kind.clone(),
            };
            let annex_of = d.id("annexOf").filter(|_| id.is_none());
            let variables = save_retail_contract::Variables {
                customer_id: (id.is_none() && annex_of.is_none()).then_some(customer),
                annex_of,
                id,
                input,
            };
            let (outcome, on_saved) = (outcome.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SaveRetailContract>(variables).await {
                    Ok(_) => on_saved.emit(customer),
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let o = &*outcome;
    let p = "rk";
    let kind = d.get("priceKind");
    let title = if props.contract.is_some() {
        ui.t(Key::Edit)
    } else {
        ui.t(Key::RetailAddContract)
    };
    let prices = PRICES
        .iter()
        .filter(|(f, _)| shown(&kind, f))
        .map(|(f, key)| input(&ui, &d, o, (f, *key), "text", p));
    html! {
        <form id="retail-contract-form" class="card form-grid" {onsubmit}>
            <h4>{ title }</h4>
            if props.contract.is_none() {
                { rows(&ui, &d, o, ("annexOf", Key::RetailAnnexOf), &props.contracts, true, p) }
            }
            { input(&ui, &d, o, ("number", Key::RetailContractNumber), "text", p) }
            { input(&ui, &d, o, ("signedOn", Key::SignedOn), "date", p) }
            { input(&ui, &d, o, ("validFrom", Key::ValidFrom), "date", p) }
            { input(&ui, &d, o, ("validTo", Key::RetailValidTo), "date", p) }
            { codes(&ui, &d, o, ("priceKind", Key::RetailPriceKind), ("el_contracts_price_kind", &PRICE_KINDS), p) }
            { for prices }
            { input(&ui, &d, o, ("note", Key::RetailNote), "text", p) }
            <button id="rk-submit" type="submit">{ ui.t(Key::Save) }</button>
            { form_error(o, Some("rk-message"), &["number", "signedOn", "validFrom", "validTo", "priceKind", "price", "priceDay", "priceNight", "pricePeak", "margin", "priceMin", "priceMax", "note", "contractId", "id"]) }
        </form>
    }
}
