use url::Url;

use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That `webhook`, when it is a string, is an absolute `http` or `https` URL, without
    /// surrounding whitespace.
    ///
    /// ## Why it matters
    /// When the job finishes, the service POSTs the result to this URL. A relative path, a
    /// typo in the scheme or another scheme cannot be called, and the result is never
    /// delivered: the request itself still succeeds, so nothing tells you.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "webhook": "example.com/runpod-done"}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "webhook": "https://example.com/runpod-done"}
    /// ```
    META { id: "webhook-url", severity: Error, summary: "`webhook` is not an absolute http(s) URL" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(text) = ctx.get("/webhook").and_then(|v| v.as_str()) else {
        return;
    };
    if crate::secrets::is_template(text) || crate::secrets::is_unfilled_placeholder(text) {
        // Filled in before sending, or `unfilled-placeholder`'s to report.
        return;
    }
    let pointer = ctx.pointer("/webhook");
    let shown = crate::finding::shorten(text.trim(), 80);
    let problem = if text.trim().is_empty() {
        Some((
            "`webhook` is empty".to_owned(),
            "give the URL to notify, or remove `webhook`".to_owned(),
        ))
    } else if text.trim() != text {
        Some((
            "`webhook` has whitespace around the URL".to_owned(),
            format!("remove it: `{shown}`"),
        ))
    } else {
        match Url::parse(text) {
            Err(url::ParseError::RelativeUrlWithoutBase) => Some((
                "`webhook` is not an absolute URL".to_owned(),
                format!("start it with the scheme: `https://{shown}`"),
            )),
            Err(e) => Some((
                format!("`webhook` is not a valid URL: {e}"),
                "write an absolute URL such as `https://example.com/hook`".to_owned(),
            )),
            Ok(url) if !matches!(url.scheme(), "http" | "https") => Some((
                format!(
                    "`webhook` must be an http or https URL, found scheme `{}`",
                    url.scheme()
                ),
                "the service calls webhooks over HTTP: use an `https://` URL".to_owned(),
            )),
            Ok(url) if url.host_str().is_none_or(str::is_empty) => Some((
                "`webhook` has no host".to_owned(),
                "write an absolute URL such as `https://example.com/hook`".to_owned(),
            )),
            Ok(_) => None,
        }
    };
    if let Some((message, help)) = problem {
        out.push(Finding::new(&META, pointer, message).help(help));
    }
}
