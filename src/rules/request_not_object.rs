use serde_json::Value;

use crate::config::Route;
use crate::finding::{Finding, Target};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule, type_phrase};
use crate::schema::Shape;

declare_rule! {
    /// ## What it checks
    /// That the document's top level is one JSON object; on the batch route, that it is an
    /// array whose every element is a request object (`[]`, an empty draft batch, is valid).
    ///
    /// ## Why it matters
    /// The `/run` and `/runsync` routes take exactly one request object; anything else is
    /// rejected before a worker sees it. An array of requests is not a batch on these routes;
    /// the batch route (`--route batch`) takes an array.
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
    check: Check::ShapeAndKind(&[Kind::Batch], check, batch_check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    if shapes.is_empty() {
        return;
    }
    if ctx.kind == Kind::BatchRequests {
        let found = match ctx.request.get("requests") {
            Some(requests) if ctx.request.is_object() => {
                format!("`requests` is {}", type_phrase(requests))
            }
            _ => format!("found {}", type_phrase(ctx.request)),
        };
        let help = if ctx.request.is_array() {
            "an array of requests creates a batch: check it for the batch route (`--route batch`)"
        } else {
            "write the requests to add as `{\"requests\": [{\"input\": {...}}, ...]}`"
        };
        out.push(
            Finding::new(
                &META,
                ctx.pointer(""),
                format!("the batch-requests route takes `{{\"requests\": [...]}}`; {found}"),
            )
            .at(Target::Inside)
            .help(help),
        );
        return;
    }
    let found = type_phrase(ctx.request);
    let help = if ctx.request.is_array() && ctx.route != Route::Batch {
        "to send several requests at once, check them for the batch route (`--route batch`); otherwise send each request as its own object: `{\"input\": {...}}`"
    } else {
        "wrap the worker's parameters in a request object: `{\"input\": {...}}`"
    };
    out.push(
        Finding::new(
            &META,
            ctx.pointer(""),
            format!("a request must be a JSON object, found {found}"),
        )
        .at(if ctx.request.is_array() {
            Target::Inside
        } else {
            Target::Value
        })
        .help(help),
    );
}

/// On the batch route: a document that is not an array.
fn batch_check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    out.extend(batch_shape_finding(ctx.request));
}

fn batch_shape_finding(batch: &Value) -> Option<Finding> {
    let message = match batch {
        // `[]` is valid: it creates an empty draft batch.
        Value::Array(_) => return None,
        Value::Object(o) if o.get("requests").is_some_and(Value::is_array) => {
            return Some(
                Finding::new(&META, "", "the batch route takes a JSON array of requests, found `{\"requests\": [...]}`")
                    .at(Target::Inside)
                    .help("`{\"requests\": [...]}` adds requests to a draft batch: check it for that route (`--route batch-requests`), or post the array itself to `/batch`"),
            );
        }
        other => format!(
            "the batch route takes a JSON array of requests, found {}",
            type_phrase(other)
        ),
    };
    Some(
        Finding::new(&META, "", message)
            .at(Target::Inside)
            .help("write the requests as an array: `[{\"input\": {...}}, {\"input\": {...}}]`, or check a single request with `--route run`"),
    )
}
