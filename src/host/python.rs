//! Python hosts, read with tree-sitter's Python grammar: the calls that send a job body, as
//! `RUNPOD-FILES.md` §4 lists them.
//!
//! - runpod-python: `Endpoint(...).run(d)` and `.run_sync(d)` send `d` as written when
//!   `d.get("input")` is truthy, and `{"input": d}` otherwise; `AsyncioEndpoint(...).run(d)`
//!   always sends `{"input": d}` (runpod-python `endpoint/runner.py`, `asyncio_runner.py`).
//! - `requests`, `httpx`, aiohttp and any session: `.post(url, json=d)` to a job route sends
//!   `d`; so does `.post(url, data=json.dumps(d))`.
//!
//! A dict literal is read as `json.dumps` writes it: `True`/`False`/`None`, single quotes,
//! tuples, `6e5` and `600000.0` as floats (`600000.0`). Names bound once to a literal are
//! followed; what the code computes is not known (see [`super::literal`]).

use std::collections::HashMap;

use tree_sitter::Node;

use super::literal::{self, Json, Names};
use super::{Client, Extraction, OffsetMap, Passed};
use crate::config::Route;
use crate::finding::Span;

/// How deep literals and the syntax tree are followed.
const MAX_DEPTH: usize = 128;

/// A file's [`Names`], and the names bound to a client's endpoint.
struct Scope<'t> {
    names: Names<'t>,
    /// The names (and attributes) bound to an endpoint.
    endpoints: HashMap<&'t str, Client>,
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
pub(super) fn extract(text: &str, map: &OffsetMap, out: &mut Extraction) {
    // Only code that names a client's call is parsed: most Python is not about jobs.
    if !text.contains("run") || !(text.contains("Endpoint") || text.contains(".post(")) {
        return;
    }
    let Some(tree) = super::parse_code(
        "Python code",
        &tree_sitter_python::LANGUAGE.into(),
        text,
        map,
        out,
    ) else {
        return;
    };
    let mut scope = Scope {
        names: Names::new(text),
        endpoints: HashMap::new(),
    };
    let mut calls = Vec::new();
    // Each node with its parent: tree-sitter finds a node's parent by descending from the root,
    // which in one flat error node of 100,000 names costs as much as the node.
    let mut stack = vec![(tree.root_node(), None, 0usize)];
    while let Some((node, parent, depth)) = stack.pop() {
        match node.kind() {
            "assignment" => bind(node, &mut scope),
            "augmented_assignment" | "delete_statement" => {
                let target = node
                    .child_by_field_name("left")
                    .or_else(|| node.named_child(0));
                if let Some(name) = target.and_then(|l| root_name(l, text)) {
                    scope.changed.insert(name);
                }
            }
            "identifier" => {
                let kind = parent.map(|p: Node<'_>| p.kind());
                let as_argument = kind == Some("argument_list")
                    || (kind == Some("keyword_argument")
                        && parent
                            .and_then(|p| p.child_by_field_name("value"))
                            .is_some_and(|v| v.id() == node.id()));
                let name = scope.text(node);
                scope.use_of(name, as_argument);
            }
            "call" => calls.push(node),
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
    // `d.update(...)`, `d.setdefault(...)`: `d` is changed after it is written.
    for call in &calls {
        if let Some(function) = call.child_by_field_name("function")
            && function.kind() == "attribute"
            && let Some(method) = function.child_by_field_name("attribute")
            && matches!(
                scope.text(method),
                "update" | "setdefault" | "pop" | "clear" | "popitem"
            )
            && let Some(name) = function
                .child_by_field_name("object")
                .and_then(|o| root_name(o, text))
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

/// Record an assignment: `name = value` binds; `name[...] = value` and `name.x = value`
/// change `name`.
fn bind<'t>(node: Node<'t>, scope: &mut Scope<'t>) {
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    match left.kind() {
        "identifier" => {
            let name = scope.text(left);
            scope.bound.entry(name).or_default().push(right);
        }
        _ => {
            if left.kind() == "attribute" {
                // `self.endpoint = Endpoint(...)`: the attribute is followed as a name.
                scope.bind(left, right);
            }
            if let Some(name) = root_name(left, scope.src) {
                scope.changed.insert(name);
            }
        }
    }
}

/// The names and attributes bound to an endpoint: made by `Endpoint(...)` or
/// `AsyncioEndpoint(...)`, or bound to such a name (a few rounds of aliases). Linear in the
/// bindings per round, whatever they hold.
fn find_endpoints(scope: &mut Scope<'_>) {
    for _ in 0..4 {
        let mut found = Vec::new();
        for (name, values) in &scope.bound {
            if scope.endpoints.contains_key(name) {
                continue;
            }
            if let Some(client) = values
                .iter()
                .find_map(|value| endpoint_class(*value, scope, 0))
            {
                found.push((*name, client));
            }
        }
        if found.is_empty() {
            break;
        }
        scope.endpoints.extend(found);
    }
}

/// The name at the root of `d["a"]["b"]` or `d.x`.
fn root_name<'t>(mut node: Node<'t>, src: &'t str) -> Option<&'t str> {
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "identifier" => return src.get(node.byte_range()),
            "subscript" => node = node.child_by_field_name("value")?,
            "attribute" => node = node.child_by_field_name("object")?,
            _ => return None,
        }
    }
    None
}

/// Which runpod-python endpoint class a call, name or attribute is.
fn endpoint_class(node: Node<'_>, scope: &Scope<'_>, depth: usize) -> Option<Client> {
    if depth > 8 {
        return None;
    }
    match node.kind() {
        "call" => {
            let function = node.child_by_field_name("function")?;
            let name = scope.text(function);
            let last = name.rsplit('.').next().unwrap_or(name);
            match last {
                "Endpoint" => Some(Client::RunpodPython),
                "AsyncioEndpoint" => Some(Client::RunpodPythonAsync),
                _ => None,
            }
        }
        "identifier" | "attribute" => scope.endpoints.get(scope.text(node)).copied(),
        "await" | "parenthesized_expression" => {
            endpoint_class(node.named_child(0)?, scope, depth + 1)
        }
        _ => None,
    }
}

/// An argument of a call: the `index`th positional one, or the keyword one named `keyword`.
fn argument<'t>(
    call: Node<'t>,
    index: usize,
    keyword: &str,
    scope: &Scope<'_>,
) -> Option<Node<'t>> {
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let mut positional = 0;
    for arg in arguments.named_children(&mut cursor) {
        match arg.kind() {
            "keyword_argument" => {
                if arg
                    .child_by_field_name("name")
                    .is_some_and(|n| scope.text(n) == keyword)
                {
                    return arg.child_by_field_name("value");
                }
            }
            "comment" => {}
            "list_splat" | "dictionary_splat" => return None,
            _ => {
                if positional == index {
                    return Some(arg);
                }
                positional += 1;
            }
        }
    }
    None
}

