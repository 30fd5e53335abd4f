use serde_json::Value;

use crate::finding::{Applicability, Finding, Target};
use crate::kind::Kind;
use crate::rules::{
    Check, Context, Findings, Rule, declare_rule, key_name, shape_words, type_phrase,
};
use crate::schema::{Shape, ShapeKind, integer_pointers};

declare_rule! {
    /// ## What it checks
    /// That `webhook`, `policy`, `s3Config` and the keys inside them have the JSON type the
    /// service expects. Where an integer is required (`executionTimeout`, `ttl`), a number
    /// written with a fraction or an exponent (`600000.0`, `6e5`) or in quotes (`"600000"`) is
    /// the wrong type, whatever its value.
    ///
    /// ## Why it matters
    /// The service decodes these fields into typed values: a quoted number or a float in an
    /// integer field fails the request, and a `"false"` string for `lowPriority` is not false.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "policy": {"executionTimeout": "600000", "ttl": 6e5, "lowPriority": "true"}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {}, "policy": {"executionTimeout": 600000, "ttl": 600000, "lowPriority": true}}
    /// ```
    META { id: "invalid-type", severity: Error, summary: "a value of the wrong JSON type" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::ShapeRequestAndKind(
        from_schema,
        integer_literals,
        &[
            Kind::HubConfig,
            Kind::HubTests,
            Kind::LegacyTests,
            Kind::BatchRequests,
        ],
        kind_integer_literals,
    ),
};

fn article(expected: &str) -> &'static str {
    if expected.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn from_schema(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    for shape in shapes {
        let ShapeKind::WrongType { expected } = &shape.kind else {
            let (message, help) = shape_words(shape, "the request");
            out.push(Finding::new(&META, ctx.pointer(&shape.pointer), message).help(help));
            continue;
        };
        let Some(value) = ctx.get(&shape.pointer) else {
            continue;
        };
        if expected == "integer" && value.is_number() {
            // `integer_literals` reports every number in an integer field, quoting it as written.
            continue;
        }
        let name = key_name(&shape.pointer);
        let mut finding = Finding::new(
            &META,
            ctx.pointer(&shape.pointer),
            format!(
                "`{name}` must be {} {expected}, found {}",
                article(expected),
                type_phrase(value)
            ),
        );
        let help =
            help(expected, value, &shape.pointer).unwrap_or_else(|| match expected.as_str() {
                "object" => format!("write `{name}` as a JSON object: `{{...}}`"),
                "string" => format!("write `{name}` as a string in double quotes"),
                other => format!("write `{name}` as {} {other}", article(other)),
            });
        finding = finding.help(help);
        if let Some(fixed) = literal_fix(expected, value, &shape.pointer) {
            finding = finding.fix(
                Applicability::Safe,
                format!("write `{fixed}`"),
                ctx.pointer(&shape.pointer),
                Target::Value,
                fixed,
            );
        }
        out.push(finding);
    }
}

/// The value written as the type the field takes, where that keeps its meaning: `"600000"` as
/// `600000`, `"true"` as `true`. Not for a time that looks like seconds (`"600"` as `600` would
/// keep a mistake the finding's help points out).
fn literal_fix(expected: &str, value: &Value, pointer: &str) -> Option<String> {
    let text = value.as_str()?;
    if text.trim() != text || text.is_empty() {
        return None;
    }
    match expected {
        "integer" => {
            let n = text.parse::<u64>().ok()?;
            let time = matches!(
                key_name(pointer).as_ref(),
                "executionTimeout" | "ttl" | "timeout"
            );
            (n.to_string() == text && !(time && n < 5_000)).then(|| n.to_string())
        }
        "boolean" => matches!(text, "true" | "false").then(|| text.to_owned()),
        _ => None,
    }
}

/// How to write `value` as the expected type, where that is obvious.
fn help(expected: &str, value: &Value, pointer: &str) -> Option<String> {
    if let (Value::Array(items), "string") = (value, expected) {
        // `["ADA_24", "AMPERE_16"]` where one comma-separated string is wanted.
        let words: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
        let joined = words.filter(|w| !w.is_empty())?.join(",");
        return Some(format!(
            "write the items as one string, separated by commas: `\"{}\"`",
            crate::finding::shorten(&joined, 80)
        ));
    }
    let text = value.as_str()?.trim();
    if expected == "integer"
        && let Ok(n) = text.parse::<u64>()
        && let Some(seconds) = super::seconds_help(n as f64, 5_000, 604_800_000).filter(|_| {
            matches!(key_name(pointer).as_ref(), "executionTimeout" | "ttl") && n < 5_000
        })
    {
        // `"600"`: removing the quotes alone would leave 600 ms.
        return Some(format!("remove the quotes; {seconds}"));
    }
    let fixed = match expected {
        "integer" => text.parse::<u64>().ok()?.to_string(),
        "number" => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())?
            .to_string(),
        "boolean" => text.to_ascii_lowercase().parse::<bool>().ok()?.to_string(),
        _ => return None,
    };
    Some(format!("remove the quotes: `{fixed}`"))
}

/// Numbers written with a fraction or exponent where the schema wants an integer. The schema
/// cannot say this: JSON Schema counts `600000.0` as an integer.
fn integer_literals(ctx: &Context<'_>, out: &mut Findings<'_>) {
    for pointer in integer_pointers() {
        integer_literal(ctx, pointer, out);
    }
}

/// The same in the other kinds' integer fields (`containerDiskInGb`, `gpuCount`, a test's
/// `timeout`): the Hub's tooling reads them as integers and refuses `20.0`.
fn kind_integer_literals(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(schema) = crate::schema::kind_schema(ctx.kind) else {
        return;
    };
    for pointer in schema.integer_pointers(ctx.request) {
        integer_literal(ctx, &pointer, out);
    }
}

/// The finding for the number at `pointer` when it is written with a fraction or exponent.
fn integer_literal(ctx: &Context<'_>, pointer: &str, out: &mut Findings<'_>) {
    let Some(Value::Number(n)) = ctx.get(pointer) else {
        return;
    };
    if !n.is_f64() {
        return;
    }
    let written = ctx.literal(pointer).unwrap_or_default();
    if !written.is_empty() && !written.contains(['.', 'e', 'E']) {
        // An integer too large for 64 bits is still an integer: its range is the range
        // rule's to report.
        return;
    }
    let literal = crate::finding::shorten(written, 30).into_owned();
    let how = if literal.contains(['e', 'E']) {
        "an exponent"
    } else {
        "a fraction"
    };
    let mut finding = Finding::new(
        &META,
        ctx.pointer(pointer),
        format!(
            "`{}` must be an integer, found `{literal}`, written with {how}",
            key_name(pointer)
        ),
    );
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() == 0.0 && (0.0..1e15).contains(&f) {
        let plain = (f as u64).to_string();
        finding = finding
            .help(format!("write it as a plain integer: `{plain}`"))
            .fix(
                Applicability::Safe,
                format!("write `{plain}`"),
                ctx.pointer(pointer),
                Target::Value,
                plain,
            );
    } else {
        let unit = if matches!(
            key_name(pointer).as_ref(),
            "executionTimeout" | "ttl" | "timeout"
        ) {
            " of milliseconds"
        } else {
            ""
        };
        finding = finding.help(format!(
            "write a whole number{unit}, without a fraction or exponent"
        ));
    }
    out.push(finding);
}
