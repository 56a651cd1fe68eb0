//! `tools drill-kill-worker SLUG [KILLS] [SEED]`: the fault drill of issue 16. The open
//! period of SLUG is calculated once by a worker process left alone (the clean run), then
//! again while worker processes are killed (SIGKILL) at random moments KILLS (20) times,
//! a new one started after each; a last worker finishes. The drill passes when the second
//! run leaves exactly one invoice per account the clean run invoiced, and the digest of all
//! invoices and lines (less when and by which job they were formed) equals the clean
//! run's. Prints each kill and the verdict; exits non-zero on a difference.
//!
//! The workers run on a queue of the drill's own, with a short lease and heartbeat (so a
//! killed attempt is taken over in seconds, not a minute) and enough attempts for every
//! kill: a production job gives up after `APP_JOBS__MAX_ATTEMPTS` killed attempts.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use chrono::Utc;
use domain::{Period, TenantSlug};
use sea_orm::{ConnectionTrait, FromQueryResult};

use backend::error::{AppError, AppResult};
use backend::jobs::{self, JobKind};
use backend::state::AppState;
use backend::tenancy;
use billing::jobs::calculation::Calculation;
use billing::run::Scope;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct JobRow {
    state: String,
    progress: i32,
    attempts: i32,
}

#[derive(FromQueryResult, Debug, PartialEq, Eq)]
struct Outcome {
    invoices: i64,
    accounts: i64,
    lines: i64,
    digest: String,
}

struct Drill {
    state: AppState,
    slug: TenantSlug,
    period: Period,
    env: Vec<(String, String)>,
    worker: std::path::PathBuf,
}

impl Drill {
    /// A drill on a queue of its own (`state`'s settings otherwise), for SLUG's open
    /// period; its workers get this process's `APP_*` variables, a quick recovery sweep
    /// and `overrides`.
    async fn prepare(
        state: &AppState,
        slug: &TenantSlug,
        overrides: &[(&str, String)],
    ) -> AppResult<Self> {
        let queue = format!("drill-{}", uuid::Uuid::new_v4().simple());
        let mut settings = (*state.settings).clone();
        settings.redis.queue = queue.clone();
        let state = AppState::new(settings).await?;
        let txn = tenancy::begin(&state.db, slug).await?;
        let period = metering::readings::current_open(&txn).await?;
        txn.commit().await?;
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("APP_"))
            .collect();
        env.extend(
            [
                ("APP_REDIS__QUEUE", queue),
                ("APP_REDIS__MISSED_HEARTBEATS", "3".into()),
                ("APP_JOBS__RECOVER_AFTER_SECS", "15".into()),
                ("APP_JOBS__RECOVER_EVERY_SECS", "5".into()),
            ]
            .map(|(k, v)| (k.to_owned(), v)),
        );
        env.extend(overrides.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        let worker = std::env::current_exe()
            .map_err(|e| AppError::Internal(e.to_string()))?
            .with_file_name("worker");
        Ok(Self {
            state,
            slug: slug.clone(),
            period,
            env,
            worker,
        })
    }

    fn spawn_worker(&self) -> AppResult<Child> {
        Command::new(&self.worker)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("RUST_LOG", "warn")
            .spawn()
            .map_err(|e| AppError::Internal(format!("start {}: {e}", self.worker.display())))
    }

