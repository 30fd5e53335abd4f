//! The command line as scripts and CI use it: exit codes, stdin, several files, JSON contract.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn rplint(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // A run that refuses its arguments exits before reading stdin.
    let _ = pipe.write_all(stdin.unwrap_or_default());
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn exit_codes() {
    let clean = rplint(&["check", "fixtures/unknown-key/pass/all-known.json"], None);
    assert_eq!(clean.status.code(), Some(0));
    assert!(stdout(&clean).contains("checked 1 file: no problems found"));

    let warning_only = rplint(
        &["check", "fixtures/unknown-key/fail/handler-key-at-top.json"],
        None,
    );
    assert_eq!(warning_only.status.code(), Some(0));
    let denied = rplint(
        &[
            "check",
            "--deny-warnings",
            "fixtures/unknown-key/fail/handler-key-at-top.json",
        ],
        None,
    );
    assert_eq!(denied.status.code(), Some(1));
    let limited = rplint(
        &[
            "check",
            "--max-warnings",
            "0",
            "fixtures/unknown-key/fail/handler-key-at-top.json",
        ],
        None,
    );
    assert_eq!(limited.status.code(), Some(1));

    let error = rplint(&["check", "fixtures/ttl-range/fail/seconds.json"], None);
    assert_eq!(error.status.code(), Some(1));

    let bad_flag = rplint(&["check", "--format", "yaml"], None);
    assert_eq!(bad_flag.status.code(), Some(2));
}

#[test]
fn unreadable_paths_exit_2_and_other_files_are_still_checked() {
    let output = rplint(
        &[
            "check",
            "no/such/file.json",
            "fixtures/ttl-range/fail/seconds.json",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["diagnostics"][0]["rule"], "ttl-range");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read `no/such/file.json`"),
        "{stderr}"
    );
}

#[test]
fn stdin_with_a_name() {
    let output = rplint(
        &[
            "check",
            "-",
            "--stdin-filename",
            "req.json",
            "--format",
            "json",
        ],
        Some(b"{\"input\": {}, \"policy\": {\"ttl\": 3600}}"),
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let d = &report["diagnostics"][0];
    assert_eq!(d["file"], "req.json");
    assert_eq!(d["pointer"], "/policy/ttl");
    assert_eq!(d["range"]["start"]["column"], 33);
    assert_eq!(d["range"]["start"]["offset"], 32);
    assert_eq!(d["range"]["end"]["offset"], 36);
}

#[test]
fn directories_are_walked_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("nested/.runpod")).unwrap();
    std::fs::create_dir_all(root.join("ignored")).unwrap();
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(root.join("a.json"), "{\"input\": {}}").unwrap();
    std::fs::write(root.join("nested/.runpod/tests.json"), "{\"prompt\": 1}").unwrap();
    std::fs::write(root.join("ignored/b.json"), "{").unwrap();
    std::fs::write(root.join("notes.txt"), "{").unwrap();
    let output = rplint(&["check", "--format", "json", root.to_str().unwrap()], None);
    let report = json(&output);
    assert_eq!(report["summary"]["files"], 2, "{report:#}");
    let files: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| f.ends_with("nested/.runpod/tests.json")),
        "{files:?}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn json_report_matches_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let output = rplint(&["check", "--format", "json", "fixtures"], None);
    let report = json(&output);
    let errors: Vec<_> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Every fixture folder yields findings, with labels somewhere, in the real report.
    assert!(report["diagnostics"].as_array().unwrap().len() > 40);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| !d["labels"].as_array().unwrap().is_empty())
    );
    assert_eq!(
        report["summary"]["errors"].as_u64().unwrap()
            + report["summary"]["warnings"].as_u64().unwrap()
            + report["summary"]["infos"].as_u64().unwrap(),
        report["diagnostics"].as_array().unwrap().len() as u64
    );
}

