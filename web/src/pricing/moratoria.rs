//! The book of penalty moratoria in Reference books: the dated intervals on which no
//! penalty accrues under a rule (both days included), with their basis; a row is changed by
//! «Edit» (the form takes it) and removed by «Delete». The penalty statement reads the
//! intervals of its rule.

use yew::prelude::*;

use crate::acts::parse;
use crate::admin::{bind, error_text};
use crate::shared::api::{
    self, DeletePenaltyMoratorium, PenaltyMoratoria, SavePenaltyMoratorium,
    delete_penalty_moratorium, penalty_moratoria, save_penalty_moratorium,
};
use crate::shared::confirm::confirm;
use crate::shared::form::{Outcome, field_error, invalid, missing, receipt};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shared::table::{Cell, Column, DataTable, Row, Rows, delete_cell};
use crate::shell::{Ui, use_can};

const RULES: [&str; 4] = ["RUSSIA", "UKRAINE", "KAZAKHSTAN", "BULGARIA"];

#[function_component(PenaltyMoratoriaScreen)]
pub fn penalty_moratoria_screen() -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let can = use_can();
    let (may_update, may_delete) = (
        can.allows("reference_books.update"),
        can.allows("reference_books.delete"),
    );
    let version = use_state(|| 0u32);
    let data = use_state(|| None::<Result<penalty_moratoria::ResponseData, String>>);
    let message = use_state(|| None::<String>);
    let outcome = use_state(|| None as Outcome);
    let editing = use_state(|| None::<i64>);
    let rule = use_state(|| "RUSSIA".to_owned());
    let (from, to, note) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    {
        let data = data.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(
                    api::run::<PenaltyMoratoria>(penalty_moratoria::Variables {}).await,
                ));
            });
        });
    }
    let clear = {
        let (editing, from, to, note) = (editing.clone(), from.clone(), to.clone(), note.clone());
        move || {
            editing.set(None);
            from.set(String::new());
            to.set(String::new());
            note.set(String::new());
        }
    };
    let on_save = {
        let (rule, from, to, note, editing) = (
            rule.clone(),
            from.clone(),
            to.clone(),
            note.clone(),
            editing.clone(),
        );
        let (outcome, version, clear) = (outcome.clone(), version.clone(), clear.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(refused) = missing(&ui, &[("from", from.as_str()), ("to", to.as_str())]) {
                return outcome.set(Some(Err(refused)));
            }
            let Some(rule_value) = parse::<save_penalty_moratorium::PenaltyStatementRule>(&rule)
            else {
                return;
            };
            let vars = save_penalty_moratorium::Variables {
                id: *editing,
                input: save_penalty_moratorium::PenaltyMoratoriumInput {
                    rule: rule_value,
                    from: (*from).clone(),
                    to: (*to).clone(),
                    note: (*note).clone(),
                },
            };
            let (outcome, version, clear) = (outcome.clone(), version.clone(), clear.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<SavePenaltyMoratorium>(vars).await {
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
            d.penalty_moratoria
                .iter()
                .map(|m| {
                    let code = serde_json::to_value(&m.rule)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let edit = {
                        let (editing, rule, from, to, note) = (
                            editing.clone(),
                            rule.clone(),
                            from.clone(),
                            to.clone(),
                            note.clone(),
                        );
                        let (id, code, start, end, text) = (
                            m.id,
                            code.clone(),
                            m.from.clone(),
                            m.to.clone(),
                            m.note.clone(),
                        );
                        Callback::from(move |_: MouseEvent| {
                            editing.set(Some(id));
                            rule.set(code.clone());
                            from.set(start.clone());
                            to.set(end.clone());
                            note.set(text.clone());
                        })
                    };
                    let delete = {
                        let (id, message, version) = (m.id, message.clone(), version.clone());
                        Callback::from(move |_| {
                            if !confirm(&ui, Key::ConfirmDelete) {
                                return;
                            }
                            let (message, version) = (message.clone(), version.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                match api::call::<DeletePenaltyMoratorium>(
                                    delete_penalty_moratorium::Variables { id },
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
                        html! { <button type="button" class="moratorium-edit" onclick={edit}>{ ui.t(Key::Edit) }</button> }
                    } else {
                        html! {}
                    };
                    Row::new(
                        m.id,
                        vec![
                            Cell::text(labels::code(&ui, "PenaltyStatementRule", &code)),
                            Cell::text(m.from.clone()),
                            Cell::text(m.to.clone()),
                            Cell::text(m.note.clone()),
                            Cell::html(actions).class("actions"),
                            delete_cell(&ui, may_delete, delete),
                        ],
                    )
                    .attr("data-from", m.from.clone())
                })
                .collect()
        })
    }));
    let columns = vec![
        Column::new("rule", ui.t(Key::PenaltyRule)).sortable(),
        Column::new("from", ui.t(Key::MoratoriumFrom)).sortable(),
        Column::new("to", ui.t(Key::MoratoriumTo)).sortable(),
        Column::new("note", ui.t(Key::MoratoriumNote)),
        Column::new("edit", ""),
        Column::new("actions", ""),
    ];
    let on_rule = {
        let rule = rule.clone();
        Callback::from(move |e: Event| {
            rule.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    let on_cancel = {
        let clear = clear.clone();
        Callback::from(move |_: MouseEvent| clear())
    };
    html! {
        <div class="prices-screen">
            <p class="hint">{ ui.t(Key::MoratoriumHint) }</p>
            <DataTable id="penalty-moratoria-table" {columns} {rows} />
            if may_update {
            <form id="moratorium-form" class="card" onsubmit={on_save}>
                <label>{ ui.t(Key::PenaltyRule) }<select id="moratorium-rule" onchange={on_rule}>
                    { for RULES.iter().map(|v| html! { <option value={*v} selected={*rule == *v}>{ labels::code(&ui, "PenaltyStatementRule", v) }</option> }) }
                </select></label>
                <label>{ ui.t(Key::MoratoriumFrom) }<input id="moratorium-from" type="date" aria-required="true" aria-invalid={invalid(&outcome, "from")} value={(*from).clone()} oninput={bind(&from)} />{ field_error(&outcome, "from") }</label>
                <label>{ ui.t(Key::MoratoriumTo) }<input id="moratorium-to" type="date" aria-required="true" aria-invalid={invalid(&outcome, "to")} value={(*to).clone()} oninput={bind(&to)} />{ field_error(&outcome, "to") }</label>
                <label>{ ui.t(Key::MoratoriumNote) }<input id="moratorium-note" maxlength="300" aria-invalid={invalid(&outcome, "note")} value={(*note).clone()} oninput={bind(&note)} />{ field_error(&outcome, "note") }</label>
                <button id="moratorium-save" type="submit">{ ui.t(Key::Save) }</button>
                if editing.is_some() {
                    <button id="moratorium-cancel" type="button" onclick={on_cancel}>{ ui.t(Key::Cancel) }</button>
                }
                { receipt(&ui, &outcome, "moratorium-saved", &["from", "to", "note"]) }
            </form>
            }
            if let Some(m) = &*message { <p id="moratorium-message" class="error" role="alert">{ m }</p> }
        </div>
    }
}
