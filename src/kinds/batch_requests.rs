//! `POST /v2/{endpoint_id}/batch/{batch_id}/requests`: `{"requests": [request, ...]}` adds
//! requests to a draft batch (RUNPOD-FILES.md §5; the batch-jobs docs page, beta). Each element
//! is checked as a request by the request rules, at `/requests/N`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::schema::KindSchema;

/// The body that adds requests to a draft batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "RunPod batch: add requests")]
pub struct BatchRequests {
    /// The requests to add, each a `/run` request body (`{"input": {...}}`); at most 5,000 per
    /// batch.
    pub requests: Vec<Value>,
}

/// `schema/batch-requests.schema.json` and the rules of its verdicts.
pub(crate) static SCHEMA: KindSchema = KindSchema::new(
    include_str!("../../schema/batch-requests.schema.json"),
    &[
        ("type", "", "request-not-object"),
        ("required", "", "request-not-object"),
        ("additionalProperties", "", "batch-unknown-key"),
        ("type", "/requests", "request-not-object"),
        ("*", "**", "invalid-type"),
    ],
);