#[test]
fn json_contract_snapshot() {
    let output = rplint(
        &[
            "check",
            "--format",
            "json",
            "fixtures/duplicate-key/fail/in-input.json",
        ],
        None,
    );
    // The text itself: the report's field order is part of what people read.
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn select_and_ignore_validate_rule_ids() {
    let output = rplint(&["check", "--select", "ttl-rnage", "fixtures"], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean `ttl-range`?"), "{stderr}");

    let output = rplint(
        &[
            "check",
            "--ignore",
            "ttl-range",
            "--format",
            "json",
            "fixtures/ttl-range/fail/seconds.json",
        ],
        None,
    );
    assert_eq!(json(&output)["summary"]["errors"], 0);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn explain_prints_the_rule_docs() {
    let output = rplint(&["explain", "unknown-key"], None);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("unknown-key (warning; error for a near miss"));
    assert!(text.contains("## Why it matters"));
    assert!(text.contains("\"webhok\"") || text.contains("webhok"));

    let unknown = rplint(&["explain", "unknown-keys"], None);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `unknown-key`?"));
}

#[test]
fn rules_and_schema_commands() {
    let list = rplint(&["rules", "--format", "json"], None);
    // Each rule's fields in the order people read them: the id first.
    assert!(
        stdout(&list)
            .starts_with("[\n  {\n    \"id\": \"batch-too-many-requests\",\n    \"severity\": "),
        "{}",
        stdout(&list)
    );
    let rules = json(&list);
    assert_eq!(
        rules.as_array().unwrap().len(),
        rplint::rules::all().count()
    );
    assert!(
        rules[0]["docs"]
            .as_str()
            .unwrap()
            .contains("## What it checks")
    );

    let schema = rplint(&["schema"], None);
    assert_eq!(stdout(&schema), rplint::schema::REQUEST_SCHEMA);
}

#[test]
fn a_10_mb_single_line_prints_a_short_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let payload = "A".repeat(10_000_000);
    let text = format!("{{\"input\": {{\"image\": \"{payload}\"}}, \"policy\": {{\"ttl\": 5}}}}");
    std::fs::write(&path, &text).unwrap();
    let output = rplint(&["check", path.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(1));
    let shown = stdout(&output);
    assert!(shown.len() < 2_000, "{} bytes of output", shown.len());
    assert!(
        shown.contains(&format!("big.json:1:{}", text.find("5}").unwrap() + 1)),
        "{shown}"
    );
    assert!(shown.contains("ttl-range"));
}

#[test]
fn readme_sample_output_is_current() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let marker = "$ rplint check examples/request.json\n";
    let start = readme.find(marker).expect("README shows a sample run") + marker.len();
    let end = start + readme[start..].find("```").unwrap();
    let output = rplint(&["check", "examples/request.json"], None);
    assert_eq!(
        readme[start..end],
        stdout(&output),
        "update the README's sample output"
    );
}

#[test]
fn colour_follows_flags_and_environment() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rplint"));
        command
            .args(["check", "fixtures/ttl-range/fail/seconds.json"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR");
        for (k, v) in env {
            command.env(k, v);
        }
        String::from_utf8(command.output().unwrap().stdout)
            .unwrap()
            .contains('\u{1b}')
    };
    assert!(!run(&[], &[]), "piped output has no colour");
    assert!(run(&[], &[("FORCE_COLOR", "1")]));
    assert!(!run(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!run(&["--color", "never"], &[("FORCE_COLOR", "1")]));
}

#[test]
fn many_named_files_are_reported_in_the_order_given() {
    // Enough paths that they are looked at on a thread of their own and checked in parallel.
    let mut paths: Vec<String> = std::fs::read_dir("fixtures")
        .unwrap()
        .flat_map(|rule| {
            let fail = rule.unwrap().path().join("fail");
            std::fs::read_dir(fail).into_iter().flatten()
        })
        .map(|entry| entry.unwrap().path().to_string_lossy().into_owned())
        // Fixtures for another route may pass on the default one, and those for an explicitly
        // chosen `run` route may be another kind by their content.
        .filter(|path| {
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            name.ends_with(".json")
                && !["batch-", "runsync-", "run-"]
                    .iter()
                    .any(|prefix| name.starts_with(prefix))
        })
        .collect();
    paths.sort();
    paths.reverse();
    assert!(paths.len() > 64, "{} fixtures", paths.len());
    paths.insert(paths.len() / 2, "no/such/file.json".into());
    let mut args = vec!["check", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let output = rplint(&args, None);
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(report["summary"]["files"], paths.len() - 1);
    // Every readable fixture fails on this route, so each one appears, in the order given.
    let mut reported: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    reported.dedup();
    let given: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "no/such/file.json")
        .collect();
    assert_eq!(reported, given);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read `no/such/file.json`"),
        "{stderr}"
    );
}

/// Stdin is read once, when named (`-`) or when `--stdin-filename` comes alone; a name for
/// stdin that is not read, or stdin named twice, is a mistake said plainly.
#[test]
fn stdin_is_read_when_asked_and_once() {
    let body = br#"{"input": {}, "policy": {"ttl": 60}}"#;
    let alone = rplint(
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "job.json",
        ],
        Some(body),
    );
    assert_eq!(alone.status.code(), Some(1));
    assert!(
        stdout(&alone).starts_with("job.json:1:33: error[ttl-range]"),
        "{}",
        stdout(&alone)
    );

    let unread = rplint(
        &[
            "check",
            "--stdin-filename",
            "job.json",
            "examples/request.json",
        ],
        Some(body),
    );
    assert_eq!(unread.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unread.stderr).contains("add `-`"));

    let twice = rplint(&["check", "-", "-"], Some(body));
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("named 2 times"));
}

