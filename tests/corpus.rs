//! Real-world documents: the verdict on every request in `../shared/corpus/real/`, and the
//! standard JSON parser test suite in `../shared/corpus/jsontestsuite/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::path::{Path, PathBuf};

use rplint::{Config, Source};

/// The corpus's JSON files, sorted; `None` (said on stderr) in a clone without `../shared`.
fn corpus(name: &str, what: &str) -> Option<Vec<PathBuf>> {
    let dir = common::shared(&format!("corpus/{name}"), what)?;
    Some(common::json_files(&dir))
}

fn check(path: &Path) -> Vec<rplint::Finding> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    rplint::check(
        &Source::from_bytes(name, std::fs::read(path).unwrap()),
        &Config::default(),
    )
}

/// One line per file: its name and the rule ids found, with the pointer of each.
#[test]
fn real_world_verdicts() {
    let Some(files) = corpus("real", "the real-world corpus verdicts") else {
        return;
    };
    assert!(
        files.len() >= 100,
        "expected the real-world corpus, found {} files",
        files.len()
    );
    let mut verdicts = String::new();
    for path in &files {
        let findings = check(path);
        let found: Vec<_> = findings
            .iter()
            .map(|f| format!("{}({})", f.rule, f.pointer))
            .collect();
        let name = path.file_name().unwrap().to_string_lossy();
        let verdict = if found.is_empty() {
            "ok".to_owned()
        } else {
            found.join(" ")
        };
        verdicts.push_str(&format!("{name}: {verdict}\n"));
    }
    insta::assert_snapshot!(verdicts);
}

#[test]
fn json_test_suite() {
    let Some(files) = corpus("jsontestsuite", "the JSON parser test suite") else {
        return;
    };
    assert!(files.len() > 300);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Not JSON: a syntax error, or bytes that are not UTF-8.
        let syntax = check(&path)
            .iter()
            .any(|f| f.rule == "json-syntax" || f.rule == "invalid-utf8");
        if name.starts_with("y_") {
            assert!(!syntax, "{name} is valid JSON but got json-syntax");
        } else if name.starts_with("n_") {
            assert!(syntax, "{name} is not JSON but got no json-syntax");
        }
    }
}

#[test]
fn deep_nesting_is_checked_without_overflow() {
    // As deep as JSON readers take (10,000 levels with the two around it), checked whole.
    let depth = 9_998;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let inside_input = format!("{{\"input\": {{\"x\": {deep}}}, \"policy\": {{\"ttl\": 5}}}}");
    let findings = rplint::check(&Source::new("deep.json", inside_input), &Config::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "ttl-range");

    let at_top = format!("{{\"input\": {{}}, \"x\": {deep}}}");
    let findings = rplint::check(&Source::new("deep.json", at_top), &Config::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0].rule, findings[0].pointer.as_str()),
        ("unknown-key", "/x")
    );

    let unclosed = "[".repeat(depth);
    let findings = rplint::check(&Source::new("deep.json", unclosed), &Config::default());
    assert_eq!(findings[0].rule, "json-syntax");

    // Deeper: one syntax finding at the bracket too many, whatever the depth.
    for depth in [10_001, 1_000_000] {
        let deeper = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let findings = rplint::check(&Source::new("deep.json", deeper), &Config::default());
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule, "json-syntax");
        assert_eq!(findings[0].span.start, 10_000);
        assert!(
            findings[0]
                .message
                .starts_with("nested deeper than 10,000 levels")
        );
    }
}
