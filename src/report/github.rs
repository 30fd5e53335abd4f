//! GitHub Actions workflow commands: one annotation per finding.
//!
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`, with GitHub's escaping
//! (`%`, `\r`, `\n` everywhere; also `:` and `,` in properties). GitHub shows at most 10 error
//! and 10 warning annotations per step, so when there are more, [`GithubReporter::step_summary`]
//! gives a Markdown table of every finding for `$GITHUB_STEP_SUMMARY`.

use std::io::{self, Write};

use super::{Counts, Reporter};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// GitHub shows this many annotations of one kind per step.
pub const ANNOTATION_LIMIT: usize = 10;

/// Writes annotations; keeps a table row per finding for the step summary.
#[derive(Debug, Default)]
pub struct GithubReporter {
    rows: Vec<String>,
    counts: Counts,
}

/// Escape a message (`%`, `\r`, `\n`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (as data, plus `:` and `,`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A Markdown table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

impl Reporter for GithubReporter {
    fn not_checked(&mut self, path: &str, reason: &str, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&super::shown_path(path)),
            escape_property("rplint: not checked"),
            escape_data(reason)
        )
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.counts.add(findings);
        let file = super::shown_path(source.name());
        for finding in findings {
            let start = source.position(finding.span.start);
            let end = source.position(finding.span.end);
            let message = match &finding.help {
                Some(help) => format!(
                    "{}\nhelp: {}",
                    super::sanitize(&finding.message),
                    super::sanitize(help)
                ),
                None => super::sanitize(&finding.message).into_owned(),
            };
            writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                command(finding.severity),
                escape_property(&file),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("rplint {}", finding.rule)),
                escape_data(&message)
            )?;
            self.rows.push(format!(
                "| {} | {} | {} | {} | `{}` | {} |",
                cell(&file),
                start.line,
                start.column,
                finding.severity,
                finding.rule,
                cell(&super::sanitize(&finding.message))
            ));
        }
        Ok(())
    }

    fn finish(&mut self, _counts: &Counts, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// The Markdown table of every finding, when GitHub would not show them all as annotations.
    fn step_summary(&self) -> Option<String> {
        let c = self.counts;
        if c.errors <= ANNOTATION_LIMIT
            && c.warnings <= ANNOTATION_LIMIT
            && c.infos <= ANNOTATION_LIMIT
        {
            return None;
        }
        let mut table = format!(
            "### rplint: {} errors, {} warnings, {} info in {} files\n\nGitHub shows only the first {ANNOTATION_LIMIT} annotations of each kind; here is every finding.\n\n| File | Line | Column | Severity | Rule | Message |\n|---|---|---|---|---|---|\n",
            c.errors, c.warnings, c.infos, c.files
        );
        for row in &self.rows {
            table.push_str(row);
            table.push('\n');
        }
        Some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_github() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
