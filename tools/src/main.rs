//! `tools`: the demo seed, the generator, the benchmarks and the fault drills, run against
//! the same configuration as the server (`APP_*`).

use std::process::ExitCode;

use backend::{AppState, Settings, telemetry, tenants};
use platform::cli::{self, number_arg, slug_arg};
use tools::demo;

const USAGE: &str = "usage:
  tools demo [--reset]          seed the demo tenants (APP_DEFAULT_TENANT, Ukrainian, and
                                <it>_ru, Russian) unless seeded; --reset rebuilds them
  tools drill-kill-worker SLUG [KILLS] [SEED]
                                calculate SLUG's open period cleanly, then again while worker
                                processes are killed KILLS (20) times; compare the two
  tools drill-restarts SLUG [PORT]
                                restart PostgreSQL and Redis (DRILL_PG_RESTART,
                                DRILL_REDIS_RESTART) during calculations; /readyz on PORT
  tools generate SLUG N [SEED]  add N generated accounts (with addresses, subscribers,
                                residents) to tenant SLUG, creating it if needed
  tools bench-registry N [SEED] generate a fresh tenant of N accounts, print the time,
                                then the p50/p95 of searches by number, name, address
  tools bench-search SLUG       the same searches on an existing tenant
  tools bench-meters SLUG       p50/p95 of the meters dashboard on an existing tenant
  tools bench-edits SLUG [N]    group opening of a street of N (5000) apartments, the same
                                again, street renames (rolled back), and the calculation of
                                N ticked accounts
  tools bench-readings-import SLUG [N]
                                import N readings (100000) from one XLSX, twice
  tools bench-engine [N]        the calculation engine alone over N account-periods
  tools bench-acts SLUG         a recalculation act over a house of 5,000 accounts and three
                                closed months (moves premises and closes months: bench tenants only)
  tools bench-billing SLUG      calculate and re-form the open period of a tenant, next to
                                the time COPY takes to load the same rows
  tools bench-payments SLUG [N]
                                parse, match and post a bank file of N payments (100000),
                                then the same payments in a second file
  tools bench-invoices SLUG [N]
                                render N (1000) of the open period's invoices as PDF on one
                                core and store them
  tools bench-report SLUG       the turnover sheet of the latest invoiced month, every
                                account, to XLSX by the export job: seconds, size, peak RSS
  tools bench-jobs SLUG [N]     how soon an idle worker starts each of N (100) probe jobs
                                (p50, p95, worst)
  tools bench-imports [N]       onboard a fresh tenant from a generated set of N (100000)
                                accounts: accounts, residents, meters, balances; seconds, peak RSS
  tools onboarding-set SLUG N DIR
                                write the onboarding set of N accounts for SLUG's services
  tools bench-mail SLUG [N]     e-mail N (10000) of the open period's invoices through the
                                platform's SMTP server (queue, jobs, worker, PDF, SMTP)";

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    cli::exit_code(run(&cli::words()).await)
}

