//! Every machine format, produced for the real-world corpus and checked by its consumer's rules:
//! SARIF against the official schema, JUnit with an XML parser, GitHub's escaping and limits.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rplint(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rplint"));
    command
        .args(args)
        .current_dir(root())
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().unwrap()
}

const CORPUS: &str = "../shared/corpus/real";

/// Whether the real-world corpus is beside the repository (said on stderr when it is not).
fn have_corpus(what: &str) -> bool {
    common::shared("corpus/real", what).is_some()
}

#[test]
fn sarif_for_the_corpus_is_valid_sarif_2_1_0() {
    let Some(schema_path) = common::shared(
        "schemas/sarif-schema-2.1.0.json",
        "SARIF of the corpus against the official schema",
    ) else {
        return;
    };
    if !have_corpus("SARIF of the corpus against the official schema") {
        return;
    }
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let output = rplint(
        &["check", "--kind", "request", "--format", "sarif", CORPUS],
        &[],
    );
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<_> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 50);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("../shared/corpus/real/"), "{uri}");
        assert!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    // Only the rules that appear are described, each once, with its docs.
    let mut ids: Vec<_> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count);
    assert!(rules.iter().all(|r| {
        r["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("## Why it matters")
    }));
    assert!(!ids.contains(&"payload-too-large"));
}

fn fingerprints(text: &str) -> Vec<(String, u64)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.json"), text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--format", "sarif", "r.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["partialFingerprints"]["rplintFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let before = "{\n  \"input\": {\"a\": 1, \"a\": 2},\n  \"policy\": {\"ttl\": 5}\n}\n";
    let after = "{\n  \"input\": {\n    \"note\": \"added lines\",\n    \"a\": 1, \"a\": 2},\n  \"policy\": {\"ttl\": 5}\n}\n";
    let (before, after) = (fingerprints(before), fingerprints(after));
    assert_eq!(before.len(), 2);
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_ne!(before[1].1, after[1].1, "the lines did move");
}

#[test]
fn junit_for_the_corpus_has_a_case_per_finding() {
    if !have_corpus("JUnit of the corpus") {
        return;
    }
    let json = rplint(
        &["check", "--kind", "request", "--format", "json", CORPUS],
        &[],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    let with_findings: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let files = report["summary"]["files"].as_u64().unwrap() as usize;
    for (extra, failing) in [
        (None, errors),
        (
            Some("--deny-warnings"),
            errors + report["summary"]["warnings"].as_u64().unwrap() as usize,
        ),
    ] {
        let mut args = vec!["check", "--kind", "request", "--format", "junit"];
        args.extend(extra);
        args.push(CORPUS);
        let output = rplint(&args, &[]);
        let xml = String::from_utf8(output.stdout).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        // One case per finding, one passing case per clean file: nothing is lost.
        assert_eq!(cases.len(), diagnostics.len() + files - with_findings.len());
        assert!(cases.iter().all(|c| c.attribute("time").is_some()));
        let failures = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count();
        assert_eq!(failures, failing, "{extra:?}");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("tests").unwrap(), cases.len().to_string());
        assert_eq!(suite.attribute("failures").unwrap(), failing.to_string());
    }
}

#[test]
fn junit_escapes_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a&b<c>.json"),
        "{\"input\": {}, \"<x>\\u0001&\\\"'\": 1}",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--deny-warnings", "--format", "junit", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let xml = String::from_utf8(output.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .unwrap();
    assert_eq!(case.attribute("classname"), Some("a&b<c>.json"));
    assert_eq!(case.attribute("name"), Some("unknown-key at 1:15"));
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("<x>\\u{1}&\"'"),
        "{xml}"
    );
}

