//! The kinds of RunPod document rplint checks, and how a file's kind is decided.
//!
//! A file's kind comes from, in order: what the user says (`--kind`, a configuration override,
//! the configuration's kind), its path (`.runpod/hub.json`, `test_input.json`, ...), the
//! route the user names (`--route`), then its content where that is unambiguous. A directory
//! walk checks RunPod documents only: a JSON file that is none of the kinds and does not look
//! like a request is skipped, with the reason. Sources of the path and shape facts:
//! `RUNPOD-FILES.md` §1 to §5 (the Hub's publishing guide, the local runner, the batch routes).

use std::path::Path;

use serde_json::Value;

use crate::config::Route;

/// A kind of RunPod document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// A job request: the body of `POST /v2/{endpoint_id}/run` or `/runsync`, and the local
    /// runner's `test_input.json`.
    Request,
    /// The body of `POST /v2/{endpoint_id}/batch`: an array of requests.
    Batch,
    /// The body of `POST /v2/{endpoint_id}/batch/{batch_id}/requests`:
    /// `{"requests": [request, ...]}`.
    BatchRequests,
    /// A Hub listing, `.runpod/hub.json`.
    HubConfig,
    /// The Hub's build-time tests, `.runpod/tests.json`.
    HubTests,
    /// The tests of the `runpod-test-runner` GitHub Action, `.github/tests.json`: an array of
    /// `{"input": ..., "hardwareConfig": ...}`.
    LegacyTests,
}

impl Kind {
    /// Every kind, in the order `--kind` lists them.
    pub const ALL: &'static [Kind] = &[
        Kind::Request,
        Kind::Batch,
        Kind::BatchRequests,
        Kind::HubConfig,
        Kind::HubTests,
        Kind::LegacyTests,
    ];

    /// The kind's name, as `--kind` and every report write it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Batch => "batch",
            Kind::BatchRequests => "batch-requests",
            Kind::HubConfig => "hub-config",
            Kind::HubTests => "hub-tests",
            Kind::LegacyTests => "legacy-tests",
        }
    }

    /// One line saying what a document of this kind is, for `--help`.
    pub fn summary(self) -> &'static str {
        match self {
            Kind::Request => "a job request (`/run`, `/runsync`, `test_input.json`)",
            Kind::Batch => "the body of `POST .../batch`: an array of requests",
            Kind::BatchRequests => {
                "the body of `POST .../batch/{id}/requests`: `{\"requests\": [...]}`"
            }
            Kind::HubConfig => "a Hub listing, `.runpod/hub.json`",
            Kind::HubTests => "the Hub's tests, `.runpod/tests.json`",
            Kind::LegacyTests => "the test runner's `.github/tests.json`",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The route a body of this kind is sent to, for the request kinds.
    pub fn route(self) -> Option<Route> {
        match self {
            Kind::Request => Some(Route::Run),
            Kind::Batch => Some(Route::Batch),
            Kind::BatchRequests => Some(Route::BatchRequests),
            Kind::HubConfig | Kind::HubTests | Kind::LegacyTests => None,
        }
    }

    /// The request kind of a route.
    pub fn of_route(route: Route) -> Kind {
        match route {
            Route::Run | Route::Runsync => Kind::Request,
            Route::Batch => Kind::Batch,
            Route::BatchRequests => Kind::BatchRequests,
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The kind a path names, if it names one: `hub.json` and `tests.json` in `.runpod/` (or,
/// with a Hub file's content, anywhere), `.github/tests.json`, `test_input.json`.
///
/// `value` is the parsed content where there is one: `hub.json` and `tests.json` outside
/// `.runpod/` are Hub files only when their content has a Hub file's shape (the Hub reads them
/// at the repository root too, but a `tests.json` elsewhere is often something else).
pub fn by_path(path: &Path, value: Option<&Value>) -> Option<Kind> {
    let file = path.file_name()?.to_str()?;
    let mut parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|p| p.to_str())
        .map(str::to_owned);
    if parent.is_none() {
        // `hub.json` named from inside `.runpod/`: its directory is the working directory.
        parent = std::path::absolute(path)
            .ok()
            .and_then(|p| Some(p.parent()?.file_name()?.to_str()?.to_owned()));
    }
    let parent = parent.as_deref();
    match (parent, file) {
        (Some(".runpod"), "hub.json") => Some(Kind::HubConfig),
        (Some(".runpod"), "tests.json") => Some(Kind::HubTests),
        (Some(".github"), "tests.json") => Some(Kind::LegacyTests),
        (_, "test_input.json") => Some(Kind::Request),
        (_, "hub.json") if value.is_some_and(looks_like_hub_config) => Some(Kind::HubConfig),
        (_, "tests.json") if value.is_some_and(looks_like_hub_tests) => Some(Kind::HubTests),
        _ => None,
    }
}

/// A Hub listing's shape: an object with `config`, `category` or `"type": "serverless"`, and
/// no `input`.
fn looks_like_hub_config(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        !o.contains_key("input")
            && (o.contains_key("config")
                || o.contains_key("category")
                || o.get("type").and_then(Value::as_str) == Some("serverless"))
    })
}

/// A Hub tests file's shape: an object with `tests`, or an array of `{"name", "input"}` (the
/// unwrapped form, which the `hub-tests-not-object` rule reports).
fn looks_like_hub_tests(value: &Value) -> bool {
    match value {
        Value::Object(o) => o.contains_key("tests") && !o.contains_key("input"),
        Value::Array(items) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.get("name").is_some() && i.get("input").is_some())
        }
        _ => false,
    }
}

