//! The span index: the byte span of every key and value, looked up by JSON Pointer.
//!
//! Built lazily, only for documents that have something to report, by one iterative pass over
//! text that the parser has already accepted.

use std::collections::HashMap;

use crate::finding::{Span, pointer_tokens};

const NONE: u32 = u32::MAX;

/// One member or element: 24 bytes (offsets as `u32`; [`SpanIndex::build`] indexes texts
/// shorter than 4 GiB), since a 10 MB document can hold a million members.
#[derive(Debug, Clone)]
struct Node {
    /// The key with its quotes, for object members (`key_start` is [`NONE`] otherwise).
    key_start: u32,
    key_end: u32,
    value_start: u32,
    value_end: u32,
    first_child: u32,
    next_sibling: u32,
}

impl Node {
    fn key(&self) -> Option<Span> {
        (self.key_start != NONE).then(|| Span::new(self.key_start as usize, self.key_end as usize))
    }

    fn value(&self) -> Span {
        Span::new(self.value_start as usize, self.value_end as usize)
    }
}

/// `offset` as a node stores it (texts are indexed only below 4 GiB).
fn at(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(NONE)
}

/// Spans of one member or element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpans {
    /// The key with its quotes, for object members.
    pub key: Option<Span>,
    /// The value.
    pub value: Span,
}

/// Key and value spans of every node of a valid JSON text.
#[derive(Debug)]
pub(crate) struct SpanIndex {
    nodes: Vec<Node>,
    /// Lookup tables of large containers, built on first use.
    large: std::sync::Mutex<HashMap<u32, std::sync::Arc<LargeChildren>>>,
}

impl std::fmt::Debug for LargeChildren {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LargeChildren({} elements)", self.elements.len())
    }
}

