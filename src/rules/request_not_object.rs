use crate::finding::{Finding, Target};
use crate::rules::{Check, Context, Rule, declare_rule, type_phrase};
use crate::schema::Shape;

declare_rule! {
    /// ## What it checks
    /// That the document's top level is one JSON object.
    ///
    /// ## Why it matters
    /// The `/run` and `/runsync` routes take exactly one request object; anything else is
    /// rejected before a worker sees it. An array of requests is not a batch on these routes.
    ///
    /// ## Example
    /// ```json
    /// [{"input": {"prompt": "a cat"}}, {"input": {"prompt": "a dog"}}]
    /// ```
    ///
    /// ## Fix
    /// Send one object per request:
    /// ```json
    /// {"input": {"prompt": "a cat"}}
    /// ```
    META { id: "request-not-object", severity: Error, summary: "the top level is not a JSON object" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Vec<Finding>) {
    if shapes.is_empty() {
        return;
    }
    let found = type_phrase(ctx.request);
    let help = if ctx.request.is_array() {
        "send each request as its own object: `{\"input\": {...}}`"
    } else {
        "wrap the worker's parameters in a request object: `{\"input\": {...}}`"
    };
    out.push(
        Finding::new(
            &META,
            ctx.pointer(""),
            format!("a request must be a JSON object, found {found}"),
        )
        .at(Target::Inside)
        .help(help),
    );
}
