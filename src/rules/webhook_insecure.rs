use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Webhook URLs that use plain `http://` (hosts RunPod cannot reach at all are left to
    /// `webhook-unreachable`).
    ///
    /// ## Why it matters
    /// The webhook receives the job's whole output. Over `http://` it travels the internet in
    /// clear text, readable and changeable on the way.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "webhook": "http://hooks.example.com/runpod-done"}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "webhook": "https://hooks.example.com/runpod-done"}
    /// ```
    META { id: "webhook-insecure", severity: Warning, summary: "the webhook uses plain `http://`" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    for (key, _, url) in ctx.webhooks() {
        if url.scheme() == "http" && super::webhook_unreachable::unreachable(url).is_none() {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(key),
                    format!(
                        "`{}` uses plain http: the job's output travels in clear text",
                        &key[1..]
                    ),
                )
                .help("use `https://`"),
            );
        }
    }
}
