use serde_json::Value;

use crate::finding::Finding;
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule, humanize_ms};

declare_rule! {
    /// ## What it checks
    /// Each test's `timeout` in the Hub's `tests.json`, which is in **milliseconds**: a value
    /// below 1000 (one second) almost certainly means seconds, and the help gives the value in
    /// milliseconds.
    ///
    /// ## Why it matters
    /// A test whose `timeout` is `120` has 120 ms to load a model and answer: it fails, and the
    /// release is reported as broken. Real files hold timeouts from 10000 to 7200000 ms, and
    /// `120` in one official listing.
    ///
    /// ## Example
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {"prompt": "hi"}, "timeout": 120}]}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {"prompt": "hi"}, "timeout": 120000}]}
    /// ```
    META { id: "test-timeout-range", severity: Warning, summary: "a Hub test's `timeout` looks like seconds, not milliseconds" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubTests], check),
};

/// Timeouts below this many milliseconds are read as seconds.
const SECONDS_BELOW: u64 = 1000;

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Array(tests)) = ctx.get("/tests") else {
        return;
    };
    for (i, test) in tests.iter().enumerate() {
        let Some(timeout) = test.get("timeout").and_then(Value::as_u64) else {
            continue;
        };
        if timeout >= SECONDS_BELOW {
            continue;
        }
        let ms = timeout.saturating_mul(1000);
        let help = if timeout == 0 {
            "write the longest the test may run, in milliseconds: `300000` is 5 minutes".to_owned()
        } else {
            format!(
                "the value looks like seconds: did you mean {ms} ({})?",
                humanize_ms(ms)
            )
        };
        out.push(
            Finding::new(
                &META,
                ctx.pointer(&format!("/tests/{i}/timeout")),
                format!("the test's `timeout` is {timeout} ms; it is in milliseconds"),
            )
            .help(help),
        );
    }
}
