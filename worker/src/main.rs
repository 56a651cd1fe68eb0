//! `worker`: runs the backend library's jobs from the Redis queue until Ctrl-C / SIGTERM.

use std::process::ExitCode;

use backend::{AppState, Settings, jobs, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    backend::cli::exit_code(run().await)
}

async fn run() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let state = AppState::new(settings).await?;
    if let Err(e) = state.store.ensure_bucket().await {
        tracing::warn!("object store not ready at start: {e}");
    }
    let name = format!("worker-{}", std::process::id());
    tracing::info!(name, "worker started");
    jobs::worker::run(state, &name, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
