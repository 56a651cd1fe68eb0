//! Scheduled reports (seed 000 §4.8): a tenant admin keeps reports of the catalogue with
//! their parameters, a schedule (`domain::report_schedule`) and recipients; the worker's
//! tick starts each schedule's run once per local day slot (a row keyed by schedule and
//! day — whoever inserts it first starts it, however many workers tick), and the run's job
//! forms the XLSX with the author's reach and language and e-mails it.
//!
//! A period report of a schedule reads the open period (an interim view) or the latest
//! closed one, chosen per schedule; a date-range report reads the interval the slot closes.

use async_graphql::{Enum, InputObject, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::report_schedule::ReportSchedule;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::catalog::{self, ReportInput, ReportKind};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::jobs::JobMessage;
use platform::jobs::rows as jobs;
use platform::sql::stmt;

/// The most recipients a schedule mails.
const MAX_RECIPIENTS: usize = 20;

/// The job of one run: forms the schedule's report for the slot and mails it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledReport {
    pub schedule_id: i64,
    pub slot: NaiveDate,
}

impl jobs::JobParams for ScheduledReport {
    fn kind(&self) -> &'static str {
        "scheduled_report"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ScheduleFrequency {
    Daily,
    Weekly,
    Monthly,
}

/// Which period a period report of a schedule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum PeriodRule {
    /// The open period at the run (figures so far).
    Open,
    /// The latest closed period (the month before the open one).
    LastClosed,
}

impl PeriodRule {
    fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::LastClosed => "last_closed",
        }
    }
}

/// A schedule as the form sends it: the report (its period and dates are set at each run)
/// and when and to whom it goes.
#[derive(Debug, Clone, InputObject)]
pub struct ReportScheduleInput {
    pub title: String,
    pub report: ReportInput,
    #[graphql(default_with = "PeriodRule::LastClosed")]
    pub period_rule: PeriodRule,
    pub frequency: ScheduleFrequency,
    /// Weekly: 1 (Monday) to 7 (Sunday).
    pub weekday: Option<i32>,
    /// Monthly: 1 to 31 (a shorter month: its last day).
    pub month_day: Option<i32>,
    /// The local hour from which it is formed, 0–23.
    pub hour: i32,
    /// E-mail addresses, 1 to 20.
    pub recipients: Vec<String>,
}

/// A stored schedule with its latest run.
#[derive(Debug, Clone, SimpleObject)]
pub struct ReportScheduleView {
    pub id: i64,
    pub title: String,
    pub kind: ReportKind,
    /// The report's parameters as stored (JSON of `ReportInput`, without dates).
    pub report: serde_json::Value,
    /// `open` or `last_closed`.
    pub period_rule: String,
    /// `daily`, `weekly` or `monthly`.
    pub frequency: String,
    pub weekday: Option<i32>,
    pub month_day: Option<i32>,
    pub hour: i32,
    pub recipients: Vec<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub runs: Vec<ReportRun>,
    /// The author's reach the report reads with (who may see the schedule).
    #[graphql(skip)]
    pub reach: serde_json::Value,
}

/// One run of a schedule: its slot, its job and whether the mail went.
#[derive(Debug, Clone, SimpleObject, FromQueryResult)]
pub struct ReportRun {
    pub slot: NaiveDate,
    pub job_id: Option<uuid::Uuid>,
    /// The job's state (`queued`, `running`, `done`, `failed`…).
    pub state: Option<String>,
    pub error: Option<String>,
    pub rows: Option<i64>,
    pub mailed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    title: String,
    report: serde_json::Value,
    period_rule: String,
    frequency: String,
    weekday: Option<i16>,
    month_day: Option<i16>,
    hour: i16,
    recipients: String,
    lang: String,
    reach: serde_json::Value,
    author_id: Option<uuid::Uuid>,
    created_by: String,
    created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, title, report, period_rule, frequency, weekday, month_day, hour, \
     array_to_string(recipients, ' ') AS recipients, lang, reach, author_id, created_by, created_at";

impl Row {
    fn schedule(&self) -> AppResult<ReportSchedule> {
        ReportSchedule::new(
            &self.frequency,
            self.weekday.map(|d| u32::try_from(d).unwrap_or(0)),
            self.month_day.map(|d| u32::try_from(d).unwrap_or(0)),
            u32::try_from(self.hour).unwrap_or(0),
        )
        .map_err(|e| AppError::Internal(format!("report schedule {}: {}", self.id, e.rule)))
    }

