//! The real `pre-commit try-repo` against this checkout: the hook fails on a broken request
//! with rplint's findings, and passes once it is fixed.
//!
//! It builds rplint from source inside pre-commit (minutes), so it is not part of a plain
//! `cargo test`: `.ci/run` installs pre-commit and runs it with
//! `cargo test --test pre_commit -- --ignored`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, program: &str, args: &[&str], home: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

#[test]
#[ignore = "builds rplint inside pre-commit (minutes): run by .ci/run, or with --ignored"]
fn pre_commit_hook_fails_on_a_broken_request_and_passes_once_fixed() {
    let available = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install pre-commit (see .ci/run)"
        );
        eprintln!(
            "pre-commit is not installed: skipping (pip install pre-commit to run this test)"
        );
        return;
    }
    let checkout = env!("CARGO_MANIFEST_DIR");
    let scratch = tempfile::tempdir().unwrap();
    let (repo, home) = (scratch.path().join("repo"), scratch.path().join("home"));
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(
        repo.join("good.json"),
        "{\"input\": {\"prompt\": \"a cat\"}}\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("bad.json"),
        "{\"input\": {}, \"policy\": {\"executionTimeout\": 600}}\n",
    )
    .unwrap();
    // A JSON file the project's configuration excludes: pre-commit passes it, rplint skips it.
    std::fs::write(repo.join("rplint.toml"), "exclude = [\"package.json\"]\n").unwrap();
    std::fs::write(repo.join("package.json"), "{\"name\": \"not a request\"}\n").unwrap();
    for args in [
        &["init", "-q"][..],
        &["config", "user.email", "ci@example.com"],
        &["config", "user.name", "ci"],
        &["add", "."],
    ] {
        assert!(run(&repo, "git", args, &home).status.success());
    }

    let failed = run(
        &repo,
        "pre-commit",
        &["try-repo", checkout, "rplint", "--all-files"],
        &home,
    );
    let text = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{text}\n{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert!(text.contains("execution-timeout-range"), "{text}");
    assert!(text.contains("bad.json:1:46"), "{text}");
    assert!(
        text.contains("checked 2 files: 1 error"),
        "good.json and bad.json, not package.json: {text}"
    );

    std::fs::write(
        repo.join("bad.json"),
        "{\"input\": {}, \"policy\": {\"executionTimeout\": 600000}}\n",
    )
    .unwrap();
    assert!(run(&repo, "git", &["add", "."], &home).status.success());
    let passed = run(
        &repo,
        "pre-commit",
        &["try-repo", checkout, "rplint", "--all-files"],
        &home,
    );
    let text = String::from_utf8_lossy(&passed.stdout);
    assert_eq!(passed.status.code(), Some(0), "{text}");
    assert!(text.contains("Passed"), "{text}");
}
