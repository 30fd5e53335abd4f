use serde_json::{Map, Value};

use crate::finding::{Finding, Target, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, brief_value, declare_rule, type_phrase};

declare_rule! {
    /// ## What it checks
    /// That each deploy-time input of a Hub listing (`config.env[].input`) is consistent with
    /// its `type`: `options` only on `string` inputs, `min`/`max` only on `number` inputs,
    /// `trueValue`/`falseValue` only on `boolean` inputs; a `default` of the input's type and
    /// among the options' values; `min` ≤ `default` ≤ `max`. A `default` of `null` or `""`
    /// means "none" (official listings use both) and is never reported. Source: the Hub's
    /// publishing guide's input examples.
    ///
    /// ## Why it matters
    /// The Hub draws the deploy form from these fields: a field its type does not use is
    /// ignored, and a default outside the choices or the range pre-fills the form with a value
    /// the form itself would not let the user pick.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "GPU", "env": [{"key": "MAX_TOKENS",
    ///   "input": {"type": "number", "default": "4096", "min": 32, "max": 2048}}]}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "GPU", "env": [{"key": "MAX_TOKENS",
    ///   "input": {"type": "number", "default": 1024, "min": 32, "max": 2048}}]}}
    /// ```
    META { id: "hub-env-input", severity: Warning, summary: "an env input's fields do not fit its type, options or range" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig], check),
};

/// The fields that belong to one input type, and that type.
const TYPED_FIELDS: &[(&str, &str)] = &[
    ("options", "string"),
    ("min", "number"),
    ("max", "number"),
    ("trueValue", "boolean"),
    ("falseValue", "boolean"),
];

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Array(entries)) = ctx.get("/config/env") else {
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let Some(Value::Object(input)) = entry.get("input") else {
            continue;
        };
        let Some(kind) = input.get("type").and_then(Value::as_str) else {
            continue;
        };
        let base = ctx.pointer(&format!("/config/env/{i}/input"));
        check_input(&base, kind, input, out);
    }
}

fn check_input(base: &str, kind: &str, input: &Map<String, Value>, out: &mut Findings<'_>) {
    for (field, owner) in TYPED_FIELDS {
        if input.contains_key(*field) && kind != *owner && known(kind) {
            out.push(
                Finding::new(
                    &META,
                    format!("{base}/{field}"),
                    format!("`{field}` applies to {owner} inputs; this input's type is `{kind}`"),
                )
                .at(Target::Key)
                .help(format!(
                    "remove `{field}`, or make the input `\"type\": \"{owner}\"`"
                )),
            );
        }
    }
    let min = input.get("min").and_then(Value::as_f64);
    let max = input.get("max").and_then(Value::as_f64);
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        out.push(
            Finding::new(
                &META,
                format!("{base}/max"),
                format!("`max` ({max}) is below `min` ({min})"),
            )
            .help("swap `min` and `max`"),
        );
    }
    let Some(default) = input.get("default") else {
        return;
    };
    if default.is_null() || default.as_str() == Some("") {
        return;
    }
    let pointer = format!("{base}/default");
    let expected = match kind {
        "string" | "huggingface" => "string",
        "number" => "number",
        "boolean" => "boolean",
        _ => return,
    };
    let fits = match expected {
        "string" => default.is_string(),
        "number" => default.is_number(),
        _ => default.is_boolean(),
    };
    if !fits {
        let help = match (expected, default) {
            ("number", Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
                format!("write the number without quotes: `{}`", s.trim())
            }
            ("boolean", Value::String(s)) if matches!(s.as_str(), "true" | "false") => {
                format!("write the boolean without quotes: `{s}`")
            }
            ("string", other @ (Value::Number(_) | Value::Bool(_))) => format!(
                "write it in quotes: `\"{}\"`",
                shorten(&brief_value(other), 40)
            ),
            _ => format!("give a {expected} default, or `null` for none"),
        };
        out.push(
            Finding::new(
                &META,
                pointer,
                format!(
                    "`default` is {}, but the input's type is `{kind}`",
                    type_phrase(default)
                ),
            )
            .help(help),
        );
        return;
    }
    if let (Some(Value::Array(options)), Value::String(chosen)) = (input.get("options"), default) {
        let values: Vec<&str> = options
            .iter()
            .filter_map(|o| o.get("value").and_then(Value::as_str))
            .collect();
        if !values.is_empty() && !values.contains(&chosen.as_str()) {
            let help = match crate::suggest::closest(chosen, values.iter().copied()) {
                Some(meant) => format!("did you mean `{meant}`?"),
                None => format!(
                    "use one of the options' values: {}",
                    values
                        .iter()
                        .take(10)
                        .map(|v| format!("`{}`", shorten(v, 40)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            out.push(
                Finding::new(
                    &META,
                    pointer.clone(),
                    format!(
                        "`default` is `{}`, which is not one of the options' values",
                        shorten(chosen, 40)
                    ),
                )
                .help(help),
            );
        }
    }
    if let Some(value) = default.as_f64() {
        let (below, above) = (
            min.is_some_and(|m| value < m),
            max.is_some_and(|m| value > m),
        );
        if below || above {
            let (word, bound) = if below {
                ("below `min`", min.unwrap_or_default())
            } else {
                ("above `max`", max.unwrap_or_default())
            };
            out.push(
                Finding::new(
                    &META,
                    pointer,
                    format!("`default` ({value}) is {word} ({bound})"),
                )
                .help("give a default within `min` and `max`, or widen the range"),
            );
        }
    }
}

/// Whether `kind` is an input type the Hub documents (others are `hub-invalid-value`'s).
fn known(kind: &str) -> bool {
    matches!(kind, "string" | "number" | "boolean" | "huggingface")
}
