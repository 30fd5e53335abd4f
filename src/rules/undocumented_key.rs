use crate::finding::{Finding, Target, child_pointer};
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Top-level keys that the service's documentation does not list but RunPod's own SDKs
    /// send, such as `webhookV2`. They are reported as information, not as unknown keys.
    ///
    /// ## Why it matters
    /// An undocumented key may work today and change without notice; relying on it is a
    /// choice worth making knowingly.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "webhookV2": "https://example.com/hook"}
    /// ```
    ///
    /// ## Fix
    /// Use the documented key where one exists:
    /// ```json
    /// {"input": {}, "webhook": "https://example.com/hook"}
    /// ```
    META { id: "undocumented-key", severity: Info, summary: "a key only RunPod's SDKs know" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

/// Keys outside the documented schema that are known: (object, key, what to say). Those with
/// nothing to say (`$schema`, for editors) are accepted silently.
pub(crate) const KNOWN: &[(&str, &str, Option<&str>)] = &[
    ("", "$schema", None),
    (
        "",
        "webhookV2",
        Some("`webhookV2` is not in the service's documentation; RunPod's Go and JS SDKs send it"),
    ),
];

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    for (object, key, message) in KNOWN {
        let Some(message) = message else { continue };
        let pointer = child_pointer(object, key);
        if ctx.get(&pointer).is_some() {
            out.push(
                Finding::new(&META, ctx.pointer(&pointer), *message)
                    .at(Target::Key)
                    .help("prefer the documented `webhook` unless you need what `webhookV2` adds"),
            );
        }
    }
}
