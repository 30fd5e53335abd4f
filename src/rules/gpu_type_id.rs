use serde_json::Value;

use crate::finding::{Finding, shorten};
use crate::kind::Kind;
use crate::kinds::gpus;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `config.gpuTypeId` of the Hub's `tests.json`: one GPU **type id** such as
    /// `NVIDIA GeForce RTX 4090`, not a pool. An id RunPod does not list is reported with the
    /// id that was probably meant (from the dated GPU list shipped with rplint,
    /// `src/kinds/gpus.tsv`).
    ///
    /// ## Why it matters
    /// The Hub runs the tests on the GPU named here. Real files name GPUs that do not exist
    /// (`"NVIDIA A100"`, `"NNVIDIA L40"` in an official worker, `"NONE"`), so the release's
    /// tests cannot be placed.
    ///
    /// ## Example
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {}}], "config": {"gpuTypeId": "NNVIDIA L40", "gpuCount": 1}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"tests": [{"name": "smoke", "input": {}}], "config": {"gpuTypeId": "NVIDIA L40", "gpuCount": 1}}
    /// ```
    META { id: "gpu-type-id", severity: Warning, summary: "a test's `gpuTypeId` is not a GPU type id RunPod lists" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubTests], check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    const POINTER: &str = "/config/gpuTypeId";
    let Some(Value::String(id)) = ctx.get(POINTER) else {
        return;
    };
    if gpus::gpu(id).is_some() {
        return;
    }
    let shown = shorten(id, 60);
    let example = gpus::gpus()
        .find(|g| g.pool.is_some_and(|p| p.eq_ignore_ascii_case(id)))
        .map(|g| g.id);
    let (message, help) = if gpus::pools().any(|p| p.eq_ignore_ascii_case(id)) {
        (
            format!("`{shown}` is a GPU pool; a test runs on one GPU type id"),
            format!(
                "name one GPU of the pool, such as `{}`",
                example.unwrap_or("NVIDIA GeForce RTX 4090")
            ),
        )
    } else {
        let meant = gpus::closest(id);
        (
            format!("`{shown}` is not a GPU type id RunPod lists"),
            meant.map_or_else(
                || "use a GPU type id from RunPod's GPU types page, such as `NVIDIA GeForce RTX 4090`".to_owned(),
                |m| format!("did you mean `{m}`?"),
            ),
        )
    };
    out.push(Finding::new(&META, ctx.pointer(POINTER), message).help(help));
}
