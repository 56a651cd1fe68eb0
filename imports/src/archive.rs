//! A ZIP of files ("import all files of a folder"): its files, each read with the same size
//! limit as an uploaded one; folders and the litter archivers add (`__MACOSX/`, `.DS_Store`)
//! left out. An XLSX workbook is a ZIP too — one with `[Content_Types].xml` — and is not
//! an archive here.

use std::io::{Cursor, Read};

use platform::error::{AppError, AppResult};

/// Files one archive may hold.
pub const MAX_FILES: usize = 500;
/// What an archive may unpack to in all (a ZIP bomb is refused before it fills memory).
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

fn unreadable(why: impl std::fmt::Display) -> AppError {
    AppError::validation("file", format!("cannot be read as a ZIP archive: {why}"))
}

/// True when the bytes are a ZIP archive of files rather than a workbook.
pub fn is_archive(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK\x03\x04") {
        return false;
    }
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z.index_for_name("[Content_Types].xml").is_none(),
        Err(_) => false,
    }
}

/// The archive's files as (name, bytes), in the archive's order; each at most `max_file`.
pub fn files(bytes: &[u8], max_file: usize) -> AppResult<Vec<(String, Vec<u8>)>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(unreadable)?;
        let name = f.name().map_err(unreadable)?.into_owned();
        let base = name.rsplit('/').next().unwrap_or_default().to_owned();
        if f.is_dir() || name.starts_with("__MACOSX/") || base.is_empty() || base.starts_with('.') {
            continue;
        }
        if out.len() >= MAX_FILES {
            return Err(AppError::validation(
                "file",
                format!("the archive has more than {MAX_FILES} files; split it"),
            ));
        }
        let mut data = Vec::new();
        (&mut f)
            .take(max_file as u64 + 1)
            .read_to_end(&mut data)
            .map_err(unreadable)?;
        if data.len() > max_file {
            return Err(AppError::validation(
                "file",
                format!(
                    "{base} in the archive is larger than {} MB",
                    max_file / 1024 / 1024
                ),
            ));
        }
        total += data.len() as u64;
        if total > MAX_UNPACKED {
            return Err(AppError::validation(
                "file",
                format!(
                    "the archive unpacks to more than {} MB",
                    MAX_UNPACKED / 1024 / 1024
                ),
            ));
        }
        if !data.is_empty() {
            out.push((base, data));
        }
    }
    if out.is_empty() {
        return Err(AppError::validation("file", "the archive holds no files"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            let opts = zip::write::SimpleFileOptions::default();
            if name.ends_with('/') {
                let _ = w.add_directory(*name, opts);
            } else {
                let _ = w.start_file(*name, opts);
                let _ = w.write_all(data);
            }
        }
        w.finish().map(Cursor::into_inner).unwrap_or_default()
    }

    #[test]
    fn a_folders_files_without_the_litter() {
        let z = zip_of(&[
            ("in/", b""),
            ("in/a.csv", b"x"),
            ("__MACOSX/in/._a.csv", b"y"),
            ("in/.DS_Store", b"z"),
            ("b.dbf", b"w"),
        ]);
        assert!(is_archive(&z));
        let names: Vec<String> = files(&z, 100)
            .unwrap_or_default()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["a.csv", "b.dbf"]);
    }

    #[test]
    fn a_workbook_is_not_an_archive_and_a_big_file_is_refused() {
        let wb = zip_of(&[
            ("[Content_Types].xml", b"<x/>"),
            ("xl/workbook.xml", b"<w/>"),
        ]);
        assert!(!is_archive(&wb));
        let big = zip_of(&[("a.csv", &[b'1'; 300])]);
        let err = files(&big, 200)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("a.csv"), "{err}");
        assert!(files(b"PK\x03\x04garbage", 100).is_err());
    }
}
