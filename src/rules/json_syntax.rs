use crate::finding::{Finding, Target};
use crate::rules::{Check, Findings, Rule, TextContext, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the document is strict JSON (RFC 8259) in UTF-8: no comments, trailing commas,
    /// single quotes, unquoted keys, `NaN` or `Infinity`, raw control characters in strings,
    /// and exactly one value. Each finding points at the culprit and says what JSON forbids
    /// there; every independent error is reported (an error with an exact repair, such as a
    /// comment or a trailing comma, is repaired in a copy and the parse goes on; one without
    /// ends the list).
    ///
    /// ## Why it matters
    /// The service parses the body with a strict JSON parser and rejects the whole request on
    /// the first syntax error. Files that editors accept (JSONC, JSON5) are not requests.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   // the prompt
    ///   "input": {"prompt": "a cat",},
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {
    ///   "input": {"prompt": "a cat"}
    /// }
    /// ```
    META { id: "json-syntax", severity: Error, summary: "the document is not strict JSON" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Text(check),
};

fn check(ctx: &TextContext<'_>, out: &mut Findings<'_>) {
    for error in ctx.syntax {
        // A byte that is not UTF-8 reads as `?`; a syntax error there is `invalid-utf8`'s.
        if ctx.source.is_invalid_utf8(error.span.start) {
            continue;
        }
        let mut finding = Finding::new(&META, "", error.message.clone()).at(Target::At(error.span));
        if let Some(help) = &error.help {
            finding = finding.help(help.clone());
        }
        if let Some((span, message)) = &error.label {
            finding = finding.label("", Target::At(*span), message.clone());
        }
        out.push(finding);
    }
}
