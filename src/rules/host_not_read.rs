use crate::rules::{Check, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Markdown, shell, Python or JavaScript/TypeScript file that names the RunPod SDK or a
    /// job route (`runpod`, `/runsync`, `/run"`) but that rplint did not read: code larger
    /// than 1 MiB (1,048,576 bytes) or that took more than 5 seconds to parse, Markdown larger
    /// than 2 MiB. The requests it may send were not checked.
    ///
    /// ## Why it matters
    /// A file rplint passes over would otherwise count as checked with nothing to report, so a
    /// CI job would show requests nobody looked at as clean. Code that size is generated or
    /// bundled (a minified script, a vendored client); the requests are in the sources it was
    /// built from. A file of that size that never mentions RunPod is passed over silently
    /// (`--show-files` lists it).
    ///
    /// ## Example
    /// A 2 MB bundle, built from `src/`, that sends a request:
    /// ```sh
    /// $ grep -o 'api.runpod.ai/v2/[A-Za-z_]*/runsync' dist/app.js
    /// api.runpod.ai/v2/ENDPOINT_ID/runsync
    /// ```
    ///
    /// ## Fix
    /// Check the sources the file was built from, and leave the built file out of the run:
    /// ```toml
    /// [tool.rplint]   # or rplint.toml without this line
    /// exclude = ["dist/**"]
    /// ```
    META { id: "host-not-read", severity: Warning, summary: "a file that may send requests was too large to read" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Host,
};

/// Whether code `text` names the RunPod SDK or a job route, and so may send requests: the
/// words `runpod` (any case), `/runsync` or `/run` followed by a quote.
pub(crate) fn may_send_requests(text: &str) -> bool {
    let bytes = text.as_bytes();
    let sdk = memchr::memmem::find_iter(bytes, b"unpod")
        .any(|i| i > 0 && bytes[i - 1].eq_ignore_ascii_case(&b'r'))
        || memchr::memmem::find_iter(bytes, b"UNPOD")
            .any(|i| i > 0 && bytes[i - 1].eq_ignore_ascii_case(&b'r'));
    sdk || memchr::memmem::find(bytes, b"/runsync").is_some()
        || memchr::memmem::find_iter(bytes, b"/run")
            .any(|i| matches!(bytes.get(i + 4), Some(b'"' | b'\'' | b'`')))
}
