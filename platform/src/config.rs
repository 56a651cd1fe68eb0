//! Layered configuration: built-in defaults → optional TOML file (`APP_CONFIG_FILE`) →
//! environment variables `APP_<SECTION>__<KEY>` (e.g. `APP_DATABASE__URL`).
//!
//! A missing or malformed value stops start-up with an error that names the variable to
//! set. Secrets are `SecretString`, so they never appear in logs or `Debug` output.

use std::net::SocketAddr;

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "configuration: {0} (set it with the environment variable shown, or in APP_CONFIG_FILE)"
    )]
    Invalid(String),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub http: HttpSettings,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub s3: S3Settings,
    pub smtp: SmtpSettings,
    pub secrets: SecretSettings,
    pub web: WebSettings,
    pub jobs: JobSettings,
    pub auth: AuthSettings,
    pub limits: LimitSettings,
    /// Slug of the tenant the web client sees until sign-in lands (access-control issue).
    pub default_tenant: String,
    /// `development`; anything else is production (the guard refuses development
    /// defaults, introspection is off).
    pub environment: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HttpSettings {
    pub addr: SocketAddr,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// The application's login role: no superuser, no CREATEROLE (the production guard
    /// checks); it reaches tenant data only through `SET ROLE` to the tenant's role.
    pub url: SecretString,
    /// The role that owns the schemas and runs migrations (and creates tenants); the
    /// application's URL when unset (development on one superuser).
    #[serde(default)]
    pub owner_url: Option<SecretString>,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RedisSettings {
    pub url: String,
    /// Namespace of the job queue in Redis; tests use a random one each.
    pub queue: String,
    /// How often a worker tells Redis it is alive.
    pub heartbeat_secs: u64,
    /// Missed heartbeats after which a worker's in-flight jobs are handed to another.
    pub missed_heartbeats: usize,
    /// How often an idle worker looks for a queued job, in milliseconds (a job waits at most
    /// about this long for a free worker; each look is one small Redis script).
    pub poll_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct S3Settings {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
}

/// The keyring that seals secrets at rest (`secrets.rs`).
#[derive(Debug, Clone, Deserialize)]
pub struct SecretSettings {
    /// `id:64hex` pairs separated by commas: every key a stored secret may be sealed with.
    /// The default is for development only (the production guard refuses it).
    pub keys: SecretString,
    /// The id of the key that seals new secrets (and that `rotate-secrets` re-seals to).
    pub current: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WebSettings {
    /// Directory of the built wasm client (index.html, *.js, *.wasm).
    pub dist_dir: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JobSettings {
    /// Attempts before a job is marked failed.
    pub max_attempts: u32,
    /// First retry delay in milliseconds; doubles on each attempt.
    pub retry_base_ms: u64,
    /// A running job holds its row this long; a copy of the job delivered after a crash
    /// may take it over only once the lease has run out. Progress renews it.
    pub lease_secs: i64,
    /// Jobs one worker process runs at once. Most jobs wait on PostgreSQL, the object
    /// store or SMTP (one e-mail is one job), so this is above the core count: 8 sends
    /// 10,000 invoices by e-mail in about two minutes on two cores (`bench-mail`), 4 took
    /// three; the database pool (10) stays larger.
    pub concurrency: usize,
    /// How often a worker looks for stalled jobs to re-queue.
    pub recover_every_secs: u64,
    /// A job not finished this long after it was requested, and not held by a live
    /// attempt, counts as stalled.
    pub recover_after_secs: i64,
    /// How often a worker looks whether a tenant's reminder day and hour have come.
    pub reminder_every_secs: u64,
    /// Finished jobs (and the files they made) are kept this many days, then removed by
    /// the tenant's daily maintenance job.
    pub retention_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// A session ends this long after sign-in, whatever happens.
    pub session_hours: i64,
    /// A session ends after this long without a request.
    pub idle_minutes: i64,
    /// Mark cookies `Secure` (on whenever the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Failed sign-ins of one login before it is locked (an address gets 10× this).
    pub max_failures: u32,
    /// First lock in seconds; doubles with each further failure, up to 15 minutes.
    pub lock_base_secs: u64,
    /// Where the OpenID provider sends users back: `<public base URL>/auth/sso/callback`.
    pub public_url: String,
    /// Comma-separated addresses of the reverse proxies in front of the backend; a request
    /// from one of them is taken to come from the address it reports in `client_ip_header`.
    /// Empty: the connection's own address.
    pub trusted_proxies: String,
    /// The header a trusted proxy reports the client's address in (its last entry).
    pub client_ip_header: String,
}

/// The request rate limit on `/graphql` (see `rate_limit`).
#[derive(Debug, Clone, Deserialize)]
pub struct LimitSettings {
    /// Requests of one session per minute.
    pub session_per_minute: u64,
    /// Requests from one client address per minute (every session and none together).
    pub address_per_minute: u64,
}

impl Settings {
    pub fn is_development(&self) -> bool {
        self.environment == "development"
    }

    /// Loads defaults, then `APP_CONFIG_FILE` if set, then `APP_*` variables.
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_from(std::env::vars())
    }

    /// Same as [`Settings::load`] with the environment given explicitly (testable).
    pub fn load_from(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let vars: Vec<(String, String)> = vars.into_iter().collect();
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some((_, path)) = vars.iter().find(|(k, _)| k == "APP_CONFIG_FILE") {
            builder = builder.add_source(config::File::with_name(path).required(true));
        }
        let env: config::Map<String, String> = vars
            .into_iter()
            .filter(|(k, _)| k.starts_with("APP_") && k != "APP_CONFIG_FILE")
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("APP")
                .separator("__")
                .prefix_separator("_")
                .source(Some(env)),
        );
        let raw = builder
            .build()
            .map_err(|e| ConfigError::Invalid(explain(&e)))?;
        raw.try_deserialize::<Settings>()
            .map_err(|e| ConfigError::Invalid(explain(&e)))
    }
}

/// Turns the `config` crate's key path (`database.url`) into the variable to set.
fn explain(e: &config::ConfigError) -> String {
    let text = e.to_string();
    match key_of(&text) {
        Some(key) => format!(
            "{text}; variable APP_{}",
            key.replace('.', "__").to_uppercase()
        ),
        None => text,
    }
}

fn key_of(text: &str) -> Option<String> {
    // Messages look like: `missing field `url` for key `database`` or
    // `invalid type: ... for key `http.addr``.
    let after_key = text.rsplit_once("for key `")?.1;
    let key = after_key.split('`').next()?;
    let field = text
        .split_once("missing field `")
        .and_then(|(_, rest)| rest.split('`').next());
    Some(match field {
        Some(f) if !key.is_empty() => format!("{key}.{f}"),
        Some(f) => f.to_owned(),
        None => key.to_owned(),
    })
}

/// The development sealing key of `DEFAULTS` (the production guard refuses it anywhere in
/// the keyring).
pub const DEV_PASSWORD_KEY: &str =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/// The local object store's development secret of `DEFAULTS`.
pub const DEV_S3_SECRET: &str = "billing-secret";

const DEFAULTS: &str = r#"
default_tenant = "demo"
environment = "development"

[http]
addr = "127.0.0.1:8080"

[database]
url = "postgres://postgres@127.0.0.1:5432/billing"
max_connections = 10

[redis]
url = "redis://127.0.0.1:6379"
queue = "billing"
heartbeat_secs = 15
missed_heartbeats = 4
poll_ms = 200

[s3]
endpoint = "http://127.0.0.1:9000"
region = "us-east-1"
bucket = "billing"
access_key = "billing"
secret_key = "billing-secret"

[smtp]
host = "127.0.0.1"
port = 2525
from = "Billing <billing@localhost>"

[secrets]
keys = "dev:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
current = "dev"

[web]
dist_dir = "web/dist"

[auth]
session_hours = 12
idle_minutes = 60
secure_cookies = false
max_failures = 5
lock_base_secs = 30
public_url = "http://127.0.0.1:8080"
trusted_proxies = ""
client_ip_header = "x-forwarded-for"

[limits]
session_per_minute = 1200
address_per_minute = 6000

[jobs]
max_attempts = 3
retry_base_ms = 500
lease_secs = 45
concurrency = 8
recover_every_secs = 60
recover_after_secs = 300
retention_days = 30
reminder_every_secs = 60
"#;

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_load_and_env_overrides_them() {
        let s = Settings::load_from(vars(&[("APP_HTTP__ADDR", "127.0.0.1:9999")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.http.addr.port(), 9999);
        assert_eq!(s.smtp.port, 2525);
    }

    #[test]
    fn the_development_defaults_are_the_ones_the_guard_knows() {
        let s = Settings::load_from(vars(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.secrets.keys.expose_secret(),
            &format!("dev:{DEV_PASSWORD_KEY}")
        );
        assert_eq!(s.s3.secret_key.expose_secret(), DEV_S3_SECRET);
    }

    #[test]
    fn malformed_value_names_the_variable() {
        let err = Settings::load_from(vars(&[("APP_HTTP__ADDR", "not-an-address")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("APP_HTTP__ADDR"), "{err}");
    }

    #[test]
    fn malformed_number_names_the_variable() {
        let err = Settings::load_from(vars(&[("APP_SMTP__PORT", "seventy")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("APP_SMTP__PORT"), "{err}");
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Settings::load_from(vars(&[("APP_S3__SECRET_KEY", "hunter2")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
