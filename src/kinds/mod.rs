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

/// The schema `T` generates (draft-07), pretty-printed with a final newline.
pub(crate) fn generate<T: schemars::JsonSchema>() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
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

/// The schema the types of `kind` generate, and the file it is committed as.
pub fn generate_schema(kind: Kind) -> (&'static str, String) {
    match kind {
        Kind::Request | Kind::Batch => (
            "schema/request.schema.json",
            crate::model::generate_schema(),
        ),
        Kind::BatchRequests => (
            "schema/batch-requests.schema.json",
            generate::<batch_requests::BatchRequests>(),
        ),
        Kind::HubConfig => (
            "schema/hub.schema.json",
            generate::<hub_config::HubConfig>(),
        ),
        Kind::HubTests => (
            "schema/tests.schema.json",
            generate::<hub_tests::HubTests>(),
        ),
        Kind::LegacyTests => (
            "schema/legacy-tests.schema.json",
            generate::<legacy_tests::LegacyTests>(),
        ),
    }
}
