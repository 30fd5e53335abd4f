//! The request schema compiled for one question: does a request certainly conform?
//!
//! Most requests do, and proving it from the schema's few keywords is far cheaper than
//! compiling and running the validator: it spares a one-file run the validator's compile time
//! and a many-file run the validator's work. The schema is compiled once into a flat table of
//! nodes (a `$ref` becomes an index, so a recursive schema compiles too); checking a request
//! then hashes nothing and allocates nothing.
//!
//! The validator stays the one source of verdicts: anything this check does not know (a
//! keyword, an argument of an unexpected form, nesting deeper than [`MAX_DEPTH`]) is `None`,
//! "ask the validator". `tests/properties.rs` checks that the two always agree.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Schema nodes visited deeper than this (through `$ref`, `allOf` and `properties`) are left
/// to the validator.
const MAX_DEPTH: usize = 16;

/// The compiled schema; the root is node 0.
#[derive(Debug)]
pub(crate) struct Compiled {
    nodes: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    /// `true` or `false` as a schema.
    Verdict(bool),
    /// Keywords this check decides, all of which must hold.
    Checks(Checks),
    /// A keyword or form that only the validator decides.
    Unknown,
}

#[derive(Debug, Default)]
struct Checks {
    /// `type`: the value must be one of these (any, when empty).
    kinds: Vec<Kind>,
    /// `properties`: (key, node, whether `required` names it).
    properties: Vec<(String, usize, bool)>,
    /// How many of `properties` are required.
    required_declared: usize,
    /// Required keys that `properties` does not declare.
    required_other: Vec<String>,
    /// `additionalProperties: false`.
    closed: bool,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_length: Option<u64>,
    /// `$ref` targets and `allOf` members: each must hold too.
    all_of: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Object,
    Array,
    String,
    Boolean,
    Null,
    Number,
    Integer,
}

impl Kind {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "object" => Self::Object,
            "array" => Self::Array,
            "string" => Self::String,
            "boolean" => Self::Boolean,
            "null" => Self::Null,
            "number" => Self::Number,
            "integer" => Self::Integer,
            _ => return None,
        })
    }

    fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (Self::Object, Value::Object(_))
            | (Self::Array, Value::Array(_))
            | (Self::String, Value::String(_))
            | (Self::Boolean, Value::Bool(_))
            | (Self::Null, Value::Null)
            | (Self::Number, Value::Number(_)) => true,
            // JSON Schema counts a number without a fractional part as an integer.
            (Self::Integer, Value::Number(n)) => {
                n.is_u64() || n.is_i64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        }
    }
}

impl Compiled {
    /// Compile `root`; what cannot be compiled becomes [`Node::Unknown`].
    pub(crate) fn new(root: &Value) -> Self {
        let mut compiler = Compiler {
            root,
            nodes: Vec::new(),
            refs: HashMap::new(),
        };
        compiler.node(root);
        Self {
            nodes: compiler.nodes,
        }
    }

    /// `Some(true)` when `value` certainly conforms, `Some(false)` when it certainly does not,
    /// `None` when only the validator can say.
    pub(crate) fn conforms(&self, value: &Value) -> Option<bool> {
        self.check(0, value, 0)
    }

    fn check(&self, node: usize, value: &Value, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let checks = match self.nodes.get(node)? {
            Node::Verdict(verdict) => return Some(*verdict),
            Node::Unknown => return None,
            Node::Checks(checks) => checks,
        };
        if !checks.kinds.is_empty() && !checks.kinds.iter().any(|kind| kind.admits(value)) {
            return Some(false);
        }
        let holds = match value {
            Value::Object(members) => self.check_members(checks, members, depth)?,
            Value::Number(n) => {
                let n = n.as_f64()?;
                checks.minimum.is_none_or(|limit| n >= limit)
                    && checks.maximum.is_none_or(|limit| n <= limit)
            }
            Value::String(text) => checks
                .min_length
                .is_none_or(|min| text.chars().count() as u64 >= min),
            _ => true,
        };
        if !holds {
            return Some(false);
        }
        for &sub in &checks.all_of {
            if !self.check(sub, value, depth + 1)? {
                return Some(false);
            }
        }
        Some(true)
    }

    /// `properties`, `required` and `additionalProperties`, in one pass over the members
    /// (keys are compared, never hashed: the schema's objects declare a handful of keys).
    fn check_members(
        &self,
        checks: &Checks,
        members: &Map<String, Value>,
        depth: usize,
    ) -> Option<bool> {
        let mut required_seen = 0;
        for (key, member) in members {
            match checks.properties.iter().find(|(name, ..)| name == key) {
                Some(&(_, sub, required)) => {
                    required_seen += usize::from(required);
                    if !self.check(sub, member, depth + 1)? {
                        return Some(false);
                    }
                }
                None if checks.closed => return Some(false),
                None => {}
            }
        }
        // Keys are unique within a map, so counting the required ones seen is enough.
        Some(
            required_seen == checks.required_declared
                && checks
                    .required_other
                    .iter()
                    .all(|key| members.contains_key(key)),
        )
    }
}

struct Compiler<'s> {
    root: &'s Value,
    nodes: Vec<Node>,
    /// `$ref` targets already compiled (or being compiled), by reference.
    refs: HashMap<&'s str, usize>,
}

