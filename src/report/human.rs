//! The human format: miette's graphical report, one per finding, with a code frame.
//!
//! Long lines are clipped around the span (a minified 10 MB body prints a short frame), which
//! also keeps miette below the column where its renderer panics.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::finding::{Finding, Severity, Span};
use crate::source::{Source, ceil_char_boundary, floor_char_boundary};

/// The narrowest window a clipped line is cut to, in bytes.
const NARROWEST: usize = 40;
/// Labels longer than this are shortened for display (the machine formats keep the full span).
const LONGEST_LABEL: usize = 80;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Terminal width in columns.
    pub width: usize,
    /// ANSI colours.
    pub color: bool,
}

/// At most this many code frames are drawn per file; the rest are counted in one line (the
/// machine formats list them all).
pub const MOST_FRAMES: usize = 1000;

/// Render the findings of one source (at most [`MOST_FRAMES`] frames).
pub fn render(source: &Source, findings: &[Finding], style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    // The code frame's gutter takes about a dozen columns; longer lines are clipped.
    let shown = source.shown_text();
    let code = Clipped {
        source,
        text: &shown,
        long_line: style.width.saturating_sub(12).max(NARROWEST),
    };
    let mut out = String::new();
    for finding in findings.iter().take(MOST_FRAMES) {
        let shown = Shown {
            finding,
            code: &code,
        };
        if handler.render_report(&mut out, &shown).is_err() {
            // A frame that cannot be drawn still gets its place and message.
            out.push_str(&super::concise::line(source, finding));
            out.push('\n');
        }
    }
    if findings.len() > MOST_FRAMES {
        out.push_str(&format!(
            "{}: {} more findings not drawn; `--format concise` or `--format json` lists them all\n",
            super::sanitize(source.name()),
            findings.len() - MOST_FRAMES
        ));
    }
    out
}

struct Shown<'a> {
    finding: &'a Finding,
    code: &'a Clipped<'a>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown")
            .field("finding", self.finding)
            .finish()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::sanitize(&self.finding.message))
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(super::sanitize(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text = self.code.text;
        let pointer = &self.finding.pointer;
        let primary_text = (!pointer.is_empty())
            .then(|| crate::finding::shorten(&super::sanitize(pointer), 80).into_owned());
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary_text,
            shown_span(text, self.finding.span),
        )];
        for label in &self.finding.labels {
            labels.push(LabeledSpan::new_with_span(
                Some(super::sanitize(&label.message).into_owned()),
                shown_span(text, label.span),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// The part of a span that is drawn: at most one line and [`LONGEST_LABEL`] bytes.
fn shown_span(text: &str, span: Span) -> SourceSpan {
    let start = floor_char_boundary(text, span.start);
    let mut end = ceil_char_boundary(text, span.end.max(start));
    if let Some(newline) = text[start..end].find('\n') {
        end = start + newline;
    }
    if end - start > LONGEST_LABEL {
        end = ceil_char_boundary(text, start + LONGEST_LABEL);
    }
    SourceSpan::new(start.into(), end - start)
}

/// The source as miette sees it: lines clipped to a window around the span when they are long.
struct Clipped<'a> {
    source: &'a Source,
    /// The text as it may be shown: secrets masked, byte for byte.
    text: &'a str,
    /// Lines longer than this many bytes are clipped to a window around the span.
    long_line: usize,
}

impl SourceCode for Clipped<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let source = self.source;
        let text = self.text;
        let start = span.offset();
        let end = start + span.len();
        let window = self.long_line.saturating_sub(LONGEST_LABEL.min(span.len())) / 2;
        if end > text.len() || span.len() > 4 * self.long_line {
            // Far-apart labels are drawn in separate frames rather than one huge one.
            return Err(MietteError::OutOfBounds);
        }
        let first = source.line_index(start);
        let last = source.line_index(end.saturating_sub(1).max(start));
        let is_long = |line: usize| {
            let (s, e) = source.line_range(line);
            e - s > self.long_line
        };
        let (mut low, mut high) = (first, last);
        let span_lines_long = (first..=last).any(is_long);
        if !span_lines_long {
            while low > 0 && first - low < context_lines_before && !is_long(low - 1) {
                low -= 1;
            }
            while high + 1 < source.line_count()
                && high - last < context_lines_after
                && !is_long(high + 1)
            {
                high += 1;
            }
        }
        let (mut from, _) = source.line_range(low);
        let (_, mut to) = source.line_range(high);
        if span_lines_long {
            from = floor_char_boundary(text, from.max(start.saturating_sub(window)));
            to = ceil_char_boundary(text, to.min(end + window));
        }
        if context_lines_before == 0 && context_lines_after == 0 {
            from = start;
            to = end;
        }
        let line_start = source.line_range(low).0;
        let column = text[line_start..from].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            super::sanitize(source.name()).into_owned(),
            &text.as_bytes()[from..to],
            SourceSpan::new(from.into(), to - from),
            low,
            column,
            high - low + 1,
        )))
    }
}

/// The human format as a [`super::Reporter`]: frames per file, then one summary line.
pub struct HumanReporter {
    style: Style,
}

impl HumanReporter {
    /// A reporter drawing with `style`.
    pub fn new(style: Style) -> Self {
        Self { style }
    }
}

impl super::Reporter for HumanReporter {
    fn prepare(&self, source: &Source, findings: &[Finding]) -> Option<String> {
        Some(render(source, findings, self.style))
    }

    fn file_prepared(
        &mut self,
        source: &Source,
        findings: &[Finding],
        prepared: Option<String>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match prepared {
            Some(text) => out.write_all(text.as_bytes()),
            None => self.file(source, findings, out),
        }
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        out.write_all(render(source, findings, self.style).as_bytes())
    }

    fn finish(
        &mut self,
        counts: &super::Counts,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        use super::plural;
        let checked = plural(counts.files, "file");
        let line = if counts.is_clean() {
            format!("checked {checked}: no problems found\n")
        } else {
            let mut parts = vec![
                plural(counts.errors, "error"),
                plural(counts.warnings, "warning"),
            ];
            if counts.infos > 0 {
                parts.push(plural(counts.infos, "info"));
            }
            format!("checked {checked}: {}\n", parts.join(", "))
        };
        out.write_all(line.as_bytes())
    }
}
