//! A form's fields as text by the API's field names, changed through a reducer (so two
//! inputs typed before a render both land), and the inputs and selects that show one
//! field with its label and its refusal.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::shared::form::{Outcome, field_error, invalid};
use crate::shared::i18n::Key;
use crate::shared::labels;
use crate::shell::Ui;

#[derive(Clone, PartialEq, Default, Debug)]
pub struct Fields(pub BTreeMap<&'static str, String>);

/// One field typed.
pub enum Edit {
    Set(&'static str, String),
}

impl Reducible for Fields {
    type Action = Edit;
    fn reduce(self: Rc<Self>, action: Edit) -> Rc<Self> {
        match action {
            Edit::Set(k, v) => {
                let mut m = self.0.clone();
                m.insert(k, v);
                Rc::new(Fields(m))
            }
        }
    }
}

impl Fields {
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.0.insert(key, value.into());
        self
    }
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_default()
    }
    /// The trimmed text, none when empty.
    pub fn opt(&self, key: &str) -> Option<String> {
        Some(self.get(key).trim().to_owned()).filter(|s| !s.is_empty())
    }
    pub fn id(&self, key: &str) -> Option<i64> {
        self.get(key).parse().ok()
    }
}

pub type Draft = UseReducerHandle<Fields>;

/// An `<input>` of `key` (`kind`: text, date, email, number), id `prefix-key`.
pub fn input(
    ui: &Ui,
    d: &Draft,
    o: &Outcome,
    (key, label): (&'static str, Key),
    kind: &'static str,
    prefix: &str,
) -> Html {
    let oninput = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            d.dispatch(Edit::Set(
                key,
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            ))
        })
    };
    html! {
        <label>{ ui.t(label) }
            <input id={format!("{prefix}-{key}")} type={kind} value={d.get(key)} aria-invalid={invalid(o, key)} {oninput} />
            { field_error(o, key) }
        </label>
    }
}

fn on_select(d: &Draft, key: &'static str) -> Callback<Event> {
    let d = d.clone();
    Callback::from(move |e: Event| {
        d.dispatch(Edit::Set(
            key,
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        ))
    })
}

/// A `<select>` of codes labelled from the code list `list`.
pub fn codes(
    ui: &Ui,
    d: &Draft,
    o: &Outcome,
    (key, label): (&'static str, Key),
    (list, values): (&'static str, &[&'static str]),
    prefix: &str,
) -> Html {
    let current = d.get(key);
    let options = values.iter().map(|v| {
        html! { <option value={*v} selected={current == *v}>{ labels::code(ui, list, v) }</option> }
    });
    html! {
        <label>{ ui.t(label) }
            <select id={format!("{prefix}-{key}")} aria-invalid={invalid(o, key)} onchange={on_select(d, key)}>{ for options }</select>
            { field_error(o, key) }
        </label>
    }
}

/// A `<select>` of rows (id, name); `none` adds an empty "—" first.
pub fn rows(
    ui: &Ui,
    d: &Draft,
    o: &Outcome,
    (key, label): (&'static str, Key),
    choices: &[(i64, String)],
    none: bool,
    prefix: &str,
) -> Html {
    let current = d.get(key);
    let options = choices.iter().map(|(id, name)| {
        let id = id.to_string();
        html! { <option value={id.clone()} selected={current == id}>{ name }</option> }
    });
    html! {
        <label>{ ui.t(label) }
            <select id={format!("{prefix}-{key}")} aria-invalid={invalid(o, key)} onchange={on_select(d, key)}>
                if none || current.is_empty() { <option value="" selected={current.is_empty()}>{ "—" }</option> }
                { for options }
            </select>
            { field_error(o, key) }
        </label>
    }
}
