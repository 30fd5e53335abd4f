//! JUnit XML, written with `quick-junit`: one test suite per run; one test case per finding
//! (class name: the file; name: the rule at line:column) and one passing test case for a file
//! without findings. Errors are failures; warnings fail only when the run fails on them
//! (`--deny-warnings`, `--max-warnings`), and otherwise pass with their text as the case's
//! output, like infos.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Counts, FailOn, Reporter};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// Collects test cases; writes the XML at the end, when it is known whether warnings fail.
#[derive(Debug)]
pub struct JunitReporter {
    cases: Vec<Case>,
    fail_on: FailOn,
    started: Instant,
    /// How long the next file took to read and check.
    next_time: Duration,
}

#[derive(Debug)]
struct Case {
    file: String,
    finding: Option<Entry>,
    /// Why the file could not be checked (a test case in error).
    not_checked: Option<String>,
    /// The file's time on its first case, zero on the others: a file's cases add up to it.
    time: Duration,
}

/// Times are written in milliseconds (three decimals): a file's time is at least that, so that
/// no file reads as taking no time (consumers divide by the times of a file's cases).
const RESOLUTION: Duration = Duration::from_millis(1);

#[derive(Debug)]
struct Entry {
    severity: Severity,
    rule: &'static str,
    name: String,
    message: String,
    body: String,
}

impl JunitReporter {
    /// A reporter whose warnings fail as `fail_on` says.
    pub fn new(fail_on: FailOn) -> Self {
        Self {
            cases: Vec::new(),
            fail_on,
            started: Instant::now(),
            next_time: Duration::ZERO,
        }
    }
}

impl Reporter for JunitReporter {
    fn not_checked(&mut self, path: &str, reason: &str, _out: &mut dyn Write) -> io::Result<()> {
        self.cases.push(Case {
            file: path.to_owned(),
            finding: None,
            not_checked: Some(reason.to_owned()),
            time: RESOLUTION,
        });
        Ok(())
    }

    fn file_time(&mut self, elapsed: Duration) {
        self.next_time = elapsed;
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        let file = super::sanitize(source.name()).into_owned();
        let mut time = std::mem::take(&mut self.next_time).max(RESOLUTION);
        if findings.is_empty() {
            self.cases.push(Case {
                file,
                finding: None,
                not_checked: None,
                time,
            });
            return Ok(());
        }
        for f in findings {
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
                    "\"\" (the root)"
                } else {
                    &f.pointer
                }
            );
            if let Some(help) = &f.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            self.cases.push(Case {
                file: file.clone(),
                not_checked: None,
                time: std::mem::take(&mut time),
                finding: Some(Entry {
                    severity: f.severity,
                    rule: f.rule,
                    name: format!("{} at {}:{}", f.rule, at.line, at.column),
                    message: super::sanitize_lines(&f.message),
                    body: super::sanitize_lines(&body),
                }),
            });
        }
        Ok(())
    }

    fn finish(&mut self, counts: &Counts, out: &mut dyn Write) -> io::Result<()> {
        let warnings_fail = self.fail_on.warnings_fail(counts.warnings);
        let mut suite = TestSuite::new("rplint");
        for case in &self.cases {
            if let Some(reason) = &case.not_checked {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(reason.as_str()).set_type("not-checked");
                let mut test = TestCase::new("not checked", status);
                test.set_classname(case.file.as_str()).set_time(case.time);
                suite.add_test_case(test);
                continue;
            }
            let Some(entry) = &case.finding else {
                let mut test = TestCase::new("no findings", TestCaseStatus::success());
                test.set_classname(case.file.as_str()).set_time(case.time);
                suite.add_test_case(test);
                continue;
            };
            let fails = match entry.severity {
                Severity::Error => true,
                Severity::Warning => warnings_fail,
                Severity::Info => false,
            };
            let mut test = if fails {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_message(format!("{}: {}", entry.severity, entry.message))
                    .set_type(entry.rule)
                    .set_description(entry.body.as_str());
                TestCase::new(entry.name.as_str(), status)
            } else {
                let mut test = TestCase::new(entry.name.as_str(), TestCaseStatus::success());
                test.set_system_out(entry.body.as_str());
                test
            };
            test.set_classname(case.file.as_str()).set_time(case.time);
            suite.add_test_case(test);
        }
        let elapsed = self.started.elapsed();
        suite.set_time(elapsed);
        let mut report = Report::new("rplint");
        report.set_time(elapsed).add_test_suite(suite);
        let xml = report.to_string().map_err(io::Error::other)?;
        out.write_all(xml.as_bytes())?;
        if !xml.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}
