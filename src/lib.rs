//! Find what a RunPod Serverless job request gets wrong before it is sent: keys the service
//! would discard, timeouts in seconds instead of milliseconds, an `s3Config` the worker cannot
//! use, webhooks it cannot reach, secrets written in plain text.
//!
//! Check a request body as text: every [`Diagnostic`] names its rule, the JSON Pointer of the
//! value and its line and column.
//!
//! ```
//! use rplint::{Linter, Severity};
//!
//! let body = r#"{"input": {"prompt": "a cat"}, "policy": {"executionTimeout": 600}}"#;
//! let report = Linter::default().check("request.json", body);
//!
//! assert!(report.has_errors());
//! let diagnostic = &report.diagnostics()[0];
//! assert_eq!(diagnostic.rule(), "execution-timeout-range");
//! assert_eq!(diagnostic.severity(), Severity::Error);
//! assert_eq!(diagnostic.pointer(), "/policy/executionTimeout");
//! let range = diagnostic.range().unwrap();
//! assert_eq!((range.start.line, range.start.column), (1, 63));
//! ```
//!
//! Or build the request with types that cannot hold the mistakes: times are
//! [`std::time::Duration`]s, and [`RequestBuilder::build`] runs the same rules.
//!
//! ```
//! use std::time::Duration;
//!
//! let request = rplint::Request::builder()
//!     .input(serde_json::json!({"prompt": "a cat"}))
//!     .execution_timeout(Duration::from_secs(600))
//!     .build()?;
//! assert_eq!(
//!     serde_json::to_string(&request)?,
//!     r#"{"input":{"prompt":"a cat"},"policy":{"executionTimeout":600000}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A [`Report`] is a [`miette::Diagnostic`]: returned through `?` in a program that uses
//! miette's fancy handler, it prints every diagnostic with a code frame.
//!
//! # Features
//!
//! - `cli` (default): the `rplint` command and what only it needs (argument parsing, the
//!   terminal renderer, parallel directory walks, configuration files). A library user can
//!   depend on `rplint = { version = "0.1", default-features = false }`.
#![deny(missing_docs)]

// The modules below are the command line's and the test suite's view of the internals. They are
// hidden from the documentation and are not part of the public API: they may change in any
// release. The public API is the items re-exported at the crate root.
#[doc(hidden)]
pub mod config;
mod diagnostic;
mod display;
#[doc(hidden)]
pub mod document;
mod error;
#[doc(hidden)]
pub mod finding;
mod linter;
#[doc(hidden)]
pub mod model;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod report;
mod request;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod schema;
#[doc(hidden)]
pub mod secrets;
#[doc(hidden)]
pub mod source;
mod suggest;

pub use diagnostic::{Diagnostic, Position, Range, Report, Severity};
pub use error::Error;
pub use linter::{Linter, LinterBuilder, Route};
pub use request::{Request, RequestBuilder, S3Config};

#[doc(hidden)]
pub use config::Config;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub use error::{ConfigError, RunError};
#[doc(hidden)]
pub use finding::{Finding, Span, Target};
#[doc(hidden)]
pub use source::Source;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

/// The JSON Schema (draft-07) of a request, generated from the request types. Editors can use
/// it to check and complete request files; the rules check what a schema cannot say.
pub const REQUEST_SCHEMA: &str = schema::REQUEST_SCHEMA;

use std::collections::HashSet;

use serde_json::Value;

use document::Document;
use rules::{ALL, Check, Context};

/// Rules whose finding makes every other finding about the same *value* moot: a value of the
/// wrong type has no meaningful range. Findings about keys, bytes or absent members stay.
const TYPE_RULES: &[&str] = &["invalid-type", "input-not-object", "request-not-object"];

