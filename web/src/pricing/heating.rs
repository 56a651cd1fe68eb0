//! The heating floor coefficients in Reference books (seed 001 «Параметри опалення»):
//! from a day on, the coefficient of buildings of 1–4 storeys and of 5 and more; a row is
//! changed by «Edit» (the form takes it) and removed by «Delete». The calculation
//! multiplies heating charged by area by the coefficient of the building's storeys.

use yew::prelude::*;

use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, DeleteHeatingCoefficient, HeatingCoefficients, SaveHeatingCoefficient,
    delete_heating_coefficient, heating_coefficients, save_heating_coefficient,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, invalid, missing, receipt};
use crate::shared::i18n::Key;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, delete_cell};
use crate::shell::{Ui, use_can};

#[function_component(HeatingCoefficientsScreen)]
pub fn heating_coefficients_screen() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (
        can.allows("reference_books.update"),
        can.allows("reference_books.delete"),
    );
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<heating_coefficients::ResponseData, String>>);
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    let editing = use_state(|| None::<i64>);
    let (from, low, high, note) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<HeatingCoefficients>(heating_coefficients::Variables {}).await,
                ));
            });
        });
    }
    let clear = {
        let (editing, from, low, high, note) = (
            editing.clone(),
            from.clone(),
            low.clone(),
            high.clone(),
            note.clone(),
        );
        move || {
            editing.set(None);
            for s in [&from, &low, &high, &note] {
                s.set(String::new());
            }
        }
    };
    let on_save = {
        let (from, low, high, note, editing) = (
            from.clone(),
            low.clone(),
            high.clone(),
            note.clone(),
            editing.clone(),
        );
        let (outcome, version, clear) = (outcome.clone(), version.clone(), clear.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let fields = [
                ("validFrom", from.as_str()),
                ("lowRise", low.as_str()),
                ("highRise", high.as_str()),
            ];
            if let Some(refused) = missing(&ui, &fields) {
                return outcome.set(Some(Err(refused)));
            }
            let vars = save_heating_coefficient::Variables {
                id: *editing,
                input: save_heating_coefficient::HeatingCoefficientInput {
                    valid_from: (*from).clone(),
                    low_rise: (*low).clone(),
                    high_rise: (*high).clone(),
                    note: (*note).clone(),
                },
            };
            let (outcome, version, clear) = (outcome.clone(), version.clone(), clear.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SaveHeatingCoefficient>(vars).await {
                    Ok(_) => {
                        outcome.set(Some(Ok(())));
                        clear();
                        version.set(*version + 1);
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let rows = Rows::from((*data).as_ref().map(|r| {
        r.as_ref().map_err(Clone::clone).map(|d| {
            d.heating_coefficients
                .iter()
                .map(|c| {
                    let edit = {
                        let (editing, from, low, high, note) = (
                            editing.clone(),
                            from.clone(),
                            low.clone(),
                            high.clone(),
                            note.clone(),
                        );
                        let row = (
                            c.id,
                            c.valid_from.clone(),
                            c.low_rise.clone(),
                            c.high_rise.clone(),
                            c.note.clone(),
                        );
                        Callback::from(move |_: MouseEvent| {
                            editing.set(Some(row.0));
                            from.set(row.1.clone());
                            low.set(row.2.clone());
                            high.set(row.3.clone());
                            note.set(row.4.clone());
                        })
                    };
                    let delete = {
                        let (id, message, version) = (c.id, message.clone(), version.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, version) = (message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeleteHeatingCoefficient>(
                                    delete_heating_coefficient::Variables { id },
                                )
                                .await
                                {
                                    Ok(_) => version.set(*version + 1),
                                    Err(e) => message.set(Some(error_text(&e))),
                                }
                            });
                        })
                    };
                    let actions = if may_update {
                        html! { <button type="button" class="heating-edit" onclick={edit}>{ ui.t(Key::Edit) }</button> }
                    } else {
                        html! {}
                    };
                    Row::new(
                        c.id,
                        vec![
                            Cell::text(c.valid_from.clone()),
                            Cell::text(c.low_rise.clone()),
                            Cell::text(c.high_rise.clone()),
                            Cell::text(c.note.clone()),
                            Cell::html(actions).class("actions"),
                            delete_cell(&ui, may_delete, delete),
                        ],
                    )
                    .attr("data-from", c.valid_from.clone())
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("from", ui.t(Key::HeatingValidFrom)).sortable(),
        Column::new("low", ui.t(Key::HeatingLowRise)),
        Column::new("high", ui.t(Key::HeatingHighRise)),
        Column::new("note", ui.t(Key::HeatingNote)),
        Column::new("edit", ""),
        Column::new("actions", ""),
    ];
    let on_cancel = {
        let clear = clear.clone();
        Callback::from(move |_: MouseEvent| clear())
    };
    html! {
        <div class="prices-screen">
            <p class="hint">{ ui.t(Key::HeatingHint) }</p>
            <DataTable id="heating-coefficients-table" {columns} {rows} />
            if may_update {
            <form id="heating-form" class="card" onsubmit={on_save}>
                <label>{ ui.t(Key::HeatingValidFrom) }<input id="heating-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "validFrom")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&outcome, "validFrom") }</label>
                <label>{ ui.t(Key::HeatingLowRise) }<input id="heating-low" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "lowRise")} value={(*low).clone()} oninput={bind(&low)} />{ field_error(&outcome, "lowRise") }</label>
                <label>{ ui.t(Key::HeatingHighRise) }<input id="heating-high" inputmode="decimal" aria-required="true" aria-invalid={invalid(&outcome, "highRise")} value={(*high).clone()} oninput={bind(&high)} />{ field_error(&outcome, "highRise") }</label>
                <label>{ ui.t(Key::HeatingNote) }<input id="heating-note" maxlength="300" aria-invalid={invalid(&outcome, "note")} value={(*note).clone()} oninput={bind(&note)} />{ field_error(&outcome, "note") }</label>
                <button id="heating-save" type="submit">{ ui.t(Key::Save) }</button>
                if editing.is_some() {
                    <button id="heating-cancel" type="button" onclick={on_cancel}>{ ui.t(Key::Cancel) }</button>
                }
                { receipt(&ui, &outcome, "heating-saved", &["validFrom", "lowRise", "highRise", "note"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="heating-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}