/// `{"tests": [{"name": ..., "input": ...}, ...]}`: the Hub's tests, wherever the file is.
fn is_hub_tests_object(value: &Value) -> bool {
    match value.get("tests") {
        Some(Value::Array(tests)) => {
            !tests.is_empty()
                && tests
                    .iter()
                    .all(|t| t.get("name").is_some() && t.get("input").is_some())
        }
        _ => false,
    }
}

/// The keys of a request body, and the spellings users write for them.
const REQUEST_KEYS: &[&str] = &[
    "input",
    "webhook",
    "webhookV2",
    "policy",
    "s3Config",
    "executionTimeout",
    "lowPriority",
];

/// Handler parameters that people write at a request's top level, without `input`.
const HANDLER_KEYS: &[&str] = &[
    "prompt",
    "negative_prompt",
    "messages",
    "workflow",
    "image_url",
    "audio_url",
    "image_base64",
    "audio_base64",
];

/// Whether an object key names a request key, however it is cased or separated (`Input`,
/// `s3_config`, `webHook`, `execution_timeout`).
fn is_request_key(key: &str) -> bool {
    let folded = fold(key);
    REQUEST_KEYS.iter().any(|k| k.eq_ignore_ascii_case(&folded)) || HANDLER_KEYS.contains(&key)
}

/// The kind a parsed document's content shows, where it is unambiguous; `None` when the
/// content is not a RunPod document.
pub fn by_content(value: &Value) -> Option<Kind> {
    match value {
        Value::Object(o) if o.contains_key("input") => Some(Kind::Request),
        Value::Object(o) if o.get("requests").is_some_and(holds_requests) => {
            Some(Kind::BatchRequests)
        }
        Value::Object(_) if is_hub_tests_object(value) => Some(Kind::HubTests),
        // An OpenAI-style chat body (`model` with `messages`) goes to another route.
        Value::Object(o) if o.contains_key("model") && o.contains_key("messages") => None,
        Value::Object(o) if o.keys().any(|k| is_request_key(k)) => Some(Kind::Request),
        // An array of requests: checked as a request, which says to use the batch route.
        Value::Array(items) if items.iter().any(element_is_request) => Some(Kind::Request),
        _ => None,
    }
}