#[test]
fn github_annotations_are_escaped() {
    let output = rplint(
        &[
            "check",
            "--format",
            "github",
            "fixtures/unknown-key/fail/handler-key-at-top.json",
        ],
        &[],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().next().unwrap();
    assert_eq!(
        line,
        "::warning file=fixtures/unknown-key/fail/handler-key-at-top.json,line=3,col=3,endLine=3,endColumn=11,title=rplint unknown-key::unknown top-level key `prompt`: the service discards it%0Ahelp: if `prompt` is a parameter for the worker, move it inside `input`; the top level takes only `input`, `policy`, `s3Config`, `webhook`"
    );
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn github_step_summary_lists_everything_past_the_limit() {
    if !have_corpus("the GitHub step summary of the corpus") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    // The corpus has far more than 10 errors.
    let output = rplint(
        &["check", "--kind", "request", "--format", "github", CORPUS],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    let annotations = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("::"))
        .count();
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(
        table.starts_with("earlier step\n### rplint: "),
        "the summary is appended to what the file held: {table}"
    );
    let rows = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| File"))
        .count();
    assert_eq!(rows, annotations);
    assert!(annotations > 10);

    // Within the limits, nothing is written.
    std::fs::write(&summary, "").unwrap();
    rplint(
        &[
            "check",
            "--format",
            "github",
            "fixtures/ttl-range/fail/seconds.json",
        ],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), "");
}

#[test]
fn concise_is_one_line_per_finding() {
    let output = rplint(
        &[
            "check",
            "--format",
            "concise",
            "fixtures/unknown-key/fail/policy-timeout.json",
        ],
        &[],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "fixtures/unknown-key/fail/policy-timeout.json:3:14: error[unknown-key]: unknown key `timeout` in `policy`: the service ignores it",
            "fixtures/unknown-key/fail/policy-timeout.json:3:33: error[unknown-key]: unknown key `TTL` in `policy`: the service ignores it",
            "fixtures/unknown-key/fail/policy-timeout.json:3:47: error[unknown-key]: unknown key `low_priority` in `policy`: the service ignores it",
        ]
    );
}

/// The findings of `args` as the JSON report gives them.
fn json_findings(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let output = rplint(&all, &[]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"].as_array().unwrap().clone()
}

/// GitLab Code Quality: an issue per finding with the fields GitLab reads (description,
/// check_name, a unique fingerprint, one of GitLab's severities, a relative path and a line).
#[test]
fn gitlab_code_quality_has_an_issue_per_finding() {
    let args = ["fixtures"];
    let findings = json_findings(&args);
    let output = rplint(&["check", "--format", "gitlab", "fixtures"], &[]);
    let issues: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(issues.len(), findings.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (issue, finding) in issues.iter().zip(&findings) {
        assert_eq!(issue["check_name"], finding["rule"]);
        assert!(
            issue["description"]
                .as_str()
                .unwrap()
                .starts_with(finding["message"].as_str().unwrap())
        );
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        assert_eq!(issue["location"]["path"], finding["file"]);
        assert!(!issue["location"]["path"].as_str().unwrap().starts_with('/'));
        assert_eq!(
            issue["location"]["lines"]["begin"],
            finding["range"]["start"]["line"]
        );
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()));
    }
}

/// rdjson: a diagnostic per finding, columns in UTF-8 bytes as the format says.
#[test]
fn rdjson_has_a_diagnostic_per_finding_with_byte_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        "{\"input\": {\"é\": 1}, \"prompt\": 2}",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--format", "rdjson", "a.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["source"]["name"], "rplint");
    let diagnostic = &result["diagnostics"][0];
    assert_eq!(diagnostic["code"]["value"], "unknown-key");
    assert_eq!(diagnostic["severity"], "WARNING");
    assert_eq!(diagnostic["location"]["path"], "a.json");
    // `"prompt"` starts at character 21, byte 22 (`é` is two bytes).
    assert_eq!(diagnostic["location"]["range"]["start"]["column"], 22);
    assert_eq!(diagnostic["location"]["range"]["end"]["column"], 30);
    let all = rplint(&["check", "--format", "rdjson", "fixtures"], &[]);
    let result: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    assert_eq!(
        result["diagnostics"].as_array().unwrap().len(),
        json_findings(&["fixtures"]).len()
    );
}

/// Azure Pipelines: one `task.logissue` per finding, escaped so that a file name or a message
/// cannot end the command or inject another.
#[test]
fn azure_logging_commands_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x;y]%.json"),
        "{\"input\": {}, \"a]b;c%\\n##vso[task.complete result=Succeeded]\": 1, \"webhookV2\": \"https://example.com/h\"}",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--format", "azure", "--kind", "request", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("##vso[")).collect();
    assert_eq!(commands.len(), 2, "{text}");
    assert!(commands[0].starts_with("##vso[task.logissue type=warning;sourcepath=x%3By%5D%AZP25.json;linenumber=1;columnnumber=15;code=unknown-key]"), "{text}");
    assert!(
        commands[0].contains("a]b;c%AZP25\\u{a}#\\u{23}vso[task.complete"),
        "{text}"
    );
    assert!(
        commands[1].contains("code=undocumented-key]info: "),
        "{text}"
    );
    assert_eq!(
        text.lines().count(),
        3,
        "one command per finding and a summary: {text}"
    );
}

