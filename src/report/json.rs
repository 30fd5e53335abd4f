//! The JSON format: a stable contract for machines, described by `schema/report.schema.json`.

use schemars::JsonSchema;
use serde::Serialize;

use crate::finding::{Finding, Severity, Span};
use crate::source::{Position, Source};

/// The whole report of one run.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "rplint JSON report")]
pub struct Report {
    /// The format's version; it changes only when the format breaks compatibility.
    pub version: u32,
    /// Every finding, by file, then by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Files and directories that could not be checked (their findings are unknown).
    pub not_checked: Vec<NotChecked>,
    /// Counts over the whole run.
    pub summary: Summary,
}

/// A file or directory that could not be checked.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NotChecked {
    /// The path as given, or as the walk found it.
    pub path: String,
    /// Why, in words.
    pub reason: String,
}

/// One finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// The file as named on the command line (or by `--stdin-filename`).
    pub file: String,
    /// The rule's id.
    pub rule: String,
    /// How serious the finding is.
    pub severity: SeverityName,
    /// What is wrong.
    pub message: String,
    /// JSON Pointer (RFC 6901) of the value concerned; `""` is the document root.
    pub pointer: String,
    /// Where the finding points.
    pub range: Range,
    /// Secondary places.
    pub labels: Vec<LabelEntry>,
    /// How to fix it.
    pub help: Option<String>,
    /// The fix as edits, where one is certain; `null` otherwise.
    pub fix: Option<FixEntry>,
}

/// A finding's fix: edits applied together (`rplint check --fix` applies the safe ones,
/// `--unsafe-fixes` the others too).
#[derive(Debug, Serialize, JsonSchema)]
pub struct FixEntry {
    /// `safe`: the document means the same afterwards; `unsafe`: the request changes.
    pub applicability: ApplicabilityName,
    /// What it does, in the imperative.
    pub message: String,
    /// The edits, which never overlap.
    pub edits: Vec<EditEntry>,
}

/// Whether a fix keeps the meaning.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApplicabilityName {
    /// The meaning is kept.
    Safe,
    /// The request changes.
    Unsafe,
}

/// One edit: the text of `range` replaced by `replacement`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EditEntry {
    /// The text replaced (an empty range inserts); its offsets are bytes.
    pub range: Range,
    /// The new text (empty to delete).
    pub replacement: String,
}

/// The severity's name.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    /// The request will fail, lose data, or be rejected.
    Error,
    /// Almost certainly a mistake, or a risk.
    Warning,
    /// Worth knowing, never a failure.
    Info,
}

impl From<Severity> for SeverityName {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => Self::Error,
            Severity::Warning => Self::Warning,
            Severity::Info => Self::Info,
        }
    }
}

/// A secondary place.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LabelEntry {
    /// What the place is.
    pub message: String,
    /// Where it is.
    pub range: Range,
}

/// A range of the source text.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Range {
    /// The first character.
    pub start: Location,
    /// Just past the last character.
    pub end: Location,
}

/// A place in the source text.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Location {
    /// 1-based line.
    #[schemars(range(min = 1))]
    pub line: usize,
    /// 1-based column, counted in Unicode characters.
    #[schemars(range(min = 1))]
    pub column: usize,
    /// 0-based byte offset.
    pub offset: usize,
}

/// Counts over the whole run.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Files a directory walk found that are not RunPod documents, and were not checked.
    pub skipped: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Files and directories that could not be checked.
    pub not_checked: usize,
}

impl From<Position> for Location {
    fn from(p: Position) -> Self {
        Self {
            line: p.line,
            column: p.column,
            offset: p.offset,
        }
    }
}

fn range(source: &Source, span: Span) -> Range {
    Range {
        start: source.position(span.start).into(),
        end: source.position(span.end).into(),
    }
}

