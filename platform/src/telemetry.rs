//! Structured logs: `RUST_LOG` filters (default `info`); `APP_LOG_FORMAT=json` for JSON lines.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("APP_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // A second init (tests) is harmless; ignore the error it returns.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
