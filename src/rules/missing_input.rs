use crate::finding::{Finding, Target};
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
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

/// A request without `input` whose top level holds a `requests` array: a batch body sent to
/// the wrong route (`missing-input` explains it; `unknown-key` leaves its keys alone).
pub(crate) fn is_batch_body(ctx: &Context<'_>) -> bool {
    ctx.base.is_empty()
        && ctx.get("/input").is_none()
        && ctx
            .get("/requests")
            .is_some_and(serde_json::Value::is_array)
}

/// A top-level key that is `input` misspelt (`Input`, `inputs`, `in_put`).
fn near_input<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    ctx.request
        .as_object()?
        .keys()
        .find(|k| crate::suggest::closest(k, ["input"]).is_some())
        .map(String::as_str)
}

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    for shape in shapes {
        if let ShapeKind::Missing(key) = &shape.kind {
            let help = if is_batch_body(ctx) {
                if ctx.get("/name").is_some() {
                    "this is the retired batch-create body `{\"name\": ..., \"requests\": [...]}`: post the array of requests to `/batch` (`--route batch`), or add them to a draft batch with `{\"requests\": [...]}` (`--route batch-requests`); a `/run` request is `{\"input\": {...}}`"
                } else {
                    "this is the body that adds requests to a draft batch: check it for that route (`--route batch-requests`); a `/run` request is `{\"input\": {...}}`"
                }
            } else if let Some(near) = near_input(ctx) {
                // `Input`, `inputs`: `unknown-key` says it too; here is the fix for the error.
                return out.push(
                    Finding::new(
                        &META,
                        ctx.pointer(&shape.pointer),
                        format!("the request has no `{key}`"),
                    )
                    .at(Target::Inside)
                    .help(format!(
                        "rename `{}` to `input`; the service rejects a request without it",
                        crate::finding::shorten(near, 40)
                    )),
                );
            } else {
                "add `\"input\": {...}` holding the worker's parameters; the service rejects a request without it"
            };
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(&shape.pointer),
                    if is_batch_body(ctx) {
                        "the body has `requests` and no `input`: it is a batch body, not a request"
                            .to_owned()
                    } else {
                        format!("the request has no `{key}`")
                    },
                )
                .at(Target::Inside)
                .help(help),
            );
        }
    }
}