/// The report entries for one source's findings.
pub fn diagnostics(source: &Source, findings: &[Finding]) -> Vec<Diagnostic> {
    findings
        .iter()
        .map(|f| Diagnostic {
            file: source.name().to_owned(),
            rule: f.rule.to_owned(),
            severity: f.severity.into(),
            message: f.message.clone(),
            pointer: f.pointer.clone(),
            range: range(source, f.span),
            labels: f
                .labels
                .iter()
                .map(|l| LabelEntry {
                    message: l.message.clone(),
                    range: range(source, l.span),
                })
                .collect(),
            help: f.help.clone(),
            fix: f.fix.as_ref().map(|fix| FixEntry {
                applicability: match fix.applicability {
                    crate::finding::Applicability::Safe => ApplicabilityName::Safe,
                    crate::finding::Applicability::Unsafe => ApplicabilityName::Unsafe,
                },
                message: fix.message.clone(),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| EditEntry {
                        range: range(source, e.span),
                        replacement: e.replacement.clone(),
                    })
                    .collect(),
            }),
        })
        .collect()
}

/// The report format's JSON Schema as the types generate it, with a final newline.
/// `schema/report.schema.json` must equal this.
pub fn generate_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Report>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON format as a [`super::Reporter`]: the report is written as files are checked, so
/// memory does not grow with the number of findings or files.
#[derive(Debug, Default)]
pub struct JsonReporter {
    /// Diagnostics written so far.
    written: usize,
    /// What could not be checked, written at the end.
    not_checked: Vec<NotChecked>,
}

const HEAD: &[u8] = b"{\n  \"version\": 1,\n  \"diagnostics\": [";

/// One file's diagnostics as report entries, each indented for the `diagnostics` array and
/// separated by commas.
fn entries(source: &Source, findings: &[Finding]) -> std::io::Result<Vec<u8>> {
    let mut chunk = Vec::new();
    for (i, diagnostic) in diagnostics(source, findings).iter().enumerate() {
        if i > 0 {
            chunk.extend_from_slice(b",\n    ");
        }
        super::write_json_at(&mut chunk, diagnostic, 2)?;
    }
    Ok(chunk)
}

impl JsonReporter {
    fn write_entries(
        &mut self,
        count: usize,
        chunk: &[u8],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        if count == 0 {
            return Ok(());
        }
        if self.written == 0 {
            out.write_all(HEAD)?;
            out.write_all(b"\n    ")?;
        } else {
            out.write_all(b",\n    ")?;
        }
        out.write_all(chunk)?;
        self.written += count;
        Ok(())
    }
}

impl super::Reporter for JsonReporter {
    fn not_checked(
        &mut self,
        path: &str,
        reason: &str,
        _out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.not_checked.push(NotChecked {
            path: path.to_owned(),
            reason: reason.to_owned(),
        });
        Ok(())
    }

    /// The entries are serialized on the checking threads; only their bytes are written in
    /// order.
    fn prepare(&self, source: &Source, findings: &[Finding]) -> Option<String> {
        if findings.is_empty() {
            return None;
        }
        String::from_utf8(entries(source, findings).ok()?).ok()
    }

    fn file_prepared(
        &mut self,
        source: &Source,
        findings: &[Finding],
        prepared: Option<String>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match prepared {
            Some(chunk) => self.write_entries(findings.len(), chunk.as_bytes(), out),
            None => self.file(source, findings, out),
        }
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let chunk = entries(source, findings)?;
        self.write_entries(findings.len(), &chunk, out)
    }

    fn finish(
        &mut self,
        counts: &super::Counts,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        if self.written == 0 {
            out.write_all(HEAD)?;
            out.write_all(b"],\n")?;
        } else {
            out.write_all(b"\n  ],\n")?;
        }
        let summary = Summary {
            files: counts.files,
            skipped: counts.skipped,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            not_checked: counts.not_checked,
        };
        out.write_all(b"  \"not_checked\": ")?;
        super::write_json_at(&mut *out, &self.not_checked, 1)?;
        out.write_all(b",\n  \"summary\": ")?;
        super::write_json_at(&mut *out, &summary, 1)?;
        out.write_all(b"\n}\n")
    }
}
