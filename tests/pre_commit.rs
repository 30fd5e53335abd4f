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

/// `git init` in `repo`, with every file added.
fn init_repo(repo: &Path, home: &Path) {
    for args in [
        &["init", "-q"][..],
        &["config", "user.email", "ci@example.com"],
        &["config", "user.name", "ci"],
        &["add", "."],
    ] {
        assert!(run(repo, "git", args, home).status.success());
    }
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
    init_repo(&repo, &home);

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

/// The README's hook snippet, pasted as it is (only the repository's URL replaced by this
/// checkout, which has no network here): it installs and fails on a broken request under
/// `requests/`.
#[test]
#[ignore = "builds rplint inside pre-commit (minutes): run by .ci/run, or with --ignored"]
fn the_readme_hook_snippet_works_pasted() {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install pre-commit"
        );
        eprintln!("pre-commit is not installed: skipping");
        return;
    }
    let checkout = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(Path::new(checkout).join("README.md")).unwrap();
    let section = &readme[readme.find("### pre-commit").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + "```yaml\n".len();
    let snippet = &section[start..start + section[start..].find("```").unwrap()];
    assert!(
        snippet.contains("repo: https://github.com/rplint/rplint"),
        "{snippet}"
    );
    // The snippet's `rev` must name something this checkout has.
    let rev = snippet
        .lines()
        .find_map(|l| l.trim().strip_prefix("rev:"))
        .and_then(|r| r.split('#').next())
        .map(str::trim)
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let (repo, home) = (scratch.path().join("repo"), scratch.path().join("home"));
    std::fs::create_dir_all(repo.join("requests")).unwrap();
    let has_rev = run(
        Path::new(checkout),
        "git",
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        &home,
    );
    let config = if has_rev.status.success() {
        snippet.replace("https://github.com/rplint/rplint", checkout)
    } else {
        // A checkout without that branch (a detached CI clone): its HEAD stands in for it.
        let head = run(Path::new(checkout), "git", &["rev-parse", "HEAD"], &home);
        let head = String::from_utf8(head.stdout).unwrap();
        snippet
            .replace("https://github.com/rplint/rplint", checkout)
            .replace(&format!("rev: {rev}"), &format!("rev: {}", head.trim()))
    };
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(
        repo.join("requests/job.json"),
        "{\"input\": {}, \"policy\": {\"ttl\": 60}}\n",
    )
    .unwrap();
    std::fs::write(repo.join("package.json"), "{\"name\": \"x\"}\n").unwrap();
    init_repo(&repo, &home);
    let output = run(&repo, "pre-commit", &["run", "--all-files"], &home);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("requests/job.json:1:33"), "{text}");
    assert!(text.contains("ttl-range"), "{text}");
}
