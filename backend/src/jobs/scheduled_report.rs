//! The run of a scheduled report: the schedule's report formed for its slot (period or
//! dates set by `reports::schedules::plan`) as XLSX by the list-export writer, stored
//! under the job, and e-mailed to each recipient with the file attached.
//!
//! Safe to run twice: the file's key comes from the job id, and the run records when its
//! mail went, so a job delivered again after the mail does not mail again.

use serde_json::json;

use super::list_export::{self, ListExport, ListKind};
use super::runner::Progress;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::MailFile;
use crate::state::AppState;
use crate::tenancy;
use reports::schedules::{self, ScheduledReport};

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ScheduledReport,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let plan = schedules::plan(&txn, spec).await?;
    txn.commit().await?;
    let lang = Lang::from_code(&plan.lang).unwrap_or(Lang::EN);
    let export = ListExport {
        report: Some(plan.report.clone()),
        ..ListExport::new(ListKind::Report, plan.reach.clone(), plan.lang.clone())
    };
    let file = list_export::write(state, tenant, job_id, &export, progress).await?;
    let report_title = crate::i18n::text(lang, plan.report.kind.title_id());
    let span = match (&plan.report.period, plan.report.from, plan.report.to) {
        (Some(p), _, _) => p.clone(),
        (None, Some(from), Some(to)) if from == to => from.to_string(),
        (None, Some(from), Some(to)) => format!("{from} – {to}"),
        _ => spec.slot.to_string(),
    };
    if !plan.mailed {
        progress.set(95).await?;
        let subject = format!("{}: {report_title}, {span}", plan.title);
        let text = format!(
            "{}\n\n{report_title}\n{span}\n{}: {}\n",
            crate::i18n::text(lang, "report-mail-body"),
            crate::i18n::text(lang, "report-mail-rows"),
            file.rows
        );
        let name = format!(
            "{}-{}.xlsx",
            plan.report.kind.title_id().trim_start_matches("report-"),
            span.replace(" – ", "_")
        );
        for to in &plan.recipients {
            let attachment = MailFile {
                name: name.clone(),
                content_type: list_export::XLSX.into(),
                body: file.body.clone(),
            };
            state
                .mailer
                .send(to, &subject, &text, vec![attachment])
                .await?;
        }
        let txn = tenancy::begin(&state.db, tenant).await?;
        schedules::mark_mailed(&txn, spec, chrono::Utc::now()).await?;
        txn.commit().await?;
    }
    Ok(json!({
        "objectKey": file.key,
        "rows": file.rows,
        "fileName": file.name,
        "emailedTo": plan.recipients,
    }))
}
