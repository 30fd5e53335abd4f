use serde_json::Value;

use crate::finding::{Finding, Target, child_pointer, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule, key_name};
use crate::schema::{Shape, ShapeKind};

declare_rule! {
    /// ## What it checks
    /// That a Hub file has every field the Hub's publishing guide requires: in `hub.json`,
    /// `title`, `description`, `type`, `category` and `config` with `runsOn` and
    /// `containerDiskInGb`, plus `gpuIds` and `gpuCount` for a GPU listing or `cpuFlavor` for
    /// a CPU one; in `tests.json`, `tests` with a `name` and an `input` in each test; each env
    /// entry's `key`, each preset's `name` and `defaults`.
    ///
    /// ## Why it matters
    /// The Hub builds and tests every release from these files; a listing without them cannot
    /// be deployed as published (a GPU listing without `gpuIds` has no GPUs to run on).
    ///
    /// ## Example
    /// `.runpod/hub.json`:
    /// ```json
    /// {"title": "Whisper", "description": "Speech to text", "type": "serverless",
    ///  "category": "audio", "config": {"runsOn": "GPU", "containerDiskInGb": 20}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"title": "Whisper", "description": "Speech to text", "type": "serverless",
    ///  "category": "audio",
    ///  "config": {"runsOn": "GPU", "containerDiskInGb": 20, "gpuIds": "ADA_24", "gpuCount": 1}}
    /// ```
    META { id: "hub-missing-field", severity: Error, summary: "a Hub file lacks a required field" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::ShapeAndKind(&[Kind::HubConfig, Kind::HubTests], check, compute_fields),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    for shape in shapes {
        let ShapeKind::Missing(key) = &shape.kind else {
            continue;
        };
        let place = if shape.pointer.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{}`", shorten(&key_name(&shape.pointer), 40))
        };
        out.push(
            // The pointer of the missing member, so that each is its own finding (and
            // suppression); it is shown where the object that lacks it is.
            Finding::new(
                &META,
                child_pointer(&ctx.pointer(&shape.pointer), key),
                format!("missing `{key}` {place}"),
            )
            .at(Target::Inside)
            .help(help(key)),
        );
    }
}

/// What to write for a missing field.
fn help(key: &str) -> String {
    match key {
        "type" => "add `\"type\": \"serverless\"`".to_owned(),
        "category" => "add a category: `audio`, `embedding`, `language`, `video` or `image`".to_owned(),
        "runsOn" => "add `\"runsOn\": \"GPU\"` or `\"runsOn\": \"CPU\"`".to_owned(),
        "containerDiskInGb" => "add the container disk size in GB, as an integer: `\"containerDiskInGb\": 20`".to_owned(),
        "config" => "add the deployment settings: `\"config\": {\"runsOn\": \"GPU\", \"containerDiskInGb\": 20, \"gpuIds\": \"ADA_24\", \"gpuCount\": 1}`".to_owned(),
        "tests" => "add the tests: `\"tests\": [{\"name\": \"smoke\", \"input\": {...}}]`".to_owned(),
        "input" => "add the job input the test sends: `\"input\": {...}` (the request's `input`, not a whole request)".to_owned(),
        other => format!("add `{other}`"),
    }
}

/// A GPU listing needs `gpuIds` and `gpuCount`; a CPU listing needs `cpuFlavor`. The Hub's tests on a GPU (`gpuTypeId`) need `gpuCount` too.
fn compute_fields(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Object(config)) = ctx.get("/config") else {
        return;
    };
    if ctx.kind == Kind::HubTests {
        if config.contains_key("gpuTypeId") && !config.contains_key("gpuCount") {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer("/config/gpuCount"),
                    "missing `gpuCount` in `config`",
                )
                .at(Target::Inside)
                .label(
                    ctx.pointer("/config/gpuTypeId"),
                    Target::Value,
                    "the GPU the tests run on",
                )
                .help("tests on a GPU need the number of GPUs too: `\"gpuCount\": 1`"),
            );
        }
        return;
    }
    let (needed, example): (&[&str], &str) = match config.get("runsOn").and_then(Value::as_str) {
        Some("GPU") => (
            &["gpuIds", "gpuCount"],
            "a GPU listing needs `\"gpuIds\": \"ADA_24\"` (GPU pool ids, comma-separated) and `\"gpuCount\": 1`",
        ),
        Some("CPU") => (
            &["cpuFlavor"],
            "a CPU listing needs a CPU flavor, such as `\"cpuFlavor\": \"cpu3c\"`",
        ),
        _ => return,
    };
    for key in needed.iter().filter(|k| !config.contains_key(**k)) {
        out.push(
            Finding::new(
                &META,
                ctx.pointer(&child_pointer("/config", key)),
                format!("missing `{key}` in `config`"),
            )
            .at(Target::Inside)
            .label(
                ctx.pointer("/config/runsOn"),
                Target::Value,
                "the hardware it runs on",
            )
            .help(example),
        );
    }
}
