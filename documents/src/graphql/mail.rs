//! The tenant's outgoing mail server through GraphQL (`settings`): read it (the password
//! only as "set"), change it (audited), and send a test e-mail through it.

use async_graphql::{Context, Object};
use chrono::Utc;

use crate::mail_settings::{self, MailSettingsInput, MailSettingsView};
use access::auth::{self, Action, Document};
use platform::error::{AppError, AppResult};

#[derive(Default)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    async fn mail_settings(&self, ctx: &Context<'_>) -> AppResult<MailSettingsView> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let txn = scope.begin().await?;
        let s = mail_settings::load(&txn).await?;
        txn.commit().await?;
        Ok(s)
    }
}

#[derive(Default)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    async fn update_mail_settings(
        &self,
        ctx: &Context<'_>,
        input: MailSettingsInput,
    ) -> AppResult<MailSettingsView> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let s = mail_settings::save(scope.state, &txn, &scope.actor(), Utc::now(), &input).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// Sends a test e-mail to `to` through the tenant's server; its refusal is the answer.
    async fn send_test_mail(&self, ctx: &Context<'_>, to: String) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let to = to.trim().to_owned();
        if !platform::mail::is_address(&to) {
            return Err(AppError::validation(
                "to",
                "must be an e-mail address such as name@example.com",
            ));
        }
        let txn = scope.begin().await?;
        let mailer = mail_settings::mailer(scope.state, &txn).await?;
        txn.commit().await?;
        mailer
            .send(
                &to,
                "Test e-mail / Тестовий лист",
                "This test e-mail went through the organisation's mail server.\n\
                 Цей тестовий лист пройшов через поштовий сервер організації.\n",
                Vec::new(),
            )
            .await
            .map_err(|e| match e {
                // The server's own words stay in the log: relayed, they would let a tenant
                // admin read banners and replies of any host the server can reach.
                AppError::Mail(m) => {
                    tracing::warn!(reply = m, "test e-mail refused");
                    AppError::validation("host", mail_failure(&m))
                }
                e => e,
            })?;
        Ok(true)
    }
}

/// What went wrong sending, in one of three words, never the server's own reply.
fn mail_failure(reply: &str) -> &'static str {
    let r = reply.to_lowercase();
    if r.contains("auth") || r.contains("535") || r.contains("credentials") {
        "the server refused the login or password"
    } else if r.contains("connect")
        || r.contains("refused")
        || r.contains("timed out")
        || r.contains("resolve")
        || r.contains("dns")
    {
        "could not connect to the server"
    } else {
        "the server did not take the message"
    }
}
