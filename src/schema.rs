//! The generated request schema: embedded, compiled once, and its verdicts translated into the
//! rules that own them.
//!
//! Shape is decided here and only here. [`TABLE`] says, for each schema keyword and location,
//! which rule reports the problem; the rule then words the finding.

mod conformance;

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::finding::{child_pointer, pointer_tokens};
use crate::kind::Kind;

/// `schema/request.schema.json`, as committed.
pub const REQUEST_SCHEMA: &str = include_str!("../schema/request.schema.json");

/// The committed schema of a batch body (an array of requests), for editors; rplint checks
/// each of a batch's requests with [`REQUEST_SCHEMA`].
pub const BATCH_SCHEMA: &str = include_str!("../schema/batch.schema.json");

/// One verdict of the schema on a request, with its pointer relative to the request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shape {
    /// The value concerned; for `Missing` and `Unexpected`, the object holding the key.
    pub pointer: String,
    pub kind: ShapeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShapeKind {
    /// A required key is absent.
    Missing(String),
    /// A key the schema does not allow.
    Unexpected(String),
    /// The value has another JSON type than `expected`.
    WrongType { expected: String },
    /// The number is below the minimum.
    Below(f64),
    /// The number is above the maximum.
    Above(f64),
    /// The string is empty where it must not be.
    Empty,
    /// The value is not one of these (an `enum` or `const`).
    NotAllowed(Vec<String>),
    /// Any other keyword, in the validator's words (without the value).
    Other(String),
}

impl Shape {
    /// The pointer of the value itself (the key's pointer for a missing or unexpected key).
    pub fn value_pointer(&self) -> String {
        match &self.kind {
            ShapeKind::Missing(key) | ShapeKind::Unexpected(key) => {
                child_pointer(&self.pointer, key)
            }
            _ => self.pointer.clone(),
        }
    }
}

/// Which rule reports a schema verdict: (keyword, location, rule id). The location is a
/// pointer pattern relative to the request, where `*` matches one token and `**` anything.
/// The first matching row wins.
pub(crate) const TABLE: &[(&str, &str, &str)] = &[
    ("type", "", "request-not-object"),
    ("type", "/input", "input-not-object"),
    ("type", "**", "invalid-type"),
    ("required", "", "missing-input"),
    ("required", "/s3Config", "s3-config-incomplete"),
    ("minLength", "/s3Config/*", "s3-config-incomplete"),
    ("additionalProperties", "", "unknown-key"),
    ("additionalProperties", "/policy", "unknown-key"),
    ("additionalProperties", "/s3Config", "unknown-key"),
    (
        "minimum",
        "/policy/executionTimeout",
        "execution-timeout-range",
    ),
    (
        "maximum",
        "/policy/executionTimeout",
        "execution-timeout-range",
    ),
    ("minimum", "/policy/ttl", "ttl-range"),
    ("maximum", "/policy/ttl", "ttl-range"),
    // Every other verdict: the value does not have the shape the service expects.
    ("*", "**", "invalid-type"),
];

/// The rule `table` assigns `keyword` at `pointer`; a `*` keyword matches every keyword.
fn rule_in(
    table: &'static [(&'static str, &'static str, &'static str)],
    keyword: &str,
    pointer: &str,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, pattern, _)| (*k == keyword || *k == "*") && matches_pattern(pattern, pointer))
        .map(|(_, _, rule)| *rule)
}

fn matches_pattern(pattern: &str, pointer: &str) -> bool {
    if pattern == "**" {
        return true;
    }
    let mut tokens = pointer_tokens(pointer);
    for want in pattern.split('/').skip(1) {
        match tokens.next() {
            Some(token) if want == "*" || want == token => {}
            _ => return false,
        }
    }
    tokens.next().is_none()
}

fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            jsonschema::draft7::options()
                .should_validate_formats(false)
                .build(schema_value()?)
                .ok()
        })
        .as_ref()
}

/// Whether the embedded schema compiles (it always should; `tests/schema.rs` checks).
pub fn compiles() -> bool {
    validator().is_some()
}

