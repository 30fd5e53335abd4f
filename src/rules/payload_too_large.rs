use crate::config::Route;
use crate::finding::{Finding, Span, Target};
use crate::rules::{Check, Findings, Rule, TextContext, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the body is within the route's size limit: 10,000,000 bytes for `/run`,
    /// 20,000,000 bytes for `/runsync`, 10 MiB (10,485,760 bytes) for the batch route. The size
    /// is the file's size in bytes, as it would be sent.
    ///
    /// ## Why it matters
    /// The service rejects a larger body outright. Base64-encoded images and audio grow a
    /// request quickly (by a third over the raw bytes).
    ///
    /// ## Example
    /// A `/run` request carrying a 12 MB base64 image in `input.image`:
    /// ```json
    /// {"input": {"image": "iVBORw0KGgo... (12 MB)"}}
    /// ```
    ///
    /// ## Fix
    /// Upload the file to storage and send its URL instead, or use `/runsync` (20 MB):
    /// ```json
    /// {"input": {"image_url": "https://storage.example.com/inputs/cat.png"}}
    /// ```
    META { id: "payload-too-large", severity: Error, summary: "the body exceeds the route's size limit" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Text(check),
};

/// A body of more bytes than its route accepts (Hub files are never sent, so have no route).
fn check(ctx: &TextContext<'_>, out: &mut Findings<'_>) {
    let Some(route) = ctx.route else {
        return;
    };
    let len = ctx.source.len_bytes();
    let limit = route.limit_bytes();
    if len <= limit {
        return;
    }
    let help = match route {
        Route::Run => {
            "send large inputs by URL instead of inline, or use `--route runsync` (20,000,000 bytes) if the job is synchronous"
        }
        Route::Runsync | Route::Batch | Route::BatchRequests => {
            "send large inputs by URL (upload them to storage first) instead of inline"
        }
    };
    let unread = if ctx.source.is_unread() {
        "; a file this large is not read, so nothing else in it was checked"
    } else {
        ""
    };
    out.push(
        Finding::new(
            &META,
            "",
            format!(
                "the body is {}{} bytes; the `{}` route accepts at most {}",
                if ctx.source.len_is_lower_bound() {
                    "more than "
                } else {
                    ""
                },
                group(len.saturating_sub(usize::from(ctx.source.len_is_lower_bound()))),
                route.name(),
                group(limit)
            ),
        )
        .at(Target::At(Span::new(0, 0)))
        .help(format!("{help}{unread}")),
    );
}

/// `12345678` → `12,345,678`.
pub(crate) fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings for an unread body of `len` bytes sent to `route`.
    fn findings(len: usize, route: Route) -> Vec<Finding> {
        let source = crate::source::Source::unread("big.json", len);
        let ctx = TextContext {
            source: &source,
            route: Some(route),
            syntax: &[],
        };
        let mut out = Findings::new(None, Vec::new());
        check(&ctx, &mut out);
        out.into_vec()
    }

    #[test]
    fn limits_per_route() {
        assert!(findings(10_000_000, Route::Run).is_empty());
        let f = &findings(10_000_001, Route::Run)[0];
        assert_eq!(
            f.message,
            "the body is 10,000,001 bytes; the `run` route accepts at most 10,000,000"
        );
        assert!(
            f.help
                .as_deref()
                .unwrap_or_default()
                .ends_with("so nothing else in it was checked")
        );
        assert!(findings(10_000_001, Route::Runsync).is_empty());
        assert_eq!(findings(10_485_761, Route::Batch).len(), 1);
        assert!(findings(10_485_760, Route::Batch).is_empty());
    }
}
