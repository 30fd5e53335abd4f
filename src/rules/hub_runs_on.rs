use serde_json::Value;

use crate::finding::{Finding, Target};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That a Hub listing's `config` holds the compute fields of the hardware it runs on:
    /// `cpuFlavor` only with `"runsOn": "CPU"`, `gpuIds` and `gpuCount` only with
    /// `"runsOn": "GPU"`; and that the Hub's `tests.json` does not name both a GPU
    /// (`gpuTypeId`) and a CPU flavor. (A field the hardware *needs* and lacks is
    /// `hub-missing-field`.) Source: the Hub's publishing guide, "Configuration".
    ///
    /// ## Why it matters
    /// The Hub deploys on the hardware `runsOn` names and ignores the other's fields, so the
    /// listing does not deploy what its author configured (often a copy from a template of the
    /// other kind).
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "CPU", "cpuFlavor": "cpu3c", "gpuIds": "ADA_24", "containerDiskInGb": 10}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "CPU", "cpuFlavor": "cpu3c", "containerDiskInGb": 10}}
    /// ```
    META { id: "hub-runs-on", severity: Warning, summary: "compute fields of the other hardware (`cpuFlavor` on GPU, `gpuIds` on CPU)" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig, Kind::HubTests], check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Object(config)) = ctx.get("/config") else {
        return;
    };
    if ctx.kind == Kind::HubTests {
        if config.contains_key("gpuTypeId") && config.contains_key("cpuFlavor") {
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer("/config/cpuFlavor"),
                    "the tests name both a GPU (`gpuTypeId`) and a CPU flavor (`cpuFlavor`)",
                )
                .at(Target::Key)
                .label(ctx.pointer("/config/gpuTypeId"), Target::Key, "the GPU")
                .help("keep `gpuTypeId` and `gpuCount` for a GPU worker, or `cpuFlavor` for a CPU worker"),
            );
        }
        return;
    }
    let (runs_on, others): (&str, &[&str]) = match config.get("runsOn").and_then(Value::as_str) {
        Some("GPU") => ("GPU", &["cpuFlavor"]),
        Some("CPU") => ("CPU", &["gpuIds", "gpuCount"]),
        _ => return,
    };
    for key in others.iter().filter(|k| config.contains_key(**k)) {
        let other = if runs_on == "GPU" { "CPU" } else { "GPU" };
        out.push(
            Finding::new(
                &META,
                ctx.pointer(&format!("/config/{key}")),
                format!("`{key}` applies to {other} listings; this listing runs on {runs_on}"),
            )
            .at(Target::Key)
            .label(ctx.pointer("/config/runsOn"), Target::Value, "set here")
            .help(format!("remove `{key}`, or set `\"runsOn\": \"{other}\"`")),
        );
    }
}