impl SpanIndex {
    /// Index `text` (valid JSON) down to `depth` levels below the root: the children of a
    /// container at that depth are not indexed (`usize::MAX` indexes every node). `nodes` is
    /// the number of nodes expected (room is made for that many up to `depth`).
    pub(crate) fn build(text: &str, depth: usize, nodes: usize) -> Self {
        let mut scan = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
        };
        let mut nodes: Vec<Node> = Vec::with_capacity(nodes.min(text.len() / 2 + 1));
        if u32::try_from(text.len()).is_err() {
            // Offsets would not fit a node: no spans (findings point at the start).
            return Self {
                nodes,
                large: std::sync::Mutex::default(),
            };
        }
        // (container node, its last child)
        let mut stack: Vec<(u32, u32)> = Vec::new();
        let mut key: Option<Span> = None;
        if text.starts_with('\u{feff}') {
            scan.pos = '\u{feff}'.len_utf8();
        }
        scan.skip_ws();
        'value: while scan.pos < scan.bytes.len() {
            let Ok(index) = u32::try_from(nodes.len()) else {
                break;
            };
            if let Some((parent, last)) = stack.last_mut() {
                if *last == NONE {
                    nodes[*parent as usize].first_child = index;
                } else {
                    nodes[*last as usize].next_sibling = index;
                }
                *last = index;
            }
            let start = scan.pos;
            let (key_start, key_end) = key
                .take()
                .map_or((NONE, NONE), |k| (at(k.start), at(k.end)));
            nodes.push(Node {
                key_start,
                key_end,
                value_start: at(start),
                value_end: at(start),
                first_child: NONE,
                next_sibling: NONE,
            });
            match scan.bytes[start] {
                open @ (b'{' | b'[') => {
                    scan.pos += 1;
                    scan.skip_ws();
                    let close = if open == b'{' { b'}' } else { b']' };
                    if scan.peek() == Some(close) {
                        scan.pos += 1;
                        nodes[index as usize].value_end = at(scan.pos);
                    } else if stack.len() >= depth {
                        scan.pos = start;
                        scan.skip_container();
                        nodes[index as usize].value_end = at(scan.pos);
                    } else {
                        stack.push((index, NONE));
                        if open == b'{' {
                            key = scan.key();
                        }
                        continue 'value;
                    }
                }
                b'"' => {
                    scan.skip_string();
                    nodes[index as usize].value_end = at(scan.pos);
                }
                _ => {
                    scan.skip_scalar();
                    nodes[index as usize].value_end = at(scan.pos);
                }
            }
            // Close containers that end here; move to the next member.
            loop {
                scan.skip_ws();
                let Some(&(top, _)) = stack.last() else {
                    break 'value;
                };
                match scan.peek() {
                    Some(b',') => {
                        scan.pos += 1;
                        scan.skip_ws();
                        if scan.bytes[nodes[top as usize].value_start as usize] == b'{' {
                            key = scan.key();
                        }
                        continue 'value;
                    }
                    Some(b'}' | b']') => {
                        scan.pos += 1;
                        nodes[top as usize].value_end = at(scan.pos);
                        stack.pop();
                    }
                    _ => break 'value,
                }
            }
        }
        Self {
            nodes,
            large: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The spans of the value at `pointer` (the last member, where a key repeats).
    pub(crate) fn get(&self, text: &str, pointer: &str) -> Option<NodeSpans> {
        self.find(text, pointer, usize::MAX)
    }

    /// The spans of the `n`th (0-based) member whose key is the pointer's last token.
    pub(crate) fn occurrence(&self, text: &str, pointer: &str, n: usize) -> Option<NodeSpans> {
        self.find(text, pointer, n)
    }

    /// The key span of the `n`th (0-based) member named `key` of the object whose `{` is at
    /// byte `open`.
    pub(crate) fn key_in_object(
        &self,
        text: &str,
        open: usize,
        key: &str,
        n: usize,
    ) -> Option<Span> {
        self.member_in_object(text, open, key, n)?.key
    }

    /// The innermost member or element whose key or value covers byte `offset`, with its
    /// JSON Pointer; `None` outside the root value.
    pub(crate) fn at(&self, text: &str, offset: usize) -> Option<(String, NodeSpans)> {
        let covers = |span: Span| span.start <= offset && offset < span.end;
        let mut node: u32 = 0;
        if !self.nodes.first().is_some_and(|root| covers(root.value())) {
            return None;
        }
        let mut pointer = String::new();
        let mut found = None;
        'descend: loop {
            let is_object = text
                .as_bytes()
                .get(self.nodes[node as usize].value_start as usize)
                == Some(&b'{');
            let mut child = self.nodes[node as usize].first_child;
            let mut index = 0usize;
            while child != NONE {
                let member = &self.nodes[child as usize];
                let on_key = member.key().is_some_and(covers);
                if on_key || covers(member.value()) {
                    let token = match member.key().filter(|_| is_object) {
                        Some(key) => decode_key(text, key),
                        None => index.to_string(),
                    };
                    pointer = crate::finding::child_pointer(&pointer, &token);
                    found = Some((
                        pointer.clone(),
                        NodeSpans {
                            key: member.key(),
                            value: member.value(),
                        },
                    ));
                    if on_key {
                        return found;
                    }
                    node = child;
                    continue 'descend;
                }
                if member.value().start > offset {
                    break;
                }
                child = member.next_sibling;
                index += 1;
            }
            return found;
        }
    }

    /// The spans of the `n`th (0-based) member named `key` of the object whose `{` is at byte
    /// `open`.
    pub(crate) fn member_in_object(
        &self,
        text: &str,
        open: usize,
        key: &str,
        n: usize,
    ) -> Option<NodeSpans> {
        let member = self.children(text, self.container_at(open)?).member(
            key,
            n,
            |k| key_equals(text, k, key),
            |c| self.key_of(c),
        )?;
        Some(self.spans_of(member))
    }

    /// The spans of the `index`th element of the array whose `[` is at byte `open`.
    pub(crate) fn element_in_array(
        &self,
        text: &str,
        open: usize,
        index: usize,
    ) -> Option<NodeSpans> {
        let element = self
            .children(text, self.container_at(open)?)
            .element(index)?;
        Some(self.spans_of(element))
    }

    /// The node of the container whose `{` or `[` is at byte `open`.
    fn container_at(&self, open: usize) -> Option<u32> {
        // Nodes are in document order, so their value starts increase.
        let node = self
            .nodes
            .binary_search_by_key(&open, |node| node.value_start as usize)
            .ok()?;
        u32::try_from(node).ok()
    }

    /// The key and value spans of `node`.
    fn spans_of(&self, node: u32) -> NodeSpans {
        let node = &self.nodes[node as usize];
        NodeSpans {
            key: node.key(),
            value: node.value(),
        }
    }

    fn find(&self, text: &str, pointer: &str, occurrence: usize) -> Option<NodeSpans> {
        let mut node: u32 = if self.nodes.is_empty() {
            return None;
        } else {
            0
        };
        let mut tokens = pointer_tokens(pointer).peekable();
        while let Some(token) = tokens.next() {
            // Where a key repeats, the last member holds the value (as parsers keep it); the
            // last token may ask for another occurrence.
            let wanted = if tokens.peek().is_none() {
                occurrence
            } else {
                usize::MAX
            };
            let is_object = text
                .as_bytes()
                .get(self.nodes[node as usize].value_start as usize)
                == Some(&b'{');
            let children = self.children(text, node);
            node = if is_object {
                children.member(
                    &token,
                    wanted,
                    |k| key_equals(text, k, &token),
                    |c| self.key_of(c),
                )?
            } else {
                children.element(token.parse::<usize>().ok()?)?
            };
        }
        let node = &self.nodes[node as usize];
        Some(NodeSpans {
            key: node.key(),
            value: node.value(),
        })
    }

    /// The key span of node `node`.
    fn key_of(&self, node: u32) -> Option<Span> {
        self.nodes.get(node as usize)?.key()
    }

    /// The children of a container: walked for small ones, indexed once for large ones, so
    /// that many lookups in an object with a million keys stay linear overall.
    fn children(&self, text: &str, node: u32) -> Children {
        let first = self.nodes[node as usize].first_child;
        let walk = || {
            std::iter::successors((first != NONE).then_some(first), |&c| {
                Some(self.nodes[c as usize].next_sibling).filter(|&n| n != NONE)
            })
        };
        if walk().nth(LARGE).is_none() {
            return Children::Small(walk().map(|c| (c, self.nodes[c as usize].key())).collect());
        }
        let mut cache = self
            .large
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = cache.entry(node).or_insert_with(|| {
            let hasher = std::collections::hash_map::RandomState::new();
            let mut by_key = Vec::new();
            let mut elements = Vec::new();
            for c in walk() {
                elements.push(c);
                if let Some(k) = self.nodes[c as usize].key() {
                    by_key.push((hash_key(&hasher, text, k), c));
                }
            }
            // By hash, then in document order.
            by_key.sort_unstable();
            std::sync::Arc::new(LargeChildren {
                hasher,
                by_key,
                elements,
            })
        });
        Children::Large(std::sync::Arc::clone(index))
    }
}

