//! The payments screens (seed 000 Fig. 18, seed 001 §4.7): the search by subscriber,
//! source and periods with its totals and XLSX export, cancelling a payment; entering a
//! payment with the paid invoice pulled in and its split (the tenant's rule, in
//! proportion, by priority, by hand); and batches coloured by state — created with
//! control figures, rows entered by account number, posted, cancelled, deleted.

pub mod payment_files;

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::{bind, error_text, opt};
use crate::shared::api::{
    self, CancelPayment, CancelPaymentBatch, CreatePayment, CreatePaymentBatch, DeletePaymentBatch,
    PaymentBatch, PaymentBatches, PaymentDue, PaymentRules, Payments, PostPaymentBatch,
    SetPaymentBatchItems, UpdatePaymentSettings, cancel_payment, cancel_payment_batch,
    create_payment, create_payment_batch, delete_payment_batch, payment_batch, payment_batches,
    payment_due, payment_rules, payments, post_payment_batch, request_list_export,
    set_payment_batch_items, update_payment_settings,
};
use crate::shared::confirm::confirm;
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::form::{Outcome, field_error, form_error, invalid, missing};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, server_pager};
use crate::shell::Ui;
use crate::shell::routes::{NavLink, Route};

const PAGE: i64 = 50;

type Rules = Option<Result<payment_rules::ResponseData, String>>;

/// The open period's rules, the banks and the services (loaded once per screen).
#[hook]
fn use_rules() -> UseStateHandle<Rules> {
    let rules = use_state(|| None as Rules);
    {
        let rules = rules.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                rules.set(Some(
                    api::run::<PaymentRules>(payment_rules::Variables {}).await,
                ));
            });
        });
    }
    rules
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    /// May enter and change payments.
    pub can_edit: bool,
    /// May cancel payments and batches.
    pub can_cancel: bool,
    /// The route's tab (`batches`); None: the payments list.
    #[prop_or_default]
    pub tab: Option<String>,
}

