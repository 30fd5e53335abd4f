//! GitLab's Code Quality report: a JSON array of issues, each with a description, the check's
//! name (the rule), a fingerprint, a severity and the file's path with the first line.
//!
//! Severities: error → `major`, warning → `minor`, info → `info`. Paths are as rplint names the
//! files (run it from the repository's root, as GitLab expects paths relative to it).

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, Reporter};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// Collects issues; writes the array at the end.
#[derive(Debug, Default)]
pub struct GitlabReporter {
    issues: Vec<Issue>,
}

#[derive(Debug, Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Debug, Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Debug, Serialize)]
struct Lines {
    begin: usize,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

impl Reporter for GitlabReporter {
    fn not_checked(&mut self, path: &str, reason: &str, _out: &mut dyn Write) -> io::Result<()> {
        let path = super::shown_path(path);
        self.issues.push(Issue {
            kind: "issue",
            description: reason.to_owned(),
            check_name: "not-checked",
            fingerprint: super::fnv1a(&["not-checked", &path]),
            severity: "critical",
            location: Location {
                path,
                lines: Lines { begin: 1 },
            },
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
        let fingerprints = super::fingerprints(&path, findings);
        for (finding, fingerprint) in findings.iter().zip(fingerprints) {
            let description = match &finding.help {
                Some(help) => format!("{} (help: {help})", finding.message),
                None => finding.message.clone(),
            };
            self.issues.push(Issue {
                kind: "issue",
                description: super::sanitize(&description).into_owned(),
                check_name: finding.rule,
                fingerprint,
                severity: severity(finding.severity),
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: source.position(finding.span.start).line,
                    },
                },
            });
        }
        Ok(())
    }

    fn finish(&mut self, _counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        super::write_json(out, &self.issues)
    }
}
