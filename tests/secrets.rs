//! No output format ever prints a secret, whatever rule fires on it and however broken the
//! document around it is.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::process::Command;

const SECRET: &str = "Zq9-DISTINCTIVE-s3cr3t-Xy7";
const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "github", "junit", "gitlab", "rdjson", "azure",
];

fn documents() -> Vec<(&'static str, String)> {
    let s3 = |secret: &str| {
        format!(
            "\"s3Config\": {{\"accessId\": \"id\", \"accessSecret\": {secret}, \"bucketName\": \"outputs\", \"endpointUrl\": \"https://s3.example.com\"}}"
        )
    };
    vec![
        (
            "literal.json",
            format!(
                "{{\n  \"input\": {{}},\n  {}\n}}\n",
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "duplicate-secret.json",
            format!(
                "{{\n  \"input\": {{}},\n  \"s3Config\": {{\"accessSecret\": \"{SECRET}\", \"accessSecret\": \"other-{SECRET}\", \"accessId\": \"\"}}\n}}\n"
            ),
        ),
        (
            "syntax-error-next-to-it.json",
            format!(
                "{{\n  \"input\": {{}},\n  {},\n}}\n",
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "webhook-password.json",
            format!(
                "{{\"input\": {{}}, \"webhook\": \" https://user:{SECRET}@hooks.example.com/x\"}}"
            ),
        ),
        (
            "escaped.json",
            format!(
                "{{\"input\": {{}}, {}}}",
                s3(&format!("\"{}\\u0041\"", SECRET))
            ),
        ),
        (
            "minified-long.json",
            format!(
                "{{\"input\":{{\"pad\":\"{}\"}},{}}}",
                "x".repeat(5000),
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "number.json",
            format!("{{\"input\": {{}}, {}}}", s3("987654321987654321")),
        ),
    ]
}

#[test]
fn secrets_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in documents() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    for format in FORMATS {
        let summary = dir.path().join("summary.md");
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(["check", "--format", format])
            .arg(dir.path())
            .env("COLUMNS", "100")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        let summary = std::fs::read_to_string(&summary).unwrap_or_default();
        for needle in [SECRET, "987654321987654321", "DISTINCTIVE"] {
            assert!(
                !summary.contains(needle),
                "{format} step summary shows a secret"
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stdout.contains("plaintext-secret"), "{format}: {stdout}");
        for needle in [SECRET, "987654321987654321", "DISTINCTIVE"] {
            assert!(
                !stdout.contains(needle),
                "{format} stdout shows a secret:\n{stdout}"
            );
            assert!(
                !stderr.contains(needle),
                "{format} stderr shows a secret:\n{stderr}"
            );
        }
    }
}
