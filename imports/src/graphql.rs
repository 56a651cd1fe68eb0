//! Data imports through GraphQL: the kinds with their fields and what is loaded (the
//! onboarding screen), templates (`settings` permissions), uploading a file or ZIP to be
//! checked or posted (the kind's document, `create`), posting checked files, the files and
//! their protocols (the kind's document, `view`).

use async_graphql::{Context, Object, SimpleObject, Upload};
use chrono::Utc;

use crate::files::{self, ImportFile, ImportRow, Loaded, Registration};
use crate::job::DataImport;
use crate::kinds::Kind;
use crate::post::Options;
use crate::templates::{self, ImportTemplate, ImportTemplateInput};
use access::auth::{self, Action, Document, Scope};
use access::jobs::Job;
use access::uploads::{self, MAX_FILE};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::sql::MAX_PAGE;

fn lang(ctx: &Context<'_>) -> Lang {
    ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN)
}

/// A scope for the kinds the session may `action`, and those kinds (FORBIDDEN naming the
/// first kind's permission when none).
fn kinds_scope<'a>(ctx: &'a Context<'_>, action: Action) -> AppResult<(Scope<'a>, Vec<Kind>)> {
    let first = Kind::Accounts.document();
    let scope = Kind::ALL
        .iter()
        .find_map(|k| auth::authorize(ctx, k.document(), action).ok())
        .map_or_else(|| auth::authorize(ctx, first, action), Ok)?;
    let kinds = Kind::ALL
        .into_iter()
        .filter(|k| scope.can(k.document(), action))
        .collect();
    Ok((scope, kinds))
}

#[derive(SimpleObject)]
pub struct ImportFieldInfo {
    pub name: String,
    /// The field's name in the reader's language.
    pub label: String,
    pub required: bool,
    /// Header texts the column is recognised by.
    pub headers: Vec<String>,
}

#[derive(SimpleObject)]
pub struct ImportKindInfo {
    pub kind: Kind,
    pub fields: Vec<ImportFieldInfo>,
    /// Rows stand alone (a bad row is skipped); otherwise the file is all-or-nothing.
    pub independent_rows: bool,
    /// The session may upload files of this kind.
    pub can_upload: bool,
    pub loaded: Loaded,
}

/// A sample file of an import: the kind's header and three rows naming the tenant's own
/// services.
#[derive(SimpleObject)]
pub struct ImportSample {
    pub file_name: String,
    /// CSV, UTF-8, `;`.
    pub content: String,
}

#[derive(SimpleObject)]
pub struct ImportFilePage {
    pub rows: Vec<ImportFile>,
    pub total: i64,
}

#[derive(Default)]
pub struct ImportsQuery;

#[Object]
impl ImportsQuery {
    /// The imports in the order a migration loads them, with what is already loaded.
    async fn import_kinds(&self, ctx: &Context<'_>) -> AppResult<Vec<ImportKindInfo>> {
        let (scope, kinds) = kinds_scope(ctx, Action::View)?;
        let lang = lang(ctx);
        let txn = scope.begin().await?;
        let loaded = files::loaded(&txn, &kinds).await?;
        txn.commit().await?;
        Ok(kinds
            .into_iter()
            .zip(loaded)
            .map(|(k, loaded)| ImportKindInfo {
                kind: k,
                fields: k
                    .fields()
                    .iter()
                    .map(|f| ImportFieldInfo {
                        name: f.name.to_owned(),
                        label: platform::i18n::field(lang, f.name),
                        required: f.required,
                        headers: f.headers.iter().map(|h| (*h).to_owned()).collect(),
                    })
                    .collect(),
                independent_rows: k.independent_rows(),
                can_upload: scope.can(k.document(), Action::Create),
                loaded,
            })
            .collect())
    }

    async fn import_sample(&self, ctx: &Context<'_>, kind: Kind) -> AppResult<ImportSample> {
        let scope = auth::authorize(ctx, kind.document(), Action::View)?;
        let txn = scope.begin().await?;
        let catalogue = crate::samples::catalogue(&txn).await?;
        let open = metering::readings::current_open(&txn).await?;
        txn.commit().await?;
        Ok(ImportSample {
            file_name: format!("{}-sample.csv", kind.code()),
            content: crate::samples::file(kind, 3, 900_001, &catalogue, open.first_day()),
        })
    }

