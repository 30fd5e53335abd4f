//! A typed request: built with [`Request::builder`], checked by the same rules, serialized to
//! exactly the body the service expects.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::diagnostic::Report;
use crate::finding::Finding;
use crate::linter::Linter;
use crate::rules;

/// A job request as sent to an endpoint's `/run` or `/runsync` route, known to pass every rule
/// that reports errors.
///
/// Build one with [`Request::builder`], or parse one with [`str::parse`] or
/// [`Request::try_from`] a [`serde_json::Value`]; both refuse what the linter calls an error,
/// with the [`Report`] as the error. Serialize it (with `serde_json::to_string`) to get the body
/// to POST: times in milliseconds, keys spelled as the service reads them.
///
/// ```
/// use std::time::Duration;
///
/// let body = r#"{"input":{"prompt":"a cat"},"policy":{"executionTimeout":600000,"ttl":3600000}}"#;
/// let request: rplint::Request = body.parse()?;
/// assert_eq!(request.execution_timeout(), Some(Duration::from_secs(600)));
/// assert_eq!(request.ttl(), Some(Duration::from_secs(3600)));
/// assert_eq!(serde_json::to_string(&request)?, body);
///
/// let error = r#"{"input": {}, "policy": {"executionTimeout": 600}}"#.parse::<rplint::Request>();
/// assert_eq!(error.unwrap_err().diagnostics()[0].rule(), "execution-timeout-range");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    input: Value,
    webhook: Option<String>,
    policy: Option<Policy>,
    s3_config: Option<S3Config>,
    /// Top-level keys that have no field here (`webhookV2`, or a key the linter only warns
    /// about), kept as written so that a parsed request sends what it was given.
    other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Policy {
    execution_timeout: Option<Duration>,
    low_priority: Option<bool>,
    ttl: Option<Duration>,
}

impl Request {
    /// A builder; only the input is required.
    pub fn builder() -> RequestBuilder {
        RequestBuilder::default()
    }

    /// The worker's input (`job["input"]` in the handler).
    pub fn input(&self) -> &Value {
        &self.input
    }

    /// The URL that receives the finished job.
    pub fn webhook(&self) -> Option<&str> {
        self.webhook.as_deref()
    }

    /// `policy.executionTimeout`: the longest the job may run.
    pub fn execution_timeout(&self) -> Option<Duration> {
        self.policy.as_ref()?.execution_timeout
    }

    /// `policy.ttl`: the job's whole lifetime, queue included.
    pub fn ttl(&self) -> Option<Duration> {
        self.policy.as_ref()?.ttl
    }

    /// `policy.lowPriority`: whether the job leaves the endpoint's scaling alone.
    pub fn low_priority(&self) -> Option<bool> {
        self.policy.as_ref()?.low_priority
    }

    /// The storage credentials passed to the worker.
    pub fn s3_config(&self) -> Option<&S3Config> {
        self.s3_config.as_ref()
    }

    /// Parse and check a request in memory (diagnostics have pointers, no ranges).
    fn from_value(value: Value) -> Result<Self, Report> {
        let report = Linter::default().check_value(&value);
        if report.has_errors() {
            return Err(report);
        }
        Self::from_checked(value)
    }

    /// The request in a value the linter found no error in.
    fn from_checked(value: Value) -> Result<Self, Report> {
        // Unreachable while the rules cover the types; still an answer, never a panic.
        let wire = Wire::deserialize(value).map_err(unreadable)?;
        Ok(Self {
            input: wire.input,
            webhook: wire.webhook,
            policy: wire.policy.map(|p| Policy {
                execution_timeout: p.execution_timeout.map(Duration::from_millis),
                low_priority: p.low_priority,
                ttl: p.ttl.map(Duration::from_millis),
            }),
            s3_config: wire.s3_config,
            other: wire.other,
        })
    }

    /// The request as the JSON value sent on the wire.
    fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("input".into(), self.input.clone());
        if let Some(webhook) = &self.webhook {
            map.insert("webhook".into(), webhook.clone().into());
        }
        if let Some(policy) = &self.policy {
            let mut p = Map::new();
            if let Some(timeout) = policy.execution_timeout {
                p.insert("executionTimeout".into(), millis(timeout));
            }
            if let Some(low) = policy.low_priority {
                p.insert("lowPriority".into(), low.into());
            }
            if let Some(ttl) = policy.ttl {
                p.insert("ttl".into(), millis(ttl));
            }
            map.insert("policy".into(), p.into());
        }
        if let Some(s3) = &self.s3_config {
            map.insert("s3Config".into(), s3.to_value());
        }
        for (key, value) in &self.other {
            map.insert(key.clone(), value.clone());
        }
        map.into()
    }
}

