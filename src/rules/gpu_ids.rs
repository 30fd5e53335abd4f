use serde_json::Value;

use crate::finding::{Finding, Severity, shorten};
use crate::kind::Kind;
use crate::kinds::gpus;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

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
        also: [(Warning, "for spaces around a comma, a pool listed twice, or a pool id in another case")] }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig], check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    const POINTER: &str = "/config/gpuIds";
    let Some(Value::String(ids)) = ctx.get(POINTER) else {
        return;
    };
    let mut spaced = false;
    let mut pools: Vec<&str> = Vec::new();
    let mut positive = false;
    for entry in ids.split(',') {
        spaced |= entry != entry.trim();
        let entry = entry.trim();
        let (negated, id) = match entry.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, entry),
        };
        positive |= !negated && !id.is_empty();
        let shown = shorten(entry, 60);
        let problem = if id.is_empty() {
            Some((
                "`gpuIds` has an empty entry".to_owned(),
                "remove the extra comma: entries are pool ids separated by `,`".to_owned(),
            ))
        } else if negated && gpus::is_pool(&id.to_ascii_uppercase()) {
            Some((
                format!("`-{}` negates a pool: only single GPUs can be left out", shorten(id, 60)),
                "remove the pool from the list instead; `-<GPU type id>` leaves one GPU out of the pools listed".to_owned(),
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
            if pools.contains(&id) {
                out.push(
                    Finding::new(
                        &META,
                        ctx.pointer(POINTER),
                        format!("`gpuIds` lists `{shown}` twice"),
                    )
                    .severity(Severity::Warning)
                    .help("list each pool once"),
                );
                None
            } else {
                pools.push(id);
                None
            }
        } else if gpus::is_pool(&id.to_ascii_uppercase()) {
            // Pool ids are read in any case by RunPod's tooling; what the Hub does is not
            // documented.
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(POINTER),
                    format!("`{shown}` is a pool id in another case"),
                )
                .severity(Severity::Warning)
                .help(format!(
                    "write it as RunPod lists it: `{}`",
                    id.to_ascii_uppercase()
                )),
            );
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
    if !positive && ids.contains('-') {
        out.push(
            Finding::new(
                &META,
                ctx.pointer(POINTER),
                "`gpuIds` only leaves GPUs out: it names no pool to take them from",
            )
            .help("list the pools first, then the GPUs to leave out: `ADA_24,-NVIDIA GeForce RTX 4090`"),
        );
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
                    400
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
