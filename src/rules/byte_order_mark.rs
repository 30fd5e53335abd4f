use crate::finding::{Finding, Span, Target};
use crate::rules::{Check, Findings, Rule, TextContext, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A byte order mark (U+FEFF, the bytes `EF BB BF`) at the start of the file. The rest of
    /// the document is still checked.
    ///
    /// ## Why it matters
    /// Some editors on Windows save UTF-8 with a byte order mark. JSON forbids it, and the
    /// service's parser rejects a body sent as-is (`curl --data @request.json`) that starts
    /// with one.
    ///
    /// ## Example
    /// A file whose first three bytes are `EF BB BF`, followed by:
    /// ```json
    /// {"input": {"prompt": "a cat"}}
    /// ```
    ///
    /// ## Fix
    /// Save the file as UTF-8 without a byte order mark ("UTF-8", not "UTF-8 with BOM").
    META { id: "byte-order-mark", severity: Warning, summary: "the file starts with a byte order mark" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Text(check),
};

fn check(ctx: &TextContext<'_>, out: &mut Findings<'_>) {
    out.extend(ctx.source.text().starts_with('\u{feff}').then(|| {
        Finding::new(&META, "", "the file starts with a byte order mark (U+FEFF), which is not JSON")
            .at(Target::At(Span::new(0, '\u{feff}'.len_utf8())))
            .help("save the file as UTF-8 without a byte order mark: a body sent as the file is (`curl --data @file`) starts with it, and is not JSON the service's parser accepts")
            .fix(
                crate::finding::Applicability::Safe,
                "remove the byte order mark",
                "",
                Target::At(Span::new(0, '\u{feff}'.len_utf8())),
                "",
            )
    }));
}
