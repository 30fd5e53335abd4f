use crate::finding::{Finding, Target};
use crate::rules::{Check, Context, Rule, declare_rule};
use crate::schema::{Shape, ShapeKind};

declare_rule! {
    /// ## What it checks
    /// That the request has a top-level `input` key.
    ///
    /// ## Why it matters
    /// `input` carries the worker handler's parameters (`job["input"]`). The service rejects a
    /// request without it; a handler that is sent none has nothing to work on.
    ///
    /// ## Example
    /// ```json
    /// {"prompt": "a cat", "policy": {"ttl": 60000}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {"prompt": "a cat"}, "policy": {"ttl": 60000}}
    /// ```
    META { id: "missing-input", severity: Error, summary: "the request has no `input`" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for shape in shapes {
        if let ShapeKind::Missing(key) = &shape.kind {
            let help = if ctx.base.is_empty() && ctx.get("/requests").is_some_and(|r| r.is_array())
            {
                "this is the body that adds requests to a draft batch: check it for that route (`--route batch-requests`); a `/run` request is `{\"input\": {...}}`"
            } else {
                "add `\"input\": {...}` holding the worker's parameters; the service rejects a request without it"
            };
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(&shape.pointer),
                    format!("the request has no `{key}`"),
                )
                .at(Target::Inside)
                .help(help),
            );
        }
    }
}
