use serde_json::Value;

use crate::finding::{Finding, shorten};
use crate::kind::Kind;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `config.cpuFlavor` of a Hub listing and of the Hub's `tests.json`: a CPU flavor id,
    /// `cpu` + generation (`3` or `5`) + class (`c` compute, `g` general, `m` memory), with an
    /// optional `-<vCPU>-<GB>` size (`cpu3c`, `cpu5g`, `cpu3c-2-4`). Sources: the REST API's
    /// flavor ids and the Flash CPU types. The Hub's guide links the
    /// field to a list of processor names instead, and no published listing uses the field,
    /// so the format is not confirmed: a warning.
    ///
    /// ## Why it matters
    /// A processor name (`AMD EPYC 9754 128-Core Processor`), the link the guide gives, is not
    /// an id the API takes: the listing cannot be deployed on the CPU it names.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"runsOn": "CPU", "cpuFlavor": "AMD EPYC 9754 128-Core Processor", "containerDiskInGb": 10}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"config": {"runsOn": "CPU", "cpuFlavor": "cpu5c", "containerDiskInGb": 10}}
    /// ```
    META { id: "cpu-flavor", severity: Warning, summary: "`cpuFlavor` is not a CPU flavor id" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Kind(&[Kind::HubConfig, Kind::HubTests], check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    const POINTER: &str = "/config/cpuFlavor";
    let Some(Value::String(flavor)) = ctx.get(POINTER) else {
        return;
    };
    if is_flavor(flavor) {
        return;
    }
    let trimmed = flavor.trim().to_ascii_lowercase();
    let help = if is_flavor(&trimmed) {
        format!("did you mean `{trimmed}`?")
    } else {
        "write a flavor id: `cpu3c`, `cpu3g`, `cpu3m`, `cpu5c`, `cpu5g` or `cpu5m`, optionally sized as `-<vCPU>-<GB>` (`cpu3c-2-4`)".to_owned()
    };
    let what = if flavor.contains("Processor") || flavor.contains("EPYC") || flavor.contains("Xeon")
    {
        "a processor name"
    } else {
        "not a CPU flavor id"
    };
    out.push(
        Finding::new(
            &META,
            ctx.pointer(POINTER),
            format!("`cpuFlavor` `{}` is {what}", shorten(flavor, 60)),
        )
        .help(help),
    );
}

/// `cpu[35][cgm]`, optionally followed by `-<digits>-<digits>`.
fn is_flavor(text: &str) -> bool {
    let bytes = text.as_bytes();
    let head_ok = bytes.len() >= 5
        && text.starts_with("cpu")
        && matches!(bytes[3], b'3' | b'5')
        && matches!(bytes[4], b'c' | b'g' | b'm');
    if !head_ok {
        return false;
    }
    let rest = &text[5..];
    if rest.is_empty() {
        return true;
    }
    let mut parts = rest.split('-');
    parts.next() == Some("")
        && matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None)
            if digits(a) && digits(b))
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::is_flavor;

    #[test]
    fn flavors() {
        for ok in ["cpu3c", "cpu5m", "cpu3g-4-16", "cpu5c-16-32"] {
            assert!(is_flavor(ok), "{ok}");
        }
        for bad in [
            "cpu",
            "cpu4c",
            "cpu3x",
            "cpu3c-",
            "cpu3c-4",
            "cpu3c-4-",
            "cpu3c-4-16-1",
            "cpu3c-a-b",
            "CPU3C",
            "cpu3cc",
        ] {
            assert!(!is_flavor(bad), "{bad}");
        }
    }
}
