//! A strict (RFC 8259) JSON parser that builds a `serde_json::Value`, records duplicate keys, and
//! explains syntax errors at the exact culprit.
//!
//! It is iterative (an explicit stack, no recursion); nesting deeper than [`MOST_DEPTH`] is
//! refused, as the service's and the workers' JSON readers refuse it, which also bounds the
//! memory a deep document costs.
//! Why not `serde_json::from_str`: its positions point one past the culprit, its messages do not
//! say what JSON forbids, it drops duplicate keys without a trace, and it stops at 128 levels.

use std::collections::HashMap;

use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use crate::finding::{Span, escape_token};

/// A key that appears more than once in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The pointer of the object holding the key.
    pub object: String,
    /// The key, decoded.
    pub key: String,
    /// Which occurrence this is (1 for the second, 2 for the third, ...).
    pub occurrence: usize,
    /// The byte offset of the object's `{`: where the key repeats, the object's pointer can
    /// name another object (an earlier duplicate of an enclosing key).
    pub open: usize,
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The culprit.
    pub span: Span,
    /// What JSON forbids there.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// A secondary place, such as the bracket that is never closed.
    pub label: Option<(Span, String)>,
}

/// The parse result.
pub(crate) struct Parsed {
    pub value: Value,
    /// The first [`MOST_DUPLICATES`] repeated keys.
    pub duplicates: Vec<DuplicateKey>,
    /// How many more keys repeat.
    pub more_duplicates: usize,
    /// The deepest nesting of arrays and objects.
    pub depth: usize,
    /// How many values the text holds (members and elements at every depth, and the root).
    pub values: usize,
}

/// An open container. Its finished elements or members wait on the parser's scratch stacks
/// (from `start` on) until it closes; then it is built at its exact size, so a container
/// costs one allocation (two for an object) however many members it has.
enum Frame {
    Array {
        start: usize,
        open: usize,
    },
    Object {
        start: usize,
        /// The key whose value is being parsed.
        key: String,
        open: usize,
        /// The members merged so far, for an object of more than [`MERGE_EVERY`] members: a
        /// key written a million times then costs one member, not a million.
        merged: Option<Box<Merged>>,
    },
}

/// The deepest nesting of arrays and objects a document may have. Go's `encoding/json` refuses
/// more than 10,000 levels (`exceeded max depth`), and Python's `json` fails at its recursion
/// limit (1,000 by default): a deeper body cannot be read where it is sent, and holding one of
/// millions of levels took a hundred times its size.
pub const MOST_DEPTH: usize = 10_000;

/// An object's members merged so far, and how often each repeated key was seen (for the
/// occurrence numbers of [`DuplicateKey`]; only keys recorded as duplicates are counted).
#[derive(Default)]
struct Merged {
    map: Map<String, Value>,
    seen: HashMap<String, usize>,
}

/// An open object's finished members are merged into its map every this many members.
const MERGE_EVERY: usize = 1024;

impl Frame {
    fn open(&self) -> usize {
        match self {
            Self::Array { open, .. } | Self::Object { open, .. } => *open,
        }
    }
}

/// Parse `text` as exactly one JSON value.
pub(crate) fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        stack: Vec::new(),
        elements: Vec::new(),
        members: Vec::new(),
        duplicates: Vec::new(),
        more_duplicates: 0,
        depth: 0,
        values: 0,
        sizes: large_containers(text.as_bytes()),
    };
    let result = parser.run();
    if parser.depth > super::SHALLOW {
        // What an error left unfinished, freed without recursion.
        parser.elements.drain(..).for_each(super::dismantle);
        parser
            .members
            .drain(..)
            .for_each(|(_, v)| super::dismantle(v));
    }
    result.map(|value| Parsed {
        value,
        duplicates: parser.duplicates,
        more_duplicates: parser.more_duplicates,
        depth: parser.depth,
        values: parser.values,
    })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
    /// Finished elements of the open arrays.
    elements: Vec<Value>,
    /// Finished members of the open objects.
    members: Vec<(String, Value)>,
    duplicates: Vec<DuplicateKey>,
    more_duplicates: usize,
    depth: usize,
    values: usize,
    /// The number of children of each large container, by the offset of its bracket.
    sizes: HashMap<usize, usize>,
}

/// Texts at least this long (bytes) are scanned once for their large containers first.
const SIZE_FROM_BYTES: usize = 1 << 20;

/// Containers with at least this many children are built at their exact size.
const LARGE_CONTAINER: usize = 4096;

