//! The tenant's own mail server: saved with its password sealed (never in the clear in the
//! database, never returned), a test e-mail through it received by the local SMTP server,
//! a server that does not answer refused by field, permissions and audit.

use sea_orm::FromQueryResult;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, mails_to, unique_email};

const SAVE: &str = "mutation($i: MailSettingsInput!) { updateMailSettings(input: $i) { host port tls login passwordSet senderAddress } }";

#[tokio::test]
async fn the_tenant_mail_server_is_saved_sealed_and_tested() {
    let app = TestApp::spawn().await;
    let settings = json!({ "host": "127.0.0.1", "port": 2525, "tls": "none", "login": "billing",
        "password": "Пароль-s3cret", "senderName": "Водоканал «Демо»", "senderAddress": "noreply@vodokanal.example" });
    let r = app.gql(SAVE, json!({ "i": settings })).await;
    assert_eq!(r["data"]["updateMailSettings"]["passwordSet"], true, "{r}");

    #[derive(FromQueryResult)]
    struct Sealed {
        password_enc: Option<Vec<u8>>,
    }
    let sealed = Sealed::find_by_statement(sea_orm::Statement::from_string(
        sea_orm::DbBackend::Postgres,
        format!(
            "SELECT password_enc FROM \"{}\".mail_settings",
            app.tenant.schema()
        ),
    ))
    .one(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .and_then(|s| s.password_enc)
    .unwrap_or_default();
    assert!(
        sealed.len() > 12 + 16,
        "nonce, ciphertext and tag are stored"
    );
    assert!(
        !String::from_utf8_lossy(&sealed).contains("s3cret"),
        "the password is sealed"
    );

    // The local SMTP server takes no login: save without it (the password is kept).
    let mut no_login = settings.clone();
    no_login["login"] = json!("");
    no_login["password"] = json!(null);
    let r = app.gql(SAVE, json!({ "i": no_login })).await;
    assert_eq!(r["data"]["updateMailSettings"]["passwordSet"], true, "{r}");
    let to = unique_email();
    let r = app
        .gql(
            "mutation($t: String!) { sendTestMail(to: $t) }",
            json!({ "t": to }),
        )
        .await;
    assert_eq!(r["data"]["sendTestMail"], true, "{r}");
    let mut received = Vec::new();
    for _ in 0..50 {
        received = mails_to(&to);
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(received.len(), 1, "one message for {to}");
    assert!(
        received[0].contains("noreply@vodokanal.example"),
        "{}",
        received[0]
    );

    // Refusals name their field, in the user's language.
    let mut bad = no_login.clone();
    bad["tls"] = json!("ssl3");
    let r = app.gql_lang("uk", SAVE, json!({ "i": bad })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "tls", "{r}");
    let mut dead = no_login.clone();
    dead["port"] = json!(1);
    app.gql(SAVE, json!({ "i": dead })).await;
    let r = app
        .gql(
            "mutation($t: String!) { sendTestMail(to: $t) }",
            json!({ "t": unique_email() }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "host", "{r}");
    // Said in a word, not with the server's own reply.
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("could not connect to the server")),
        "{r}"
    );

    let operator = app
        .login(&format!("{}.operator", app.tenant), PASSWORD)
        .await;
    let r = app
        .gql_as(Some(&operator), SAVE, json!({ "i": settings }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    let r = app
        .gql("{ mailSettings { host port passwordSet } }", json!({}))
        .await;
    assert_eq!(
        r["data"]["mailSettings"],
        json!({ "host": "127.0.0.1", "port": 1, "passwordSet": true })
    );
    let audit = app.audit_actions("mail_settings", None).await;
    assert_eq!(audit.len(), 3, "{audit:?}");
}

/// Outside development, a tenant cannot point the server at its own network: an SMTP
/// host or an SSO issuer on a loopback or private address is refused, naming the field,
/// and the issuer must be https.
#[tokio::test]
async fn outside_development_tenant_servers_must_be_public() {
    let app = TestApp::spawn_with(&[("APP_ENVIRONMENT", "production")]).await;
    for host in ["127.0.0.1", "10.0.0.7", "localhost"] {
        let settings = json!({ "host": host, "port": 25, "tls": "none",
            "senderName": "", "senderAddress": "noreply@vodokanal.example" });
        let r = app.gql(SAVE, json!({ "i": settings })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], "host", "{host}: {r}");
    }
    let sso =
        "mutation($i: String!) { updateSecuritySettings(input: { ssoIssuer: $i }) { ssoIssuer } }";
    for issuer in [
        "http://idp.example.com",
        "https://127.0.0.1:9400",
        "https://192.168.0.10",
    ] {
        let r = app.gql(sso, json!({ "i": issuer })).await;
        assert_eq!(
            r["errors"][0]["extensions"]["field"], "ssoIssuer",
            "{issuer}: {r}"
        );
    }
}

/// Secrets at rest carry their key's id: after a new key becomes current, the old values
/// still open; `rotate-secrets` re-seals them under the new key (once: a second run finds
/// nothing to do), and then the old key can go.
#[tokio::test]
async fn secrets_are_sealed_with_a_key_id_and_the_rotation_moves_them_to_the_new_key() {
    use backend::secrets::Keyring;
    let app = TestApp::spawn().await;
    let settings = json!({ "host": "127.0.0.1", "port": 2525, "tls": "none", "login": "billing",
        "password": "smtp-s3cret", "senderName": "", "senderAddress": "noreply@vodokanal.example" });
    let r = app.gql(SAVE, json!({ "i": settings })).await;
    assert_eq!(r["data"]["updateMailSettings"]["passwordSet"], true, "{r}");
    let r = app
        .gql(
            "mutation { updateSecuritySettings(input: { ssoClientSecret: \"sso-s3cret\" }) { passwordMinLength } }",
            json!({}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let (mail, sso) = stored_secrets(&app).await;
    for v in [&mail, &sso] {
        assert_eq!(
            Keyring::key_of(v),
            Some("dev"),
            "sealed under the key's id: {v}"
        );
        assert!(!v.contains("s3cret"), "{v}");
    }

    const NEW: &str = "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let queue = app.state.settings.redis.queue.clone();
    let both = format!("dev:{},k2:{NEW}", backend::config::DEV_PASSWORD_KEY);
    let rotated = backend::AppState::new(crate::helpers::settings_with(
        &app.tenant,
        &queue,
        &[("APP_SECRETS__KEYS", &both), ("APP_SECRETS__CURRENT", "k2")],
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let done = backend::rotate_secrets::rotate(&rotated, Some(&app.tenant))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.resealed, 2, "{done:?}");
    assert_eq!(done.current, 0, "{done:?}");
    let again = backend::rotate_secrets::rotate(&rotated, Some(&app.tenant))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((again.resealed, again.current), (0, 2), "{again:?}");

    let (mail, sso) = stored_secrets(&app).await;
    let only_new = Keyring::parse(&format!("k2:{NEW}"), "k2").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        only_new.open(&mail).unwrap_or_else(|e| panic!("{e}")),
        "smtp-s3cret"
    );
    assert_eq!(
        only_new.open(&sso).unwrap_or_else(|e| panic!("{e}")),
        "sso-s3cret"
    );
    // The old key alone no longer opens them, and says which key is missing.
    let only_old = Keyring::parse(&format!("dev:{}", backend::config::DEV_PASSWORD_KEY), "dev")
        .unwrap_or_else(|e| panic!("{e}"));
    let e = only_old
        .open(&mail)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("key k2"), "{e}");
    // Both steps are in the audit logs, without the secrets.
    crate::helpers::sql_expect(
        &app,
        "SELECT count(*) FROM \"{s}\".audit_log WHERE entity = 'mail_settings' AND action = 'reseal' \
         AND after->>'key' = 'k2' AND after::text NOT LIKE '%s3cret%'",
        1,
    )
    .await;
    crate::helpers::sql_expect(
        &app,
        &format!(
            "SELECT count(*) FROM public.platform_audit WHERE entity = 'tenant_sso_secret' \
             AND entity_id = '{}' AND action = 'reseal'",
            app.tenant.as_str()
        ),
        1,
    )
    .await;
}

/// The tenant's sealed SMTP password and SSO client secret, as stored.
async fn stored_secrets(app: &TestApp) -> (String, String) {
    let mail = crate::helpers::sql_text(
        app,
        "SELECT convert_from(password_enc, 'UTF8') FROM \"{s}\".mail_settings",
    )
    .await;
    let sso = crate::helpers::sql_text(
        app,
        &format!(
            "SELECT sso_client_secret FROM public.tenants WHERE slug = '{}'",
            app.tenant.as_str()
        ),
    )
    .await;
    (mail, sso)
}
