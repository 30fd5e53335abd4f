//! The `runpod-test-runner` GitHub Action's `.github/tests.json` (RUNPOD-FILES.md §2, "Legacy"):
//! an array of tests, each posting `{"input": X}` to `/run` and passing on `COMPLETED`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::schema::KindSchema;

/// The test runner's tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "runpod-test-runner tests (.github/tests.json)")]
pub struct LegacyTests(pub Vec<LegacyTest>);

/// One test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LegacyTest {
    /// The job input, sent as `{"input": ...}` to `/run`.
    pub input: Map<String, Value>,
    /// The endpoint and template the test runs on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Map<String, Value>")]
    pub hardware_config: Option<Map<String, Value>>,
    /// The output the job must produce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_output: Option<Value>,
    /// The same as `expectedOutput`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
}

/// `schema/legacy-tests.schema.json` and the rules of its verdicts.
pub(crate) static SCHEMA: KindSchema = KindSchema::new(
    include_str!("../../schema/legacy-tests.schema.json"),
    &[
        ("type", "/*/input", "input-not-object"),
        ("type", "**", "invalid-type"),
        ("required", "**", "hub-missing-field"),
        ("additionalProperties", "**", "hub-unknown-key"),
        ("*", "**", "hub-invalid-value"),
    ],
);
