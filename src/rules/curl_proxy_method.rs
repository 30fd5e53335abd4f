use crate::rules::{Check, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A `curl` command (in a shell script or a shell fence in Markdown) that writes a method
    /// after lower-case `-x`: `curl -x POST https://api.runpod.ai/v2/ID/runsync ...`.
    ///
    /// ## Why it matters
    /// Lower-case `-x` is curl's `--proxy`: the command asks curl to connect through a proxy
    /// host named `POST`, and fails with "Could not resolve proxy: POST" before the request is
    /// sent (curl's manual, `-x, --proxy`). The method option is upper-case `-X`. RunPod's own
    /// docs have carried this mistake in a copy-paste example.
    ///
    /// ## Example
    /// ```sh
    /// curl -x POST https://api.runpod.ai/v2/ENDPOINT_ID/runsync -d '{"input": {}}'
    /// ```
    ///
    /// ## Fix
    /// Write `-X POST`, or leave it out: a data option already makes curl send a POST.
    META { id: "curl-proxy-method", severity: Error, summary: "`curl -x METHOD` sets a proxy, not the method" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Host,
};
