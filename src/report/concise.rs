//! The concise format: one line per finding, for editors' problem matchers and `grep`.
//!
//! `file:line:col: severity[rule]: message`

use std::io::{self, Write};

use super::{Counts, Reporter};
use crate::finding::Finding;
use crate::source::Source;

/// One finding as `file:line:col: severity[rule]: message`, safe for a terminal.
pub fn line(source: &Source, finding: &Finding) -> String {
    let at = source.position(finding.span.start);
    format!(
        "{}:{}:{}: {}[{}]: {}",
        super::sanitize(source.name()),
        at.line,
        at.column,
        finding.severity,
        finding.rule,
        super::sanitize(&finding.message)
    )
}

/// Writes `file:line:col: severity[rule]: message` lines.
#[derive(Debug, Default)]
pub struct ConciseReporter;

impl Reporter for ConciseReporter {
    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for finding in findings {
            writeln!(out, "{}", line(source, finding))?;
        }
        Ok(())
    }

    fn finish(&mut self, _counts: &Counts, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
