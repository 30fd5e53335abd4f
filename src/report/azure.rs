//! Azure Pipelines logging commands: one
//! `##vso[task.logissue type=error;sourcepath=F;linenumber=L;columnnumber=C;code=R]message` per
//! finding, with Azure's escaping (`%AZP25`, `%0D`, `%0A`, and `%3B`, `%5D` in properties).
//! Azure has issues of type `error` and `warning` only: an info is written as a warning whose
//! message starts with `info:`.

use std::io::{self, Write};

use super::{Counts, Reporter};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// Writes one logging command per finding as files are reported.
#[derive(Debug)]
pub struct AzureReporter;

/// Escape a message for a logging command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (as data, plus `;` and `]`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(';', "%3B").replace(']', "%5D")
}

impl Reporter for AzureReporter {
    fn not_checked(&mut self, path: &str, reason: &str, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "##vso[task.logissue type=error;sourcepath={}]{}",
            escape_property(&super::shown_path(path)),
            escape_data(reason)
        )
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let file = super::shown_path(source.name());
        for finding in findings {
            let at = source.position(finding.span.start);
            let (kind, prefix) = match finding.severity {
                Severity::Error => ("error", ""),
                Severity::Warning => ("warning", ""),
                Severity::Info => ("warning", "info: "),
            };
            let mut message = format!("{prefix}{}", super::sanitize(&finding.message));
            if let Some(help) = &finding.help {
                message.push_str(" (help: ");
                message.push_str(&super::sanitize(help));
                message.push(')');
            }
            writeln!(
                out,
                "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}",
                escape_property(&file),
                at.line,
                at.column,
                escape_property(finding.rule),
                escape_data(&message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "rplint: {} checked: {}, {}, {} info",
            super::plural(counts.files, "file"),
            super::plural(counts.errors, "error"),
            super::plural(counts.warnings, "warning"),
            counts.infos
        )
    }
}
