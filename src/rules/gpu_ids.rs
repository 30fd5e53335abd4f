use serde_json::Value;

use crate::finding::{Finding, Severity, shorten};
use crate::kind::Kind;
use crate::kinds::gpus;
use crate::rules::{Check, Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `config.gpuIds` of a Hub listing: one string of comma-separated GPU **pool** ids
    /// (`ADA_24`, `AMPERE_48`, ...), each optionally followed by `-<GPU type id>` entries that
    /// exclude single GPUs (`"ADA_24,-NVIDIA GeForce RTX 4090"`). A GPU type id where a pool
    /// belongs, an unknown pool, a negation of an unknown GPU, or an empty entry is an error,
    /// with the pool or id that was probably meant; a space after a comma is a warning. The
    /// pools and GPU ids are dated data shipped with rplint (`src/kinds/gpus.tsv`: RunPod's
    /// GPU types page of 2026-08-18 and the Flash SDK).
    ///
    /// ## Why it matters
    /// Since May 2025 the Hub takes pools, not GPU names: the official workers changed
    /// `"NVIDIA GeForce RTX 4090"` to `"ADA_24"` together. An id the Hub does not know leaves
    /// the listing without the GPUs it was meant for.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "GPU", "gpuCount": 1, "containerDiskInGb": 20,
    ///   "gpuIds": "NVIDIA GeForce RTX 4090, AMPERE_24"}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "GPU", "gpuCount": 1, "containerDiskInGb": 20,
    ///   "gpuIds": "ADA_24,AMPERE_24"}}
    /// ```
    META { id: "gpu-ids", severity: Error, summary: "`gpuIds` is not a list of GPU pool ids",
        also: [(Warning, "for spaces around a comma")] }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig], check),
};

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    const POINTER: &str = "/config/gpuIds";
    let Some(Value::String(ids)) = ctx.get(POINTER) else {
        return;
    };
    let mut spaced = false;
    for entry in ids.split(',') {
        spaced |= entry != entry.trim();
        let entry = entry.trim();
        let (negated, id) = match entry.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, entry),
        };
        let shown = shorten(entry, 60);
        let problem = if id.is_empty() {
            Some((
                "`gpuIds` has an empty entry".to_owned(),
                "remove the extra comma: entries are pool ids separated by `,`".to_owned(),
            ))
        } else if negated {
            (gpus::gpu(id).is_none()).then(|| {
                (
                    format!(
                        "`-{}` excludes a GPU type id RunPod does not list",
                        shorten(id, 60)
                    ),
                    gpus::closest(id).map_or_else(
                        || {
                            "after `-`, write a GPU type id such as `NVIDIA GeForce RTX 4090`"
                                .to_owned()
                        },
                        |g| format!("did you mean `-{g}`?"),
                    ),
                )
            })
        } else if gpus::is_pool(id) {
            None
        } else if let Some(gpu) = gpus::gpu(id).or_else(|| gpus::closest(id).and_then(gpus::gpu)) {
            Some((
                format!("`{shown}` is a GPU type id, not a pool: the Hub takes GPU pools"),
                match gpu.pool {
                    Some(pool) => format!(
                        "use the pool `{pool}`, which holds the {}; to leave a GPU out of a pool, add `-{}`",
                        gpu.id, gpu.id
                    ),
                    None => format!(
                        "use a pool id ({}); RunPod's GPU list names no pool for the {}",
                        pool_list(),
                        gpu.id
                    ),
                },
            ))
        } else {
            let upper = id.to_ascii_uppercase();
            let meant = if gpus::is_pool(&upper) {
                Some(upper.as_str())
            } else {
                crate::suggest::closest(id, gpus::pools())
            };
            Some((
                format!("`{shown}` is not a GPU pool id"),
                match meant {
                    Some(pool) => format!("did you mean `{pool}`? The pools are {}", pool_list()),
                    None => format!("the pools are {}", pool_list()),
                },
            ))
        };
        if let Some((message, help)) = problem {
            out.push(Finding::new(&META, ctx.pointer(POINTER), message).help(help));
        }
    }
    if spaced {
        out.push(
            Finding::new(
                &META,
                ctx.pointer(POINTER),
                "`gpuIds` has spaces around a comma",
            )
            .severity(Severity::Warning)
            .help(format!(
                "write the ids without spaces: `{}`",
                shorten(
                    &ids.split(',').map(str::trim).collect::<Vec<_>>().join(","),
                    80
                )
            )),
        );
    }
}

fn pool_list() -> String {
    gpus::pools()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
