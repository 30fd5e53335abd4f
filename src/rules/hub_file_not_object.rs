use crate::finding::{Finding, Target};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule, type_phrase};
use crate::schema::Shape;

declare_rule! {
    /// ## What it checks
    /// That a Hub file (`.runpod/hub.json`, `.runpod/tests.json`) is one JSON object. A tests
    /// file written as a bare array of tests is told to wrap it in `{"tests": [...]}`.
    ///
    /// ## Why it matters
    /// The Hub reads `tests.json` as an object with a `tests` list (and an optional `config`),
    /// and `hub.json` as an object with `title`, `config` and the rest. A bare array, seen in
    /// real repositories, is not read as tests: the release is built with none.
    ///
    /// ## Example
    /// `.runpod/tests.json`:
    /// ```json
    /// [{"name": "smoke", "input": {"prompt": "a cat"}}]
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {"prompt": "a cat"}}]}
    /// ```
    META { id: "hub-file-not-object", severity: Error, summary: "a Hub file's top level is not a JSON object" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    if shapes.is_empty() {
        return;
    }
    let (file, help) = match ctx.kind {
        Kind::HubTests if ctx.request.is_array() => (
            "`tests.json`",
            "wrap the list in an object: `{\"tests\": [...]}`, with the test endpoint's settings in an optional `\"config\": {...}`",
        ),
        Kind::HubTests => (
            "`tests.json`",
            "write the tests as `{\"tests\": [{\"name\": ..., \"input\": {...}}]}`",
        ),
        _ => (
            "`hub.json`",
            "write the listing as an object: `{\"title\": ..., \"description\": ..., \"type\": \"serverless\", \"category\": ..., \"config\": {...}}`",
        ),
    };
    out.push(
        Finding::new(
            &META,
            ctx.pointer(""),
            format!(
                "{file} must be a JSON object, found {}",
                type_phrase(ctx.request)
            ),
        )
        .at(Target::Inside)
        .help(help),
    );
}
