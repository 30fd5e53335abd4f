//! The typed request: the source of truth for `schema/request.schema.json`.
//!
//! Doc comments here become the schema's descriptions, which editors show on hover.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A RunPod Serverless job request: the JSON body POSTed to an endpoint's `/run` or `/runsync`
/// route. Top-level keys other than these are discarded by the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "RunPod Serverless job request")]
pub struct Request {
    /// The worker handler's parameters, passed to it unchanged as `job["input"]`. Required.
    /// An object of named parameters, as handlers read it (rplint warns about any other
    /// type, and reports `null` as an error: the service treats it as missing).
    #[schemars(schema_with = "input_schema")]
    pub input: Map<String, Value>,

    /// The JSON Schema this file is written against, for editors. The service ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub schema: Option<String>,

    /// Absolute http(s) URL that receives the finished job (the body of `/status/{job_id}`). It
    /// must answer 200; otherwise the service tries twice more, 10 seconds apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", url)]
    pub webhook: Option<String>,

    /// A second webhook that RunPod's Go and JS SDKs send; the service's documentation does
    /// not name it (rplint reports it as information). Prefer `webhook`.
    #[serde(default, rename = "webhookV2", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", url)]
    pub webhook_v2: Option<String>,

    /// Execution policy for this job only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Policy")]
    pub policy: Option<Policy>,

    /// Credentials for S3-compatible storage, passed to the worker (not used by the service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "S3Config")]
    pub s3_config: Option<S3Config>,
}

/// Execution policy. Every time is in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// Maximum run time of the job in milliseconds, from 5,000 (5 s) to 604,800,000 (7 days).
    /// Overrides the endpoint's setting for this job. Default 600,000 (10 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64", range(min = 5000, max = 604_800_000))]
    pub execution_timeout: Option<u64>,

    /// When true, the job does not make the endpoint scale up workers. Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub low_priority: Option<bool>,

    /// The job's whole lifetime in milliseconds (queue plus execution), from 10,000 (10 s) to
    /// 604,800,000 (7 days); when it runs out the job is deleted, even mid-run. Default
    /// 86,400,000 (24 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64", range(min = 10000, max = 604_800_000))]
    pub ttl: Option<u64>,
}

/// S3-compatible storage credentials. All four documented fields are required and non-empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S3Config {
    /// Access key id, or user name.
    #[schemars(length(min = 1))]
    pub access_id: String,

    /// Secret access key, or password. Keep it out of committed files.
    #[schemars(length(min = 1))]
    pub access_secret: String,

    /// Bucket name (S3 naming rules: 3 to 63 characters of `a-z0-9.-`).
    #[schemars(length(min = 1))]
    pub bucket_name: String,

    /// Absolute http(s) URL of the storage service.
    #[schemars(length(min = 1))]
    pub endpoint_url: String,

    /// Key prefix for uploaded objects. Not in the service's docs; read by RunPod's SDKs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub object_path: Option<String>,
}

/// `input`: any JSON value but `null` (rplint warns about every type but an object).
fn input_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["object", "array", "string", "number", "boolean"],
        "additionalProperties": true
    })
}

/// The request schema as the types generate it (draft-07), pretty-printed with a final newline.
/// `schema/request.schema.json` must equal this; `rplint schema` prints the committed copy.
pub fn generate_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Request>();
    crate::kinds::for_editors(schema.to_value(), "schema/request.schema.json", &[])
}
