//! A Hub listing, `.runpod/hub.json` (RUNPOD-FILES.md §1: the Hub's publishing guide, its
//! template, and the official worker repositories). The types are the documented fields; the
//! rules add what a schema cannot say (GPU pools, CUDA versions, env entries, presets).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::schema::KindSchema;

/// A RunPod Hub listing: what the Hub shows and how it deploys the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "RunPod Hub listing (.runpod/hub.json)")]
pub struct HubConfig {
    /// The listing's title.
    pub title: String,
    /// What the worker does, shown on the listing.
    pub description: String,
    /// The listing's type: `serverless` is the only documented value.
    #[serde(rename = "type")]
    pub kind: ListingType,
    /// The Hub category, in lower case.
    pub category: Category,
    /// URL of the listing's icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub icon_url: Option<String>,
    /// How the Hub deploys the worker.
    pub config: Settings,
}

/// The listing's type: `serverless` (a serverless endpoint) is the only documented value.
// No doc comment on the variant: with one, the schema would be a `oneOf` of `const`s, whose
// verdict names no value; without, it is an `enum`, and a wrong value gets a did-you-mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs, reason = "the type's doc says it")]
pub enum ListingType {
    Serverless,
}

/// The Hub's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs, reason = "the names say it")]
pub enum Category {
    Audio,
    Embedding,
    Language,
    Video,
    Image,
}

/// The deployment settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// `GPU` or `CPU`: which of `gpuIds`/`gpuCount` or `cpuFlavor` applies.
    pub runs_on: RunsOn,
    /// `LB` for a load-balancing listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "EndpointType")]
    pub endpoint_type: Option<EndpointType>,
    /// Container disk size in GB (an integer).
    pub container_disk_in_gb: u64,
    /// CPU listings only: the CPU flavor (`cpu3c`, `cpu5g`, ... with an optional
    /// `-<vCPU>-<GB>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub cpu_flavor: Option<String>,
    /// GPU listings only: GPUs per worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64")]
    pub gpu_count: Option<u64>,
    /// GPU listings only: ONE string of comma-separated GPU pool ids (`ADA_24,AMPERE_24`),
    /// with optional `-<GPU type id>` entries that exclude single GPUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub gpu_ids: Option<String>,
    /// The CUDA versions the worker may run on, as strings (`"12.8"`): an allow-list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub allowed_cuda_versions: Option<Vec<String>>,
    /// Environment variables: static values, or inputs the user fills in at deploy time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<EnvEntry>")]
    pub env: Option<Vec<EnvEntry>>,
    /// Named sets of env defaults the user picks from at deploy time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Preset>")]
    pub presets: Option<Vec<Preset>>,
}

/// Where the worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs, clippy::upper_case_acronyms, reason = "the names say it")]
pub enum RunsOn {
    GPU,
    CPU,
}

/// The endpoint type of a load-balancing listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs, clippy::upper_case_acronyms, reason = "the name says it")]
pub enum EndpointType {
    LB,
}

/// One environment variable: `key` with exactly one of `value` (static, never shown) or `input`
/// (filled in by the user).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvEntry {
    /// The variable's name.
    pub key: String,
    /// A static value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub value: Option<String>,
    /// A value the user fills in at deploy time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "EnvInput")]
    pub input: Option<EnvInput>,
}

/// A deploy-time input for an environment variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvInput {
    /// The field's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// The field's help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// The field's type.
    #[serde(rename = "type")]
    pub kind: InputType,
    /// The pre-filled value, of the field's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Whether the field is under the advanced settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub advanced: Option<bool>,
    /// String inputs: the choices of a dropdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<EnvOption>")]
    pub options: Option<Vec<EnvOption>>,
    /// Number inputs: the smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "f64")]
    pub min: Option<f64>,
    /// Number inputs: the largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "f64")]
    pub max: Option<f64>,
    /// Boolean inputs: the text written to the variable when on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub true_value: Option<String>,
    /// Boolean inputs: the text written to the variable when off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub false_value: Option<String>,
    /// Whether the user must fill it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub required: Option<bool>,
}

/// The type of a deploy-time input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs, reason = "the names say it")]
pub enum InputType {
    String,
    Number,
    Boolean,
    // A Hugging Face model picker (`org/model`). (No doc comment: one would make the schema a
    // `oneOf` instead of an `enum`.)
    Huggingface,
}

/// One choice of a dropdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvOption {
    /// What the user sees.
    pub label: String,
    /// What the variable is set to.
    pub value: String,
}

/// A named set of env defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// The preset's name in the dropdown.
    pub name: String,
    /// Values by env key (`env[].key`).
    pub defaults: Map<String, Value>,
}

/// `schema/hub.schema.json` and the rules of its verdicts.
pub(crate) static SCHEMA: KindSchema = KindSchema::new(
    include_str!("../../schema/hub.schema.json"),
    &[
        ("type", "", "hub-file-not-object"),
        ("type", "**", "invalid-type"),
        ("required", "**", "hub-missing-field"),
        ("additionalProperties", "**", "hub-unknown-key"),
        ("*", "**", "hub-invalid-value"),
    ],
);
