use crate::rules::{Check, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A body passed to runpod-python that the client rewrites before sending it:
    /// - `Endpoint(...).run(d)` and `.run_sync(d)` send `d` as written only when `d["input"]`
    ///   is truthy; otherwise they send `{"input": d}`. A dict without `input` that holds
    ///   `policy`, `webhook` or `s3Config` sends them to the handler, and a dict with an empty
    ///   `input` is wrapped a second time.
    /// - `AsyncioEndpoint(...).run(d)` always sends `{"input": d}`: a `d` that has `input` reaches
    ///   the handler as `input.input`.
    ///
    /// ## Why it matters
    /// The service never sees the execution policy, webhook or S3 settings the code meant to
    /// send, and the handler receives keys it does not expect. Nothing fails: the job runs
    /// with the defaults. (runpod-python `endpoint/runner.py` since 1.3.3 and
    /// `endpoint/asyncio/asyncio_runner.py`.)
    ///
    /// ## Example
    /// ```json
    /// endpoint.run({"prompt": "a cat", "policy": {"executionTimeout": 600000}})
    /// ```
    ///
    /// ## Fix
    /// Put the handler's parameters in `input` and the request keys beside it:
    /// `endpoint.run({"input": {"prompt": "a cat"}, "policy": {"executionTimeout": 600000}})`.
    /// With `AsyncioEndpoint`, pass the handler's parameters alone.
    META { id: "client-wraps-input", severity: Warning, summary: "a client library wraps the body in `input` before sending it" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Host,
};
