//! A parsed document: its value, its duplicate keys, and (on demand) the span of every pointer.

mod parser;
mod spans;

use std::sync::OnceLock;

use serde_json::Value;

pub(crate) use parser::MOST_DUPLICATES;
pub use parser::{DuplicateKey, SyntaxError};
pub use spans::NodeSpans;

use crate::finding::{Span, Target};
use spans::SpanIndex;

/// A document that is valid JSON.
#[derive(Debug)]
pub struct Document<'t> {
    text: &'t str,
    value: Value,
    duplicates: Vec<DuplicateKey>,
    more_duplicates: usize,
    depth: usize,
    /// How many values the text holds.
    values: usize,
    /// The spans of every node, built when a finding points below the root's members.
    spans: OnceLock<SpanIndex>,
    /// The spans of the root and its members only: a finding about a top-level key of a body
    /// whose `input` holds millions of values costs no node for each of them.
    shallow: OnceLock<SpanIndex>,
}

/// At most this many syntax errors are reported in one document.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Documents larger than this (in bytes) report their first syntax error only: each further
/// one costs a parse.
const MAX_RECOVERY_BYTES: usize = 1 << 20;

/// Every independent syntax error of `text`, starting with `first` (the parser's): where the
/// error has an exact repair of the same length (a comment blanked out, a trailing comma
/// removed, `True`/`False`/`None` written in JSON, a single-quoted string double-quoted), the
/// text is repaired in a copy and parsed again, so that one run reports a comment *and* a
/// trailing comma. An error with no such repair ends the list: what follows it could be a
/// consequence (no cascades). Offsets stay those of `text`.
pub fn syntax_errors(text: &str, first: SyntaxError) -> Vec<SyntaxError> {
    let mut errors = vec![first];
    if text.len() > MAX_RECOVERY_BYTES {
        return errors;
    }
    let mut work = text.to_owned();
    while errors.len() < MAX_SYNTAX_ERRORS {
        let Some(last) = errors.last() else { break };
        let Some((span, replacement)) = repair(&work, last) else {
            break;
        };
        work.replace_range(span.start..span.end, &replacement);
        match parser::parse(&work) {
            Ok(_) => break,
            // The same error again: the repair did not help (each repair changes the text, so
            // this ends the loop).
            Err(next)
                if errors
                    .iter()
                    .any(|e| e.span == next.span && e.message == next.message) =>
            {
                break;
            }
            Err(next) => errors.push(next),
        }
    }
    if errors.len() == MAX_SYNTAX_ERRORS {
        if let Some(last) = errors.last_mut() {
            let help = last.help.take().unwrap_or_default();
            last.help = Some(format!(
                "{help}{}rplint reports at most {MAX_SYNTAX_ERRORS} syntax errors in a file: fix these and check it again",
                if help.is_empty() { "" } else { "; " }
            ));
        }
    }
    errors
}

/// `text` with every byte but line breaks turned into a space: the same length, the same lines.
fn blanked(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b == b'\n' || b == b'\r' {
                b as char
            } else {
                ' '
            }
        })
        .collect()
}

/// The same-length repair of `error` in `text`, if it has an exact one.
fn repair(text: &str, error: &SyntaxError) -> Option<(Span, String)> {
    let at = error.span.start;
    let rest = text.get(at..)?;
    let blank = |len: usize| blanked(&rest[..len]);
    if rest.starts_with("//") || rest.starts_with('#') {
        let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        return Some((Span::new(at, at + len), blank(len)));
    }
    if rest.starts_with("/*") {
        let len = rest.get(2..)?.find("*/")? + 4;
        return Some((Span::new(at, at + len), blank(len)));
    }
    if rest.starts_with(',') && error.message.contains("trailing comma") {
        return Some((Span::new(at, at + 1), " ".to_owned()));
    }
    let word = text.get(at..error.span.end)?;
    let literal = match word {
        "True" | "TRUE" => Some("true"),
        "False" | "FALSE" => Some("false"),
        "None" | "Null" | "NULL" => Some("null"),
        _ => None,
    };
    if let Some(literal) = literal.filter(|l| l.len() == word.len()) {
        return Some((error.span, literal.to_owned()));
    }
    if rest.starts_with("...") || rest.starts_with('…') {
        // An ellipsis from an example, with the comma before it (else that comma would be
        // reported next as a trailing comma, a consequence of the same mistake).
        let len = if rest.starts_with('…') {
            '…'.len_utf8()
        } else {
            3
        };
        let before = text[..at].trim_end_matches([' ', '\t', '\n', '\r']);
        let start = if before.ends_with(',') {
            before.len() - 1
        } else {
            at
        };
        let blanked = blanked(&text[start..at + len]);
        return Some((Span::new(start, at + len), blanked));
    }
    // A bare word (a type placeholder, an unquoted key, a `<name>` placeholder): a string of
    // the same length stands in for it, so that parsing can go on.
    let bare = if rest.starts_with('<') {
        rest.find('>')
            .filter(|&close| !rest[..close].contains(['\n', '\r', '"']))
            .map(|close| close + 1)
    } else {
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-'))
            .count();
        (len >= 2 && error.span.end - error.span.start == len).then_some(len)
    };
    if let Some(len) = bare.filter(|&len| len >= 2) {
        return Some((
            Span::new(at, at + len),
            format!("\"{}\"", " ".repeat(len - 2)),
        ));
    }
    if rest.starts_with('\'') {
        // A single-quoted string on one line, with no `"` or escape inside: the same text in
        // double quotes.
        let inner = rest.get(1..)?;
        let close = inner.find(['\'', '\n', '\r', '"', '\\'])?;
        if inner.as_bytes().get(close) == Some(&b'\'') {
            let quoted = format!("\"{}\"", &inner[..close]);
            return Some((Span::new(at, at + close + 2), quoted));
        }
    }
    None
}

