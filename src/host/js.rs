//! JavaScript and TypeScript hosts, read with tree-sitter's grammars: the calls that send a
//! job body, as `RUNPOD-FILES.md` §4 lists them.
//!
//! - The JS SDK (`runpod-sdk`): `endpoint.run(request)` and `endpoint.runSync(request)` on an
//!   endpoint made by `runpod.endpoint(id)` send `request` unchanged (`src/index.ts`); the
//!   client's timeout is the second argument, never a body key.
//! - `fetch(url, {body: JSON.stringify(d)})` and `axios.post(url, d)` to a job route send `d`.
//!
//! An object literal is read as `JSON.stringify` writes it: unquoted keys, trailing commas,
//! `6e5` and `600000.0` as `600000`, `undefined` members left out, `NaN` as `null`. Names bound
//! once to a literal are followed; what the code computes is not known (see
//! [`super::literal`]).

use std::collections::HashSet;

use tree_sitter::Node;

use super::literal::{self, Json, Names};
use super::{Client, Extraction, OffsetMap, Passed, job_route};
use crate::config::Route;
use crate::finding::Span;

/// How deep literals and the syntax tree are followed.
const MAX_DEPTH: usize = 128;

/// The grammar to read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    JavaScript,
    TypeScript,
    Tsx,
}

/// A file's [`Names`], and the names bound to a client's endpoint.
struct Scope<'t> {
    names: Names<'t>,
    /// The names (and attributes) bound to an endpoint.
    endpoints: HashSet<&'t str>,
}

impl<'t> std::ops::Deref for Scope<'t> {
    type Target = Names<'t>;

    fn deref(&self) -> &Names<'t> {
        &self.names
    }
}

impl std::ops::DerefMut for Scope<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.names
    }
}

/// Read every call of `text` that sends a job body (`text` maps to the host through `map`).
pub(super) fn extract(text: &str, dialect: Dialect, map: &OffsetMap, out: &mut Extraction) {
    // Only code that names a client's call is parsed.
    if !text.contains("run")
        || !(text.contains(".endpoint(") || text.contains("fetch(") || text.contains(".post"))
    {
        return;
    }
    let language: tree_sitter::Language = match dialect {
        Dialect::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Dialect::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Dialect::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    };
    let Some(tree) = super::parse_code("JavaScript code", &language, text, map, out) else {
        return;
    };
    let mut scope = Scope {
        names: Names::new(text),
        endpoints: HashSet::new(),
    };
    let mut calls = Vec::new();
    // Each node with its parent: tree-sitter finds a node's parent by descending from the root,
    // which in one flat error node of 100,000 calls costs as much as the node.
    let mut stack = vec![(tree.root_node(), None, 0usize)];
    while let Some((node, parent, depth)) = stack.pop() {
        match node.kind() {
            "variable_declarator" => {
                if let (Some(name), Some(value)) = (
                    node.child_by_field_name("name"),
                    node.child_by_field_name("value"),
                ) && name.kind() == "identifier"
                {
                    scope.bind(name, value);
                }
            }
            "assignment_expression" | "augmented_assignment_expression" => {
                if let Some(left) = node.child_by_field_name("left") {
                    match (left.kind(), node.child_by_field_name("right")) {
                        ("identifier", Some(right)) if node.kind() == "assignment_expression" => {
                            scope.bind(left, right);
                        }
                        ("member_expression", Some(right))
                            if node.kind() == "assignment_expression" =>
                        {
                            // `this.endpoint = runpod.endpoint(id)`: followed as a name.
                            scope.bind(left, right);
                            if let Some(name) = root_name(left, text) {
                                scope.changed.insert(name);
                            }
                        }
                        _ => {
                            if let Some(name) = root_name(left, text) {
                                scope.changed.insert(name);
                            }
                        }
                    }
                }
            }
            "update_expression" | "unary_expression" => {
                // `d.x++`, `delete d.x`.
                let target = node
                    .child_by_field_name("argument")
                    .filter(|a| a.kind() != "identifier" || node.kind() == "update_expression");
                if let Some(name) = target.and_then(|t| root_name(t, text)) {
                    scope.changed.insert(name);
                }
            }
            "identifier" | "shorthand_property_identifier" => {
                let name = scope.text(node);
                scope.use_of(
                    name,
                    parent.is_some_and(|p: Node<'_>| p.kind() == "arguments"),
                );
            }
            "call_expression" => calls.push(node),
            _ => {}
        }
        if depth < MAX_DEPTH {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            stack.extend(
                children
                    .into_iter()
                    .rev()
                    .map(|c| (c, Some(node), depth + 1)),
            );
        }
    }
    // `Object.assign(d, ...)`: `d` changes.
    for call in &calls {
        if let Some(function) = call.child_by_field_name("function")
            && scope.text(function) == "Object.assign"
            && let Some(name) = argument(*call, 0).and_then(|a| root_name(a, text))
        {
            scope.changed.insert(name);
        }
    }
    find_endpoints(&mut scope);
    calls.sort_by_key(Node::start_byte);
    for call in calls {
        read_call(call, &scope, map, out);
    }
}

/// The name at the root of `d.a.b` or `d["a"]`.
fn root_name<'t>(mut node: Node<'t>, src: &'t str) -> Option<&'t str> {
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "identifier" => return src.get(node.byte_range()),
            "member_expression" | "subscript_expression" => {
                node = node.child_by_field_name("object")?;
            }
            _ => return None,
        }
    }
    None
}