/// A run that fails on warnings alone says why.
#[test]
fn failing_on_warnings_says_why() {
    let body = br#"{"input": {}, "prompt": 1, "style": 2, "seed": 3}"#;
    let limited = rplint(&["check", "--max-warnings", "2", "-"], Some(body));
    assert_eq!(limited.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&limited.stderr)
            .contains("3 warnings, more than `--max-warnings 2` allows"),
        "{}",
        String::from_utf8_lossy(&limited.stderr)
    );
    let denied = rplint(&["check", "--deny-warnings", "-"], Some(body));
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("`--deny-warnings` fails on any"));
}

/// The summary counts in words: `1 error`, `2 warnings`, `1 info` (a mass noun).
#[test]
fn the_summary_counts_in_words() {
    let body = br#"{"input": {}, "webhookV2": "https://example.com/a", "prompt": 1, "style": 2}"#;
    let output = rplint(&["check", "-"], Some(body));
    assert!(
        stdout(&output).ends_with("checked 1 file: 0 errors, 2 warnings, 1 info\n"),
        "{}",
        stdout(&output)
    );
}

/// One run, several reports: one on stdout, the others in files; `--exit-zero` reports without
/// failing; `--statistics` counts per rule.
#[test]
fn one_run_writes_several_reports() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("r.sarif");
    let junit = dir.path().join("r.xml");
    let args = [
        "check".to_owned(),
        "--output-format".to_owned(),
        "concise".to_owned(),
        "--output-format".to_owned(),
        format!("sarif={}", sarif.display()),
        "--output-format".to_owned(),
        format!("junit={}", junit.display()),
        "--statistics".to_owned(),
        "--exit-zero".to_owned(),
        "-".to_owned(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let body = br#"{"input": {}, "policy": {"ttl": 60}, "prompt": 1}"#;
    let output = rplint(&args, Some(body));
    assert_eq!(output.status.code(), Some(0), "--exit-zero");
    assert_eq!(stdout(&output).lines().count(), 2, "{}", stdout(&output));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 2);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    let stats = String::from_utf8_lossy(&output.stderr);
    assert!(stats.contains("1  error    ttl-range"), "{stats}");
    assert!(stats.contains("1  warning  unknown-key"), "{stats}");

    let failing = rplint(&["check", "--format", "concise", "-"], Some(body));
    assert_eq!(failing.status.code(), Some(1));
    let two_stdout = rplint(
        &["check", "--format", "human", "--output-format", "json", "-"],
        Some(body),
    );
    assert_eq!(two_stdout.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&two_stdout.stderr).contains("more than one report goes to stdout")
    );
}

/// Shell completions and the manual page come from the command's own definition.
#[test]
fn completions_and_man_page_are_generated() {
    let bash = rplint(&["completions", "bash"], None);
    assert_eq!(bash.status.code(), Some(0));
    let script = stdout(&bash);
    assert!(script.contains("_rplint()"), "{script}");
    assert!(
        script.contains("--output-format"),
        "the check options are completed"
    );
    let zsh = rplint(&["completions", "zsh"], None);
    assert!(stdout(&zsh).starts_with("#compdef rplint"));
    let man = rplint(&["man"], None);
    assert_eq!(man.status.code(), Some(0));
    assert!(
        stdout(&man).starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        stdout(&man)
    );
    assert!(stdout(&man).contains(".TH rplint 1"));
}