/// Check one document. Findings come sorted by position, with spans resolved.
#[doc(hidden)]
pub fn check(source: &Source, config: &Config) -> Vec<Finding> {
    let route = config.route();
    let mut findings: Vec<Finding> = rules::payload_finding(source.len_bytes(), route)
        .into_iter()
        .collect();
    if source.is_unread() {
        for finding in &mut findings {
            finding.help = Some(format!(
                "{}; a file this large is not read, so nothing else in it was checked",
                finding.help.take().unwrap_or_default()
            ));
        }
        return finish(source, None, findings, config);
    }
    if let Some(offset) = source.invalid_utf8_at() {
        findings.push(rules::utf8_finding(offset, source.invalid_utf8_count()));
    }
    findings.extend(rules::bom_finding(source.text()));
    let doc = match Document::parse(source.text()) {
        Ok(doc) => doc,
        Err(error) => {
            // A byte that is not UTF-8 reads as `?`; a syntax error there is already explained.
            if !source.is_invalid_utf8(error.span.start) {
                findings.push(rules::syntax_finding(error));
            }
            return finish(source, None, findings, config);
        }
    };
    match (route, doc.value()) {
        (Route::Batch, Value::Array(requests)) if !requests.is_empty() => {
            for (i, request) in requests.iter().enumerate() {
                check_request(&doc, request, &format!("/{i}"), route, &mut findings);
            }
        }
        (Route::Batch, batch) => findings.extend(rules::batch_shape_finding(batch)),
        (_, request) => check_request(&doc, request, "", route, &mut findings),
    }
    for rule in ALL {
        if let Check::Document(check) = rule.check {
            check(&doc, &mut findings);
        }
    }
    finish(source, Some(&doc), findings, config)
}

/// Every rule that looks at one request, on `request` at pointer `base`.
fn check_request(
    doc: &Document<'_>,
    request: &Value,
    base: &str,
    route: Route,
    out: &mut Vec<Finding>,
) {
    let ctx = Context {
        doc,
        request,
        base,
        route,
        webhooks: std::sync::OnceLock::new(),
    };
    let mut verdicts = schema::check(request);
    for rule in ALL {
        let (shape, request_check) = match rule.check {
            Check::Shape(shape) => (Some(shape), None),
            Check::Request(check) => (None, Some(check)),
            Check::ShapeAndRequest(shape, check) => (Some(shape), Some(check)),
            Check::Pipeline | Check::Document(_) => (None, None),
        };
        if let Some(shape) = shape {
            let (mine, rest): (Vec<_>, Vec<_>) = verdicts
                .into_iter()
                .partition(|(id, _)| *id == rule.meta.id);
            verdicts = rest;
            if !mine.is_empty() {
                let shapes: Vec<_> = mine.into_iter().map(|(_, s)| s).collect();
                shape(&shapes, &ctx, out);
            }
        }
        if let Some(check) = request_check {
            check(&ctx, out);
        }
    }
}

fn finish(
    source: &Source,
    doc: Option<&Document<'_>>,
    mut findings: Vec<Finding>,
    config: &Config,
) -> Vec<Finding> {
    let typed: HashSet<String> = findings
        .iter()
        .filter(|f| TYPE_RULES.contains(&f.rule))
        .map(|f| f.pointer.clone())
        .collect();
    findings.retain(|f| {
        TYPE_RULES.contains(&f.rule) || f.target != Target::Value || !typed.contains(&f.pointer)
    });
    findings.retain(|f| config.enabled(f.rule));
    for finding in &mut findings {
        if let Some(severity) = config.severity(finding.rule) {
            finding.severity = severity;
        }
    }
    if let Some(doc) = doc {
        for finding in &mut findings {
            finding.span = doc.resolve(&finding.pointer, &finding.target);
            for label in &mut finding.labels {
                label.span = doc.resolve(&label.pointer, &label.target);
            }
        }
    } else {
        for finding in &mut findings {
            if let finding::Target::At(span) = finding.target {
                finding.span = span;
            }
            for label in &mut finding.labels {
                if let finding::Target::At(span) = label.target {
                    label.span = span;
                }
            }
        }
    }
    if !findings.is_empty() && !source.secrets().is_empty() {
        for finding in &mut findings {
            finding.message = source.scrub(&finding.message);
            finding.help = finding.help.as_deref().map(|h| source.scrub(h));
            for label in &mut finding.labels {
                label.message = source.scrub(&label.message);
            }
        }
    }
    findings.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    findings
}
