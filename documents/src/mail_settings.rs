//! A tenant's outgoing mail server (`mail_settings`): read and saved (the password sealed
//! under the deployment's current key, `secrets.rs`, never returned), and the mailer
//! invoices and reminders go through — the tenant's server when set, else the platform's.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait};
use serde_json::json;

use crate::entities::mail_setting;
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult};
use platform::mail::Mailer;
use platform::state::AppState;

/// What the settings screen shows (the password only as "set").
#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSettingsView {
    pub host: String,
    pub port: i32,
    /// none, starttls or tls.
    pub tls: String,
    pub login: String,
    pub password_set: bool,
    pub sender_name: String,
    pub sender_address: String,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct MailSettingsInput {
    /// Empty: the platform's server.
    pub host: String,
    pub port: i32,
    pub tls: String,
    #[graphql(default)]
    pub login: String,
    /// None keeps the stored password; an empty text removes it.
    pub password: Option<String>,
    pub sender_name: String,
    pub sender_address: String,
}

type Row = mail_setting::Model;

async fn row(txn: &DatabaseTransaction) -> AppResult<Row> {
    mail_setting::Entity::find_by_id(true)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::Internal("mail_settings has no row".into()))
}

fn view(r: &Row) -> MailSettingsView {
    MailSettingsView {
        host: r.host.clone(),
        port: r.port,
        tls: r.tls.clone(),
        login: r.login.clone(),
        password_set: r.password_enc.is_some(),
        sender_name: r.sender_name.clone(),
        sender_address: r.sender_address.clone(),
    }
}

pub async fn load(txn: &DatabaseTransaction) -> AppResult<MailSettingsView> {
    Ok(view(&row(txn).await?))
}

/// The password sealed under the current key, as the column stores it (the v1 text).
fn seal(state: &AppState, password: &str) -> AppResult<Vec<u8>> {
    Ok(platform::secrets::Keyring::from_settings(&state.settings)?
        .seal(password)?
        .into_bytes())
}

fn open(state: &AppState, sealed: &[u8]) -> AppResult<String> {
    platform::secrets::Keyring::from_settings(&state.settings)?.open_stored_bytes(sealed)
}

pub async fn save(
    state: &AppState,
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    i: &MailSettingsInput,
) -> AppResult<MailSettingsView> {
    if !matches!(i.tls.as_str(), "none" | "starttls" | "tls") {
        return Err(AppError::validation("tls", "must be none, starttls or tls"));
    }
    if !(1..=65535).contains(&i.port) {
        return Err(AppError::validation("port", "must be from 1 to 65535"));
    }
    let host = i.host.trim();
    if !host.is_empty() {
        let port = u16::try_from(i.port).unwrap_or(25);
        platform::outbound::check_host("host", host, port, state.settings.is_development()).await?;
    }
    if !host.is_empty() && !platform::mail::is_address(i.sender_address.trim()) {
        return Err(AppError::validation(
            "senderAddress",
            "must be an e-mail address such as name@example.com",
        ));
    }
    let before = row(txn).await?;
    let password = match i.password.as_deref() {
        None => before.password_enc.clone(),
        Some("") => None,
        Some(p) => Some(seal(state, p)?),
    };
    mail_setting::ActiveModel {
        id: Set(true),
        host: Set(host.to_owned()),
        port: Set(i.port),
        tls: Set(i.tls.clone()),
        login: Set(i.login.trim().to_owned()),
        password_enc: Set(password),
        sender_name: Set(i.sender_name.trim().to_owned()),
        sender_address: Set(i.sender_address.trim().to_owned()),
    }
    .update(txn)
    .await?;
    let after = load(txn).await?;
    audit::settings_changed(
        txn,
        actor,
        now,
        "mail_settings",
        "update",
        Some(json!(view(&before))),
        json!(after),
    )
    .await?;
    Ok(after)
}

/// The mailer of the tenant: its own server when one is set, else the platform's.
pub async fn mailer(state: &AppState, txn: &DatabaseTransaction) -> AppResult<Mailer> {
    let r = row(txn).await?;
    if r.host.is_empty() {
        return Ok(state.mailer.clone());
    }
    // Checked again at each use: a name may resolve elsewhere since it was saved.
    let port = u16::try_from(r.port).unwrap_or(25);
    platform::outbound::check_host("host", &r.host, port, state.settings.is_development()).await?;
    let login = if r.login.is_empty() {
        None
    } else {
        let password = r
            .password_enc
            .as_deref()
            .map(|p| open(state, p))
            .transpose()?
            .unwrap_or_default();
        Some((r.login.clone(), password))
    };
    let from = if r.sender_name.is_empty() {
        r.sender_address.clone()
    } else {
        format!(
            "{} <{}>",
            r.sender_name.replace(['<', '>', '"'], ""),
            r.sender_address
        )
    };
    Mailer::custom(
        &r.host,
        u16::try_from(r.port).unwrap_or(25),
        &r.tls,
        login,
        &from,
    )
}
