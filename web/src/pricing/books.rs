//! Reference books (seed 000 Fig. 14–15): the list of books, then one generic screen per
//! book to list, search, add, edit and delete its records, and export them to XLSX.

use yew::prelude::*;

use crate::shared::menu_dashboard::{DashboardMenu, MenuDashboard};

use crate::admin::{bind, error_text};
use crate::pricing::prices::{NormsScreen, PenaltyRatesScreen, TariffsScreen};
use crate::shared::api::{
    self, CreateReferenceItem, DeleteReferenceItem, ReferenceBook, UpdateReferenceItem,
    create_reference_item, delete_reference_item, reference_book, update_reference_item,
};
use crate::shared::confirm::confirm;
use crate::shared::export::{ExportXlsx, ListKind};
use crate::shared::form::{Outcome, field_error, invalid, missing, receipt};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows};
use crate::shell::{Ui, interned, use_can};

use reference_book::Book;

/// The books in the menu's order, with their element ids.
const BOOKS: [(Book, &str); 17] = [
    (Book::BRANCHES, "branches"),
    (Book::BANKS, "banks"),
    (Book::PAYMENT_TYPES, "payment-types"),
    (Book::RECALCULATION_REASONS, "recalculation-reasons"),
    (Book::ACCOUNT_TYPES, "account-types"),
    (Book::EMPLOYEES, "employees"),
    (Book::JOURNALS, "journals"),
    (Book::SERVICES, "services"),
    (Book::UNITS, "units"),
    (Book::PRICE_LISTS, "price-lists"),
    (Book::BENEFITS, "benefits"),
    (Book::SEASONS, "seasons"),
    (Book::METER_TYPES, "meter-types"),
    (Book::METER_BRANDS, "meter-brands"),
    (Book::METER_MODELS, "meter-models"),
    (Book::GRID_OPERATORS, "grid-operators"),
    (Book::INTERMEDIARIES, "intermediaries"),
];

fn field_label(name: &str) -> Option<Key> {
    Some(match name {
        "taxId" => Key::FieldTaxId,
        "iban" => Key::FieldIban,
        "channel" => Key::FieldChannel,
        "position" => Key::FieldPosition,
        "isController" => Key::FieldIsController,
        "unit" => Key::FieldUnit,
        "method" => Key::FieldMethod,
        "subMethod" => Key::FieldSubMethod,
        "seasonal" => Key::FieldSeasonal,
        "benefitRule" => Key::FieldBenefitRule,
        "priority" => Key::FieldPriority,
        "startsOn" => Key::FieldStartsOn,
        "endsOn" => Key::FieldEndsOn,
        "resource" => Key::FieldResource,
        "brand" => Key::FieldBrand,
        "meterType" => Key::FieldMeterType,
        "diameterMm" => Key::FieldDiameter,
        "digits" => Key::FieldDigits,
        "verificationMonths" => Key::FieldVerificationMonths,
        "percent" => Key::FieldPercent,
        "family" => Key::FieldFamily,
        "services" => Key::FieldServices,
        "fine" => Key::FieldFine,
        "appliesTo" => Key::FieldAppliesTo,
        "baseService" => Key::FieldBaseService,
        "commonLimit" => Key::FieldCommonLimit,
        "yearly" => Key::FieldYearly,
        "legal" => Key::FieldLegal,
        "eic" => Key::RetailEic,
        "commission" => Key::RetailCommission,
        _ => return None,
    })
}

