//! The Hub's build-time tests, `.runpod/tests.json` (RUNPOD-FILES.md §2). Each test's `input`
//! is a job input: what the Hub sends as a request's `input`, not a whole request.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::schema::KindSchema;

/// The tests the Hub runs on each release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "RunPod Hub tests (.runpod/tests.json)")]
pub struct HubTests {
    /// The tests; each becomes a job on a test endpoint.
    pub tests: Vec<HubTest>,
    /// The test endpoint's hardware and environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "TestConfig")]
    pub config: Option<TestConfig>,
}

/// One test: a job input and how long it may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HubTest {
    /// The test's name.
    pub name: String,
    /// The job input (the request's `input`, not a whole request).
    pub input: Map<String, Value>,
    /// The longest the test may run, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64")]
    pub timeout: Option<u64>,
}

/// The test endpoint's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestConfig {
    /// GPU tests: one GPU type id (such as `NVIDIA GeForce RTX 4090`), not a pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub gpu_type_id: Option<String>,
    /// GPU tests: GPUs per worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64")]
    pub gpu_count: Option<u64>,
    /// CPU tests: the CPU flavor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub cpu_flavor: Option<String>,
    /// The test endpoint's environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<TestEnv>")]
    pub env: Option<Vec<TestEnv>>,
    /// The CUDA versions the test may run on, as strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub allowed_cuda_versions: Option<Vec<String>>,
}

/// One environment variable of the test endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestEnv {
    /// The variable's name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// `schema/tests.schema.json` and the rules of its verdicts.
pub(crate) static SCHEMA: KindSchema = KindSchema::new(
    include_str!("../../schema/tests.schema.json"),
    &[
        ("type", "", "hub-file-not-object"),
        ("type", "/tests/*/input", "input-not-object"),
        ("type", "**", "invalid-type"),
        ("required", "**", "hub-missing-field"),
        ("additionalProperties", "**", "hub-unknown-key"),
        ("*", "**", "hub-invalid-value"),
    ],
);