/// The number of children of every container of `bytes` that has at least
/// [`LARGE_CONTAINER`], by the offset of its bracket: one pass over the text, so that a large
/// array is built at its size rather than grown by doubling (a body of ten million numbers
/// held in three times the room it needs). Only a hint: in a text that is not JSON the counts
/// may be wrong, and the pass stops below [`MOST_DEPTH`] levels.
fn large_containers(bytes: &[u8]) -> HashMap<usize, usize> {
    let mut sizes = HashMap::new();
    if bytes.len() < SIZE_FROM_BYTES {
        return sizes;
    }
    // (bracket offset, commas seen directly inside)
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'"' => {
                pos += 1;
                while let Some(i) =
                    memchr::memchr2(b'"', b'\\', bytes.get(pos..).unwrap_or_default())
                {
                    pos += i;
                    if bytes[pos] == b'\\' {
                        pos += 2;
                    } else {
                        break;
                    }
                }
            }
            b'{' | b'[' => {
                if open.len() >= MOST_DEPTH {
                    break;
                }
                open.push((pos, 0));
            }
            b',' => {
                if let Some(top) = open.last_mut() {
                    top.1 += 1;
                }
            }
            b'}' | b']' => {
                if let Some((at, commas)) = open.pop() {
                    if commas + 1 >= LARGE_CONTAINER {
                        sizes.insert(at, commas + 1);
                    }
                }
            }
            _ => {}
        }
        pos += 1;
    }
    sizes
}

