//! Findings: what rplint has to say about a document, as plain data.
//!
//! A finding names its place twice: by JSON Pointer (stable, for machines) and by byte span (for
//! code frames). Rules say *where* with a [`Target`]; the pipeline turns targets into spans.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, never a failure.
    Info,
    /// Almost certainly a mistake, or a risk.
    Warning,
    /// The request will fail, lose data, or be rejected.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and column (the column counts Unicode characters) and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in Unicode scalar values from the start of the line.
    pub column: usize,
    /// 0-based byte offset.
    pub offset: usize,
}

/// Where a diagnostic is in the checked text: from `start` up to (not including) `end`.
///
/// Lines and columns are 1-based; columns count Unicode characters, offsets count bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Range {
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id naming the problem.
    pub id: &'static str,
    /// The severity of its findings unless a finding says otherwise.
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The rule's doc comment: What it checks / Why it matters / Example / Fix.
    pub docs: &'static str,
    /// The other severities its findings can have, each with when (`"for a string input"`).
    pub also: &'static [(Severity, &'static str)],
}

impl RuleMeta {
    /// Every severity the rule gives: `error`, or `error; warning when ...`.
    pub fn severities(&self) -> String {
        let mut text = self.severity.to_string();
        for (severity, when) in self.also {
            text.push_str(&format!("; {severity} {when}"));
        }
        text
    }
}

/// The route a request is sent to: it decides the size limit and the top-level shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Route {
    /// `/run`: one request object, at most 10,000,000 bytes.
    #[default]
    Run,
    /// `/runsync`: one request object, at most 20,000,000 bytes.
    Runsync,
    /// The batch route, `POST /v2/{endpoint_id}/batch`: a JSON array of request objects, at
    /// most 10 MiB.
    Batch,
    /// `POST /v2/{endpoint_id}/batch/{batch_id}/requests`: `{"requests": [request, ...]}`
    /// adding to a draft batch, at most 10 MiB.
    BatchRequests,
}

impl Route {
    /// The largest body the route accepts, in bytes.
    pub fn limit_bytes(self) -> usize {
        match self {
            Self::Run => 10_000_000,
            Self::Runsync => 20_000_000,
            Self::Batch | Self::BatchRequests => 10 * 1024 * 1024,
        }
    }

    /// The route's name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Run => "run",
            Self::Runsync => "runsync",
            Self::Batch => "batch",
            Self::BatchRequests => "batch-requests",
        }
    }
}

/// A byte range in the source text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Where in the document a finding points, before spans are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The value at the pointer.
    Value,
    /// The key of the member at the pointer (the last one, where the key repeats).
    Key,
    /// The key of the `n`th (0-based) member with the pointer's key.
    KeyOccurrence(usize),
    /// Something missing *inside* the value at the pointer: the member's key that holds it, or
    /// the opening bracket where there is no key (the root, an array element).
    Inside,
    /// A span already known (syntax errors, encoding).
    At(Span),
}

/// A secondary place shown beside the primary one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The JSON Pointer of the labelled value.
    pub pointer: String,
    /// Which part of it.
    pub target: Target,
    /// The label's text.
    pub message: String,
    /// The resolved span (filled in by the pipeline).
    pub span: Span,
}

/// Whether applying a fix keeps what the user meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// The document means the same afterwards, written as the service reads it (a byte order
    /// mark removed, `"600000"` or `6e5` written as `600000` where an integer is required).
    Safe,
    /// The request changes (a misspelt key renamed, seconds multiplied into milliseconds):
    /// applied only when asked (`--unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`, as the reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One text edit of a fix: the bytes of `span` replaced by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The JSON Pointer of the value the edit changes.
    pub pointer: String,
    /// Which part of it (its key, its value, or bytes given by span).
    pub target: Target,
    /// The new text (UTF-8; empty to delete).
    pub replacement: String,
    /// The resolved byte span (filled in by the pipeline, like a finding's).
    pub span: Span,
}