    fn input(&self) -> AppResult<ReportInput> {
        serde_json::from_value(self.report.clone())
            .map_err(|e| AppError::Internal(format!("report schedule {}: {e}", self.id)))
    }

    fn view(self, runs: Vec<ReportRun>) -> AppResult<ReportScheduleView> {
        let kind = self.input()?.kind;
        Ok(ReportScheduleView {
            id: self.id,
            title: self.title,
            kind,
            report: self.report,
            period_rule: self.period_rule,
            frequency: self.frequency,
            weekday: self.weekday.map(i32::from),
            month_day: self.month_day.map(i32::from),
            hour: i32::from(self.hour),
            recipients: self.recipients.split(' ').map(str::to_owned).collect(),
            created_by: self.created_by,
            created_at: self.created_at,
            runs,
            reach: self.reach,
        })
    }
}

fn frequency_code(f: ScheduleFrequency) -> &'static str {
    match f {
        ScheduleFrequency::Daily => "daily",
        ScheduleFrequency::Weekly => "weekly",
        ScheduleFrequency::Monthly => "monthly",
    }
}

/// The input checked: the schedule, the report (without its period and dates), the
/// recipients — each refusal names its field.
fn check(
    input: &ReportScheduleInput,
) -> AppResult<(String, ReportSchedule, ReportInput, Vec<String>)> {
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::validation("title", "must be 1–200 characters"));
    }
    let hour = u32::try_from(input.hour).unwrap_or(99);
    let day = |d: Option<i32>| d.map(|d| u32::try_from(d).unwrap_or(0));
    let schedule = ReportSchedule::new(
        frequency_code(input.frequency),
        day(input.weekday),
        day(input.month_day),
        hour,
    )
    .map_err(|e| AppError::validation(e.field, e.rule))?;
    // The report's own checks, with a period and dates standing in for the run's.
    let mut report = input.report.clone();
    report.period = Some("2000-01".into());
    let stand_in = NaiveDate::from_ymd_opt(2000, 1, 1);
    report.from = stand_in;
    report.to = stand_in;
    catalog::check(&report)?;
    report.period = None;
    report.from = None;
    report.to = None;
    let mut recipients: Vec<String> = Vec::new();
    for r in &input.recipients {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        if !platform::mail::is_address(r) {
            return Err(AppError::validation(
                "recipients",
                "must be an e-mail address such as name@example.com",
            ));
        }
        if !recipients.iter().any(|x| x.eq_ignore_ascii_case(r)) {
            recipients.push(r.to_owned());
        }
    }
    if recipients.is_empty() || recipients.len() > MAX_RECIPIENTS {
        return Err(AppError::validation(
            "recipients",
            "must list 1 to 20 e-mail addresses",
        ));
    }
    Ok((title.to_owned(), schedule, report, recipients))
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// The branch and building a schedule names must lie within its author's reach (the run
/// reads with that reach; naming one outside it is refused rather than left empty).
async fn check_reach(txn: &DatabaseTransaction, reach: &Reach, r: &ReportInput) -> AppResult<()> {
    if reach.everything() {
        return Ok(());
    }
    if let Some(b) = r.branch_id
        && !reach.branches.contains(&b)
    {
        return Err(AppError::validation(
            "branchId",
            "is outside the branches you work with",
        ));
    }
    if let Some(b) = r.building_id {
        let cond = reach
            .building_condition("b")
            .unwrap_or_else(|| "true".into());
        let n = Count::find_by_statement(stmt(
            &format!("SELECT count(*) AS n FROM buildings b WHERE b.id = $1 AND {cond}"),
            vec![b.into()],
        ))
        .one(txn)
        .await?
        .map_or(0, |c| c.n);
        if n == 0 {
            return Err(AppError::validation(
                "buildingId",
                "is outside the buildings you work with",
            ));
        }
    }
    Ok(())
}

