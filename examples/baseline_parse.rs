//! The benchmark's baseline: read every file named on the command line (directories are
//! searched for `*.json`) and parse it with `serde_json::from_slice::<Value>`, sequentially.
//! It is the floor rplint is measured against in `bench/run.py`. Exit code 1 if any file
//! did not parse.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program"
)]

use std::path::{Path, PathBuf};

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        // Directory order, unsorted: the baseline does nothing but read and parse.
        let paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        for p in paths {
            collect(&p, files);
        }
    } else if path.extension().is_some_and(|e| e == "json") {
        files.push(path.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args_os().skip(1) {
        collect(Path::new(&arg), &mut files);
    }
    let mut failed = 0;
    for file in &files {
        match std::fs::read(file) {
            Ok(bytes) => {
                if serde_json::from_slice::<serde_json::Value>(&bytes).is_err() {
                    failed += 1;
                }
            }
            Err(e) => eprintln!("{}: {e}", file.display()),
        }
    }
    println!("{} files, {failed} not parsed", files.len());
    std::process::exit(i32::from(failed > 0));
}