    async fn import_templates(
        &self,
        ctx: &Context<'_>,
        kind: Option<Kind>,
    ) -> AppResult<Vec<ImportTemplate>> {
        let (scope, _) = kinds_scope(ctx, Action::View)?;
        let txn = scope.begin().await?;
        let t = templates::list(&txn, kind).await?;
        txn.commit().await?;
        Ok(t)
    }

    /// Uploaded files, newest first (`kind`: of one import).
    async fn import_files(
        &self,
        ctx: &Context<'_>,
        kind: Option<Kind>,
        #[graphql(default)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<ImportFilePage> {
        let (scope, mut kinds) = kinds_scope(ctx, Action::View)?;
        if let Some(k) = kind {
            kinds.retain(|x| *x == k);
        }
        let txn = scope.begin().await?;
        let (rows, total) = files::list(
            &txn,
            &scope.session.reach,
            &scope.session.login,
            &kinds,
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(ImportFilePage { rows, total })
    }

    /// A file's protocol (`skippedOnly`: the rows not imported).
    async fn import_rows(
        &self,
        ctx: &Context<'_>,
        file_id: i64,
        #[graphql(default)] skipped_only: bool,
        #[graphql(default)] offset: u64,
        #[graphql(default = 100)] limit: u64,
    ) -> AppResult<Vec<ImportRow>> {
        let (scope, kinds) = kinds_scope(ctx, Action::View)?;
        let txn = scope.begin().await?;
        let f = files::by_id(&txn, &scope.session.reach, &scope.session.login, file_id).await?;
        if !kinds.iter().any(|k| k.code() == f.kind_code) {
            return Err(AppError::NotFound(format!(
                "record {file_id} does not exist"
            )));
        }
        let rows = files::rows(
            &txn,
            file_id,
            skipped_only,
            lang(ctx),
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(rows)
    }
}

#[derive(Default)]
pub struct ImportsMutation;

#[Object]
impl ImportsMutation {
    /// Uploads a file — or a ZIP of files, each its own import — of `kind` laid out by
    /// `templateId`. A worker job checks it (`post: false`: every row tried, the protocol
    /// kept, nothing written) or posts it. A file loaded before is refused; in a ZIP it is
    /// passed over and named in the job's result. `period` (YYYY-MM): the month of a
    /// subsidies file (default the open one); `executorId`: for a closed month's subsidies,
    /// the employee who makes the draft data-update acts they become.
    #[allow(clippy::too_many_arguments)]
    async fn upload_import(
        &self,
        ctx: &Context<'_>,
        kind: Kind,
        template_id: i32,
        file: Upload,
        #[graphql(default)] post: bool,
        #[graphql(default)] replace: bool,
        period: Option<String>,
        executor_id: Option<i32>,
    ) -> AppResult<Job> {
        let scope = auth::authorize(ctx, kind.document(), Action::Create)?;
        if kind == Kind::Accounts && !scope.session.reach.everything() {
            return Err(AppError::Forbidden(
                "importing accounts needs a user without branch or building limits".into(),
            ));
        }
        let received = uploads::receive(ctx, file)?;
        let period = period
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty());
        if let Some(p) = &period {
            p.parse::<domain::Period>()
                .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
        }
        let options = Options {
            replace,
            period,
            executor_id,
        };
        let parts = if crate::archive::is_archive(&received.bytes) {
            let archive = received.name.clone();
            crate::archive::files(&received.bytes, MAX_FILE)?
                .into_iter()
                .map(|(name, bytes)| (name, Some(archive.clone()), bytes))
                .collect()
        } else {
            vec![(received.name.clone(), None, received.bytes)]
        };
        // Checked before anything is stored: the template, and which files were seen.
        let txn = scope.begin().await?;
        let t = templates::by_id(&txn, template_id).await?;
        if t.kind != kind.code() {
            return Err(AppError::validation(
                "templateId",
                "the template is of another import",
            ));
        }
        let mut fresh = Vec::new();
        let mut duplicates = Vec::new();
        for (name, archive, bytes) in parts {
            let sha256 = uploads::sha256(&bytes);
            match files::refuse_seen(&txn, kind, &sha256, &name).await {
                Ok(())
                    if !fresh.iter().any(
                        |(_, _, _, s): &(String, Option<String>, Vec<u8>, String)| *s == sha256,
                    ) =>
                {
                    fresh.push((name, archive, bytes, sha256));
                }
                Ok(()) => duplicates.push(platform::i18n::message(
                    lang(ctx),
                    &format!("{name}: is in the archive twice"),
                )),
                Err(AppError::Conflict(m)) => {
                    duplicates.push(platform::i18n::message(lang(ctx), &m))
                }
                Err(e) => return Err(e),
            }
        }
        txn.rollback().await?;
        if fresh.is_empty() {
            return Err(AppError::Conflict(duplicates.join("; ")));
        }
        let mut registrations = Vec::new();
        for (name, archive, bytes, sha256) in fresh {
            let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
            let object_key = uploads::stash(
                &scope,
                uploads::Received {
                    name: name.clone(),
                    bytes,
                    sha256: sha256.clone(),
                },
            )
            .await?;
            registrations.push(Registration {
                kind,
                template_id,
                options: options.clone(),
                file_name: name,
                archive,
                sha256,
                object_key,
                size,
            });
        }
        let actor = scope.actor();
        let now = Utc::now();
        let txn = scope.begin().await?;
        let mut ids = Vec::new();
        for r in &registrations {
            ids.push(files::register(&txn, &actor, now, r).await?);
        }
        let spec = DataImport {
            import: kind,
            file_ids: ids.clone(),
            post,
            duplicates,
            reach: scope.session.reach.clone(),
            lang: lang(ctx).code().to_owned(),
            user_id: actor.user_id,
            login: actor.login,
        };
        let (row, msg) = access::jobs::record_in(&scope, &txn, &spec).await?;
        files::attach_job(&txn, &ids, row.id).await?;
        txn.commit().await?;
        access::jobs::push(&scope, row, msg).await
    }

    /// Posts files that were checked. A refused file is not posted: it is corrected and
    /// uploaded again (a new file, a new fingerprint).
    async fn post_imports(&self, ctx: &Context<'_>, file_ids: Vec<i64>) -> AppResult<Job> {
        let (scope, kinds) = kinds_scope(ctx, Action::Create)?;
        if file_ids.is_empty() || file_ids.len() > 500 {
            return Err(AppError::validation("fileIds", "name 1 to 500 files"));
        }
        let txn = scope.begin().await?;
        let mut of_kind = None;
        for id in &file_ids {
            let f = files::by_id(&txn, &scope.session.reach, &scope.session.login, *id).await?;
            let kind = Kind::parse(&f.kind_code)?;
            if *of_kind.get_or_insert(kind) != kind {
                return Err(AppError::validation("fileIds", "name files of one import"));
            }
            if !kinds.contains(&kind) {
                return Err(AppError::Forbidden(format!(
                    "missing permission {}.{}",
                    kind.document(),
                    Action::Create
                )));
            }
            if kind == Kind::Accounts && !scope.session.reach.everything() {
                return Err(AppError::Forbidden(
                    "importing accounts needs a user without branch or building limits".into(),
                ));
            }
            if f.state != "checked" {
                return Err(AppError::validation(
                    "fileIds",
                    format!("{}: only a checked file can be posted", f.file_name),
                ));
            }
        }
        let actor = scope.actor();
        let spec = DataImport {
            import: of_kind.unwrap_or(Kind::Accounts),
            file_ids: file_ids.clone(),
            post: true,
            duplicates: Vec::new(),
            reach: scope.session.reach.clone(),
            lang: lang(ctx).code().to_owned(),
            user_id: actor.user_id,
            login: actor.login,
        };
        let (row, msg) = access::jobs::record_in(&scope, &txn, &spec).await?;
        files::attach_job(&txn, &file_ids, row.id).await?;
        txn.commit().await?;
        access::jobs::push(&scope, row, msg).await
    }

    /// Matches a skipped row of a posted file of residents, beneficiaries or subsidies to
    /// an account by hand: the row is applied alone with that account (refused with the
    /// reason, nothing written, when that account cannot take it either).
    async fn match_import_row(
        &self,
        ctx: &Context<'_>,
        file_id: i64,
        line: i32,
        account: String,
    ) -> AppResult<ImportRow> {
        let (scope, _) = kinds_scope(ctx, Action::Create)?;
        crate::matching::match_row(&scope, lang(ctx), file_id, line, &account).await
    }

    /// Creates (no `id`) or changes an import template.
    async fn save_import_template(
        &self,
        ctx: &Context<'_>,
        id: Option<i32>,
        input: ImportTemplateInput,
    ) -> AppResult<ImportTemplate> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let saved = templates::save(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let t = templates::list(&txn, Some(input.kind))
            .await?
            .into_iter()
            .find(|t| t.id == saved)
            .ok_or_else(|| AppError::Internal("template vanished".into()))?;
        txn.commit().await?;
        Ok(t)
    }
}
