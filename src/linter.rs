//! The library's entry point: a configured [`Linter`].

use serde_json::Value;

pub use crate::config::Route;
use crate::config::{self, Config};
use crate::diagnostic::Report;
use crate::error::Error;
use crate::finding::Severity;
use crate::source::Source;

/// Checks request bodies with a fixed set of rules, severities and a route.
///
/// `Linter::default()` runs every rule at its default severity for the `/run` route. A linter
/// is cheap to clone and can be shared between threads.
///
/// ```
/// use rplint::{Linter, Route, Severity};
///
/// let linter = Linter::builder()
///     .route(Route::Runsync)
///     .ignore(["webhook-insecure"])
///     .severity("undocumented-key", Severity::Error)
///     .build()?;
/// let report = linter.check("job.json", r#"{"input": {}, "webhookV2": "https://example.com/hook"}"#);
/// assert_eq!(report.diagnostics()[0].rule(), "undocumented-key");
/// assert!(report.has_errors());
/// # Ok::<(), rplint::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Linter {
    config: Config,
}

impl Linter {
    /// A builder to choose the route, the rules and their severities.
    pub fn builder() -> LinterBuilder {
        LinterBuilder::default()
    }

    /// The route requests are checked for.
    pub fn route(&self) -> Route {
        self.config.route()
    }

    /// Check the request body `text`, reported under `name` (a file name, or any label).
    ///
    /// Every diagnostic has a [`crate::Range`] in `text`.
    pub fn check(&self, name: &str, text: &str) -> Report {
        self.check_source(&Source::new(name, text))
    }

    /// Check a request body given as bytes, which need not be UTF-8 (bytes that are not are
    /// reported by the `invalid-utf8` rule, and the rest is still checked).
    ///
    /// ```
    /// let report = rplint::Linter::default().check_bytes("latin1.json", b"{\"input\": {\"name\": \"Jos\xe9\"}}");
    /// assert_eq!(report.diagnostics()[0].rule(), "invalid-utf8");
    /// ```
    pub fn check_bytes(&self, name: &str, bytes: &[u8]) -> Report {
        self.check_source(&Source::from_bytes(name, bytes.to_vec()))
    }

    /// Check a request that is already a JSON value. Diagnostics have pointers but no ranges;
    /// the size limit applies to the value written compactly, as it would be sent.
    ///
    /// ```
    /// let request = serde_json::json!({"input": {}, "policy": {"ttl": 3600}});
    /// let report = rplint::Linter::default().check_value(&request);
    /// let diagnostic = &report.diagnostics()[0];
    /// assert_eq!((diagnostic.rule(), diagnostic.pointer()), ("ttl-range", "/policy/ttl"));
    /// assert_eq!(diagnostic.range(), None);
    /// ```
    pub fn check_value(&self, value: &Value) -> Report {
        // The compact text is exactly what would be sent; checking it keeps one pipeline (and
        // secret redaction) for both entry points. Its positions are not the caller's, so they
        // are dropped.
        let text = value.to_string();
        let source = Source::new("request", text);
        Report::without_text("request", crate::check(&source, &self.config))
    }

    fn check_source(&self, source: &Source) -> Report {
        Report::from_source(source, crate::check(source, &self.config))
    }
}

/// Options for a [`Linter`]; unknown rule ids are reported by [`LinterBuilder::build`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct LinterBuilder {
    route: Route,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severities: Vec<(String, Severity)>,
    suppressions: Vec<(String, String)>,
}

impl LinterBuilder {
    /// Check requests for `route` (default [`Route::Run`]): it decides the size limit and
    /// whether the body is one request or a batch.
    pub fn route(mut self, route: Route) -> Self {
        self.route = route;
        self
    }

    /// Report only these rules (calls add up). Without it, every rule is reported.
    pub fn select<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.select
            .get_or_insert_with(Vec::new)
            .extend(ids.into_iter().map(Into::into));
        self
    }

    /// Do not report these rules (calls add up).
    pub fn ignore<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ignore.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Report rule `id` at `severity` instead of its default.
    pub fn severity(mut self, id: impl Into<String>, severity: Severity) -> Self {
        self.severities.push((id.into(), severity));
        self
    }

    /// Do not report rule `id`'s findings at JSON Pointer `pointer` (exactly as reported), as a
    /// `[[suppress]]` entry of `rplint.toml` does. Calls add up. [`LinterBuilder::build`]
    /// refuses an unknown rule id and a pointer that is not an RFC 6901 JSON Pointer
    /// (`""`, or starting with `/`). Unlike the command line, the library does not report a
    /// suppression that hid nothing.
    ///
    /// ```
    /// let body = r#"{"input": {}, "webhook": "http://example.com/hook"}"#;
    /// let plain = rplint::Linter::default().check("job.json", body);
    /// assert_eq!(plain.diagnostics()[0].rule(), "webhook-insecure");
    /// let linter = rplint::Linter::builder()
    ///     .suppress("webhook-insecure", "/webhook")
    ///     .build()?;
    /// assert!(linter.check("job.json", body).diagnostics().is_empty());
    /// # Ok::<(), rplint::Error>(())
    /// ```
    pub fn suppress(mut self, id: impl Into<String>, pointer: impl Into<String>) -> Self {
        self.suppressions.push((id.into(), pointer.into()));
        self
    }

    /// The linter; or the first rule id that does not exist (with the closest one), or the
    /// first suppression pointer that is not a JSON Pointer.
    pub fn build(self) -> Result<Linter, Error> {
        let mut config = Config::new(self.select.as_deref(), &self.ignore)?.with_route(self.route);
        for (id, severity) in self.severities {
            for id in config::validate(&[id])? {
                config = config.with_severity(id, severity);
            }
        }
        for (n, (id, pointer)) in self.suppressions.into_iter().enumerate() {
            if let Some(help) = crate::finding::pointer_problem(&pointer) {
                return Err(Error::InvalidPointer { pointer, help });
            }
            for rule in config::validate(&[id])? {
                config = config.with_suppression(config::Suppression {
                    rule,
                    pointer: pointer.clone(),
                    id: n,
                });
            }
        }
        Ok(Linter { config })
    }
}
