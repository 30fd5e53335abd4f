//! The configuration file: discovery, settings, overrides, suppressions, and strict errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;
use std::process::{Command, Output};

fn rplint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const BAD: &str =
    "{\"input\": {}, \"promt\": 1, \"policy\": {\"ttl\": 60}, \"webhook\": \"http://example.com\"}";

#[test]
fn rplint_toml_is_found_from_a_subdirectory_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "rplint.toml",
                "ignore = [\"webhook-insecure\"]\nexclude = [\".runpod/tests.json\"]\n[rules]\nunknown-key = \"error\"\nttl-range = \"off\"\n",
            ),
            ("requests/a.json", BAD),
            (".runpod/tests.json", "{\"tests\": []}"),
        ],
    );
    let output = rplint(
        &dir.path().join("requests"),
        &["check", "--format", "concise", "."],
    );
    assert_eq!(
        stdout(&output),
        "a.json:1:15: error[unknown-key]: unknown top-level key `promt`: the service discards it\n"
    );
    assert_eq!(output.status.code(), Some(1));

    // The excluded file is skipped even when named explicitly, as pre-commit names files.
    let output = rplint(
        dir.path(),
        &["check", "--format", "json", ".runpod/tests.json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 0);
    assert_eq!(output.status.code(), Some(0));

    // --no-config ignores it; the command line's flags go on top of it.
    let output = rplint(
        dir.path(),
        &["check", "--no-config", "--format", "concise", "requests"],
    );
    assert_eq!(stdout(&output).lines().count(), 3, "{}", stdout(&output));
    let output = rplint(
        dir.path(),
        &["check", "--ignore", "unknown-key", "requests"],
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn pyproject_tool_rplint_is_read_and_other_pyprojects_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"worker\"\n\n[tool.rplint]\nselect = [\"unknown-key\"]\n",
            ),
            ("sub/pyproject.toml", "[project]\nname = \"inner\"\n"),
            ("sub/a.json", BAD),
        ],
    );
    let output = rplint(
        &dir.path().join("sub"),
        &["check", "--format", "concise", "a.json"],
    );
    assert_eq!(stdout(&output).lines().count(), 1, "{}", stdout(&output));
    assert!(stdout(&output).contains("warning[unknown-key]"));
}

#[test]
fn overrides_apply_by_glob() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "rplint.toml",
                "[[overrides]]\nfiles = [\"batches/**/*.json\"]\nroute = \"batch\"\nignore = [\"ttl-range\"]\n",
            ),
            (
                "batches/2026/b.json",
                "[{\"input\": {}, \"policy\": {\"ttl\": 60}}, {\"input\": {}}]",
            ),
            ("single.json", "[{\"input\": {}}]"),
        ],
    );
    let output = rplint(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(
        stdout(&output),
        "single.json:1:1: error[request-not-object]: a request must be a JSON object, found an array\n"
    );
}

#[test]
fn suppressions_hide_exactly_their_finding_and_stale_ones_are_reported() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/unused-suppression");
    let used = rplint(
        &fixtures.join("pass/used"),
        &["check", "--format", "concise", "requests"],
    );
    assert_eq!(stdout(&used), "");
    assert_eq!(used.status.code(), Some(0));

    let stale = rplint(&fixtures.join("fail/stale-pointer"), &["check", "requests"]);
    insta::assert_snapshot!(stdout(&stale));
    assert_eq!(stale.status.code(), Some(1), "the ttl error is not hidden");
}