/// A finding's fix, as data: edits applied together, with their applicability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Whether it keeps the meaning.
    pub applicability: Applicability,
    /// What it does, in the imperative ("write `600000`").
    pub message: String,
    /// The edits, which never overlap.
    pub edits: Vec<Edit>,
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable id, e.g. `unknown-key`.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// One lowercase line saying what is wrong; user values in backticks.
    pub message: String,
    /// The JSON Pointer (RFC 6901) of the value concerned; `""` is the root.
    pub pointer: String,
    /// Which part of the value the primary span covers.
    pub target: Target,
    /// The primary span (filled in by the pipeline from `pointer` and `target`).
    pub span: Span,
    /// Secondary places.
    pub labels: Vec<Label>,
    /// How to fix it, in the imperative.
    pub help: Option<String>,
    /// The fix as edits, where one is certain (one candidate, no value only the user knows).
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding of `rule` at `pointer`, pointing at the value, with the rule's severity.
    pub fn new(
        rule: &'static RuleMeta,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.id,
            severity: rule.severity,
            message: message.into(),
            pointer: pointer.into(),
            target: Target::Value,
            span: Span::default(),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Attach a fix of one edit: the part `target` of the value at `pointer` replaced by
    /// `replacement`.
    #[must_use]
    pub fn fix(
        mut self,
        applicability: Applicability,
        message: impl Into<String>,
        pointer: impl Into<String>,
        target: Target,
        replacement: impl Into<String>,
    ) -> Self {
        self.fix = Some(Fix {
            applicability,
            message: message.into(),
            edits: vec![Edit {
                pointer: pointer.into(),
                target,
                replacement: replacement.into(),
                span: Span::default(),
            }],
        });
        self
    }

    /// Point at another part of the value.
    #[must_use]
    pub fn at(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    /// Change the severity.
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Add help.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Add a secondary label.
    #[must_use]
    pub fn label(
        mut self,
        pointer: impl Into<String>,
        target: Target,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            pointer: pointer.into(),
            target,
            message: message.into(),
            span: Span::default(),
        });
        self
    }
}

/// What is wrong with `pointer` as an RFC 6901 JSON Pointer (`""`, or `/` followed by tokens,
/// with `~` only in `~0` and `~1`), as help; `None` when it is one.
pub fn pointer_problem(pointer: &str) -> Option<String> {
    if let Some(rest) = pointer.strip_prefix('#') {
        return Some(format!(
            "write it without the `#` (that is a URI fragment): `{}`",
            shorten(rest, 60)
        ));
    }
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Some(format!(
            "a JSON Pointer starts with `/` (the root is `\"\"`): `/{}`",
            shorten(pointer, 60)
        ));
    }
    let bad_escape = pointer
        .match_indices('~')
        .any(|(at, _)| !matches!(pointer.as_bytes().get(at + 1), Some(b'0' | b'1')));
    bad_escape.then(|| "in a JSON Pointer `~` is written `~0` and `/` inside a key `~1`".to_owned())
}

/// A user-supplied string as it may appear in a message: at most `max` characters, the middle
/// replaced by `…` (a 10 MB key must not make a 10 MB message).
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return text.into();
    }
    let head: String = text.chars().take(max * 2 / 3).collect();
    let tail: String = text.chars().skip(count - max / 3).collect();
    format!("{head}…{tail}").into()
}

/// Escape one reference token for a JSON Pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The pointer of member `key` inside the value at `parent`.
pub fn child_pointer(parent: &str, key: &str) -> String {
    let token = escape_token(key);
    let mut pointer = String::with_capacity(parent.len() + 1 + token.len());
    pointer.push_str(parent);
    pointer.push('/');
    pointer.push_str(&token);
    pointer
}

/// Split a pointer into its unescaped reference tokens. `""` has none.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    pointer.split('/').skip(1).map(|t| {
        if t.contains('~') {
            t.replace("~1", "/").replace("~0", "~").into()
        } else {
            t.into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shortened() {
        assert_eq!(shorten("short", 10), "short");
        let long = "a".repeat(1000) + "END";
        let shown = shorten(&long, 60);
        assert!(shown.chars().count() <= 61 && shown.ends_with("END") && shown.contains('…'));
    }

    #[test]
    fn pointers_escape_and_split() {
        assert_eq!(child_pointer("", "a/b~c"), "/a~1b~0c");
        let tokens: Vec<_> = pointer_tokens("/a~1b~0c/0").collect();
        assert_eq!(tokens, ["a/b~c", "0"]);
        assert_eq!(pointer_tokens("").count(), 0);
        assert_eq!(pointer_tokens("/").collect::<Vec<_>>(), [""]);
    }
}