async fn run(args: &[String]) -> anyhow::Result<()> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["bench-engine", rest @ ..] = words.as_slice() {
        let n = rest
            .first()
            .map(|s| number_arg(s))
            .transpose()?
            .unwrap_or(200_000);
        tools::bench_billing::engine(usize::try_from(n)?)?;
        return Ok(());
    }
    let settings = Settings::load()?;
    let state = AppState::new(settings).await?;
    match words.as_slice() {
        ["demo", rest @ ..] if rest.is_empty() || rest == ["--reset"] => {
            tenants::migrate_control(&state.owner_db).await?;
            let default = slug_arg(&state.settings.default_tenant)?;
            let now = chrono::Utc::now();
            for which in [demo::Demo::Ukraine, demo::Demo::Russia] {
                let slug = which.slug(&default)?;
                let started = std::time::Instant::now();
                let what = if rest.is_empty() {
                    match demo::seed(&state, &slug, which, now).await? {
                        demo::Seeded::Built => "built",
                        demo::Seeded::Kept => "already there",
                    }
                } else {
                    demo::reset(&state, &slug, which, now).await?;
                    "rebuilt"
                };
                println!(
                    "demo tenant {slug}: {what} ({:.1} s)",
                    started.elapsed().as_secs_f64()
                );
            }
            // The electricity retailer of issue 23, beside the water demos.
            let slug = demo::retail::slug(&default)?;
            let started = std::time::Instant::now();
            let what = if rest.is_empty() {
                match demo::retail::seed(&state, &slug, now).await? {
                    demo::Seeded::Built => "built",
                    demo::Seeded::Kept => "already there",
                }
            } else {
                demo::retail::reset(&state, &slug, now).await?;
                "rebuilt"
            };
            println!(
                "demo tenant {slug}: {what} ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
            backend::admin::platform::ensure_platform_admin(
                &state,
                "platform",
                demo::DEMO_PASSWORD,
            )
            .await?;
            // infra/ runs a local OpenID provider and names it here.
            if let Ok(issuer) = std::env::var("APP_DEMO_SSO_ISSUER") {
                demo::set_demo_sso(&state, &default, &issuer).await?;
            }
            Ok(())
        }
        ["generate", slug, n, rest @ ..] => {
            tenants::migrate_control(&state.owner_db).await?;
            let slug = slug_arg(slug)?;
            tenants::create(
                &state.owner_db,
                &tenants::NewTenant::ukrainian(slug.clone(), "Generated"),
                chrono::Utc::now(),
            )
            .await?;
            let size = tools::generator::Size {
                accounts: number_arg(n)?,
                seed: rest
                    .first()
                    .map(|s| number_arg(s))
                    .transpose()?
                    .unwrap_or(1),
            };
            let started = std::time::Instant::now();
            tools::generator::generate(&state, &slug, size).await?;
            println!(
                "generated about {} accounts into {slug} in {:.1} s",
                size.accounts,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        ["bench-search", slug] => {
            tools::bench::searches(&state, &slug_arg(slug)?, None).await?;
            Ok(())
        }
        ["bench-imports", rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100_000);
            tools::bench_imports::onboarding(&state, usize::try_from(n)?).await?;
            Ok(())
        }
        ["onboarding-set", slug, n, dir] => {
            tools::bench_imports::write_set(
                &state,
                &slug_arg(slug)?,
                usize::try_from(number_arg(n)?)?,
                dir,
            )
            .await?;
            Ok(())
        }
        ["bench-payments", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100_000);
            tools::bench_payments::file_import(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-invoices", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(1000);
            tools::bench_invoices::render(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-mail", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(10_000);
            tools::bench_mail::invoices(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-jobs", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100);
            tools::bench_jobs::pickup(&state, &slug_arg(slug)?, usize::try_from(n)?).await?;
            Ok(())
        }
        ["bench-billing", slug] => {
            tools::bench_billing::billing(&state, &slug_arg(slug)?).await?;
            Ok(())
        }
        ["bench-report", slug] => {
            tools::bench_reports::turnover(&state, &slug_arg(slug)?).await?;
            Ok(())
        }
        ["bench-acts", slug] => {
            tools::bench_acts::acts(&state, &slug_arg(slug)?).await?;
            Ok(())
        }
        ["bench-edits", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(5_000);
            let n = i32::try_from(n).map_err(|_| anyhow::anyhow!("{n} is too big"))?;
            tools::bench_edits::edits(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-meters", slug] => {
            tools::bench_meters::dashboard(&state, &slug_arg(slug)?).await?;
            Ok(())
        }
        ["bench-readings-import", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100_000);
            tools::bench_meters::import(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-registry", n, rest @ ..] => {
            let seed = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(1);
            tools::bench::registry(&state, number_arg(n)?, seed).await?;
            Ok(())
        }
        ["drill-kill-worker", slug, rest @ ..] if rest.len() <= 2 => {
            let kills = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(20);
            let seed = rest.get(1).map(|s| number_arg(s)).transpose()?.unwrap_or(1);
            let ok = tools::drill::kill_worker(
                &state,
                &slug_arg(slug)?,
                usize::try_from(kills)?,
                u64::try_from(seed)?,
            )
            .await?;
            if !ok {
                anyhow::bail!("the drill found a difference");
            }
            Ok(())
        }
        ["drill-restarts", slug, rest @ ..] if rest.len() <= 1 => {
            let port = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(18091);
            let ok = tools::drill::restarts(&state, &slug_arg(slug)?, u16::try_from(port)?).await?;
            if !ok {
                anyhow::bail!("the drill found a difference");
            }
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}