fn read_call(call: Node<'_>, scope: &Scope<'_>, map: &OffsetMap, out: &mut Extraction) {
    let Some(function) = call.child_by_field_name("function") else {
        return;
    };
    if function.kind() != "attribute" {
        return;
    }
    let (Some(object), Some(method)) = (
        function.child_by_field_name("object"),
        function.child_by_field_name("attribute"),
    ) else {
        return;
    };
    let span = map.span(Span::new(call.start_byte(), call.end_byte()));
    match scope.text(method) {
        method @ ("run" | "run_sync") => {
            let Some(client) = endpoint_class(object, scope, 0) else {
                return;
            };
            if client == Client::RunpodPythonAsync && method == "run_sync" {
                return;
            }
            let keyword = if client == Client::RunpodPython {
                "request_input"
            } else {
                "endpoint_input"
            };
            let Some(arg) = argument(call, 0, keyword, scope) else {
                return;
            };
            let route = if method == "run" {
                Route::Run
            } else {
                Route::Runsync
            };
            let holder = match (client, method) {
                (Client::RunpodPythonAsync, _) => "`AsyncioEndpoint.run` argument",
                (_, "run") => "`Endpoint.run` argument",
                _ => "`Endpoint.run_sync` argument",
            };
            push(arg, scope, map, client, route, holder, span, out);
        }
        "post" => {
            let Some(url) = argument(call, 0, "url", scope).and_then(|u| url_text(u, scope)) else {
                return;
            };
            let Some((_, route)) = super::job_route(&url) else {
                return;
            };
            let body = match (
                argument(call, 99, "json", scope),
                argument(call, 99, "data", scope),
            ) {
                (_, Some(data)) => match dumps_argument(data, scope) {
                    Some(body) => body,
                    None => {
                        out.passed.push(Passed {
                            holder: "`post` data".to_owned(),
                            span,
                            reason: "its `data` is not `json.dumps(...)` of a literal".to_owned(),
                        });
                        return;
                    }
                },
                (Some(json), None) => json,
                (None, None) => return,
            };
            push(
                body,
                scope,
                map,
                Client::Http,
                route,
                "`post` json",
                span,
                out,
            );
        }
        _ => {}
    }
}