/// The report for a request the linter passed but the request types cannot read.
fn unreadable(error: serde_json::Error) -> Report {
    Report::without_text(
        "request",
        vec![Finding::new(&rules::INVALID_TYPE, "", error.to_string())],
    )
}

/// A duration in whole milliseconds; a fraction of a millisecond stays a fraction, which the
/// `invalid-type` rule refuses rather than rounding it away.
fn millis(duration: Duration) -> Value {
    let whole = duration.as_millis();
    if duration.subsec_nanos() % 1_000_000 == 0
        && let Ok(whole) = u64::try_from(whole)
    {
        return whole.into();
    }
    serde_json::Number::from_f64(duration.as_secs_f64() * 1000.0).map_or(Value::Null, Value::Number)
}

impl Serialize for Request {
    /// The wire format, in the order the service's docs write a request: `input`, `webhook`,
    /// `policy`, `s3Config`, then any other key by name.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        const FIRST: [&str; 4] = ["input", "webhook", "policy", "s3Config"];
        let value = self.to_value();
        let Value::Object(members) = &value else {
            return value.serialize(serializer);
        };
        let mut map = serializer.serialize_map(Some(members.len()))?;
        for key in FIRST {
            if let Some(member) = members.get(key) {
                map.serialize_entry(key, member)?;
            }
        }
        for (key, member) in members {
            if !FIRST.contains(&key.as_str()) {
                map.serialize_entry(key, member)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Request {
    /// Deserialize and check; a request with errors fails with the report's summary and its
    /// first diagnostic. (Use [`Request::try_from`] to get the whole report.)
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(|report| {
            let first = report.diagnostics().first().map_or_else(String::new, |d| {
                format!(": {} at `{}` [{}]", d.message(), d.pointer(), d.rule())
            });
            serde::de::Error::custom(format!("{report}{first}"))
        })
    }
}

impl FromStr for Request {
    type Err = Report;

    /// Parse and check a request body; the report's diagnostics have ranges in `text`.
    fn from_str(text: &str) -> Result<Self, Report> {
        let report = Linter::default().check("request", text);
        if report.has_errors() {
            return Err(report);
        }
        match serde_json::from_str(text) {
            Ok(value) => Self::from_checked(value),
            // Unreachable: the linter reports every syntax error as an error.
            Err(e) => Err(unreadable(e)),
        }
    }
}

impl TryFrom<Value> for Request {
    type Error = Report;

    /// Check a request value; the report's diagnostics have pointers but no ranges.
    fn try_from(value: Value) -> Result<Self, Report> {
        Self::from_value(value)
    }
}

impl From<Request> for Value {
    fn from(request: Request) -> Self {
        request.to_value()
    }
}

/// Builds a [`Request`]; [`RequestBuilder::build`] checks it.
///
/// ```
/// use std::time::Duration;
/// use rplint::{Request, S3Config};
///
/// let report = Request::builder()
///     .input(serde_json::json!({"prompt": "a cat"}))
///     .execution_timeout(Duration::from_secs(3))
///     .s3_config(S3Config::new("AKIA...", "", "results", "https://s3.example.com"))
///     .build()
///     .unwrap_err();
/// let rules: Vec<_> = report.diagnostics().iter().map(|d| d.rule()).collect();
/// assert_eq!(rules, ["execution-timeout-range", "s3-config-incomplete"]);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct RequestBuilder {
    input: Option<Result<Value, String>>,
    webhook: Option<String>,
    policy: Option<Policy>,
    s3_config: Option<S3Config>,
}

impl RequestBuilder {
    /// The worker's input: anything that serializes to a JSON object (the handler reads it as
    /// `job["input"]`). Required.
    pub fn input(mut self, input: impl Serialize) -> Self {
        self.input = Some(serde_json::to_value(input).map_err(|e| e.to_string()));
        self
    }

    /// An absolute `https` URL that receives the finished job.
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhook = Some(url.into());
        self
    }

    /// The longest the job may run: from 5 seconds to 7 days (sent in milliseconds).
    pub fn execution_timeout(mut self, timeout: Duration) -> Self {
        self.policy.get_or_insert_default().execution_timeout = Some(timeout);
        self
    }

