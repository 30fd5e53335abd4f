use serde_json::Value;

use crate::finding::{Finding, Target};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A test's `input` in the Hub's `tests.json` (or the test runner's `.github/tests.json`)
    /// that holds a whole request instead of the job input: its only key is `input`, or it
    /// carries `webhook`, `policy` or `s3Config`.
    ///
    /// ## Why it matters
    /// The test's `input` is sent as the request's `input`: a whole request inside it arrives
    /// at the handler as `job["input"]["input"]`, so the handler finds none of its parameters,
    /// and the `policy` or `webhook` inside it is never applied.
    ///
    /// ## Example
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {"input": {"prompt": "hi"}}}]}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {"prompt": "hi"}}]}
    /// ```
    META { id: "test-input-wrapped", severity: Warning, summary: "a test's `input` holds a whole request" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubTests, Kind::LegacyTests], check),
};

/// Request keys that do not belong in a job input.
const REQUEST_KEYS: &[&str] = &["webhook", "policy", "s3Config"];

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let (tests, base) = match (ctx.kind, ctx.request) {
        (Kind::LegacyTests, Value::Array(tests)) => (tests, ""),
        (_, value) => match value.get("tests") {
            Some(Value::Array(tests)) => (tests, "/tests"),
            _ => return,
        },
    };
    for (i, test) in tests.iter().enumerate() {
        let Some(Value::Object(input)) = test.get("input") else {
            continue;
        };
        let pointer = format!("{base}/{i}/input");
        let only_input = input.len() == 1 && input.contains_key("input");
        let carried: Vec<&str> = REQUEST_KEYS
            .iter()
            .copied()
            .filter(|k| input.contains_key(*k))
            .collect();
        if !only_input && carried.is_empty() {
            continue;
        }
        let (message, help) = if only_input {
            (
                "the test's `input` wraps another `input`: the handler gets `job[\"input\"][\"input\"]`".to_owned(),
                "move the inner object up: the test's `input` is the job input itself".to_owned(),
            )
        } else {
            (
                format!(
                    "the test's `input` carries {}: the handler gets {} as {}",
                    carried
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if carried.len() == 1 { "it" } else { "them" },
                    if carried.len() == 1 { "a parameter" } else { "parameters" }
                ),
                "a test sends only a job input; a test cannot set a webhook, policy or `s3Config`: remove them".to_owned(),
            )
        };
        out.push(
            Finding::new(&META, ctx.pointer(&pointer), message)
                .at(Target::Key)
                .help(help),
        );
    }
}