/// The `index`th argument of a call.
fn argument(call: Node<'_>, index: usize) -> Option<Node<'_>> {
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .nth(index)
}

/// A value with its TypeScript wrappers (`x as T`, `x!`, `(x)`) removed, and a name bound once
/// to a literal followed.
fn resolve<'t>(mut node: Node<'t>, scope: &Scope<'t>) -> Node<'t> {
    for _ in 0..16 {
        match node.kind() {
            "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "parenthesized_expression"
            | "type_assertion" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => return node,
            },
            "identifier" => match scope.literal(scope.text(node)) {
                Some(bound) => node = bound,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

/// Whether a callee's object is a JS SDK endpoint: `runpod.endpoint(id)`, or a name bound
/// to one.
fn is_sdk_endpoint(node: Node<'_>, scope: &Scope<'_>) -> bool {
    let node = unwrap(node);
    match node.kind() {
        "call_expression" => node
            .child_by_field_name("function")
            .filter(|f| f.kind() == "member_expression")
            .and_then(|f| f.child_by_field_name("property"))
            .is_some_and(|p| scope.text(p) == "endpoint"),
        "identifier" | "member_expression" => scope.endpoints.contains(scope.text(node)),
        _ => false,
    }
}

/// The names bound to an endpoint, with a few rounds of aliases; linear in the bindings per
/// round.
fn find_endpoints(scope: &mut Scope<'_>) {
    for _ in 0..4 {
        let found: Vec<&str> = scope
            .bound
            .iter()
            .filter(|(name, values)| {
                !scope.endpoints.contains(*name)
                    && values.iter().any(|v| is_sdk_endpoint(*v, scope))
            })
            .map(|(name, _)| *name)
            .collect();
        if found.is_empty() {
            break;
        }
        scope.endpoints.extend(found);
    }
}

/// `await x`, `x!`, `(x)`, `x as T`: `x`.
fn unwrap(node: Node<'_>) -> Node<'_> {
    let mut node = node;
    for _ in 0..16 {
        match node.kind() {
            "await_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => break,
            },
            _ => break,
        }
    }
    node
}

fn read_call(call: Node<'_>, scope: &Scope<'_>, map: &OffsetMap, out: &mut Extraction) {
    let Some(mut function) = call.child_by_field_name("function") else {
        return;
    };
    // tree-sitter-typescript reads `await axios.post<T>(...)` as a call of `await axios.post`
    // with type arguments: the callee is inside the `await`.
    if function.kind() == "await_expression"
        && let Some(inner) = function.named_child(0)
    {
        function = inner;
    }
    let span = map.span(Span::new(call.start_byte(), call.end_byte()));
    if function.kind() == "identifier" && scope.text(function) == "fetch" {
        let (Some(url), Some(options)) = (argument(call, 0), argument(call, 1)) else {
            return;
        };
        let Some((_, route)) = url_text(url, scope).as_deref().and_then(job_route) else {
            return;
        };
        let options = resolve(options, scope);
        let Some(body) = member(options, "body", scope) else {
            return;
        };
        let body = resolve(body, scope);
        let stringified = (body.kind() == "call_expression")
            .then(|| body.child_by_field_name("function"))
            .flatten()
            .is_some_and(|f| scope.text(f) == "JSON.stringify");
        match argument(body, 0).filter(|_| stringified) {
            Some(value) => push(
                value,
                scope,
                map,
                Client::Http,
                route,
                "`fetch` body",
                span,
                out,
            ),
            None => out.passed.push(Passed {
                holder: "`fetch` body".to_owned(),
                span,
                reason: "its body is not `JSON.stringify(...)` of a literal".to_owned(),
            }),
        }
        return;
    }
    if function.kind() != "member_expression" {
        return;
    }
    let (Some(object), Some(property)) = (
        function.child_by_field_name("object"),
        function.child_by_field_name("property"),
    ) else {
        return;
    };
    match scope.text(property) {
        method @ ("run" | "runSync") if is_sdk_endpoint(object, scope) => {
            let Some(arg) = argument(call, 0) else {
                return;
            };
            let route = if method == "run" {
                Route::Run
            } else {
                Route::Runsync
            };
            let holder = if method == "run" {
                "`endpoint.run` argument"
            } else {
                "`endpoint.runSync` argument"
            };
            push(arg, scope, map, Client::JsSdk, route, holder, span, out);
        }
        // axios's `post(url, body)`; other clients' `post` take options (`ky.post(url,
        // {json})`, `got.post(url, {json})`).
        "post" if is_axios(object, scope) => {
            let Some((_, route)) = argument(call, 0)
                .and_then(|u| url_text(u, scope))
                .as_deref()
                .and_then(job_route)
            else {
                return;
            };
            let Some(body) = argument(call, 1) else {
                return;
            };
            push(
                body,
                scope,
                map,
                Client::Http,
                route,
                "`post` body",
                span,
                out,
            );
        }
        _ => {}
    }
}

/// Whether a callee's object is axios: `axios`, or a name bound to `axios.create(...)`.
fn is_axios(object: Node<'_>, scope: &Scope<'_>) -> bool {
    let text = scope.text(object);
    text == "axios"
        || scope.bound.get(text).is_some_and(|values| {
            values
                .iter()
                .any(|v| scope.text(*v).trim_start().starts_with("axios.create"))
        })
}

/// The value of an object literal's member `name`.
fn member<'t>(object: Node<'t>, name: &str, scope: &Scope<'_>) -> Option<Node<'t>> {
    if object.kind() != "object" {
        return None;
    }
    let mut cursor = object.walk();
    object
        .named_children(&mut cursor)
        .filter(|m| m.kind() == "pair")
        .find(|m| {
            m.child_by_field_name("key")
                .and_then(|k| key_name(k, scope))
                .as_deref()
                == Some(name)
        })
        .and_then(|m| m.child_by_field_name("value"))
}

/// A URL argument's text: a string, a template (its `${...}` kept as written), a
/// concatenation, or a name bound once to one of them.
fn url_text(node: Node<'_>, scope: &Scope<'_>) -> Option<String> {
    // A string is immutable: a name bound once to one is that string, however it is used.
    let mut node = unwrap(node);
    for _ in 0..8 {
        match (
            node.kind(),
            scope.bound.get(scope.text(node)).map(Vec::as_slice),
        ) {
            ("identifier", Some([only])) => node = unwrap(*only),
            _ => break,
        }
    }
    match node.kind() {
        "string" | "template_string" => {
            Some(scope.text(node).trim_matches(['"', '\'', '`']).to_owned())
        }
        "binary_expression" => {
            let left = node.child_by_field_name("left")?;
            let right = node.child_by_field_name("right")?;
            Some(format!(
                "{}{}",
                url_text(left, scope).unwrap_or_default(),
                url_text(right, scope).unwrap_or_else(|| scope.text(right).to_owned())
            ))
        }
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    arg: Node<'_>,
    scope: &Scope<'_>,
    map: &OffsetMap,
    client: Client,
    route: Route,
    holder: &'static str,
    span: Span,
    out: &mut Extraction,
) {
    let literal = resolve(arg, scope);
    if !matches!(literal.kind(), "object" | "array") {
        out.passed.push(Passed {
            holder: holder.to_owned(),
            span,
            reason: "the code computes it, or changes it after writing it".to_owned(),
        });
        return;
    }
    let mut json = Json::default();
    value(literal, scope, &mut json, 0);
    out.bodies
        .push(json.into_body(map, route, holder, span, client));
}

/// An object key's name as `JSON.stringify` writes it; `None` for a computed key.
fn key_name(key: Node<'_>, scope: &Scope<'_>) -> Option<String> {
    match key.kind() {
        "property_identifier" | "private_property_identifier" => Some(scope.text(key).to_owned()),
        "string" => string_value(key, scope),
        "number" => js_number(scope.text(key)).map(literal::js_number),
        _ => None,
    }
}

/// Whether `JSON.stringify` leaves a member with this value out.
fn is_omitted(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "undefined" | "function_expression" | "arrow_function" | "function" | "class"
    )
}

/// Write `node` as the JSON `JSON.stringify` sends for it.
fn value(node: Node<'_>, scope: &Scope<'_>, json: &mut Json, depth: usize) {
    let span = Span::new(node.start_byte(), node.end_byte());
    if depth > MAX_DEPTH {
        json.computed(span);
        return;
    }
    match node.kind() {
        "object" => {
            let start = json.text.len();
            json.token("{", Span::new(span.start, span.start + 1));
            let mut first = true;
            let mut cursor = node.walk();
            for member in node.named_children(&mut cursor) {
                let (key, item) = match member.kind() {
                    "pair" => match (
                        member.child_by_field_name("key"),
                        member.child_by_field_name("value"),
                    ) {
                        (Some(key), Some(item)) => (key, item),
                        _ => continue,
                    },
                    "shorthand_property_identifier" => (member, member),
                    "spread_element" => {
                        json.mark_open(start);
                        continue;
                    }
                    _ => continue,
                };
                let item = if member.kind() == "shorthand_property_identifier" {
                    scope.literal(scope.text(member)).unwrap_or(member)
                } else {
                    resolve(item, scope)
                };
                if is_omitted(item) {
                    continue;
                }
                let key_span = Span::new(key.start_byte(), key.end_byte());
                let Some(name) = (if member.kind() == "shorthand_property_identifier" {
                    Some(scope.text(member).to_owned())
                } else {
                    key_name(key, scope)
                }) else {
                    json.mark_open(start);
                    continue;
                };
                if !first {
                    json.punct(", ", key_span.start);
                }
                first = false;
                json.string(&name, key_span);
                json.punct(": ", key_span.end);
                if item == member {
                    json.computed(key_span);
                } else {
                    value(item, scope, json, depth + 1);
                }
            }
            json.token("}", Span::new(span.end.saturating_sub(1), span.end));
        }
        "array" => {
            json.token("[", Span::new(span.start, span.start + 1));
            let mut first = true;
            let mut cursor = node.walk();
            for item in node.named_children(&mut cursor) {
                if item.kind() == "comment" {
                    continue;
                }
                if !first {
                    json.punct(", ", item.start_byte());
                }
                first = false;
                let item_span = Span::new(item.start_byte(), item.end_byte());
                if item.kind() == "spread_element" {
                    json.computed(item_span);
                } else if is_omitted(item) {
                    json.token("null", item_span);
                } else {
                    value(resolve(item, scope), scope, json, depth + 1);
                }
            }
            json.token("]", Span::new(span.end.saturating_sub(1), span.end));
        }
        "string" | "template_string" => match string_value(node, scope) {
            Some(text) => json.string(&text, span),
            None => json.computed(span),
        },
        "number" => match js_number(scope.text(node)) {
            Some(n) => json.token(&literal::js_number(n), span),
            None => json.computed(span),
        },
        "true" => json.token("true", span),
        "false" => json.token("false", span),
        "null" => json.token("null", span),
        "identifier" if matches!(scope.text(node), "NaN" | "Infinity") => {
            json.token("null", span);
        }
        "unary_expression" => {
            let operand = node.child_by_field_name("argument");
            let minus = scope.text(node).trim_start().starts_with('-');
            match operand
                .filter(|o| o.kind() == "number" && minus)
                .and_then(|o| js_number(scope.text(o)))
            {
                Some(n) => json.token(&literal::js_number(-n), span),
                None => json.computed(span),
            }
        }
        "as_expression"
        | "satisfies_expression"
        | "non_null_expression"
        | "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => value(inner, scope, json, depth + 1),
            None => json.computed(span),
        },
        _ => json.computed(span),
    }
}

/// A JavaScript number literal's value (`6e5`, `0x10`, `1_000`, `.5`); `None` for a BigInt
/// (`10n`), which `JSON.stringify` refuses.
fn js_number(text: &str) -> Option<f64> {
    let text = text.replace('_', "");
    if text.ends_with('n') {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let radix = |digits: &str, radix| u64::from_str_radix(digits, radix).ok().map(|v| v as f64);
    if let Some(d) = lower.strip_prefix("0x") {
        return radix(d, 16);
    }
    if let Some(d) = lower.strip_prefix("0o") {
        return radix(d, 8);
    }
    if let Some(d) = lower.strip_prefix("0b") {
        return radix(d, 2);
    }
    lower.parse::<f64>().ok()
}

/// A string literal's value; `None` for a template with substitutions.
fn string_value(node: Node<'_>, scope: &Scope<'_>) -> Option<String> {
    let raw = scope.text(node);
    match node.kind() {
        "string" => Some(unescape(raw.get(1..raw.len().saturating_sub(1))?)),
        "template_string" => {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "template_substitution")
            {
                return None;
            }
            Some(unescape(raw.get(1..raw.len().saturating_sub(1))?))
        }
        _ => None,
    }
}

/// JavaScript's string escapes.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            break;
        };
        match next {
            '\n' | '\u{2028}' | '\u{2029}' => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' => out.push('\0'),
            'x' => {
                let digits: String = (0..2).filter_map(|_| chars.next()).collect();
                out.extend(
                    u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32),
                );
            }
            'u' => {
                let digits: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    chars.by_ref().take_while(|c| *c != '}').collect()
                } else {
                    (0..4).filter_map(|_| chars.next()).collect()
                };
                let unit = u32::from_str_radix(&digits, 16).ok();
                // A surrogate pair written as two escapes.
                match unit {
                    Some(high @ 0xD800..=0xDBFF) => {
                        let mut ahead = chars.clone();
                        let low = (ahead.next() == Some('\\') && ahead.next() == Some('u'))
                            .then(|| (0..4).filter_map(|_| ahead.next()).collect::<String>())
                            .and_then(|d| u32::from_str_radix(&d, 16).ok())
                            .filter(|l| (0xDC00..=0xDFFF).contains(l));
                        if let Some(low) = low {
                            chars = ahead;
                            out.extend(char::from_u32(
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00),
                            ));
                        } else {
                            out.push('\u{fffd}');
                        }
                    }
                    Some(unit) => out.push(char::from_u32(unit).unwrap_or('\u{fffd}')),
                    None => {}
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str, dialect: Dialect) -> Extraction {
        let mut out = Extraction::default();
        extract(text, dialect, &OffsetMap::identity(text.len()), &mut out);
        out
    }

    #[test]
    fn object_literals_are_read_as_json_stringify_writes_them() {
        let text = "import runpodSdk from 'runpod-sdk';\nconst runpod = runpodSdk(KEY);\nconst endpoint = runpod.endpoint('id');\nawait endpoint.runSync({input: {p: 'a\\u0041', n: 6e5, f: 600000.0, u: undefined, a: [undefined, -1]}, timeout: 60000,}, 90000);\n";
        let out = bodies(text, Dialect::JavaScript);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        let body = &out.bodies[0];
        let value: serde_json::Value = serde_json::from_str(&body.body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"input": {"p": "aA", "n": 600000, "f": 600000, "a": [null, -1]}, "timeout": 60000})
        );
        assert_eq!(body.route, Some(Route::Runsync));
        let at = body.map.start(body.body.find("60000}").unwrap());
        assert_eq!(&text[at..at + 5], "60000");
    }

    #[test]
    fn fetch_and_axios_post_to_job_routes() {
        let text = "const url = `${BASE}/v2/${ID}/run`;\nawait fetch(url, {method: 'POST', body: JSON.stringify({input: {n: 1}})});\naxios.post('https://api.runpod.ai/v2/x/runsync', {input: [1]} as Req);\naxios.post('https://example.com/api', {input: 1});\n";
        let out = bodies(text, Dialect::TypeScript);
        assert_eq!(out.bodies.len(), 2, "{:?}", out.passed);
        assert_eq!(out.bodies[0].body, "{\"input\": {\"n\": 1}}");
        assert_eq!(out.bodies[1].route, Some(Route::Runsync));
        // With type arguments after `await` (tree-sitter reads the callee inside the `await`).
        let text = "async function f() { const r = await axios.post<Resp>('https://api.runpod.ai/v2/x/run', {input: {a: 1}}); }\n";
        let out = bodies(text, Dialect::TypeScript);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        assert_eq!(out.bodies[0].body, "{\"input\": {\"a\": 1}}");
    }

    #[test]
    fn names_bound_to_themselves_or_each_other_end() {
        // Exponential before: every binding of every name followed to depth 8.
        let text =
            "a = a;\n".repeat(20) + "b = a; a = b;\n".repeat(12).as_str() + "a.run({input: {}});\n";
        let out = bodies(&text, Dialect::JavaScript);
        assert!(out.bodies.is_empty());
        let many = "x = 1;\n".repeat(5_000) + "x.run(1);\n".repeat(5_000).as_str();
        assert!(bodies(&many, Dialect::JavaScript).bodies.is_empty());
    }

    #[test]
    fn a_name_used_otherwise_than_as_an_argument_is_not_followed() {
        let text = "const ep = runpod.endpoint('x');\nconst p = {input: {}, policy: {ttl: 1}};\ndelete p.policy;\nep.run(p);\nclass W { constructor() { this.ep = runpod.endpoint('y'); } go() { this.ep.run({input: {n: 1}}); } }\n";
        let out = bodies(text, Dialect::JavaScript);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        assert!(out.bodies[0].body.contains("\"n\""));
    }

    #[test]
    fn spreads_and_computed_values_are_not_guessed() {
        let text =
            "const ep = runpod.endpoint('x');\nep.run({...base, input: {p: `${x}`, [k]: 1}});\n";
        let out = bodies(text, Dialect::JavaScript);
        let body = &out.bodies[0];
        assert_eq!(body.open.len(), 2);
        assert_eq!(body.computed.len(), 1);
    }
}
