use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
use crate::secrets::is_placeholder;

declare_rule! {
    /// ## What it checks
    /// Literal credentials written into the request: `s3Config.accessSecret`, and the password
    /// of a `webhook` URL (`https://user:password@host/...`). Obvious placeholders such as
    /// `${S3_SECRET}`, `$S3_SECRET`, `{{ secret }}`, `<secret>` or `YOUR_SECRET` are fine.
    /// rplint never prints a secret: code frames, messages and every output format mask it.
    ///
    /// ## Why it matters
    /// A request file is committed, shared and pasted into tickets; a credential in it is a
    /// credential leaked. Whoever reads the repository can write to the bucket.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "AKIA...", "accessSecret": "wJalr...EXAMPLEKEY",
    ///   "bucketName": "outputs", "endpointUrl": "https://s3.example.com"}}
    /// ```
    ///
    /// ## Fix
    /// Keep a placeholder in the file and substitute it when the request is sent, then rotate
    /// the exposed key:
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "${S3_ACCESS_ID}", "accessSecret": "${S3_SECRET}",
    ///   "bucketName": "outputs", "endpointUrl": "https://s3.example.com"}}
    /// ```
    META { id: "plaintext-secret", severity: Warning, summary: "a literal credential in the request" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

const HELP: &str = "keep a placeholder such as `${S3_SECRET}` in the file and substitute it when the request is sent; rotate this credential if the file was ever committed or shared";

/// The help for a password in a webhook URL: the endpoint should authenticate the call by
/// other means than a password in the URL, which RunPod stores and logs with the job.
const WEBHOOK_HELP: &str = "take the password out of the URL: authenticate the webhook with a secret path or query token your endpoint checks, or substitute the whole URL (`${WEBHOOK_URL}`) when the request is sent; rotate this password if the file was ever committed or shared";

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    if let Some(secret) = ctx.get("/s3Config/accessSecret").and_then(|v| v.as_str()) {
        if !is_placeholder(secret) {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer("/s3Config/accessSecret"),
                    "`accessSecret` holds a literal secret key",
                )
                .help(HELP),
            );
        }
    }
    // The URLs as the URL parser reads them (`https:user:pw@host`, escapes and tabs included).
    for (key, _, url) in ctx.webhooks() {
        let key = *key;
        // As written: `${HOOK_TOKEN}` comes out of the parser percent-encoded.
        let password = url.password().map(crate::secrets::percent_decode);
        if password.is_some_and(|p| !is_placeholder(&p)) {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(key),
                    format!("the `{}` URL holds a literal password", &key[1..]),
                )
                .help(WEBHOOK_HELP),
            );
        }
    }
}
