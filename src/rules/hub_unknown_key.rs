use crate::finding::{Finding, Target, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule, key_name};
use crate::schema::{Shape, ShapeKind, kind_schema};

declare_rule! {
    /// ## What it checks
    /// Keys a Hub file does not document: in `hub.json`, `tests.json` and the test runner's
    /// `.github/tests.json`, at every level the Hub reads (not inside a test's `input`, which
    /// belongs to the worker). The help names the key that was probably meant.
    ///
    /// ## Why it matters
    /// The Hub ignores keys it does not know: a misspelt `gpuId` in a test's `config` leaves
    /// the test on the default GPU, an `expected_output` is never compared, a `name` at the top
    /// of `hub.json` is not the listing's `title`.
    ///
    /// ## Example
    /// `.runpod/tests.json`:
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {}}], "config": {"gpuId": "NVIDIA GeForce RTX 4090"}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {}}], "config": {"gpuTypeId": "NVIDIA GeForce RTX 4090"}}
    /// ```
    META { id: "hub-unknown-key", severity: Warning, summary: "a key a Hub file does not document" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

/// Misspellings that similarity alone does not find: (written, meant).
const ALIASES: &[(&str, &str)] = &[
    ("name", "title"),
    ("icon", "iconUrl"),
    ("gpuTypeIds", "gpuIds"),
    ("gpuId", "gpuTypeId"),
    ("gpuIds", "gpuTypeId"),
    ("expected_output", "expectedOutput"),
    ("categories", "category"),
    ("env", "defaults"),
];

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(schema) = kind_schema(ctx.kind) else {
        return;
    };
    for shape in shapes {
        let ShapeKind::Unexpected(key) = &shape.kind else {
            continue;
        };
        let known = schema.known_keys(&shape.pointer);
        let meant = ALIASES
            .iter()
            .find(|(written, meant)| written == key && known.iter().any(|k| k == meant))
            .map(|(_, meant)| *meant)
            .or_else(|| crate::suggest::closest(key, known.iter().map(String::as_str)));
        let shown = shorten(key, 60);
        let place = if shape.pointer.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{}`", shorten(&key_name(&shape.pointer), 40))
        };
        let in_config =
            shape.pointer.is_empty() && schema.known_keys("/config").iter().any(|k| k == key);
        let help = match meant {
            Some(meant) => format!("did you mean `{meant}`?"),
            None if in_config => format!("move `{shown}` inside `config`, where the Hub reads it"),
            None if known.is_empty() => format!("remove `{shown}`"),
            None => format!(
                "the keys here are {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.push(
            Finding::new(
                &META,
                ctx.pointer(&shape.value_pointer()),
                format!(
                    "unknown key `{shown}` {place}: {} ignores it",
                    if ctx.kind == Kind::LegacyTests {
                        "the test runner"
                    } else {
                        "the Hub"
                    }
                ),
            )
            .at(Target::Key)
            .help(help),
        );
    }
}
