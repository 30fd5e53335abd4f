use serde_json::Value;

use crate::finding::Finding;
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Hub `tests.json` whose `tests` list is empty.
    ///
    /// ## Why it matters
    /// The Hub tests each release by running these tests; with none, a release that cannot
    /// start is published as working. (Official repositories that mean to skip the tests
    /// rename the file instead; an undocumented `"skipTests": true` has no known effect.)
    ///
    /// ## Example
    /// ```json
    /// {"tests": []}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {"prompt": "hello"}, "timeout": 300000}]}
    /// ```
    META { id: "hub-tests-empty", severity: Warning, summary: "a Hub `tests.json` has no tests" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubTests], check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    if let Some(Value::Array(tests)) = ctx.get("/tests")
        && tests.is_empty()
    {
        out.push(
            Finding::new(&META, ctx.pointer("/tests"), "`tests` is empty: the Hub tests nothing")
                .help("add at least one test that starts the worker: `{\"name\": \"smoke\", \"input\": {...}, \"timeout\": 300000}`"),
        );
    }
}