/// Containers with more children than this get a lookup table.
const LARGE: usize = 32;

/// The children of a large container: 16 bytes per member (its key's hash and its node) and
/// 4 per element, rather than a map of decoded keys.
struct LargeChildren {
    /// Keys are hashed with a random key, so that a document cannot choose colliding keys.
    hasher: std::collections::hash_map::RandomState,
    /// (hash of the decoded key, node), by hash, then in document order.
    by_key: Vec<(u64, u32)>,
    elements: Vec<u32>,
}

/// The hash of the key at `span` (with its quotes), decoded.
fn hash_key(hasher: &std::collections::hash_map::RandomState, text: &str, span: Span) -> u64 {
    use std::hash::BuildHasher;
    let raw = text
        .get(span.start + 1..span.end.saturating_sub(1))
        .unwrap_or("");
    if raw.contains('\\') {
        hasher.hash_one(decode_key(text, span))
    } else {
        hasher.hash_one(raw)
    }
}

enum Children {
    Small(Vec<(u32, Option<Span>)>),
    Large(std::sync::Arc<LargeChildren>),
}

impl Children {
    /// The `n`th member (0-based; `usize::MAX` for the last) whose key is `key` (`matches`
    /// says whether a key span is `key`; `key_of` gives a node's key span).
    fn member(
        &self,
        key: &str,
        n: usize,
        matches: impl Fn(Span) -> bool,
        key_of: impl Fn(u32) -> Option<Span>,
    ) -> Option<u32> {
        match self {
            Self::Small(children) => {
                let mut members = children.iter().filter(|(_, k)| k.is_some_and(&matches));
                if n == usize::MAX {
                    members.last()
                } else {
                    members.nth(n)
                }
                .map(|(c, _)| *c)
            }
            Self::Large(large) => {
                use std::hash::BuildHasher;
                let hash = large.hasher.hash_one(key);
                let first = large.by_key.partition_point(|&(h, _)| h < hash);
                let mut members = large.by_key[first..]
                    .iter()
                    .take_while(|&&(h, _)| h == hash)
                    .map(|&(_, c)| c)
                    .filter(|&c| key_of(c).is_some_and(&matches));
                if n == usize::MAX {
                    members.last()
                } else {
                    members.nth(n)
                }
            }
        }
    }

