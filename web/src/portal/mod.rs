//! The subscriber portal (mobile-first): the subscriber's accounts, the chosen one's
//! balance, invoices by period with their PDF, payment history, and meters with the last
//! reading and a box to submit this month's.

use yew::prelude::*;

use crate::admin::error_text;
use crate::shared::api::{
    self, MyAccounts, PortalAccount, SubmitPortalReading, my_accounts, portal_account,
    submit_portal_reading,
};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, SortKey};
use crate::shell::Ui;

#[derive(Properties, PartialEq)]
pub struct PortalProps {
    pub name: String,
    pub on_sign_out: Callback<MouseEvent>,
}

#[function_component(Portal)]
pub fn portal(props: &PortalProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let accounts = use_state(|| None::<Result<Vec<my_accounts::MyAccountsMyAccounts>, String>>);
    let chosen = use_state(|| None::<i64>);
    {
        let (accounts, chosen) = (accounts.clone(), chosen.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let r = api::run::<MyAccounts>(my_accounts::Variables {})
                    .await
                    .map(|d| d.my_accounts);
                if let Ok(list) = &r {
                    chosen.set(list.first().map(|a| a.id));
                }
                accounts.set(Some(r));
            });
        });
    }
    let picker = match &*accounts {
        Some(Ok(list)) if list.len() > 1 => html! {
            <select id="portal-account-select" onchange={ let c = chosen.clone(); Callback::from(move |e: Event| {
                c.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().ok())
            }) }>
                { for list.iter().map(|a| html! { <option value={a.id.to_string()} selected={*chosen == Some(a.id)}>{ format!("{} — {}", a.number, a.address) }</option> }) }
            </select>
        },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        _ => html! {},
    };
    html! {
        <div id="portal" class="portal">
            <header class="portal-top">
                <strong>{ &props.name }</strong>
                <button id="sign-out" onclick={props.on_sign_out.clone()}>{ ui.t(Key::SignOut) }</button>
            </header>
            { picker }
            if let Some(id) = *chosen { <PortalCard key={id} account_id={id} /> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    account_id: i64,
}

#[function_component(PortalCard)]
fn portal_card(props: &CardProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let data = use_state(|| None::<Result<portal_account::PortalAccountPortalAccount, String>>);
    let generation = use_state(|| 0u32);
    {
        let (data, id) = (data.clone(), props.account_id);
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<PortalAccount>(portal_account::Variables { account_id: id })
                        .await
                        .map(|d| d.portal_account),
                ));
            });
        });
    }
    let Some(Ok(a)) = &*data else {
        return match &*data {
            Some(Err(e)) => html! { <p class="error">{ e }</p> },
            _ => html! { <p class="loading">{ ui.t(Key::Loading) }</p> },
        };
    };
    let id = props.account_id;
    let money = |v: &String| Cell::number(v.clone(), ui.money(v));
    let invoice_columns = vec![
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("charged", ui.t(Key::BillCharged))
            .numeric()
            .sortable(),
        Column::new("paid", ui.t(Key::BillPaid))
            .numeric()
            .sortable(),
        Column::new("closing", ui.t(Key::BillClosing))
            .numeric()
            .sortable(),
        Column::new("pdf", ""),
    ];
    let invoice_rows = a
        .invoices
        .iter()
        .map(|i| {
            let month = i.period.get(..7).unwrap_or_default().to_owned();
            let pdf = html! { <a class="invoice-pdf" href={format!("/files/invoices/{id}/{month}")} download="">{ "PDF" }</a> };
            Row::new(
                &month,
                vec![
                    Cell::text(month.clone()),
                    money(&i.charged),
                    money(&i.paid),
                    money(&i.closing),
                    Cell::html(pdf),
                ],
            )
        })
        .collect::<Vec<_>>();
    let meter_columns = vec![
        Column::new("serial", ui.t(Key::SerialNumber)).sortable(),
        Column::new("service", ui.t(Key::BillService)).sortable(),
        Column::new("last", ui.t(Key::LastReading)),
        Column::new(
            "new",
            format!("{} {}", ui.t(Key::NewReading), a.open_period),
        ),
    ];
    let meter_rows = a
        .meters
        .iter()
        .map(|m| {
            let last = format!(
                "{} ({})",
                m.last_reading
                    .as_deref()
                    .map(|r| ui.quantity(r))
                    .unwrap_or_default(),
                m.last_period
                    .clone()
                    .unwrap_or_default()
                    .get(..7)
                    .unwrap_or_default()
            );
            let saved = {
                let g = generation.clone();
                Callback::from(move |_| g.set(*g + 1))
            };
            Row::new(
                m.id,
                vec![
                    Cell::text(m.serial.clone()),
                    Cell::text(m.service_name.clone()),
                    Cell::text(last),
                    Cell::html(html! { <ReadingBox meter_id={m.id} on_saved={saved} /> }),
                ],
            )
        })
        .collect::<Vec<_>>();
    let held_columns = vec![
        Column::new("serial", ui.t(Key::SerialNumber)).sortable(),
        Column::new("period", ui.t(Key::Period)).sortable(),
        Column::new("value", ui.t(Key::HeldValue))
            .numeric()
            .sortable(),
        Column::new("usual", ui.t(Key::HeldUsual))
            .numeric()
            .sortable(),
        Column::new("state", ui.t(Key::PortalHeldState)).sortable(),
    ];
    let held_rows = a
        .held_readings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let state = crate::shared::labels::code(&ui, "held_readings_state", &h.state);
            let state_cell = html! { <>{ state.clone() }if let Some(n) = &h.note { <div class="muted">{ n }</div> }</> };
            Row::new(
                i,
                vec![
                    Cell::text(h.meter_serial.clone()),
                    Cell::text(h.period.clone()),
                    Cell::number(h.current.clone(), ui.quantity(&h.current)),
                    Cell::number(h.usual.clone(), ui.quantity(&h.usual)),
                    Cell::html(state_cell).sort_by(SortKey::Text(state)),
                ],
            )
            .attr("data-state", h.state.clone())
        })
        .collect::<Vec<_>>();
    let payment_columns = vec![
        Column::new("received", ui.t(Key::PayReceivedOn)).sortable(),
        Column::new("amount", ui.t(Key::Amount))
            .numeric()
            .sortable(),
        Column::new("period", ui.t(Key::PayChargePeriod)).sortable(),
    ];
    let payment_rows = a
        .payments
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Row::new(
                i,
                vec![
                    Cell::text(p.received_on.clone()),
                    money(&p.amount),
                    Cell::text(p.charge_period.get(..7).unwrap_or_default()),
                ],
            )
        })
        .collect::<Vec<_>>();
    html! {
        <div class="portal-card">
            <section class="card">
                <h2>{ format!("{} {}", ui.t(Key::ColAccount), a.account.number) }</h2>
                <p>{ &a.account.address }</p>
                <p id="portal-balance" class="balance">{ format!("{}: {}", ui.t(Key::ColBalance), ui.money(&a.balance)) }</p>
            </section>
            <section class="card">
                <h3>{ ui.t(Key::BillTable) }</h3>
                <DataTable id="portal-invoices" columns={invoice_columns} rows={Rows::Ready(invoice_rows)} />
            </section>
            <section class="card">
                <h3>{ ui.t(Key::AccountMeters) }</h3>
                <DataTable id="portal-meters" columns={meter_columns} rows={Rows::Ready(meter_rows)} page_size={0} />
            </section>
            if !a.held_readings.is_empty() {
                <section class="card">
                    <h3>{ ui.t(Key::PortalHeldTitle) }</h3>
                    <DataTable id="portal-held" columns={held_columns} rows={Rows::Ready(held_rows)} />
                </section>
            }
            <section class="card">
                <h3>{ ui.t(Key::PayTabPayments) }</h3>
                <DataTable id="portal-payments" columns={payment_columns} rows={Rows::Ready(payment_rows)} />
            </section>
            <section class="card">
                <crate::billing::statement::StatementLinks account_id={id} prefix="portal-statement" />
            </section>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BoxProps {
    meter_id: i64,
    on_saved: Callback<()>,
}

/// A box for this month's reading; Enter saves and says so; a refusal shows beside it; a
/// value far above the usual is held for the office and the subscriber is told.
#[function_component(ReadingBox)]
fn reading_box(props: &BoxProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let outcome = use_state(|| None::<Result<String, String>>);
    let onkeydown = {
        let (outcome, id, saved) = (outcome.clone(), props.meter_id, props.on_saved.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            let current = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let (outcome, saved) = (outcome.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SubmitPortalReading>(submit_portal_reading::Variables {
                    meter_id: id,
                    current,
                })
                .await
                {
                    Ok(d) => {
                        let r = d.submit_portal_reading;
                        let text = match (r.reading, r.held) {
                            (_, Some(h)) => format!(
                                "{} ({}: {})",
                                ui.t(Key::PortalReadingHeld),
                                ui.t(Key::HeldUsual),
                                ui.quantity(&h.usual)
                            ),
                            (Some(r), None) => format!(
                                "{} {}",
                                ui.t(Key::PortalReadingSaved),
                                ui.quantity(&r.consumption)
                            ),
                            (None, None) => String::new(),
                        };
                        outcome.set(Some(Ok(text)));
                        saved.emit(());
                    }
                    Err(e) => outcome.set(Some(Err(error_text(&e)))),
                }
            });
        })
    };
    html! {
        <>
            <input class="portal-reading" inputmode="decimal" aria-label={ui.t(Key::NewReading)} title={ui.t(Key::ReadingEnterHint)} placeholder="↵" {onkeydown} />
            { match &*outcome {
                Some(Ok(t)) => html! { <span class="portal-reading-outcome" role="status">{ t }</span> },
                Some(Err(e)) => html! { <span class="error portal-reading-error" role="alert">{ e }</span> },
                None => html! {},
            } }
        </>
    }
}