/// Documents at most this deep are freed by the ordinary (recursive) drop.
pub(crate) const SHALLOW: usize = 256;

impl<'t> Document<'t> {
    /// Parse `text` as strict JSON. A syntax error says where and why.
    pub fn parse(text: &'t str) -> Result<Self, SyntaxError> {
        let parsed = parser::parse(text)?;
        Ok(Self {
            text,
            value: parsed.value,
            duplicates: parsed.duplicates,
            more_duplicates: parsed.more_duplicates,
            depth: parsed.depth,
            values: parsed.values,
            spans: OnceLock::new(),
            shallow: OnceLock::new(),
        })
    }

    /// The source text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The value (where a key repeats, its last value, as other parsers keep).
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Every repeated key, in document order.
    pub fn duplicates(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// How many repeated keys there are beyond those [`Document::duplicates`] lists (it keeps
    /// the first 1,000).
    pub fn more_duplicates(&self) -> usize {
        self.more_duplicates
    }

    fn index(&self) -> &SpanIndex {
        self.spans
            .get_or_init(|| SpanIndex::build(self.text, usize::MAX, self.values))
    }

    /// An index that can resolve `pointer`: the full one once built, else the root's members
    /// for a pointer of at most one token.
    fn index_for(&self, pointer: &str) -> &SpanIndex {
        if let Some(full) = self.spans.get() {
            return full;
        }
        if crate::finding::pointer_tokens(pointer).nth(1).is_none() {
            return self
                .shallow
                .get_or_init(|| SpanIndex::build(self.text, 1, 1024));
        }
        self.index()
    }

    /// The span of the `n`th (0-based) `key` of the object whose `{` is at byte `open`.
    pub fn key_in_object(&self, open: usize, key: &str, n: usize) -> Option<Span> {
        self.index().key_in_object(self.text, open, key, n)
    }

    /// The key and value spans of every member at `pointer` (several where the key repeats).
    pub fn occurrences(&self, pointer: &str) -> Vec<NodeSpans> {
        let index = self.index();
        (0..)
            .map_while(|n| index.occurrence(self.text, pointer, n))
            .take(parser::MOST_DUPLICATES + 1)
            .collect()
    }

    /// The key and value spans at `pointer`.
    pub fn spans(&self, pointer: &str) -> Option<NodeSpans> {
        self.index_for(pointer).get(self.text, pointer)
    }

    /// The spans of the `n`th (0-based) member named `key` of the object whose `{` is at
    /// byte `open`.
    pub fn member_in_object(&self, open: usize, key: &str, n: usize) -> Option<NodeSpans> {
        self.index().member_in_object(self.text, open, key, n)
    }

    /// The spans of the `index`th element of the array whose `[` is at byte `open`.
    pub fn element_in_array(&self, open: usize, index: usize) -> Option<NodeSpans> {
        self.index().element_in_array(self.text, open, index)
    }

    /// The bytes to delete to remove the member `member` from its object, with the comma that
    /// separates it from a neighbour: from its key up to the next member's key, or for the last
    /// member, from the comma before it. `None` for an element or a member the text does not
    /// show as expected.
    pub fn member_deletion(&self, member: NodeSpans) -> Option<Span> {
        let key = member.key?;
        let bytes = self.text.as_bytes();
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let mut after = member.value.end;
        while bytes.get(after).is_some_and(is_space) {
            after += 1;
        }
        if bytes.get(after) == Some(&b',') {
            after += 1;
            while bytes.get(after).is_some_and(is_space) {
                after += 1;
            }
            return Some(Span::new(key.start, after));
        }
        let mut before = key.start;
        while before > 0 && bytes.get(before - 1).is_some_and(is_space) {
            before -= 1;
        }
        (before > 0 && bytes.get(before - 1) == Some(&b','))
            .then(|| Span::new(before - 1, member.value.end))
            .or_else(|| {
                // The only member: its key and value, and the spaces around them.
                (bytes.get(before.checked_sub(1)?) == Some(&b'{'))
                    .then_some(Span::new(before, after))
            })
    }

    /// The innermost member or element whose key or value covers byte `offset`, with its
    /// JSON Pointer (for editors' hovers); `None` outside the root value.
    pub fn node_at(&self, offset: usize) -> Option<(String, NodeSpans)> {
        self.index().at(self.text, offset)
    }

    /// The source text of the value at `pointer`, as written.
    pub fn literal(&self, pointer: &str) -> Option<&'t str> {
        let span = self.spans(pointer)?.value;
        self.text.get(span.start..span.end)
    }

