//! Applying findings' fixes to a document's text.
//!
//! A fix is data on its finding ([`crate::finding::Fix`]): byte edits and an applicability.
//! [`apply`] makes one pass: the fixes that may be applied, in order of position, each kept
//! only when none of its edits overlaps an edit already kept; every other byte of the text
//! stays as it was (indentation, key order, line endings, the final newline). The command
//! line runs passes until nothing changes, re-checking the text in between, because fixes
//! that overlapped in one pass may apply in the next.

use crate::finding::{Applicability, Finding, Span};

/// One pass of fixes over a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    /// The text with the pass's fixes applied.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many fixes were not, being unsafe while only safe ones were asked for.
    pub unsafe_left: usize,
}

/// Apply the fixes of `findings` to `text` (the text they were found in): the safe ones, and
/// the unsafe ones too when `unsafe_fixes`. Edits whose spans fall outside `text` or off a
/// character boundary are never applied.
pub fn apply(text: &str, findings: &[Finding], unsafe_fixes: bool) -> Pass {
    let mut unsafe_left = 0;
    let mut chosen: Vec<(Span, &str)> = Vec::new();
    let mut fixes: Vec<&crate::finding::Fix> =
        findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|fix| fix.edits.iter().map(|e| e.span.start).min().unwrap_or(0));
    let mut applied = 0;
    for fix in fixes {
        if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
            unsafe_left += 1;
            continue;
        }
        let valid = !fix.edits.is_empty()
            && fix.edits.iter().all(|e| {
                e.span.start <= e.span.end
                    && e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            });
        // Edits overlap where they share a byte, or where an insertion meets a replacement at
        // its start (which goes first is unclear). Insertions at one place are applied in the
        // fixes' order (several parameters moved to the end of `input` in one pass).
        let overlaps = fix.edits.iter().any(|e| {
            chosen.iter().any(|(span, _)| {
                e.span.start < span.end && span.start < e.span.end
                    || (e.span.start == span.start && (e.span.is_empty() != span.is_empty()))
            })
        });
        if !valid || overlaps {
            continue;
        }
        chosen.extend(fix.edits.iter().map(|e| (e.span, e.replacement.as_str())));
        applied += 1;
    }
    chosen.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (span, replacement) in chosen {
        out.push_str(&text[done..span.start]);
        out.push_str(replacement);
        done = span.end;
    }
    out.push_str(&text[done..]);
    Pass {
        text: out,
        applied,
        unsafe_left,
    }
}

/// What passes of fixes made of a text (see [`rounds`]).
#[derive(Debug)]
pub struct Rounds<T> {
    /// The text after every pass.
    pub text: String,
    /// How many fixes were applied in all.
    pub applied: usize,
    /// How many unsafe fixes would apply to `text` (0 when they were applied, or not counted).
    pub unsafe_left: usize,
    /// The last check, of `text`; `None` when no pass changed anything.
    pub after: Option<T>,
    /// The text parsed as JSON before and no longer does: the fixes must not be applied.
    pub breaks_json: bool,
    /// The text fit its route before and no longer does (`6e5` written `600000` is three bytes
    /// longer): the fixes must not be applied.
    pub outgrows_route: bool,
}

/// Apply fixes in passes until nothing changes (at most 10): each pass [`apply`]s the
/// fixes of the latest findings, then `check` re-checks the new text and `findings` reads its
/// findings. Fixes that overlapped in one pass apply in the next. With `count_unsafe` (and
/// without `unsafe_fixes`), the unsafe fixes are then tried on the result (not kept) to count
/// how many would apply.
pub fn rounds<T>(
    text: &str,
    found: &[Finding],
    unsafe_fixes: bool,
    count_unsafe: bool,
    mut check: impl FnMut(&str) -> T,
    findings: impl Fn(&T) -> &[Finding],
) -> Rounds<T> {
    let (current, applied, after) = passes(text, found, unsafe_fixes, &mut check, &findings);
    let unsafe_left = if unsafe_fixes || !count_unsafe {
        0
    } else {
        let latest = after.as_ref().map_or(found, &findings);
        passes(&current, latest, true, &mut check, &findings).1
    };
    let breaks_json = after.is_some()
        && crate::document::Document::parse(text).is_ok()
        && crate::document::Document::parse(&current).is_err();
    let too_large = |list: &[Finding]| list.iter().any(|f| f.rule == "payload-too-large");
    let outgrows_route =
        after.as_ref().is_some_and(|a| too_large(findings(a))) && !too_large(found);
    Rounds {
        text: current,
        applied,
        unsafe_left,
        after,
        breaks_json,
        outgrows_route,
    }
}

