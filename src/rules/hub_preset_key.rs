use std::collections::HashSet;

use serde_json::Value;

use crate::finding::{Finding, Target, child_pointer, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every key a Hub listing's preset sets (`config.presets[].defaults`) is the `key`
    /// of an entry in `config.env`, with the key that was probably meant. Source: the Hub's
    /// publishing guide, "Presets": a preset pre-fills env values.
    ///
    /// ## Why it matters
    /// A preset fills in the env inputs the user sees at deploy time. A key no env entry
    /// defines fills in nothing, so choosing the preset silently deploys with the defaults;
    /// real listings keep template placeholders or misspell a key.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "GPU",
    ///   "env": [{"key": "MODEL_NAME", "input": {"type": "string"}}],
    ///   "presets": [{"name": "Small", "defaults": {"MODEL": "org/small"}}]}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "GPU",
    ///   "env": [{"key": "MODEL_NAME", "input": {"type": "string"}}],
    ///   "presets": [{"name": "Small", "defaults": {"MODEL_NAME": "org/small"}}]}}
    /// ```
    META { id: "hub-preset-key", severity: Warning, summary: "a preset sets a key that no env entry defines" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig], check),
};

/// How many unknown preset keys in a document get a did-you-mean.
const SUGGESTIONS: usize = 50;

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Array(presets)) = ctx.get("/config/presets") else {
        return;
    };
    let mut keys: Vec<&str> = match ctx.get("/config/env") {
        Some(Value::Array(env)) => env
            .iter()
            .filter_map(|e| e.get("key").and_then(Value::as_str))
            .collect(),
        _ => Vec::new(),
    };
    let defined: HashSet<&str> = keys.iter().copied().collect();
    keys.sort_unstable();
    keys.dedup();
    // Suggestions cost a comparison with every env key: only the first few misses get one.
    let mut suggestions = SUGGESTIONS;
    for (i, preset) in presets.iter().enumerate() {
        let Some(Value::Object(defaults)) = preset.get("defaults") else {
            continue;
        };
        let name = match preset.get("name") {
            Some(Value::String(name)) => format!("preset `{}`", shorten(name, 40)),
            _ => format!("preset {}", i + 1),
        };
        let base = ctx.pointer(&format!("/config/presets/{i}/defaults"));
        for key in defaults.keys().filter(|k| !defined.contains(k.as_str())) {
            let help = if keys.is_empty() {
                format!(
                    "add an env entry for it: `{{\"key\": \"{}\", \"input\": {{\"type\": \"string\"}}}}`",
                    shorten(key, 40)
                )
            } else {
                let meant = (suggestions > 0)
                    .then(|| {
                        suggestions -= 1;
                        crate::suggest::closest(key, keys.iter().copied())
                    })
                    .flatten();
                match meant {
                    Some(meant) => format!("did you mean `{meant}`?"),
                    None => format!(
                        "the env keys are {}; add an env entry for it or remove it from the preset",
                        list(&keys)
                    ),
                }
            };
            out.push(
                Finding::new(
                    &META,
                    child_pointer(&base, key),
                    format!(
                        "{name} sets `{}`, which no env entry defines",
                        shorten(key, 40)
                    ),
                )
                .at(Target::Key)
                .help(help),
            );
        }
    }
}

/// `` `A`, `B`, `C` `` (the first ten).
fn list(keys: &[&str]) -> String {
    let mut shown: Vec<String> = keys
        .iter()
        .take(10)
        .map(|k| format!("`{}`", shorten(k, 40)))
        .collect();
    if keys.len() > 10 {
        shown.push("…".to_owned());
    }
    shown.join(", ")
}