/// The README's JSON report is the real report of the example request.
#[test]
fn the_readme_json_example_is_the_real_report() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("`--format json` prints one report").unwrap()..];
    let start = section.find("```json\n").unwrap() + "```json\n".len();
    let shown: serde_json::Value =
        serde_json::from_str(&section[start..start + section[start..].find("```").unwrap()])
            .unwrap();
    let output = rplint(
        &["check", "--format", "json", "examples/request.json"],
        None,
    );
    assert_eq!(json(&output), shown);
}

/// A reader that closes stdout early (`| head -1`) does not turn a failing run into a passing
/// one.
#[test]
fn a_closed_stdout_keeps_the_exit_code() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "fixtures"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// Every command that writes to stdout fails (exit 2) when stdout cannot be written (a full
/// disk), `--help` and `--version` included; a reader that stops early is no failure of theirs.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_fails_every_command() {
    let runs: [&[&str]; 6] = [
        &["--help"],
        &["--version"],
        &["check", "--format", "json", "fixtures/ttl-range/fail"],
        &["schema"],
        &["rules"],
        &["explain", "ttl-range"],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("No space left"),
            "{args:?}"
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .arg("--help")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// A stderr that cannot be written (a full disk) ends the run with exit code 2, never an
/// abort: messages, `--statistics`, `--show-files` and `--diff` all write there.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_exits_2_and_never_aborts() {
    let runs: [&[&str]; 4] = [
        &["check", "nonexistent.json"],
        &["check", "--statistics", "fixtures/ttl-range/fail"],
        &["check", "--show-files", "fixtures/ttl-range/fail"],
        &[
            "check",
            "--diff",
            "--unsafe-fixes",
            "fixtures/ttl-range/fail",
        ],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(full)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {:?}",
            output.status
        );
    }
}

/// What the user typed reaches the terminal escaped, in every message: unknown rule ids, an
/// unreadable configuration path, and the argument parser's own errors.
#[test]
fn user_text_reaches_the_terminal_escaped() {
    let hostile = "x\u{1b}[2J\u{7}\u{202e}\r";
    let runs: [Vec<String>; 5] = [
        vec!["explain".into(), hostile.into()],
        vec![
            "check".into(),
            "--select".into(),
            hostile.into(),
            "-".into(),
        ],
        vec![
            "check".into(),
            "--ignore".into(),
            hostile.into(),
            "-".into(),
        ],
        vec![
            "check".into(),
            "--config".into(),
            format!("/nonexistent/{hostile}"),
            "-".into(),
        ],
        vec!["check".into(), format!("--{hostile}")],
    ];
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = rplint(&args, Some(b"{}"));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            !err.contains(['\u{1b}', '\u{7}', '\u{202e}', '\r']),
            "{args:?}: {err:?}"
        );
        assert!(err.contains("\\u{202e}"), "{args:?}: {err:?}");
    }
}

/// After `--` (which the pre-commit hook's entry ends with), a file named like an option is a
/// file: `--config=cfg.json` cannot switch the configuration.
#[test]
fn after_double_dash_everything_is_a_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cfg.json"), "{\"input\": {}}").unwrap();
    std::fs::write(
        dir.path().join("--config=cfg.json"),
        "{\"input\": {}, \"policy\": {\"ttl\": 5}}",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--format", "concise", "--", "--config=cfg.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .starts_with("--config=cfg.json:1:33: error[ttl-range]")
    );
}

/// `curl -d @body.json` in a README: the file is checked as the body curl sends (CR and LF
/// taken out for `-d`), at its own lines and columns, once however it is reached.
#[test]
fn a_body_file_a_command_names_is_checked_as_that_body() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "```bash\ncurl -X POST https://api.runpod.ai/v2/ID/runsync -H 'Content-Type: application/json' -d @body.json\n```\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("body.json"),
        "{\r\n  \"input\": {},\r\n  \"policy\": {\"ttl\": 5}\r\n}\r\n",
    )
    .unwrap();
    for args in [
        vec!["check", "--no-config", "--format", "concise", "."],
        vec!["check", "--no-config", "--format", "concise", "README.md"],
        vec![
            "check",
            "--no-config",
            "--format",
            "concise",
            "README.md",
            "body.json",
            ".",
        ],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("body.json:3:21: error[ttl-range]"))
                .count(),
            1,
            "{args:?}: {text}"
        );
        assert_eq!(output.status.code(), Some(1));
    }
}

