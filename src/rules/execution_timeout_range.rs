use serde_json::Value;

use crate::finding::{Finding, Severity};
use crate::rules::{
    Check, Context, Findings, Rule, declare_rule, range_findings, seconds_in_range,
};
use crate::schema::Shape;

declare_rule! {
    /// ## What it checks
    /// That `policy.executionTimeout` is from 5,000 to 604,800,000 milliseconds (5 seconds to
    /// 7 days). Exactly 5,000 is a warning: older versions of the service require more than
    /// 5 seconds. When the value reads as seconds (600 for 10 minutes), the help says so.
    ///
    /// ## Why it matters
    /// Times are in milliseconds. A timeout written in seconds, such as `600`, is 0.6 seconds:
    /// the service rejects it, or kills the job before the model has loaded.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "policy": {"executionTimeout": 600}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "policy": {"executionTimeout": 600000}}
    /// ```
    META { id: "execution-timeout-range", severity: Error, summary: "`executionTimeout` is out of range (5 s to 7 days, in ms)",
        also: [
            (Warning, "at exactly 5000, which older versions of the service refuse"),
            (Warning, "for a value in range that reads as seconds (`7200`)"),
        ] }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::ShapeAndRequest(from_schema, lower_bound),
};

const POINTER: &str = "/policy/executionTimeout";
const MIN: u64 = 5000;
const MAX: u64 = 604_800_000;

fn from_schema(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    range_findings(&META, shapes, ctx, (MIN, MAX), out);
}

fn lower_bound(ctx: &Context<'_>, out: &mut Findings<'_>) {
    if ctx.get(POINTER).and_then(Value::as_u64) == Some(MIN) {
        out.push(
            Finding::new(
                &META,
                ctx.pointer(POINTER),
                "`executionTimeout` is exactly 5000 ms, the lowest value; older versions of the service require more than 5 seconds",
            )
            .severity(Severity::Warning)
            .help("use a value above 5000, with room for the worker to start: a job that needs 5 s is killed at 5 s"),
        );
    }
    seconds_in_range(&META, ctx, POINTER, (MIN, MAX), out);
}
