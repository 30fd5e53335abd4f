use serde_json::Value;

use crate::finding::{Finding, shorten};
use crate::rules::{Check, Context, Findings, Rule, WEBHOOK_KEYS, declare_rule, key_name};
use crate::secrets::{is_placeholder, is_template, is_unfilled_placeholder};

declare_rule! {
    /// ## What it checks
    /// A documentation placeholder left in a webhook or an `s3Config` field: `<secret>`,
    /// `your-bucket-name`, `BUCKET_ENDPOINT_URL`, `storage_location_address`,
    /// `https://URL.TO.YOUR.WEBHOOK`. Template syntax that a tool fills in before sending
    /// (`${VAR}`, `$VAR`, `{{ var }}`) is left alone. Source: the placeholders of RunPod's own request examples.
    ///
    /// ## Why it matters
    /// Copied from the docs and never filled in, the placeholder is sent as written: the
    /// webhook goes nowhere, and the worker's upload fails after the GPU time is spent.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "webhook": "https://URL.TO.YOUR.WEBHOOK", "s3Config": {"accessId": "${S3_ID}",
    ///   "accessSecret": "${S3_SECRET}", "bucketName": "your-bucket-name", "endpointUrl": "BUCKET_ENDPOINT_URL"}}
    /// ```
    ///
    /// ## Fix
    /// Write the real values, or template syntax that your tooling fills in:
    /// ```json
    /// {"input": {}, "webhook": "https://hooks.example.com/runpod", "s3Config": {"accessId": "${S3_ID}",
    ///   "accessSecret": "${S3_SECRET}", "bucketName": "renders", "endpointUrl": "${S3_ENDPOINT}"}}
    /// ```
    META { id: "unfilled-placeholder", severity: Warning, summary: "a docs placeholder in a webhook or `s3Config` field, sent as written" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

/// The `s3Config` fields a placeholder may be left in.
const S3_FIELDS: &[&str] = &[
    "/s3Config/accessId",
    "/s3Config/accessSecret",
    "/s3Config/bucketName",
    "/s3Config/endpointUrl",
    "/s3Config/objectPath",
];

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    for pointer in WEBHOOK_KEYS.iter().chain(S3_FIELDS) {
        let Some(Value::String(value)) = ctx.get(pointer) else {
            continue;
        };
        // A secret that is a placeholder (`secret`, `changeme`, `xxx`, `***`) is no secret,
        // and is sent as written unless it is template syntax.
        let placeholder = if pointer.ends_with("accessSecret") {
            !value.trim().is_empty() && is_placeholder(value) && !is_template(value)
        } else {
            is_unfilled_placeholder(value)
        };
        if !placeholder {
            continue;
        }
        let name = key_name(pointer);
        // A secret's placeholder is not a secret, but it is not shown either.
        let shown = if pointer.ends_with("accessSecret") {
            String::new()
        } else {
            format!(" `{}`", shorten(value, 60))
        };
        out.push(
            Finding::new(
                &META,
                ctx.pointer(pointer),
                format!("`{name}` is a placeholder{shown}: it is sent as written"),
            )
            .help(format!(
                "write the real value, or template syntax such as `${{{}}}` that your tooling fills in before sending",
                env_name(&name)
            )),
        );
    }
}

/// `bucketName` → `BUCKET_NAME`, for the help's template example.
fn env_name(key: &str) -> String {
    let mut out = String::from("S3_");
    if key.starts_with("webhook") {
        out.clear();
    }
    for c in key.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