/// The schema's verdicts on one request, each with the rule that owns it.
pub(crate) fn check(request: &Value) -> Vec<(&'static str, Shape)> {
    // Most requests conform; proving it from the schema's few keywords spares a run of one
    // file from waiting for the validator to compile (most of a pre-commit hook's time).
    if conforms(request) == Some(true) {
        return Vec::new();
    }
    let Some(validator) = validator() else {
        return Vec::new();
    };
    translate(validator, TABLE, request)
}

/// The validator's errors on `value`, each as a verdict of the rule `table` assigns it. A
/// table that ends with a `("*", "**", rule)` row gives every other verdict to that rule.
fn translate(
    validator: &jsonschema::Validator,
    table: &'static [(&'static str, &'static str, &'static str)],
    value: &Value,
) -> Vec<(&'static str, Shape)> {
    let mut verdicts = Vec::new();
    for error in validator.iter_errors(value) {
        let pointer = error.instance_path().as_str().to_owned();
        let keyword = error.kind().keyword().to_owned();
        let kinds = match error.kind() {
            ValidationErrorKind::Required { property } => {
                vec![ShapeKind::Missing(
                    property.as_str().unwrap_or_default().to_owned(),
                )]
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                .iter()
                .map(|k| ShapeKind::Unexpected(k.clone()))
                .collect(),
            ValidationErrorKind::Type { kind } => vec![ShapeKind::WrongType {
                expected: match kind {
                    TypeKind::Single(t) => t.to_string(),
                    TypeKind::Multiple(_) => "another type".to_owned(),
                },
            }],
            ValidationErrorKind::Minimum { limit } => {
                vec![ShapeKind::Below(limit.as_f64().unwrap_or_default())]
            }
            ValidationErrorKind::Maximum { limit } => {
                vec![ShapeKind::Above(limit.as_f64().unwrap_or_default())]
            }
            ValidationErrorKind::MinLength { .. } => vec![ShapeKind::Empty],
            ValidationErrorKind::Enum { options } => vec![ShapeKind::NotAllowed(
                options
                    .as_array()
                    .map(|o| {
                        o.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
            )],
            ValidationErrorKind::Constant { expected_value } => vec![ShapeKind::NotAllowed(
                expected_value
                    .as_str()
                    .map(str::to_owned)
                    .into_iter()
                    .collect(),
            )],
            _ => vec![ShapeKind::Other(error.masked().to_string())],
        };
        let Some(rule) = rule_in(table, &keyword, &pointer) else {
            continue;
        };
        for kind in kinds {
            verdicts.push((
                rule,
                Shape {
                    pointer: pointer.clone(),
                    kind,
                },
            ));
        }
    }
    verdicts
}

/// The schema of a kind of document other than a request: its committed text, the table that
/// assigns its verdicts to rules, and its validator, compiled on first use.
pub(crate) struct KindSchema {
    /// The committed schema (`schema/<kind>.schema.json`).
    pub text: &'static str,
    /// (keyword, location, rule id), as [`TABLE`]; locations are relative to the document.
    pub table: &'static [(&'static str, &'static str, &'static str)],
    value: OnceLock<Option<Value>>,
    validator: OnceLock<Option<jsonschema::Validator>>,
}

impl KindSchema {
    /// The schema `text` with its `table`.
    pub const fn new(
        text: &'static str,
        table: &'static [(&'static str, &'static str, &'static str)],
    ) -> Self {
        Self {
            text,
            table,
            value: OnceLock::new(),
            validator: OnceLock::new(),
        }
    }

    fn value(&self) -> Option<&Value> {
        self.value
            .get_or_init(|| serde_json::from_str(self.text).ok())
            .as_ref()
    }

    fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| {
                jsonschema::draft7::options()
                    .should_validate_formats(false)
                    .build(self.value()?)
                    .ok()
            })
            .as_ref()
    }

    /// Whether the schema parses and compiles (`tests/schema.rs` checks every kind's).
    pub fn compiles(&self) -> bool {
        self.validator().is_some()
    }

    /// The schema's verdicts on a document, each with the rule that owns it.
    ///
    /// The validator recurses into (and some keywords copy) the values it checks, so a
    /// document nested deeper than [`MAX_DEPTH`] is checked as a copy whose deeper containers
    /// are empty ones of the same type: the kinds' schemas are a few levels deep, so their
    /// verdicts are the same.
    pub fn check(&self, value: &Value) -> Vec<(&'static str, Shape)> {
        let Some(validator) = self.validator() else {
            return Vec::new();
        };
        if depth_exceeds(value, MAX_DEPTH) {
            translate(validator, self.table, &truncated(value, MAX_DEPTH))
        } else {
            translate(validator, self.table, value)
        }
    }

    /// The keys the schema declares for the object at `pointer` (array indices step into
    /// `items`), by name; empty where the object is free-form.
    pub fn known_keys(&self, pointer: &str) -> Vec<String> {
        let Some(root) = self.value() else {
            return Vec::new();
        };
        let mut node = resolve_in(root, root);
        for token in pointer_tokens(pointer) {
            node = node.and_then(|n| {
                let next = if token.parse::<usize>().is_ok() && n.get("items").is_some() {
                    n.get("items")
                } else {
                    n.get("properties")?.get(token.as_ref())
                };
                resolve_in(root, next?)
            });
        }
        node.and_then(|n| n.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }
}

