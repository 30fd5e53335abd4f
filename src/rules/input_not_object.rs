use crate::finding::{Finding, Severity};
use crate::rules::{Check, Context, Findings, Rule, declare_rule, type_phrase};
use crate::schema::Shape;

declare_rule! {
    /// ## What it checks
    /// That `input` is a JSON object. `null` is an error; another type (a string, an array, a
    /// number) is a warning.
    ///
    /// ## Why it matters
    /// RunPod's SDKs treat `"input": null` as a missing input, and the job fails. Other types
    /// are passed on, but handlers read `job["input"]` as a dictionary of parameters
    /// (`job["input"]["prompt"]`) and crash on anything else.
    ///
    /// ## Example
    /// ```json
    /// {"input": "a cat wearing a hat"}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {"prompt": "a cat wearing a hat"}}
    /// ```
    META { id: "input-not-object", severity: Error, summary: "`input` is not a JSON object",
        also: [(Warning, "when `input` is a string, number, boolean or array")] }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::ShapeAndRequest(from_schema, other_types),
};

/// The schema rejects only `null` (editors using it accept what rplint only warns about).
fn from_schema(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    for shape in shapes {
        if let Some(value) = ctx.get(&shape.pointer) {
            report(value, &shape.pointer, ctx, out);
        }
    }
}

/// Strings, numbers, booleans and arrays, which the schema accepts.
fn other_types(ctx: &Context<'_>, out: &mut Findings<'_>) {
    if let Some(value) = ctx.get("/input").filter(|v| !v.is_null() && !v.is_object()) {
        report(value, "/input", ctx, out);
    }
}

fn report(value: &serde_json::Value, pointer: &str, ctx: &Context<'_>, out: &mut Findings<'_>) {
    let finding = if value.is_null() {
        Finding::new(
            &META,
            ctx.pointer(pointer),
            "`input` is null; the service treats it as missing",
        )
        .help("give the worker's parameters as an object: `\"input\": {\"prompt\": ...}`")
    } else {
        Finding::new(
            &META,
            ctx.pointer(pointer),
            format!("`input` is {}, not an object", type_phrase(value)),
        )
        .severity(Severity::Warning)
        .help(match value {
            // A string holding a JSON object: the object was encoded twice.
            serde_json::Value::String(text)
                if serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).is_ok() =>
            {
                "the string holds a JSON object: write that object itself, without the quotes and backslashes (`\"input\": {...}`), not the object encoded again as a string".to_owned()
            }
            _ => "handlers read `job[\"input\"]` as a dictionary of parameters: wrap the value, as in `\"input\": {\"prompt\": ...}`".to_owned(),
        })
    };
    out.push(finding);
}