/// Report files never destroy what the run reads, nor each other: a report whose path is an
/// input, or another report's, is refused before anything is written; a report that cannot be
/// written leaves the others' previous files as they were; the previous run's report met by a
/// walk is not checked; a file named twice is reported once.
#[test]
fn report_files_never_overwrite_inputs_or_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap()
    };
    let body = "{\"input\": {}, \"policy\": {\"ttl\": 1}}";
    std::fs::write(at("job.json"), body).unwrap();

    let out = run(&["check", "job.json", "--output-format", "json=./job.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(at("job.json")).unwrap(), body);

    let out = run(&[
        "check",
        "job.json",
        "--output-format",
        "sarif=r.out",
        "--output-format",
        "json=sub/../r.out",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!at("r.out").exists());

    std::fs::write(at("keep.sarif"), "previous").unwrap();
    let out = run(&[
        "check",
        "job.json",
        "--output-format",
        "sarif=keep.sarif",
        "--output-format",
        "junit=missing-dir/x.xml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(at("keep.sarif")).unwrap(),
        "previous"
    );

    // Twice: the second run walks the first one's report, and does not check it.
    for _ in 0..2 {
        let out = run(&[
            "check",
            ".",
            "--format",
            "concise",
            "--output-format",
            "json=job-report.json",
        ]);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(!stdout.contains("job-report.json"), "{stdout}");
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(at("job-report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    // No temporary file is left beside the reports.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("rplint-tmp")), "{names:?}");

    let out = run(&[
        "check",
        "job.json",
        "./job.json",
        ".",
        "--format",
        "concise",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("ttl-range").count(), 1, "{stdout}");
}

/// A CI log runs what looks like a command: no format but the azure and github ones (whose
/// commands are meant) prints an Azure `##vso[` or a line that starts with `::`, whatever the
/// keys and file names hold; and a JUnit report stays XML with the characters XML forbids.
#[test]
fn ci_logs_never_run_a_command_rplint_prints() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.json"),
        "{\"input\": {}, \"##vso[task.setvariable variable=X]y\": 1, \"a\\uffffb\": 2}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("::warning::x.json"),
        "{\"input\": {}, \"k\": 1}",
    )
    .unwrap();
    for format in [
        "human", "concise", "json", "sarif", "junit", "gitlab", "rdjson",
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(["check", "--format", format, "--show-files", "."])
            .current_dir(dir.path())
            .env("COLUMNS", "200")
            .output()
            .unwrap();
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains("##vso["), "{format}: {text}");
            assert!(
                text.lines().all(|l| !l.trim_start().starts_with("::")),
                "{format}: {text}"
            );
        }
        if format == "junit" {
            let xml = String::from_utf8(output.stdout).unwrap();
            roxmltree::Document::parse(&xml).unwrap();
        }
    }
}

/// A finding's fix reaches the formats that carry fixes: SARIF `fixes` (a deletion without
/// inserted content, the applicability in the description) and rdjson `suggestions`.
#[test]
fn fixes_reach_sarif_and_rdjson() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        "\u{feff}{\"input\": {}, \"policy\": {\"ttl\": \"600000\"}}",
    )
    .unwrap();
    let run = |format: &str| -> serde_json::Value {
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(["check", "--no-config", "--format", format, "a.json"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let sarif = run("sarif");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let fixes: Vec<&serde_json::Value> = results
        .iter()
        .filter_map(|r| r["fixes"].as_array())
        .flatten()
        .collect();
    assert_eq!(fixes.len(), 2, "{sarif:#}");
    let replacements: Vec<(u64, u64, Option<&str>)> = fixes
        .iter()
        .map(|f| {
            let r = &f["artifactChanges"][0]["replacements"][0];
            (
                r["deletedRegion"]["byteOffset"].as_u64().unwrap(),
                r["deletedRegion"]["byteLength"].as_u64().unwrap(),
                r["insertedContent"]["text"].as_str(),
            )
        })
        .collect();
    assert!(replacements.contains(&(0, 3, None)), "{replacements:?}");
    assert!(
        replacements.contains(&(35, 8, Some("600000"))),
        "{replacements:?}"
    );
    assert!(fixes.iter().all(|f| {
        f["description"]["text"]
            .as_str()
            .unwrap()
            .ends_with("(safe)")
    }));
    let rdjson = run("rdjson");
    let suggestions: Vec<&str> = rdjson["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["suggestions"].as_array())
        .flatten()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(suggestions.len(), 2, "{rdjson:#}");
    assert!(suggestions.contains(&"600000") && suggestions.contains(&""));
}
