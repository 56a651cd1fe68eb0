//! Matching a skipped row by hand: a row of a posted file whose rows stand alone
//! (residents, beneficiaries, subsidies) that named an account the tenant does not know —
//! the social office's file has its own numbering, or a typo — is given the right account
//! by an operator and applied alone, as the import would have applied it, in one
//! transaction: the row becomes imported in the protocol (its key the account), the file's
//! counts follow, and the audit keeps who matched which line and what it had been refused
//! for. A row the chosen account cannot take either is refused with that reason, nothing
//! written.

use chrono::Utc;
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;

use crate::files::{self, ImportRow};
use crate::kinds::Kind;
use crate::post::{self, Ctx, Options};
use access::auth::Scope;
use platform::audit::{self, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::sql::stmt;

/// "field: rule" as the validation error naming the field.
fn refusal(reason: &str) -> AppError {
    match reason.split_once(": ") {
        Some((field, rule)) => AppError::validation(field, rule),
        None => AppError::validation("account", reason),
    }
}

pub async fn match_row(
    scope: &Scope<'_>,
    lang: Lang,
    file_id: i64,
    line: i32,
    account: &str,
) -> AppResult<ImportRow> {
    let account = account.trim();
    if account.is_empty() || account.len() > 20 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::validation("account", "must be 1–20 digits"));
    }
    let txn = scope.begin().await?;
    let f = files::by_id(&txn, &scope.session.reach, &scope.session.login, file_id).await?;
    let kind = Kind::parse(&f.kind_code)?;
    if !scope.can(kind.document(), access::auth::Action::Create) {
        return Err(AppError::Forbidden(format!(
            "missing permission {}.{}",
            kind.document(),
            access::auth::Action::Create
        )));
    }
    if !kind.independent_rows() || f.state != "posted" {
        return Err(AppError::validation(
            "fileId",
            "only the skipped rows of a posted file of residents, beneficiaries or subsidies can be matched",
        ));
    }
    #[derive(FromQueryResult)]
    struct Was {
        outcome: String,
        reason: Option<String>,
    }
    let was = Was::find_by_statement(stmt(
        "SELECT outcome, reason FROM import_rows WHERE file_id = $1 AND line = $2",
        vec![file_id.into(), line.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("line {line} is not in the protocol")))?;
    if was.outcome != "skipped" {
        return Err(AppError::validation("line", "was imported already"));
    }
    let t = crate::templates::by_id(&txn, f.template_id).await?;
    txn.commit().await?;

    let bytes = scope.state.store.get(&f.object_key).await?;
    let layout = crate::templates::layout(&t);
    let records = platform::jobs::progress::off_thread(move || {
        layout.and_then(|layout| crate::read::read(&bytes, &layout))
    })
    .await??;
    let wanted = usize::try_from(line).unwrap_or(0);
    let mut record = records
        .into_iter()
        .find(|r| r.line == wanted)
        .ok_or_else(|| AppError::NotFound(format!("line {line} is not in the file")))?;
    if let Some(cell) = kind.index("account").and_then(|i| record.values.get_mut(i)) {
        *cell = Some(account.to_owned());
    }

    let options: Options = serde_json::from_value(f.options.clone()).unwrap_or_default();
    let label = platform::i18n::text(lang, "import-resident-card");
    let rules = crate::templates::rules_of(&t.rules);
    let now = Utc::now();
    let actor = scope.actor();
    let txn = scope.begin().await?;
    let open = metering::readings::current_open(&txn).await?;
    periods::hold(&txn, open).await?;
    let ctx = Ctx {
        txn: &txn,
        reach: &scope.session.reach,
        open,
        today: now.date_naive(),
        date_format: &t.date_format,
        options: &options,
        resident_label: &label,
        rules: &rules,
        actor: &actor,
        now,
    };
    let outcome = post::apply(&ctx, kind, std::slice::from_ref(&record)).await?;
    let refused = outcome
        .refused
        .or_else(|| outcome.lines.first().and_then(|l| l.reason.clone()));
    if let Some(why) = refused {
        txn.rollback().await?;
        return Err(refusal(&why));
    }
    let key = outcome
        .lines
        .first()
        .and_then(|l| l.key.clone())
        .unwrap_or_else(|| account.to_owned());
    txn.execute_raw(stmt(
        "UPDATE import_rows SET outcome = 'imported', key = $3, reason = NULL WHERE file_id = $1 AND line = $2",
        vec![file_id.into(), line.into(), key.clone().into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "UPDATE import_files SET rows_done = rows_done + 1, rows_skipped = greatest(rows_skipped - 1, 0) WHERE id = $1",
        vec![file_id.into()],
    ))
    .await?;
    audit::record(
        &txn,
        &actor,
        now,
        Change {
            entity: "import_file",
            entity_id: file_id.to_string(),
            action: "match",
            before: Some(json!({"line": line, "reason": was.reason})),
            after: Some(json!({"line": line, "account": account, "totals": outcome.totals})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ImportRow {
        line,
        outcome: "imported".into(),
        key: Some(key),
        reason: None,
    })
}
