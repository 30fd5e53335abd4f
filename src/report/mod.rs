//! Reporters: findings in, bytes out, one format per file. Reporters decide nothing about what
//! is a finding; they compute lines and columns and draw.
//!
//! A run feeds a [`Reporter`] one checked file at a time and then calls [`Reporter::finish`].
//! Streaming formats write as they go; document formats (JSON, SARIF, JUnit) write at the end.

pub mod azure;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;

use std::io::{self, Write};

pub use crate::display::{is_unsafe_char, sanitize};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Code frames for people.
    Human,
    /// One line per finding: `file:line:col: severity[rule]: message`.
    Concise,
    /// The JSON report (`schema/report.schema.json`).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
    /// GitLab's Code Quality report.
    Gitlab,
    /// reviewdog's Diagnostic Format (rdjson).
    Rdjson,
    /// Azure Pipelines logging commands.
    Azure,
}

/// How many findings of each severity, over how many files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Files checked.
    pub files: usize,
    /// Files a walk found that are not RunPod documents (not in `files`).
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

impl Counts {
    /// Count one checked file and its findings into this tally.
    pub fn add(&mut self, findings: &[Finding]) {
        self.files += 1;
        self.add_findings(findings);
    }

    /// Count findings that belong to no checked file (such as the configuration's own).
    pub fn add_findings(&mut self, findings: &[Finding]) {
        for finding in findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.errors + self.warnings + self.infos == 0
    }
}

/// Writes one format.
pub trait Reporter: Sync {
    /// Work for one file that can run on any thread before [`Reporter::file_prepared`], such
    /// as drawing code frames. `None` when the format has nothing to do ahead.
    fn prepare(&self, _source: &Source, _findings: &[Finding]) -> Option<String> {
        None
    }
    /// A file or directory that could not be checked (`path` as given, `reason` in words, both
    /// terminal-safe): machine formats record it, so that a report never looks clean because
    /// a file was left out. The human and concise formats leave it to stderr.
    fn not_checked(&mut self, _path: &str, _reason: &str, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// How long reading and checking the next file took (formats that report times use it).
    fn file_time(&mut self, _elapsed: std::time::Duration) {}
    /// Report one checked file, with what [`Reporter::prepare`] made for it.
    fn file_prepared(
        &mut self,
        source: &Source,
        findings: &[Finding],
        _prepared: Option<String>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.file(source, findings, out)
    }
    /// Report one checked file.
    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> io::Result<()>;
    /// End the report.
    fn finish(&mut self, counts: &Counts, out: &mut dyn Write) -> io::Result<()>;
    /// Markdown for a CI step summary, where the format has one to give.
    fn step_summary(&self) -> Option<String> {
        None
    }
}

/// Several reports of one run: each reporter writes to its own file, or to the run's output
/// (stdout) when it has none. Only the first reporter prepares in parallel (the others draw
/// what they need when the file is reported). A file that fails to be written stops being
/// written, says why in [`Fanout::file_errors`], and the other reports go on.
pub struct Fanout {
    sinks: Vec<Sink>,
}

/// A report file being written, and the first error writing it.
struct FileSink {
    writer: io::BufWriter<std::fs::File>,
    error: Option<io::Error>,
}

/// A reporter and the file it writes to (`None`: the run's output).
type Sink = (Box<dyn Reporter>, Option<FileSink>);

impl std::fmt::Debug for Fanout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fanout({} reporters)", self.sinks.len())
    }
}

impl Fanout {
    /// Reporters with where each writes: `None` for the run's output.
    pub fn new(sinks: Vec<(Box<dyn Reporter>, Option<std::fs::File>)>) -> Self {
        Self {
            sinks: sinks
                .into_iter()
                .map(|(reporter, file)| {
                    (
                        reporter,
                        file.map(|f| FileSink {
                            writer: io::BufWriter::new(f),
                            error: None,
                        }),
                    )
                })
                .collect(),
        }
    }

    /// For each report file that could not be written, its index among the sinks and the
    /// error (taken: a second call gives none).
    pub fn file_errors(&mut self) -> Vec<(usize, io::Error)> {
        self.sinks
            .iter_mut()
            .enumerate()
            .filter_map(|(i, (_, file))| Some((i, file.as_mut()?.error.take()?)))
            .collect()
    }

    /// Run `write` for every sink: on the run's output (whose errors end the run), or on the
    /// sink's file (whose errors stop that file only).
    fn each(
        &mut self,
        out: &mut dyn Write,
        mut write: impl FnMut(usize, &mut dyn Reporter, &mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        for (i, (reporter, file)) in self.sinks.iter_mut().enumerate() {
            match file {
                Some(sink) if sink.error.is_none() => {
                    if let Err(e) = write(i, reporter.as_mut(), &mut sink.writer) {
                        sink.error = Some(e);
                    }
                }
                Some(_) => {}
                None => write(i, reporter.as_mut(), out)?,
            }
        }
        Ok(())
    }
}

impl Reporter for Fanout {
    fn prepare(&self, source: &Source, findings: &[Finding]) -> Option<String> {
        self.sinks.first()?.0.prepare(source, findings)
    }

    fn file_time(&mut self, elapsed: std::time::Duration) {
        for (reporter, _) in &mut self.sinks {
            reporter.file_time(elapsed);
        }
    }

    fn not_checked(&mut self, path: &str, reason: &str, out: &mut dyn Write) -> io::Result<()> {
        self.each(out, |_, reporter, w| reporter.not_checked(path, reason, w))
    }