/// `json.dumps(d)`'s argument.
fn dumps_argument<'t>(node: Node<'t>, scope: &Scope<'_>) -> Option<Node<'t>> {
    if node.kind() != "call" {
        return None;
    }
    let function = node.child_by_field_name("function")?;
    let name = scope.text(function);
    (name == "json.dumps" || name == "dumps").then(|| argument(node, 0, "obj", scope))?
}

/// A URL argument's text: a string (an f-string keeps its `{...}` as written), or a name bound
/// once to one.
fn url_text(node: Node<'_>, scope: &Scope<'_>) -> Option<String> {
    url_text_at(node, scope, 0)
}

fn url_text_at(node: Node<'_>, scope: &Scope<'_>, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match node.kind() {
        // The string's content as written: an f-string keeps its `{...}`.
        "string" => {
            let raw = scope.text(node);
            let open = raw.find(['"', '\''])?;
            let quote = &raw[open..=open];
            Some(
                raw[open..]
                    .trim_matches(|c: char| quote.contains(c))
                    .to_owned(),
            )
        }
        "concatenated_string" => {
            let mut cursor = node.walk();
            let parts: Vec<String> = node
                .named_children(&mut cursor)
                .filter_map(|p| url_text_at(p, scope, depth + 1))
                .collect();
            Some(parts.concat())
        }
        // A string is immutable: a name bound once to one is that string, however it is used.
        "identifier" => match scope.bound.get(scope.text(node)).map(Vec::as_slice) {
            Some([only]) => url_text_at(*only, scope, depth + 1),
            _ => None,
        },
        "binary_operator" => {
            let left = node.child_by_field_name("left")?;
            let right = node.child_by_field_name("right")?;
            Some(format!(
                "{}{}",
                url_text_at(left, scope, depth + 1)
                    .unwrap_or_else(|| format!("{{{}}}", scope.text(left))),
                url_text_at(right, scope, depth + 1)
                    .unwrap_or_else(|| format!("{{{}}}", scope.text(right)))
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
    if !matches!(literal.kind(), "dictionary" | "list" | "tuple") {
        out.passed.push(Passed {
            holder: holder.to_owned(),
            span,
            reason: "the code computes it, or changes it after writing it".to_owned(),
        });
        return;
    }
    let input = input_of(literal, scope);
    let wrapped = match client {
        Client::RunpodPythonAsync => true,
        Client::RunpodPython => matches!(input, InputValue::Missing | InputValue::Falsy),
        Client::Http | Client::JsSdk => false,
    };
    if literal.kind() != "dictionary" && client != Client::Http {
        // runpod-python calls `.get` on it: a list fails with `AttributeError`.
        return;
    }
    let key = |s: Span| map.span(s);
    match (client, &input) {
        (Client::RunpodPython, InputValue::Missing) => {
            for (name, at) in request_keys(literal, scope) {
                out.findings.push(super::wraps_input_finding(
                    key(at),
                    format!(
                        "runpod-python sends this dict as the handler's `input` (it has no `input`): `{name}` reaches the handler, not the service"
                    ),
                    "put the handler's parameters in `input` and keep the request keys beside it: `ep.run({\"input\": {...}, \"policy\": {...}})`",
                ));
            }
        }
        (Client::RunpodPython, InputValue::Falsy) => {
            if let Some(at) = input_span(literal, scope) {
                out.findings.push(super::wraps_input_finding(
                    key(at),
                    "`input` is empty, so runpod-python wraps the whole dict in another `input`: the handler receives `{\"input\": ...}` and the request keys with it".to_owned(),
                    "give `input` the handler's parameters; an empty `input` is not sent as written by this client",
                ));
            }
        }
        (Client::RunpodPythonAsync, InputValue::Truthy | InputValue::Falsy) => {
            if let Some(at) = input_span(literal, scope) {
                out.findings.push(super::wraps_input_finding(
                    key(at),
                    "`AsyncioEndpoint.run` always wraps its argument in `input`: this `input` reaches the handler as `input.input`".to_owned(),
                    "pass the handler's parameters alone: `await endpoint.run({\"prompt\": ...})`; this client cannot send `policy`, `webhook` or `s3Config`",
                ));
            }
        }
        _ => {}
    }
    let mut json = Json::default();
    if wrapped {
        json.punct("{\"input\": ", literal.start_byte());
    }
    value(literal, scope, &mut json, 0);
    if wrapped {
        json.punct("}", literal.end_byte().saturating_sub(1));
    }
    out.bodies
        .push(json.into_body(map, route, holder, span, client));
}

/// A name bound once to a literal is that literal.
fn resolve<'t>(mut node: Node<'t>, scope: &Scope<'t>) -> Node<'t> {
    for _ in 0..8 {
        match node.kind() {
            "identifier" => match scope.literal(scope.text(node)) {
                Some(bound) => node = bound,
                None => return node,
            },
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

/// What a dict literal's `input` is, as runpod-python's `if request_input.get("input")`
/// sees it.
enum InputValue {
    Missing,
    Falsy,
    Truthy,
    Unknown,
}

fn input_of(dict: Node<'_>, scope: &Scope<'_>) -> InputValue {
    if dict.kind() != "dictionary" {
        return InputValue::Unknown;
    }
    let mut cursor = dict.walk();
    let mut open = false;
    for member in dict.named_children(&mut cursor) {
        match member.kind() {
            "pair" => {
                let Some(key) = member.child_by_field_name("key") else {
                    continue;
                };
                if string_value(key, scope).as_deref() != Some("input") {
                    continue;
                }
                let Some(value) = member
                    .child_by_field_name("value")
                    .map(|v| resolve(v, scope))
                else {
                    return InputValue::Unknown;
                };
                return match value.kind() {
                    "none" | "false" => InputValue::Falsy,
                    "dictionary" | "list" | "tuple" if value.named_child_count() == 0 => {
                        InputValue::Falsy
                    }
                    // `0`, `0x0`, `0.0`, `1e-400`: zero, as Python counts it.
                    "integer" if python_int(scope.text(value)).as_deref() == Some("0") => {
                        InputValue::Falsy
                    }
                    "float"
                        if scope
                            .text(value)
                            .replace('_', "")
                            .parse::<f64>()
                            .is_ok_and(|f| f == 0.0) =>
                    {
                        InputValue::Falsy
                    }
                    "string" if string_value(value, scope).as_deref() == Some("") => {
                        InputValue::Falsy
                    }
                    "dictionary" | "list" | "tuple" | "string" | "integer" | "float" | "true" => {
                        InputValue::Truthy
                    }
                    _ => InputValue::Unknown,
                };
            }
            "dictionary_splat" => open = true,
            _ => {}
        }
    }
    if open {
        InputValue::Unknown
    } else {
        InputValue::Missing
    }
}

/// The span of a dict literal's `input` key, if it has one.
fn input_span(dict: Node<'_>, scope: &Scope<'_>) -> Option<Span> {
    let mut cursor = dict.walk();
    dict.named_children(&mut cursor)
        .filter(|m| m.kind() == "pair")
        .filter_map(|m| m.child_by_field_name("key"))
        .find(|k| string_value(*k, scope).as_deref() == Some("input"))
        .map(|k| Span::new(k.start_byte(), k.end_byte()))
}

/// The request keys (other than `input`) a dict literal has, with their spans.
fn request_keys(dict: Node<'_>, scope: &Scope<'_>) -> Vec<(String, Span)> {
    let mut cursor = dict.walk();
    dict.named_children(&mut cursor)
        .filter(|m| m.kind() == "pair")
        .filter_map(|m| m.child_by_field_name("key"))
        .filter_map(|k| {
            Some((
                string_value(k, scope)?,
                Span::new(k.start_byte(), k.end_byte()),
            ))
        })
        .filter(|(name, _)| super::is_service_key(name))
        .collect()
}

/// Write `node` as the JSON `json.dumps` sends for it.
fn value(node: Node<'_>, scope: &Scope<'_>, json: &mut Json, depth: usize) {
    let span = Span::new(node.start_byte(), node.end_byte());
    if depth > MAX_DEPTH {
        json.computed(span);
        return;
    }
    match node.kind() {
        "dictionary" => {
            let start = json.text.len();
            json.token("{", Span::new(span.start, span.start + 1));
            let mut first = true;
            let mut cursor = node.walk();
            for member in node.named_children(&mut cursor) {
                match member.kind() {
                    "pair" => {
                        let (Some(key), Some(item)) = (
                            member.child_by_field_name("key"),
                            member.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        let key_span = Span::new(key.start_byte(), key.end_byte());
                        let name = match key.kind() {
                            "integer" | "true" | "false" | "none" | "float" => {
                                Some(python_key(key, scope))
                            }
                            _ => string_value(key, scope),
                        };
                        let Some(name) = name else {
                            json.mark_open(start);
                            continue;
                        };
                        if !first {
                            json.punct(", ", key_span.start);
                        }
                        first = false;
                        json.string_ascii(&name, key_span);
                        json.punct(": ", key_span.end);
                        value(resolve(item, scope), scope, json, depth + 1);
                    }
                    "dictionary_splat" => json.mark_open(start),
                    _ => {}
                }
            }
            json.token("}", Span::new(span.end.saturating_sub(1), span.end));
        }
        "list" | "tuple" => {
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
                if item.kind() == "list_splat" {
                    json.computed(Span::new(item.start_byte(), item.end_byte()));
                } else {
                    value(resolve(item, scope), scope, json, depth + 1);
                }
            }
            json.token("]", Span::new(span.end.saturating_sub(1), span.end));
        }
        "string" | "concatenated_string" => match string_value(node, scope) {
            Some(text) => json.string_ascii(&text, span),
            None => json.computed(span),
        },
        "integer" => match python_int(scope.text(node)) {
            Some(text) => json.token(&text, span),
            None => json.computed(span),
        },
        "float" => {
            let text = scope.text(node).replace('_', "");
            match text.parse::<f64>().ok().and_then(literal::python_float) {
                Some(text) => json.token(&text, span),
                None => json.computed(span),
            }
        }
        "true" => json.token("true", span),
        "false" => json.token("false", span),
        "none" => json.token("null", span),
        "unary_operator" => {
            let operand = node.child_by_field_name("argument");
            let operator = scope
                .text(node)
                .trim_start()
                .chars()
                .next()
                .unwrap_or_default();
            match (operator, operand.map(|o| o.kind())) {
                ('-', Some("integer" | "float")) => {
                    let mut inner = Json::default();
                    value(operand.unwrap_or(node), scope, &mut inner, depth + 1);
                    json.token(&format!("-{}", inner.text), span);
                }
                _ => json.computed(span),
            }
        }
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => value(inner, scope, json, depth + 1),
            None => json.computed(span),
        },
        _ => json.computed(span),
    }
}

/// A non-string key as `json.dumps` writes it (`1` → `"1"`, `True` → `"true"`).
fn python_key(key: Node<'_>, scope: &Scope<'_>) -> String {
    match key.kind() {
        "true" => "true".to_owned(),
        "false" => "false".to_owned(),
        "none" => "null".to_owned(),
        "integer" => python_int(scope.text(key)).unwrap_or_else(|| scope.text(key).to_owned()),
        _ => scope
            .text(key)
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(literal::python_float)
            .unwrap_or_default(),
    }
}

/// A Python integer literal as decimal digits (`600_000`, `0x10`, `0o17`, `0b1`).
fn python_int(text: &str) -> Option<String> {
    let text = text.replace('_', "");
    let lower = text.to_ascii_lowercase();
    let (digits, radix) = if let Some(rest) = lower.strip_prefix("0x") {
        (rest.to_owned(), 16)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (rest.to_owned(), 8)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (rest.to_owned(), 2)
    } else {
        return (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.trim_start_matches('0').to_owned())
            .map(|t| if t.is_empty() { "0".to_owned() } else { t });
    };
    u128::from_str_radix(&digits, radix)
        .ok()
        .map(|v| v.to_string())
}

/// A string literal's value; `None` when the code computes it (an f-string with fields, a
/// bytes literal, which `json.dumps` refuses).
fn string_value(node: Node<'_>, scope: &Scope<'_>) -> Option<String> {
    match node.kind() {
        "concatenated_string" => {
            let mut text = String::new();
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                text.push_str(&string_value(part, scope)?);
            }
            Some(text)
        }
        "string" => {
            let raw = scope.text(node);
            let quote_at = raw.find(['"', '\''])?;
            let prefix = raw[..quote_at].to_ascii_lowercase();
            if prefix.contains('b') {
                return None;
            }
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "interpolation")
            {
                return None;
            }
            let body = &raw[quote_at..];
            let quote = if body.starts_with("\"\"\"") || body.starts_with("'''") {
                &body[..3]
            } else {
                &body[..1]
            };
            let inner = body
                .strip_prefix(quote)?
                .strip_suffix(quote)
                .unwrap_or_default();
            if prefix.contains('r') {
                return Some(inner.to_owned());
            }
            Some(unescape(inner))
        }
        _ => None,
    }
}

/// Python's string escapes.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push('\\');
            break;
        };
        let mut hex = |n: usize| -> Option<char> {
            let digits: String = (0..n).filter_map(|_| chars.next()).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
        };
        match next {
            '\n' => {}
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0'..='7' => {
                let mut value = next.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(value));
            }
            'x' => out.extend(hex(2)),
            'u' => out.extend(hex(4)),
            'U' => out.extend(hex(8)),
            '\\' | '\'' | '"' => out.push(next),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Extraction {
        let mut out = Extraction::default();
        extract(text, &OffsetMap::identity(text.len()), &mut out);
        out
    }

    #[test]
    fn dict_literals_are_read_as_json_dumps_writes_them() {
        let text = "import runpod\nep = runpod.Endpoint('x')\nep.run({'input': {'p': 'a\\'b', 'n': 6e5, 'k': True, 'z': None, 't': (1, -2)}, 'policy': {'ttl': 600_000}})\n";
        let out = bodies(text);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        let body = &out.bodies[0];
        let value: serde_json::Value = serde_json::from_str(&body.body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"input": {"p": "a'b", "n": 600000.0, "k": true, "z": null, "t": [1, -2]}, "policy": {"ttl": 600000}})
        );
        assert!(body.body.contains("600000.0"));
        let at = body.map.start(body.body.find("600000}").unwrap());
        assert_eq!(&text[at..at + 7], "600_000");
    }

    #[test]
    fn runpod_python_wraps_a_dict_without_a_truthy_input() {
        let out = bodies(
            "from runpod import Endpoint\nep = Endpoint('x')\nep.run_sync({'prompt': 'hi', 'policy': {'ttl': 1}})\nep.run({'input': {}, 'webhook': 'https://e.x/h'})\nep.run({'input': {'a': 1}})\n",
        );
        let bodies: Vec<_> = out.bodies.iter().map(|b| b.body.clone()).collect();
        assert_eq!(bodies.len(), 3);
        assert!(
            bodies[0].starts_with("{\"input\": {\"prompt\""),
            "{}",
            bodies[0]
        );
        assert!(
            bodies[1].starts_with("{\"input\": {\"input\""),
            "{}",
            bodies[1]
        );
        assert!(bodies[2].starts_with("{\"input\": {\"a\""), "{}", bodies[2]);
        let rules: Vec<_> = out.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["client-wraps-input", "client-wraps-input"]);
    }

    #[test]
    fn http_posts_are_bodies_only_to_job_routes() {
        let out = bodies(
            "import requests\nBASE = 'https://api.runpod.ai/v2'\npayload = {'input': {'n': 1}}\nrequests.post(f'{BASE}/{EID}/runsync', json=payload)\nrequests.post('https://api.openai.com/v1/x', json={'input': 1})\nhttpx.post(url=BASE + '/e/run', data=json.dumps({'input': {}}))\n",
        );
        assert_eq!(out.bodies.len(), 2, "{:?}", out.passed);
        assert_eq!(out.bodies[0].route, Some(Route::Runsync));
        assert_eq!(out.bodies[0].body, "{\"input\": {\"n\": 1}}");
        assert_eq!(out.bodies[1].route, Some(Route::Run));
    }

    #[test]
    fn names_bound_to_themselves_or_each_other_end() {
        let text =
            "a = a\n".repeat(20) + "b = a\na = b\n".repeat(12).as_str() + "a.run({'input': {}})\n";
        assert!(bodies(&text).bodies.is_empty());
        let many = "x = 1\n".repeat(5_000) + "x.run(1)\n".repeat(5_000).as_str();
        assert!(bodies(&many).bodies.is_empty());
    }

    #[test]
    fn aliases_parameters_and_attributes() {
        let text = "import runpod\nclass W:\n    def __init__(self):\n        self.endpoint = runpod.Endpoint('x')\n    def go(self, body):\n        self.endpoint.run({'input': {'n': 1}})\n        self.endpoint.run(body)\nbody = {'input': {}, 'policy': {'ttl': 1}}\np = {'input': {}, 'policy': {'ttl': 1}}\ndel p['policy']\nrunpod.Endpoint('y').run(p)\n";
        let out = bodies(text);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        assert!(out.bodies[0].body.contains("\"n\""));
    }

    #[test]
    fn computed_values_and_changed_names_are_not_guessed() {
        let out = bodies(
            "import requests\npayload = {'input': {'a': 1}}\npayload['input']['b'] = x\nrequests.post('https://x/v2/e/run', json=payload)\nrequests.post('https://x/v2/e/run', json={'input': {'p': f'{x}', **more}})\n",
        );
        assert_eq!(out.bodies.len(), 1);
        let body = &out.bodies[0];
        assert_eq!(body.computed.len(), 1);
        assert_eq!(body.open.len(), 1);
        assert_eq!(out.passed.len(), 1);
    }
}