/// Saves a new schedule (`id` None) or replaces one; the author's reach and language are
/// kept with it.
pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    reach: &Reach,
    lang: &str,
    now: DateTime<Utc>,
    id: Option<i64>,
    input: &ReportScheduleInput,
) -> AppResult<ReportScheduleView> {
    let (title, schedule, report, recipients) = check(input)?;
    check_reach(txn, reach, &report).await?;
    let before = match id {
        Some(id) => Some(one(txn, id).await?),
        None => None,
    };
    let (weekday, month_day) = match schedule.frequency {
        domain::report_schedule::Frequency::Daily => (None, None),
        domain::report_schedule::Frequency::Weekly(d) => (Some(d), None),
        domain::report_schedule::Frequency::Monthly(d) => (None, Some(d)),
    };
    let small = |d: Option<u32>| d.map(|d| i16::try_from(d).unwrap_or(0));
    let report_json =
        serde_json::to_value(&report).map_err(|e| AppError::Internal(e.to_string()))?;
    let reach_json = serde_json::to_value(reach).map_err(|e| AppError::Internal(e.to_string()))?;
    let values = vec![
        title.into(),
        report_json.into(),
        input.period_rule.code().into(),
        schedule.frequency.code().into(),
        small(weekday).into(),
        small(month_day).into(),
        i16::try_from(schedule.hour).unwrap_or(0).into(),
        recipients.into(),
        lang.into(),
        reach_json.into(),
        actor.user_id.into(),
        actor.login.clone().into(),
        now.into(),
    ];
    let saved = match id {
        None => Row::find_by_statement(stmt(
            &format!(
                "INSERT INTO report_schedules (title, report, period_rule, frequency, weekday, \
                 month_day, hour, recipients, lang, reach, author_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {COLUMNS}"
            ),
            values,
        )),
        Some(id) => {
            let mut values = values;
            values.push(id.into());
            Row::find_by_statement(stmt(
                &format!(
                    "UPDATE report_schedules SET title = $1, report = $2, period_rule = $3, \
                     frequency = $4, weekday = $5, month_day = $6, hour = $7, recipients = $8, \
                     lang = $9, reach = $10, author_id = $11, created_by = $12, created_at = $13 \
                     WHERE id = $14 RETURNING {COLUMNS}"
                ),
                values,
            ))
        }
    }
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound("report schedule".into()))?;
    let after = audit_json(&saved);
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "report_schedule",
            entity_id: saved.id.to_string(),
            action: if before.is_some() { "update" } else { "create" },
            before: before.as_ref().map(audit_json),
            after: Some(after),
        },
    )
    .await?;
    saved.view(Vec::new())
}

fn audit_json(r: &Row) -> serde_json::Value {
    json!({
        "title": r.title, "report": r.report, "periodRule": r.period_rule,
        "frequency": r.frequency, "weekday": r.weekday, "monthDay": r.month_day,
        "hour": r.hour, "recipients": r.recipients,
    })
}

async fn one(txn: &DatabaseTransaction, id: i64) -> AppResult<Row> {
    Row::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM report_schedules WHERE id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound("report schedule".into()))
}

/// Removes a schedule with its run records (the files of past runs stay with their jobs).
pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let before = one(txn, id).await?;
    txn.execute_raw(stmt(
        "DELETE FROM report_schedules WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "report_schedule",
            entity_id: id.to_string(),
            action: "delete",
            before: Some(audit_json(&before)),
            after: None,
        },
    )
    .await
}

/// Every schedule, with its latest `runs` runs, newest first.
pub async fn list(txn: &DatabaseTransaction, runs: u64) -> AppResult<Vec<ReportScheduleView>> {
    let rows = Row::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM report_schedules ORDER BY title, id"),
        vec![],
    ))
    .all(txn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let history = runs_of(txn, r.id, runs).await?;
        out.push(r.view(history)?);
    }
    Ok(out)
}