/// A payment's split as the server words it ("Service: 9.51; Other: 1.24"), its amounts
/// written as the user's language writes them.
fn shares(ui: &Ui, text: &str) -> String {
    text.split("; ")
        .map(|part| match part.rsplit_once(": ") {
            Some((name, amount))
                if !amount.is_empty()
                    && amount
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '-') =>
            {
                format!("{name}: {}", ui.amount(amount))
            }
            _ => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[function_component(PaymentsSection)]
pub fn payments_section(props: &SectionProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    // The route's tab: `/payments/batches`, else the list.
    let tab = u8::from(props.tab.as_deref() == Some("batches"));
    let rules = use_rules();
    let generation = use_state(|| 0u32);
    let refresh = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let tabs = [
        (
            0u8,
            Key::PayTabPayments,
            "payments-tab-list",
            Route::Payments,
        ),
        (
            1,
            Key::PayTabBatches,
            "payments-tab-batches",
            Route::PaymentsTab {
                tab: "batches".to_owned(),
            },
        ),
    ];
    let body = match &*rules {
        None => html! { <p class="loading">{ ui.t(Key::Loading) }</p> },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(r)) if tab == 0 => html! {
            <>
                if props.can_edit { <NewPayment rules={r.clone()} on_done={refresh.clone()} /> }
                <PaymentList generation={*generation} can_cancel={props.can_cancel} banks={r.banks.items.iter().map(|b| (b.id, b.name.clone())).collect::<Vec<_>>()} />
            </>
        },
        Some(Ok(r)) => {
            html! { <Batches rules={r.clone()} can_edit={props.can_edit} can_cancel={props.can_cancel} /> }
        }
    };
    html! {
        <section id="payments-section">
            <MenuDashboard menu={DashboardMenu::PAYMENTS} />
            <div class="tabs">
                { for tabs.iter().map(|(i, key, id, to)| html! {
                    <NavLink to={to.clone()} id={*id} class={classes!("tab", (tab == *i).then_some("active"))}>{ ui.t(*key) }</NavLink>
                }) }
                if let Some(Ok(r)) = &*rules {
                    <span class="hint">{ format!("{}: {}", ui.t(Key::PayOpenPeriod), r.payment_rules.open_period) }</span>
                }
            </div>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ListProps {
    generation: u32,
    can_cancel: bool,
    banks: Vec<(i64, String)>,
}

/// The search (seed 000 Fig. 18) with its totals, a page at a time, and the XLSX export.
#[function_component(PaymentList)]
fn payment_list(props: &ListProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let subscriber = use_state(String::new);
    let source = use_state(String::new);
    let bank = use_state(String::new);
    let from = use_state(String::new);
    let to = use_state(String::new);
    let with_cancelled = use_state(|| false);
    let offset = use_state(|| 0i64);
    let data = use_state(|| None::<Result<payments::PaymentsPayments, String>>);
    let applied = use_state(|| 0u32);
    let cancelled = use_state(|| 0u32);
    // The server sorts: the newest receipt first unless a header asks otherwise.
    let order = use_state(|| Some(("received", true)));
    let filter = payments::PaymentFilter {
        subscriber: opt(&subscriber),
        account_id: None,
        source: match source.as_str() {
            "BANK" => Some(payments::PaymentSource::BANK),
            "CASH_DESK" => Some(payments::PaymentSource::CASH_DESK),
            "BATCH" => Some(payments::PaymentSource::BATCH),
            "FILE" => Some(payments::PaymentSource::FILE),
            _ => None,
        },
        bank_id: bank.parse().ok(),
        batch_id: None,
        file_id: None,
        from: opt(&from),
        to: opt(&to),
        with_cancelled: *with_cancelled,
    };
    let latest = api::use_latest();
    {
        let (data, filter, latest) = (data.clone(), filter.clone(), latest.clone());
        use_effect_with(
            (props.generation, *applied, *offset, *cancelled, *order),
            move |(_, _, off, _, order)| {
                let sort = match order {
                    Some(("amount", true)) => payments::PaymentSort::AMOUNT_DESC,
                    Some(("amount", false)) => payments::PaymentSort::AMOUNT_ASC,
                    Some(("account", _)) => payments::PaymentSort::ACCOUNT,
                    Some(("received", false)) => payments::PaymentSort::RECEIVED_ASC,
                    _ => payments::PaymentSort::RECEIVED_DESC,
                };
                let vars = payments::Variables {
                    filter,
                    sort,
                    offset: *off,
                    limit: PAGE,
                };
                let ticket = latest.next();
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = api::run::<Payments>(vars).await.map(|d| d.payments);
                    if latest.is(ticket) {
                        data.set(Some(answer));
                    }
                });
            },
        );
    }
    let search = {
        let (applied, offset) = (applied.clone(), offset.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            offset.set(0);
            applied.set(*applied + 1);
        })
    };
    let export_filter = Some(request_list_export::PaymentFilter {
        subscriber: filter.subscriber.clone(),
        account_id: None,
        source: match source.as_str() {
            "BANK" => Some(request_list_export::PaymentSource::BANK),
            "CASH_DESK" => Some(request_list_export::PaymentSource::CASH_DESK),
            "BATCH" => Some(request_list_export::PaymentSource::BATCH),
            "FILE" => Some(request_list_export::PaymentSource::FILE),
            _ => None,
        },
        bank_id: filter.bank_id,
        batch_id: None,
        file_id: None,
        from: filter.from.clone(),
        to: filter.to.clone(),
        with_cancelled: filter.with_cancelled,
    });
    let rows = data.as_ref().map(|r| {
        r.as_ref().map(|p| {
            p.rows
                .iter()
                .map(|r| {
                    let cancel = {
                        let (id, cancelled) = (r.id, cancelled.clone());
                        Callback::from(move |e: MouseEvent| {
                            e.stop_propagation();
                            if !confirm(&ui, Key::ConfirmCancelPayment) {
                                return;
                            }
                            let cancelled = cancelled.clone();
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<CancelPayment>(cancel_payment::Variables { id }).await {
                                    Ok(_) => cancelled.set(*cancelled + 1),
                                    Err(e) => {
                                        let _ = web_sys::window().map(|w| w.alert_with_message(&e.message));
                                    }
                                }
                            });
                        })
                    };
                    let source = [r.statement.clone(), r.batch_number.clone(), r.file_name.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" / ");
                    let kind = labels::payment_kind(&ui, &r.kind);
                    let action = if r.cancelled_at.is_some() {
                        html! { { ui.t(Key::Cancelled) } }
                    } else if let Some(act) = &r.cancelled_by_act {
                        html! { <span class="closed-by-act" data-act={act.clone()}>{ ui.t(Key::PayClosedByAct).replace("{n}", act) }</span> }
                    } else if props.can_cancel {
                        html! { <button class="cancel-payment" onclick={cancel}>{ ui.t(Key::PayCancelPayment) }</button> }
                    } else {
                        html! {}
                    };
                    Row::new(
                        r.id,
                        vec![
                            Cell::text(r.account_number.clone()),
                            Cell::text(r.holder_name.clone()),
                            Cell::text(r.received_on.clone()),
                            Cell::text(r.paid_on.clone()),
                            Cell::text(r.charge_period.get(..7).unwrap_or_default()),
                            Cell::number(r.amount.clone(), ui.money(&r.amount))
                                .attr("data-amount", r.amount.clone()),
                            Cell::text(format!("{kind} {}", r.bank_name.clone().unwrap_or_default())),
                            Cell::text(source),
                            Cell::text(shares(&ui, r.lines.as_deref().unwrap_or_default())).class("small"),
                            Cell::html(action),
                        ],
                    )
                    .class(classes!(r.cancelled_at.is_some().then_some("cancelled")))
                })
                .collect::<Vec<_>>()
        })
    });
    let (totals, footer) = match &*data {
        Some(Ok(p)) => {
            let said = ui
                .t(Key::PayFoundTotal)
                .replace("{n}", &p.totals.count.to_string())
                .replace("{s}", &ui.money(&p.totals.amount));
            (
                html! { <p id="payments-totals" role="status" data-count={p.totals.count.to_string()} data-amount={p.totals.amount.clone()}>{ said }</p> },
                (p.totals.count > 0).then(|| server_pager(&ui, &offset, PAGE, p.totals.count)),
            )
        }
        _ => (html! {}, None),
    };
    let columns = vec![
        Column::new("account", ui.t(Key::ColAccount)).sortable(),
        Column::new("holder", ui.t(Key::ColName)),
        Column::new("received", ui.t(Key::PayReceivedOn)).sortable(),
        Column::new("paid", ui.t(Key::PayPaidOn)).optional(),
        Column::new("period", ui.t(Key::PayChargePeriod)),
        Column::new("amount", ui.t(Key::Amount))
            .numeric()
            .sortable(),
        Column::new("kind", ui.t(Key::PayKind)).optional(),
        Column::new("source", ui.t(Key::PaySource)).optional(),
        Column::new("lines", ui.t(Key::PayLines)).optional(),
        Column::new("actions", ""),
    ];
    let on_sort = {
        let (order, offset) = (order.clone(), offset.clone());
        Callback::from(move |(id, desc): (&'static str, bool)| {
            offset.set(0);
            order.set(match id {
                "amount" => Some(("amount", desc)),
                "account" => Some(("account", false)),
                _ => Some(("received", desc)),
            });
        })
    };
    let table = html! {
        <>
            { totals }
            <DataTable id="payments-table" {columns} rows={Rows::from(rows)} page_size={0}
                sorted={*order} {on_sort} {footer} />
        </>
    };
    html! {
        <div class="card">
            <form id="payments-filter" class="inline" onsubmit={search}>
                <input id="payments-subscriber" placeholder={ui.t(Key::SearchHint)} value={(*subscriber).clone()} oninput={bind(&subscriber)} />
                <label>{ ui.t(Key::PaySource) }
                    <select id="payments-source" onchange={ let s = source.clone(); Callback::from(move |e: Event| s.set(select_value(&e))) }>
                        <option value="" selected={source.is_empty()}>{ ui.t(Key::PaySourceAll) }</option>
                        <option value="BANK">{ labels::payment_kind(&ui, "bank") }</option>
                        <option value="CASH_DESK">{ labels::payment_kind(&ui, "cash_desk") }</option>
                        <option value="BATCH">{ ui.t(Key::PaySourceBatch) }</option>
                        <option value="FILE">{ ui.t(Key::PaySourceFile) }</option>
                    </select>
                </label>
                <label>{ ui.t(Key::PayBank) }
                    <select id="payments-bank" onchange={ let b = bank.clone(); Callback::from(move |e: Event| b.set(select_value(&e))) }>
                        <option value="">{ ui.t(Key::PaySourceAll) }</option>
                        { for props.banks.iter().map(|(id, name)| html! { <option value={id.to_string()}>{ name }</option> }) }
                    </select>
                </label>
                <label>{ ui.t(Key::FromPeriod) }<input id="payments-from" type="month" value={(*from).clone()} oninput={bind(&from)} /></label>
                <label>{ ui.t(Key::ToPeriod) }<input id="payments-to" type="month" value={(*to).clone()} oninput={bind(&to)} /></label>
                <label><input id="payments-with-cancelled" type="checkbox" checked={*with_cancelled}
                    onchange={ let w = with_cancelled.clone(); Callback::from(move |_| w.set(!*w)) } />{ ui.t(Key::PayWithCancelled) }</label>
                <button id="payments-search" type="submit">{ ui.t(Key::Search) }</button>
                <ExportXlsx list={ListKind::PAYMENTS} payments={export_filter} />
            </form>
            { table }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewPaymentProps {
    rules: payment_rules::ResponseData,
    on_done: Callback<()>,
}

/// Today as YYYY-MM-DD (a default the operator changes; the server checks the rules).
pub(crate) fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// The payment form's fields the server may refuse by name (each shows its own message).
const PAYMENT_FIELDS: [&str; 7] = [
    "accountNumber",
    "chargePeriod",
    "amount",
    "bankId",
    "paidOn",
    "receivedOn",
    "lines",
];

/// The payment form: the account number pulls in the paid invoice; the split is the
/// tenant's rule unless chosen; a manual split takes an amount per service.
#[function_component(NewPayment)]
fn new_payment(props: &NewPaymentProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let r = &props.rules;
    let number = use_state(String::new);
    let due = use_state(|| None::<Result<payment_due::PaymentDuePaymentDue, String>>);
    // Empty until the account is looked up: then its last invoice's period, unless the
    // user picked one.
    let charge = use_state(String::new);
    let charge_chosen = use_state(|| false);
    let amount = use_state(String::new);
    // Bank by default, unless the banks book is empty (then the cash desk).
    let has_banks = r.banks.items.iter().any(|b| b.active);
    let kind = use_state(move || if has_banks { "BANK" } else { "CASH_DESK" }.to_owned());
    let bank = use_state(String::new);
    let statement = use_state(String::new);
    let paid_on = use_state(today);
    let received_on = use_state(today);
    let split = use_state(|| "DEFAULT".to_owned());
    let parts = use_state(Vec::<(i64, String)>::new);
    let outcome = use_state(|| None as Outcome<String>);
    // One key per payment being entered: a double click or a retry pays once.
    let key = use_state(api::new_key);
    let look_up = {
        let (number, charge, charge_chosen, amount, due) = (
            number.clone(),
            charge.clone(),
            charge_chosen.clone(),
            amount.clone(),
            due.clone(),
        );
        Callback::from(move |_| {
            let vars = payment_due::Variables {
                account_number: (*number).clone(),
                charge_period: if *charge_chosen { opt(&charge) } else { None },
            };
            let (due, charge, amount) = (due.clone(), charge.clone(), amount.clone());
            if vars.account_number.trim().is_empty() {
                return due.set(None);
            }
            wasm_bindgen_futures::spawn_local(async move {
                let found = api::run::<PaymentDue>(vars).await.map(|d| d.payment_due);
                // The defaults follow the invoice: its period and what is left to pay.
                if let Ok(d) = &found {
                    charge.set(d.charge_period.get(..7).unwrap_or_default().to_owned());
                    if let Some(p) = d
                        .to_pay
                        .as_ref()
                        .filter(|p| !p.trim_start_matches(['0', '.']).is_empty())
                    {
                        amount.set(p.clone());
                    }
                }
                due.set(Some(found));
            });
        })
    };
    let submit = {
        let (due, charge, amount, kind, bank, statement) = (
            due.clone(),
            charge.clone(),
            amount.clone(),
            kind.clone(),
            bank.clone(),
            statement.clone(),
        );
        let (paid_on, received_on, split, parts, outcome, done) = (
            paid_on.clone(),
            received_on.clone(),
            split.clone(),
            parts.clone(),
            outcome.clone(),
            props.on_done.clone(),
        );
        let key = key.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(Ok(d)) = &*due else { return };
            if let Some(refused) = missing(
                &ui,
                &[
                    ("amount", &amount),
                    ("paidOn", &paid_on),
                    ("receivedOn", &received_on),
                ],
            ) {
                return outcome.set(Some(Err(refused)));
            }
            let input = create_payment::PaymentInput {
                account_id: d.account_id,
                charge_period: opt(&charge),
                amount: (*amount).clone(),
                kind: if *kind == "CASH_DESK" {
                    create_payment::PaymentKind::CASH_DESK
                } else {
                    create_payment::PaymentKind::BANK
                },
                bank_id: bank.parse().ok(),
                statement: opt(&statement),
                paid_on: (*paid_on).clone(),
                received_on: (*received_on).clone(),
                split: match split.as_str() {
                    "PROPORTIONAL" => create_payment::SplitMode::PROPORTIONAL,
                    "PRIORITY" => create_payment::SplitMode::PRIORITY,
                    "MANUAL" => create_payment::SplitMode::MANUAL,
                    _ => create_payment::SplitMode::DEFAULT,
                },
                lines: parts
                    .iter()
                    .filter(|(_, a)| !a.trim().is_empty())
                    .map(|(s, a)| create_payment::PaymentLineInput {
                        service_id: *s,
                        amount: a.clone(),
                    })
                    .collect(),
                idempotency_key: Some((*key).clone()),
            };
            let (outcome, done, amount, key) =
                (outcome.clone(), done.clone(), amount.clone(), key.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreatePayment>(create_payment::Variables { input }).await {
                    Ok(d) => {
                        let lines = d
                            .create_payment
                            .lines
                            .iter()
                            .map(|l| format!("{}: {}", l.service_name, l.amount))
                            .collect::<Vec<_>>()
                            .join("; ");
                        outcome.set(Some(Ok(lines)));
                        amount.set(String::new());
                        // The next payment is another one.
                        key.set(api::new_key());
                        done.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let due_view = match &*due {
        None => html! {},
        Some(Err(e)) => html! { <p id="payment-due" class="error">{ e }</p> },
        Some(Ok(d)) => html! {
            <p id="payment-due" class="hint">
                { format!("{} · {} · {} {}: {} · {}: {}", d.holder_name, d.address, ui.t(Key::PayDue),
                    d.charge_period.get(..7).unwrap_or_default(), d.due.as_deref().map_or_else(|| "—".into(), |d| ui.money(d)),
                    ui.t(Key::PayAlreadyPaid), ui.money(&d.paid)) }
            </p>
        },
    };
    let manual = *split == "MANUAL";
    // A split by hand: a field per service of the paid invoice (what it asks as the hint),
    // else per service of the tenant.
    let fields: Vec<(i64, String, String, Option<String>)> = match &*due {
        Some(Ok(d)) if !d.lines.is_empty() => d
            .lines
            .iter()
            .map(|l| {
                (
                    l.service_id,
                    l.code.clone(),
                    l.name.clone(),
                    Some(l.due.clone()),
                )
            })
            .collect(),
        _ => r
            .payment_settings
            .services
            .iter()
            .map(|s| (s.service_id, s.code.clone(), s.name.clone(), None))
            .collect(),
    };
    let services = fields.into_iter().map(|(service_id, code, name, asks)| {
        let value = parts.iter().find(|(id, _)| *id == service_id).map(|(_, a)| a.clone()).unwrap_or_default();
        let oninput = {
            let (parts, id) = (parts.clone(), service_id);
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                let mut list: Vec<(i64, String)> = parts.iter().filter(|(x, _)| *x != id).cloned().collect();
                list.push((id, v));
                parts.set(list);
            })
        };
        let hint = asks.map(|a| ui.amount(&a)).unwrap_or_default();
        html! { <label>{ name }<input class="payment-part" inputmode="decimal" data-service={code} placeholder={hint} value={value} {oninput} /></label> }
    });
    html! {
        <form id="payment-form" class="card" onsubmit={submit}>
            <h3>{ ui.t(Key::PayNew) }</h3>
            <div class="inline">
                <label>{ ui.t(Key::ColAccount) }<input id="payment-account" aria-required="true" aria-invalid={invalid(&outcome, "accountNumber")} value={(*number).clone()} oninput={bind(&number)} onchange={ let l = look_up.clone(); Callback::from(move |_| l.emit(())) } />{ field_error(&outcome, "accountNumber") }</label>
                <label>{ ui.t(Key::PayChargePeriod) }<input id="payment-charge" type="month" aria-invalid={invalid(&outcome, "chargePeriod")} value={(*charge).clone()} oninput={ let (c, chosen) = (charge.clone(), charge_chosen.clone()); Callback::from(move |e: InputEvent| { chosen.set(true); c.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()); }) } onchange={ let l = look_up.clone(); Callback::from(move |_| l.emit(())) } />{ field_error(&outcome, "chargePeriod") }</label>
                <label>{ ui.t(Key::Amount) }<input id="payment-amount" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "amount")} value={(*amount).clone()} oninput={bind(&amount)} />{ field_error(&outcome, "amount") }</label>
                <label>{ ui.t(Key::PayKind) }
                    <select id="payment-kind" onchange={ let k = kind.clone(); Callback::from(move |e: Event| k.set(select_value(&e))) }>
                        <option value="BANK" selected={*kind == "BANK"}>{ labels::payment_kind(&ui, "bank") }</option>
                        <option value="CASH_DESK" selected={*kind == "CASH_DESK"}>{ labels::payment_kind(&ui, "cash_desk") }</option>
                    </select>
                </label>
                <label>{ ui.t(Key::PayBank) }
                    <select id="payment-bank" aria-invalid={invalid(&outcome, "bankId")} onchange={ let b = bank.clone(); Callback::from(move |e: Event| b.set(select_value(&e))) }>
                        <option value="">{ "—" }</option>
                        { for r.banks.items.iter().filter(|b| b.active).map(|b| html! { <option value={b.id.to_string()} selected={*bank == b.id.to_string()}>{ &b.name }</option> }) }
                    </select>
                    { field_error(&outcome, "bankId") }
                </label>
                <label>{ ui.t(Key::PayStatement) }<input id="payment-statement" value={(*statement).clone()} oninput={bind(&statement)} /></label>
                <label>{ ui.t(Key::PayPaidOn) }<input id="payment-paid-on" type="date" aria-required="true" aria-invalid={invalid(&outcome, "paidOn")} value={(*paid_on).clone()} oninput={bind(&paid_on)} />{ field_error(&outcome, "paidOn") }</label>
                <label>{ ui.t(Key::PayReceivedOn) }<input id="payment-received-on" type="date" aria-required="true" aria-invalid={invalid(&outcome, "receivedOn")} value={(*received_on).clone()} oninput={bind(&received_on)} />{ field_error(&outcome, "receivedOn") }</label>
                <label>{ ui.t(Key::PaySplit) }
                    <select id="payment-split" onchange={ let s = split.clone(); Callback::from(move |e: Event| s.set(select_value(&e))) }>
                        <option value="DEFAULT">{ ui.t(Key::PaySplitDefault) }</option>
                        <option value="PROPORTIONAL">{ ui.t(Key::PaySplitProportional) }</option>
                        <option value="PRIORITY">{ ui.t(Key::PaySplitPriority) }</option>
                        <option value="MANUAL">{ ui.t(Key::PaySplitManual) }</option>
                    </select>
                </label>
            </div>
            { due_view }
            if manual { <div id="payment-parts" class="inline">{ for services }</div>{ field_error(&outcome, "lines") } }
            <button id="payment-save" type="submit" disabled={!matches!(&*due, Some(Ok(_)))}>{ ui.t(Key::Save) }</button>
            { match &*outcome {
                None => html! {},
                Some(Ok(lines)) => html! { <p id="payment-created" role="status">{ format!("{} — {}", ui.t(Key::PayCreated), shares(&ui, lines)) }</p> },
                Some(Err(_)) => form_error(&outcome, Some("payment-error"), &PAYMENT_FIELDS),
            } }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct BatchesProps {
    rules: payment_rules::ResponseData,
    can_edit: bool,
    can_cancel: bool,
}

/// The batch register (green: draft, red: cancelled) with a new batch's form and the
/// chosen batch's card.
#[function_component(Batches)]
fn batches(props: &BatchesProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let list =
        use_state(|| None::<Result<Vec<payment_batches::PaymentBatchesPaymentBatches>, String>>);
    let generation = use_state(|| 0u32);
    let chosen = use_state(|| None::<i64>);
    {
        let list = list.clone();
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(
                    api::run::<PaymentBatches>(payment_batches::Variables {})
                        .await
                        .map(|d| d.payment_batches),
                ));
            });
        });
    }
    let refresh = {
        let g = generation.clone();
        Callback::from(move |_| g.set(*g + 1))
    };
    let on_created = {
        let (c, r) = (chosen.clone(), refresh.clone());
        Callback::from(move |id: i64| {
            c.set(Some(id));
            r.emit(());
        })
    };
    let rows = list.as_ref().map(|r| {
        r.as_ref().map(|rows| {
            rows.iter()
                .map(|b| {
                    let open = {
                        let (c, id) = (chosen.clone(), b.id);
                        Callback::from(move |()| c.set(Some(id)))
                    };
                    let kind = labels::payment_kind(&ui, &b.kind);
                    Row::new(
                        b.id,
                        vec![
                            Cell::text(b.number.clone()),
                            Cell::text(b.batch_date.clone()),
                            Cell::text(format!(
                                "{kind} {}",
                                b.bank_name.clone().unwrap_or_default()
                            )),
                            Cell::count(b.control_count),
                            Cell::number(b.control_sum.clone(), ui.amount(&b.control_sum)),
                            Cell::number(
                                b.entered_sum.clone(),
                                format!("{} / {}", b.entered_count, ui.amount(&b.entered_sum)),
                            ),
                            Cell::text(labels::code(&ui, "payment_batches_state", &b.state)),
                        ],
                    )
                    .on_open(open)
                    .class(classes!(
                        "batch",
                        format!("state-{}", b.state),
                        (*chosen == Some(b.id)).then_some("selected")
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    let columns = vec![
        Column::new("number", ui.t(Key::PayBatchNumber)).sortable(),
        Column::new("date", ui.t(Key::PayBatchDate)).sortable(),
        Column::new("kind", ui.t(Key::PayKind)).sortable(),
        Column::new("count", ui.t(Key::PayControlCount)).numeric(),
        Column::new("sum", ui.t(Key::PayControlSum))
            .numeric()
            .sortable(),
        Column::new("entered", ui.t(Key::PayEntered)).numeric(),
        Column::new("state", ui.t(Key::Status)).sortable(),
    ];
    let table = html! { <DataTable id="batches-table" {columns} rows={Rows::from(rows)} /> };
    html! {
        <div class="card">
            if props.can_edit { <NewBatch rules={props.rules.clone()} on_created={on_created} /> }
            { table }
            if let Some(id) = *chosen {
                <BatchCard key={id} id={id} can_edit={props.can_edit} can_cancel={props.can_cancel} on_change={refresh} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewBatchProps {
    rules: payment_rules::ResponseData,
    on_created: Callback<i64>,
}

#[function_component(NewBatch)]
fn new_batch(props: &NewBatchProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let number = use_state(String::new);
    let date = use_state(today);
    let kind = use_state(|| "CASH_DESK".to_owned());
    let bank = use_state(String::new);
    let count = use_state(String::new);
    let sum = use_state(String::new);
    let error = use_state(|| None as Outcome);
    let submit = {
        let (number, date, kind, bank, count, sum, error, done) = (
            number.clone(),
            date.clone(),
            kind.clone(),
            bank.clone(),
            count.clone(),
            sum.clone(),
            error.clone(),
            props.on_created.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let required = [
                ("number", number.as_str()),
                ("batchDate", date.as_str()),
                ("controlCount", count.as_str()),
                ("controlSum", sum.as_str()),
            ];
            if let Some(refused) = missing(&ui, &required) {
                return error.set(Some(Err(refused)));
            }
            let input = create_payment_batch::BatchInput {
                number: (*number).clone(),
                batch_date: (*date).clone(),
                kind: if *kind == "BANK" {
                    create_payment_batch::PaymentKind::BANK
                } else {
                    create_payment_batch::PaymentKind::CASH_DESK
                },
                bank_id: bank.parse().ok(),
                control_count: count.trim().parse().unwrap_or(0),
                control_sum: (*sum).clone(),
                comment: None,
            };
            let (error, done) = (error.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<CreatePaymentBatch>(create_payment_batch::Variables { input })
                    .await
                {
                    Ok(d) => {
                        error.set(None);
                        done.emit(d.create_payment_batch.id);
                    }
                    Err(e) => error.set(Some(Err(e))),
                }
            });
        })
    };
    html! {
        <form id="batch-form" class="inline" onsubmit={submit}>
            <strong>{ ui.t(Key::PayNewBatch) }</strong>
            <label>{ ui.t(Key::PayBatchNumber) }<input id="batch-number" aria-required="true" aria-invalid={invalid(&error, "number")} value={(*number).clone()} oninput={bind(&number)} />{ field_error(&error, "number") }</label>
            <label>{ ui.t(Key::PayBatchDate) }<input id="batch-date" type="date" aria-required="true" aria-invalid={invalid(&error, "batchDate")} value={(*date).clone()} oninput={bind(&date)} />{ field_error(&error, "batchDate") }</label>
            <label>{ ui.t(Key::PayKind) }
                <select id="batch-kind" onchange={ let k = kind.clone(); Callback::from(move |e: Event| k.set(select_value(&e))) }>
                    <option value="CASH_DESK" selected={*kind == "CASH_DESK"}>{ labels::payment_kind(&ui, "cash_desk") }</option>
                    <option value="BANK" selected={*kind == "BANK"}>{ labels::payment_kind(&ui, "bank") }</option>
                </select>
            </label>
            <label>{ ui.t(Key::PayBank) }
                <select id="batch-bank" aria-invalid={invalid(&error, "bankId")} onchange={ let b = bank.clone(); Callback::from(move |e: Event| b.set(select_value(&e))) }>
                    <option value="">{ "—" }</option>
                    { for props.rules.banks.items.iter().filter(|b| b.active).map(|b| html! { <option value={b.id.to_string()}>{ &b.name }</option> }) }
                </select>
                { field_error(&error, "bankId") }
            </label>
            <label>{ ui.t(Key::PayControlCount) }<input id="batch-count" inputmode="numeric" aria-required="true" aria-invalid={invalid(&error, "controlCount")} value={(*count).clone()} oninput={bind(&count)} />{ field_error(&error, "controlCount") }</label>
            <label>{ ui.t(Key::PayControlSum) }<input id="batch-sum" inputmode="decimal" aria-required="true" aria-invalid={invalid(&error, "controlSum")} value={(*sum).clone()} oninput={bind(&sum)} />{ field_error(&error, "controlSum") }</label>
            <button id="batch-create" type="submit">{ ui.t(Key::Create) }</button>
            { form_error(&error, Some("batch-error"), &["number", "batchDate", "bankId", "controlCount", "controlSum"]) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct BatchCardProps {
    id: i64,
    can_edit: bool,
    can_cancel: bool,
    on_change: Callback<()>,
}

/// One batch: its rows (entered by account number; the paid period's opening balance
/// pulled in), saving, posting, cancelling and deleting.
#[function_component(BatchCard)]
fn batch_card(props: &BatchCardProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<payment_batch::PaymentBatchPaymentBatch, String>>);
    let rows = use_state(Vec::<(String, String, String)>::new);
    let generation = use_state(|| 0u32);
    let message = use_state(|| None::<Result<String, String>>);
    {
        let (data, rows, id) = (data.clone(), rows.clone(), props.id);
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::run::<PaymentBatch>(payment_batch::Variables { id })
                    .await
                    .map(|d| d.payment_batch);
                if let Ok(b) = &r {
                    rows.set(
                        b.items
                            .iter()
                            .map(|i| {
                                (
                                    i.account_number.clone(),
                                    i.amount.clone(),
                                    i.paid_on.clone(),
                                )
                            })
                            .collect(),
                    );
                }
                data.set(Some(r));
            });
        });
    }
    let after = {
        let (generation, message, change) =
            (generation.clone(), message.clone(), props.on_change.clone());
        move |r: Result<String, api::ApiError>| match r {
            Ok(m) => {
                message.set(Some(Ok(m)));
                generation.set(*generation + 1);
                change.emit(());
            }
            Err(e) => message.set(Some(Err(error_text(&e)))),
        }
    };
    let id = props.id;
    let save = {
        let (rows, after) = (rows.clone(), after.clone());
        Callback::from(move |_| {
            let items = rows
                .iter()
                .filter(|(n, _, _)| !n.trim().is_empty())
                .map(|(n, a, d)| set_payment_batch_items::BatchItemInput {
                    account_number: n.clone(),
                    charge_period: None,
                    amount: a.clone(),
                    paid_on: d.clone(),
                })
                .collect();
            let after = after.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<SetPaymentBatchItems>(set_payment_batch_items::Variables {
                    id,
                    items,
                })
                .await;
                after(r.map(|d| {
                    format!(
                        "{} / {}",
                        d.set_payment_batch_items.batch.entered_count,
                        d.set_payment_batch_items.batch.entered_sum
                    )
                }));
            });
        })
    };
    let action = |kind: u8| {
        let after = after.clone();
        Callback::from(move |_| {
            let after = after.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = match kind {
                    // Posting the same batch again (a double click) posts it once.
                    0 => api::call::<PostPaymentBatch>(post_payment_batch::Variables {
                        id,
                        idempotency_key: Some(format!("post-batch:{id}")),
                    })
                    .await
                    .map(|d| d.post_payment_batch.state),
                    1 => api::call::<CancelPaymentBatch>(cancel_payment_batch::Variables { id })
                        .await
                        .map(|d| d.cancel_payment_batch.state),
                    _ => api::call::<DeletePaymentBatch>(delete_payment_batch::Variables { id })
                        .await
                        .map(|_| "deleted".to_owned()),
                };
                after(r);
            });
        })
    };
    let Some(Ok(card)) = &*data else {
        return html! { <p class="loading">{ ui.t(Key::Loading) }</p> };
    };
    let b = &card.batch;
    let draft = b.state == "draft";
    let add = {
        let rows = rows.clone();
        let day = b.batch_date.clone();
        Callback::from(move |_| {
            let mut l = (*rows).clone();
            l.push((String::new(), String::new(), day.clone()));
            rows.set(l);
        })
    };
    let cell = |i: usize, col: u8, value: &str, class: &'static str| {
        let rows = rows.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let mut l = (*rows).clone();
            if let Some(r) = l.get_mut(i) {
                match col {
                    0 => r.0 = v,
                    1 => r.1 = v,
                    _ => r.2 = v,
                }
            }
            rows.set(l);
        });
        html! { <input class={class} type={if col == 2 { "date" } else { "text" }} value={value.to_owned()} disabled={!draft} {oninput} /> }
    };
    let openings: Vec<Option<String>> = card.items.iter().map(|i| i.opening.clone()).collect();
    html! {
        <div id="batch-card" class={classes!("card", format!("state-{}", b.state))}>
            <h3>{ format!("{} {} · {} · {} {} / {}", ui.t(Key::PayBatchNumber), b.number, labels::code(&ui, "payment_batches_state", &b.state),
                ui.t(Key::PayEntered), b.entered_count, b.entered_sum) }</h3>
            <table id="batch-rows" class="grid">
                <thead><tr><th>{ ui.t(Key::ColAccount) }</th><th>{ ui.t(Key::Amount) }</th><th>{ ui.t(Key::PayPaidOn) }</th><th>{ ui.t(Key::BillOpening) }</th></tr></thead>
                <tbody>{ for rows.iter().enumerate().map(|(i, (n, a, d))| html! {
                    <tr>
                        <td>{ cell(i, 0, n, "batch-account") }</td>
                        <td>{ cell(i, 1, a, "batch-amount") }</td>
                        <td>{ cell(i, 2, d, "batch-paid-on") }</td>
                        <td class="num">{ openings.get(i).cloned().flatten().unwrap_or_default() }</td>
                    </tr>
                }) }</tbody>
            </table>
            <div class="inline">
                if draft && props.can_edit {
                    <button id="batch-add-row" type="button" onclick={add}>{ ui.t(Key::PayAddRow) }</button>
                    <button id="batch-save-rows" type="button" onclick={save}>{ ui.t(Key::PaySaveRows) }</button>
                    <button id="batch-post" type="button" onclick={action(0)}>{ ui.t(Key::PayPost) }</button>
                }
                if b.state != "cancelled" && props.can_cancel {
                    <button id="batch-cancel" type="button" onclick={action(1)}>{ ui.t(Key::PayCancelBatch) }</button>
                }
                if b.state == "cancelled" && props.can_cancel {
                    <button id="batch-delete" type="button" onclick={action(2)}>{ ui.t(Key::Delete) }</button>
                }
            </div>
            { match &*message {
                None => html! {},
                Some(Ok(m)) => html! { <p id="batch-message" role="status">{ m }</p> },
                Some(Err(e)) => html! { <p id="batch-error" class="error" role="alert">{ e }</p> },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SettingsProps {
    rules: payment_rules::ResponseData,
}

/// The tenant's rule for splitting a payment and the services' priority order
/// (`settings.update`; seed 001 "Розподіл оплат … з урахуванням черговості").
/// Shown under Settings → Payments.
#[function_component(SplitSettings)]
fn split_settings(props: &SettingsProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let s = &props.rules.payment_settings;
    let split = use_state(|| s.split.clone());
    let order = use_state(|| {
        s.services
            .iter()
            .map(|x| (x.service_id, x.name.clone()))
            .collect::<Vec<_>>()
    });
    let message = use_state(|| None::<Result<(), String>>);
    let shift = |i: usize, up: bool| {
        let order = order.clone();
        Callback::from(move |_| {
            let mut l = (*order).clone();
            let j = if up {
                i.checked_sub(1)
            } else {
                (i + 1 < l.len()).then_some(i + 1)
            };
            if let Some(j) = j {
                l.swap(i, j);
                order.set(l);
            }
        })
    };
    let save = {
        let (split, order, message) = (split.clone(), order.clone(), message.clone());
        Callback::from(move |_| {
            let vars = update_payment_settings::Variables {
                split: (*split).clone(),
                order: order.iter().map(|(id, _)| *id).collect(),
            };
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::call::<UpdatePaymentSettings>(vars).await;
                message.set(Some(r.map(|_| ()).map_err(|e| error_text(&e))));
            });
        })
    };
    html! {
        <div id="payment-settings" class="card">
            <h3>{ ui.t(Key::PaySettings) }</h3>
            <div class="inline">
                <select id="payment-split-rule" onchange={ let s = split.clone(); Callback::from(move |e: Event| s.set(select_value(&e))) }>
                    <option value="proportional" selected={*split == "proportional"}>{ ui.t(Key::PaySplitProportional) }</option>
                    <option value="priority" selected={*split == "priority"}>{ ui.t(Key::PaySplitPriority) }</option>
                </select>
                <span class="hint">{ ui.t(Key::PayPriorityHint) }</span>
            </div>
            <ol id="payment-priority">{ for order.iter().enumerate().map(|(i, (_, name))| html! {
                <li>{ name }
                    <button type="button" class="priority-up" onclick={shift(i, true)} disabled={i == 0}>{ ui.t(Key::PayUp) }</button>
                    <button type="button" class="priority-down" onclick={shift(i, false)} disabled={i + 1 == order.len()}>{ ui.t(Key::PayDown) }</button>
                </li>
            }) }</ol>
            <button id="payment-settings-save" type="button" onclick={save}>{ ui.t(Key::Save) }</button>
            { match &*message {
                None => html! {},
                Some(Ok(())) => html! { <span id="payment-settings-saved" role="status">{ ui.t(Key::PaySaved) }</span> },
                Some(Err(e)) => html! { <span class="error" role="alert">{ e }</span> },
            } }
        </div>
    }
}

/// Settings → Payments: the split rule and the services' order, with the rules loaded.
#[function_component(PaymentSettingsTab)]
pub fn payment_settings_tab() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let rules = use_rules();
    match &*rules {
        None => html! { <p class="loading">{ ui.t(Key::Loading) }</p> },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(r)) => html! { <SplitSettings rules={r.clone()} /> },
    }
}
