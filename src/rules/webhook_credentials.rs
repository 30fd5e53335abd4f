use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Webhook URLs with a user name or password in them (`https://user:pass@host/...`).
    /// A literal password is also reported by `plaintext-secret`.
    ///
    /// ## Why it matters
    /// Credentials in a URL end up in logs, job records and proxies along the way, and many
    /// HTTP clients drop them (or refuse the URL) instead of sending them as a header.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "webhook": "https://runpod:${HOOK_TOKEN}@hooks.example.com/done"}
    /// ```
    ///
    /// ## Fix
    /// Put a token in the path or query that your endpoint checks, and rotate it when needed:
    /// ```json
    /// {"input": {}, "webhook": "https://hooks.example.com/done/${HOOK_TOKEN}"}
    /// ```
    META { id: "webhook-credentials", severity: Warning, summary: "the webhook URL carries credentials" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    for (key, _, url) in ctx.webhooks() {
        if !url.username().is_empty() || url.password().is_some() {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(key),
                    format!("`{}` carries credentials in the URL", &key[1..]),
                )
                .help("authenticate the webhook with a token in the path or query that your endpoint checks, not with `user:password@`"),
            );
        }
    }
}
