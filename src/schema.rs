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

/// `schema/request.schema.json`, as committed.
pub const REQUEST_SCHEMA: &str = include_str!("../schema/request.schema.json");

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
];

/// The rule that owns `keyword` at `pointer`.
pub(crate) fn rule_for(keyword: &str, pointer: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(k, pattern, _)| *k == keyword && matches_pattern(pattern, pointer))
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
    let mut verdicts = Vec::new();
    for error in validator.iter_errors(request) {
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
            _ => Vec::new(),
        };
        let Some(rule) = rule_for(&keyword, &pointer) else {
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
    let reference = node.get("$ref").or_else(|| {
        node.get("allOf")?
            .as_array()
            .filter(|all| all.len() == 1)?
            .first()?
            .get("$ref")
    });
    match reference.and_then(Value::as_str) {
        Some(reference) => schema_value()?.pointer(reference.strip_prefix('#')?),
        None => Some(node),
    }
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
/// schema order. Empty where the object is free-form.
pub(crate) fn known_keys(pointer: &str) -> Vec<String> {
    schema_at(pointer)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(known_keys("")[0], "input");
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