impl KindSchema {
    /// The pointers of the numbers in `document` whose schema type is `integer` (the walk
    /// follows the schema, so it is as deep as the schema, whatever the document's depth).
    pub fn integer_pointers(&self, document: &Value) -> Vec<String> {
        fn walk(root: &Value, node: &Value, value: &Value, pointer: &str, out: &mut Vec<String>) {
            let Some(node) = resolve_in(root, node) else {
                return;
            };
            match value {
                Value::Number(_) if node.get("type").and_then(Value::as_str) == Some("integer") => {
                    out.push(pointer.to_owned());
                }
                Value::Object(map) => {
                    let properties = node.get("properties").and_then(Value::as_object);
                    for (key, sub) in properties.into_iter().flatten() {
                        if let Some(child) = map.get(key) {
                            walk(root, sub, child, &child_pointer(pointer, key), out);
                        }
                    }
                }
                Value::Array(items) => {
                    if let Some(sub) = node.get("items") {
                        for (i, child) in items.iter().enumerate() {
                            walk(root, sub, child, &format!("{pointer}/{i}"), out);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(root) = self.value() {
            walk(root, root, document, "", &mut out);
        }
        out
    }
}

/// How deep a document the kinds' validators see (see [`KindSchema::check`]).
const MAX_DEPTH: usize = 32;

/// Whether `value` holds containers nested more than `max` deep (without recursing).
fn depth_exceeds(value: &Value, max: usize) -> bool {
    let mut stack = vec![(value, 0)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth >= max {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// A copy of `value` whose containers below depth `max` are empty (recursion bounded by
/// `max`).
fn truncated(value: &Value, max: usize) -> Value {
    match value {
        Value::Array(_) if max == 0 => Value::Array(Vec::new()),
        Value::Object(_) if max == 0 => Value::Object(serde_json::Map::new()),
        Value::Array(items) => Value::Array(items.iter().map(|v| truncated(v, max - 1)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), truncated(v, max - 1)))
                .collect(),
        ),
        scalar => scalar.clone(),
    }
}

/// The schema node itself, or the one its `$ref` names, within `root`.
fn resolve_in<'v>(root: &'v Value, node: &'v Value) -> Option<&'v Value> {
    let reference = node.get("$ref").or_else(|| {
        node.get("allOf")?
            .as_array()
            .filter(|all| all.len() == 1)?
            .first()?
            .get("$ref")
    });
    match reference.and_then(Value::as_str) {
        Some(reference) => root.pointer(reference.strip_prefix('#')?),
        None => Some(node),
    }
}

/// The schema of `kind`, for the kinds that have one besides a request.
pub(crate) fn kind_schema(kind: Kind) -> Option<&'static KindSchema> {
    crate::kinds::schema(kind)
}

/// The committed schema of `kind` (the request schema for the request kinds; a batch is an
/// array of requests).
pub fn schema_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Batch => BATCH_SCHEMA,
        _ => kind_schema(kind).map_or(REQUEST_SCHEMA, |s| s.text),
    }
}

/// Whether the schema of `kind` compiles.
pub fn kind_compiles(kind: Kind) -> bool {
    match kind {
        Kind::Batch => serde_json::from_str::<Value>(BATCH_SCHEMA)
            .is_ok_and(|schema| jsonschema::draft7::new(&schema).is_ok()),
        _ => kind_schema(kind).map_or_else(compiles, KindSchema::compiles),
    }
}

/// The schema's verdicts on a document of `kind` (none for the request kinds, whose requests
/// are checked one by one).
pub(crate) fn check_kind(kind: Kind, value: &Value) -> Vec<(&'static str, Shape)> {
    kind_schema(kind).map_or_else(Vec::new, |schema| schema.check(value))
}

/// Whether `request` certainly conforms to the schema: `None` where only the validator can
/// say (see [`conformance`]). The schema is compiled for this on first use.
pub fn conforms(request: &Value) -> Option<bool> {
    static COMPILED: OnceLock<Option<conformance::Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| schema_value().map(conformance::Compiled::new))
        .as_ref()?
        .conforms(request)
}

/// The validator's answer to the question [`conforms`] answers (for the tests that keep the
/// two in agreement).
pub fn validator_conforms(value: &Value) -> Option<bool> {
    Some(validator()?.is_valid(value))
}

/// The request schema, parsed.
fn schema_value() -> Option<&'static Value> {
    static SCHEMA: OnceLock<Option<Value>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| serde_json::from_str(REQUEST_SCHEMA).ok())
        .as_ref()
}

