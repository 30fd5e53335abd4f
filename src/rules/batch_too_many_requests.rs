use serde_json::Value;

use crate::finding::{Finding, Target};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That a batch body holds at most 5,000 requests: the array of `POST .../batch`, or the
    /// `requests` of `POST .../batch/{batch_id}/requests` (the batch jobs docs, beta).
    ///
    /// ## Why it matters
    /// A batch holds at most 5,000 requests; the service refuses more.
    ///
    /// ## Example
    /// A batch body of 6,000 requests:
    /// ```json
    /// [{"input": {"n": 1}}, {"input": {"n": 2}}, "... 5,998 more"]
    /// ```
    ///
    /// ## Fix
    /// Split it: create the batch with the first 5,000 and create a second batch for the rest.
    /// ```json
    /// [{"input": {"n": 1}}, {"input": {"n": 2}}, "... 4,998 more"]
    /// ```
    META { id: "batch-too-many-requests", severity: Error, summary: "a batch holds more than 5,000 requests" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::Batch, Kind::BatchRequests], check),
};

/// The most requests a batch holds.
const MAX: usize = 5000;

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let (requests, pointer) = match ctx.request {
        Value::Array(requests) => (requests, ""),
        value => match value.get("requests") {
            Some(Value::Array(requests)) => (requests, "/requests"),
            _ => return,
        },
    };
    if requests.len() > MAX {
        out.push(
            Finding::new(
                &META,
                ctx.pointer(pointer),
                format!(
                    "the batch holds {} requests; a batch takes at most 5,000",
                    super::group_digits(requests.len())
                ),
            )
            .at(Target::Inside)
            .help("split the requests into batches of at most 5,000"),
        );
    }
}
