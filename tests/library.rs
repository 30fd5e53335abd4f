//! The library API as a service uses it: check text or values, read diagnostics, build, send and
//! re-parse typed requests. Runs with and without the `cli` feature.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use std::collections::BTreeMap;
use std::time::Duration;

use rplint::{Diagnostic, Linter, Request, Route, S3Config, Severity};
use serde_json::json;

fn rules(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(Diagnostic::rule).collect()
}

#[test]
fn check_gives_rule_pointer_help_and_position() {
    let text = "{\n  \"input\": {\"prompt\": \"é\"},\n  \"policy\": {\"ttl\": 60}\n}\n";
    let report = Linter::default().check("job.json", text);
    assert_eq!(report.name(), "job.json");
    assert_eq!(rules(report.diagnostics()), ["ttl-range"]);
    let d = &report.diagnostics()[0];
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(d.pointer(), "/policy/ttl");
    assert!(d.message().contains("60 ms"), "{}", d.message());
    assert!(d.help().unwrap().contains("60000"), "{:?}", d.help());
    let range = d.range().unwrap();
    assert_eq!((range.start.line, range.start.column), (3, 21));
    assert_eq!((range.end.line, range.end.column), (3, 23));
    assert_eq!(&text[range.start.offset..range.end.offset], "60");
    assert!(report.has_errors());
    assert_eq!(report.count(Severity::Error), 1);
    assert_eq!(format!("{report:#}"), "job.json: 1 error");
    assert_eq!(
        report.to_string(),
        "job.json: 1 error\n  error[ttl-range] /policy/ttl at 3:21: `ttl` is 60 ms; the service requires at least 10000 (10 seconds)\n    help: the value looks like seconds: did you mean 60000 (1 minute)?"
    );
}

#[test]
fn columns_count_characters_and_offsets_count_bytes() {
    let text = r#"{"input": {"é": "ü"}, "x": 1}"#;
    let report = Linter::default().check("a.json", text);
    let d = &report.diagnostics()[0];
    let start = d.range().unwrap().start;
    assert_eq!(d.rule(), "unknown-key");
    assert_eq!(start.column, 23);
    assert_eq!(start.offset, 24);
    assert_eq!(&text[start.offset..start.offset + 3], "\"x\"");
}

#[test]
fn syntax_errors_and_bytes_that_are_not_utf8_are_diagnostics_too() {
    let report = Linter::default().check("a.json", "{\"input\": {},}");
    assert_eq!(rules(report.diagnostics()), ["json-syntax"]);
    assert_eq!(report.diagnostics()[0].range().unwrap().start.column, 13);

    let report = Linter::default().check_bytes("b.json", b"{\"input\": {\"a\": \"\xff\"}}");
    assert_eq!(rules(report.diagnostics()), ["invalid-utf8"]);
    assert_eq!(report.diagnostics()[0].range().unwrap().start.offset, 17);
}

#[test]
fn check_value_has_pointers_and_no_ranges() {
    let value = json!({"input": {}, "webhook": "http://localhost:8000/done", "extra": 1});
    let report = Linter::default().check_value(&value);
    assert_eq!(
        rules(report.diagnostics()),
        ["unknown-key", "webhook-unreachable"]
    );
    assert!(report.diagnostics().iter().all(|d| d.range().is_none()));
    assert_eq!(report.diagnostics()[0].pointer(), "/extra");
}

#[test]
fn check_value_measures_the_body_as_sent() {
    // 9,999,970 bytes of input is under the limit written compactly, over it pretty-printed.
    let big = "a".repeat(9_999_970);
    let value = json!({"input": {"b": big}});
    let compact = value.to_string().len();
    assert!(compact < 10_000_000 && serde_json::to_string_pretty(&value).unwrap().len() > compact);
    assert!(Linter::default().check_value(&value).is_clean());
    let over = json!({"input": {"b": "a".repeat(10_000_000)}});
    assert_eq!(
        rules(Linter::default().check_value(&over).diagnostics()),
        ["payload-too-large"]
    );
}