    /// Removes the period's invoices (both runs start from none) and queues a calculation.
    async fn start(&self) -> AppResult<uuid::Uuid> {
        let txn = tenancy::begin(&self.state.db, &self.slug).await?;
        let first = self.period.first_day();
        txn.execute_raw(stmt(
            "DELETE FROM invoice_lines WHERE period = $1",
            vec![first.into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            "DELETE FROM invoices WHERE period = $1",
            vec![first.into()],
        ))
        .await?;
        let spec = JobKind::Calculation(Calculation {
            period: self.period.to_string(),
            scope: Scope::Tenant,
            reach: Default::default(),
            lang: "en".into(),
            user_id: None,
            login: "drill".into(),
        });
        let (row, msg) = jobs::record(&txn, &self.slug, &spec, Utc::now()).await?;
        txn.commit().await?;
        self.state.queue.push(msg).await?;
        Ok(row.id)
    }

    async fn job(&self, id: uuid::Uuid) -> AppResult<JobRow> {
        let txn = tenancy::begin(&self.state.db, &self.slug).await?;
        let row = JobRow::find_by_statement(stmt(
            "SELECT state, progress, attempts FROM jobs WHERE id = $1",
            vec![id.into()],
        ))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("job {id}")))?;
        txn.commit().await?;
        Ok(row)
    }

    /// Waits (up to `limit`) for the job to finish; returns its state.
    async fn wait(&self, id: uuid::Uuid, limit: Duration) -> AppResult<String> {
        let until = Instant::now() + limit;
        loop {
            let j = self.job(id).await?;
            if j.state == "done" || j.state == "failed" || Instant::now() > until {
                return Ok(j.state);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn outcome(&self) -> AppResult<Outcome> {
        let txn = tenancy::begin(&self.state.db, &self.slug).await?;
        let o = Outcome::find_by_statement(stmt(
            "SELECT (SELECT count(*) FROM invoices WHERE period = $1) AS invoices, \
                    (SELECT count(DISTINCT account_id) FROM invoices WHERE period = $1) AS accounts, \
                    (SELECT count(*) FROM invoice_lines WHERE period = $1) AS lines, \
                    md5((SELECT coalesce(string_agg(h, '' ORDER BY h), '') FROM \
                          (SELECT md5((to_jsonb(i) - 'id' - 'formed_at' - 'job_id')::text) AS h \
                           FROM invoices i WHERE period = $1) a) || \
                        (SELECT coalesce(string_agg(h, '' ORDER BY h), '') FROM \
                          (SELECT md5(l::text) AS h FROM invoice_lines l WHERE period = $1) b)) AS digest",
            vec![self.period.first_day().into()],
        ))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Internal("no outcome row".into()))?;
        txn.commit().await?;
        Ok(o)
    }
}

fn kill(child: &mut Child) {
    // SIGKILL: no shutdown path runs, as when a machine dies.
    let _ = child.kill();
    let _ = child.wait();
}

pub async fn kill_worker(
    state: &AppState,
    slug: &TenantSlug,
    kills: usize,
    seed: u64,
) -> AppResult<bool> {
    let drill = Drill::prepare(
        state,
        slug,
        &[
            ("APP_JOBS__LEASE_SECS", "3".into()),
            ("APP_REDIS__HEARTBEAT_SECS", "1".into()),
            ("APP_JOBS__MAX_ATTEMPTS", (kills + 5).to_string()),
        ],
    )
    .await?;
    let period = drill.period;
    println!("drill on {slug}, period {period}: a clean run first");
    let id = drill.start().await?;
    let mut w = drill.spawn_worker()?;
    let started = Instant::now();
    let state_of = drill.wait(id, Duration::from_secs(3600)).await?;
    let clean_secs = started.elapsed().as_secs_f64();
    kill(&mut w);
    if state_of != "done" {
        return Err(AppError::Internal(format!(
            "the clean run ended {state_of}"
        )));
    }
    let clean = drill.outcome().await?;
    println!(
        "clean run: {:.1} s, {} invoices, {} lines, digest {}",
        clean_secs, clean.invoices, clean.lines, clean.digest
    );

    let id = drill.start().await?;
    let started = Instant::now();
    let mut done_early = false;
    let mut seen = 0;
    let clean_ms = (clean_secs * 1000.0) as u64;
    'kills: for k in 1..=kills {
        let mut w = drill.spawn_worker()?;
        // Each kill lands inside an attempt: wait for this worker to start a new one
        // (after the last kill's lease ran out), then anywhere in a clean run's length.
        let until = Instant::now() + Duration::from_secs(120);
        loop {
            let j = drill.job(id).await?;
            if j.state == "done" || j.state == "failed" {
                done_early = true;
                kill(&mut w);
                println!("the job ended {} before kill {k}", j.state);
                break 'kills;
            }
            if j.state == "running" && j.attempts > seen {
                seen = j.attempts;
                break;
            }
            if Instant::now() > until {
                kill(&mut w);
                return Err(AppError::Internal(format!(
                    "no worker took the job up within 2 minutes after kill {}",
                    k - 1
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let wait = 100
            + crate::demo::calendar::mix(&format!("{seed}-{k}"), 16) % (clean_ms * 9 / 10).max(1);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        let before = drill.job(id).await?;
        kill(&mut w);
        println!(
            "kill {k:>2}, {:>4.1} s into attempt {}: job {} at {:>3} %",
            wait as f64 / 1000.0,
            before.attempts,
            before.state,
            before.progress,
        );
        if before.state == "done" {
            done_early = true;
            break;
        }
    }
    let mut w = drill.spawn_worker()?;
    let end = drill.wait(id, Duration::from_secs(3600)).await?;
    kill(&mut w);
    let after = drill.outcome().await?;
    let last = drill.job(id).await?;
    println!(
        "run under kills: {end} after {:.1} s and {} attempts, {} invoices ({} accounts), {} lines, digest {}",
        started.elapsed().as_secs_f64(),
        last.attempts,
        after.invoices,
        after.accounts,
        after.lines,
        after.digest
    );
    let ok = end == "done" && after == clean && after.invoices == after.accounts;
    println!(
        "{}",
        if ok {
            "PASS: one invoice per account, every line as in the clean run"
        } else {
            "FAIL: the run under kills differs from the clean run"
        }
    );
    if done_early {
        println!("note: fewer kills than asked landed while the job ran");
    }
    Ok(ok)
}

/// `tools drill-restarts SLUG`: PostgreSQL, then Redis, restarted while a calculation of
/// SLUG's open period runs (commands from `DRILL_PG_RESTART` and `DRILL_REDIS_RESTART`, run
/// by `sh -c`). A server started for the drill is asked `/readyz` every 200 ms: it must
/// report the outage and recover. Each job must end done with the clean run's invoices and
/// lines (each chunk is its own transaction: a chunk cut by the restart is rolled back and
/// formed again by the retried attempt), or failed with a reason.
pub async fn restarts(state: &AppState, slug: &TenantSlug, port: u16) -> AppResult<bool> {
    let drill = Drill::prepare(
        state,
        slug,
        &[
            ("APP_JOBS__LEASE_SECS", "10".into()),
            ("APP_REDIS__HEARTBEAT_SECS", "2".into()),
            ("APP_HTTP__ADDR", format!("127.0.0.1:{port}")),
        ],
    )
    .await?;
    let period = drill.period;
    // The server binary sits beside this one (`tools` and `backend` build into one folder).
    let exe = std::env::current_exe()
        .map_err(|e| AppError::Internal(e.to_string()))?
        .with_file_name("backend");
    let mut server = Command::new(&exe)
        .arg("serve")
        .envs(drill.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| AppError::Internal(format!("start the server: {e}")))?;
    let ready_url = format!("http://127.0.0.1:{port}/readyz");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let ready = |client: reqwest::Client, url: String| async move {
        client
            .get(&url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
    };
    let up_until = Instant::now() + Duration::from_secs(60);
    while !ready(client.clone(), ready_url.clone()).await {
        if Instant::now() > up_until {
            kill(&mut server);
            return Err(AppError::Internal(
                "the drill's server never got ready".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    println!("drill on {slug}, period {period}: a clean run first");
    let id = drill.start().await?;
    let mut w = drill.spawn_worker()?;
    let state_of = drill.wait(id, Duration::from_secs(3600)).await?;
    if state_of != "done" {
        kill(&mut w);
        kill(&mut server);
        return Err(AppError::Internal(format!(
            "the clean run ended {state_of}"
        )));
    }
    let clean = drill.outcome().await?;
    println!(
        "clean run: {} invoices, digest {}",
        clean.invoices, clean.digest
    );

    let mut all_ok = true;
    for (service, var) in [
        ("PostgreSQL", "DRILL_PG_RESTART"),
        ("Redis", "DRILL_REDIS_RESTART"),
    ] {
        let Ok(command) = std::env::var(var) else {
            println!("{service}: skipped ({var} is not set)");
            all_ok = false;
            continue;
        };
        let id = drill.start().await?;
        // Restart once the job is well under way.
        let until = Instant::now() + Duration::from_secs(120);
        while drill.job(id).await.map(|j| j.progress).unwrap_or(0) < 10 && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let at = drill.job(id).await.map(|j| j.progress).unwrap_or(-1);
        // /readyz every 200 ms while the command runs and 30 s after: the first answer
        // that was not "ready", and the first "ready" after the last one that was not.
        let watch = tokio::spawn({
            let (client, url) = (client.clone(), ready_url.clone());
            async move {
                let started = Instant::now();
                let (mut down_at, mut up_at) = (None, None);
                while started.elapsed() < Duration::from_secs(60) {
                    let asked = started.elapsed();
                    let ok = ready(client.clone(), url.clone()).await;
                    if !ok {
                        down_at.get_or_insert(asked);
                        up_at = None;
                    } else if down_at.is_some() && up_at.is_none() {
                        up_at = Some(asked);
                    }
                    if up_at
                        .is_some_and(|u: Duration| started.elapsed() > u + Duration::from_secs(5))
                    {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                (down_at, up_at)
            }
        });
        let status =
            tokio::task::spawn_blocking(move || Command::new("sh").args(["-c", &command]).status())
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::Internal(format!("{var}: {e}")))?;
        let (down, up) = watch.await.map_err(|e| AppError::Internal(e.to_string()))?;
        // The drill's own pool reconnects; give the database a moment after a restart.
        let mut end = String::new();
        for _ in 0..60 {
            match drill.wait(id, Duration::from_secs(1800)).await {
                Ok(s) => {
                    end = s;
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
        let after = drill.outcome().await?;
        let job = drill.job(id).await?;
        let same = after == clean;
        let ok = status.success()
            && down.is_some()
            && up.is_some()
            && ((end == "done" && same) || end == "failed");
        all_ok &= ok;
        println!(
            "{service} restarted at {at} %: /readyz not ready from {} ms to {} ms; \
             job {end} after {} attempts; {} invoices, digest {} — {}",
            down.map_or("-".into(), |d| d.as_millis().to_string()),
            up.map_or("-".into(), |d| d.as_millis().to_string()),
            job.attempts,
            after.invoices,
            if same {
                "as the clean run"
            } else {
                "DIFFERENT"
            },
            if ok { "PASS" } else { "FAIL" }
        );
    }
    kill(&mut w);
    kill(&mut server);
    Ok(all_ok)
}