/// A schedule's runs, newest first.
pub async fn runs_of(txn: &DatabaseTransaction, id: i64, limit: u64) -> AppResult<Vec<ReportRun>> {
    Ok(ReportRun::find_by_statement(stmt(
        "SELECT r.slot, r.job_id, j.state, j.error, (j.result->>'rows')::bigint AS rows, \
                r.mailed_at, r.created_at \
         FROM report_runs r LEFT JOIN jobs j ON j.id = r.job_id \
         WHERE r.schedule_id = $1 ORDER BY r.slot DESC LIMIT $2",
        vec![id.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
    ))
    .all(txn)
    .await?)
}

/// Starts every schedule due at `local` (the tenant's wall-clock time) whose slot has no
/// run yet: records the run and its job in `txn`; the caller pushes the messages after
/// commit.
pub async fn start_due(
    txn: &DatabaseTransaction,
    tenant: &domain::TenantSlug,
    local: NaiveDateTime,
    now: DateTime<Utc>,
) -> AppResult<Vec<JobMessage>> {
    let rows = Row::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM report_schedules s WHERE NOT EXISTS \
             (SELECT 1 FROM report_runs r WHERE r.schedule_id = s.id AND r.slot = $1) ORDER BY id"
        ),
        vec![local.date().into()],
    ))
    .all(txn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let Some(slot) = r.schedule()?.due(local) else {
            continue;
        };
        let inserted = Count::find_by_statement(stmt(
            "INSERT INTO report_runs (schedule_id, slot, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING 1::bigint AS n",
            vec![r.id.into(), slot.into(), now.into()],
        ))
        .one(txn)
        .await?;
        if inserted.is_none() {
            continue;
        }
        let owner = Actor {
            user_id: r.author_id,
            login: "schedule".into(),
        };
        let spec = ScheduledReport {
            schedule_id: r.id,
            slot,
        };
        let (job, msg) =
            jobs::record_as(txn, tenant, &spec, now, Some((&owner, r.reach.clone()))).await?;
        txn.execute_raw(stmt(
            "UPDATE report_runs SET job_id = $3 WHERE schedule_id = $1 AND slot = $2",
            vec![r.id.into(), slot.into(), job.id.into()],
        ))
        .await?;
        out.push(msg);
    }
    Ok(out)
}

/// What a run forms: the report with its period or dates set for the slot, read with
/// the author's reach, in the author's language, for the recipients.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub title: String,
    pub report: ReportInput,
    pub reach: Reach,
    pub lang: String,
    pub recipients: Vec<String>,
    /// Whether the mail of this run went already (a run re-delivered does not mail again).
    pub mailed: bool,
}

#[derive(FromQueryResult)]
struct Mailed {
    mailed_at: Option<DateTime<Utc>>,
}

/// The plan of the run of `spec`.
pub async fn plan(txn: &DatabaseTransaction, spec: &ScheduledReport) -> AppResult<RunPlan> {
    let r = one(txn, spec.schedule_id).await?;
    let schedule = r.schedule()?;
    let mut report = r.input()?;
    let takes = report.kind.params();
    if takes.contains(&"period") {
        let open = metering::readings::current_open(txn).await?;
        let period = if r.period_rule == PeriodRule::Open.code() {
            open
        } else {
            open.prev()
        };
        report.period = Some(period.to_string());
    }
    if takes.contains(&"from") {
        let (from, to) = schedule.range(spec.slot);
        report.from = Some(from);
        report.to = Some(to);
    }
    let mailed = Mailed::find_by_statement(stmt(
        "SELECT mailed_at FROM report_runs WHERE schedule_id = $1 AND slot = $2",
        vec![spec.schedule_id.into(), spec.slot.into()],
    ))
    .one(txn)
    .await?
    .is_some_and(|m| m.mailed_at.is_some());
    Ok(RunPlan {
        title: r.title.clone(),
        report,
        reach: serde_json::from_value(r.reach.clone()).unwrap_or_default(),
        lang: r.lang.clone(),
        recipients: r.recipients.split(' ').map(str::to_owned).collect(),
        mailed,
    })
}

/// Records that the run's mail went.
pub async fn mark_mailed(
    txn: &DatabaseTransaction,
    spec: &ScheduledReport,
    now: DateTime<Utc>,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "UPDATE report_runs SET mailed_at = $3 WHERE schedule_id = $1 AND slot = $2",
        vec![spec.schedule_id.into(), spec.slot.into(), now.into()],
    ))
    .await?;
    Ok(())
}
