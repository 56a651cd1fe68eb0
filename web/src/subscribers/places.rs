//! Where accounts are kept (seed 001 §4.3): the account-types book and the journals as
//! the list's filters and the card's type choice, and moving the ticked accounts to
//! another journal («Перемістити в журнал», Shift+Ins).

use yew::prelude::*;

use crate::admin::error_text;
use crate::shared::api::{
    self, AccountPlaces, MoveAccountsToJournal, account_places, move_accounts_to_journal,
};
use crate::shared::form::pick;
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// The types (id, name, for legal entities, in use) and journals (id, name, in use).
#[derive(Clone, Default, PartialEq)]
pub struct Places {
    pub types: Vec<(i64, String, bool, bool)>,
    pub journals: Vec<(i64, String, bool)>,
}

impl Places {
    pub fn type_name(&self, id: Option<i64>) -> Option<String> {
        let id = id?;
        self.types.iter().find(|t| t.0 == id).map(|t| t.1.clone())
    }

    pub fn journal_name(&self, id: Option<i64>) -> Option<String> {
        let id = id?;
        self.journals
            .iter()
            .find(|j| j.0 == id)
            .map(|j| j.1.clone())
    }

    /// `<option>`s of the types in use (and `current`, whatever became of it).
    pub fn type_options(&self, current: Option<i64>) -> Html {
        self.types
            .iter()
            .filter(|t| t.3 || Some(t.0) == current)
            .map(|t| html! { <option value={t.0.to_string()} selected={current == Some(t.0)}>{ &t.1 }</option> })
            .collect()
    }

    pub fn journal_options(&self, current: Option<i64>) -> Html {
        self.journals
            .iter()
            .filter(|j| j.2 || Some(j.0) == current)
            .map(|j| html! { <option value={j.0.to_string()} selected={current == Some(j.0)}>{ &j.1 }</option> })
            .collect()
    }
}

/// The two books, read once (a user who may not read the books gets empty lists).
#[hook]
pub fn use_places() -> UseStateHandle<Places> {
    let places = use_state(Places::default);
    {
        let places = places.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(d) = api::run::<AccountPlaces>(account_places::Variables {}).await {
                    places.set(Places {
                        types: d
                            .types
                            .items
                            .into_iter()
                            .map(|t| {
                                let legal = t.extra["legal"].as_bool() == Some(true);
                                (t.id, t.name, legal, t.active)
                            })
                            .collect(),
                        journals: d
                            .journals
                            .items
                            .into_iter()
                            .map(|j| (j.id, j.name, j.active))
                            .collect(),
                    });
                }
            });
        });
    }
    places
}

#[derive(Properties, PartialEq)]
pub struct MoveProps {
    pub account_ids: Vec<i64>,
    pub on_done: Callback<()>,
}

/// The ticked accounts moved to the chosen journal (or out of every journal).
#[function_component(JournalMove)]
pub fn journal_move(props: &MoveProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let places = use_places();
    let journal = use_state(|| None::<i64>);
    let message = use_state(|| None::<String>);
    let onclick = {
        let (ids, journal, message, done) = (
            props.account_ids.clone(),
            journal.clone(),
            message.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_| {
            let vars = move_accounts_to_journal::Variables {
                account_ids: ids.clone(),
                journal_id: *journal,
            };
            let (message, done) = (message.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::call::<MoveAccountsToJournal>(vars).await {
                    Ok(d) => {
                        let r = d.move_accounts_to_journal;
                        let mut text = format!("{}: {}", ui.t(Key::JournalMoved), r.changed);
                        for s in r.skipped {
                            text.push_str(&format!(
                                "; {} — {}",
                                s.number.unwrap_or_default(),
                                s.reason
                            ));
                        }
                        message.set(Some(text));
                        done.emit(());
                    }
                    Err(e) => message.set(Some(error_text(&e))),
                }
            });
        })
    };
    html! {
        <div id="journal-move" class="inline card">
            <label>{ ui.t(Key::MoveToJournal) }
                <select id="journal-move-select" onchange={pick(&journal)}>
                    <option value="" selected={journal.is_none()}>{ ui.t(Key::NoJournal) }</option>
                    { places.journal_options(*journal) }
                </select>
            </label>
            <button id="journal-move-button" type="button" {onclick}>{ ui.t(Key::Move) }</button>
            if let Some(m) = &*message { <p id="journal-move-message" role="status">{ m }</p> }
        </div>
    }
}
