//! Choosing a record by its name, never by a typed id: the user types part of an
//! address or a name, the browser offers what the server found
//! (a `<datalist>`, so the list is the platform's own, keyboard and screen reader
//! included), and picking one tells the form the record's id.

use yew::prelude::*;

use crate::shared::api::{
    self, PickAccounts, PickBookItems, PickBuildings, pick_accounts, pick_book_items,
    pick_buildings,
};
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// How long typing pauses before the server is asked, in milliseconds.
const DEBOUNCE_MS: u32 = 200;

/// What the picker chooses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PickKind {
    Building,
    Branch,
    /// An account, named by its number and address.
    Account,
}

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// The input's id; the option list is `<id>-list`.
    pub id: AttrValue,
    pub kind: PickKind,
    pub label: AttrValue,
    /// Told the chosen id, or `None` while the text names no record.
    pub on_pick: Callback<Option<i64>>,
}

/// The options the server found for `search`: each record's id and how it is named.
async fn find(kind: PickKind, search: Option<String>) -> Vec<(i64, String)> {
    match kind {
        PickKind::Building => api::run::<PickBuildings>(pick_buildings::Variables { search })
            .await
            .map(|d| {
                d.buildings
                    .items
                    .into_iter()
                    .map(|b| (b.id, b.address))
                    .collect()
            })
            .unwrap_or_default(),
        PickKind::Account => api::run::<PickAccounts>(pick_accounts::Variables { search })
            .await
            .map(|d| {
                d.accounts
                    .items
                    .into_iter()
                    .map(|a| (a.id, format!("{} · {}", a.number, a.address)))
                    .collect()
            })
            .unwrap_or_default(),
        PickKind::Branch => {
            let book = pick_book_items::Book::BRANCHES;
            api::run::<PickBookItems>(pick_book_items::Variables { book, search })
                .await
                .map(|d| {
                    d.reference_book
                        .items
                        .into_iter()
                        .filter(|i| i.active)
                        .map(|i| (i.id, i.name))
                        .collect()
                })
                .unwrap_or_default()
        }
    }
}

/// What the server searches by: the typed text, none when blank (the first records).
fn search_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let ui = use_context::<Ui>().unwrap_or_default();
    let text = use_state(String::new);
    let options = use_state(Vec::<(i64, String)>::new);
    let latest = api::use_latest();
    {
        let (options, latest) = (options.clone(), latest.clone());
        // The kind too: a picker reused for another kind of record searches again.
        use_effect_with(((*text).clone(), props.kind), move |(typed, kind)| {
            let kind = *kind;
            let search = search_text(typed);
            let ticket = latest.next();
            wasm_bindgen_futures::spawn_local(async move {
                // Typing on: only the text the user paused at is searched.
                if search.is_some() {
                    gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS).await;
                    if !latest.is(ticket) {
                        return;
                    }
                }
                let found = find(kind, search).await;
                // A slower answer to an older text must not replace a newer one.
                if latest.is(ticket) {
                    options.set(found);
                }
            });
        });
    }
    let oninput = {
        let (text, options, on_pick) = (text.clone(), options.clone(), props.on_pick.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let chosen = options
                .iter()
                .find(|(_, name)| *name == typed)
                .map(|(id, _)| *id);
            on_pick.emit(chosen);
            // A choice keeps its list; typing searches again.
            if chosen.is_none() {
                text.set(typed);
            }
        })
    };
    let list = format!("{}-list", props.id);
    html! {
        <label>{ props.label.clone() }
            <input id={props.id.clone()} class="picker" type="search" list={list.clone()}
                placeholder={ui.t(Key::PickerHint)} autocomplete="off" {oninput} />
            <datalist id={list}>
                { for options.iter().map(|(id, name)| html! { <option value={name.clone()} data-id={id.to_string()} /> }) }
            </datalist>
        </label>
    }
}
