use crate::rules::{Check, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A `curl` command that posts a JSON body to a job route with `-d`, `--data`,
    /// `--data-raw` or `--data-binary` and no `Content-Type: application/json` header.
    ///
    /// ## Why it matters
    /// Without the header, curl labels the body `application/x-www-form-urlencoded` (curl's
    /// manual, `-d, --data`). RunPod's API documents JSON bodies; whether it accepts a JSON
    /// body under the form type is not documented, and proxies and gateways in front of an
    /// endpoint may parse it as a form. This is information, not an error.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.runpod.ai/v2/ENDPOINT_ID/run -d '{"input": {"prompt": "a cat"}}'
    /// ```
    ///
    /// ## Fix
    /// Add `-H 'Content-Type: application/json'`, or send the body with `--json` (curl 7.82
    /// and later), which sets the JSON content type itself.
    META { id: "curl-content-type", severity: Info, summary: "a `curl` JSON body sent without a JSON content type" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Host,
};
