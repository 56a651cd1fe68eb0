//! The production guard: with `APP_ENVIRONMENT=production` (anything but `development`)
//! the server refuses to start on a development default that would be a hole in
//! production, naming the variable to set. Pure: the settings in, the problems out.

use secrecy::ExposeSecret;

use crate::config::{DEV_PASSWORD_KEY, DEV_S3_SECRET, Settings};

/// What is wrong with `s` for production; empty when nothing is (or in development).
pub fn problems(s: &Settings) -> Vec<String> {
    if s.is_development() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if s.secrets
        .keys
        .expose_secret()
        .to_ascii_lowercase()
        .contains(DEV_PASSWORD_KEY)
    {
        out.push(
            "APP_SECRETS__KEYS holds the development key: give each key 64 random hex digits (openssl rand -hex 32)"
                .to_owned(),
        );
    }
    if let Err(e) = crate::secrets::Keyring::from_settings(s) {
        out.push(e.to_string().replace("internal error: ", ""));
    }
    if !s.auth.secure_cookies {
        out.push(
            "APP_AUTH__SECURE_COOKIES must be true: session cookies travel over HTTPS only"
                .to_owned(),
        );
    }
    if s.s3.secret_key.expose_secret() == DEV_S3_SECRET {
        out.push("APP_S3__SECRET_KEY is the development key of the local object store".to_owned());
    }
    if !s.auth.public_url.starts_with("https://") {
        out.push(format!(
            "APP_AUTH__PUBLIC_URL must be the site's https:// address (is {})",
            s.auth.public_url
        ));
    }
    out
}

/// What is wrong with the application's own database role for production: a superuser,
/// a role that creates roles or bypasses row security, or the database's owner could
/// undo the tenant roles' walls from one injected statement (`RESET ROLE`). Checked by
/// the server before it serves (the settings alone cannot tell).
pub async fn database_problems(
    db: &sea_orm::DatabaseConnection,
) -> crate::error::AppResult<Vec<String>> {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolbypassrls, \
                    d.datdba = r.oid AS owns_database \
             FROM pg_roles r, pg_database d \
             WHERE r.rolname = current_user AND d.datname = current_database()",
        ))
        .await?
        .ok_or_else(|| {
            crate::error::AppError::Internal("the current role is not in pg_roles".into())
        })?;
    let name: String = row.try_get("", "rolname")?;
    let mut what = Vec::new();
    for (column, said) in [
        ("rolsuper", "a superuser"),
        ("rolcreaterole", "allowed to create roles"),
        ("rolbypassrls", "allowed to bypass row security"),
        ("owns_database", "the database's owner"),
    ] {
        if row.try_get::<bool>("", column)? {
            what.push(said);
        }
    }
    Ok(if what.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "APP_DATABASE__URL signs in as {name}, which is {}: use the application's own \
             login role (infra/DEPLOY.md) and give the owner to APP_DATABASE__OWNER_URL",
            what.join(", ")
        )]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        Settings::load_from(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn development_defaults_are_refused_in_production_naming_the_variable() {
        assert!(problems(&settings(&[])).is_empty(), "development starts");
        let p = problems(&settings(&[("APP_ENVIRONMENT", "production")]));
        for var in [
            "APP_SECRETS__KEYS",
            "APP_AUTH__SECURE_COOKIES",
            "APP_S3__SECRET_KEY",
            "APP_AUTH__PUBLIC_URL",
        ] {
            assert!(p.iter().any(|x| x.starts_with(var)), "{var} in {p:?}");
        }
        let ok = problems(&settings(&[
            ("APP_ENVIRONMENT", "production"),
            (
                "APP_SECRETS__KEYS",
                "k1:8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            ),
            ("APP_SECRETS__CURRENT", "k1"),
            ("APP_AUTH__SECURE_COOKIES", "true"),
            ("APP_S3__SECRET_KEY", "a-real-secret"),
            ("APP_AUTH__PUBLIC_URL", "https://billing.example.com"),
        ]));
        assert!(ok.is_empty(), "{ok:?}");
    }
}
