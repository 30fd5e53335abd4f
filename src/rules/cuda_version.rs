use serde_json::Value;

use crate::finding::{Finding, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The entries of `config.allowedCudaVersions` in a Hub listing and in the Hub's
    /// `tests.json`: each a `major.minor` string (`"12.8"`) among the versions RunPod hosts run,
    /// 11.8 to 13.x. Sources: the REST API's enum (`11.8`, `12.0`…`12.9`, `13.0`) and
    /// official listings (which also use `13.1`, `13.2`). (A number
    /// instead of a string is `invalid-type`.)
    ///
    /// ## Why it matters
    /// The list is an allow-list, not a minimum: the worker is placed only on hosts whose CUDA
    /// version is listed. A version written as `"13"` or `"12.8.1"`, or one no host runs,
    /// matches no host, and a list of only such versions leaves the worker unplaceable.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "GPU", "allowedCudaVersions": ["13", "10.2"]}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "GPU", "allowedCudaVersions": ["13.0", "12.8"]}}
    /// ```
    META { id: "cuda-version", severity: Warning, summary: "a CUDA version is not `major.minor` or not one RunPod hosts run" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig, Kind::HubTests], check),
};

/// The oldest and newest (major) CUDA versions RunPod hosts run.
const OLDEST: (u32, u32) = (11, 8);
const NEWEST_MAJOR: u32 = 13;

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    let Some(Value::Array(versions)) = ctx.get("/config/allowedCudaVersions") else {
        return;
    };
    for (i, version) in versions.iter().enumerate() {
        let Value::String(version) = version else {
            continue;
        };
        let pointer = ctx.pointer(&format!("/config/allowedCudaVersions/{i}"));
        let shown = shorten(version, 30);
        let Some((major, minor)) = parse(version) else {
            let help = match version.trim().parse::<u32>() {
                Ok(major) => format!("write the minor version too: `\"{major}.0\"`"),
                Err(_) => "write the version as `major.minor`, such as `\"12.8\"`".to_owned(),
            };
            out.push(
                Finding::new(
                    &META,
                    pointer,
                    format!("`{shown}` is not a CUDA version written as `major.minor`"),
                )
                .help(help),
            );
            continue;
        };
        if (major, minor) < OLDEST || major > NEWEST_MAJOR {
            out.push(
                Finding::new(
                    &META,
                    pointer,
                    format!("CUDA {shown} is not a version RunPod hosts run (11.8 to 13.x)"),
                )
                .help("list versions from 11.8 to 13.x; a version no host runs places the worker nowhere"),
            );
        }
    }
}

/// `"12.8"` → `(12, 8)`: digits, one dot, digits.
fn parse(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.split_once('.')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(major) || !all_digits(minor) {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}
