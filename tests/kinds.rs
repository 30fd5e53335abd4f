//! A worker repository walked as a user would: `rplint check .` checks its requests, Hub files
//! and test inputs, each as its own kind, and skips JSON files that are not RunPod documents.
//! The real Hub files of `../shared/corpus/kinds/` are laid out at their real paths.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::path::Path;
use std::process::Command;

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

/// `--show-files` lines (stderr) and concise findings (stdout) of `rplint check .` in `dir`.
fn check(dir: &Path, extra: &[&str]) -> (String, String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args([
            "check",
            "--show-files",
            "--format",
            "concise",
            "--no-config",
        ])
        .args(extra)
        .arg(".")
        .current_dir(dir)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stderr).unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        output.status.code(),
    )
}

/// A worker repository: RunPod files, and the JSON every repository has.
fn worker(root: &Path) {
    write(
        root,
        "package.json",
        "{\"name\": \"worker\", \"version\": \"1.0.0\"}\n",
    );
    write(root, ".vscode/settings.json", "{\"editor.tabSize\": 2}\n");
    write(
        root,
        "tsconfig.json",
        "{\n  // comments are allowed here\n  \"compilerOptions\": {},\n}\n",
    );
    write(root, "vocab.json", "{\"hello\": 0, \"world\": 1}\n");
    write(root, "test_input.json", "{\"prompt\": \"a cat\"}\n");
    write(
        root,
        "examples/request.json",
        "{\"input\": {}, \"policy\": {\"ttl\": 60}}\n",
    );
    write(root, "examples/broken-request.json", "{\"input\": {},}\n");
    write(
        root,
        "examples/batch-add.json",
        "{\"requests\": [{\"input\": {}}]}\n",
    );
    write(
        root,
        ".runpod/hub.json",
        "{\"title\": \"t\", \"description\": \"d\", \"type\": \"serverless\", \"category\": \"audio\",\n \"config\": {\"runsOn\": \"GPU\", \"containerDiskInGb\": 20, \"gpuIds\": \"NVIDIA GeForce RTX 4090\", \"gpuCount\": 1}}\n",
    );
    write(
        root,
        ".runpod/tests.json",
        "{\"tests\": [{\"name\": \"smoke\", \"input\": {\"prompt\": \"hi\"}, \"timeout\": 120}]}\n",
    );
    write(
        root,
        ".github/tests.json",
        "[{\"input\": {\"input\": {}}}]\n",
    );
}

#[test]
fn a_worker_repository_is_checked_by_kind_and_other_json_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    worker(dir.path());
    let (files, findings, code) = check(dir.path(), &[]);
    let mut files: Vec<_> = files.lines().collect();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            "checked .github/tests.json as legacy-tests",
            "checked .runpod/hub.json as hub-config",
            "checked .runpod/tests.json as hub-tests",
            "checked examples/batch-add.json as batch-requests",
            "checked examples/broken-request.json as request",
            "checked examples/request.json as request",
            "checked test_input.json as request",
            "skipped .vscode/settings.json: not a RunPod document (no request key, not a Hub file)",
            "skipped package.json: not a RunPod document (no request key, not a Hub file)",
            "skipped tsconfig.json: not JSON, and nothing in it names a request key",
            "skipped vocab.json: not a RunPod document (no request key, not a Hub file)",
        ]
    );
    let rules: Vec<&str> = findings
        .lines()
        .map(|l| {
            let (file, rest) = l.split_once(':').unwrap();
            let rule = rest.split('[').nth(1).unwrap().split(']').next().unwrap();
            assert!(!file.contains("package") && !file.contains("vocab"), "{l}");
            rule
        })
        .collect();
    for rule in [
        "gpu-ids",
        "test-timeout-range",
        "test-input-wrapped",
        "missing-input",
        "ttl-range",
        "json-syntax",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from:\n{findings}");
    }
    assert_eq!(code, Some(1));
}

