//! Words for the codes the API and the settings use (reading sources, QR formats, mail
//! encryption, roles): a user reads "оператор", never `operator`. A code with no label
//! is shown as it came (a tenant's own role, a future value).

use crate::shared::i18n::{Key, builtin_role};
use crate::shell::Ui;

/// Where a reading came from (`metering::readings::ReadingSource` codes).
pub fn reading_source(ui: &Ui, code: &str) -> String {
    let key = match code {
        "operator" => Key::SourceOperator,
        "controller" => Key::SourceController,
        "subscriber" => Key::SourceSubscriber,
        "import" => Key::SourceImport,
        "verification" => Key::SourceVerification,
        "portal" => Key::SourcePortal,
        other => return other.to_owned(),
    };
    ui.t(key).to_owned()
}

/// The payment QR code formats of the invoice settings, with their labels.
pub const QR_FORMATS: [(&str, Key); 4] = [
    ("nbu", Key::QrNbu),
    ("gost", Key::QrGost),
    ("epc", Key::QrEpc),
    ("none", Key::QrNone),
];

/// The mail server's encryption modes, with their labels.
pub const TLS_MODES: [(&str, Key); 3] = [
    ("none", Key::TlsNone),
    ("starttls", Key::TlsStarttls),
    ("tls", Key::TlsTls),
];

/// A role by its code: a built-in role's name, else the code (a tenant's own role).
pub fn role(ui: &Ui, code: &str) -> String {
    builtin_role(code).map_or_else(|| code.to_owned(), |k| ui.t(k).to_owned())
}
