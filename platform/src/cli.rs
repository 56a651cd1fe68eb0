//! What the command-line binaries (`backend`, `worker`, `tools`) share: turning a run's
//! outcome into an exit code and parsing the arguments they all take.

use std::process::ExitCode;

use domain::TenantSlug;

/// Success, or the error printed on stderr and a failing exit code.
pub fn exit_code(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The words after the program's name.
pub fn words() -> Vec<String> {
    std::env::args().skip(1).collect()
}

/// A tenant slug argument, or an error naming what was typed.
pub fn slug_arg(raw: &str) -> anyhow::Result<TenantSlug> {
    TenantSlug::parse(raw).map_err(|e| anyhow::anyhow!("tenant slug {raw:?}: {e}"))
}

/// A whole-number argument, or an error naming what was typed.
pub fn number_arg(raw: &str) -> anyhow::Result<i64> {
    raw.parse()
        .map_err(|_| anyhow::anyhow!("{raw:?} is not a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_parsed_or_named_in_the_error() {
        assert_eq!(number_arg("42").ok(), Some(42));
        let e = number_arg("4x").err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("\"4x\" is not a whole number"));
        assert!(slug_arg("demo").is_ok());
        let e = slug_arg("Bad Slug!").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.starts_with("tenant slug \"Bad Slug!\"")));
    }
}
