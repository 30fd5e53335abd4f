use url::Url;

use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
use crate::secrets::is_placeholder;

declare_rule! {
    /// ## What it checks
    /// That `s3Config.endpointUrl` is an absolute `http` or `https` URL. Placeholders such as
    /// `${S3_ENDPOINT}` are left alone.
    ///
    /// ## Why it matters
    /// The worker's S3 client needs the storage service's full URL; a bare host name, a bucket
    /// name or an `s3://` URI makes the upload fail at the end of the job.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "${ID}", "accessSecret": "${SECRET}",
    ///   "bucketName": "outputs", "endpointUrl": "s3.us-east-1.amazonaws.com"}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "${ID}", "accessSecret": "${SECRET}",
    ///   "bucketName": "outputs", "endpointUrl": "https://s3.us-east-1.amazonaws.com"}}
    /// ```
    META { id: "s3-endpoint-url", severity: Warning, summary: "`endpointUrl` is not an absolute http(s) URL" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(text) = ctx.get("/s3Config/endpointUrl").and_then(|v| v.as_str()) else {
        return;
    };
    if text.is_empty() || is_placeholder(text) {
        return;
    }
    let shown = crate::finding::shorten(text.trim(), 80);
    let problem = match Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            if text.trim() == text {
                return;
            }
            ("has whitespace around the URL".to_owned(), format!("remove it: `{shown}`"))
        }
        Ok(url) => (
            format!("uses the scheme `{}`", crate::finding::shorten(url.scheme(), 30)),
            "give the storage service's HTTP endpoint, such as `https://s3.us-east-1.amazonaws.com`".to_owned(),
        ),
        // With the scheme added, it would be a URL with a host: say so.
        Err(_) if Url::parse(&format!("https://{}", text.trim()))
            .ok()
            .and_then(|url| url.host_str().map(|h| h.contains('.') && !h.contains('_')))
            .unwrap_or(false) =>
        {
            (
                "is not an absolute URL".to_owned(),
                format!("start it with the scheme: `https://{shown}`"),
            )
        }
        Err(_) => (
            "is not a URL".to_owned(),
            "give the storage service's endpoint as an absolute URL, such as `https://s3.us-east-1.amazonaws.com` or `https://<account>.r2.cloudflarestorage.com`".to_owned(),
        ),
    };
    out.push(
        Finding::new(
            &META,
            ctx.pointer("/s3Config/endpointUrl"),
            format!(
                "`endpointUrl` {}; the worker needs an absolute http(s) URL",
                problem.0
            ),
        )
        .help(problem.1),
    );
}