/// `requests` of a batch body: an array that is empty or holds a request (not another API's
/// `requests`, such as a spreadsheet's batch update).
fn holds_requests(requests: &Value) -> bool {
    requests
        .as_array()
        .is_some_and(|items| items.is_empty() || items.iter().any(element_is_request))
}

/// An array element that is a request: an object whose `input` (in any casing) is an object,
/// or whose keys are all request keys. A dataset row such as
/// `{"instruction": ..., "input": "2+2", "output": ...}` is not.
fn element_is_request(element: &Value) -> bool {
    element.as_object().is_some_and(|o| {
        o.iter().any(|(k, v)| v.is_object() && fold(k) == "input")
            || (!o.is_empty()
                && o.keys()
                    .all(|k| is_request_key(k) && !HANDLER_KEYS.contains(&k.as_str())))
    })
}

/// A key as [`is_request_key`] compares it: lower case, without `_` and `-`.
fn fold(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A JSON object in a file whose name says it is a request (`request.json`, `job.json`): a
/// request with its mistakes (`{"text": "hello"}` has lost its `input` wrapper).
pub fn by_name(path: &Path, value: &Value) -> Option<Kind> {
    let stem = path.file_stem()?.to_str()?;
    (value.is_object() && names_a_request(stem)).then_some(Kind::Request)
}

/// The kind of a file that does not parse, from its name and what its text names: a Hub file
/// by name (`hub.json` naming `title`, `config` or `category`; `tests.json` naming `tests`),
/// else a request when [`broken_looks_like_request`] says so.
pub fn broken_kind(path: Option<&Path>, text: &str) -> Option<Kind> {
    if text.contains('\0') {
        // UTF-16 (PowerShell's default encoding) read as UTF-8: every other byte is NUL.
        let narrowed: String = text.chars().filter(|c| *c != '\0').collect();
        return broken_kind_of(path, &narrowed);
    }
    broken_kind_of(path, text)
}

fn broken_kind_of(path: Option<&Path>, text: &str) -> Option<Kind> {
    let file = path.and_then(Path::file_name).and_then(|f| f.to_str());
    match file {
        Some("hub.json")
            if ["title", "config", "category"]
                .iter()
                .any(|k| contains_quoted(text, k)) =>
        {
            Some(Kind::HubConfig)
        }
        Some("tests.json") if contains_quoted(text, "tests") => Some(Kind::HubTests),
        _ => broken_looks_like_request(path, text).then_some(Kind::Request),
    }
}

/// Whether only a parse of the file can tell what kind a file at `path` is: `hub.json` and
/// `tests.json` outside `.runpod/` are Hub files when their content says so.
pub fn path_needs_content(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == "hub.json" || name == "tests.json")
}

/// Whether `text` is certainly not a RunPod document, decided without building the document
/// (a walk meets `package-lock.json` and 1 MB vocabularies): it is valid JSON (checked without
/// keeping anything) and none of its strings could be a key [`by_content`] looks for (a request
/// key in any casing, a handler key, `requests`, `tests`; a string with an escape could be any
/// of them). `false` means "parse it and see".
pub fn certainly_not_runpod(text: &str) -> bool {
    let mut strings = QuotedStrings {
        rest: text.as_bytes(),
    };
    !strings.any(|s| {
        s.len() <= 64
            && (s.contains(&b'\\')
                || std::str::from_utf8(s)
                    .is_ok_and(|s| s == "requests" || s == "tests" || is_request_key(s)))
    }) && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// The contents of the double-quoted strings of a JSON text, escapes left as written.
struct QuotedStrings<'t> {
    rest: &'t [u8],
}

impl<'t> Iterator for QuotedStrings<'t> {
    type Item = &'t [u8];