    /// The job's whole lifetime, queue included: from 10 seconds to 7 days (sent in
    /// milliseconds).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.policy.get_or_insert_default().ttl = Some(ttl);
        self
    }

    /// When true, the job does not make the endpoint scale up.
    pub fn low_priority(mut self, low_priority: bool) -> Self {
        self.policy.get_or_insert_default().low_priority = Some(low_priority);
        self
    }

    /// Storage credentials passed to the worker.
    pub fn s3_config(mut self, s3_config: S3Config) -> Self {
        self.s3_config = Some(s3_config);
        self
    }

    /// Check the request with every rule (for the `/run` route, the stricter size limit) and
    /// return it, or the report when any diagnostic is an error. Warnings do not refuse a
    /// request; the built request does not keep them.
    pub fn build(self) -> Result<Request, Report> {
        let missing_input = self.input.is_none();
        let input = match self.input {
            Some(Ok(input)) => input,
            Some(Err(error)) => {
                let finding = Finding::new(
                    &rules::INVALID_TYPE,
                    "/input",
                    format!("the input cannot be written as JSON: {error}"),
                )
                .help("make the input serialize to a JSON object (map keys must be strings)");
                return Err(Report::without_text("request", vec![finding]));
            }
            None => Value::Null,
        };
        let request = Request {
            input,
            webhook: self.webhook,
            policy: self.policy,
            s3_config: self.s3_config,
            other: Map::new(),
        };
        let mut value = request.to_value();
        if missing_input && let Value::Object(map) = &mut value {
            // Checked as written: without `input`, which `missing-input` reports.
            map.remove("input");
        }
        let mut report = Linter::default().check_value(&value);
        if report.has_errors() {
            // Help about numbers (such as "looks like seconds") does not fit a Duration: a
            // finding about a time gets the Duration's range instead.
            report.edit_findings(|finding| {
                let (field, min) = match finding.pointer.as_str() {
                    "/policy/executionTimeout" => ("execution_timeout", "5 seconds"),
                    "/policy/ttl" => ("ttl", "10 seconds"),
                    _ => return,
                };
                finding.help = Some(format!(
                    "give `{field}` a Duration in whole milliseconds, from {min} to 7 days"
                ));
            });
            return Err(report);
        }
        Ok(request)
    }
}

/// Credentials for S3-compatible storage, passed to the worker with the request.
///
/// Its `Debug` output does not show the secret.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S3Config {
    access_id: String,
    access_secret: String,
    bucket_name: String,
    endpoint_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object_path: Option<String>,
}

impl S3Config {
    /// The four fields every `s3Config` needs: access key id, secret access key, bucket name
    /// and the storage service's URL.
    pub fn new(
        access_id: impl Into<String>,
        access_secret: impl Into<String>,
        bucket_name: impl Into<String>,
        endpoint_url: impl Into<String>,
    ) -> Self {
        Self {
            access_id: access_id.into(),
            access_secret: access_secret.into(),
            bucket_name: bucket_name.into(),
            endpoint_url: endpoint_url.into(),
            object_path: None,
        }
    }

    /// A key prefix for the objects the worker uploads (`objectPath`, read by RunPod's SDKs).
    #[must_use]
    pub fn with_object_path(mut self, path: impl Into<String>) -> Self {
        self.object_path = Some(path.into());
        self
    }

    /// The access key id.
    pub fn access_id(&self) -> &str {
        &self.access_id
    }

    /// The secret access key.
    pub fn access_secret(&self) -> &str {
        &self.access_secret
    }

    /// The bucket name.
    pub fn bucket_name(&self) -> &str {
        &self.bucket_name
    }

    /// The storage service's URL.
    pub fn endpoint_url(&self) -> &str {
        &self.endpoint_url
    }

    /// The key prefix for uploaded objects.
    pub fn object_path(&self) -> Option<&str> {
        self.object_path.as_deref()
    }

    fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("accessId".into(), self.access_id.clone().into());
        map.insert("accessSecret".into(), self.access_secret.clone().into());
        map.insert("bucketName".into(), self.bucket_name.clone().into());
        map.insert("endpointUrl".into(), self.endpoint_url.clone().into());
        if let Some(path) = &self.object_path {
            map.insert("objectPath".into(), path.clone().into());
        }
        map.into()
    }
}

impl Serialize for S3Config {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("access_id", &self.access_id)
            .field("access_secret", &"<redacted>")
            .field("bucket_name", &self.bucket_name)
            .field("endpoint_url", &self.endpoint_url)
            .field("object_path", &self.object_path)
            .finish()
    }
}

/// The wire format, for reading.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    input: Value,
    #[serde(default)]
    webhook: Option<String>,
    #[serde(default)]
    policy: Option<WirePolicy>,
    #[serde(default)]
    s3_config: Option<S3Config>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WirePolicy {
    #[serde(default)]
    execution_timeout: Option<u64>,
    #[serde(default)]
    low_priority: Option<bool>,
    #[serde(default)]
    ttl: Option<u64>,
}