#[test]
fn bad_configuration_is_an_error_with_its_place() {
    let cases = [
        (
            "selct = []\n",
            "rplint.toml:1:1: unknown field `selct`",
            "did you mean `select`?",
        ),
        (
            "ignore = [\"ttl-rnage\"]\n",
            "rplint.toml:1:11: unknown rule `ttl-rnage`",
            "did you mean `ttl-range`?",
        ),
        (
            "[rules]\nunknown-key = \"loud\"\n",
            "rplint.toml:2:15: unknown variant `loud`",
            "expected one of",
        ),
        (
            "[rules]\nunknwn-key = \"error\"\n",
            "rplint.toml:2:1: unknown rule `unknwn-key`",
            "did you mean `unknown-key`?",
        ),
        (
            "exclude = [\"a[\"]\n",
            "rplint.toml:1:12: bad glob",
            "globs use",
        ),
        (
            "route = 5\n",
            "rplint.toml:1:9: invalid type: integer `5`, expected a string",
            "",
        ),
        (
            "route = \"bach\"\n",
            "rplint.toml:1:9: unknown route `bach`",
            "did you mean `batch`?",
        ),
        (
            "[[suppress]]\nfiles = \"a.json\"\npointer = \"\"\nrule = \"ttl-range\"\nreason = \" \"\n",
            "rplint.toml:5:10: a suppression needs a `reason`",
            "say why",
        ),
        (
            "[[suppress]]\nfiles = \"a.json\"\npointer = \"\"\nrule = \"ttl-range\"\n",
            "rplint.toml:1:1: missing field `reason`",
            "",
        ),
        ("select = [\n", "rplint.toml:", ""),
    ];
    for (text, place, help) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[("rplint.toml", text), ("a.json", "{\"input\": {}}")],
        );
        let output = rplint(dir.path(), &["check", "a.json"]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(place), "{text}: expected `{place}` in\n{err}");
        assert!(err.contains(help), "{text}: expected `{help}` in\n{err}");
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn explicit_config_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("ci/lint.toml", "select = [\"ttl-range\"]\n"),
            ("a.json", BAD),
        ],
    );
    let output = rplint(
        dir.path(),
        &[
            "check",
            "--config",
            "ci/lint.toml",
            "--format",
            "concise",
            "a.json",
        ],
    );
    assert_eq!(stdout(&output).lines().count(), 1);
    let missing = rplint(dir.path(), &["check", "--config", "nope.toml", "a.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read `nope.toml`"));
}

/// The README's configuration example, pasted as it is, is a valid configuration that does
/// what its comments say (its `[[suppress]]` entry hides the finding it names).
#[test]
fn the_readme_configuration_example_works_verbatim() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("### Configuration").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("rplint.toml", example),
            (
                "requests/legacy.json",
                "{\"input\": {}, \"policy\": {\"ttl\": 60}}",
            ),
        ],
    );
    let out = rplint(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(!stdout(&out).contains("ttl-range"), "{}", stdout(&out));
    // Without the file, the same request reports the suppressed finding.
    let bare = rplint(dir.path(), &["check", "--no-config", "--format", "concise"]);
    assert!(stdout(&bare).contains("ttl-range"), "{}", stdout(&bare));
}

