//! What several test binaries share: finding `../shared`, the corpora that sit beside the
//! repository in CI but not in a lone clone.
#![allow(dead_code, reason = "each test binary uses a part of this module")]
#![allow(clippy::panic, reason = "tests fail loudly")]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The variable `.ci/run` sets: a missing `../shared` is then a failure, not a skip.
pub const REQUIRE_SHARED: &str = "RPLINT_REQUIRE_SHARED";

/// `../shared/<relative>` when it exists. In a lone clone it does not: the test says in one
/// line what it skips and returns `None`; with [`REQUIRE_SHARED`] set, that is a failure.
///
/// The line goes to the process's stderr directly, so the test harness's output capture does
/// not hide it.
pub fn shared(relative: &str, what: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os(REQUIRE_SHARED).is_none(),
        "{} is missing and {REQUIRE_SHARED} is set: the shared corpora must sit beside the \
         repository",
        path.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {what} (needs ../shared/{relative}, which is not beside this clone)"
    );
    None
}

/// The `*.json` files directly in `dir`, sorted by name.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}
