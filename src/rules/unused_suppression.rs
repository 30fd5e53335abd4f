#[cfg(feature = "cli")]
use crate::finding::{Finding, Span, Target};
use crate::rules::{Check, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `[[suppress]]` entries in the configuration file that hid nothing: their `files` glob
    /// matched a checked file, but no finding of their `rule` at their `pointer`. (Entries whose
    /// files were not checked in this run are not judged.) The finding points into the
    /// configuration file.
    ///
    /// ## Why it matters
    /// A suppression outlives the problem it excused; left in place, it will silently hide the
    /// next, real problem at that place. A typo in the pointer or rule makes it suppress nothing.
    ///
    /// ## Example
    /// `rplint.toml`, where `requests/a.json` no longer has a `ttl` problem:
    /// ```json
    /// [[suppress]]
    /// files = "requests/a.json"
    /// pointer = "/policy/ttl"
    /// rule = "ttl-range"
    /// reason = "legacy worker"
    /// ```
    ///
    /// ## Fix
    /// Remove the entry, or correct its `files`, `pointer` or `rule`.
    META { id: "unused-suppression", severity: Warning, summary: "a suppression in the configuration hid nothing" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Configuration,
};

/// The finding for suppression number `index` (`/suppress/N`), spanning its table.
#[cfg(feature = "cli")]
pub(crate) fn unused_suppression_finding(
    index: usize,
    rule: &str,
    pointer: &str,
    span: Span,
) -> Finding {
    let mut finding = Finding::new(
        &META,
        format!("/suppress/{index}"),
        format!("this suppression of `{rule}` at `{pointer}` hid nothing"),
    )
    .at(Target::At(span))
    .help("remove it, or correct its `files`, `pointer` or `rule`");
    finding.span = span;
    finding
}