/// The text of a field's value in the list: names for references, ✓ for true.
fn cell_text(
    ui: Ui,
    f: &reference_book::ReferenceBookReferenceBookFields,
    v: &serde_json::Value,
) -> String {
    let name_of = |id: i64| {
        f.options
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    };
    match v {
        serde_json::Value::Bool(true) => "✓".to_owned(),
        serde_json::Value::String(s) if f.kind == reference_book::FieldKind::CHOICE => {
            labels::code(&ui, f.code_list.as_deref().unwrap_or_default(), s)
        }
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) if f.kind == reference_book::FieldKind::REFERENCE => {
            n.as_i64().map(name_of).unwrap_or_default()
        }
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Array(ids) => ids
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .map(name_of)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

#[function_component(ReferenceBooks)]
pub fn reference_books() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let current = use_state(|| 0usize);
    let tabs = BOOKS.iter().enumerate().map(|(i, (book, id))| {
        let active = *current == i;
        let current = current.clone();
        let onclick = Callback::from(move |_| current.set(i));
        html! {
            <li><button id={format!("book-{id}")} class={classes!("book-link", active.then_some("active"))} {onclick}>{ labels::api_enum(&ui, "Book", book) }</button></li>
        }
    });
    // After the books: the dated reference data, each with its own screen.
    let dated = [
        (Key::TabTariffs, "tariffs"),
        (Key::TabNorms, "norms"),
        (Key::TabPenaltyRates, "penalty-rates"),
        (Key::TabPenaltyMoratoria, "penalty-moratoria"),
        (Key::TabHeatingCoefficients, "heating-coefficients"),
    ];
    let dated_tabs = dated.iter().enumerate().map(|(j, (key, id))| {
        let i = BOOKS.len() + j;
        let active = *current == i;
        let current = current.clone();
        let onclick = Callback::from(move |_| current.set(i));
        html! {
            <li><button id={format!("book-{id}")} class={classes!("book-link", active.then_some("active"))} {onclick}>{ ui.t(*key) }</button></li>
        }
    });
    let screen = match BOOKS.get(*current) {
        Some((book, _)) => html! { <BookScreen key={*current} book={book.clone()} /> },
        None => match *current - BOOKS.len() {
            0 => html! { <TariffsScreen /> },
            1 => html! { <NormsScreen /> },
            2 => html! { <PenaltyRatesScreen /> },
            3 => html! { <crate::pricing::moratoria::PenaltyMoratoriaScreen /> },
            _ => html! { <crate::pricing::heating::HeatingCoefficientsScreen /> },
        },
    };
    html! {
        <>
        // Over the books, not in their row (the list and the screen sit side by side).
        <MenuDashboard menu={DashboardMenu::REFERENCE_BOOKS} />
        <section class="books">
            <ul class="book-list">{ for tabs }{ for dated_tabs }</ul>
            { screen }
        </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct BookProps {
    book: Book,
}

type Data = reference_book::ResponseData;

#[function_component(BookScreen)]
fn book_screen(props: &BookProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_create, may_update, may_delete) = (
        can.allows("reference_books.create"),
        can.allows("reference_books.update"),
        can.allows("reference_books.delete"),
    );
    let data = use_state(|| None::<Result<Data, String>>);
    let version = use_state(|| 0u32);
    let search = use_state(String::new);
    let applied = use_state(String::new);
    // A refused deletion; the form's own outcome is `outcome`.
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    // The form: None = adding; Some(id) = editing that record.
    let editing = use_state(|| None::<i64>);
    let (code, name) = (use_state(String::new), use_state(String::new));
    let active = use_state(|| true);
    let extra = use_state(serde_json::Map::<String, serde_json::Value>::new);
    {
        let (data, book) = (data.clone(), props.book.clone());
        use_effect_with((*version, (*applied).clone()), move |(_, s)| {
            let vars = reference_book::Variables {
                book,
                search: (!s.is_empty()).then(|| s.clone()),
            };
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(api::run::<ReferenceBook>(vars).await));
            });
        });
    }
    let fields = match &*data {
        Some(Ok(d)) => d.reference_book_fields.clone(),
        _ => Vec::new(),
    };
    let reset = {
        let (editing, code, name, active, extra) = (
            editing.clone(),
            code.clone(),
            name.clone(),
            active.clone(),
            extra.clone(),
        );
        move || {
            editing.set(None);
            code.set(String::new());
            name.set(String::new());
            active.set(true);
            extra.set(serde_json::Map::new());
        }
    };
    let on_save = {
        let (book, editing, code, name, active, extra, message, version, reset) = (
            props.book.clone(),
            editing.clone(),
            code.clone(),
            name.clone(),
            active.clone(),
            extra.clone(),
            outcome.clone(),
            version.clone(),
            reset.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(&ui, &[("code", code.as_str()), ("name", name.as_str())])
            {
                return message.set(Some(Err(refused)));
            }
            let extra_value = serde_json::Value::Object((*extra).clone());
            let (book, id, message, version, reset) = (
                book.clone(),
                *editing,
                message.clone(),
                version.clone(),
                reset.clone(),
            );
            let (c, n, a) = ((*code).clone(), (*name).clone(), *active);
            wasm_bindgen_futures::spawn_local(async move {
                let result =
                    match id {
                        None => {
                            let input = create_reference_item::ItemInput {
                                code: c,
                                name: n,
                                active: a,
                                extra: Some(extra_value),
                            };
                            match api::same_enum(&book) {
                                Some(book) => api::call::<CreateReferenceItem>(
                                    create_reference_item::Variables { book, input },
                                )
                                .await
                                .map(|_| ()),
                                None => return,
                            }
                        }
                        Some(id) => {
                            let input = update_reference_item::ItemInput {
                                code: c,
                                name: n,
                                active: a,
                                extra: Some(extra_value),
                            };
                            match api::same_enum(&book) {
                                Some(book) => api::call::<UpdateReferenceItem>(
                                    update_reference_item::Variables { book, id, input },
                                )
                                .await
                                .map(|_| ()),
                                None => return,
                            }
                        }
                    };
                if result.is_ok() {
                    reset();
                    version.set(*version + 1);
                }
                message.set(Some(result));
            });
        })
    };
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.reference_book
                .items
                .iter()
                .map(|item| {
                    let edit = {
                        let (editing, code, name, active, extra, outcome, item) = (
                            editing.clone(),
                            code.clone(),
                            name.clone(),
                            active.clone(),
                            extra.clone(),
                            outcome.clone(),
                            item.clone(),
                        );
                        Callback::from(move |_| {
                            editing.set(Some(item.id));
                            code.set(item.code.clone());
                            name.set(item.name.clone());
                            active.set(item.active);
                            extra.set(item.extra.as_object().cloned().unwrap_or_default());
                            outcome.set(None);
                        })
                    };
                    let delete = {
                        let (book, id, message, version) = (
                            props.book.clone(),
                            item.id,
                            message.clone(),
                            version.clone(),
                        );
                        Callback::from(move |_| {
                            let Some(book) =
                                api::same_enum::<_, delete_reference_item::Book>(&book)
                            else {
                                return;
                            };
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, version) = (message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeleteReferenceItem>(
                                    delete_reference_item::Variables { book, id },
                                )
                                .await
                                {
                                    Ok(_) => {
                                        message.set(None);
                                        version.set(*version + 1);
                                    }
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let mut cells = vec![Cell::text(item.code.clone()), Cell::text(item.name.clone())];
                    cells.extend(
                        fields
                            .iter()
                            .map(|f| Cell::text(cell_text(ui, f, &item.extra[&f.name]))),
                    );
                    cells.push(Cell::text(if item.active { "✓" } else { "" }));
                    cells.push(
                        Cell::html(html! {
                            <>
                                if may_update { <button class="edit" onclick={edit}>{ ui.t(Key::Edit) }</button> }
                                if may_delete { <button class="delete danger" onclick={delete}>{ ui.t(Key::Delete) }</button> }
                            </>
                        })
                        .class("actions"),
                    );
                    Row::new(item.id, cells).attr("data-code", item.code.clone())
                })
                .collect()
        })
    }));
    let inputs = fields.iter().map(|f| {
        let error = field_error(&outcome, &f.name);
        let bad = invalid(&outcome, &f.name);
        let label = field_label(&f.name).map_or(f.name.clone(), |k| ui.t(k).to_owned());
        let current = extra.get(&f.name).cloned().unwrap_or(serde_json::Value::Null);
        let (extra, fname) = (extra.clone(), f.name.clone());
        match f.kind {
            reference_book::FieldKind::BOOL => {
                let checked = current.as_bool().unwrap_or(false);
                let onchange = Callback::from(move |_| {
                    let mut m = (*extra).clone();
                    m.insert(fname.clone(), serde_json::Value::Bool(!checked));
                    extra.set(m);
                });
                html! { <label class="check"><input type="checkbox" name={f.name.clone()} {checked} {onchange} />{ label }{ error }</label> }
            }
            reference_book::FieldKind::CHOICE => {
                let value = current.as_str().unwrap_or_default().to_owned();
                let onchange = Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                    let mut m = (*extra).clone();
                    m.insert(fname.clone(), serde_json::Value::String(v));
                    extra.set(m);
                });
                html! {
                    <label>{ label }
                        <select name={f.name.clone()} aria-invalid={bad.clone()} {onchange}>
                            { for f.choices.iter().map(|c| html! { <option value={c.clone()} selected={*c == value}>{ labels::code(&ui, f.code_list.as_deref().unwrap_or_default(), c) }</option> }) }
                        </select>
                        { error.clone() }
                    </label>
                }
            }
            reference_book::FieldKind::REFERENCE => {
                let value = current.as_i64();
                let onchange = Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                    let mut m = (*extra).clone();
                    m.insert(
                        fname.clone(),
                        v.parse::<i64>().map_or(serde_json::Value::Null, Into::into),
                    );
                    extra.set(m);
                });
                html! {
                    <label>{ label }
                        <select name={f.name.clone()} aria-invalid={bad.clone()} {onchange}>
                            <option value="" selected={value.is_none()}>{ "—" }</option>
                            { for f.options.iter().map(|o| html! { <option value={o.id.to_string()} selected={value == Some(o.id)}>{ &o.name }</option> }) }
                        </select>
                        { error.clone() }
                    </label>
                }
            }
            reference_book::FieldKind::REFERENCES => {
                let chosen: Vec<i64> = current
                    .as_array()
                    .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
                    .unwrap_or_default();
                let boxes = f.options.iter().map(|o| {
                    let checked = chosen.contains(&o.id);
                    let (id, extra, fname, chosen) = (o.id, extra.clone(), fname.clone(), chosen.clone());
                    let onchange = Callback::from(move |_| {
                        let mut ids = chosen.clone();
                        if ids.contains(&id) {
                            ids.retain(|x| *x != id);
                        } else {
                            ids.push(id);
                        }
                        let mut m = (*extra).clone();
                        m.insert(fname.clone(), serde_json::json!(ids));
                        extra.set(m);
                    });
                    html! { <label class="check"><input type="checkbox" name={f.name.clone()} value={o.id.to_string()} {checked} {onchange} />{ &o.name }</label> }
                });
                html! { <fieldset class="references"><legend>{ label }</legend>{ for boxes }{ error }</fieldset> }
            }
            reference_book::FieldKind::INTEGER => {
                let value = match &current {
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    _ => String::new(),
                };
                let oninput = Callback::from(move |e: InputEvent| {
                    let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    let mut m = (*extra).clone();
                    // Sent as typed: the server names the field when it is not a number.
                    m.insert(fname.clone(), v.trim().parse::<i64>().map_or_else(|_| if v.trim().is_empty() { serde_json::Value::Null } else { serde_json::Value::String(v) }, Into::into));
                    extra.set(m);
                });
                html! { <label>{ label }<input name={f.name.clone()} inputmode="numeric" aria-invalid={bad} {value} {oninput} />{ error }</label> }
            }
            _ => {
                let value = current.as_str().unwrap_or_default().to_owned();
                let oninput = Callback::from(move |e: InputEvent| {
                    let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    let mut m = (*extra).clone();
                    m.insert(fname.clone(), serde_json::Value::String(v));
                    extra.set(m);
                });
                let kind = if f.kind == reference_book::FieldKind::DATE { "date" } else { "text" };
                html! { <label>{ label }<input name={f.name.clone()} type={kind} aria-invalid={bad} {value} {oninput} />{ error }</label> }
            }
        }
    });
    let on_search = {
        let (search, applied) = (search.clone(), applied.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            applied.set(search.trim().to_owned());
        })
    };
    let field_names: Vec<&str> = ["code", "name"]
        .into_iter()
        .chain(fields.iter().map(|f| f.name.as_str()))
        .collect();
    let mut columns = vec![
        Column::new("code", ui.t(Key::Code)).sortable(),
        Column::new("name", ui.t(Key::Name)).sortable(),
    ];
    columns.extend(fields.iter().map(|f| {
        let title = field_label(&f.name).map_or(f.name.clone(), |k| ui.t(k).to_owned());
        Column::new(interned(&f.name), title).sortable().optional()
    }));
    columns.push(Column::new("active", ui.t(Key::Active)).sortable());
    columns.push(Column::new("actions", ""));
    let cancel = {
        let reset = reset.clone();
        Callback::from(move |_| reset())
    };
    html! {
        <div class="book-screen">
            <div class="toolbar">
                <form class="search" onsubmit={on_search}>
                    <input id="book-search" type="search" value={(*search).clone()} oninput={bind(&search)} />
                    <button type="submit">{ ui.t(Key::Search) }</button>
                </form>
                <ExportXlsx list={ListKind::REFERENCE_BOOK} book={api::same_enum(&props.book)}
                    search={(!applied.is_empty()).then(|| (*applied).clone())} />
            </div>
            <DataTable id="book-table" {columns} {rows} />
            if may_create || (may_update && editing.is_some()) {
            <form id="book-form" class="card" onsubmit={on_save}>
                <h3>{ if editing.is_some() { ui.t(Key::Edit) } else { ui.t(Key::NewRecord) } }</h3>
                <label>{ ui.t(Key::Code) }<input id="book-code" aria-required="true" aria-invalid={invalid(&outcome, "code")} value={(*code).clone()} oninput={bind(&code)} />{ field_error(&outcome, "code") }</label>
                <label>{ ui.t(Key::Name) }<input id="book-name" aria-required="true" aria-invalid={invalid(&outcome, "name")} value={(*name).clone()} oninput={bind(&name)} />{ field_error(&outcome, "name") }</label>
                { for inputs }
                <label class="check">
                    <input id="book-active" type="checkbox" checked={*active} onchange={ let a = active.clone(); Callback::from(move |_| a.set(!*a)) } />
                    { ui.t(Key::Active) }
                </label>
                <button id="book-save" type="submit">{ ui.t(Key::Save) }</button>
                if editing.is_some() { <button type="button" onclick={cancel}>{ ui.t(Key::Cancel) }</button> }
                { receipt(&ui, &outcome, "book-saved", &field_names) }
            </form>
            }
            if let Some(m) = &*message { <p id="book-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}
