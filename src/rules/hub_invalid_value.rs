use crate::finding::{Finding, shorten};
use crate::rules::{
    Check, Context, Findings, Rule, brief_value, declare_rule, key_name, shape_words,
};
use crate::schema::{Shape, ShapeKind};

declare_rule! {
    /// ## What it checks
    /// Values of a Hub file outside the documented set: `type` (`serverless`), `category`
    /// (`audio`, `embedding`, `language`, `video`, `image`), `config.runsOn` (`GPU`, `CPU`),
    /// `config.endpointType` (`LB`), an env input's `type` (`string`, `number`, `boolean`,
    /// `huggingface`), and any other constraint of the Hub file's schema.
    ///
    /// ## Why it matters
    /// The Hub files listings by these values and deploys by them. RunPod staff changed
    /// `"type": "password"` to `"string"` in an official worker before it was accepted; a
    /// category written `"Image"` is not one of the Hub's.
    ///
    /// ## Example
    /// ```json
    /// {"title": "SDXL", "description": "Images", "type": "serverless", "category": "Image",
    ///  "config": {"runsOn": "gpu", "containerDiskInGb": 20, "gpuIds": "ADA_24", "gpuCount": 1}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"title": "SDXL", "description": "Images", "type": "serverless", "category": "image",
    ///  "config": {"runsOn": "GPU", "containerDiskInGb": 20, "gpuIds": "ADA_24", "gpuCount": 1}}
    /// ```
    META { id: "hub-invalid-value", severity: Error, summary: "a Hub file's value is not one the Hub documents" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    for shape in shapes {
        let name = key_name(&shape.pointer);
        let written = ctx
            .get(&shape.pointer)
            .map_or_else(String::new, brief_value);
        let written = shorten(&written, 40);
        let (message, help) = match &shape.kind {
            ShapeKind::NotAllowed(allowed) => {
                let list = allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let same_but_case = allowed.iter().find(|a| a.eq_ignore_ascii_case(&written));
                let close = same_but_case.map(String::as_str).or_else(|| {
                    crate::suggest::closest(&written, allowed.iter().map(String::as_str))
                });
                (
                    format!("`{name}` is `{written}`, which the Hub does not know"),
                    match close {
                        Some(meant) => format!("did you mean `{meant}`? The values are {list}"),
                        None => format!("use one of {list}"),
                    },
                )
            }
            ShapeKind::Other(reason) => (
                format!("`{name}` does not fit the Hub file's schema: {reason}"),
                "see the Hub's publishing guide for this field".to_owned(),
            ),
            _ => shape_words(shape, "the Hub file"),
        };
        out.push(Finding::new(&META, ctx.pointer(&shape.pointer), message).help(help));
    }
}
