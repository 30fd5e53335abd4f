//! JUnit XML: one test suite per run, one test case per checked file, one failure per finding.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Counts, Reporter};
use crate::finding::Finding;
use crate::source::Source;

/// Collects test cases; writes the XML at the end.
#[derive(Debug, Default)]
pub struct JunitReporter {
    cases: Vec<Case>,
}

#[derive(Debug)]
struct Case {
    file: String,
    failures: Vec<Failure>,
}

#[derive(Debug)]
struct Failure {
    rule: &'static str,
    message: String,
    body: String,
}

/// Escape text for XML 1.0: markup characters as entities, and characters XML cannot hold
/// (most control characters) written as `\u{..}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Sanitize each line, keeping the line breaks.
fn sanitize_lines(text: &str) -> String {
    text.split('\n')
        .map(|l| super::sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Reporter for JunitReporter {
    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        let failures = findings
            .iter()
            .map(|f| {
                let at = source.position(f.span.start);
                let mut body = format!(
                    "{}:{}:{}: {}[{}]: {}\npointer: {}",
                    source.name(),
                    at.line,
                    at.column,
                    f.severity,
                    f.rule,
                    f.message,
                    if f.pointer.is_empty() {
                        "(root)"
                    } else {
                        &f.pointer
                    }
                );
                if let Some(help) = &f.help {
                    body.push_str("\nhelp: ");
                    body.push_str(help);
                }
                Failure {
                    rule: f.rule,
                    message: format!("{}: {}", f.severity, f.message),
                    body,
                }
            })
            .collect();
        self.cases.push(Case {
            file: source.name().to_owned(),
            failures,
        });
        Ok(())
    }

    fn finish(&mut self, _counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        let tests = self.cases.len();
        let failures = self.cases.iter().filter(|c| !c.failures.is_empty()).count();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites name=\"rplint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
        );
        let _ = writeln!(
            xml,
            "  <testsuite name=\"rplint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
        );
        for case in &self.cases {
            let name = escape(&super::sanitize(&case.file));
            if case.failures.is_empty() {
                let _ = writeln!(
                    xml,
                    "    <testcase name=\"{name}\" classname=\"rplint\" file=\"{name}\"/>"
                );
                continue;
            }
            let _ = writeln!(
                xml,
                "    <testcase name=\"{name}\" classname=\"rplint\" file=\"{name}\">"
            );
            for failure in &case.failures {
                let _ = writeln!(
                    xml,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    failure.rule,
                    escape(&super::sanitize(&failure.message)),
                    escape(&sanitize_lines(&failure.body))
                );
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n</testsuites>\n");
        out.write_all(xml.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;\\u{1}");
    }
}
