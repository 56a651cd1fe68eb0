//! The platform operator's export of a whole tenant: its backup (`backup.rs`: rows of one
//! snapshot, files, users, manifest) written to a scratch directory, zipped into one file
//! and stored under `platform/exports/<slug>/` — outside the tenant's prefix, so it
//! outlives the tenant. Safe to run twice (the scratch directory starts empty, the stored
//! zip is replaced); the export's row says how it ended.

use std::io::Write;
use std::path::Path;

use crate::admin::platform::{self as operator, TenantExport};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use platform::jobs::progress::Progress;

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &TenantExport,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let outcome = export(state, tenant, job_id, spec, progress).await;
    let ended = match &outcome {
        Ok((key, size)) => Ok((key.clone(), *size)),
        Err(e) => Err(e.to_string()),
    };
    operator::finish_export(state, spec.export_id, ended).await?;
    let (key, size) = outcome?;
    Ok(serde_json::json!({ "exportId": spec.export_id, "objectKey": key, "size": size }))
}

async fn export(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &TenantExport,
    progress: &Progress<'_>,
) -> AppResult<(String, i64)> {
    let dir = std::env::temp_dir().join(format!("tenant-export-{job_id}"));
    let io = |e: std::io::Error| AppError::Internal(format!("{}: {e}", dir.display()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io)?;
    }
    crate::backup::backup(state, tenant, &dir).await?;
    progress.set(60).await?;
    let zip_path = dir.with_extension("zip");
    let root = dir.clone();
    let target = zip_path.clone();
    platform::jobs::progress::off_thread(move || zip_dir(&root, &target)).await??;
    progress.set(80).await?;
    let key = format!(
        "platform/exports/{tenant}/{tenant}-{}-{}.zip",
        chrono::Utc::now().format("%Y%m%d-%H%M%S"),
        spec.export_id
    );
    let size = std::fs::metadata(&zip_path).map_err(io)?.len();
    state
        .store
        .put_file(&key, &zip_path, "application/zip")
        .await?;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&zip_path);
    Ok((key, i64::try_from(size).unwrap_or(i64::MAX)))
}

/// Every file under `root` into the zip at `target`, by its path below `root`.
fn zip_dir(root: &Path, target: &Path) -> AppResult<()> {
    let err =
        |e: &dyn std::fmt::Display| AppError::Internal(format!("zip {}: {e}", target.display()));
    let file = std::fs::File::create(target).map_err(|e| err(&e))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| err(&e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(root)
                .map_err(|e| err(&e))?
                .to_string_lossy()
                .replace('\\', "/");
            zip.start_file(name, options).map_err(|e| err(&e))?;
            let mut src = std::fs::File::open(&path).map_err(|e| err(&e))?;
            std::io::copy(&mut src, &mut zip).map_err(|e| err(&e))?;
        }
    }
    zip.finish()
        .map_err(|e| err(&e))?
        .flush()
        .map_err(|e| err(&e))?;
    Ok(())
}
