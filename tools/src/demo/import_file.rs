//! Data imports of the open month as a working tenant's "Import data" screen shows them:
//! the penalty base rate table as the central bank publishes it, **posted** by the operator
//! (the rates the tenant has, so nothing changes but the file on the list), and
//! the passport office's list of residents, uploaded and **checked** by the operator (every
//! row tried, nothing kept) — one row names an account the utility does not have — so a
//! file waits to be posted with its protocol.

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
    let now = ctx
        .cal
        .at(day, 11)
        .max(ctx.cal.now - chrono::Duration::minutes(4));
    let file_name = format!("residents-{month}.csv");
    upload(
        ctx,
        Kind::ResidentList,
        &file_name,
        text,
        false,
        now,
        &ctx.cast.operator,
    )
    .await
}

/// The tenant's penalty base rates as a file of the central bank's table, posted.
pub async fn post_rates(ctx: &Ctx<'_>, month: domain::Period) -> AppResult<()> {
    #[derive(FromQueryResult)]
    struct Rate {
        valid_from: chrono::NaiveDate,
        rate: rust_decimal::Decimal,
    }
    let txn = ctx.begin().await?;
    let rates = Rate::find_by_statement(stmt(
        "SELECT valid_from, rate FROM penalty_rates ORDER BY valid_from",
        vec![],
    ))
    .all(&txn)
    .await?;
    txn.commit().await?;
    let mut text = String::from("validFrom;rate\n");
    for r in rates {
        text.push_str(&format!(
            "{};{}\n",
            r.valid_from.format("%d.%m.%Y"),
            r.rate.normalize()
        ));
    }
    let day = ctx.cal.today().max(month.first_day()).min(month.last_day());
    let now = ctx
        .cal
        .at(day, 9)
        .max(ctx.cal.now - chrono::Duration::minutes(6));
    upload(
        ctx,
        Kind::PenaltyRates,
        "penalty-rates.csv",
        text,
        true,
        now,
        &ctx.cast.operator,
    )
    .await
}

/// A file of `kind` stored, registered under the shipped CSV template and run by the import
/// job here (checked, or posted).
async fn upload(
    ctx: &Ctx<'_>,
    kind: Kind,
    file_name: &str,
    text: String,
    post: bool,
    now: chrono::DateTime<chrono::Utc>,
    actor: &platform::audit::Actor,
) -> AppResult<()> {
    let bytes = text.into_bytes();
    let key = ObjectStore::tenant_key(
        ctx.tenant,
        &format!("uploads/{}-{file_name}", uuid::Uuid::new_v4()),
    );
    let sha256 = access::uploads::sha256(&bytes);
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    ctx.state.store.put(&key, bytes, "text/csv").await?;
    let txn = ctx.begin().await?;
    let template = TemplateId::find_by_statement(stmt(
        "SELECT id FROM import_templates WHERE kind = $1 AND name = 'CSV (UTF-8, ;)'",
        vec![kind.code().into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::Internal(format!("no CSV template of {}", kind.code())))?
    .id;
    let id = files::register(
        &txn,
        actor,
        now,
        &Registration {
            kind,
            template_id: template,
            options: Default::default(),
            file_name: file_name.to_owned(),
            archive: None,
            sha256,
            object_key: key,
            size,
        },
    )
    .await?;
    let spec = DataImport {
        import: kind,
        file_ids: vec![id],
        post,
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
    super::bank_file::run_here(ctx, &msg, "the demo's import file was not run").await
}