/// At most this many repeated keys are recorded in a document; the others are counted (a 10 MB
/// body can repeat a key a million times, and each record costs its pointer and key).
pub const MOST_DUPLICATES: usize = 1000;

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn run(&mut self) -> Result<Value, SyntaxError> {
        // A byte order mark is reported by its own rule; the JSON after it is still checked.
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        self.skip_ws();
        if self.pos == self.bytes.len() {
            return Err(SyntaxError {
                span: Span::new(self.pos, self.pos),
                message: if self.bytes.is_empty() {
                    "the file is empty; a request is a JSON object".into()
                } else {
                    "the file holds only whitespace; a request is a JSON object".into()
                },
                help: Some("write a request such as `{\"input\": {}}`".into()),
                label: None,
            });
        }
        'value: loop {
            self.values += 1;
            let mut value = match self.peek() {
                Some(b'{') => {
                    let open = self.pos;
                    self.too_deep(open)?;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::Object(Map::new())
                    } else {
                        self.depth = self.depth.max(self.stack.len() + 1);
                        self.stack.push(Frame::Object {
                            start: self.members.len(),
                            key: String::new(),
                            open,
                            merged: None,
                        });
                        let key = self.parse_key(None)?;
                        self.set_key(key);
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    let open = self.pos;
                    self.too_deep(open)?;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        Value::Array(Vec::new())
                    } else {
                        self.depth = self.depth.max(self.stack.len() + 1);
                        if let Some(&size) = self.sizes.get(&open) {
                            self.elements.reserve_exact(size);
                        }
                        self.stack.push(Frame::Array {
                            start: self.elements.len(),
                            open,
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => Value::String(self.parse_string()?),
                Some(b'-' | b'0'..=b'9') => Value::Number(self.parse_number()?),
                Some(b't') if self.literal("true") => Value::Bool(true),
                Some(b'f') if self.literal("false") => Value::Bool(false),
                Some(b'n') if self.literal("null") => Value::Null,
                _ => return Err(self.unexpected("a value")),
            };
            // The value is complete: hand it to its container, closing containers as they end.
            loop {
                match self.stack.last_mut() {
                    None => {
                        self.skip_ws();
                        if self.pos < self.bytes.len() {
                            super::dismantle(value);
                            return Err(self.trailing_content());
                        }
                        return Ok(value);
                    }
                    Some(&mut Frame::Array { start, .. }) => {
                        self.elements.push(value);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                let comma = self.pos;
                                self.pos += 1;
                                self.skip_ws();
                                if self.peek() == Some(b']') {
                                    return Err(trailing_comma(comma, "array"));
                                }
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                self.stack.pop();
                                // The outermost open array takes the scratch stack itself
                                // rather than a copy (a 60 MB array of numbers held twice).
                                value = Value::Array(if start == 0 {
                                    std::mem::take(&mut self.elements)
                                } else {
                                    self.elements.drain(start..).collect()
                                });
                            }
                            _ => return Err(self.after_member("array", "]")),
                        }
                    }
                    Some(Frame::Object { start, key, .. }) => {
                        let start = *start;
                        self.members.push((std::mem::take(key), value));
                        if self.members.len() - start >= MERGE_EVERY {
                            self.merge_members(start);
                        }
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                let comma = self.pos;
                                self.pos += 1;
                                self.skip_ws();
                                let key = self.parse_key(Some(comma))?;
                                self.set_key(key);
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                value = Value::Object(self.close_object(start));
                                self.stack.pop();
                            }
                            _ => return Err(self.after_member("object", "}")),
                        }
                    }
                }
            }
        }
    }

    /// Build the innermost object (still on the stack) from its members, recording repeated
    /// keys; where a key repeats, its last value is kept, at the place of its first.
    fn close_object(&mut self, start: usize) -> Map<String, Value> {
        self.merge_members(start);
        match self.stack.last_mut() {
            Some(Frame::Object { merged, .. }) => merged.take().map(|m| m.map).unwrap_or_default(),
            _ => Map::new(),
        }
    }

    /// Merge the innermost object's finished members (from `start` on) into its map,
    /// recording repeated keys (the first [`MOST_DUPLICATES`] of the document; the others are
    /// counted).
    fn merge_members(&mut self, start: usize) {
        let mut room = MOST_DUPLICATES.saturating_sub(self.duplicates.len());
        let mut repeated: Vec<(String, usize)> = Vec::new();
        let Some(Frame::Object { merged, open, .. }) = self.stack.last_mut() else {
            return;
        };
        let open = *open;
        let size = self.sizes.get(&open).copied();
        let merged = merged.get_or_insert_with(|| {
            Box::new(Merged {
                map: Map::with_capacity(size.unwrap_or(self.members.len() - start)),
                seen: HashMap::new(),
            })
        });
        for (key, value) in self.members.drain(start..) {
            match merged.map.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(mut slot) => {
                    if room > 0 {
                        room -= 1;
                        let key = slot.key().clone();
                        let occurrence = merged.seen.entry(key.clone()).or_insert(0);
                        *occurrence += 1;
                        repeated.push((key, *occurrence));
                    } else {
                        self.more_duplicates += 1;
                    }
                    super::dismantle(slot.insert(value));
                }
            }
        }
        if !repeated.is_empty() {
            // Only now: the pointer costs a walk of the open containers.
            let object = self.container_pointer();
            for (key, occurrence) in repeated {
                self.duplicates.push(DuplicateKey {
                    object: object.clone(),
                    key,
                    occurrence,
                    open,
                });
            }
        }
    }

    /// An error at the bracket at `open` when it would nest deeper than [`MOST_DEPTH`].
    fn too_deep(&self, open: usize) -> Result<(), SyntaxError> {
        if self.stack.len() < MOST_DEPTH {
            return Ok(());
        }
        Err(SyntaxError {
            span: Span::new(open, open + 1),
            message: format!(
                "nested deeper than {} levels: JSON readers refuse it (Go's `encoding/json` stops at 10,000 levels, Python's `json` at its recursion limit, 1,000 by default)",
                crate::rules::group_digits(MOST_DEPTH)
            ),
            help: Some("send the deep part as a string of its own, or flatten it".into()),
            label: None,
        })
    }

    fn set_key(&mut self, new_key: String) {
        if let Some(Frame::Object { key, .. }) = self.stack.last_mut() {
            *key = new_key;
        }
    }

    /// The pointer of the innermost open container.
    fn container_pointer(&self) -> String {
        // An open array's finished elements run from its start to the next open array's.
        let mut end = self.elements.len();
        let mut counts = vec![0; self.stack.len()];
        for (frame, count) in self.stack.iter().zip(&mut counts).rev() {
            if let Frame::Array { start, .. } = frame {
                *count = end - start;
                end = *start;
            }
        }
        let parents = self.stack.len().saturating_sub(1);
        let mut pointer = String::new();
        for (frame, count) in self.stack[..parents].iter().zip(counts) {
            pointer.push('/');
            match frame {
                Frame::Array { .. } => pointer.push_str(&count.to_string()),
                Frame::Object { key, .. } => pointer.push_str(&escape_token(key)),
            }
        }
        pointer
    }

    fn literal(&mut self, word: &str) -> bool {
        let end = self.pos + word.len();
        let matches = self.bytes.get(self.pos..end) == Some(word.as_bytes())
            && !self.bytes.get(end).is_some_and(|&b| is_word_byte(b));
        if matches {
            self.pos = end;
        }
        matches
    }

    /// A key in double quotes, then `:`. `comma` is the comma before it, if any.
    fn parse_key(&mut self, comma: Option<usize>) -> Result<String, SyntaxError> {
        match self.peek() {
            Some(b'"') => {}
            Some(b'}') if comma.is_some() => {
                return Err(trailing_comma(comma.unwrap_or(self.pos), "object"));
            }
            Some(b) if is_word_byte(b) => {
                let word = self.word_span();
                let text = crate::finding::shorten(&self.text[word.start..word.end], 40);
                return Err(SyntaxError {
                    span: word,
                    message: format!(
                        "object keys must be strings in double quotes, found `{text}`"
                    ),
                    help: Some(format!("quote the key: `\"{text}\"`")),
                    label: None,
                });
            }
            _ => return Err(self.unexpected("a key in double quotes")),
        }
        let key = self.parse_string()?;
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                self.skip_ws();
                Ok(key)
            }
            Some(b'=') => Err(SyntaxError {
                span: self.char_span(),
                message: "JSON separates a key from its value with `:`, not `=`".into(),
                help: Some("write `:`".into()),
                label: None,
            }),
            _ => Err(self.unexpected("`:` after the key")),
        }
    }

    fn parse_string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut chunk = self.pos;
        loop {
            let Some(i) = string_special(&self.bytes[self.pos..]) else {
                self.pos = self.bytes.len();
                return Err(self.truncated(Some((
                    Span::new(open, open + 1),
                    "this string is never closed".into(),
                ))));
            };
            self.pos += i;
            match self.bytes[self.pos] {
                b'"' => {
                    let text = &self.text[chunk..self.pos];
                    self.pos += 1;
                    if out.is_empty() {
                        return Ok(text.to_owned());
                    }
                    out.push_str(text);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[chunk..self.pos]);
                    self.parse_escape(&mut out)?;
                    chunk = self.pos;
                }
                control => return Err(self.control_in_string(control, open)),
            }
        }
    }

    fn control_in_string(&self, control: u8, open: usize) -> SyntaxError {
        let (name, escape) = match control {
            b'\n' => ("a line break", "\\n"),
            b'\r' => ("a carriage return", "\\r"),
            b'\t' => ("a tab", "\\t"),
            0x08 => ("a backspace", "\\b"),
            0x0c => ("a form feed", "\\f"),
            _ => ("a control character", ""),
        };
        let escape = if escape.is_empty() {
            format!("\\u{control:04x}")
        } else {
            escape.to_owned()
        };
        SyntaxError {
            span: Span::new(self.pos, self.pos + 1),
            message: format!(
                "JSON strings cannot contain raw control characters; found {name} (U+{control:04X})"
            ),
            help: Some(if control == b'\n' {
                "close the string with `\"` before the line ends, or write the line break as `\\n`"
                    .into()
            } else {
                format!("write it escaped as `{escape}`")
            }),
            label: Some((Span::new(open, open + 1), "the string starts here".into())),
        }
    }

    /// At a backslash: decode one escape into `out`.
    fn parse_escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let start = self.pos;
        let Some(&b) = self.bytes.get(self.pos + 1) else {
            self.pos = self.bytes.len();
            return Err(self.truncated(None));
        };
        self.pos += 2;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4(start)?;
                if (0xDC00..0xE000).contains(&first) {
                    return Err(lone_surrogate(start, self.pos));
                }
                if (0xD800..0xDC00).contains(&first) {
                    let second_start = self.pos;
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(lone_surrogate(start, self.pos));
                    }
                    self.pos += 2;
                    let second = self.hex4(second_start)?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(lone_surrogate(start, second_start));
                    }
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
                } else {
                    char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
            }
            _ => {
                let end = crate::source::ceil_char_boundary(self.text, start + 2);
                let shown = &self.text[start..end];
                return Err(SyntaxError {
                    span: Span::new(start, end),
                    message: format!("invalid escape `{}` in a string", shown.escape_debug()),
                    help: Some(
                        "JSON knows only \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as `\\\\`"
                            .into(),
                    ),
                    label: None,
                });
            }
        };
        out.push(c);
        Ok(())
    }

    /// Four hex digits after `\u`; `start` is the backslash.
    fn hex4(&mut self, start: usize) -> Result<u32, SyntaxError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None if digits.is_none()
                && self.bytes[self.pos..].iter().all(u8::is_ascii_hexdigit) =>
            {
                self.pos = self.bytes.len();
                Err(self.truncated(None))
            }
            None => {
                let end = self.bytes[self.pos..]
                    .iter()
                    .take(4)
                    .take_while(|b| b.is_ascii_hexdigit())
                    .count()
                    + self.pos;
                let end = crate::source::ceil_char_boundary(self.text, end + 1);
                Err(SyntaxError {
                    span: Span::new(start, end.min(self.text.len())),
                    message: "invalid unicode escape: `\\u` takes exactly four hex digits".into(),
                    help: Some("write it as `\\u00e9`, for example".into()),
                    label: None,
                })
            }
        }
    }

    fn parse_number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'x' | b'X') = self.peek() {
                    let span = self.token_span(start);
                    return Err(SyntaxError {
                        span,
                        message: format!(
                            "JSON has no hexadecimal numbers, found `{}`",
                            crate::finding::shorten(&self.text[span.start..span.end], 30)
                        ),
                        help: Some("write the number in decimal".into()),
                        label: None,
                    });
                }
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    let span = self.token_span(start);
                    return Err(SyntaxError {
                        span,
                        message: format!(
                            "JSON numbers cannot have leading zeros, found `{}`",
                            crate::finding::shorten(&self.text[span.start..span.end], 30)
                        ),
                        help: Some(
                            "remove the leading zeros, or quote the value if it is an identifier"
                                .into(),
                        ),
                        label: None,
                    });
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            Some(b'I' | b'N') if negative => {
                let word = self.word_span();
                return Err(non_finite(Span::new(start, word.end), self.text));
            }
            _ => {
                return Err(SyntaxError {
                    span: Span::new(start, start + 1),
                    message: "a minus sign must be followed by a digit".into(),
                    help: None,
                    label: None,
                });
            }
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(SyntaxError {
                    span: Span::new(self.pos - 1, self.pos),
                    message: "a decimal point must be followed by a digit".into(),
                    help: Some(format!(
                        "write `{}0` or drop the point",
                        &self.text[start..self.pos]
                    )),
                    label: None,
                });
            }
            self.skip_digits();
            is_float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            let e = self.pos;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(SyntaxError {
                    span: Span::new(e, self.pos),
                    message: "an exponent must have digits".into(),
                    help: None,
                    label: None,
                });
            }
            self.skip_digits();
            is_float = true;
        }
        if self
            .peek()
            .is_some_and(|b| is_word_byte(b) || b == b'.' || b >= 0x80)
        {
            let span = self.token_span(start);
            return Err(SyntaxError {
                span,
                message: format!(
                    "invalid number `{}`",
                    crate::finding::shorten(&self.text[span.start..span.end], 30)
                ),
                help: Some("write a plain decimal number, or quote the value as a string".into()),
                label: None,
            });
        }
        let literal = &self.text[start..self.pos];
        if !is_float {
            if negative {
                if let Ok(n) = literal.parse::<i64>() {
                    return Ok(Number::from(n));
                }
            } else if let Ok(n) = literal.parse::<u64>() {
                return Ok(Number::from(n));
            }
        }
        literal
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .ok_or_else(|| SyntaxError {
                span: Span::new(start, self.pos),
                message: format!(
                    "the number `{}` is out of range: it does not fit in a 64-bit float",
                    crate::finding::shorten(literal, 30)
                ),
                help: Some("write a smaller number, or send it as a string".into()),
                label: None,
            })
    }

    fn skip_digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// From `start`, the run of bytes that could belong to one mistyped token.
    fn token_span(&self, start: usize) -> Span {
        let len = self.bytes[start..]
            .iter()
            .take_while(|&&b| is_word_byte(b) || matches!(b, b'.' | b'-' | b'+'))
            .count();
        Span::new(start, start + len.max(1))
    }

    /// The word starting at the current position (at least one character).
    fn word_span(&self) -> Span {
        let len = self.bytes[self.pos..]
            .iter()
            .take_while(|&&b| is_word_byte(b))
            .count();
        if len == 0 {
            self.char_span()
        } else {
            Span::new(self.pos, self.pos + len)
        }
    }

    /// The character at the current position.
    fn char_span(&self) -> Span {
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(self.pos, self.pos + len)
    }

    /// The innermost open container as a label, for truncation errors.
    fn open_label(&self) -> Option<(Span, String)> {
        self.stack.last().map(|frame| {
            let open = frame.open();
            let what = match frame {
                Frame::Array { .. } => "this array is never closed",
                Frame::Object { .. } => "this object is never closed",
            };
            (Span::new(open, open + 1), what.to_owned())
        })
    }

    fn truncated(&self, label: Option<(Span, String)>) -> SyntaxError {
        let end = self.text.trim_end().len();
        let closer = match self.stack.last() {
            Some(Frame::Array { .. }) => "`]`",
            Some(Frame::Object { .. }) => "`}`",
            None => "the rest of the value",
        };
        SyntaxError {
            span: Span::new(end, end),
            message: "the document ends too early: it is truncated or not closed".into(),
            help: Some(format!("complete the document; {closer} is missing")),
            label: label.or_else(|| self.open_label()),
        }
    }

    /// Something other than `,` or the closing bracket after a member.
    fn after_member(&self, container: &str, close: &str) -> SyntaxError {
        match self.peek() {
            None => self.truncated(None),
            Some(b'"' | b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                let (what, place) = if container == "array" {
                    ("elements", "array")
                } else {
                    ("members", "object")
                };
                SyntaxError {
                    span: self.char_span(),
                    message: format!("missing `,` between {what} of an {place}"),
                    help: Some("add a comma before this".into()),
                    label: None,
                }
            }
            _ => self.unexpected(&format!("`,` or `{close}`")),
        }
    }

    fn trailing_content(&self) -> SyntaxError {
        if let Some(e) = self.common_mistake() {
            return e;
        }
        SyntaxError {
            span: self.char_span(),
            message: "unexpected content after the end of the JSON value: a document holds exactly one value".into(),
            help: Some("remove it, or send each request as its own document".into()),
            label: None,
        }
    }

    /// Mistakes recognisable from the culprit alone, whatever was expected there.
    fn common_mistake(&self) -> Option<SyntaxError> {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"//") || rest.starts_with(b"/*") {
            return Some(SyntaxError {
                span: Span::new(self.pos, self.pos + 2),
                message: "JSON has no comments".into(),
                help: Some("remove the comment; put notes in a field the worker ignores, or in a separate file".into()),
                label: None,
            });
        }
        let c = self.text[self.pos..].chars().next()?;
        let span = self.char_span();
        let (message, help) = match c {
            '#' => (
                "JSON has no comments (`#` starts one in YAML and Python)".to_owned(),
                "remove the comment; put notes in a field the worker ignores, or in a separate file".to_owned(),
            ),
            '\0' => (
                "a NUL byte: the file looks like UTF-16 (every other byte is NUL), not UTF-8".to_owned(),
                "save it as UTF-8 without a byte order mark: in PowerShell 7, `Set-Content -Encoding utf8NoBOM`".to_owned(),
            ),
            '\'' => (
                "JSON strings use double quotes, not single quotes".to_owned(),
                "replace the single quotes with `\"`".to_owned(),
            ),
            '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' => (
                format!("typographic quote `{c}`: JSON strings use straight double quotes"),
                "replace it with `\"`".to_owned(),
            ),
            '\u{feff}' => (
                "byte order mark (U+FEFF) inside the document".to_owned(),
                "remove it".to_owned(),
            ),
            _ => return None,
        };
        Some(SyntaxError {
            span,
            message,
            help: Some(help),
            label: None,
        })
    }

    /// Right after a string, where a `,`, a closing bracket or a `:` belongs, text follows the
    /// closing quote at once (`"{"a":1}"`): that quote was meant to be inside the string.
    fn string_ended_early(&self, expected: &str) -> Option<SyntaxError> {
        let after_string = self.pos > 0 && self.bytes[self.pos - 1] == b'"';
        let wants_punctuation = expected.starts_with("`,`") || expected.starts_with("`:`");
        let b = self.peek()?;
        if !after_string || !wants_punctuation || matches!(b, b',' | b'}' | b']' | b':') {
            return None;
        }
        let quote = Span::new(self.pos - 1, self.pos);
        Some(SyntaxError {
            span: quote,
            message: "the string ends at this `\"`, and text follows it: a `\"` inside a string must be escaped".into(),
            help: Some("write each quote inside the string as `\\\"` (`\"{\\\"a\\\":1}\"`), or send the value as a JSON object instead of a string holding JSON".into()),
            label: Some((self.char_span(), "this is outside the string".into())),
        })
    }

    /// A placeholder from the docs where a value belongs: a type name (`int`, `bool`,
    /// `string`), an ellipsis (`...`) or an angle-bracketed name (`<a:int>`).
    fn placeholder(&self) -> Option<SyntaxError> {
        let rest = &self.text[self.pos..];
        let key = match self.stack.last() {
            Some(Frame::Object { key, .. }) => key.as_str(),
            _ => "",
        };
        let example = |ty: &str| -> String {
            match (key, ty) {
                ("ttl", _) => "a whole number of milliseconds, such as `3600000` (1 hour)".into(),
                ("executionTimeout" | "timeout", _) => {
                    "a whole number of milliseconds, such as `600000` (10 minutes)".into()
                }
                (_, "int" | "integer" | "long") => "an integer, such as `1`".into(),
                (_, "float" | "double" | "number") => "a number, such as `0.5`".into(),
                (_, "bool" | "boolean") => "`true` or `false`".into(),
                (_, "str" | "string" | "text") => {
                    "a string in double quotes, such as `\"a cat\"`".into()
                }
                (_, "dict" | "object" | "map") => {
                    "an object, such as `{\"key\": \"value\"}`".into()
                }
                (_, "list" | "array") => "an array, such as `[1, 2]`".into(),
                _ => "a value".into(),
            }
        };
        if rest.starts_with("...") || rest.starts_with('…') {
            let len = if rest.starts_with('…') {
                '…'.len_utf8()
            } else {
                3
            };
            return Some(SyntaxError {
                span: Span::new(self.pos, self.pos + len),
                message: "`...` is an ellipsis from an example, not JSON".into(),
                help: Some("write the members or values it stands for, or remove it with the comma before it".into()),
                label: None,
            });
        }
        if rest.starts_with('<') {
            let line = rest.split(['\n', '\r']).next().unwrap_or(rest);
            let close = line.get(..80.min(line.len())).and_then(|l| l.find('>'))?;
            let inner = &rest[1..close];
            let ty = inner.rsplit(':').next().unwrap_or(inner).trim();
            return Some(SyntaxError {
                span: Span::new(self.pos, self.pos + close + 1),
                message: format!(
                    "`<{}>` is a placeholder from an example, not a value",
                    crate::finding::shorten(inner, 40)
                ),
                help: Some(format!(
                    "replace it with {}",
                    example(&ty.to_ascii_lowercase())
                )),
                label: None,
            });
        }
        let span = self.word_span();
        let word = self.text.get(span.start..span.end)?;
        let types = [
            "int", "integer", "long", "float", "double", "number", "bool", "boolean", "str",
            "string", "dict", "object", "map", "list", "array",
        ];
        types.contains(&word).then(|| SyntaxError {
            span,
            message: format!("`{word}` names a type, as examples do: JSON needs a value here"),
            help: Some(format!("replace it with {}", example(word))),
            label: None,
        })
    }

    /// The error for an unexpected character where `expected` should be.
    fn unexpected(&self, expected: &str) -> SyntaxError {
        let Some(b) = self.peek() else {
            return self.truncated(None);
        };
        if let Some(e) = self.common_mistake() {
            return e;
        }
        if let Some(e) = self
            .string_ended_early(expected)
            .or_else(|| self.placeholder())
        {
            return e;
        }
        if is_word_byte(b) {
            let span = self.word_span();
            let word = &*crate::finding::shorten(&self.text[span.start..span.end], 40);
            return match word {
                "NaN" | "Infinity" => non_finite(span, self.text),
                "True" | "TRUE" | "False" | "FALSE" | "Null" | "NULL" | "None" | "nil"
                | "undefined" => {
                    let fix = match word {
                        "True" | "TRUE" => "true",
                        "False" | "FALSE" => "false",
                        _ => "null",
                    };
                    SyntaxError {
                        span,
                        message: format!("`{word}` is not a JSON literal"),
                        help: Some(format!("write `{fix}`")),
                        label: None,
                    }
                }
                _ => SyntaxError {
                    span,
                    message: format!("expected {expected}, found the bare word `{word}`"),
                    help: Some(format!("if it is text, quote it: `\"{word}\"`")),
                    label: None,
                },
            };
        }
        let span = self.char_span();
        let shown = &self.text[span.start..span.end];
        let help = match b {
            b'+' => Some("JSON numbers have no leading `+`: remove it".to_owned()),
            b'.' => Some("JSON numbers start with a digit: write `0.5`, not `.5`".to_owned()),
            _ => None,
        };
        SyntaxError {
            span,
            message: format!("expected {expected}, found `{}`", shown.escape_debug()),
            help,
            label: None,
        }
    }
}