    fn next(&mut self) -> Option<&'t [u8]> {
        let open = memchr::memchr(b'"', self.rest)?;
        let body = &self.rest[open + 1..];
        let mut at = 0;
        loop {
            let Some(quote) = memchr::memchr2(b'"', b'\\', &body[at..]) else {
                self.rest = &[];
                return Some(body);
            };
            let found = at + quote;
            if body[found] == b'\\' {
                at = found + 2;
                if at > body.len() {
                    self.rest = &[];
                    return Some(body);
                }
                continue;
            }
            self.rest = &body[found + 1..];
            return Some(&body[..found]);
        }
    }
}

/// For a file that is not JSON: whether its text names a request key in quotes (so that a
/// broken request is reported, not skipped), or its name says it is a request.
pub fn broken_looks_like_request(path: Option<&Path>, text: &str) -> bool {
    let named = path
        .and_then(Path::file_stem)
        .and_then(|s| s.to_str())
        .is_some_and(names_a_request);
    named
        || REQUEST_KEYS
            .iter()
            .chain(HANDLER_KEYS)
            .any(|key| contains_quoted(text, key))
        // A key in another casing, or written with escapes: `"Input"`, `"execution_timeout"`,
        // `"\u0069nput"`.
        || (QuotedStrings { rest: text.as_bytes() }).any(|s| {
            s.len() <= 64
                && std::str::from_utf8(s).is_ok_and(|s| {
                    if s.contains('\\') {
                        serde_json::from_str::<String>(&format!("\"{s}\""))
                            .is_ok_and(|decoded| is_request_key(&decoded))
                    } else {
                        is_request_key(s)
                    }
                })
        })
}

/// Whether a key is one of the handler parameters people write at a request's top level
/// (`prompt`, `messages`, `workflow`, ...).
pub fn is_handler_key(key: &str) -> bool {
    HANDLER_KEYS.contains(&key)
}

/// Whether the file's name says it is a request body (see [`names_a_request`]).
pub fn path_names_a_request(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(names_a_request)
}

/// File stems that say "a request body": `request`, `payload`, `job`, `body` (any case, any
/// part of the stem).
fn names_a_request(stem: &str) -> bool {
    let stem = stem.to_ascii_lowercase();
    ["request", "payload", "job", "body"]
        .iter()
        .any(|w| stem.contains(w))
}

/// Whether `text` holds `key` in double or single quotes.
fn contains_quoted(text: &str, key: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), key.as_bytes()).any(|at| {
        let before = text.as_bytes().get(at.wrapping_sub(1)).copied();
        let after = text.as_bytes().get(at + key.len()).copied();
        matches!(before, Some(b'"' | b'\'')) && before == after
    })
}

/// Why a walked file was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// Valid JSON that is none of the kinds and has no request key.
    NotRunpod,
    /// Not JSON, and nothing in it names a request key.
    NotJsonNotRunpod,
    /// Larger than rplint reads, and not named as a RunPod file.
    TooLarge,
    /// A host file (Markdown, shell) that holds no request body.
    NoBodies,
    /// A host file too large or too slow to parse (code over 1 MiB, Markdown over 2 MiB) that
    /// names neither RunPod nor a job route; one that does is a `host-not-read` finding.
    NotRead,
}

