//! A body written as a language's literal (a Python dict, a JavaScript object), turned into
//! the JSON its serializer sends, with each JSON token mapped to the literal it came from.
//!
//! What the code computes (a variable, a call, an f-string) is not known: it is written as
//! `null` and its span recorded in [`Json::computed`], so findings about such a value are not
//! given. An object with a spread (`**base`, `...base`) or a computed key may hold keys that
//! are not seen: its start is recorded in [`Json::open`], so findings about keys it lacks are
//! not given either.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::{Client, Embedded, KindHint, OffsetMap};
use crate::config::Route;
use crate::finding::Span;

/// What a code file binds names to (each name's assignments, and `self.x`/`this.x`
/// attributes'), the names changed after (`d["k"] = v`, `del d[...]`, `delete d.x`), and how
/// often each name is used at all and as a call's argument. A name is followed to its
/// literal only when it is bound once, never changed, and used nowhere but as arguments: an
/// alias, a loop variable or parameter of the same name, a method called on it, each makes
/// its literal not the whole story.
pub(super) struct Names<'t> {
    pub src: &'t str,
    pub bound: HashMap<&'t str, Vec<Node<'t>>>,
    pub changed: HashSet<&'t str>,
    pub uses: HashMap<&'t str, usize>,
    pub argument_uses: HashMap<&'t str, usize>,
}

impl<'t> Names<'t> {
    /// An empty table for the code `src`.
    pub fn new(src: &'t str) -> Self {
        Self {
            src,
            bound: HashMap::new(),
            changed: HashSet::new(),
            uses: HashMap::new(),
            argument_uses: HashMap::new(),
        }
    }

    /// The one literal `name` is bound to, when following it is sound (see [`Names`]).
    pub fn literal(&self, name: &str) -> Option<Node<'t>> {
        let uses = self.uses.get(name).copied().unwrap_or(0);
        let as_arguments = self.argument_uses.get(name).copied().unwrap_or(0);
        match self.bound.get(name).map(Vec::as_slice) {
            Some([only]) if !self.changed.contains(name) && uses == 1 + as_arguments => Some(*only),
            _ => None,
        }
    }

    /// Record that `name` (its text, such as `d` or `self.endpoint`) is bound to `value`.
    pub fn bind(&mut self, name: Node<'t>, value: Node<'t>) {
        let key = self.text(name);
        self.bound.entry(key).or_default().push(value);
    }

    /// Count one use of `name`, as a call's argument or not.
    pub fn use_of(&mut self, name: &'t str, as_argument: bool) {
        *self.uses.entry(name).or_default() += 1;
        if as_argument {
            *self.argument_uses.entry(name).or_default() += 1;
        }
    }

    /// The source text of `node`.
    pub fn text(&self, node: Node<'_>) -> &'t str {
        self.src.get(node.byte_range()).unwrap_or_default()
    }
}

/// A JSON text being written from a literal.
#[derive(Debug, Default)]
pub(super) struct Json {
    pub text: String,
    pub map: OffsetMap,
    /// Body spans of values the code computes.
    pub computed: Vec<Span>,
    /// Body offsets of objects that may hold keys that are not seen.
    pub open: Vec<usize>,
}

impl Json {
    /// `token` for the host text at `host`.
    pub fn token(&mut self, token: &str, host: Span) {
        self.map.piece(token.len(), host.start, host.len());
        self.text.push_str(token);
    }

    /// Punctuation the serializer writes (`, `, `: `), mapped to the host offset `at`.
    pub fn punct(&mut self, token: &str, at: usize) {
        self.map.piece(token.len(), at, 0);
        self.text.push_str(token);
    }

    /// A value the code computes, written as `null`.
    pub fn computed(&mut self, host: Span) {
        let start = self.text.len();
        self.token("null", host);
        self.computed.push(Span::new(start, self.text.len()));
    }

    /// A JSON string holding `value`, for the host literal at `host`.
    pub fn string(&mut self, value: &str, host: Span) {
        let quoted = serde_json::Value::String(value.to_owned()).to_string();
        self.token(&quoted, host);
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`, its default, which
    /// `requests` keeps): every character past ASCII as `\uXXXX`, so the body's size is the
    /// size sent (an emoji is 12 bytes).
    pub fn string_ascii(&mut self, value: &str, host: Span) {
        let quoted = serde_json::Value::String(value.to_owned()).to_string();
        if quoted.is_ascii() {
            self.token(&quoted, host);
            return;
        }
        let mut ascii = String::with_capacity(quoted.len() + 16);
        for c in quoted.chars() {
            if c.is_ascii() {
                ascii.push(c);
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    ascii.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        self.token(&ascii, host);
    }

    /// The body written, as the body a call sends: of the route's kind, every span mapped
    /// through `map` (the code's text to the host).
    pub fn into_body(
        self,
        map: &OffsetMap,
        route: Route,
        holder: &'static str,
        span: Span,
        client: Client,
    ) -> Embedded {
        Embedded {
            body: self.text,
            map: self.map.through(map),
            hint: KindHint::Named(crate::kind::Kind::of_route(route)),
            route: Some(route),
            holder,
            span,
            computed: self.computed,
            open: self.open,
            client: Some(client),
        }
    }

    /// The current object (whose `{` was just written at `start`) may hold unseen keys.
    pub fn mark_open(&mut self, start: usize) {
        self.open.push(start);
    }
}

/// Python's `repr` of a float as `json.dumps` writes it: `600000.0` for an integral value,
/// `1e+20` past 1e16; `None` for NaN and the infinities (which `requests` refuses to send).
pub(super) fn python_float(value: f64) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    if value.fract() == 0.0 && value.abs() < 1e16 {
        return Some(format!("{value:.1}"));
    }
    let plain = format!("{value}");
    if value.abs() >= 1e16 || (value != 0.0 && value.abs() < 1e-4) {
        // Python writes the exponent with a sign and at least two digits; any exponent form
        // is JSON, which is what matters here.
        return Some(format!("{value:e}"));
    }
    Some(plain)
}

/// A number as JavaScript's `JSON.stringify` writes it: `600000` for `6e5` and `600000.0`;
/// `null` for NaN and the infinities.
pub(super) fn js_number(value: f64) -> String {
    if !value.is_finite() {
        return "null".to_owned();
    }
    if value.fract() == 0.0 && value.abs() < 1e21 {
        return format!("{value:.0}");
    }
    let text = format!("{value}");
    if text.contains('e') || value.abs() >= 1e21 {
        format!("{value:e}").replace('e', "e+").replace("e+-", "e-")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_strings_are_ascii_as_sent() {
        let mut json = Json::default();
        json.string_ascii("é😀", Span::new(0, 1));
        assert_eq!(json.text, "\"\\u00e9\\ud83d\\ude00\"");
        assert_eq!(serde_json::from_str::<String>(&json.text).unwrap(), "é😀");
    }

    #[test]
    fn numbers_are_written_as_each_serializer_writes_them() {
        assert_eq!(python_float(6e5).as_deref(), Some("600000.0"));
        assert_eq!(python_float(1.5).as_deref(), Some("1.5"));
        assert_eq!(python_float(f64::NAN), None);
        assert_eq!(js_number(6e5), "600000");
        assert_eq!(js_number(600000.0), "600000");
        assert_eq!(js_number(1.5), "1.5");
        assert_eq!(js_number(f64::INFINITY), "null");
        assert!(serde_json::from_str::<f64>(&js_number(1e300)).is_ok());
        assert!(serde_json::from_str::<f64>(&python_float(1e300).unwrap()).is_ok());
    }
}
