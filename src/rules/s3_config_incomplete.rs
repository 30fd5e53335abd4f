use crate::finding::{Finding, Target};
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
use crate::schema::{Shape, ShapeKind};

declare_rule! {
    /// ## What it checks
    /// That `s3Config`, when present, has all four of `accessId`, `accessSecret`,
    /// `bucketName` and `endpointUrl`, none of them empty. One finding names every missing or
    /// empty field.
    ///
    /// ## Why it matters
    /// The service does not look at `s3Config`; it hands it to the worker. An incomplete one
    /// fails only when the worker uploads its results: after the GPU time has been spent.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "AKIA...", "bucketName": ""}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "s3Config": {"accessId": "${S3_ID}", "accessSecret": "${S3_SECRET}",
    ///   "bucketName": "outputs", "endpointUrl": "https://s3.example.com"}}
    /// ```
    META { id: "s3-config-incomplete", severity: Error, summary: "`s3Config` lacks a field or has an empty one" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    let mut missing = Vec::new();
    let mut empty = Vec::new();
    for shape in shapes {
        match &shape.kind {
            ShapeKind::Missing(key) => missing.push(key.as_str()),
            ShapeKind::Empty => empty.push(shape.pointer.as_str()),
            _ => {}
        }
    }
    if missing.is_empty() && empty.is_empty() {
        return;
    }
    let quote = |keys: &[&str]| {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let empty_names: Vec<&str> = empty
        .iter()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", quote(&missing)));
    }
    if !empty_names.is_empty() {
        parts.push(format!("empty {}", quote(&empty_names)));
    }
    let mut finding = Finding::new(
        &META,
        ctx.pointer("/s3Config"),
        format!("`s3Config` is incomplete: {}", parts.join("; ")),
    )
    .at(Target::Inside)
    .help("the worker's upload fails at run time without all four of `accessId`, `accessSecret`, `bucketName` and `endpointUrl`: fill them in, or remove `s3Config`");
    for pointer in empty {
        finding = finding.label(ctx.pointer(pointer), Target::Value, "empty");
    }
    out.push(finding);
}
