//! Build a request with types, check a request file, and print the body that would be POSTed.
//!
//! ```text
//! cargo run --example check_before_send -- examples/request.json
//! ```
//!
//! Works without the command line's dependencies (`--no-default-features`).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an example program prints"
)]

use std::process::ExitCode;
use std::time::Duration;

use rplint::{Linter, Request, Severity};

fn main() -> ExitCode {
    // 1. A typed request: times are Durations, so seconds and milliseconds cannot be mixed up.
    let built = Request::builder()
        .input(serde_json::json!({"prompt": "a lighthouse at dusk", "steps": 30}))
        .webhook("https://hooks.example.com/runpod")
        .execution_timeout(Duration::from_secs(10 * 60))
        .ttl(Duration::from_secs(60 * 60))
        .build();
    match built {
        Ok(request) => match serde_json::to_string_pretty(&request) {
            Ok(body) => println!("POST /run\n{body}"),
            Err(error) => {
                eprintln!("cannot serialize the request: {error}");
                return ExitCode::FAILURE;
            }
        },
        Err(report) => {
            eprintln!("refused: {report}");
            return ExitCode::FAILURE;
        }
    }

    // 2. A request file, as a service would check one it did not build itself.
    let Some(path) = std::env::args().nth(1) else {
        return ExitCode::SUCCESS;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let report = Linter::default().check(&path, &text);
    for diagnostic in report.diagnostics() {
        let place = diagnostic
            .range()
            .map(|r| format!("{}:{}", r.start.line, r.start.column))
            .unwrap_or_default();
        let severity = match diagnostic.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        eprintln!(
            "{path}:{place}: {severity}[{}] {} (at `{}`)",
            diagnostic.rule(),
            diagnostic.message(),
            diagnostic.pointer()
        );
        if let Some(help) = diagnostic.help() {
            eprintln!("    help: {help}");
        }
    }
    if report.has_errors() {
        eprintln!("{report}: not sent");
        return ExitCode::FAILURE;
    }
    match text.parse::<Request>() {
        Ok(request) => {
            println!("POST /run\n{}", serde_json::Value::from(request));
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprintln!("refused: {report}");
            ExitCode::FAILURE
        }
    }
}
