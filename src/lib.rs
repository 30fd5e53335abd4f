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
//!   depend on `rplint = { git = "https://github.com/rplint/rplint", default-features = false }`
//!   (the crate is not on crates.io yet).
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
mod finding;
#[doc(hidden)]
pub mod fix;
#[doc(hidden)]
pub mod host;
mod kind;
#[doc(hidden)]
pub mod kinds;
mod linter;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod pipeline;
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

pub use diagnostic::{Diagnostic, Report};
pub use error::Error;
pub use finding::{Position, Range, Route, Severity};
pub use kind::Kind;
#[doc(hidden)]
pub use kind::{Skip, by_content, by_path};
pub use linter::{Linter, LinterBuilder};
pub use request::{Request, RequestBuilder, S3Config};

#[doc(hidden)]
pub use config::Config;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub use error::{ConfigError, RunError};
#[doc(hidden)]
pub use finding::{Applicability, Edit, Finding, Fix, Span, Target, pointer_tokens, shorten};
#[doc(hidden)]
pub use source::Source;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

/// The JSON Schema (draft-07) of a request, generated from the request types. Editors can use
/// it to check and complete request files; the rules check what a schema cannot say.
pub const REQUEST_SCHEMA: &str = schema::REQUEST_SCHEMA;

/// Check one document, read from the path its [`Source`] is named after: as the configured
/// kind, else the kind its path or content shows, else as a request. Findings come sorted by
/// position, with spans resolved.
#[doc(hidden)]
pub fn check(source: &Source, config: &Config) -> Vec<Finding> {
    pipeline::check_file(
        source,
        config,
        Some(std::path::Path::new(source.name())),
        false,
    )
    .findings
}