    /// The span a target at `pointer` covers. Falls back to the nearest enclosing value that
    /// exists, so a finding always has a place.
    pub fn resolve(&self, pointer: &str, target: &Target) -> Span {
        if pointer.is_empty() && !matches!(target, Target::At(_) | Target::KeyOccurrence(_)) {
            // The root needs no index (a finding about the whole body, such as its size, must
            // not cost a node for each of its million values): it is the text, trimmed.
            let text = self.text;
            let start = text.len()
                - text
                    .trim_start_matches('\u{feff}')
                    .trim_start_matches([' ', '\t', '\n', '\r'])
                    .len();
            let end = text.trim_end_matches([' ', '\t', '\n', '\r']).len();
            return match target {
                Target::Inside => Span::new(start, (start + 1).min(end)),
                _ => Span::new(start, end.max(start)),
            };
        }
        if let Target::At(span) = target {
            return *span;
        }
        let index = self.index_for(pointer);
        let found = match target {
            Target::At(span) => return *span,
            Target::Value => index.get(self.text, pointer).map(|s| s.value),
            Target::Key => index
                .get(self.text, pointer)
                .map(|s| s.key.unwrap_or(s.value)),
            Target::KeyOccurrence(n) => index
                .occurrence(self.text, pointer, *n)
                .map(|s| s.key.unwrap_or(s.value)),
            Target::Inside => index.get(self.text, pointer).map(|s| match s.key {
                Some(key) => key,
                None => Span::new(s.value.start, s.value.start + 1),
            }),
        };
        // A pointer that does not exist falls back to the nearest enclosing value that does.
        found.unwrap_or_else(|| {
            let mut parent = pointer;
            while let Some(cut) = parent.rfind('/') {
                parent = &parent[..cut];
                if let Some(spans) = index.get(self.text, parent) {
                    return spans
                        .key
                        .unwrap_or(Span::new(spans.value.start, spans.value.start + 1));
                }
            }
            Span::new(0, 0)
        })
    }
}

impl Drop for Document<'_> {
    fn drop(&mut self) {
        if self.depth > SHALLOW {
            dismantle(std::mem::take(&mut self.value));
        }
    }
}

/// Drop a value without recursion, so that a document nested 100,000 levels deep cannot
/// overflow the stack when it is freed. (Slower than the ordinary drop: only for deep values.)
pub(crate) fn dismantle(value: Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_to_the_narrowest_span() {
        let text = "{\"policy\": {\"ttl\": 5}, \"s3Config\": {}}";
        let doc = Document::parse(text).unwrap();
        let slice = |s: Span| &text[s.start..s.end];
        assert_eq!(slice(doc.resolve("/policy/ttl", &Target::Value)), "5");
        assert_eq!(slice(doc.resolve("/policy/ttl", &Target::Key)), "\"ttl\"");
        assert_eq!(
            slice(doc.resolve("/s3Config", &Target::Inside)),
            "\"s3Config\""
        );
        assert_eq!(slice(doc.resolve("", &Target::Inside)), "{");
        // a pointer that does not exist falls back to its parent
        assert_eq!(
            slice(doc.resolve("/policy/nope", &Target::Value)),
            "\"policy\""
        );
    }
}
