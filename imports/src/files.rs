//! The uploaded import files: registered with their SHA-256 (the same file of a kind twice
//! is refused, naming the first), listed with their state and totals, their protocol rows
//! read (reasons in the reader's language) and written as XLSX, and what is already loaded
//! counted for the onboarding screen. A user limited to branches or buildings sees the files
//! they uploaded; the unlimited see all.

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::kinds::Kind;
use crate::post::{Line, Options};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::stmt;

/// What the user said of a file at upload (one per file of a ZIP).
pub struct Registration {
    pub kind: Kind,
    pub template_id: i32,
    pub options: Options,
    pub file_name: String,
    pub archive: Option<String>,
    pub sha256: String,
    pub object_key: String,
    pub size: i64,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[graphql(complex)]
#[serde(rename_all = "camelCase")]
pub struct ImportFile {
    pub id: i64,
    #[graphql(skip)]
    #[serde(skip)]
    pub kind_code: String,
    pub template_id: i32,
    pub template_name: String,
    pub options: serde_json::Value,
    pub file_name: String,
    /// The ZIP it came in.
    pub archive: Option<String>,
    pub sha256: String,
    #[graphql(skip)]
    #[serde(skip)]
    pub object_key: String,
    pub size: i64,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: String,
    pub job_id: Option<uuid::Uuid>,
    /// queued, checked, posted or refused.
    pub state: String,
    pub rows_total: i32,
    pub rows_done: i32,
    pub rows_skipped: i32,
    /// The kind's totals (balances: per service and in all).
    pub totals: serde_json::Value,
    /// Why nothing was imported.
    pub message: Option<String>,
    pub posted_at: Option<DateTime<Utc>>,
}

#[async_graphql::ComplexObject]
impl ImportFile {
    async fn kind(&self) -> AppResult<Kind> {
        Kind::parse(&self.kind_code)
    }
}

const SELECT: &str = "SELECT f.id, f.kind AS kind_code, f.template_id, t.name AS template_name, f.options, f.file_name, \
        f.archive, f.sha256, f.object_key, f.size, f.uploaded_at, f.uploaded_by, f.job_id, f.state, f.rows_total, \
        f.rows_done, f.rows_skipped, f.totals, f.message, f.posted_at \
     FROM import_files f JOIN import_templates t ON t.id = f.template_id";

#[derive(FromQueryResult)]
struct Earlier {
    id: i64,
    file_name: String,
    uploaded_at: DateTime<Utc>,
}

/// Refuses a file of this kind loaded before (its SHA-256), naming the first one.
pub async fn refuse_seen(
    txn: &DatabaseTransaction,
    kind: Kind,
    sha256: &str,
    name: &str,
) -> AppResult<()> {
    if let Some(e) = Earlier::find_by_statement(stmt(
        "SELECT id, file_name, uploaded_at FROM import_files WHERE kind = $1 AND sha256 = $2",
        vec![kind.code().into(), sha256.into()],
    ))
    .one(txn)
    .await?
    {
        return Err(AppError::Conflict(format!(
            "{name}: this file was already loaded as \"{}\" (No. {}) on {}",
            e.file_name,
            e.id,
            e.uploaded_at.format("%Y-%m-%d %H:%M")
        )));
    }
    Ok(())
}

/// Records the file (state `queued`) and returns its id.
pub async fn register(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    r: &Registration,
) -> AppResult<i64> {
    let t = crate::templates::by_id(txn, r.template_id).await?;
    if t.kind != r.kind.code() {
        return Err(AppError::validation(
            "templateId",
            "the template is of another import",
        ));
    }
    if !t.active {
        return Err(AppError::validation(
            "templateId",
            "the template is switched off",
        ));
    }
    refuse_seen(txn, r.kind, &r.sha256, &r.file_name).await?;
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    let options = serde_json::to_value(&r.options).unwrap_or_default();
    let id = Id::find_by_statement(stmt(
        "INSERT INTO import_files (kind, template_id, options, file_name, archive, sha256, object_key, size, \
                                   uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        vec![
            r.kind.code().into(),
            r.template_id.into(),
            options.clone().into(),
            r.file_name.clone().into(),
            r.archive.clone().into(),
            r.sha256.clone().into(),
            r.object_key.clone().into(),
            r.size.into(),
            now.into(),
            actor.login.clone().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("no id returned".into()))?
    .id;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "import_file",
            entity_id: id.to_string(),
            action: "upload",
            before: None,
            after: Some(json!({"kind": r.kind.code(), "file": r.file_name, "archive": r.archive,
                "sha256": r.sha256, "size": r.size, "templateId": r.template_id, "options": options})),
        },
    )
    .await?;
    Ok(id)
}