/// `--diff` shows what `--fix` would change and changes nothing (exit 1 when it would);
/// `--fix` applies the safe fixes keeping every other byte (line endings, permissions) and
/// reports what is left; `--unsafe-fixes` adds the ones that change the request; on stdin the
/// fixed text is the output.
#[cfg(unix)]
#[test]
fn fix_and_diff_change_only_what_the_fixes_say() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let original = "\u{feff}{\r\n  \"input\": {},\r\n  \"policy\": {\"ttl\": \"600000\", \"executionTimeout\": 600}\r\n}\r\n";
    std::fs::write(&path, original).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rplint"));
        command
            .args(args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    };
    let diff = run(&["check", "--no-config", "--diff", "a.json"], None);
    assert_eq!(diff.status.code(), Some(1));
    let shown = String::from_utf8(diff.stdout).unwrap();
    assert!(
        shown.contains("+  \"policy\": {\"ttl\": 600000, \"executionTimeout\": 600}"),
        "{shown}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    assert!(
        String::from_utf8_lossy(&diff.stderr)
            .contains("would apply 2 fixes (1 more with `--unsafe-fixes`)")
    );

    let fixed = run(
        &[
            "check",
            "--no-config",
            "--fix",
            "--format",
            "concise",
            "a.json",
        ],
        None,
    );
    assert_eq!(fixed.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\r\n  \"input\": {},\r\n  \"policy\": {\"ttl\": 600000, \"executionTimeout\": 600}\r\n}\r\n"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let left = String::from_utf8(fixed.stdout).unwrap();
    assert!(
        left.contains("execution-timeout-range") && !left.contains("invalid-type"),
        "{left}"
    );

    let clean = run(
        &["check", "--no-config", "--fix", "--unsafe-fixes", "a.json"],
        None,
    );
    assert_eq!(clean.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"executionTimeout\": 600000")
    );
    let diff = run(&["check", "--no-config", "--diff", "a.json"], None);
    assert_eq!(diff.status.code(), Some(0));
    assert!(diff.stdout.is_empty());

    let piped = run(
        &["check", "--no-config", "--fix", "-"],
        Some("{\"input\": {}, \"policy\": {\"ttl\": 6e5}}"),
    );
    assert_eq!(
        String::from_utf8(piped.stdout).unwrap(),
        "{\"input\": {}, \"policy\": {\"ttl\": 600000}}"
    );
}

/// A computed value in a call's dict is not guessed, and the rest of the body is still checked
/// (one computed value once dropped the whole body).
#[test]
fn a_computed_value_leaves_the_rest_of_the_body_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.py"),
        "import runpod\nep = runpod.Endpoint(\"x\")\nep.run({\"input\": {\"a\": 1}, \"policy\": {\"ttl\": 1, \"executionTimeout\": some_call()}})\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "--show-files",
            "t.py",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("t.py:3:46: error[ttl-range]"), "{text}");
    assert!(!text.contains("executionTimeout"), "{text}");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("`Endpoint.run` argument checked as request")
    );
}