/// The schema node itself, or the one its `$ref` names (draft-07 wraps a `$ref` that has a
/// description beside it in `allOf`).
fn resolve(node: &'static Value) -> Option<&'static Value> {
    resolve_in(schema_value()?, node)
}

/// The schema of the value at `pointer` (relative to a request).
fn schema_at(pointer: &str) -> Option<&'static Value> {
    let mut node = schema_value()?;
    for token in pointer_tokens(pointer) {
        node = resolve(node.get("properties")?.get(token.as_ref())?)?;
    }
    Some(node)
}

/// The keys the schema declares for the object at `pointer` (relative to a request), in
/// order of their names. Empty where the object is free-form.
pub(crate) fn known_keys(pointer: &str) -> Vec<String> {
    schema_at(pointer)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The key `name` as the schema declares it for the object at `pointer` (relative to a
/// request), borrowed from the schema.
pub(crate) fn known_key(pointer: &str, name: &str) -> Option<&'static str> {
    schema_at(pointer)?
        .get("properties")?
        .as_object()?
        .keys()
        .find(|k| *k == name)
        .map(String::as_str)
}

/// The pointers (relative to a request) whose schema type is `integer`, in order.
pub(crate) fn integer_pointers() -> &'static [String] {
    static POINTERS: OnceLock<Vec<String>> = OnceLock::new();
    POINTERS.get_or_init(|| {
        // One pass over the schema's declared properties, four levels deep at most.
        fn collect(node: &'static Value, pointer: String, depth: usize, found: &mut Vec<String>) {
            let Some(node) = resolve(node) else {
                return;
            };
            if node.get("type").and_then(Value::as_str) == Some("integer") {
                found.push(pointer.clone());
            }
            let properties = node.get("properties").and_then(Value::as_object);
            if depth < 4 {
                for (key, sub) in properties.into_iter().flatten() {
                    collect(sub, child_pointer(&pointer, key), depth + 1, found);
                }
            }
        }
        let mut found = Vec::new();
        if let Some(root) = schema_value() {
            collect(root, String::new(), 0, &mut found);
        }
        found.sort();
        found
    })
}