#[test]
fn the_builder_selects_ignores_and_sets_severities() {
    let text = r#"{"input": {}, "webhook": "http://hooks.example.com/x", "extra": 1}"#;
    let all = Linter::default().check("a.json", text);
    assert_eq!(
        rules(all.diagnostics()),
        ["webhook-insecure", "unknown-key"]
    );

    let only = Linter::builder().select(["unknown-key"]).build().unwrap();
    assert_eq!(
        rules(only.check("a.json", text).diagnostics()),
        ["unknown-key"]
    );

    let ignoring = Linter::builder()
        .ignore(["unknown-key"])
        .severity("webhook-insecure", Severity::Info)
        .build()
        .unwrap();
    let report = ignoring.check("a.json", text);
    assert_eq!(rules(report.diagnostics()), ["webhook-insecure"]);
    assert_eq!(report.diagnostics()[0].severity(), Severity::Info);
    assert!(!report.has_errors());

    let error = Linter::builder()
        .severity("webhook-insecur", Severity::Error)
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        rplint::Error::UnknownRule {
            id: "webhook-insecur".into(),
            suggestion: Some("webhook-insecure")
        }
    );
}

#[test]
fn the_route_decides_the_shape_and_the_limit() {
    let batch = Linter::builder().route(Route::Batch).build().unwrap();
    assert_eq!(batch.route(), Route::Batch);
    let report = batch.check(
        "b.json",
        r#"[{"input": {}}, {"input": {}, "policy": {"ttl": 5}}]"#,
    );
    assert_eq!(report.diagnostics()[0].pointer(), "/1/policy/ttl");
    let report = Linter::default().check("b.json", r#"[{"input": {}}]"#);
    assert_eq!(rules(report.diagnostics()), ["request-not-object"]);
}

// The fancy renderer comes with the `cli` feature (a library user enables miette's `fancy`).
#[cfg(feature = "cli")]
#[test]
fn a_report_renders_with_miette_frames_and_masks_secrets() {
    let text = r#"{
  "input": {},
  "s3Config": {"accessId": "AKIAEXAMPLE", "accessSecret": "wJalrXUtnFEMIK7MDENGbPxRfiCY", "bucketName": "b", "endpointUrl": "https://s3.example.com"}
}"#;
    let report = Linter::default().check("secret.json", text);
    assert_eq!(
        rules(report.diagnostics()),
        ["plaintext-secret", "s3-bucket-name"]
    );
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    handler.render_report(&mut out, &report).unwrap();
    assert!(out.contains("secret.json: 2 warnings"), "{out}");
    assert!(out.contains("plaintext-secret"), "{out}");
    assert!(out.contains("[secret.json:3:"), "{out}");
    assert!(out.contains("\"accessId\": \"AKIAEXAMPLE\""), "{out}");
    assert!(out.contains("/s3Config/bucketName"), "{out}");
    assert!(!out.contains("wJalrXUtnFEMIK7MDENGbPxRfiCY"), "{out}");
    let debug = format!("{report:?}");
    assert!(!debug.contains("wJalrXUtnFEMIK7MDENGbPxRfiCY"), "{debug}");
}

#[test]
fn a_report_goes_through_question_mark_into_miette() {
    fn send() -> miette::Result<String> {
        let request = Request::builder()
            .input(json!({}))
            .ttl(Duration::from_secs(1))
            .build()?;
        Ok(serde_json::to_string(&request).unwrap_or_default())
    }
    let error = send().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("request: 1 error\n  error[ttl-range] /policy/ttl: `ttl` is 1000 ms")
    );
    let related: Vec<String> = error.related().unwrap().map(|d| d.to_string()).collect();
    assert_eq!(related.len(), 1);
    assert!(related[0].contains("`ttl` is 1000 ms"), "{related:?}");
}

#[test]
fn report_text_is_terminal_safe() {
    let report = Linter::default().check("\u{1b}[2Jx.json", "{\"input\": {}, \"\u{202e}k\": 1}");
    assert_eq!(format!("{report:#}"), "\\u{1b}[2Jx.json: 1 warning");
    assert!(!report.to_string().contains('\u{202e}'));
    let shown = report.diagnostics()[0].to_string();
    assert!(
        shown.contains("\\u{202e}k") && !shown.contains('\u{202e}'),
        "{shown}"
    );
}