/// Runs `rplint` in `dir` with `stdin`: the output.
fn rplint_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// `--fix` writes the file a link names (the link stays), keeps its permissions, and refuses,
/// writing nothing, what it could not replace faithfully: a read-only file, a file with other
/// hard links.
#[cfg(unix)]
#[test]
fn fixes_write_through_links_and_refuse_what_they_cannot_keep() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let body = "{\"input\": {}, \"policy\": {\"ttl\": \"600000\"}}";
    let fixed = "{\"input\": {}, \"policy\": {\"ttl\": 600000}}";
    let at = |name: &str| dir.path().join(name);
    std::fs::write(at("target.json"), body).unwrap();
    std::fs::set_permissions(at("target.json"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("target.json", at("link.json")).unwrap();
    let output = rplint_in(
        dir.path(),
        &["check", "--fix", "link.json", "target.json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        std::fs::symlink_metadata(at("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(at("target.json")).unwrap(), fixed);
    let mode = std::fs::metadata(at("target.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(String::from_utf8_lossy(&output.stderr).contains("applied 1 fix"));

    std::fs::write(at("ro.json"), body).unwrap();
    std::fs::set_permissions(at("ro.json"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::write(at("h1.json"), body).unwrap();
    std::fs::hard_link(at("h1.json"), at("h2.json")).unwrap();
    for (name, why) in [
        ("ro.json", "it is read-only"),
        ("h1.json", "it has other hard links"),
    ] {
        let output = rplint_in(dir.path(), &["check", "--fix", name], b"");
        assert_eq!(output.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(why),
            "{output:?}"
        );
        assert_eq!(std::fs::read_to_string(at(name)).unwrap(), body);
    }
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("rplint")), "{names:?}");
}

/// Fixes that meet: several parameters moved to the end of `input` in one pass, with the
/// file's line breaks; two misspellings of one key renamed to neither; the count of unsafe
/// fixes is what `--unsafe-fixes` then applies; a body a host file reads is reported as
/// fixed; stdin's `--fix` still writes the report files; a file that is not UTF-8 says why
/// it is not fixed.
#[test]
fn fixes_that_meet_apply_together_and_are_counted_as_they_apply() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    let params: Vec<String> = (0..15).map(|i| format!("\"p{i:02}\": {i}")).collect();
    std::fs::write(
        at("many.json"),
        format!("{{\"input\": {{}}, {}}}", params.join(", ")),
    )
    .unwrap();
    let output = rplint_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "many.json"],
        b"",
    );
    let text = std::fs::read_to_string(at("many.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value.as_object().unwrap().len(), 1, "{text}");
    assert_eq!(value["input"].as_object().unwrap().len(), 15, "{text}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("applied 15 fixes"));

    let crlf = "{\r\n  \"input\": {\r\n    \"seed\": 1\r\n  },\r\n  \"prompt\": \"x\"\r\n}\r\n";
    std::fs::write(at("crlf.json"), crlf).unwrap();
    rplint_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "crlf.json"],
        b"",
    );
    assert_eq!(
        std::fs::read_to_string(at("crlf.json")).unwrap(),
        "{\r\n  \"input\": {\r\n    \"seed\": 1,\r\n    \"prompt\": \"x\"\r\n  }\r\n}\r\n"
    );

    let twice =
        "{\"input\": {}, \"webhok\": \"https://a.example/h\", \"webhoo\": \"https://b.example/h\"}";
    std::fs::write(at("twice.json"), twice).unwrap();
    let output = rplint_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "twice.json"],
        b"",
    );
    assert_eq!(std::fs::read_to_string(at("twice.json")).unwrap(), twice);
    assert!(String::from_utf8_lossy(&output.stderr).contains("applied 0 fixes"));

    let nested = "{\"input\": {\"a\": {\"a\": 1, \"a\": 2}, \"a\": 3}}";
    std::fs::write(at("nested.json"), nested).unwrap();
    let output = rplint_in(dir.path(), &["check", "--diff", "nested.json"], b"");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("would apply 0 fixes (1 more with `--unsafe-fixes`)"),
        "{output:?}"
    );

    std::fs::create_dir(at("docs")).unwrap();
    std::fs::write(
        at("docs/README.md"),
        "```bash\ncurl -X POST https://api.runpod.ai/v2/abc/run -H 'Content-Type: application/json' -d @body.json\n```\n",
    )
    .unwrap();
    std::fs::write(
        at("docs/body.json"),
        "{\"input\": {}, \"policy\": {\"ttl\": \"600000\"}}",
    )
    .unwrap();
    let output = rplint_in(&at("docs"), &["check", "--fix", "."], b"");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("applied 1 fix"));

    let output = rplint_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--output-format",
            "sarif=stdin.sarif",
            "-",
        ],
        b"{\"input\": {}, \"policy\": {\"ttl\": \"600000\", \"ttll\": 1}}",
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"input\": {}, \"policy\": {\"ttl\": 600000, \"ttll\": 1}}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(at("stdin.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);

    std::fs::write(
        at("latin1.json"),
        b"{\"input\": {\"a\": \"\xff\"}, \"policy\": {\"ttl\": \"600000\"}}",
    )
    .unwrap();
    let output = rplint_in(dir.path(), &["check", "--fix", "latin1.json"], b"");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("it is not valid UTF-8"),
        "{output:?}"
    );
}