impl<'s> Compiler<'s> {
    fn node(&mut self, schema: &'s Value) -> usize {
        let index = self.nodes.len();
        self.nodes.push(Node::Unknown);
        let node = match schema {
            Value::Bool(verdict) => Node::Verdict(*verdict),
            Value::Object(keywords) => self.checks(keywords).map_or(Node::Unknown, Node::Checks),
            _ => Node::Unknown,
        };
        self.nodes[index] = node;
        index
    }

    fn reference(&mut self, reference: &'s str) -> Option<usize> {
        if let Some(&index) = self.refs.get(reference) {
            return Some(index);
        }
        let target = self.root.pointer(reference.strip_prefix('#')?)?;
        // Registered before it is compiled, so a schema that refers to itself terminates.
        let index = self.nodes.len();
        self.refs.insert(reference, index);
        Some(self.node(target))
    }

    fn checks(&mut self, keywords: &'s Map<String, Value>) -> Option<Checks> {
        let mut checks = Checks::default();
        let mut required: Vec<&str> = Vec::new();
        for (keyword, argument) in keywords {
            match keyword.as_str() {
                // Annotations; formats are not asserted (`should_validate_formats(false)`).
                "$schema"
                | "$id"
                | "title"
                | "description"
                | "markdownDescription"
                | "format"
                | "definitions" => {}
                "$ref" => {
                    let index = self.reference(argument.as_str()?)?;
                    checks.all_of.push(index);
                }
                "allOf" => {
                    for sub in argument.as_array()? {
                        let index = self.node(sub);
                        checks.all_of.push(index);
                    }
                }
                "type" => match argument {
                    Value::String(name) => checks.kinds = vec![Kind::parse(name)?],
                    Value::Array(names) => {
                        for name in names {
                            checks.kinds.push(Kind::parse(name.as_str()?)?);
                        }
                        if checks.kinds.is_empty() {
                            return None;
                        }
                    }
                    _ => return None,
                },
                "properties" => {
                    for (key, sub) in argument.as_object()? {
                        let index = self.node(sub);
                        checks.properties.push((key.clone(), index, false));
                    }
                }
                "required" => {
                    for key in argument.as_array()? {
                        required.push(key.as_str()?);
                    }
                }
                "additionalProperties" => match argument {
                    Value::Bool(allowed) => checks.closed = !allowed,
                    _ => return None,
                },
                "minimum" => checks.minimum = Some(argument.as_f64()?),
                "maximum" => checks.maximum = Some(argument.as_f64()?),
                "minLength" => checks.min_length = Some(argument.as_u64()?),
                _ => return None,
            }
        }
        required.sort_unstable();
        required.dedup();
        for key in required {
            match checks.properties.iter_mut().find(|(name, ..)| name == key) {
                Some(property) => {
                    property.2 = true;
                    checks.required_declared += 1;
                }
                None => checks.required_other.push(key.to_owned()),
            }
        }
        Some(checks)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn conforms(schema: Value, value: Value) -> Option<bool> {
        Compiled::new(&schema).conforms(&value)
    }

    #[test]
    fn keywords_decide_and_unknown_ones_defer() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"type": "string", "minLength": 2}},
            "required": ["a", "c"],
            "additionalProperties": false
        });
        assert_eq!(
            conforms(schema.clone(), json!({"a": 1, "c": 0})),
            Some(false)
        );
        let open = json!({"required": ["a", "c"], "properties": {"a": {"minimum": 1}}});
        assert_eq!(conforms(open.clone(), json!({"a": 1, "c": 0})), Some(true));
        assert_eq!(conforms(open, json!({"a": 1})), Some(false));
        let closed = json!({"properties": {"a": {"type": "integer"}}, "required": ["a"], "additionalProperties": false});
        assert_eq!(conforms(closed.clone(), json!({"a": 2.0})), Some(true));
        assert_eq!(conforms(closed.clone(), json!({"a": 2.5})), Some(false));
        assert_eq!(conforms(closed.clone(), json!({})), Some(false));
        assert_eq!(conforms(closed, json!({"a": 1, "z": 1})), Some(false));
        assert_eq!(conforms(schema.clone(), json!({"a": 0})), Some(false));
        assert_eq!(conforms(json!({"minLength": 2}), json!("é")), Some(false));
        assert_eq!(conforms(json!({"minLength": 2}), json!(7)), Some(true));
        assert_eq!(conforms(json!({"pattern": "x"}), json!("x")), None);
        // A list of types: any of them.
        let types = json!({"type": ["string", "object"]});
        assert_eq!(conforms(types.clone(), json!("x")), Some(true));
        assert_eq!(conforms(types.clone(), json!({})), Some(true));
        assert_eq!(conforms(types, json!(null)), Some(false));
        assert_eq!(conforms(json!({"type": []}), json!("x")), None);
        assert_eq!(conforms(json!({"type": ["str"]}), json!("x")), None);
        assert_eq!(conforms(json!(false), json!(1)), Some(false));
    }

    #[test]
    fn references_resolve_even_when_recursive() {
        let schema = json!({
            "definitions": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}}},
            "allOf": [{"$ref": "#/definitions/Node"}]
        });
        assert_eq!(
            conforms(schema.clone(), json!({"next": {"next": {}}})),
            Some(true)
        );
        assert_eq!(
            conforms(schema.clone(), json!({"next": {"next": 1}})),
            Some(false)
        );
        // Deeper than the check goes: the validator decides.
        let mut deep = json!({});
        for _ in 0..20 {
            deep = json!({ "next": deep });
        }
        assert_eq!(conforms(schema, deep), None);
        assert_eq!(conforms(json!({"$ref": "#/nowhere"}), json!(1)), None);
    }
}