    fn file_prepared(
        &mut self,
        source: &Source,
        findings: &[Finding],
        mut prepared: Option<String>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.each(out, |_, reporter, w| {
            reporter.file_prepared(source, findings, prepared.take(), w)
        })
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.file_prepared(source, findings, None, out)
    }

    fn finish(&mut self, counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        self.each(out, |_, reporter, w| {
            reporter.finish(counts, w)?;
            w.flush()
        })
    }

    fn step_summary(&self) -> Option<String> {
        self.sinks
            .iter()
            .find_map(|(reporter, _)| reporter.step_summary())
    }
}

/// When warnings fail a run: `--deny-warnings`, or more than `--max-warnings`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FailOn {
    /// Any warning fails the run.
    pub deny_warnings: bool,
    /// More warnings than this fail the run.
    pub max_warnings: Option<usize>,
}

impl FailOn {
    /// Whether `warnings` warnings fail the run.
    pub fn warnings_fail(&self, warnings: usize) -> bool {
        (self.deny_warnings && warnings > 0) || self.max_warnings.is_some_and(|max| warnings > max)
    }
}

/// The reporter for `format`. `style` applies to the human format; `fail_on` says which
/// findings fail the run (JUnit marks exactly those as failures).
pub fn reporter(format: Format, style: human::Style, fail_on: FailOn) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::HumanReporter::new(style)),
        Format::Concise => Box::new(concise::ConciseReporter),
        Format::Json => Box::new(json::JsonReporter::default()),
        Format::Sarif => Box::new(sarif::SarifReporter::default()),
        Format::Github => Box::new(github::GithubReporter::default()),
        Format::Junit => Box::new(junit::JunitReporter::new(fail_on)),
        Format::Gitlab => Box::new(gitlab::GitlabReporter::default()),
        Format::Rdjson => Box::new(rdjson::RdjsonReporter::default()),
        Format::Azure => Box::new(azure::AzureReporter),
    }
}

/// A JSON formatter (pretty, like `serde_json::to_writer_pretty`, two spaces per level) that
/// also escapes the unsafe characters JSON itself allows raw (bidirectional controls, C1,
/// U+2028/9), so a report printed to a terminal cannot reorder or rewrite it. The data is
/// unchanged. `base` levels of indentation are added to every line after the first, for a value
/// written inside a larger document.
#[derive(Debug, Default)]
pub(crate) struct SafeJson {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl SafeJson {
    fn newline<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut width = (self.base + self.depth) * 2;
        writer.write_all(b"\n")?;
        while width > 0 {
            let n = width.min(SPACES.len());
            writer.write_all(&SPACES[..n])?;
            width -= n;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.newline(writer)
    }
}

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Every unsafe character JSON leaves raw is DEL or beyond ASCII.
        if fragment.bytes().all(|b| b < 0x7f) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe_char(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Write `value` as pretty JSON with [`SafeJson`], and a final newline.
pub(crate) fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    write_json_at(&mut *out, value, 0)?;
    out.write_all(b"\n")
}

/// Write `value` as pretty JSON with [`SafeJson`], every line after the first indented by
/// `base` more levels (two spaces each); no final newline.
pub(crate) fn write_json_at<W: Write + ?Sized, T: serde::Serialize>(
    out: &mut W,
    value: &T,
    base: usize,
) -> io::Result<()> {
    let formatter = SafeJson {
        base,
        ..SafeJson::default()
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// FNV-1a, 64 bits: a fingerprint that is the same on every platform and Rust version.
pub(crate) fn fnv1a(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The fingerprint of each finding of one file: FNV-1a of its rule, file, pointer and message,
/// with an occurrence number for findings alike (stable across unrelated edits).
pub(crate) fn fingerprints(file: &str, findings: &[Finding]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let base = fnv1a(&[f.rule, file, &f.pointer, &f.message]);
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            format!("{base}:{count}")
        })
        .collect()
}

/// A file's name as the CI formats write it: relative to the working directory when it is
/// below it (GitLab and reviewdog match paths to the repository's), `.` and `..` resolved as
/// text, `/` separators (a `\\` is a separator on Windows only: elsewhere it is part of the
/// name), terminal-safe. `a.json`, `./a.json` and `sub/../a.json` are one path.
pub(crate) fn shown_path(name: &str) -> String {
    let name = if cfg!(windows) {
        name.replace('\\', "/")
    } else {
        name.to_owned()
    };
    let mut name = name.as_str();
    let relative;
    if name.starts_with('/')
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rest) = std::path::Path::new(name).strip_prefix(&cwd)
        && let Some(rest) = rest.to_str()
    {
        relative = rest.to_owned();
        name = &relative;
    }
    let absolute = name.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    let joined = if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    };
    sanitize(&joined).into_owned()
}

/// Each line of `text` made terminal-safe, the line breaks kept.
pub(crate) fn sanitize_lines(text: &str) -> String {
    text.split('\n')
        .map(|l| sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// "1 error", "2 warnings".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_are_one_per_file_and_keep_the_name() {
        assert_eq!(shown_path("./a.json"), "a.json");
        assert_eq!(shown_path("././sub/../a.json"), "a.json");
        assert_eq!(shown_path("../x/a.json"), "../x/a.json");
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("sub").join("a.json");
        assert_eq!(shown_path(&inside.to_string_lossy()), "sub/a.json");
        if !cfg!(windows) {
            // A backslash is part of a name outside Windows; a control character is escaped,
            // not turned into a separator.
            assert_eq!(shown_path("back\\slash.json"), "back\\slash.json");
            assert_eq!(shown_path("cr\rret.json"), "cr\\u{d}ret.json");
        }
    }
}
