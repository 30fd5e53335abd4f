//! SARIF 2.1.0, as GitHub code scanning reads it.
//!
//! One run; `tool.driver.rules` lists the rules that appear, with their docs; every result has
//! a repository-relative location (1-based lines, columns in Unicode code points, declared by
//! `columnKind`) and a `partialFingerprints` entry that does not depend on line numbers, so a
//! finding keeps its identity when unrelated lines move.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, Reporter};
use crate::finding::{Finding, Severity};
use crate::rules;
use crate::source::Source;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where a rule's documentation lives online.
pub fn help_uri(rule: &str) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{rule}",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Collects results; writes the log at the end.
#[derive(Debug, Default)]
pub struct SarifReporter {
    rules: Vec<&'static str>,
    results: Vec<SarifResult>,
    /// Files and directories that could not be checked.
    notifications: Vec<Notification>,
    /// Results past [`MAX_RESULTS`], counted and left out.
    left_out: usize,
}

/// GitHub code scanning rejects a run with more than 25,000 results; the rest are counted in
/// a notification.
const MAX_RESULTS: usize = 25_000;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: [Run<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    original_uri_base_ids: HashMap<&'static str, ArtifactLocation>,
    invocations: [Invocation<'a>; 1],
    column_kind: &'a str,
    results: &'a [SarifResult],
}

/// Whether the run checked everything, and the files it could not check.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tool_execution_notifications: &'a [Notification],
}

#[derive(Debug, Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<NotificationLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: FileOnly,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Debug, Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'a str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Debug, Serialize)]
struct Text {
    text: String,
}

#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: HashMap<&'static str, String>,
    /// The finding's fix, where it has one (its applicability in the description).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    /// Absent for a deletion.
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Text>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

/// The base of relative artifact locations: the working directory, given as an absolute
/// `file://` URI in the run's `originalUriBaseIds`.
const SRCROOT: &str = "%SRCROOT%";

/// Where a file is, as SARIF wants it: an absolute path as a `file://` URI, a relative one as
/// a relative reference (no leading `/` or `./`) against [`SRCROOT`].
fn artifact(name: &str) -> ArtifactLocation {
    // A backslash separates only on Windows; elsewhere it is part of a name.
    let path = if cfg!(windows) {
        name.replace('\\', "/")
    } else {
        name.to_owned()
    };
    let bytes = path.as_bytes();
    let drive =
        bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", uri(&without_dots(&path))),
            uri_base_id: None,
        }
    } else if drive {
        ArtifactLocation {
            uri: format!("file:///{}:{}", &path[..1], uri(&without_dots(&path[2..]))),
            uri_base_id: None,
        }
    } else {
        let mut relative: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." if relative.last().is_some_and(|s| *s != "..") => {
                    relative.pop();
                }
                other => relative.push(other),
            }
        }
        ArtifactLocation {
            uri: uri(&relative.join("/")),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// An absolute `/`-separated path without `.` and `..` segments (resolved as written: a file
/// URI may not hold them).
fn without_dots(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "." => {}
            ".." => {
                if kept.len() > 1 {
                    kept.pop();
                }
            }
            other => kept.push(other),
        }
    }
    let joined = kept.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// `unknown-key` → `UnknownKey`: the rule's name in the form SARIF expects (it must differ