#[test]
fn named_files_are_always_checked_and_only_runpod_skips_them() {
    let dir = tempfile::tempdir().unwrap();
    worker(dir.path());
    let named = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args([
            "check",
            "--format",
            "concise",
            "--no-config",
            "package.json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(named.stdout).unwrap();
    assert!(
        text.contains("package.json:1:1: error[missing-input]"),
        "{text}"
    );
    let hook = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args([
            "check",
            "--only-runpod",
            "--no-config",
            "package.json",
            "test_input.json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(hook.stdout).unwrap();
    assert!(!text.contains("package.json"), "{text}");
    assert!(text.contains("test_input.json"), "{text}");
    assert!(text.contains("skipped 1 file that holds no"), "{text}");
}

#[test]
fn a_walk_with_nothing_to_check_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# worker\n");
    write(dir.path(), "package.json", "{\"name\": \"w\"}\n");
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--no-config", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text,
        "found no RunPod documents to check; skipped 2 files that hold no RunPod document \
         (`--show-files` lists them)\n"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn real_hub_files_are_checked_at_their_real_paths() {
    let Some(kinds) = common::shared("corpus/kinds", "real Hub files at their real paths") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sources = std::fs::read_to_string(kinds.join("SOURCES.tsv")).unwrap();
    let mut laid = 0;
    for line in sources.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (file, repo, path) = (fields[0], fields[1], fields[2]);
        if !path.ends_with(".json") {
            continue;
        }
        let text = std::fs::read_to_string(kinds.join(file)).unwrap();
        write(dir.path(), &format!("{repo}/{path}"), &text);
        laid += 1;
    }
    assert!(laid >= 10, "{laid} files");
    let (files, findings, _) = check(dir.path(), &[]);
    for line in files.lines() {
        let hub = line.contains(".runpod/hub.json");
        let tests = line.contains(".runpod/tests.json");
        assert!(
            (!hub || line.ends_with("as hub-config")) && (!tests || line.ends_with("as hub-tests")),
            "{line}"
        );
    }
    insta::assert_snapshot!(findings);
}

/// A listing's head with a valid GPU `config` that `tail` continues (`tail` starts inside
/// `config`).
fn hub_with(config_tail: &str) -> String {
    format!(
        r#"{{"title":"t","description":"d","type":"serverless","category":"image","config":{{"runsOn":"GPU","containerDiskInGb":20,"gpuIds":"ADA_24","gpuCount":1{config_tail}}}}}"#
    )
}

#[test]
fn hostile_hub_files_are_reported_not_crashed_on() {
    let dir = tempfile::tempdir().unwrap();
    // Values nested 9,990 deep (near the 10,000 levels JSON readers take) where the schema
    // wants a string (the validator copies what it checks; messages must not format a value
    // whole), in files walked on worker threads.
    let deep = format!("{}{}", "[".repeat(9_990), "]".repeat(9_990));
    let nested = format!(
        r#"{{"title":"t","description":"d","type":{deep},"category":"image","config":{{"runsOn":"GPU","containerDiskInGb":20,"gpuIds":"ADA_24","gpuCount":1,"env":[{{"key":"K","input":{{"type":"string","default":{deep}}}}}]}}}}"#
    );
    for i in 0..4 {
        write(dir.path(), &format!("w{i}/.runpod/hub.json"), &nested);
    }
    // Thousands of preset keys that no env entry defines: only the first few get a
    // did-you-mean (each costs a comparison with every env key).
    let env: Vec<String> = (0..3000)
        .map(|i| format!(r#"{{"key":"KEY_{i}","value":"x"}}"#))
        .collect();
    let defaults: Vec<String> = (0..3000).map(|i| format!(r#""NKEY_{i}":1"#)).collect();
    write(
        dir.path(),
        "many/.runpod/hub.json",
        &hub_with(&format!(
            r#","env":[{}],"presets":[{{"name":"p","defaults":{{{}}}}}]"#,
            env.join(","),
            defaults.join(",")
        )),
    );
    let (files, findings, code) = check(dir.path(), &[]);
    assert_eq!(code, Some(1), "{files}");
    for i in 0..4 {
        let hub = format!("w{i}/.runpod/hub.json");
        assert!(
            findings.contains(&format!(
                "{hub}:1:39: error[invalid-type]: `type` must be a string"
            )),
            "{findings}"
        );
        assert!(
            findings
                .lines()
                .any(|l| l.starts_with(&hub) && l.contains("`default` is an array")),
            "{findings}"
        );
    }
    let presets: Vec<&str> = findings
        .lines()
        .filter(|l| l.contains("hub-preset-key"))
        .collect();
    assert_eq!(presets.len(), 3000);
    let json = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--no-config", "--format", "json", "many"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let suggested = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["help"].as_str().unwrap_or("").starts_with("did you mean"))
        .count();
    assert_eq!(suggested, 50);
}

#[test]
fn fractional_integers_in_hub_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".runpod/hub.json",
        &hub_with("").replace("\"containerDiskInGb\":20", "\"containerDiskInGb\":20.0"),
    );
    let (_, findings, _) = check(dir.path(), &[]);
    assert!(
        findings
            .contains("error[invalid-type]: `containerDiskInGb` must be an integer, found `20.0`"),
        "{findings}"
    );
}

/// A walk (and so the pre-commit hook) checks every broken request, whatever the spelling of
/// its keys, and skips JSON of other APIs that only resembles a request.
#[test]
fn a_walk_checks_every_broken_request_and_skips_lookalikes() {
    let dir = tempfile::tempdir().unwrap();
    let checked = [
        ("a/data.json", r#"{"Input": {"a": 1},}"#, "request"),
        ("b/data.json", r#"{"execution_timeout": 600,}"#, "request"),
        ("c/data.json", r#"{"\u0069nput": {"a": 1},}"#, "request"),
        (
            "d/data.json",
            r#"[{"input": {}}, {"Input": {}}]"#,
            "request",
        ),
        ("g/request.json", r#"{"text": "hello"}"#, "request"),
        (
            "hub.json",
            r#"{"title": "x", "config": {"runsOn": "GPU"},}"#,
            "hub-config",
        ),
        (
            "h/hub.json",
            r#"{"title": "x", "description": "d", "type": "serverless", "env": []}"#,
            "hub-config",
        ),
        ("i/batch.json", r#"{"requests": []}"#, "batch-requests"),
    ];
    let skipped = [
        (
            "data/alpaca_data.json",
            r#"[{"instruction": "Add", "input": "2+2", "output": "4"}]"#,
        ),
        (
            "sheets/update.json",
            r#"{"requests": [{"updateCells": {}}]}"#,
        ),
        (
            "openai/chat.json",
            r#"{"model": "x", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 100}"#,
        ),
    ];
    for (path, text, _) in checked {
        write(dir.path(), path, text);
    }
    for (path, text) in skipped {
        write(dir.path(), path, text);
    }
    let (files, _, _) = check(dir.path(), &[]);
    for (path, _, kind) in checked {
        assert!(
            files.contains(&format!("checked {path} as {kind}")),
            "{path}: {files}"
        );
    }
    for (path, _) in skipped {
        assert!(
            files.contains(&format!("skipped {path}:")),
            "{path}: {files}"
        );
    }
    // The same from inside `.runpod/`, by name and by walk.
    write(dir.path(), "w/.runpod/hub.json", r#"{"title": "x"}"#);
    for target in ["hub.json", "."] {
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(["check", "--show-files", "--no-config", target])
            .current_dir(dir.path().join("w/.runpod"))
            .output()
            .unwrap();
        let shown = String::from_utf8(output.stderr).unwrap();
        assert!(
            shown.contains("hub.json as hub-config"),
            "{target}: {shown}"
        );
    }
}
