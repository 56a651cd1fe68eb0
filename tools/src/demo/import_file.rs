//! The passport office's list of residents for the open month, as a data import would take
//! it: uploaded and **checked** by the operator (every row tried, nothing kept) — one row
//! names an account the utility does not have — so "Import data" shows a file waiting to be
//! posted with its protocol, as a working tenant's screen would.

use imports::files::{self, Registration};
use imports::job::DataImport;
use imports::kinds::Kind;
use sea_orm::FromQueryResult;

use super::months::{Ctx, Due};
use backend::error::{AppError, AppResult};
use backend::jobs::JobKind;
use backend::storage::ObjectStore;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct TemplateId {
    id: i32,
}

pub async fn check_residents(ctx: &Ctx<'_>, month: domain::Period, rows: &[&Due]) -> AppResult<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let day = ctx.cal.today().max(month.first_day()).min(month.last_day());
    let (name, born, nobody) = if ctx.spec.lang == "ru" {
        ("Смирнова Анна Петровна", "12.04.2019", "Неизвестный Житель")
    } else {
        (
            "Фролова Анна Степанівна",
            "12.04.2019",
            "Невідомий Мешканець",
        )
    };
    let text = format!(
        "account;fullName;birthDate;registeredFrom;livingFrom\n{};{name};{born};{d};{d}\n100999;{nobody};01.01.1990;{d};{d}\n",
        first.account,
        d = day.format("%d.%m.%Y")
    );
    let bytes = text.into_bytes();
    let file_name = format!("residents-{}.csv", month);
    let key = ObjectStore::tenant_key(
        ctx.tenant,
        &format!("uploads/{}-{file_name}", uuid::Uuid::new_v4()),
    );
    let sha256 = access::uploads::sha256(&bytes);
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    ctx.state.store.put(&key, bytes, "text/csv").await?;
    let now = ctx
        .cal
        .at(day, 11)
        .max(ctx.cal.now - chrono::Duration::minutes(4));
    let txn = ctx.begin().await?;
    let template = TemplateId::find_by_statement(stmt(
        "SELECT id FROM import_templates WHERE kind = 'resident_list' AND name = 'CSV (UTF-8, ;)'",
        vec![],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::Internal("no CSV residents template".into()))?
    .id;
    let actor = &ctx.cast.operator;
    let id = files::register(
        &txn,
        actor,
        now,
        &Registration {
            kind: Kind::ResidentList,
            template_id: template,
            options: Default::default(),
            file_name,
            archive: None,
            sha256,
            object_key: key,
            size,
        },
    )
    .await?;
    let spec = DataImport {
        import: Kind::ResidentList,
        file_ids: vec![id],
        post: false,
        duplicates: Vec::new(),
        reach: backend::auth::Reach::default(),
        lang: ctx.spec.lang.into(),
        user_id: actor.user_id,
        login: actor.login.clone(),
    };
    let (row, msg) =
        super::bank_file::operators_job(ctx, &txn, JobKind::DataImport(spec), now).await?;
    files::attach_job(&txn, &[id], row.id).await?;
    txn.commit().await?;
    super::bank_file::run_here(ctx, &msg, "the demo's residents list was not checked").await
}
