//! Tariffs of price lists (with components and a step chart of the price over time),
//! consumption and social norms, and the penalty rate table — the dated reference data
//! of the Reference books section.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, DeleteNorm, DeletePenaltyRate, DeleteTariff, Norms, PenaltyRates, PriceChoices, SetNorm,
    SetPenaltyRate, SetTariff, Tariffs, delete_norm, delete_penalty_rate, delete_tariff, norms,
    penalty_rates, price_choices, set_norm, set_penalty_rate, set_tariff, tariffs,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, invalid, missing, receipt};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, delete_cell};
use crate::shell::{Ui, use_can};

/// Loads the price lists and services once for the selects.
#[hook]
fn use_choices() -> UseStateHandle<Option<price_choices::ResponseData>> {
    let choices = use_state(|| None);
    {
        let choices = choices.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<PriceChoices>(price_choices::Variables {}).await {
                    choices.set(Some(d));
                }
            });
        });
    }
    choices
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

#[function_component(TariffsScreen)]
pub fn tariffs_screen() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (
        can.allows("reference_books.update"),
        can.allows("reference_books.delete"),
    );
    let choices = use_choices();
    let list = use_state(|| None::<i64>);
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<tariffs::ResponseData, String>>);
    // A refused deletion; the form's own outcome is `outcome`.
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    let (service, from, price) = (
        use_state(|| None::<i64>),
        use_state(String::new),
        use_state(String::new),
    );
    let parts = use_state(Vec::<(String, String)>::new);
    // The first price list is shown until another is chosen.
    let current = (*list).or_else(|| {
        choices
            .as_ref()
            .and_then(|c| c.price_lists.items.first().map(|l| l.id))
    });
    {
        let data = data.clone();
        use_effect_with((current, *version), move |(current, _)| {
            if let Some(price_list_id) = *current {
                wasm_bindgen_futures::spawn_local(async move {
                    data.set(Some(
                        api::run::<Tariffs>(tariffs::Variables { price_list_id }).await,
                    ));
                });
            }
        });
    }
    let on_save = {
        let (service, from, price, parts, message, version) = (
            service.clone(),
            from.clone(),
            price.clone(),
            parts.clone(),
            outcome.clone(),
            version.clone(),
        );
        let default_service = choices
            .as_ref()
            .and_then(|c| c.services.items.first().map(|s| s.id));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(price_list_id), Some(service_id)) = (current, (*service).or(default_service))
            else {
                return;
            };
            if let Some(refused) = missing(&ui, &[("validFrom", from.as_str())]) {
                return message.set(Some(Err(refused)));
            }
            let input = set_tariff::TariffInput {
                price_list_id,
                service_id,
                valid_from: (*from).clone(),
                price: Some(price.trim().replace(',', ".")).filter(|p| !p.is_empty()),
                components: parts
                    .iter()
                    .filter(|(n, p)| !n.trim().is_empty() || !p.trim().is_empty())
                    .map(|(n, p)| set_tariff::TariffComponentInput {
                        name: n.clone(),
                        price: p.trim().replace(',', "."),
                    })
                    .collect(),
            };
            let (message, version, parts, price) = (
                message.clone(),
                version.clone(),
                parts.clone(),
                price.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetTariff>(set_tariff::Variables { input }).await {
                    Ok(_) => {
                        message.set(Some(Ok(())));
                        parts.set(Vec::new());
                        price.set(String::new());
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let list_options = choices.as_ref().map(|c| {
        c.price_lists
            .items
            .iter()
            .map(|l| html! { <option value={l.id.to_string()} selected={current == Some(l.id)}>{ &l.name }</option> })
            .collect::<Html>()
    });
    let service_options = choices.as_ref().map(|c| {
        c.services
            .items
            .iter()
            .map(|s| html! { <option value={s.id.to_string()} selected={*service == Some(s.id)}>{ &s.name }</option> })
            .collect::<Html>()
    });
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.tariffs
                .iter()
                .map(|t| {
                    let parts_text = t
                        .components
                        .iter()
                        .map(|c| format!("{} {}", c.name, ui.quantity(&c.price)))
                        .collect::<Vec<_>>()
                        .join(" + ");
                    let delete = {
                        let (id, message, version) = (t.id, message.clone(), version.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, version) = (message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeleteTariff>(delete_tariff::Variables { id })
                                    .await
                                {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    Row::new(
                        t.id,
                        vec![
                            Cell::text(t.service_name.clone()),
                            Cell::text(t.valid_from.clone()),
                            Cell::number(t.price.clone(), ui.quantity(&t.price)),
                            Cell::text(parts_text),
                            delete_cell(&ui, may_delete, delete),
                        ],
                    )
                    .attr("data-service", t.service_name.clone())
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("service", ui.t(Key::FieldServices)).sortable(),
        Column::new("from", ui.t(Key::ValidFrom)).sortable(),
        Column::new("price", ui.t(Key::Price)).numeric().sortable(),
        Column::new("components", ui.t(Key::Components)),
        Column::new("actions", ""),
    ];
    let part_rows = parts.iter().enumerate().map(|(i, (n, p))| {
        let edit = |which: usize| {
            let parts = parts.clone();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                let mut all = (*parts).clone();
                if let Some(row) = all.get_mut(i) {
                    if which == 0 {
                        row.0 = v;
                    } else {
                        row.1 = v;
                    }
                }
                parts.set(all);
            })
        };
        html! {
            <div class="component">
                <input class="component-name" placeholder={ui.t(Key::Name)} value={n.clone()} oninput={edit(0)} />
                <input class="component-price" inputmode="decimal" placeholder={ui.t(Key::Price)} value={p.clone()} oninput={edit(1)} />
            </div>
        }
    });
    let add_part = {
        let parts = parts.clone();
        Callback::from(move |_| {
            let mut all = (*parts).clone();
            all.push((String::new(), String::new()));
            parts.set(all);
        })
    };
    let chart = match &*data {
        Some(Ok(d)) => price_chart(&d.tariffs),
        _ => html! {},
    };
    html! {
        <div class="prices-screen">
            <div class="toolbar">
                <label>{ crate::shared::labels::code(&ui, "Book", "PRICE_LISTS") }
                    <select id="tariff-price-list" onchange={ let list = list.clone(); Callback::from(move |e: Event| list.set(select_value(&e).parse().ok())) }>
                        { list_options.unwrap_or_default() }
                    </select>
                </label>
            </div>
            <DataTable id="tariffs-table" {columns} {rows} />
            { chart }
            if may_update {
            <form id="tariff-form" class="card" onsubmit={on_save}>
                <h3>{ ui.t(Key::NewTariff) }</h3>
                <label>{ ui.t(Key::FieldServices) }
                    <select id="tariff-service" onchange={ let service = service.clone(); Callback::from(move |e: Event| service.set(select_value(&e).parse().ok())) }>
                        { service_options.unwrap_or_default() }
                    </select>
                </label>
                <label>{ ui.t(Key::ValidFrom) }<input id="tariff-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "validFrom")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&outcome, "validFrom") }</label>
                <label>{ ui.t(Key::Price) }<input id="tariff-price" inputmode="decimal" aria-invalid={invalid(&outcome, "price")} value={(*price).clone()} oninput={bind(&price)} />{ field_error(&outcome, "price") }</label>
                <fieldset class="components"><legend>{ ui.t(Key::Components) }</legend>
                    { for part_rows }
                    <button id="tariff-add-component" type="button" onclick={add_part}>{ "+" }</button>
                    { field_error(&outcome, "components") }
                </fieldset>
                <button id="tariff-save" type="submit">{ ui.t(Key::Save) }</button>
                { receipt(&ui, &outcome, "tariff-saved", &["validFrom", "price", "components"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="tariff-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (H. Hinnant's days_from_civil).
fn day_number(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, d) = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A step line per service: the price over time, each step where a new tariff starts.
fn price_chart(rows: &[tariffs::TariffsTariffs]) -> Html {
    const W: f64 = 640.0;
    const H: f64 = 180.0;
    const PAD: f64 = 32.0;
    // Drawing only: the prices become screen coordinates, never money.
    let points: Vec<(String, i64, f64)> = rows
        .iter()
        .filter_map(|t| {
            let price = t.price.parse::<f64>().ok()?;
            Some((t.service_name.clone(), day_number(&t.valid_from)?, price))
        })
        .collect();
    if points.len() < 2 {
        return html! {};
    }
    let (min_day, max_day) = points.iter().fold((i64::MAX, i64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let max_day = max_day + 60; // room for the last step
    let max_price = points.iter().map(|p| p.2).fold(0.0_f64, f64::max).max(1.0);
    let x =
        |d: i64| PAD + (d - min_day) as f64 / (max_day - min_day).max(1) as f64 * (W - 2.0 * PAD);
    let y = |p: f64| H - PAD - p / max_price * (H - 2.0 * PAD);
    let mut services: Vec<&str> = points.iter().map(|p| p.0.as_str()).collect();
    services.sort_unstable();
    services.dedup();
    const COLOURS: [&str; 6] = [
        "#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2",
    ];
    let lines = services.iter().enumerate().map(|(i, name)| {
        let mut steps: Vec<&(String, i64, f64)> = points.iter().filter(|p| p.0 == *name).collect();
        steps.sort_by_key(|p| p.1);
        let mut path = String::new();
        for (j, p) in steps.iter().enumerate() {
            let end = steps.get(j + 1).map_or(max_day, |n| n.1);
            path.push_str(&format!(
                "{}{:.1},{:.1} L{:.1},{:.1} ",
                if j == 0 { "M" } else { "L" },
                x(p.1),
                y(p.2),
                x(end),
                y(p.2)
            ));
        }
        let colour = COLOURS[i % COLOURS.len()];
        html! {
            <g>
                <path d={path} fill="none" stroke={colour} stroke-width="2" />
                <text x={format!("{:.0}", W - PAD)} y={format!("{:.0}", 14.0 + 14.0 * i as f64)} text-anchor="end" fill={colour} font-size="12">{ *name }</text>
            </g>
        }
    });
    html! {
        <svg id="tariff-chart" class="chart" viewBox={format!("0 0 {W} {H}")} role="img">
            <line x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} stroke="#999" />
            <text x={PAD.to_string()} y={(H - 8.0).to_string()} font-size="11">{ rows.iter().map(|t| t.valid_from.as_str()).min().unwrap_or_default() }</text>
            <text x="4" y={format!("{:.0}", y(max_price) + 4.0)} font-size="11">{ format!("{max_price}") }</text>
            { for lines }
        </svg>
    }
}

#[function_component(NormsScreen)]
pub fn norms_screen() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (
        can.allows("reference_books.update"),
        can.allows("reference_books.delete"),
    );
    let choices = use_choices();
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<norms::ResponseData, String>>);
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    let service = use_state(|| None::<i64>);
    let kind = use_state(|| set_norm::NormKind::CONSUMPTION);
    let basis = use_state(|| set_norm::NormBasis::PERSON);
    let (from, quantity) = (use_state(String::new), use_state(String::new));
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(api::run::<Norms>(norms::Variables {}).await));
            });
        });
    }
    let default_service = choices
        .as_ref()
        .and_then(|c| c.services.items.first().map(|s| s.id));
    let on_save = {
        let (service, kind, basis, from, quantity, message, version) = (
            service.clone(),
            kind.clone(),
            basis.clone(),
            from.clone(),
            quantity.clone(),
            outcome.clone(),
            version.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(service_id) = (*service).or(default_service) else {
                return;
            };
            let required = [
                ("validFrom", from.as_str()),
                ("quantity", quantity.as_str()),
            ];
            if let Some(refused) = missing(&ui, &required) {
                return message.set(Some(Err(refused)));
            }
            let input = set_norm::NormInput {
                service_id,
                kind: (*kind).clone(),
                basis: (*basis).clone(),
                valid_from: (*from).clone(),
                quantity: quantity.trim().replace(',', "."),
            };
            let (message, version) = (message.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetNorm>(set_norm::Variables { input }).await {
                    Ok(_) => {
                        message.set(Some(Ok(())));
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let kind_text = |k: &norms::NormKind| crate::shared::labels::api_enum(&ui, "NormKind", k);
    let basis_text = |b: &norms::NormBasis| crate::shared::labels::api_enum(&ui, "NormBasis", b);
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.norms
                .iter()
                .map(|n| {
                    let delete = {
                        let (id, message, version) = (n.id, message.clone(), version.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, version) = (message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeleteNorm>(delete_norm::Variables { id }).await {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    Row::new(
                        n.id,
                        vec![
                            Cell::text(n.service_name.clone()),
                            Cell::text(kind_text(&n.kind)),
                            Cell::text(basis_text(&n.basis)),
                            Cell::text(n.valid_from.clone()),
                            Cell::number(n.quantity.clone(), ui.quantity(&n.quantity)),
                            delete_cell(&ui, may_delete, delete),
                        ],
                    )
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("service", ui.t(Key::FieldServices)).sortable(),
        Column::new("kind", ui.t(Key::NormKindLabel)).sortable(),
        Column::new("basis", ui.t(Key::NormBasisLabel)).sortable(),
        Column::new("from", ui.t(Key::ValidFrom)).sortable(),
        Column::new("quantity", ui.t(Key::Quantity))
            .numeric()
            .sortable(),
        Column::new("actions", ""),
    ];
    let service_options = choices.as_ref().map(|c| {
        c.services
            .items
            .iter()
            .map(|s| html! { <option value={s.id.to_string()}>{ &s.name }</option> })
            .collect::<Html>()
    });
    html! {
        <div class="prices-screen">
            <DataTable id="norms-table" {columns} {rows} />
            if may_update {
            <form id="norm-form" class="card" onsubmit={on_save}>
                <h3>{ ui.t(Key::NewNorm) }</h3>
                <label>{ ui.t(Key::FieldServices) }
                    <select id="norm-service" onchange={ let s = service.clone(); Callback::from(move |e: Event| s.set(select_value(&e).parse().ok())) }>
                        { service_options.unwrap_or_default() }
                    </select>
                </label>
                <label>{ ui.t(Key::NormKindLabel) }
                    <select id="norm-kind" onchange={ let k = kind.clone(); Callback::from(move |e: Event| k.set(if select_value(&e) == "social" { set_norm::NormKind::SOCIAL } else { set_norm::NormKind::CONSUMPTION })) }>
                        <option value="consumption">{ ui.t(Key::NormConsumption) }</option>
                        <option value="social">{ ui.t(Key::NormSocial) }</option>
                    </select>
                </label>
                <label>{ ui.t(Key::NormBasisLabel) }
                    <select id="norm-basis" onchange={ let b = basis.clone(); Callback::from(move |e: Event| b.set(if select_value(&e) == "m2" { set_norm::NormBasis::M2 } else { set_norm::NormBasis::PERSON })) }>
                        <option value="person">{ ui.t(Key::PerPerson) }</option>
                        <option value="m2">{ ui.t(Key::PerSquareMetre) }</option>
                    </select>
                </label>
                <label>{ ui.t(Key::ValidFrom) }<input id="norm-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "validFrom")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&outcome, "validFrom") }</label>
                <label>{ ui.t(Key::Quantity) }<input id="norm-quantity" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "quantity")} value={(*quantity).clone()} oninput={bind(&quantity)} />{ field_error(&outcome, "quantity") }</label>
                <button id="norm-save" type="submit">{ ui.t(Key::Save) }</button>
                { receipt(&ui, &outcome, "norm-saved", &["validFrom", "quantity"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="norm-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}

#[function_component(PenaltyRatesScreen)]
pub fn penalty_rates_screen() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (
        can.allows("reference_books.update"),
        can.allows("reference_books.delete"),
    );
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<penalty_rates::ResponseData, String>>);
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    let (from, rate) = (use_state(String::new), use_state(String::new));
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<PenaltyRates>(penalty_rates::Variables {}).await,
                ));
            });
        });
    }
    let on_save = {
        let (from, rate, message, version) =
            (from.clone(), rate.clone(), outcome.clone(), version.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(
                &ui,
                &[("validFrom", from.as_str()), ("rate", rate.as_str())],
            ) {
                return message.set(Some(Err(refused)));
            }
            let vars = set_penalty_rate::Variables {
                valid_from: (*from).clone(),
                rate: rate.trim().replace(',', "."),
            };
            let (message, version) = (message.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SetPenaltyRate>(vars).await {
                    Ok(_) => {
                        message.set(Some(Ok(())));
                        version.set(*version + 1);
                    }
                    Err(e) => message.set(Some(Err(e))),
                }
            });
        })
    };
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.penalty_rates
                .iter()
                .map(|r| {
                    let delete = {
                        let (valid_from, message, version) =
                            (r.valid_from.clone(), message.clone(), version.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (valid_from, message, version) =
                                (valid_from.clone(), message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeletePenaltyRate>(
                                    delete_penalty_rate::Variables { valid_from },
                                )
                                .await
                                {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    Row::new(
                        r.valid_from.clone(),
                        vec![
                            Cell::text(r.valid_from.clone()),
                            Cell::number(r.rate.clone(), ui.quantity(&r.rate)),
                            delete_cell(&ui, may_delete, delete),
                        ],
                    )
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("from", ui.t(Key::ValidFrom)).sortable(),
        Column::new("rate", ui.t(Key::RatePerYear))
            .numeric()
            .sortable(),
        Column::new("actions", ""),
    ];
    html! {
        <div class="prices-screen">
            <DataTable id="penalty-rates-table" {columns} {rows} />
            if may_update {
            <form id="penalty-rate-form" class="card" onsubmit={on_save}>
                <label>{ ui.t(Key::ValidFrom) }<input id="penalty-rate-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "validFrom")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&outcome, "validFrom") }</label>
                <label>{ ui.t(Key::RatePerYear) }<input id="penalty-rate-rate" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "rate")} value={(*rate).clone()} oninput={bind(&rate)} />{ field_error(&outcome, "rate") }</label>
                <button id="penalty-rate-save" type="submit">{ ui.t(Key::Save) }</button>
                { receipt(&ui, &outcome, "penalty-rate-saved", &["validFrom", "rate"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="penalty-rate-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}