/// from the id).
fn rule_name(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

/// The region of a span: lines and columns (code points) and bytes.
fn region(source: &Source, span: crate::finding::Span) -> Region {
    let start = source.position(span.start);
    let end = source.position(span.end);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_offset: start.offset,
        byte_length: end.offset - start.offset,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: `/` separators, percent-encoding where URIs need it.
fn uri(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(c),
            _ => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

impl Reporter for SarifReporter {
    fn not_checked(&mut self, path: &str, reason: &str, _out: &mut dyn Write) -> io::Result<()> {
        self.notifications.push(Notification {
            level: "error",
            message: Text {
                text: reason.to_owned(),
            },
            locations: vec![NotificationLocation {
                physical_location: FileOnly {
                    artifact_location: artifact(path),
                },
            }],
        });
        Ok(())
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        let location = artifact(source.name());
        let uri = location.uri.clone();
        let fingerprints = super::fingerprints(&uri, findings);
        for (finding, fingerprint) in findings.iter().zip(fingerprints) {
            if self.results.len() >= MAX_RESULTS {
                self.left_out += 1;
                continue;
            }
            let rule_index = match self.rules.iter().position(|r| *r == finding.rule) {
                Some(i) => i,
                None => {
                    self.rules.push(finding.rule);
                    self.rules.len() - 1
                }
            };
            let start = source.position(finding.span.start);
            let end = source.position(finding.span.end);
            let text = match &finding.help {
                Some(help) => format!("{}\nhelp: {help}", finding.message),
                None => finding.message.clone(),
            };
            self.results.push(SarifResult {
                rule_id: finding.rule,
                rule_index,
                level: level(finding.severity),
                message: Text { text },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: location.clone(),
                        region: Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                            byte_offset: start.offset,
                            byte_length: end.offset - start.offset,
                        },
                    },
                }],
                partial_fingerprints: HashMap::from([("rplintFinding/v1", fingerprint)]),
                fixes: finding
                    .fix
                    .iter()
                    .map(|fix| SarifFix {
                        description: Text {
                            text: format!("{} ({})", fix.message, fix.applicability.as_str()),
                        },
                        artifact_changes: [ArtifactChange {
                            artifact_location: location.clone(),
                            replacements: fix
                                .edits
                                .iter()
                                .map(|edit| Replacement {
                                    deleted_region: region(source, edit.span),
                                    inserted_content: (!edit.replacement.is_empty()).then(|| {
                                        Text {
                                            text: edit.replacement.clone(),
                                        }
                                    }),
                                })
                                .collect(),
                        }],
                    })
                    .collect(),
            });
        }
        Ok(())
    }

    fn finish(&mut self, _counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        if self.left_out > 0 {
            self.notifications.push(Notification {
                level: "warning",
                message: Text {
                    text: format!(
                        "{} more results are left out: GitHub code scanning accepts at most {MAX_RESULTS} per run; the json format lists every one",
                        self.left_out
                    ),
                },
                locations: Vec::new(),
            });
            self.left_out = 0;
        }
        let descriptors = self
            .rules
            .iter()
            .filter_map(|id| rules::get(id))
            .map(|meta| RuleDescriptor {
                id: meta.id,
                name: rule_name(meta.id),
                short_description: Text {
                    text: meta.summary.to_owned(),
                },
                full_description: Text {
                    text: rules::docs_text(meta),
                },
                help: Text {
                    text: format!("{}; see `rplint explain {}`", meta.summary, meta.id),
                },
                help_uri: help_uri(meta.id),
                default_configuration: Configuration {
                    level: level(meta.severity),
                },
            })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "rplint",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: env!("CARGO_PKG_REPOSITORY"),
                        rules: descriptors,
                    },
                },
                original_uri_base_ids: std::env::current_dir()
                    .ok()
                    .and_then(|dir| {
                        let base = artifact(&dir.to_string_lossy());
                        base.uri.starts_with("file://").then(|| {
                            let uri = if base.uri.ends_with('/') {
                                base.uri
                            } else {
                                format!("{}/", base.uri)
                            };
                            (
                                SRCROOT,
                                ArtifactLocation {
                                    uri,
                                    uri_base_id: None,
                                },
                            )
                        })
                    })
                    .into_iter()
                    .collect(),
                invocations: [Invocation {
                    execution_successful: self.notifications.iter().all(|n| n.level != "error"),
                    tool_execution_notifications: &self.notifications,
                }],
                column_kind: "unicodeCodePoints",
                results: &self.results,
            }],
        };
        super::write_json(out, &log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_are_file_uris_or_relative_to_srcroot() {
        let a = artifact("/work/main/../shared/a b.json");
        assert_eq!(
            (a.uri.as_str(), a.uri_base_id),
            ("file:///work/shared/a%20b.json", None)
        );
        let a = artifact("./requests/./x.json");
        assert_eq!(
            (a.uri.as_str(), a.uri_base_id),
            ("requests/x.json", Some(SRCROOT))
        );
        let a = artifact("C:/work/é.json");
        assert_eq!(a.uri, "file:///C:/work/%C3%A9.json");
        if cfg!(windows) {
            assert_eq!(
                artifact("C:\\work\\é.json").uri,
                "file:///C:/work/%C3%A9.json"
            );
        } else {
            assert_eq!(artifact("back\\slash.json").uri, "back%5Cslash.json");
        }
        assert_eq!(artifact("sub/../a.json").uri, "a.json");
        assert_eq!(
            rule_name("ttl-shorter-than-timeout"),
            "TtlShorterThanTimeout"
        );
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("requests/a b.json"), "requests/a%20b.json");
        assert_eq!(uri("dir/é.json"), "dir/%C3%A9.json");
        // Outside Windows a backslash is part of the name (`artifact` turns it into a
        // separator on Windows).
        assert_eq!(uri("dir\\é.json"), "dir%5C%C3%A9.json");
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(super::super::fnv1a(&["a"]), super::super::fnv1a(&["a"]));
        assert_ne!(
            super::super::fnv1a(&["ab", "c"]),
            super::super::fnv1a(&["a", "bc"])
        );
    }
}
