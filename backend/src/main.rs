//! `backend` command line: serve the API and web client, migrate, manage tenants.

use std::process::ExitCode;

use backend::{AppState, Settings, demo, graphql, http, telemetry, tenants};
use domain::TenantSlug;

const USAGE: &str = "usage:
  backend serve                 apply migrations and serve HTTP
  backend migrate [--tenant S]  apply control-plane and all (or one) tenant migrations
  backend tenant-create SLUG NAME
  backend demo [--reset]        seed the demo tenants (APP_DEFAULT_TENANT, Ukrainian, and
                                <it>_ru, Russian) unless seeded; --reset rebuilds them
  backend platform-admin LOGIN  create the platform operator (password from APP_ADMIN_PASSWORD)
  backend tenant-backup SLUG DIR  back up a tenant (rows, files, users, manifest) into DIR
  backend tenant-restore DIR [--as SLUG]
                                restore a backup as its tenant (the slug and logins must be
                                free) or as a copy under another slug
  backend drill-kill-worker SLUG [KILLS] [SEED]
                                calculate SLUG's open period cleanly, then again while worker
                                processes are killed KILLS (20) times; compare the two
  backend drill-restarts SLUG [PORT]
                                restart PostgreSQL and Redis (DRILL_PG_RESTART,
                                DRILL_REDIS_RESTART) during calculations; /readyz on PORT
  backend rotate-secrets [--tenant S]  re-seal every stored secret under APP_SECRETS__CURRENT (then
                                the old key can leave APP_SECRETS__KEYS)
  backend schema                print the GraphQL SDL
  backend generate SLUG N [SEED]  add N generated accounts (with addresses, subscribers,
                                residents) to tenant SLUG, creating it if needed
  backend bench-registry N [SEED] generate a fresh tenant of N accounts, print the time,
                                then the p50/p95 of searches by number, name, address
  backend bench-search SLUG     the same searches on an existing tenant
  backend bench-meters SLUG     p50/p95 of the meters dashboard on an existing tenant
  backend bench-readings-import SLUG [N]
                                import N readings (100000) from one XLSX, twice
  backend bench-engine [N]      the calculation engine alone over N account-periods
  backend bench-billing SLUG    calculate and re-form the open period of a tenant, next to
                                the time COPY takes to load the same rows
  backend bench-payments SLUG [N]
                                parse, match and post a bank file of N payments (100000),
                                then the same payments in a second file
  backend bench-invoices SLUG [N]
                                render N (1000) of the open period's invoices as PDF on one
                                core and store them
  backend bench-jobs SLUG [N]   how soon an idle worker starts each of N (100) probe jobs
                                (p50, p95, worst)
  backend bench-mail SLUG [N]   e-mail N (10000) of the open period's invoices through the
                                platform's SMTP server (queue, jobs, worker, PDF, SMTP)";

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &[String]) -> anyhow::Result<()> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    if words.as_slice() == ["schema"] {
        print!("{}", graphql::sdl());
        return Ok(());
    }
    if let ["bench-engine", rest @ ..] = words.as_slice() {
        let n = rest
            .first()
            .map(|s| number_arg(s))
            .transpose()?
            .unwrap_or(200_000);
        backend::bench_billing::engine(usize::try_from(n)?)?;
        return Ok(());
    }
    let settings = Settings::load()?;
    let state = AppState::new(settings).await?;
    match words.as_slice() {
        ["serve"] => serve(state).await,
        ["migrate"] => {
            tenants::migrate_control(&state.owner_db).await?;
            let done = tenants::migrate_all_tenants(&state.owner_db).await?;
            println!("migrated control plane and {} tenant(s)", done.len());
            Ok(())
        }
        ["migrate", "--tenant", slug] => {
            tenants::migrate_control(&state.owner_db).await?;
            tenants::migrate_tenant(&state.owner_db, &slug_arg(slug)?).await?;
            println!("migrated tenant {slug}");
            Ok(())
        }
        ["tenant-create", slug, name] => {
            tenants::migrate_control(&state.owner_db).await?;
            let new = tenants::NewTenant::ukrainian(slug_arg(slug)?, name);
            tenants::create(&state.owner_db, &new, chrono::Utc::now()).await?;
            println!("tenant {slug} ready (schema {})", new.slug.schema());
            Ok(())
        }
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
            demo::ensure_platform_admin(&state, "platform", demo::DEMO_PASSWORD).await?;
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
            let size = backend::generator::Size {
                accounts: number_arg(n)?,
                seed: rest
                    .first()
                    .map(|s| number_arg(s))
                    .transpose()?
                    .unwrap_or(1),
            };
            let started = std::time::Instant::now();
            backend::generator::generate(&state, &slug, size).await?;
            println!(
                "generated about {} accounts into {slug} in {:.1} s",
                size.accounts,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        ["bench-search", slug] => {
            backend::bench::searches(&state, &slug_arg(slug)?, None).await?;
            Ok(())
        }
        ["bench-payments", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100_000);
            backend::bench_payments::file_import(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-invoices", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(1000);
            backend::bench_invoices::render(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-mail", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(10_000);
            backend::bench_mail::invoices(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-jobs", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100);
            backend::bench_jobs::pickup(&state, &slug_arg(slug)?, usize::try_from(n)?).await?;
            Ok(())
        }
        ["bench-billing", slug] => {
            backend::bench_billing::billing(&state, &slug_arg(slug)?).await?;
            Ok(())
        }
        ["bench-meters", slug] => {
            backend::bench_meters::dashboard(&state, &slug_arg(slug)?).await?;
            Ok(())
        }
        ["bench-readings-import", slug, rest @ ..] => {
            let n = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(100_000);
            backend::bench_meters::import(&state, &slug_arg(slug)?, n).await?;
            Ok(())
        }
        ["bench-registry", n, rest @ ..] => {
            let seed = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(1);
            backend::bench::registry(&state, number_arg(n)?, seed).await?;
            Ok(())
        }
        ["platform-admin", login] => {
            tenants::migrate_control(&state.owner_db).await?;
            let password = std::env::var("APP_ADMIN_PASSWORD").map_err(|_| {
                anyhow::anyhow!("set APP_ADMIN_PASSWORD to the new operator's password")
            })?;
            backend::auth::password::Policy {
                min_length: 12,
                require_mixed: true,
                forbid_login: true,
            }
            .check(login, &password)?;
            demo::ensure_platform_admin(&state, login, &password).await?;
            println!("platform operator {login} ready");
            Ok(())
        }
        ["drill-kill-worker", slug, rest @ ..] if rest.len() <= 2 => {
            let kills = rest
                .first()
                .map(|s| number_arg(s))
                .transpose()?
                .unwrap_or(20);
            let seed = rest.get(1).map(|s| number_arg(s)).transpose()?.unwrap_or(1);
            let ok = backend::drill::kill_worker(
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
            let ok =
                backend::drill::restarts(&state, &slug_arg(slug)?, u16::try_from(port)?).await?;
            if !ok {
                anyhow::bail!("the drill found a difference");
            }
            Ok(())
        }
        ["tenant-backup", slug, dir] => {
            tenants::migrate_control(&state.owner_db).await?;
            let m = backend::backup::backup(&state, &slug_arg(slug)?, std::path::Path::new(dir))
                .await?;
            let rows: i64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "tenant {slug} backed up into {dir}: {} tables, {rows} rows, {} files, {} users",
                m.tables.len(),
                m.files.len(),
                m.users.len()
            );
            Ok(())
        }
        ["tenant-restore", dir, rest @ ..]
            if rest.is_empty() || rest.len() == 2 && rest[0] == "--as" =>
        {
            tenants::migrate_control(&state.owner_db).await?;
            let as_slug = rest.get(1).map(|s| slug_arg(s)).transpose()?;
            let r = backend::backup::restore(&state, std::path::Path::new(dir), as_slug.as_ref())
                .await?;
            println!(
                "tenant {} restored: {} tables, {} rows (every count and digest as backed up), {} files, {} users",
                r.slug, r.tables, r.rows, r.files, r.users
            );
            Ok(())
        }
        ["rotate-secrets", rest @ ..]
            if rest.is_empty() || rest.len() == 2 && rest[0] == "--tenant" =>
        {
            let only = rest.get(1).map(|s| slug_arg(s)).transpose()?;
            let done = backend::rotate_secrets::rotate(&state, only.as_ref()).await?;
            println!(
                "secrets re-sealed under key {}: {}; already under it: {}",
                state.settings.secrets.current, done.resealed, done.current
            );
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}

fn number_arg(raw: &str) -> anyhow::Result<i64> {
    raw.parse()
        .map_err(|_| anyhow::anyhow!("{raw:?} is not a whole number"))
}

fn slug_arg(raw: &str) -> anyhow::Result<TenantSlug> {
    TenantSlug::parse(raw).map_err(|e| anyhow::anyhow!("tenant slug {raw:?}: {e}"))
}

async fn serve(state: AppState) -> anyhow::Result<()> {
    let mut problems = backend::guard::problems(&state.settings);
    if !state.settings.is_development() {
        problems.extend(backend::guard::database_problems(&state.db).await?);
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "refusing to start in production on development settings:\n  {}",
            problems.join("\n  ")
        );
    }
    tenants::migrate_control(&state.owner_db).await?;
    tenants::migrate_all_tenants(&state.owner_db).await?;
    if let Err(e) = state.store.ensure_bucket().await {
        tracing::warn!("object store not ready at start: {e}");
    }
    let addr = state.settings.http.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("bind {addr} (APP_HTTP__ADDR): {e}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    tokio::select! {
        r = http::serve(listener, state) => r?,
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    Ok(())
}