/// The index of the first `"`, `\\` or control character: what ends a plain run of string
/// bytes. Eight bytes at a time (SWAR), since most of a document is string content.
fn string_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let special = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        // A byte is zero / below 0x20 exactly when its high bit is set in these (the lowest
        // such byte is exact; bytes above it may be false positives, so they are rechecked).
        let found = (quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash
            | x.wrapping_sub(ONES * 0x20) & !x)
            & HIGHS;
        if found != 0 {
            let first = i + (found.trailing_zeros() / 8) as usize;
            return bytes[first..]
                .iter()
                .position(|&b| special(b))
                .map(|j| first + j);
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| special(b)).map(|j| i + j)
}

fn trailing_comma(comma: usize, container: &str) -> SyntaxError {
    SyntaxError {
        span: Span::new(comma, comma + 1),
        message: format!("JSON does not allow a trailing comma at the end of an {container}"),
        help: Some("remove this comma".into()),
        label: None,
    }
}

fn lone_surrogate(start: usize, end: usize) -> SyntaxError {
    SyntaxError {
        span: Span::new(start, end),
        message: "unpaired surrogate escape: this `\\u` escape is half of a UTF-16 pair and encodes no character".into(),
        help: Some("write the whole pair (`\\ud83d\\ude00`) or the character itself".into()),
        label: None,
    }
}

