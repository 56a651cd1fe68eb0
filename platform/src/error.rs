//! The backend's one error enum and its mapping to stable GraphQL error codes.
//!
//! Infrastructure errors are logged with their detail and shown to the client only as
//! `INTERNAL`; domain errors carry a human message and a code the client can rely on.

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    /// A value the rules allow but that looks wrong (a reading far above the usual): the
    /// client asks the user and sends the request again with the confirmation.
    #[error("{field}: {message}")]
    NeedsConfirmation { field: String, message: String },
    #[error("{0}")]
    Forbidden(String),
    #[error("sign in first")]
    Unauthenticated,
    /// Too many failed sign-ins: the seconds to wait.
    #[error("too many failed sign-in attempts; try again in {0} s")]
    Throttled(u64),
    /// Too many requests of a session or an address: the seconds to wait.
    #[error("too many requests; try again in {0} s")]
    RateLimited(u64),
    /// One request asks too much at once (root fields, aliases).
    #[error("{0}")]
    TooComplex(String),
    /// A change to a closed billing period.
    #[error("{0}")]
    PeriodClosed(String),
    /// The database failed; the text is for the log only.
    #[error("database error: {0}")]
    Db(String),
    #[error("queue error: {0}")]
    Queue(String),
    #[error("object store error: {0}")]
    Storage(String),
    #[error("mail error: {0}")]
    Mail(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sea_orm::sqlx::Error> for AppError {
    fn from(e: sea_orm::sqlx::Error) -> Self {
        Self::Db(e.to_string())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Db(e.to_string())
    }
}

/// A database check that is the user's to satisfy: (a part of the constraint's name, the
/// field it is about, the rule to state).
pub type Check = (&'static str, &'static str, &'static str);

/// The validation error of the first check whose constraint a refusal names.
pub fn named_check(e: &sea_orm::DbErr, checks: &[Check]) -> Option<AppError> {
    let text = e.to_string();
    checks
        .iter()
        .find(|(c, _, _)| text.contains(c))
        .map(|(_, field, rule)| AppError::validation(*field, *rule))
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The stable code clients switch on (`extensions.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "NOT_FOUND",
            Self::Validation { .. } => "VALIDATION",
            Self::Conflict(_) => "CONFLICT",
            Self::NeedsConfirmation { .. } => "NEEDS_CONFIRMATION",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Throttled(_) => "THROTTLED",
            Self::RateLimited(_) => "RATE_LIMITED",
            Self::TooComplex(_) => "TOO_COMPLEX",
            Self::PeriodClosed(_) => "PERIOD_CLOSED",
            Self::Db(_) | Self::Queue(_) | Self::Storage(_) | Self::Mail(_) | Self::Internal(_) => {
                "INTERNAL"
            }
        }
    }
}

/// Gives every error of a GraphQL response its stable `extensions.code`.
///
/// Resolvers return `AppResult`; async-graphql keeps the `AppError` as the error's
/// source, and this pass (run once per response in the HTTP handler) reads it back. An
/// internal error's detail is logged and replaced by a generic message; the library's input
/// errors (an empty date, a null where a value is required) become `VALIDATION` with the
/// field and the rule (`input_errors`); any other error that did not come from the
/// application (a malformed query) keeps the library's message and gets `BAD_REQUEST`.
pub fn classify_graphql_errors(errors: &mut [async_graphql::ServerError], lang: crate::i18n::Lang) {
    use crate::i18n;
    for err in errors {
        let (code, field) = match err.source::<AppError>().cloned() {
            Some(app) => {
                let field = match &app {
                    AppError::Validation { field, .. }
                    | AppError::NeedsConfirmation { field, .. } => Some(field.clone()),
                    _ => None,
                };
                if app.code() == "INTERNAL" {
                    tracing::error!(error = ?app, path = ?err.path, "internal error");
                    err.message = "internal error; the details are in the server log".to_owned();
                }
                err.message = match &app {
                    // "<field>: <rule>", both in the user's language.
                    AppError::Validation { field, message }
                    | AppError::NeedsConfirmation { field, message } => {
                        format!(
                            "{}: {}",
                            i18n::field(lang, field),
                            i18n::message(lang, message)
                        )
                    }
                    _ => i18n::message(lang, &err.message),
                };
                (app.code(), field)
            }
            None if err.source.is_some() => {
                tracing::error!(message = err.message, "unclassified resolver error");
                err.message =
                    i18n::message(lang, "internal error; the details are in the server log");
                ("INTERNAL", None)
            }
            // The library's own input errors: the user left a field empty or typed a word
            // where a number goes; they get the field and the rule, not a Rust type name.
            None => match crate::input_errors::explain(&err.message) {
                Some((field, rule)) => {
                    err.message = format!(
                        "{}: {}",
                        i18n::field(lang, &field),
                        i18n::message(lang, rule)
                    );
                    ("VALIDATION", Some(field))
                }
                None => ("BAD_REQUEST", None),
            },
        };
        let ext = err.extensions.get_or_insert_with(Default::default);
        ext.set("code", code);
        if let Some(f) = field {
            ext.set("field", f);
        }
    }
}
