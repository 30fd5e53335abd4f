use std::collections::HashMap;

use serde_json::Value;

use crate::finding::{Finding, Target, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The entries of `config.env` in a Hub listing and in the Hub's `tests.json`: each sets a
    /// non-empty `key` once, and a listing's entry has exactly one of `value` (a fixed value the user
    /// never sees) or `input` (a value the user fills in at deploy time). Source: the Hub's
    /// publishing guide, "Environment variables".
    ///
    /// ## Why it matters
    /// An entry with both leaves it to the Hub which one wins; an entry with neither sets
    /// nothing; a key defined twice sets the variable to one of two values. Each is a deployed
    /// worker configured differently from what the file says.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "GPU", "env": [
    ///   {"key": "MODEL", "value": "a/b", "input": {"name": "Model", "type": "string"}},
    ///   {"key": "MODEL", "value": "c/d"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "GPU", "env": [
    ///   {"key": "MODEL", "input": {"name": "Model", "type": "string", "default": "a/b"}}
    /// ]}}
    /// ```
    META { id: "hub-env-entry", severity: Error, summary: "an env entry's key is empty or set twice, or it has both or neither of `value` and `input`" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig, Kind::HubTests], check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Array(entries)) = ctx.get("/config/env") else {
        return;
    };
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let pointer = ctx.pointer(&format!("/config/env/{i}"));
        let shown = match entry.get("key") {
            Some(Value::String(key)) => format!("`{}`", shorten(key, 40)),
            _ => format!("{}", i + 1),
        };
        match (entry.contains_key("value"), entry.contains_key("input")) {
            (true, true) => out.push(
                Finding::new(
                    &META,
                    format!("{pointer}/input"),
                    format!("env entry {shown} has both `value` and `input`"),
                )
                .at(Target::Key)
                .label(format!("{pointer}/value"), Target::Key, "the fixed value")
                .help("keep `value` for a fixed value the user never sees, or `input` for one the user fills in at deploy time (its `default` pre-fills it); not both"),
            ),
            // A test's entry without `value` is a missing field, which the schema reports.
            (false, false) if ctx.kind == Kind::HubConfig => out.push(
                Finding::new(
                    &META,
                    pointer.clone(),
                    format!("env entry {shown} has neither `value` nor `input`"),
                )
                .at(Target::Inside)
                .help("add `\"value\": \"...\"` for a fixed value, or `\"input\": {\"name\": \"...\", \"type\": \"string\"}` for one the user fills in"),
            ),
            _ => {}
        }
        let Some(Value::String(key)) = entry.get("key") else {
            continue;
        };
        if key.trim().is_empty() {
            out.push(
                Finding::new(
                    &META,
                    format!("{pointer}/key"),
                    format!("env entry {} has an empty `key`", i + 1),
                )
                .help("give the environment variable's name, such as `\"key\": \"MODEL_NAME\"`"),
            );
            continue;
        }
        match first.get(key.as_str()) {
            Some(&earlier) => out.push(
                Finding::new(
                    &META,
                    format!("{pointer}/key"),
                    format!("env key {shown} is set twice"),
                )
                .label(
                    ctx.pointer(&format!("/config/env/{earlier}/key")),
                    Target::Value,
                    "first set here",
                )
                .help("each variable is set once: remove one of the entries, or rename it"),
            ),
            None => {
                first.insert(key, i);
            }
        }
    }
}
