//! Showing findings safely: terminal-safe text, and the adapters that let miette draw a finding
//! with a code frame (used by the human format and by the library's [`crate::Report`]).
//!
//! Long lines are clipped around the span (a minified 10 MB body prints a short frame), which
//! also keeps miette below the column where its renderer panics.

use std::fmt;

#[cfg(feature = "cli")]
use miette::Diagnostic;
use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::finding::{Finding, Severity, Span};
use crate::source::{Source, ceil_char_boundary, floor_char_boundary};

/// The narrowest window a clipped line is cut to, in bytes.
pub(crate) const NARROWEST: usize = 40;
/// Labels longer than this are shortened for display (the machine formats keep the full span).
const LONGEST_LABEL: usize = 80;

/// Whether `c` could rewrite a terminal or a CI log, or reorder what is shown: control
/// characters (but tab), DEL, C1 controls, bidirectional overrides and isolates, and the
/// Unicode line and paragraph separators.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
        // Noncharacters: XML 1.0 forbids U+FFFE and U+FFFF (a JUnit report with one does not
        // parse), and none of them is text.
        || matches!(c, '\u{fdd0}'..='\u{fdef}')
        || (c as u32 & 0xfffe) == 0xfffe
}

/// `text` with every unsafe character (see [`is_unsafe_char`]) written as `\u{..}`: how
/// messages, help, labels and names reach a terminal or a log.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(AZURE_COMMAND) || text.starts_with("::") {
        // A CI log runs the commands it reads: Azure Pipelines an `##vso[` anywhere in a line,
        // GitHub Actions a line that starts with `::`. Text rplint shows never is one.
        let escaped = text.replace(AZURE_COMMAND, "#\\u{23}vso[").replacen(
            "::",
            "\\u{3a}:",
            usize::from(text.starts_with("::")),
        );
        return sanitize(&escaped).into_owned().into();
    }
    if !text.chars().any(is_unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// What starts an Azure Pipelines logging command, wherever it is in a line.
pub(crate) const AZURE_COMMAND: &str = "##vso[";

/// The miette severity of a finding's severity.
pub(crate) fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// A finding's help, terminal-safe.
pub(crate) fn help(finding: &Finding) -> Option<Box<dyn fmt::Display + '_>> {
    finding
        .help
        .as_ref()
        .map(|h| Box::new(sanitize(h)) as Box<dyn fmt::Display>)
}

/// A finding's labels for a frame of `text` (the shown text): the primary one at its span,
/// carrying the pointer, then the secondary ones.
pub(crate) fn labels(text: &str, finding: &Finding) -> Vec<LabeledSpan> {
    let pointer = &finding.pointer;
    let primary_text =
        (!pointer.is_empty()).then(|| crate::finding::shorten(&sanitize(pointer), 80).into_owned());
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        primary_text,
        shown_span(text, finding.span),
    )];
    for label in &finding.labels {
        labels.push(LabeledSpan::new_with_span(
            Some(sanitize(&label.message).into_owned()),
            shown_span(text, label.span),
        ));
    }
    labels
}

/// One finding as miette draws it, over a clipped source.
#[cfg(feature = "cli")]
pub(crate) struct Shown<'a> {
    pub(crate) finding: &'a Finding,
    pub(crate) code: &'a Clipped<'a>,
}

#[cfg(feature = "cli")]
impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown")
            .field("finding", self.finding)
            .finish()
    }
}

#[cfg(feature = "cli")]
impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&sanitize(&self.finding.message))
    }
}

#[cfg(feature = "cli")]
impl std::error::Error for Shown<'_> {}

#[cfg(feature = "cli")]
impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.finding.severity))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        help(self.finding)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(labels(self.code.text, self.finding).into_iter()))
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
#[cfg(feature = "cli")]
pub(crate) struct Clipped<'a> {
    pub(crate) source: &'a Source,
    /// The text as it may be shown: secrets masked, byte for byte.
    pub(crate) text: &'a str,
    /// Lines longer than this many bytes are clipped to a window around the span.
    pub(crate) long_line: usize,
}

#[cfg(feature = "cli")]
impl SourceCode for Clipped<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        clip(
            self.source,
            self.text,
            self.long_line,
            span,
            (context_lines_before, context_lines_after),
        )
    }
}

/// An owned source to draw frames from: the shown text (secrets masked, unsafe characters
/// replaced) under the file's name, for reports that outlive the check.
#[derive(Debug)]
pub(crate) struct Frame {
    /// The shown text, as a source of its own (same bytes, same lines).
    source: Source,
    long_line: usize,
}

impl Frame {
    /// The frame of `source`, clipping lines longer than `long_line` bytes.
    pub(crate) fn new(source: &Source, long_line: usize) -> Self {
        Self {
            source: Source::new(source.name(), source.shown_text().into_owned()),
            long_line: long_line.max(NARROWEST),
        }
    }

    /// The shown text.
    pub(crate) fn text(&self) -> &str {
        self.source.text()
    }

    /// The source of the shown text.
    pub(crate) fn source(&self) -> &Source {
        &self.source
    }
}

impl SourceCode for Frame {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        clip(
            &self.source,
            self.source.text(),
            self.long_line,
            span,
            (context_lines_before, context_lines_after),
        )
    }
}

/// The contents of `span` with context lines, clipped around the span where lines are long.
fn clip<'a>(
    source: &'a Source,
    text: &'a str,
    long_line: usize,
    span: &SourceSpan,
    (context_lines_before, context_lines_after): (usize, usize),
) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
    let start = span.offset();
    let end = start + span.len();
    let window = long_line.saturating_sub(LONGEST_LABEL.min(span.len())) / 2;
    if end > text.len() || span.len() > 4 * long_line {
        // Far-apart labels are drawn in separate frames rather than one huge one.
        return Err(MietteError::OutOfBounds);
    }
    let first = source.line_index(start);
    let last = source.line_index(end.saturating_sub(1).max(start));
    let is_long = |line: usize| {
        let (s, e) = source.line_range(line);
        e - s > long_line
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
        sanitize(source.name()).into_owned(),
        &text.as_bytes()[from..to],
        SourceSpan::new(from.into(), to - from),
        low,
        column,
        high - low + 1,
    )))
}