impl Skip {
    /// The reason, in words, as `--show-files` prints it.
    pub fn reason(self) -> &'static str {
        match self {
            Skip::NotRunpod => "not a RunPod document (no request key, not a Hub file)",
            Skip::NotJsonNotRunpod => "not JSON, and nothing in it names a request key",
            Skip::TooLarge => "too large to read, and not named as a RunPod file",
            Skip::NoBodies => "holds no request body, Hub file or `curl` command to a job route",
            Skip::NotRead => {
                "too large or too slow to parse, in whole or in part (code over 1 MiB, Markdown over 2 MiB), and it names neither RunPod nor a job route"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn files_that_are_certainly_not_runpod_documents() {
        let not = [
            r#"{"name": "worker", "scripts": {"test": "jest"}, "dependencies": {}}"#,
            r#"{"tok1": 1, "tok2": 2, "it's": "x"}"#,
            r#"[1, 2, {"editor.formatOnSave": true}]"#,
        ];
        for text in not {
            assert!(certainly_not_runpod(text), "{text}");
        }
        // Anything that could be a RunPod document, or that is not JSON, is parsed.
        let maybe = [
            r#"{"input": {}}"#,
            r#"{"Input": {}}"#,
            r#"{"execution_timeout": 600}"#,
            r#"{"prompt": "a cat"}"#,
            r#"{"requests": []}"#,
            r#"{"tests": []}"#,
            r#"{"\u0069nput": {}}"#,
            r#"[{"input": 1}]"#,
            r#"{"name": "x",}"#,
            r#"{"name": "unterminated"#,
            "",
        ];
        for text in maybe {
            assert!(!certainly_not_runpod(text), "{text}");
        }
        // Whatever `certainly_not_runpod` lets through, content detection agrees with.
        for text in not {
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(by_content(&value), None, "{text}");
        }
    }

    #[test]
    fn paths_name_hub_files_and_test_inputs() {
        let hub = json!({"title": "x", "config": {}});
        assert_eq!(
            by_path(Path::new("w/.runpod/hub.json"), None),
            Some(Kind::HubConfig)
        );
        assert_eq!(
            by_path(Path::new(".runpod/tests.json"), None),
            Some(Kind::HubTests)
        );
        assert_eq!(
            by_path(Path::new(".github/tests.json"), None),
            Some(Kind::LegacyTests)
        );
        assert_eq!(
            by_path(Path::new("a/test_input.json"), None),
            Some(Kind::Request)
        );
        assert_eq!(
            by_path(Path::new("hub.json"), Some(&hub)),
            Some(Kind::HubConfig)
        );
        // a `tests.json` that is something else
        assert_eq!(
            by_path(Path::new("src/tests.json"), Some(&json!({"a": 1}))),
            None
        );
        assert_eq!(by_path(Path::new("package.json"), None), None);
    }

    #[test]
    fn content_decides_only_where_it_is_unambiguous() {
        assert_eq!(by_content(&json!({"input": {}})), Some(Kind::Request));
        assert_eq!(
            by_content(&json!({"requests": [{"input": {}}]})),
            Some(Kind::BatchRequests)
        );
        // broken requests are still requests
        assert_eq!(by_content(&json!({"prompt": "x"})), Some(Kind::Request));
        assert_eq!(by_content(&json!({"Input": {}})), Some(Kind::Request));
        assert_eq!(by_content(&json!({"s3_config": {}})), Some(Kind::Request));
        assert_eq!(by_content(&json!([{"input": {}}])), Some(Kind::Request));
        assert_eq!(
            by_content(&json!({"tests": [{"name": "a", "input": {}}]})),
            Some(Kind::HubTests)
        );
        assert_eq!(by_content(&json!({"tests": [1, 2]})), None);
        // other JSON is not
        assert_eq!(
            by_content(&json!({"name": "app", "version": "1.0.0"})),
            None
        );
        assert_eq!(by_content(&json!({"editor.tabSize": 2})), None);
        assert_eq!(by_content(&json!({"hello": 1, "world": 2})), None);
        assert_eq!(by_content(&json!([1, 2])), None);
    }

    #[test]
    fn broken_files_are_requests_when_they_name_a_request_key() {
        assert!(broken_looks_like_request(None, "{\"input\": {},}"));
        assert!(broken_looks_like_request(None, "{'policy': 1"));
        assert!(broken_looks_like_request(
            Some(Path::new("my-request.json")),
            "{"
        ));
        assert!(!broken_looks_like_request(
            Some(Path::new("tsconfig.json")),
            "{ // comment\n \"compilerOptions\": {} }"
        ));
        // a word inside a string is not a key
        assert!(!broken_looks_like_request(None, "{\"a\": \"the input\",}"));
    }
}