fn non_finite(span: Span, text: &str) -> SyntaxError {
    SyntaxError {
        span,
        message: format!(
            "JSON has no `{}`",
            crate::finding::shorten(&text[span.start..span.end], 30)
        ),
        help: Some("use `null`, a finite number, or a string".into()),
        label: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_containers_are_counted_and_built_at_their_size() {
        let numbers = vec!["1"; 600_000].join(",");
        let keys: Vec<String> = (0..5_000)
            .map(|i| format!("\"k{i}\": \"[,{{\\\"\""))
            .collect();
        let text = format!(
            "{{\"input\": [{numbers}], \"o\": {{{}}}, \"small\": [1, 2]}}",
            keys.join(",")
        );
        let sizes = large_containers(text.as_bytes());
        let at = |needle: &str| text.find(needle).map(|i| i + needle.len() - 1);
        assert_eq!(sizes.get(&at("\"input\": [").unwrap()), Some(&600_000));
        assert_eq!(sizes.get(&at("\"o\": {").unwrap()), Some(&5_000));
        assert_eq!(sizes.len(), 2, "small containers are not recorded");
        let parsed = parse(&text).unwrap();
        let expected: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.value, expected);
        let Value::Array(input) = &parsed.value["input"] else {
            panic!("input is an array");
        };
        assert_eq!(input.capacity(), 600_000);
        assert_eq!(parsed.values, 1 + 3 + 600_000 + 5_000 + 2);
        // A short text is not scanned.
        assert!(large_containers(&numbers.as_bytes()[..1000]).is_empty());
    }

    #[test]
    fn large_objects_merge_as_they_go_and_keep_every_verdict() {
        // More members than one merge holds: keys repeated across merges keep their first
        // place and last value, and repeats are numbered across merges.
        let members: Vec<String> = (0..3 * MERGE_EVERY)
            .map(|i| format!("\"k{}\": {i}", i % 257))
            .collect();
        let text = format!("{{\"input\": {{{}}}}}", members.join(", "));
        let parsed = parse(&text).unwrap();
        let input = parsed.value["input"].as_object().unwrap();
        assert_eq!(input.len(), 257);
        assert_eq!(input.keys().next().map(String::as_str), Some("k0"));
        let last_k0 = (0..3 * MERGE_EVERY).rev().find(|i| i % 257 == 0).unwrap();
        assert_eq!(input["k0"], last_k0);
        let repeats = 3 * MERGE_EVERY - 257;
        assert_eq!(parsed.duplicates.len(), MOST_DUPLICATES.min(repeats));
        assert_eq!(
            parsed.more_duplicates,
            repeats.saturating_sub(MOST_DUPLICATES)
        );
        let k0: Vec<usize> = (parsed.duplicates.iter())
            .filter(|d| d.key == "k0")
            .map(|d| d.occurrence)
            .collect();
        // The first 1,000 repeats run to member 1,256, past the first merge (at 1,024).
        assert_eq!(k0, [1, 2, 3, 4]);
        assert!(parsed.duplicates.iter().all(|d| d.object == "/input"));
        // One key a million times: one member.
        let text = format!("{{{}}}", vec!["\"a\": 1"; 100_000].join(","));
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.value.as_object().unwrap().len(), 1);
        assert_eq!(parsed.duplicates.len() + parsed.more_duplicates, 99_999);
    }

    fn error(text: &str) -> SyntaxError {
        match parse(text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(e) => e,
        }
    }

    fn at(text: &str) -> (usize, String) {
        let e = error(text);
        (e.span.start, e.message)
    }

    #[test]
    fn parses_what_serde_json_parses() {
        let text =
            r#" {"a": [1, -2, 3.5, 1e3, true, false, null, "x\u00e9\ud83d\ude00\n"], "b": {}} "#;
        let parsed = parse(text).unwrap();
        let expected: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parsed.value, expected);
        assert!(parsed.value["a"][3].is_f64());
        assert!(parsed.value["a"][1].is_i64());
    }

    #[test]
    fn errors_point_at_the_culprit() {
        assert_eq!(at("{\"a\": 1,}").0, 7);
        assert!(at("{\"a\": 1,}").1.contains("trailing comma"));
        assert_eq!(at("[1,]").0, 2);
        assert!(at("{// x\n}").1.contains("no comments"));
        assert!(at("{'a': 1}").1.contains("single quotes"));
        assert!(at("{a: 1}").1.contains("double quotes"));
        assert_eq!(at("{\"a\": NaN}"), (6, "JSON has no `NaN`".into()));
        assert!(at("{\"a\": \"x\ny\"}").1.contains("control"));
        assert_eq!(at("{\"a\": \"x\ny\"}").0, 8);
        assert!(at("{} {}").1.contains("after the end"));
        assert_eq!(at("{} {}").0, 3);
        assert!(at("").1.contains("empty"));
        assert!(at("{\"a\": 01}").1.contains("leading zeros"));
        assert!(at("{\"a\": 1 \"b\": 2}").1.contains("missing `,`"));
        assert_eq!(at("{\"a\": 1 \"b\": 2}").0, 8);
    }

    #[test]
    fn truncation_points_at_the_end_and_labels_the_opener() {
        let e = error("{\"input\": {\"a\": 1\n\n");
        assert_eq!(e.span, Span::new(17, 17));
        assert_eq!(e.label.map(|l| l.0), Some(Span::new(10, 11)));
    }

    #[test]
    fn duplicates_are_recorded_at_any_depth() {
        let parsed = parse(r#"{"a": 1, "x": [{"k": 1, "k": 2, "k": 3}], "a": 2}"#).unwrap();
        let found: Vec<_> = parsed
            .duplicates
            .iter()
            .map(|d| (d.object.as_str(), d.key.as_str(), d.occurrence))
            .collect();
        assert_eq!(found, [("/x/0", "k", 1), ("/x/0", "k", 2), ("", "a", 1)]);
        assert_eq!(parsed.value["a"], 2);
        // Indexes count the finished elements of each open array, arrays inside arrays too.
        let nested = r#"{"a": [[0], [1, [2, 3]], {"b": [7, {"k": 0, "k": 1}]}]}"#;
        let parsed = parse(nested).unwrap();
        assert_eq!(parsed.duplicates[0].object, "/a/2/b/1");
        assert_eq!(parsed.value["a"][2]["b"][1]["k"], 1);
        assert_eq!(parsed.value["a"][1][1][1], 3);
    }

    #[test]
    fn string_scanning_finds_the_first_special_byte() {
        for text in [
            &b"abcdefgh\"x"[..],
            b"\"",
            b"abcdefghijklmnop\\",
            b"abc\x1fdef",
            b"\xc3\xa9\xe2\x80\xaeabcdefg\"",
            b"no special here at all",
            b"\x7f\x80\xff!",
        ] {
            let expected = text
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            assert_eq!(string_special(text), expected, "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_and_stops_at_the_readers_limit() {
        let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let parsed = parse(&deep(MOST_DEPTH)).unwrap();
        // `depth` counts the containers that hold something: the innermost `[]` is not one.
        assert_eq!(parsed.depth, MOST_DEPTH - 1);
        crate::document::dismantle(parsed.value);
        // One level more, or a million: refused at the bracket that goes too deep.
        for depth in [MOST_DEPTH + 1, 1_000_000] {
            let refused = error(&deep(depth));
            assert!(
                refused
                    .message
                    .starts_with("nested deeper than 10,000 levels")
            );
            assert_eq!(refused.span, Span::new(MOST_DEPTH, MOST_DEPTH + 1));
        }
        let objects = "{\"a\": ".repeat(MOST_DEPTH + 5);
        assert!(error(&objects).message.starts_with("nested deeper"));
        let unclosed = "[".repeat(MOST_DEPTH - 1);
        assert!(error(&unclosed).message.contains("ends too early"));
    }
}
