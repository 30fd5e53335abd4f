use crate::config::Route;
use crate::finding::{Finding, Span, Target};
use crate::rules::{Check, Rule, declare_rule};

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
    check: Check::Pipeline,
};

/// The finding for a body of `len` bytes that is too large for `route`.
pub(crate) fn payload_finding(len: usize, route: Route) -> Option<Finding> {
    let limit = route.limit_bytes();
    (len > limit).then(|| {
        let help = match route {
            Route::Run => "send large inputs by URL instead of inline, or use `--route runsync` (20,000,000 bytes) if the job is synchronous",
            Route::Runsync | Route::Batch | Route::BatchRequests => "send large inputs by URL (upload them to storage first) instead of inline",
        };
        Finding::new(
            &META,
            "",
            format!(
                "the body is {} bytes; the `{}` route accepts at most {}",
                group(len),
                route.name(),
                group(limit)
            ),
        )
        .at(Target::At(Span::new(0, 0)))
        .help(help)
    })
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

    #[test]
    fn limits_per_route() {
        assert!(payload_finding(10_000_000, Route::Run).is_none());
        let f = payload_finding(10_000_001, Route::Run).unwrap();
        assert_eq!(
            f.message,
            "the body is 10,000,001 bytes; the `run` route accepts at most 10,000,000"
        );
        assert!(payload_finding(10_000_001, Route::Runsync).is_none());
        assert!(payload_finding(10_485_761, Route::Batch).is_some());
        assert!(payload_finding(10_485_760, Route::Batch).is_none());
    }
}
