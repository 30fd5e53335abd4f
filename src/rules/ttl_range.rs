use crate::rules::{
    Check, Context, Findings, Rule, declare_rule, range_findings, seconds_in_range,
};
use crate::schema::Shape;

declare_rule! {
    /// ## What it checks
    /// That `policy.ttl` is from 10,000 to 604,800,000 milliseconds (10 seconds to 7 days).
    /// When the value reads as seconds (3600 for an hour), the help says so; a value in range
    /// that reads as seconds (`86400`: a day in seconds, 86 seconds in milliseconds) is a
    /// warning.
    ///
    /// ## Why it matters
    /// `ttl` is the job's whole lifetime, queue time plus run time, in milliseconds. When it
    /// runs out, the job is deleted, even mid-run. A `ttl` written in seconds deletes the job
    /// almost at once; one above 7 days is rejected.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "policy": {"ttl": 3600}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "policy": {"ttl": 3600000}}
    /// ```
    META { id: "ttl-range", severity: Error, summary: "`ttl` is out of range (10 s to 7 days, in ms)",
        also: [(Warning, "for a value in range that reads as seconds (`86400`)")] }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::ShapeAndRequest(from_schema, seconds),
};

const BOUNDS: (u64, u64) = (10_000, 604_800_000);

fn from_schema(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    range_findings(&META, shapes, ctx, BOUNDS, out);
}

fn seconds(ctx: &Context<'_>, out: &mut Findings<'_>) {
    seconds_in_range(&META, ctx, "/policy/ttl", BOUNDS, out);
}