    /// The `index`th element.
    fn element(&self, index: usize) -> Option<u32> {
        match self {
            Self::Small(children) => children.get(index).map(|(c, _)| *c),
            Self::Large(large) => large.elements.get(index).copied(),
        }
    }
}

/// The key at `span` (with its quotes), decoded.
fn decode_key(text: &str, span: Span) -> String {
    let raw = text
        .get(span.start + 1..span.end.saturating_sub(1))
        .unwrap_or("");
    if raw.contains('\\') {
        serde_json::from_str::<String>(&text[span.start..span.end])
            .unwrap_or_else(|_| raw.to_owned())
    } else {
        raw.to_owned()
    }
}

/// Whether the quoted key at `span` decodes to `token`.
fn key_equals(text: &str, span: Span, token: &str) -> bool {
    let raw = text
        .get(span.start + 1..span.end.saturating_sub(1))
        .unwrap_or("");
    if raw.contains('\\') {
        serde_json::from_str::<String>(&text[span.start..span.end]).is_ok_and(|k| k == token)
    } else {
        raw == token
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn skip_string(&mut self) {
        self.pos += 1;
        while let Some(i) =
            memchr::memchr2(b'"', b'\\', &self.bytes[self.pos.min(self.bytes.len())..])
        {
            self.pos += i;
            if self.bytes[self.pos] == b'\\' {
                self.pos += 2;
            } else {
                self.pos += 1;
                return;
            }
        }
        self.pos = self.bytes.len();
    }

    /// Skip the array or object that starts here (valid JSON).
    fn skip_container(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.skip_string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn skip_scalar(&mut self) {
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    /// A key and its colon; leaves the position at the value.
    fn key(&mut self) -> Option<Span> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos;
        self.skip_string();
        let span = Span::new(start, self.pos.min(self.bytes.len()));
        self.skip_ws();
        if self.peek() == Some(b':') {
            self.pos += 1;
        }
        self.skip_ws();
        Some(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn finds_keys_and_values() {
        let text = "{\"input\": {\"a/b\": [1, {\"x\": \"y\"}]}, \"policy\" : { \"ttl\": 5 }, \"e\\u0301\": null}";
        let index = SpanIndex::build(text, usize::MAX, 0);
        let ttl = index.get(text, "/policy/ttl").unwrap();
        assert_eq!(slice(text, ttl.key.unwrap()), "\"ttl\"");
        assert_eq!(slice(text, ttl.value), "5");
        let x = index.get(text, "/input/a~1b/1/x").unwrap();
        assert_eq!(slice(text, x.value), "\"y\"");
        assert_eq!(slice(text, index.get(text, "").unwrap().value), text);
        assert_eq!(
            slice(text, index.get(text, "/e\u{301}").unwrap().value),
            "null"
        );
        assert!(index.get(text, "/input/a~1b/2").is_none());
        assert!(index.get(text, "/nope").is_none());
    }

    #[test]
    fn finds_the_node_at_an_offset() {
        let text = "{\"input\": {\"a/b\": [1, {\"x\": \"y\"}]}, \"policy\" : { \"ttl\": 5 }}";
        let index = SpanIndex::build(text, usize::MAX, 0);
        let at = |needle: &str| index.at(text, text.find(needle).unwrap()).map(|(p, _)| p);
        assert_eq!(at("\"ttl").as_deref(), Some("/policy/ttl"));
        assert_eq!(at("5 }").as_deref(), Some("/policy/ttl"));
        assert_eq!(at("\"y\"").as_deref(), Some("/input/a~1b/1/x"));
        assert_eq!(at("1,").as_deref(), Some("/input/a~1b/0"));
        // Inside an object but on none of its members: the object's own member.
        assert_eq!(at(" \"ttl").as_deref(), Some("/policy"));
        // On the root's own brackets: nothing to name.
        assert_eq!(index.at(text, 0), None);
        assert_eq!(index.at(text, text.len()), None);
    }

    #[test]
    fn large_containers_are_indexed() {
        let members: Vec<String> = (0..100)
            .map(|i| {
                format!(
                    "\"k{i}\": [{}]",
                    (0..50).map(|j| j.to_string()).collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        let text = format!("{{{}, \"k7\": \"again\"}}", members.join(","));
        let index = SpanIndex::build(&text, usize::MAX, 0);
        assert_eq!(
            slice(&text, index.get(&text, "/k99/49").unwrap().value),
            "49"
        );
        assert_eq!(
            slice(&text, index.get(&text, "/k7").unwrap().value),
            "\"again\""
        );
        assert_eq!(
            slice(&text, index.occurrence(&text, "/k7", 0).unwrap().value).len(),
            141
        );
        assert!(index.get(&text, "/k100").is_none());
        assert!(index.get(&text, "/k5/50").is_none());
    }

    #[test]
    fn occurrences_of_a_repeated_key() {
        let text = r#"{"a": 1, "a": 22, "a": 333}"#;
        let index = SpanIndex::build(text, usize::MAX, 0);
        assert_eq!(
            slice(text, index.occurrence(text, "/a", 0).unwrap().value),
            "1"
        );
        assert_eq!(
            slice(text, index.occurrence(text, "/a", 2).unwrap().value),
            "333"
        );
        assert_eq!(slice(text, index.get(text, "/a").unwrap().value), "333");
        assert!(index.occurrence(text, "/a", 3).is_none());
    }

    #[test]
    fn large_objects_find_escaped_and_repeated_keys_in_document_order() {
        let mut members: Vec<String> = (0..200).map(|i| format!("\"k{i}\": {i}")).collect();
        members.insert(10, r#""k\u0035": "escaped""#.to_owned());
        members.push(r#""k5": "last""#.to_owned());
        let text = format!("{{{}}}", members.join(", "));
        let index = SpanIndex::build(&text, usize::MAX, 0);
        let occurrence = |n| {
            index
                .occurrence(&text, "/k5", n)
                .map(|s| slice(&text, s.value))
        };
        assert_eq!(occurrence(0), Some("5"));
        assert_eq!(occurrence(1), Some("\"escaped\""));
        assert_eq!(occurrence(2), Some("\"last\""));
        assert_eq!(occurrence(3), None);
        assert_eq!(
            slice(&text, index.get(&text, "/k5").unwrap().value),
            "\"last\""
        );
        assert!(index.get(&text, "/k200").is_none());
    }

    #[test]
    fn a_shallow_index_spans_the_root_members_as_the_full_one_does() {
        let text =
            r#"{"input": {"a": [1, {"b": "]}"}], "c": "\"{"}, "webhook": "x", "s": [[]], "n": 1}"#;
        let full = SpanIndex::build(text, usize::MAX, 0);
        let shallow = SpanIndex::build(text, 1, 0);
        for pointer in ["", "/input", "/webhook", "/s", "/n", "/missing"] {
            assert_eq!(
                full.get(text, pointer),
                shallow.get(text, pointer),
                "{pointer}"
            );
        }
        assert!(full.get(text, "/input/a/1/b").is_some());
        assert!(shallow.get(text, "/input/a").is_none());
        assert!(shallow.nodes.len() < full.nodes.len());
    }
}
