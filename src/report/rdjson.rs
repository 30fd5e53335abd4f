//! reviewdog's Diagnostic Format (rdjson): `{"source", "diagnostics": [...]}`, each diagnostic
//! with its message, location (lines and columns 1-based; columns count UTF-8 bytes, as the
//! format says), severity and code (the rule, with its documentation's URL); a finding's fix
//! as `suggestions` (one per fix, for the reviewer to accept: safe and unsafe alike).

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, Reporter};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// Collects diagnostics; writes the result at the end.
#[derive(Debug, Default)]
pub struct RdjsonReporter {
    diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize)]
struct Result<'a> {
    source: Tool,
    diagnostics: &'a [Diagnostic],
}

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    url: &'static str,
}

#[derive(Debug, Serialize)]
struct Diagnostic {
    message: String,
    location: Location,
    severity: &'static str,
    code: Code,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion>,
}

/// A fix as one replacement: the text of `range` replaced by `text`.
#[derive(Debug, Serialize)]
struct Suggestion {
    range: Range,
    text: String,
}

#[derive(Debug, Serialize)]
struct Location {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<Range>,
}

#[derive(Debug, Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Debug, Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Debug, Serialize)]
struct Code {
    value: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    url: String,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

/// The 1-based line and UTF-8 byte column of byte `offset`.
fn position(source: &Source, offset: usize) -> Position {
    let at = source.position(offset);
    // From the source's index of line starts: a search back to the line's start would cost
    // the line's length for every finding (quadratic on a minified body).
    let (line_start, _) = source.line_range(at.line.saturating_sub(1));
    Position {
        line: at.line,
        column: at.offset.saturating_sub(line_start) + 1,
    }
}

impl Reporter for RdjsonReporter {
    fn not_checked(&mut self, path: &str, reason: &str, _out: &mut dyn Write) -> io::Result<()> {
        self.diagnostics.push(Diagnostic {
            message: reason.to_owned(),
            location: Location {
                path: super::shown_path(path),
                range: None,
            },
            severity: "ERROR",
            code: Code {
                value: "not-checked",
                url: String::new(),
            },
            suggestions: Vec::new(),
        });
        Ok(())
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        let path = super::shown_path(source.name());
        let shown = std::cell::OnceCell::new();
        for finding in findings {
            let message = match &finding.help {
                Some(help) => format!("{}\nhelp: {help}", finding.message),
                None => finding.message.clone(),
            };
            self.diagnostics.push(Diagnostic {
                message: super::sanitize_lines(&message),
                location: Location {
                    path: path.clone(),
                    range: Some(Range {
                        start: position(source, finding.span.start),
                        end: position(source, finding.span.end),
                    }),
                },
                severity: severity(finding.severity),
                code: Code {
                    value: finding.rule,
                    url: super::sarif::help_uri(finding.rule),
                },
                suggestions: finding
                    .fix
                    .iter()
                    .filter_map(|fix| suggestion(source, &shown, fix))
                    .collect(),
            });
        }
        Ok(())
    }

    fn finish(&mut self, _counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        super::write_json(
            out,
            &Result {
                source: Tool {
                    name: "rplint",
                    url: env!("CARGO_PKG_REPOSITORY"),
                },
                diagnostics: &self.diagnostics,
            },
        )
    }
}

/// A fix as one suggestion: reviewdog offers each suggestion on its own, so a fix of several
/// edits (a key moved inside `input`: deleted here, inserted there) is one replacement of the
/// text from its first edit to its last, with every edit applied in it. `None` when its edits
/// fall outside the text, or the text between them holds a secret.
fn suggestion<'s>(
    source: &'s Source,
    shown: &std::cell::OnceCell<std::borrow::Cow<'s, str>>,
    fix: &crate::finding::Fix,
) -> Option<Suggestion> {
    let text = source.text();
    let start = fix.edits.iter().map(|e| e.span.start).min()?;
    let end = fix.edits.iter().map(|e| e.span.end).max()?;
    // The text kept between the edits is quoted: never where it holds a secret (the text as
    // frames show it differs there).
    if fix.edits.len() > 1
        && shown.get_or_init(|| source.shown_text()).get(start..end) != text.get(start..end)
    {
        return None;
    }
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|e| e.span.start);
    let mut replaced = String::new();
    let mut done = start;
    for edit in edits {
        replaced.push_str(text.get(done..edit.span.start)?);
        replaced.push_str(&edit.replacement);
        done = edit.span.end;
    }
    replaced.push_str(text.get(done..end)?);
    Some(Suggestion {
        range: Range {
            start: position(source, start),
            end: position(source, end),
        },
        text: replaced,
    })
}
