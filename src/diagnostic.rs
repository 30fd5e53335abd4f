//! What a check returns: a [`Report`] of [`Diagnostic`]s.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, SourceCode};

use crate::display::{self, Frame};

use crate::finding::Finding;
use crate::finding::{Range, Severity};
use crate::source::Source;

/// Frames drawn by a report clip lines longer than this many bytes around the span.
const LONG_LINE: usize = 120;

/// One problem found in a request.
///
/// Its text is terminal-safe: control and bidirectional-override characters from the request
/// are written as `\u{..}`, and secrets found in the request never appear in it.
#[derive(Clone)]
pub struct Diagnostic {
    finding: Finding,
    range: Option<Range>,
    frame: Option<Arc<Frame>>,
}

impl Diagnostic {
    /// The id of the rule that found it, such as `"unknown-key"` (`rplint explain ID` documents
    /// it).
    pub fn rule(&self) -> &str {
        self.finding.rule
    }

    /// How serious it is.
    pub fn severity(&self) -> Severity {
        self.finding.severity
    }

    /// What is wrong, in one line.
    pub fn message(&self) -> &str {
        &self.finding.message
    }

    /// The JSON Pointer (RFC 6901) of the value concerned; `""` is the whole request.
    pub fn pointer(&self) -> &str {
        &self.finding.pointer
    }

    /// How to fix it, where the rule can say.
    pub fn help(&self) -> Option<&str> {
        self.finding.help.as_deref()
    }

    /// Where it is in the checked text; `None` for values checked with
    /// [`crate::Linter::check_value`], which have no text.
    pub fn range(&self) -> Option<Range> {
        self.range
    }
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostic")
            .field("rule", &self.rule())
            .field("severity", &self.severity())
            .field("message", &self.message())
            .field("pointer", &self.pointer())
            .field("help", &self.help())
            .field("range", &self.range)
            .finish()
    }
}

impl PartialEq for Diagnostic {
    fn eq(&self, other: &Self) -> bool {
        self.finding == other.finding && self.range == other.range
    }
}

impl Eq for Diagnostic {}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display::sanitize(&self.finding.message))
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(display::miette_severity(self.finding.severity))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        display::help(&self.finding)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.frame.as_deref().map(|f| f as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let frame = self.frame.as_deref()?;
        Some(Box::new(
            display::labels(frame.text(), &self.finding).into_iter(),
        ))
    }
}

/// Everything a check found in one request, in the order of the text.
///
/// As a [`miette::Diagnostic`], a report shows each diagnostic (as a related diagnostic) with
/// its code frame; secrets in the request are masked in the frames.
///
/// ```
/// let report = rplint::Linter::default().check("request.json", r#"{"input": {}}"#);
/// assert!(report.diagnostics().is_empty());
/// assert_eq!(report.to_string(), "request.json: no problems found");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    name: String,
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The report on `source`, whose findings have spans in its text.
    pub(crate) fn from_source(source: &Source, findings: Vec<Finding>) -> Self {
        let frame = (!findings.is_empty()).then(|| Arc::new(Frame::new(source, LONG_LINE)));
        let diagnostics = findings
            .into_iter()
            .map(|finding| {
                let range = frame.as_ref().map(|frame| Range {
                    start: frame.source().position(finding.span.start),
                    end: frame.source().position(finding.span.end),
                });
                Diagnostic {
                    finding,
                    range,
                    frame: frame.clone(),
                }
            })
            .collect();
        Self {
            name: source.name().to_owned(),
            diagnostics,
        }
    }

    /// The report on a value that has no text of its own: pointers, no ranges.
    pub(crate) fn without_text(name: &str, findings: Vec<Finding>) -> Self {
        Self {
            name: name.to_owned(),
            diagnostics: findings
                .into_iter()
                .map(|finding| Diagnostic {
                    finding,
                    range: None,
                    frame: None,
                })
                .collect(),
        }
    }

    /// Change the findings behind the diagnostics (such as help worded for a typed API).
    pub(crate) fn edit_findings(&mut self, mut edit: impl FnMut(&mut Finding)) {
        for diagnostic in &mut self.diagnostics {
            edit(&mut diagnostic.finding);
        }
    }

    /// The name the text was checked under (a file name, or what the caller chose).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every diagnostic, in the order of the text.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether any diagnostic is an error: the request would fail, lose data or be rejected.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

impl IntoIterator for Report {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.diagnostics.into_iter()
    }
}

impl<'a> IntoIterator for &'a Report {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.diagnostics.iter()
    }
}

impl fmt::Display for Report {
    /// The name and how many problems of each severity; then, unless the alternate form
    /// (`{:#}`) asks for that line alone, one line per diagnostic (severity, rule, pointer,
    /// line:column where there is text, message) with its help below it.
    ///
    /// ```
    /// let report = rplint::Linter::default().check("job.json", r#"{"input": {}, "policy": {"ttl": 3600}}"#);
    /// assert_eq!(format!("{report:#}"), "job.json: 1 error");
    /// let text = report.to_string();
    /// assert!(text.contains("error[ttl-range] /policy/ttl at 1:33: `ttl` is 3600 ms"), "{text}");
    /// assert!(text.contains("help: the value looks like seconds"), "{text}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = display::sanitize(&self.name);
        if self.is_clean() {
            return write!(f, "{name}: no problems found");
        }
        let mut parts = Vec::new();
        for (severity, word) in [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Info, "info"),
        ] {
            let n = self.count(severity);
            if n > 0 {
                let plural = if n == 1 || severity == Severity::Info {
                    ""
                } else {
                    "s"
                };
                parts.push(format!("{n} {word}{plural}"));
            }
        }
        write!(f, "{name}: {}", parts.join(", "))?;
        if f.alternate() {
            return Ok(());
        }
        for d in &self.diagnostics {
            let at = d
                .range()
                .map(|r| format!(" at {}:{}", r.start.line, r.start.column))
                .unwrap_or_default();
            let pointer = display::sanitize(d.pointer());
            let pointer = if pointer.is_empty() {
                "\"\"".into()
            } else {
                pointer
            };
            write!(f, "\n  {}[{}] {pointer}{at}: {d}", d.severity(), d.rule())?;
            if let Some(help) = d.help() {
                write!(f, "\n    help: {}", display::sanitize(help))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        let worst = self.diagnostics.iter().map(Diagnostic::severity).max()?;
        Some(display::miette_severity(worst))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.diagnostics.is_empty() {
            return None;
        }
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}
