use crate::finding::{Finding, Target, shorten};
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
use crate::schema::{Shape, ShapeKind};

declare_rule! {
    /// ## What it checks
    /// Keys beside `requests` in the body of `POST .../batch/{batch_id}/requests`. A `name`
    /// there is the batch-create body that the service retired on 2026-08-19
    /// (`{"name": ..., "requests": [...]}`).
    ///
    /// ## Why it matters
    /// The route takes only `{"requests": [...]}`. A batch is now created by posting an array
    /// of requests to `/batch`; a name is set afterwards with `PUT /batch/{batch_id}`.
    ///
    /// ## Example
    /// ```json
    /// {"name": "nightly", "requests": [{"input": {"n": 1}}]}
    /// ```
    ///
    /// ## Fix
    /// Create the batch with the array (`POST .../batch`), then name it with
    /// `PUT .../batch/{batch_id}`:
    /// ```json
    /// [{"input": {"n": 1}}]
    /// ```
    META { id: "batch-unknown-key", severity: Error, summary: "a batch body has a key the batch routes do not take" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    for shape in shapes {
        let ShapeKind::Unexpected(key) = &shape.kind else {
            continue;
        };
        let (message, help) = if key == "name" {
            (
                "`name` with `requests` is the retired batch-create body".to_owned(),
                "create a batch by posting an array of requests to `/batch` (`--route batch`), then set its name with `PUT /batch/{batch_id}`; this route takes only `{\"requests\": [...]}`".to_owned(),
            )
        } else {
            (
                format!(
                    "unknown key `{}` beside `requests`: the route takes only `requests`",
                    shorten(key, 60)
                ),
                "remove it; the requests' own settings go inside each request".to_owned(),
            )
        };
        out.push(
            Finding::new(&META, ctx.pointer(&shape.value_pointer()), message)
                .at(Target::Key)
                .help(help),
        );
    }
}