/// The passes of [`rounds`]: the text, how many fixes applied, and the last check.
fn passes<T>(
    text: &str,
    found: &[Finding],
    unsafe_fixes: bool,
    check: &mut impl FnMut(&str) -> T,
    findings: &impl Fn(&T) -> &[Finding],
) -> (String, usize, Option<T>) {
    let mut current = text.to_owned();
    let mut applied = 0;
    let mut after: Option<T> = None;
    for _ in 0..10 {
        let latest = after.as_ref().map_or(found, findings);
        let pass = apply(&current, latest, unsafe_fixes);
        if pass.applied == 0 || pass.text == current {
            break;
        }
        applied += pass.applied;
        current = pass.text;
        after = Some(check(&current));
    }
    (current, applied, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::source::Source;

    fn fixed(text: &str, unsafe_fixes: bool) -> Pass {
        let source = Source::new("a.json", text);
        let findings = crate::check(&source, &Config::default());
        apply(text, &findings, unsafe_fixes)
    }

    #[test]
    fn safe_fixes_keep_every_other_byte() {
        let text = "{\r\n  \"input\": {},\r\n  \"policy\": {\"ttl\": \"600000\", \"executionTimeout\": 6e5}\r\n}\r\n";
        let pass = fixed(text, false);
        assert_eq!(pass.applied, 2);
        assert_eq!(
            pass.text,
            "{\r\n  \"input\": {},\r\n  \"policy\": {\"ttl\": 600000, \"executionTimeout\": 600000}\r\n}\r\n"
        );
    }

    /// Every pass of unsafe fixes until nothing changes, as `--unsafe-fixes` runs them.
    fn all_unsafe(text: &str) -> String {
        let source = Source::new("a.json", text);
        let found = crate::check(&source, &Config::default());
        rounds(
            text,
            &found,
            true,
            false,
            |t| crate::check(&Source::new("a.json", t), &Config::default()),
            |f| f.as_slice(),
        )
        .text
    }

    #[test]
    fn earlier_duplicates_are_removed_with_their_comma() {
        for (before, after) in [
            (
                "{\"input\": {}, \"webhook\": \"https://a.example/1\", \"webhook\": \"https://a.example/2\"}",
                "{\"input\": {}, \"webhook\": \"https://a.example/2\"}",
            ),
            (
                "{\"input\": {\"a\": 1, \"b\": 2, \"a\": 3, \"a\": 4}}",
                "{\"input\": {\"b\": 2, \"a\": 4}}",
            ),
            (
                "{\n  \"input\": {},\n  \"policy\": {\"ttl\": 60000},\n  \"policy\": {\"ttl\": 70000}\n}\n",
                "{\n  \"input\": {},\n  \"policy\": {\"ttl\": 70000}\n}\n",
            ),
        ] {
            assert_eq!(all_unsafe(before), after, "{before}");
        }
    }

    #[test]
    fn handler_parameters_move_inside_input() {
        for (before, after) in [
            (
                "{\"input\": {}, \"prompt\": \"x\"}",
                "{\"input\": {\"prompt\": \"x\"}}",
            ),
            (
                "{\"prompt\": {\"a\": [1]}, \"input\": {\"seed\": 1}, \"steps\": 30}",
                "{\"input\": {\"seed\": 1, \"prompt\": {\"a\": [1]}, \"steps\": 30}}",
            ),
            (
                "{\n  \"input\": {\n    \"seed\": 1\n  },\n  \"prompt\": \"a fox\"\n}\n",
                "{\n  \"input\": {\n    \"seed\": 1,\n    \"prompt\": \"a fox\"\n  }\n}\n",
            ),
            // Not when `input` has the key, is no object, or the key is a near miss (renamed)
            // or a client's option.
            (
                "{\"input\": {\"prompt\": 1}, \"prompt\": \"x\"}",
                "{\"input\": {\"prompt\": 1}, \"prompt\": \"x\"}",
            ),
            (
                "{\"input\": \"s\", \"prompt\": \"x\"}",
                "{\"input\": \"s\", \"prompt\": \"x\"}",
            ),
            (
                "{\"input\": {}, \"webhok\": \"https://a.example/h\"}",
                "{\"input\": {}, \"webhook\": \"https://a.example/h\"}",
            ),
            (
                "{\"input\": {}, \"timeout\": 60}",
                "{\"input\": {}, \"timeout\": 60}",
            ),
        ] {
            assert_eq!(all_unsafe(before), after, "{before}");
        }
    }

    #[test]
    fn unsafe_fixes_wait_to_be_asked() {
        let text = "{\"input\": {}, \"policy\": {\"executionTimeout\": 600, \"ttll\": 60000}}";
        let pass = fixed(text, false);
        assert_eq!((pass.applied, pass.unsafe_left), (0, 2));
        assert_eq!(pass.text, text);
        let pass = fixed(text, true);
        assert_eq!(pass.applied, 2);
        assert_eq!(
            pass.text,
            "{\"input\": {}, \"policy\": {\"executionTimeout\": 600000, \"ttl\": 60000}}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_removed() {
        let pass = fixed("\u{feff}{\"input\": {}}", false);
        assert_eq!(pass.text, "{\"input\": {}}");
    }
}