/// A suppression hides the findings it names and no other, and is called unused only when it
/// hid nothing: not when the rule is also switched off, and a `./` glob matches.
#[test]
fn suppressions_name_exactly_what_they_hide() {
    let dir = tempfile::tempdir().unwrap();
    let hub = r#"{"description": "d", "config": {"runsOn": "GPU", "containerDiskInGb": 20, "gpuIds": "ADA_24"}}"#;
    write(
        dir.path(),
        &[
            (".runpod/hub.json", hub),
            ("a.json", "{\"input\": {}, \"policy\": {\"ttl\": 60}}"),
            (
                "rplint.toml",
                "[[suppress]]\nfiles = \"./.runpod/hub.json\"\npointer = \"/title\"\nrule = \"hub-missing-field\"\nreason = \"set by the release job\"\n\n\
                 [[suppress]]\nfiles = \"a.json\"\npointer = \"/policy/ttl\"\nrule = \"ttl-range\"\nreason = \"legacy\"\n",
            ),
        ],
    );
    let out = rplint(
        dir.path(),
        &["check", "--format", "concise", "--ignore", "ttl-range"],
    );
    let text = stdout(&out);
    // `/title` is hidden; the other missing fields are findings of their own.
    assert!(!text.contains("missing `title`"), "{text}");
    for field in ["type", "category", "gpuCount"] {
        assert!(
            text.contains(&format!("missing `{field}`")),
            "{field}: {text}"
        );
    }
    assert!(!text.contains("unused-suppression"), "{text}");

    // A pointer that is not a JSON Pointer stops the run, with its position and the fix.
    write(
        dir.path(),
        &[(
            "rplint.toml",
            "[[suppress]]\nfiles = \"a.json\"\npointer = \"policy/ttl\"\nrule = \"ttl-range\"\nreason = \"legacy\"\n",
        )],
    );
    let bad = rplint(dir.path(), &["check"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(err.contains("is not a JSON Pointer"), "{err}");
    assert!(err.contains("`/policy/ttl`"), "{err}");
}

/// A configuration file that is there but is not a regular file (a FIFO would block, a link
/// to `/dev/zero` never ends) stops the run with its path; one too large is refused.
#[cfg(unix)]
#[test]
fn configuration_files_are_read_boundedly_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("a.json", "{\"input\": {}}")]);
    let config = dir.path().join("rplint.toml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&config)
            .status()
            .unwrap()
            .success()
    );
    let out = rplint(dir.path(), &["check", "a.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`rplint.toml`: not a regular file"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(&config).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
    let out = rplint(dir.path(), &["check", "a.json"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_file(&config).unwrap();
    std::fs::write(&config, format!("# {}\n", "x".repeat(2 << 20))).unwrap();
    let out = rplint(dir.path(), &["check", "a.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("larger than 1 MiB"),
        "{}",
        stderr(&out)
    );
}

/// `pyproject.toml` counts when it has a `[tool.rplint]` table, not when its text mentions one.
#[test]
fn pyproject_is_read_as_toml() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("a.json", "{\"input\": {}, \"policy\": {\"ttl\": 60}}"),
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\ndescription = \"see tool.rplint\"\n",
            ),
        ],
    );
    let out = rplint(dir.path(), &["check", "--format", "concise", "a.json"]);
    assert!(stdout(&out).contains("ttl-range"), "{}", stdout(&out));
    write(
        dir.path(),
        &[(
            "pyproject.toml",
            "[tool.black]\nline-length = 88\n\n[tool.rplint]\nignore = [\"ttl-range\"]\n",
        )],
    );
    let out = rplint(dir.path(), &["check", "--format", "concise", "a.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn globs_are_bounded_and_a_glob_many_entries_share_is_one() {
    let dir = tempfile::tempdir().unwrap();
    // 5,000 suppressions of one glob: one glob to match, every entry applies.
    let mut toml = String::new();
    for i in 0..5_000 {
        toml.push_str(&format!(
            "[[suppress]]\nrule = \"unknown-key\"\npointer = \"/k{i}\"\nfiles = \"requests/*.json\"\nreason = \"generated\"\n"
        ));
    }
    write(
        dir.path(),
        &[
            ("rplint.toml", &toml),
            (
                "requests/a.json",
                "{\"input\": {}, \"k4999\": 1, \"k0\": 2}",
            ),
        ],
    );
    let output = rplint(dir.path(), &["check", "--format", "concise", "requests"]);
    let said = stdout(&output);
    // Both findings hidden; the 4,998 suppressions that hid nothing are said.
    assert!(
        !said.contains("requests/a.json"),
        "{}",
        &said[..said.len().min(2000)]
    );
    assert_eq!(said.lines().count(), 4_998, "{}", stderr(&output));
    assert!(
        said.lines()
            .all(|l| l.contains("warning[unused-suppression]"))
    );

    // 2,001 different globs: an error at the one too many.
    let mut toml = String::from("exclude = [\n");
    for i in 0..2_001 {
        toml.push_str(&format!("  \"dir{i}/*.json\",\n"));
    }
    toml.push_str("]\n");
    write(dir.path(), &[("rplint.toml", &toml)]);
    let output = rplint(dir.path(), &["check", "requests"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("more than 2000 different globs") && said.contains("rplint.toml:2002:"),
        "{said}"
    );

    // A glob of more wildcards than any real one: an error at it, before it is compiled.
    let toml = format!("exclude = [\"a/*.json\",\n  \"{}\"]\n", "*".repeat(33));
    write(dir.path(), &[("rplint.toml", &toml)]);
    let output = rplint(dir.path(), &["check", "requests"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("more than 32 wildcards") && said.contains("rplint.toml:2:"),
        "{said}"
    );
}

/// A configuration file's own credentials (a `password = ...` written by mistake, a package
/// index token in `pyproject.toml`) are masked in the frame and message of its error.
#[test]
fn a_configuration_error_never_shows_the_files_own_secrets() {
    let secret = "Zq9vLm3KpW7xYt";
    for (name, text) in [
        ("rplint.toml", format!("password = \"{secret}\"\n")),
        (
            "pyproject.toml",
            format!("[tool.rplint]\nignore = []\n[tool.poetry]\napi_token = \"{secret}\n"),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[(name, &text), ("r.json", "{\"input\": {}}")]);
        let output = rplint(dir.path(), &["check", "r.json"]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let said = stderr(&output);
        assert!(said.contains(name), "{said}");
        for part in ["Zq9vLm", "3KpW7x", "W7xYt"] {
            assert!(!said.contains(part), "{name}: {said}");
        }
    }
}
