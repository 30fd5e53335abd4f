//! The kinds of document besides a request, one module each: the model types (the source of
//! truth for the kind's committed schema, `schema/<kind>.schema.json`) and the table that
//! assigns the schema's verdicts to rules. Their rules, like every rule, are in the registry
//! and declare the kinds they look at.

pub mod batch_requests;
pub mod gpus;
pub mod hub_config;
pub mod hub_tests;
pub mod legacy_tests;

use serde_json::Value;

use crate::kind::Kind;

/// Where the committed schemas are published: a schema's `$id` is this followed by its path
/// in the repository (`schema/request.schema.json`), which editors and schema catalogs fetch.
pub const SCHEMA_HOME: &str = "https://raw.githubusercontent.com/rplint/rplint/main/";

/// The schema `T` generates (draft-07), made for editors (see [`for_editors`]) and
/// pretty-printed with a final newline.
pub(crate) fn generate<T: schemars::JsonSchema>(path: &str) -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    for_editors(schema.to_value(), path, &[])
}

/// A generated schema as it is committed: `$id` (its address under [`SCHEMA_HOME`]) after
/// `$schema`, the `extra` keywords after the rest of the root's, and beside every
/// `description` (the doc comment, whose lines are wrapped at 100 columns) a
/// `markdownDescription` with the same Markdown, which VS Code renders on hover, while the
/// `description` itself becomes one paragraph per paragraph, for editors that show it as
/// plain text. Pretty-printed with a final newline.
pub(crate) fn for_editors(schema: Value, path: &str, extra: &[(&str, Value)]) -> String {
    let mut schema = schema;
    add_markdown(&mut schema);
    let mut root = serde_json::Map::new();
    if let Value::Object(mut members) = schema {
        if let Some(draft) = members.remove("$schema") {
            root.insert("$schema".to_owned(), draft);
        }
        root.insert(
            "$id".to_owned(),
            Value::String(format!("{SCHEMA_HOME}{path}")),
        );
        root.append(&mut members);
    }
    for (keyword, value) in extra {
        root.insert((*keyword).to_owned(), value.clone());
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

fn add_markdown(node: &mut Value) {
    match node {
        Value::Object(members) => {
            if let Some(Value::String(text)) = members.get("description") {
                let markdown = text.clone();
                let plain = markdown
                    .split("\n\n")
                    .map(|paragraph| paragraph.replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join("\n\n");
                members.insert("description".to_owned(), Value::String(plain));
                members.insert("markdownDescription".to_owned(), Value::String(markdown));
            }
            for (keyword, value) in members.iter_mut() {
                // Values, not schemas: left as they are.
                if !matches!(keyword.as_str(), "enum" | "const" | "default" | "examples") {
                    add_markdown(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_markdown),
        _ => {}
    }
}

/// The committed schema of each kind: its path in the repository and the text its types
/// generate. A batch's is an array of requests.
pub fn generate_schema(kind: Kind) -> (&'static str, String) {
    match kind {
        Kind::Request => (
            "schema/request.schema.json",
            crate::model::generate_schema(),
        ),
        Kind::Batch => {
            let path = "schema/batch.schema.json";
            let generator = schemars::generate::SchemaSettings::draft07().into_generator();
            let schema = generator.into_root_schema_for::<Vec<crate::model::Request>>();
            let extra = [
                ("title", Value::from("RunPod Serverless batch")),
                (
                    "description",
                    Value::from(
                        "The body of `POST /v2/{endpoint_id}/batch`: an array of at most 5,000 \
                         job requests (the batch jobs docs, beta).",
                    ),
                ),
                ("maxItems", Value::from(5000)),
            ];
            (path, for_editors(schema.to_value(), path, &extra))
        }
        Kind::BatchRequests => {
            let path = "schema/batch-requests.schema.json";
            (path, generate::<batch_requests::BatchRequests>(path))
        }
        Kind::HubConfig => {
            let path = "schema/hub.schema.json";
            (path, generate::<hub_config::HubConfig>(path))
        }
        Kind::HubTests => {
            let path = "schema/tests.schema.json";
            (path, generate::<hub_tests::HubTests>(path))
        }
        Kind::LegacyTests => {
            let path = "schema/legacy-tests.schema.json";
            (path, generate::<legacy_tests::LegacyTests>(path))
        }
    }
}

/// The committed schema of `kind` and its table, for the kinds that have one besides a
/// request (a batch is an array of requests).
pub(crate) fn schema(kind: Kind) -> Option<&'static crate::schema::KindSchema> {
    match kind {
        Kind::HubConfig => Some(&hub_config::SCHEMA),
        Kind::HubTests => Some(&hub_tests::SCHEMA),
        Kind::LegacyTests => Some(&legacy_tests::SCHEMA),
        Kind::BatchRequests => Some(&batch_requests::SCHEMA),
        Kind::Request | Kind::Batch => None,
    }
}

/// The requests a document of `kind` holds, each with its JSON Pointer: every rule that looks
/// at a request runs on each.
pub fn requests(kind: Kind, document: &Value) -> Vec<(String, &Value)> {
    let (prefix, list) = match kind {
        Kind::Batch => ("", document.as_array()),
        Kind::BatchRequests => (
            "/requests",
            document.get("requests").and_then(Value::as_array),
        ),
        Kind::Request | Kind::HubConfig | Kind::HubTests | Kind::LegacyTests => ("", None),
    };
    list.into_iter()
        .flatten()
        .enumerate()
        .map(|(i, request)| (format!("{prefix}/{i}"), request))
        .collect()
}
