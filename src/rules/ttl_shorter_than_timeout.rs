use serde_json::Value;

use crate::finding::{Finding, Target};
use crate::rules::{Check, Context, Findings, Rule, declare_rule, humanize_ms};

declare_rule! {
    /// ## What it checks
    /// That the job can live as long as it may run: `policy.ttl` must be longer than
    /// `policy.executionTimeout` (it counts queue time too); without a `ttl`, an `executionTimeout` must not exceed the
    /// default `ttl` of 24 hours (86,400,000 ms); without an `executionTimeout`, a `ttl` must
    /// not be below the default timeout of 10 minutes (600,000 ms). Source: RunPod's
    /// docs on execution policies (the defaults: 10 minutes and 24 hours).
    ///
    /// ## Why it matters
    /// `ttl` is the job's whole lifetime, queue time included. When it runs out, the job is
    /// deleted even mid-run, so a long timeout under a short `ttl` never takes effect: the job
    /// disappears first, with its result.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "policy": {"executionTimeout": 7200000, "ttl": 3600000}}
    /// ```
    ///
    /// ## Fix
    /// Give `ttl` room for the queue as well as the run:
    /// ```json
    /// {"input": {}, "policy": {"executionTimeout": 7200000, "ttl": 10800000}}
    /// ```
    META { id: "ttl-shorter-than-timeout", severity: Warning, summary: "the job's `ttl` ends before its `executionTimeout`" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

/// The service's `ttl` when a request sets none.
const DEFAULT_TTL: u64 = 86_400_000;

/// The largest `executionTimeout` and `ttl` (7 days).
const MAX: u64 = 604_800_000;

/// The service's `executionTimeout` when a request sets none (10 minutes).
const DEFAULT_TIMEOUT: u64 = 600_000;

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let ttl = ctx.get("/policy/ttl");
    let Some(timeout) = ctx.get("/policy/executionTimeout").and_then(Value::as_u64) else {
        // Without an `executionTimeout`, the job may run for the default 10 minutes.
        if let Some(ttl) = ttl.and_then(Value::as_u64)
            && ctx.get("/policy/executionTimeout").is_none()
            && (10_000..DEFAULT_TIMEOUT).contains(&ttl)
        {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer("/policy/ttl"),
                    format!(
                        "`ttl` ({}) is shorter than the default `executionTimeout` of 10 minutes: a job that runs long is deleted before it can time out",
                        humanize_ms(ttl)
                    ),
                )
                .help(format!(
                    "set `policy.executionTimeout` below {ttl} too, or make `ttl` at least 600000 (10 minutes) plus the time the job may wait in the queue"
                )),
            );
        }
        return;
    };
    if timeout > MAX {
        // Out of range: `execution-timeout-range` reports it; a ttl to match would be too.
        return;
    }
    let timeout_pointer = ctx.pointer("/policy/executionTimeout");
    match ttl {
        Some(ttl) => {
            let Some(ttl) = ttl.as_u64() else { return };
            if ttl == timeout && ttl < MAX {
                out.push(
                    Finding::new(
                        &META,
                        ctx.pointer("/policy/ttl"),
                        format!(
                            "`ttl` equals `executionTimeout` ({}): a job that waits in the queue at all is deleted before it can time out",
                            humanize_ms(ttl)
                        ),
                    )
                    .label(timeout_pointer, Target::Value, "the job may run this long")
                    .help(format!(
                        "`ttl` counts queue time too: make it longer than {timeout} by the time the job may wait in the queue"
                    )),
                );
            } else if ttl < timeout {
                out.push(
                    Finding::new(
                        &META,
                        ctx.pointer("/policy/ttl"),
                        format!(
                            "`ttl` ({}) is shorter than `executionTimeout` ({}): the job is deleted before it can time out",
                            humanize_ms(ttl),
                            humanize_ms(timeout)
                        ),
                    )
                    .label(timeout_pointer, Target::Value, "the job may run this long")
                    .help(format!(
                        "`ttl` counts queue time too: make it at least {timeout} plus the time the job may wait in the queue"
                    )),
                );
            }
        }
        None if timeout > DEFAULT_TTL => out.push(
            Finding::new(
                &META,
                timeout_pointer,
                format!(
                    "`executionTimeout` ({}) is longer than the default `ttl` of 24 hours: the job is deleted before it can time out",
                    humanize_ms(timeout)
                ),
            )
            .help(format!(
                "set `policy.ttl` too, to at least {timeout} plus the time the job may wait in the queue"
            )),
        ),
        None => {}
    }
}
