use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
use crate::secrets::is_placeholder;

declare_rule! {
    /// ## What it checks
    /// That `s3Config.bucketName` follows the S3 naming rules: 3 to 63 characters of lowercase
    /// letters, digits, `.` and `-`, starting and ending with a letter or digit. Placeholders
    /// such as `${BUCKET}` are left alone.
    ///
    /// ## Why it matters
    /// S3 and most compatible stores refuse such a name, so the worker's upload fails at the
    /// end of the job, after the GPU time is spent.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "${ID}", "accessSecret": "${SECRET}",
    ///   "bucketName": "My_Outputs", "endpointUrl": "https://s3.example.com"}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "${ID}", "accessSecret": "${SECRET}",
    ///   "bucketName": "my-outputs", "endpointUrl": "https://s3.example.com"}}
    /// ```
    META { id: "s3-bucket-name", severity: Warning, summary: "`bucketName` breaks the S3 naming rules" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(name) = ctx.get("/s3Config/bucketName").and_then(|v| v.as_str()) else {
        return;
    };
    if name.is_empty() || is_placeholder(name) {
        return;
    }
    let Some(issue) = problem(name) else {
        return;
    };
    let suggestion: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-'))
        .collect::<String>()
        .trim_matches(['.', '-'])
        .to_owned();
    let mut finding = Finding::new(
        &META,
        ctx.pointer("/s3Config/bucketName"),
        format!(
            "`bucketName` `{}` {issue}",
            crate::finding::shorten(name, 70)
        ),
    );
    // A name that carries a credential (`user:pw@bucket`, `bucket?token=...`) gets no
    // suggestion: it would spell the credential out, lowercased and joined.
    let carries_credential = name.contains(['@', ':', '?', '#', '=']);
    finding = if (3..=63).contains(&suggestion.len())
        && problem(&suggestion).is_none()
        && !carries_credential
    {
        finding.help(format!("bucket names are 3 to 63 characters of `a-z`, `0-9`, `.` and `-`: perhaps `{suggestion}`"))
    } else {
        finding.help("bucket names are 3 to 63 characters of `a-z`, `0-9`, `.` and `-`, starting and ending with a letter or digit")
    };
    out.push(finding);
}

/// What is wrong with a bucket name, if anything.
fn problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len < 3 {
        let unit = if len == 1 { "character" } else { "characters" };
        return Some(format!("is {len} {unit} long; S3 needs at least 3"));
    }
    if len > 63 {
        return Some(format!("is {len} characters long; S3 allows at most 63"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-')))
    {
        let what = if c.is_ascii_uppercase() {
            "uppercase letters".to_owned()
        } else {
            format!("`{}`", c.escape_default())
        };
        return Some(format!("contains {what}, which S3 does not allow"));
    }
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !ends_ok(name.chars().next()) || !ends_ok(name.chars().last()) {
        return Some("must start and end with a letter or digit".to_owned());
    }
    None
}
