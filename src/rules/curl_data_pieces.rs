use crate::rules::{Check, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A `curl` command that posts to a job route with the body given in several data options
    /// (`-d`, `--data`, `--data-raw`, `--data-binary`, `--json`).
    ///
    /// ## Why it matters
    /// curl joins repeated `-d` pieces with `&` (`{"input": {}}&{"webhook": ...}`), and repeated
    /// `--json` pieces with nothing between them (curl's manual, `-d, --data` and `--json`).
    /// Either way the service receives one text that is not a JSON document, and rejects the
    /// job.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.runpod.ai/v2/ENDPOINT_ID/run -H 'Content-Type: application/json' \
    ///   -d '{"input": {"prompt": "a cat"}}' -d '{"webhook": "https://example.com/hook"}'
    /// ```
    ///
    /// ## Fix
    /// Give the whole body in one data option:
    /// `-d '{"input": {"prompt": "a cat"}, "webhook": "https://example.com/hook"}'`.
    META { id: "curl-data-pieces", severity: Error, summary: "a `curl` body given in several pieces that curl joins" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Host,
};
