//! A parsed document: its value, its duplicate keys, and (on demand) the span of every pointer.

mod parser;
mod spans;

use std::sync::OnceLock;

use serde_json::Value;

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
    depth: usize,
    spans: OnceLock<SpanIndex>,
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
            depth: parsed.depth,
            spans: OnceLock::new(),
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

    fn index(&self) -> &SpanIndex {
        self.spans.get_or_init(|| SpanIndex::build(self.text))
    }

    /// The span of the `n`th (0-based) `key` of the object whose `{` is at byte `open`.
    pub fn key_in_object(&self, open: usize, key: &str, n: usize) -> Option<Span> {
        self.index().key_in_object(self.text, open, key, n)
    }

    /// The key and value spans at `pointer`.
    pub fn spans(&self, pointer: &str) -> Option<NodeSpans> {
        self.index().get(self.text, pointer)
    }

    /// The source text of the value at `pointer`, as written.
    pub fn literal(&self, pointer: &str) -> Option<&'t str> {
        let span = self.spans(pointer)?.value;
        self.text.get(span.start..span.end)
    }

    /// The span a target at `pointer` covers. Falls back to the nearest enclosing value that
    /// exists, so a finding always has a place.
    pub fn resolve(&self, pointer: &str, target: &Target) -> Span {
        let index = self.index();
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
