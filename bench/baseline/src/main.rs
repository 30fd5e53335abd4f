//! The benchmark's floor: read every file named on the command line (directories are searched
//! for `*.json`) and parse it with `serde_json::from_slice::<Value>` (plain `serde_json`, no
//! `preserve_order`). `--threads N` parses on N threads, each taking every Nth file; the
//! default is one. `bench/run.py` measures rplint against it. Exit code 1 if any file did not
//! parse.

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

/// Read and parse `files[start], files[start + step], ...`; the number that did not parse.
fn parse(files: &[PathBuf], start: usize, step: usize) -> usize {
    let mut failed = 0;
    for file in files.iter().skip(start).step_by(step) {
        match std::fs::read(file) {
            Ok(bytes) => {
                if serde_json::from_slice::<serde_json::Value>(&bytes).is_err() {
                    failed += 1;
                }
            }
            Err(e) => eprintln!("{}: {e}", file.display()),
        }
    }
    failed
}

fn main() {
    let mut threads = 1;
    let mut files = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            threads = args
                .next()
                .and_then(|n| n.to_str()?.parse().ok())
                .filter(|&n| n > 0)
                .unwrap_or(1);
            continue;
        }
        collect(Path::new(&arg), &mut files);
    }
    let failed: usize = if threads == 1 {
        parse(&files, 0, 1)
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn({
                        let files = &files;
                        move || parse(files, t, threads)
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
        })
    };
    println!("{} files, {failed} not parsed", files.len());
    std::process::exit(i32::from(failed > 0));
}