#[test]
fn linters_and_reports_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Linter>();
    send_sync::<rplint::Report>();
    send_sync::<Request>();
}

fn s3() -> S3Config {
    S3Config::new(
        "${S3_ACCESS_ID}",
        "${S3_SECRET}",
        "results-bucket",
        "https://s3.example.com",
    )
}

#[test]
fn a_built_request_serializes_to_the_wire_format() {
    let request = Request::builder()
        .input(json!({"prompt": "a cat", "steps": 30}))
        .webhook("https://hooks.example.com/done")
        .execution_timeout(Duration::from_secs(600))
        .ttl(Duration::from_secs(3600))
        .low_priority(true)
        .s3_config(s3().with_object_path("runs/1"))
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "input": {"prompt": "a cat", "steps": 30},
            "webhook": "https://hooks.example.com/done",
            "policy": {"executionTimeout": 600_000, "lowPriority": true, "ttl": 3_600_000},
            "s3Config": {
                "accessId": "${S3_ACCESS_ID}",
                "accessSecret": "${S3_SECRET}",
                "bucketName": "results-bucket",
                "endpointUrl": "https://s3.example.com",
                "objectPath": "runs/1"
            }
        })
    );
    assert_eq!(request.execution_timeout(), Some(Duration::from_secs(600)));
    assert_eq!(request.s3_config().unwrap().object_path(), Some("runs/1"));
    let text = serde_json::to_string(&request).unwrap();
    assert!(
        text.starts_with(r#"{"input":{"prompt":"a cat","steps":30},"webhook":"#),
        "{text}"
    );
    // And back, by text and by value.
    assert_eq!(text.parse::<Request>().unwrap(), request);
    assert_eq!(
        Request::try_from(serde_json::Value::from(request.clone())).unwrap(),
        request
    );
}

#[test]
fn the_builder_takes_any_serialize_input() {
    #[derive(serde::Serialize)]
    struct Input {
        prompt: &'static str,
        seed: u64,
    }
    let request = Request::builder()
        .input(Input {
            prompt: "x",
            seed: 7,
        })
        .build()
        .unwrap();
    assert_eq!(request.input(), &json!({"prompt": "x", "seed": 7}));
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"input":{"prompt":"x","seed":7}}"#
    );
}

#[test]
fn the_builder_refuses_what_the_linter_calls_an_error() {
    let report = Request::builder()
        .input(json!({}))
        .execution_timeout(Duration::from_secs(3))
        .build()
        .unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["execution-timeout-range"]);
    assert!(report.diagnostics()[0].message().contains("3000 ms"));
    assert_eq!(
        report.diagnostics()[0].help(),
        Some("give `execution_timeout` a Duration in whole milliseconds, from 5 seconds to 7 days"),
        "the text format's seconds hint does not apply to a Duration"
    );

    let incomplete = S3Config::new("id", "", "bucket", "https://s3.example.com");
    let report = Request::builder()
        .input(json!({}))
        .s3_config(incomplete)
        .build()
        .unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["s3-config-incomplete"]);

    let report = Request::builder().build().unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["missing-input"]);

    let report = Request::builder().input(json!(null)).build().unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["input-not-object"]);

    let report = Request::builder()
        .input(json!({}))
        .ttl(Duration::from_secs(30))
        .execution_timeout(Duration::from_secs(60))
        .build();
    assert!(
        report.is_ok(),
        "a warning (ttl shorter than the timeout) does not refuse"
    );

    let report = Request::builder()
        .input(json!({}))
        .webhook("ftp://example.com")
        .build()
        .unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["webhook-url"]);
}

#[test]
fn durations_are_never_rounded() {
    let report = Request::builder()
        .input(json!({}))
        .execution_timeout(Duration::from_micros(600_000_500))
        .build()
        .unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["invalid-type"]);
    assert_eq!(
        report.diagnostics()[0].pointer(),
        "/policy/executionTimeout"
    );

    let report = Request::builder()
        .input(json!({}))
        .ttl(Duration::MAX)
        .build()
        .unwrap_err();
    assert_eq!(report.diagnostics()[0].pointer(), "/policy/ttl");
}

