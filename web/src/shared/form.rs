//! Form outcomes as the user sees them: the server's `VALIDATION` error lands under the
//! field it names (`extensions.field`), marked `aria-invalid` so a screen reader says so;
//! required fields left empty are refused before anything is sent, each with "fill in"
//! under it; an error of no field shows under the form; a success shows a short receipt.

use yew::prelude::*;

use crate::shared::api::ApiError;
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// What the last save did: nothing yet, saved (with what the form shows of it), or refused.
pub type Outcome<T = ()> = Option<Result<T, ApiError>>;

fn error_of<'a, T>(outcome: &'a Outcome<T>, field: &str) -> Option<&'a ApiError> {
    match outcome {
        Some(Err(e))
            if e.field.as_deref() == Some(field) || e.missing.iter().any(|m| m == field) =>
        {
            Some(e)
        }
        _ => None,
    }
}

/// The refusal of a form whose required fields (`(API field name, the value typed)`) are
/// left empty, naming every empty one; None when all are filled in. Checked in the
/// browser because the server could only say "a required date is empty" without the field.
pub fn missing(ui: &Ui, fields: &[(&'static str, &str)]) -> Option<ApiError> {
    let empty: Vec<String> = fields
        .iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(name, _)| (*name).to_owned())
        .collect();
    (!empty.is_empty()).then(|| ApiError {
        code: "VALIDATION".into(),
        field: empty.first().cloned(),
        message: ui.t(Key::FieldRequired).to_owned(),
        missing: empty,
    })
}

/// `aria-invalid` for the input of `field` when the last save was refused for it.
pub fn invalid<T>(outcome: &Outcome<T>, field: &str) -> Option<AttrValue> {
    error_of(outcome, field).map(|_| AttrValue::from("true"))
}

/// The refusal's message under the input of `field`, when it names that field.
pub fn field_error<T>(outcome: &Outcome<T>, field: &str) -> Html {
    match error_of(outcome, field) {
        Some(e) => {
            html! { <span class="field-error" role="alert" data-field={field.to_owned()}>{ &e.message }</span> }
        }
        None => html! {},
    }
}

/// Under the form: a refusal that names none of `fields` (they show their own), as `id`.
pub fn form_error<T>(outcome: &Outcome<T>, id: Option<&'static str>, fields: &[&str]) -> Html {
    match outcome {
        Some(Err(e))
            if !e.missing.is_empty() || e.field.as_deref().is_some_and(|f| fields.contains(&f)) =>
        {
            html! {}
        }
        Some(Err(e)) => html! { <p {id} class="error" role="alert">{ &e.message }</p> },
        _ => html! {},
    }
}

/// Under the form: the saved receipt (`id`), or an error that names none of `fields`.
pub fn receipt(ui: &Ui, outcome: &Outcome, id: &'static str, fields: &[&str]) -> Html {
    match outcome {
        Some(Ok(())) => {
            html! { <span {id} class="saved" role="status">{ ui.t(Key::PaySaved) }</span> }
        }
        _ => form_error(outcome, None, fields),
    }
}

/// A `<select>`'s `onchange` that keeps the chosen option's value parsed (an id; the
/// empty "—" option is None).
pub fn pick<T: std::str::FromStr + 'static>(state: &UseStateHandle<Option<T>>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        state.set(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value()
                .parse()
                .ok(),
        )
    })
}

/// A `<select>`'s `onchange` that keeps the chosen option's value as text (a code).
pub fn choose(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        state.set(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    })
}

/// A checkbox's `onchange` that keeps whether it is ticked.
pub fn tick(state: &UseStateHandle<bool>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        state.set(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked(),
        )
    })
}