/// Links the files to the job that checks or posts them.
pub async fn attach_job(
    txn: &DatabaseTransaction,
    ids: &[i64],
    job_id: uuid::Uuid,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "UPDATE import_files SET job_id = $2 WHERE id = ANY($1)",
        vec![ids.to_vec().into(), job_id.into()],
    ))
    .await?;
    Ok(())
}

fn seen_by(reach: &Reach) -> &'static str {
    if reach.everything() {
        "true"
    } else {
        "f.uploaded_by = $1"
    }
}

/// A file the user may see.
pub async fn by_id(
    txn: &DatabaseTransaction,
    reach: &Reach,
    login: &str,
    id: i64,
) -> AppResult<ImportFile> {
    ImportFile::find_by_statement(stmt(
        &format!("{SELECT} WHERE {} AND f.id = $2", seen_by(reach)),
        vec![login.into(), id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// The files of the `kinds` the user may see, newest first.
pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    login: &str,
    kinds: &[Kind],
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<ImportFile>, i64)> {
    let codes: Vec<String> = kinds.iter().map(|k| k.code().to_owned()).collect();
    let cond = format!("{} AND f.kind = ANY($2)", seen_by(reach));
    let rows = ImportFile::find_by_statement(stmt(
        &format!("{SELECT} WHERE {cond} ORDER BY f.id DESC OFFSET $3 LIMIT $4"),
        vec![
            login.into(),
            codes.clone().into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let total = Count::find_by_statement(stmt(
        &format!("SELECT count(*) AS n FROM import_files f WHERE {cond}"),
        vec![login.into(), codes.into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    Ok((rows, total))
}

/// One protocol row as shown.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRow {
    pub line: i32,
    /// imported or skipped.
    pub outcome: String,
    pub key: Option<String>,
    pub reason: Option<String>,
}

/// "field: rule" in `lang` (the protocols' reasons).
pub use platform::i18n::reason as reason_text;

/// A file's protocol rows (`skipped_only`: the rows not imported), reasons in `lang`.
pub async fn rows(
    txn: &DatabaseTransaction,
    id: i64,
    skipped_only: bool,
    lang: Lang,
    offset: u64,
    limit: u64,
) -> AppResult<Vec<ImportRow>> {
    let rows = ImportRow::find_by_statement(stmt(
        "SELECT line, outcome, key, reason FROM import_rows WHERE file_id = $1 AND (NOT $2 OR outcome = 'skipped') \
         ORDER BY line OFFSET $3 LIMIT $4",
        vec![
            id.into(),
            skipped_only.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            r.reason = r.reason.map(|x| reason_text(lang, &x));
            r
        })
        .collect())
}

/// Replaces a file's protocol and state after a check or a post.
#[allow(clippy::too_many_arguments)]
pub async fn record_outcome(
    txn: &DatabaseTransaction,
    id: i64,
    state: &str,
    lines: &[Line],
    totals: &serde_json::Value,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "DELETE FROM import_rows WHERE file_id = $1",
        vec![id.into()],
    ))
    .await?;
    let rows: Vec<String> = lines
        .iter()
        .map(|l| {
            json!({"line": l.line, "outcome": if l.reason.is_some() { "skipped" } else { "imported" },
                   "key": l.key, "reason": l.reason})
            .to_string()
        })
        .collect();
    for chunk in rows.chunks(20_000) {
        txn.execute_raw(stmt(
            "INSERT INTO import_rows (file_id, line, outcome, key, reason) \
             SELECT $1, line, outcome, key, reason FROM jsonb_to_recordset($2::text::jsonb) \
                  AS x(line int, outcome text, key text, reason text) ON CONFLICT DO NOTHING",
            vec![id.into(), crate::post::json_array(chunk).into()],
        ))
        .await?;
    }
    let skipped = lines.iter().filter(|l| l.reason.is_some()).count();
    let done = if state == "refused" {
        0
    } else {
        lines.len() - skipped
    };
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    txn.execute_raw(stmt(
        "UPDATE import_files SET state = $2, rows_total = $3, rows_done = $4, rows_skipped = $5, totals = $6, \
                message = $7, posted_at = CASE WHEN $2 = 'posted' THEN $8 END WHERE id = $1",
        vec![
            id.into(),
            state.into(),
            count(lines.len()).into(),
            count(done).into(),
            count(skipped).into(),
            totals.clone().into(),
            message.map(str::to_owned).into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The protocol of some files as one workbook: file, line, outcome, key, reason.
pub fn protocol(files: &[(ImportFile, Vec<ImportRow>)], lang: Lang) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let heads = [
        "imports-protocol-file",
        "imports-protocol-line",
        "imports-protocol-outcome",
        "imports-protocol-key",
        "imports-protocol-reason",
    ]
    .map(|id| i18n::text(lang, id));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    for (c, h) in (0u16..).zip(heads) {
        ws.write_string_with_format(0, c, h, &bold).map_err(err)?;
    }
    let mut r = 0u32;
    for (f, rows) in files {
        if let Some(m) = &f.message {
            r += 1;
            ws.write_string(r, 0, &f.file_name).map_err(err)?;
            ws.write_string_with_format(r, 4, reason_text(lang, m), &bold)
                .map_err(err)?;
        }
        for row in rows {
            r += 1;
            ws.write_string(r, 0, &f.file_name).map_err(err)?;
            ws.write_number(r, 1, f64::from(row.line)).map_err(err)?;
            let outcome = l10n::code_label(lang, "import-rows-outcome", &row.outcome);
            ws.write_string(r, 2, outcome).map_err(err)?;
            ws.write_string(r, 3, row.key.as_deref().unwrap_or_default())
                .map_err(err)?;
            ws.write_string(r, 4, row.reason.as_deref().unwrap_or_default())
                .map_err(err)?;
        }
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}

/// What a tenant has already: per import kind, the records it creates.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct Loaded {
    pub kind: Kind,
    pub records: i64,
    pub files_posted: i64,
}

pub async fn loaded(txn: &DatabaseTransaction, kinds: &[Kind]) -> AppResult<Vec<Loaded>> {
    #[derive(FromQueryResult)]
    struct Counts {
        accounts: i64,
        residents: i64,
        meters: i64,
        balances: i64,
        subsidies: i64,
        beneficiaries: i64,
        tariffs: i64,
        rates: i64,
    }
    let c = Counts::find_by_statement(stmt(
        "SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM residents) AS residents, \
                (SELECT count(*) FROM meters WHERE removed_on IS NULL) AS meters, \
                (SELECT count(*) FROM opening_balances) AS balances, (SELECT count(*) FROM subsidies) AS subsidies, \
                (SELECT count(*) FROM beneficiaries) AS beneficiaries, (SELECT count(*) FROM tariffs) AS tariffs, \
                (SELECT count(*) FROM penalty_rates) AS rates",
        vec![],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("no counts".into()))?;
    #[derive(FromQueryResult)]
    struct Posted {
        kind: String,
        n: i64,
    }
    let posted = Posted::find_by_statement(stmt(
        "SELECT kind, count(*) AS n FROM import_files WHERE state = 'posted' GROUP BY kind",
        vec![],
    ))
    .all(txn)
    .await?;
    Ok(kinds
        .iter()
        .map(|k| Loaded {
            kind: *k,
            records: match k {
                Kind::Accounts => c.accounts,
                Kind::Residents | Kind::ResidentList => c.residents,
                Kind::Meters => c.meters,
                Kind::Balances => c.balances,
                Kind::Subsidies => c.subsidies,
                Kind::Beneficiaries => c.beneficiaries,
                Kind::Tariffs => c.tariffs,
                Kind::PenaltyRates => c.rates,
            },
            files_posted: posted
                .iter()
                .find(|p| p.kind == k.code())
                .map_or(0, |p| p.n),
        })
        .collect())
}
