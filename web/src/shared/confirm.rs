//! Every destructive action asks first: the browser's own confirmation dialog (modal,
//! keyboard-reachable, read by screen readers), with the question in the user's language.

use crate::shared::i18n::Key;
use crate::shell::Ui;

/// True when the user confirmed `question` (or no window exists to ask in).
pub fn confirm(ui: &Ui, question: Key) -> bool {
    confirm_text(ui.t(question))
}

/// The same with a question the server worded (a `NEEDS_CONFIRMATION` error's message).
pub fn confirm_text(question: &str) -> bool {
    web_sys::window()
        .map(|w| w.confirm_with_message(question).unwrap_or(false))
        .unwrap_or(true)
}
