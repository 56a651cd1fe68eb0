//! Finds the locales: every folder under `locales/` with a `server.ftl`, a `web.ftl` and a
//! `codes.ftl` is one, so adding a language is adding a folder.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("..")
        .join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut codes: Vec<String> = std::fs::read_dir(&root)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    codes.sort();
    let mut out = String::new();
    let quoted = |side: &str| -> Vec<String> {
        codes
            .iter()
            .map(|code| {
                let file = root.join(code).join(side);
                println!("cargo:rerun-if-changed={}", file.display());
                format!("    include_str!({:?}),\n", file.display().to_string())
            })
            .collect()
    };
    // Four tables, so a program that uses one side's catalog links only that side's files.
    let _ = writeln!(
        out,
        "/// Every locale's code, sorted.\npub static CODES: &[&str] = &{codes:?};"
    );
    let _ = writeln!(
        out,
        "static SERVER_FILES: &[&str] = &[\n{}];",
        quoted("server.ftl").concat()
    );
    let _ = writeln!(
        out,
        "static WEB_FILES: &[&str] = &[\n{}];",
        quoted("web.ftl").concat()
    );
    let _ = writeln!(
        out,
        "static CODE_FILES: &[&str] = &[\n{}];",
        quoted("codes.ftl").concat()
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("locales.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("write {}: {e}", dest.display());
    }
}
