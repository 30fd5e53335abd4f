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

/// GitHub drops a step summary larger than 1 MiB whole; rows stop before that.
const SUMMARY_BYTES: usize = 1000 * 1024;

/// Writes annotations; keeps a table row per finding for the step summary (as many as the
/// summary's limit holds).
#[derive(Debug, Default)]
pub struct GithubReporter {
    rows: Vec<String>,
    /// The bytes the rows take.
    row_bytes: usize,
    /// Findings (and files not checked) past the summary's limit.
    left_out: usize,
    /// Files that could not be read.
    not_checked: usize,
    counts: Counts,
}

impl GithubReporter {
    fn row(&mut self, row: String) {
        if self.row_bytes + row.len() + 1 > SUMMARY_BYTES {
            self.left_out += 1;
            return;
        }
        self.row_bytes += row.len() + 1;
        self.rows.push(row);
    }
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

/// A Markdown table cell: one line, and nothing in it read as Markdown or HTML (a key named
/// `<img src=x onerror=...>` or `[a](http://e)` is shown as written).
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\r' | '\n' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push_str("&#96;"),
            '[' | ']' | '*' | '_' | '\\' | '!' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

impl Reporter for GithubReporter {
    fn not_checked(&mut self, path: &str, reason: &str, out: &mut dyn Write) -> io::Result<()> {
        self.not_checked += 1;
        self.row(format!(
            "| {} | | | error | not checked | {} |",
            cell(&super::shown_path(path)),
            cell(reason)
        ));
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
            self.row(format!(
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
        if c.errors + self.not_checked <= ANNOTATION_LIMIT
            && c.warnings <= ANNOTATION_LIMIT
            && c.infos <= ANNOTATION_LIMIT
        {
            return None;
        }
        let unread = if self.not_checked == 0 {
            String::new()
        } else {
            format!(", {} not checked", super::plural(self.not_checked, "file"))
        };
        let mut table = format!(
            "### rplint: {} errors, {} warnings, {} info in {}{unread}\n\nGitHub shows only the first {ANNOTATION_LIMIT} annotations of each kind; here is every finding.\n\n| File | Line | Column | Severity | Rule | Message |\n|---|---|---|---|---|---|\n",
            c.errors,
            c.warnings,
            c.infos,
            super::plural(c.files, "file")
        );
        for row in &self.rows {
            table.push_str(row);
            table.push('\n');
        }
        if self.left_out > 0 {
            table.push_str(&format!(
                "\n{} more are not listed: GitHub drops a step summary over 1 MiB. The other formats (`--output-format json=rplint.json`) list every one.\n",
                self.left_out
            ));
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

    #[test]
    fn summary_cells_are_shown_as_written() {
        assert_eq!(
            cell("k|x<img src=x onerror=a>[a](http://e)`"),
            "k\\|x&lt;img src=x onerror=a&gt;\\[a\\](http://e)&#96;"
        );
    }

    #[test]
    fn the_summary_stays_under_githubs_limit() {
        let mut reporter = GithubReporter::default();
        for i in 0..20_000 {
            reporter.row(format!(
                "| file-{i}.json | 1 | 1 | error | `x` | {} |",
                "m".repeat(80)
            ));
        }
        reporter.counts.errors = 20_000;
        let summary = reporter.step_summary().unwrap();
        assert!(summary.len() < 1024 * 1024, "{}", summary.len());
        assert!(summary.contains("more are not listed"));
    }
}
