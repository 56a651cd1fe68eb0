//! Form outcomes as the user sees them: the server's `VALIDATION` error lands under the
//! field it names (`extensions.field`), marked `aria-invalid` so a screen reader says so;
//! an error of no field shows under the form; a success shows a short saved receipt.

use yew::prelude::*;

use crate::shared::api::ApiError;
use crate::shared::i18n::Key;
use crate::shell::Ui;

/// What the last save did: nothing yet, saved, or refused.
pub type Outcome = Option<Result<(), ApiError>>;

fn error_of<'a>(outcome: &'a Outcome, field: &str) -> Option<&'a ApiError> {
    match outcome {
        Some(Err(e)) if e.field.as_deref() == Some(field) => Some(e),
        _ => None,
    }
}

/// `aria-invalid` for the input of `field` when the last save was refused for it.
pub fn invalid(outcome: &Outcome, field: &str) -> Option<AttrValue> {
    error_of(outcome, field).map(|_| AttrValue::from("true"))
}

/// The refusal's message under the input of `field`, when it names that field.
pub fn field_error(outcome: &Outcome, field: &str) -> Html {
    match error_of(outcome, field) {
        Some(e) => {
            html! { <span class="field-error" role="alert" data-field={field.to_owned()}>{ &e.message }</span> }
        }
        None => html! {},
    }
}

/// Under the form: the saved receipt (`id`), or an error that names none of `fields`.
pub fn receipt(ui: &Ui, outcome: &Outcome, id: &'static str, fields: &[&str]) -> Html {
    match outcome {
        None => html! {},
        Some(Ok(())) => {
            html! { <span {id} class="saved" role="status">{ ui.t(Key::PaySaved) }</span> }
        }
        Some(Err(e)) if e.field.as_deref().is_some_and(|f| fields.contains(&f)) => html! {},
        Some(Err(e)) => html! { <span class="error" role="alert">{ &e.message }</span> },
    }
}