/// The documentation of the value at `pointer` in a document of `kind`, for editors' hovers:
/// what its kind's committed schema says of the member (array indices step into `items`), as
/// Markdown (`markdownDescription`) or as plain text (`description`). `None` where the schema
/// says nothing of it (inside a free-form `input`, unknown keys).
pub fn describe(kind: Kind, pointer: &str, markdown: bool) -> Option<String> {
    let keyword = if markdown {
        "markdownDescription"
    } else {
        "description"
    };
    // The schemas parsed once (the request schema for a batch's requests).
    let root = match kind_schema(kind) {
        Some(schema) => schema.value()?,
        None => schema_value()?,
    };
    let mut tokens: Vec<_> = pointer_tokens(pointer).collect();
    if kind == Kind::Batch {
        // A batch is an array of requests: below its index, a request's schema.
        if tokens.is_empty() {
            return None;
        }
        tokens.remove(0);
    }
    if tokens.is_empty() {
        return None;
    }
    let mut node = resolve_in(root, root)?;
    let mut described = None;
    for token in &tokens {
        let next = match node.get("properties").and_then(|p| p.get(token.as_ref())) {
            Some(member) => member,
            None if token.parse::<usize>().is_ok() => node.get("items")?,
            None => node.get("additionalProperties").filter(|v| v.is_object())?,
        };
        // The member's own description (beside its `$ref`) says more than its type's.
        described = next
            .get(keyword)
            .or_else(|| resolve_in(root, next)?.get(keyword))
            .and_then(Value::as_str);
        node = resolve_in(root, next)?;
    }
    described.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_describes_its_keys() {
        let ttl = |kind, pointer| describe(kind, pointer, true).unwrap_or_default();
        assert!(ttl(Kind::Request, "/policy/ttl").contains("milliseconds"));
        assert!(ttl(Kind::Batch, "/3/policy/ttl").contains("milliseconds"));
        assert!(describe(Kind::Batch, "/3", true).is_none());
        assert!(describe(Kind::Request, "/input/prompt", true).is_none());
    }

    #[test]
    fn every_table_gives_every_verdict_to_a_registered_rule() {
        let tables = std::iter::once(TABLE).chain(
            Kind::ALL
                .iter()
                .filter_map(|k| kind_schema(*k))
                .map(|s| s.table),
        );
        for table in tables {
            assert_eq!(table.last().map(|row| (row.0, row.1)), Some(("*", "**")));
            for (_, _, rule) in table {
                assert!(
                    crate::rules::get(rule).is_some(),
                    "{rule} is not registered"
                );
            }
        }
    }

    #[test]
    fn patterns_match_whole_pointers() {
        assert!(matches_pattern("", ""));
        assert!(!matches_pattern("", "/input"));
        assert!(matches_pattern("/s3Config/*", "/s3Config/accessId"));
        assert!(!matches_pattern("/s3Config/*", "/s3Config"));
        assert!(matches_pattern("**", "/a/b"));
    }

    #[test]
    fn the_schema_is_read_for_keys_and_integers() {
        assert_eq!(
            known_keys("/policy"),
            ["executionTimeout", "lowPriority", "ttl"]
        );
        assert_eq!(
            known_keys(""),
            [
                "$schema",
                "input",
                "policy",
                "s3Config",
                "webhook",
                "webhookV2"
            ]
        );
        assert!(known_keys("/input").is_empty());
        assert_eq!(
            integer_pointers(),
            ["/policy/executionTimeout", "/policy/ttl"]
        );
    }

    #[test]
    fn verdicts_go_to_their_rules() {
        let request = serde_json::json!({
            "inptu": {}, "policy": {"ttl": 5, "executionTimeout": "600000"},
            "s3Config": {"accessId": ""}
        });
        let mut rules: Vec<_> = check(&request).into_iter().map(|(r, _)| r).collect();
        rules.sort_unstable();
        rules.dedup();
        assert_eq!(
            rules,
            [
                "invalid-type",
                "missing-input",
                "s3-config-incomplete",
                "ttl-range",
                "unknown-key"
            ]
        );
    }
}