#[test]
fn an_input_that_is_not_json_is_a_diagnostic() {
    let mut input = BTreeMap::new();
    input.insert((1, 2), "tuple keys");
    let report = Request::builder().input(input).build().unwrap_err();
    assert_eq!(rules(report.diagnostics()), ["invalid-type"]);
    assert_eq!(report.diagnostics()[0].pointer(), "/input");
    assert!(
        report.diagnostics()[0]
            .message()
            .contains("cannot be written as JSON")
    );
}

#[test]
fn parsing_refuses_errors_with_positions_and_keeps_everything_else() {
    let err = "{\"input\": {},\n \"policy\": {\"executionTimeout\": 600}}"
        .parse::<Request>()
        .unwrap_err();
    assert_eq!(rules(err.diagnostics()), ["execution-timeout-range"]);
    assert_eq!(err.diagnostics()[0].range().unwrap().start.line, 2);

    let err = r#"{"input": {}, "input": {"a": 1}}"#.parse::<Request>().unwrap_err();
    assert_eq!(rules(err.diagnostics()), ["duplicate-key"]);

    let err = Request::try_from(json!({"input": {}, "webhook": 5})).unwrap_err();
    assert_eq!(rules(err.diagnostics()), ["invalid-type"]);
    assert!(err.diagnostics()[0].range().is_none());

    // An unknown top-level key is a warning (the service drops it); the request keeps it, so
    // what is sent is what was written. A near miss of a documented key is an error.
    let request = Request::try_from(json!({"input": {}, "style": "noir"})).unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"input": {}, "style": "noir"})
    );
    let err = Request::try_from(json!({"input": {}, "webhok": "https://x.example"})).unwrap_err();
    assert_eq!(rules(err.diagnostics()), ["unknown-key"]);

    // Keys the service reads that have no field of their own survive a round trip.
    let text = r#"{"input":"hello","webhookV2":"https://hooks.example.com/v2","policy":{}}"#;
    let request: Request = text.parse().unwrap();
    assert_eq!(request.input(), &json!("hello"));
    assert_eq!(request.execution_timeout(), None);
    // Keys come out in the canonical order; every key and value is kept.
    let sent = serde_json::to_string(&request).unwrap();
    assert_eq!(
        sent,
        r#"{"input":"hello","policy":{},"webhookV2":"https://hooks.example.com/v2"}"#
    );
}

#[test]
fn requests_deserialize_inside_other_types() {
    #[derive(serde::Deserialize)]
    struct Job {
        request: Request,
    }
    let job: Job =
        serde_json::from_str(r#"{"request": {"input": {}, "policy": {"ttl": 60000}}}"#).unwrap();
    assert_eq!(job.request.ttl(), Some(Duration::from_secs(60)));
    let error = serde_json::from_str::<Job>(r#"{"request": {"input": {}, "policy": {"ttl": 60}}}"#)
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("ttl-range") && error.contains("/policy/ttl"),
        "{error}"
    );
}

#[test]
fn s3_config_debug_hides_the_secret() {
    let config = S3Config::new(
        "id",
        "very-secret-value",
        "bucket",
        "https://s3.example.com",
    );
    assert_eq!(config.access_secret(), "very-secret-value");
    let request = Request::builder()
        .input(json!({}))
        .s3_config(config)
        .build()
        .unwrap();
    let debug = format!("{request:?}");
    assert!(
        !debug.contains("very-secret-value") && debug.contains("<redacted>"),
        "{debug}"
    );
}

#[test]
fn suppressions_need_json_pointers() {
    for (pointer, help) in [
        ("webhook", "starts with `/`"),
        ("#/webhook", "without the `#`"),
        ("/a~2b", "`~0`"),
    ] {
        let err = rplint::Linter::builder()
            .suppress("webhook-insecure", pointer)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains(help), "{pointer}: {err}");
    }
    assert!(
        rplint::Linter::builder()
            .suppress("webhook-insecure", "")
            .suppress("webhook-insecure", "/a~1b~0c")
            .build()
            .is_ok()
    );
}
