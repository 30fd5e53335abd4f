use crate::document::{Document, DuplicateKey};
use crate::finding::{Finding, Target, child_pointer};
use crate::rules::{Check, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Keys that appear more than once in the same object, at any depth (inside `input` too).
    /// The finding points at the repeated key and labels the earlier one.
    ///
    /// ## Why it matters
    /// JSON parsers keep one of the values and silently drop the other; which one depends on
    /// the parser. The value the worker receives may not be the one you edited.
    ///
    /// ## Example
    /// ```json
    /// {"input": {"steps": 20, "prompt": "a cat", "steps": 50}}
    /// ```
    ///
    /// ## Fix
    /// Keep one:
    /// ```json
    /// {"input": {"prompt": "a cat", "steps": 50}}
    /// ```
    META { id: "duplicate-key", severity: Error, summary: "the same key twice in one object" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Document(check),
};

fn check(doc: &Document<'_>, out: &mut Findings<'_>) {
    for dup in doc.duplicates() {
        let pointer = child_pointer(&dup.object, &dup.key);
        let place = if dup.object.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{}`", crate::finding::shorten(&dup.object, 60))
        };
        let shown = crate::finding::shorten(&dup.key, 60);
        // Python's and Go's JSON readers keep the last value: removing the earlier member keeps
        // what the service reads, but not what a first-wins reader did (unsafe).
        let deletion = doc
            .member_in_object(dup.open, &dup.key, dup.occurrence - 1)
            .and_then(|earlier| doc.member_deletion(earlier));
        let mut finding =
            Finding::new(&META, pointer.clone(), format!("duplicate key `{shown}` {place}"))
                .at(occurrence(doc, dup, dup.occurrence))
                .label(
                    pointer.clone(),
                    occurrence(doc, dup, dup.occurrence - 1),
                    if dup.occurrence == 1 {
                        "first defined here"
                    } else {
                        "defined before here"
                    },
                )
                .help("remove one of them: parsers keep only one value, and which one differs between parsers");
        if let Some(span) = deletion {
            finding = finding.fix(
                crate::finding::Applicability::Unsafe,
                format!("remove the earlier `{shown}` (the service keeps the last value)"),
                pointer,
                Target::At(span),
                "",
            );
        }
        out.push(finding);
    }
    if doc.more_duplicates() > 0 {
        out.push(
            Finding::new(
                &META,
                "",
                format!(
                    "{} more duplicate keys in this document are not listed",
                    crate::rules::group_digits(doc.more_duplicates())
                ),
            )
            .at(Target::Inside)
            .help(
                "a key repeated this often is generated: fix the program that writes the document",
            ),
        );
    }
}

/// Where the `n`th occurrence of the duplicate key is: in the very object the parser saw it
/// in (its pointer may name a later object, where an enclosing key repeats too).
fn occurrence(doc: &Document<'_>, dup: &DuplicateKey, n: usize) -> Target {
    doc.key_in_object(dup.open, &dup.key, n)
        .map_or(Target::KeyOccurrence(n), Target::At)
}
