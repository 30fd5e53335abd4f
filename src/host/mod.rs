//! Host files: Markdown, MDX and shell files that hold request bodies (in JSON fences, in
//! `curl` commands). A host is read with a real parser for its language; each body found in it
//! is checked as its kind by the one pipeline, and every finding is reported at the host's
//! line and column through the body's [`OffsetMap`].
//!
//! Which code holds a request is decided as `RUNPOD-FILES.md` §4 describes: a JSON fence by
//! its title (`json title="hub.json"`, `json test_input.json`) or by a request's keys, never a
//! response sample (`json 200`); a `curl` command by the `/run`, `/runsync` or `/batch` URL it
//! posts to.

use std::path::Path;

use crate::finding::{Finding, Span};
use crate::kind::Kind;

#[cfg(feature = "host-js")]
mod js;
#[cfg(any(feature = "host-python", feature = "host-js"))]
mod literal;
mod map;
mod markdown;
#[cfg(feature = "host-python")]
mod python;
#[cfg(feature = "host-shell")]
mod shell;

pub use map::OffsetMap;

/// A language rplint reads request bodies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// CommonMark with GitHub's extensions (`.md`, `.markdown`).
    Markdown,
    /// Markdown with JSX (`.mdx`): fences may be indented inside components.
    Mdx,
    /// POSIX shell, bash and zsh (`.sh`, `.bash`, `.zsh`).
    Shell,
    /// Python (`.py`).
    Python,
    /// JavaScript (`.js`, `.mjs`, `.cjs`, `.jsx`).
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`, `.tsx`).
    TypeScript,
}

impl Language {
    /// Every host language, in the order `--help` lists them.
    pub const ALL: &'static [Language] = &[
        Language::Markdown,
        Language::Mdx,
        Language::Shell,
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
    ];

    /// The language a file's extension names (ASCII case ignored).
    pub fn by_path(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Language::Markdown),
            "mdx" => Some(Language::Mdx),
            "sh" | "bash" | "zsh" => Some(Language::Shell),
            "py" => Some(Language::Python),
            "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" | "tsx" => Some(Language::TypeScript),
            _ => None,
        }
    }

    /// The language's name, as `--show-files` and the configuration write it.
    pub fn name(self) -> &'static str {
        match self {
            Language::Markdown => "markdown",
            Language::Mdx => "mdx",
            Language::Shell => "shell",
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
        }
    }

    /// The language named `name` (as [`Language::name`] writes it).
    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.iter().copied().find(|l| l.name() == name)
    }

    /// Whether a file at `path` may hold JSX (`.tsx`, `.jsx`).
    pub fn jsx(path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("tsx") || e.eq_ignore_ascii_case("jsx"))
    }

    /// Whether this build can read the language (shell needs the `host-shell` feature).
    pub fn is_available(self) -> bool {
        match self {
            Language::Markdown | Language::Mdx => true,
            Language::Shell => cfg!(feature = "host-shell"),
            Language::Python => cfg!(feature = "host-python"),
            Language::JavaScript | Language::TypeScript => cfg!(feature = "host-js"),
        }
    }
}

/// How the kind of an embedded body is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindHint {
    /// Named by the host: a fence's title, or the route of the URL a command posts to.
    Named(Kind),
    /// A JSON fence without a title: a request when its content has a request's keys, a Hub
    /// tests file when it has the Hub's `tests`; otherwise not a RunPod document.
    ByContent,
}

/// One body found in a host file.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The bytes the client sends (or the file holds), as JSON text.
    pub body: String,
    /// Where each byte of `body` was written in the host.
    pub map: OffsetMap,
    /// How its kind is decided.
    pub hint: KindHint,
    /// The route it is sent to, where the host says (the URL a command posts to).
    pub route: Option<crate::config::Route>,
    /// What holds it, in words: "`json` fence", "`curl --data`".
    pub holder: &'static str,
    /// The holder's span in the host (the fence, the command).
    pub span: Span,
    /// Body byte ranges whose text is computed where the host runs (a shell's `$VAR`): a
    /// value written with them is not known, so findings about such a value are not given.
    pub computed: Vec<Span>,
    /// Body offsets of objects that may hold keys not seen (a spread, a computed key): findings
    /// about keys they lack are not given.
    pub open: Vec<usize>,
    /// The client library whose call sends it, when it is one.
    pub client: Option<Client>,
}

/// A client library whose call sends a body, and changes it on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// runpod-python's `Endpoint`: wraps a dict whose `input` is missing or falsy.
    RunpodPython,
    /// runpod-python's `AsyncioEndpoint`: always wraps.
    RunpodPythonAsync,
    /// The JavaScript SDK: sends the argument as it is.
    JsSdk,
    /// A plain HTTP client (`requests`, `httpx`, `fetch`, `axios`): sends the body as it is.
    Http,
}

/// Something in a host that looked like it might hold a body and does not, with why (for
/// `--show-files`).
#[derive(Debug, Clone)]
pub struct Passed {
    /// What it is: "`json 200` fence".
    pub holder: String,
    /// Its span in the host.
    pub span: Span,
    /// Why it is not checked.
    pub reason: String,
}

/// A body a host reads from another file (`curl -d @body.json`): that file is checked as the
/// body it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The file's name as the command writes it.
    pub name: String,
    /// Where the host names it.
    pub span: Span,
    /// The kind and route of the body (from the URL).
    pub kind: Kind,
    /// The route it is posted to.
    pub route: crate::config::Route,
    /// Whether curl strips carriage returns and line feeds from it (`-d @file`, not
    /// `--data-binary` or `--json`).
    pub strip_newlines: bool,
}

/// What a host file holds.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Bodies read from other files.
    pub references: Vec<Reference>,
    /// The bodies to check.
    pub bodies: Vec<Embedded>,
    /// What was passed over, and why.
    pub passed: Vec<Passed>,
    /// Findings about the host's own code (a `curl` command's options), with host spans.
    pub findings: Vec<Finding>,
    /// Host spans that hold a credential outside any body (an `Authorization` header's
    /// value): masked in every code frame.
    pub secrets: Vec<Span>,
    /// Whether the text, or code inside it, was not read at all: too large or too slow to
    /// parse (an entry of `passed` says which and why).
    pub not_read: bool,
}

/// Read every body `text` holds, written in `language`; `jsx` says a script may hold JSX (a
/// `.tsx` file). Never fails: code that does not parse holds nothing, and a body that does not
/// parse is still returned (its syntax is a finding).
pub fn extract(language: Language, text: &str, jsx: bool) -> Extraction {
    let mut out = Extraction::default();
    // Code too large to parse is said so before any reader looks for calls in it: a file that
    // names RunPod gets `host-not-read` whatever it holds.
    #[cfg(any(feature = "host-shell", feature = "host-python", feature = "host-js"))]
    if text.len() > MAX_CODE {
        let what = match language {
            Language::Markdown | Language::Mdx => None,
            Language::Shell => Some("shell code"),
            Language::Python => Some("Python code"),
            Language::JavaScript | Language::TypeScript => Some("JavaScript code"),
        };
        if let Some(what) = what {
            code_too_large(what, text, &OffsetMap::identity(text.len()), &mut out);
            return out;
        }
    }
    match language {
        Language::Markdown => markdown::extract(text, false, &mut out),
        Language::Mdx => markdown::extract(text, true, &mut out),
        Language::Shell => shell_in(text, &OffsetMap::identity(text.len()), &mut out),
        Language::Python => python_in(text, &OffsetMap::identity(text.len()), &mut out),
        Language::JavaScript | Language::TypeScript => {
            script_in(
                text,
                language,
                jsx,
                &OffsetMap::identity(text.len()),
                &mut out,
            );
        }
    }
    out
}

/// The calls of Python `text` that send a body, when this build reads Python.
fn python_in(text: &str, map: &OffsetMap, out: &mut Extraction) {
    #[cfg(feature = "host-python")]
    python::extract(text, map, out);
    #[cfg(not(feature = "host-python"))]
    not_read("Python code", "host-python", text, map, out);
}

/// The calls of JavaScript or TypeScript `text` that send a body, when this build reads them.
fn script_in(text: &str, language: Language, jsx: bool, map: &OffsetMap, out: &mut Extraction) {
    #[cfg(feature = "host-js")]
    {
        let dialect = match (language, jsx) {
            (Language::TypeScript, true) => js::Dialect::Tsx,
            (Language::TypeScript, false) => js::Dialect::TypeScript,
            _ => js::Dialect::JavaScript,
        };
        js::extract(text, dialect, map, out);
    }
    #[cfg(not(feature = "host-js"))]
    {
        let _ = (language, jsx);
        not_read("JavaScript code", "host-js", text, map, out);
    }
}

/// Say that this build does not read a language.
#[allow(dead_code, reason = "used by the builds without a host feature")]
fn not_read(what: &str, feature: &str, text: &str, map: &OffsetMap, out: &mut Extraction) {
    out.passed.push(Passed {
        holder: what.to_owned(),
        span: map.span(Span::new(0, text.len())),
        reason: format!("this build of rplint does not read it (feature `{feature}`)"),
    });
}

/// How long one host file may take to parse (wall clock). Code that takes longer is not code
/// anyone writes by hand (tree-sitter's error recovery on megabytes of noise): it is passed
/// over and says so.
#[cfg(any(feature = "host-shell", feature = "host-python", feature = "host-js"))]
const PARSE_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// Code larger than this is not parsed (bytes): a file that size is generated.
#[cfg(any(feature = "host-shell", feature = "host-python", feature = "host-js"))]
const MAX_CODE: usize = 1024 * 1024;

/// Say that `text` (`what`: "Python code") is not read, and why: in `out.passed`, and as a
/// `host-not-read` finding when it names the RunPod SDK or a job route.
fn not_parsed(what: &str, text: &str, map: &OffsetMap, out: &mut Extraction, reason: &str) {
    out.not_read = true;
    out.passed.push(Passed {
        holder: what.to_owned(),
        span: map.span(Span::new(0, text.len())),
        reason: format!("{reason}: not read"),
    });
    if crate::rules::may_send_requests(text) {
        let at = map.span(Span::new(0, 0));
        let mut finding = crate::finding::Finding::new(
            &crate::rules::HOST_NOT_READ,
            "",
            format!("this {what} names RunPod or a job route, but was not read: {reason}"),
        )
        .help(
            "check the sources it was built from, and leave it out of the run (`exclude` in the configuration)",
        )
        .at(crate::finding::Target::At(at));
        finding.span = at;
        out.findings.push(finding);
    }
}

/// Markdown larger than this is not read (bytes): the Markdown parser holds up to about a
/// hundred bytes for each byte of hostile text (20 MB of `>` took 2.2 GB), and a page that size
/// is generated.
const MAX_MARKDOWN: usize = 2 * 1024 * 1024;

/// Whether the Markdown `text` is read; when it is not (larger than [`MAX_MARKDOWN`]), say so.
pub(crate) fn markdown_is_read(text: &str, out: &mut Extraction) -> bool {
    if text.len() <= MAX_MARKDOWN {
        return true;
    }
    let reason = format!(
        "it is larger than {} bytes (2 MiB)",
        crate::rules::group_digits(MAX_MARKDOWN)
    );
    not_parsed(
        "Markdown text",
        text,
        &OffsetMap::identity(text.len()),
        out,
        &reason,
    );
    false
}

/// Say that the code `text` is larger than [`MAX_CODE`] and not read ([`not_parsed`]).
#[cfg(any(feature = "host-shell", feature = "host-python", feature = "host-js"))]
fn code_too_large(what: &str, text: &str, map: &OffsetMap, out: &mut Extraction) {
    let reason = format!(
        "it is larger than {} bytes (1 MiB)",
        crate::rules::group_digits(MAX_CODE)
    );
    not_parsed(what, text, map, out, &reason);
}

/// Parse the code `text` (`what`: "Python code") with `language`, or say why it is not read
/// ([`not_parsed`]): larger than [`MAX_CODE`], or slower to parse than [`PARSE_BUDGET`].
#[cfg(any(feature = "host-shell", feature = "host-python", feature = "host-js"))]
pub(crate) fn parse_code(
    what: &str,
    language: &tree_sitter::Language,
    text: &str,
    map: &OffsetMap,
    out: &mut Extraction,
) -> Option<tree_sitter::Tree> {
    if text.len() > MAX_CODE {
        code_too_large(what, text, map, out);
        return None;
    }
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(language).ok()?;
    let tree = parse_bounded(&mut parser, text);
    if tree.is_none() {
        let reason = "it took more than 5 seconds to parse (not code anyone writes by hand)";
        not_parsed(what, text, map, out, reason);
    }
    tree
}

/// Parse `text` with `parser`, giving up after [`PARSE_BUDGET`].
#[cfg(any(feature = "host-shell", feature = "host-python", feature = "host-js"))]
fn parse_bounded(parser: &mut tree_sitter::Parser, text: &str) -> Option<tree_sitter::Tree> {
    let started = std::time::Instant::now();
    let mut progress = |_: &tree_sitter::ParseState| {
        if started.elapsed() > PARSE_BUDGET {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let bytes = text.as_bytes();
    parser.parse_with_options(
        &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
        None,
        Some(tree_sitter::ParseOptions::new().progress_callback(&mut progress)),
    )
}

/// The kind and route of the body a URL takes, when it is a job route: `…/run` and
/// `…/runsync` (on any host, through a proxy, or the local server), `…/batch` and
/// `…/batch/{id}/requests`. The OpenAI-compatible routes and the management APIs are not
/// (`RUNPOD-FILES.md` §4, "Decide by URL").
pub fn job_route(url: &str) -> Option<(Kind, crate::config::Route)> {
    use crate::config::Route;
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.trim_end_matches('/');
    if path.contains("/openai/") || path.contains("graphql") || path.contains("rest.runpod.io") {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().checked_sub(1)?;
    let (route, at) = match segments[last] {
        "runsync" => (Route::Runsync, last),
        "run" => (Route::Run, last),
        "batch" => (Route::Batch, last),
        "requests" if last >= 2 && segments[last - 2] == "batch" => {
            (Route::BatchRequests, last - 2)
        }
        _ => return None,
    };
    // Where a job route is: `/v2/{endpoint_id}/...` on any host (a proxy too), the local
    // test server on port 8000, or after a base the code computes (`f"{BASE}/{ID}/run"`,
    // `"$URL/run"`). `https://ci.example.com/pipelines/1/run` is not one.
    let under_v2 = at >= 2 && segments[at - 2] == "v2";
    let local = at >= 1
        && ["localhost:8000", "127.0.0.1:8000", "0.0.0.0:8000"]
            .iter()
            .any(|host| segments[at - 1].ends_with(host));
    let computed_base = url.trim_start().starts_with(['{', '$', '<', '`'])
        && !segments[..at]
            .iter()
            .any(|s| s.contains('.') && !s.contains('{') && !s.contains('$'));
    (under_v2 || local || computed_base).then(|| (Kind::of_route(route), route))
}

/// Whether a key is one the service reads at a request's top level (not `input`).
#[allow(dead_code, reason = "used by the builds with a code host")]
pub(crate) fn is_service_key(key: &str) -> bool {
    matches!(
        key,
        "webhook"
            | "webhookV2"
            | "policy"
            | "s3Config"
            | "executionTimeout"
            | "ttl"
            | "lowPriority"
    )
}

/// A `client-wraps-input` finding at `span` (host bytes).
#[allow(dead_code, reason = "used by the builds with a code host")]
pub(crate) fn wraps_input_finding(span: Span, message: String, help: &str) -> Finding {
    let mut finding = Finding::new(&crate::rules::CLIENT_WRAPS_INPUT, "", message)
        .at(crate::finding::Target::At(span))
        .help(help);
    finding.span = span;
    finding
}

/// The shell commands of `text` (host text seen through `map`), when this build reads shell.
fn shell_in(text: &str, map: &OffsetMap, out: &mut Extraction) {
    #[cfg(feature = "host-shell")]
    shell::extract(text, map, out);
    #[cfg(not(feature = "host-shell"))]
    not_read("shell code", "host-shell", text, map, out);
}

impl OffsetMap {
    /// The map of a body that is its host, byte for byte.
    pub fn identity(len: usize) -> Self {
        let mut map = OffsetMap::new();
        map.copied(len, 0);
        map
    }
}

/// The kind a JSON fence without a title holds, from its text. A request: an object whose
/// `input` is an object (whatever else it holds: its unknown keys are the findings), or whose
/// keys are all request keys besides a non-object `input`, or that puts handler parameters
/// beside request keys without `input` (the lost-`input` mistake). A Hub tests file by its
/// `tests`; an array of requests. Anything else is some other JSON: a dataset row
/// (`{"instruction", "input": "2+2", "output"}`), a job status, a fragment.
pub fn fence_kind(text: &str) -> Option<Kind> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    let value = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => value,
        Err(_) => {
            // Broken: a request when it writes `"input"` and opens an object after it.
            return text
                .match_indices("\"input\"")
                .any(|(at, m)| {
                    text[at + m.len()..]
                        .trim_start()
                        .strip_prefix(':')
                        .is_some_and(|rest| rest.trim_start().starts_with('{'))
                })
                .then_some(Kind::Request);
        }
    };
    let kind = crate::kind::by_content(&value)?;
    if kind != Kind::Request {
        return Some(kind);
    }
    let serde_json::Value::Object(object) = &value else {
        return Some(kind);
    };
    let input = object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("input"))
        .map(|(_, v)| v);
    let service = object.keys().filter(|k| is_service_key(k)).count();
    let other = object
        .keys()
        .filter(|k| !k.eq_ignore_ascii_case("input") && !is_service_key(k))
        .count();
    let handler = object
        .keys()
        .filter(|k| crate::kind::is_handler_key(k))
        .count();
    // A job's status as the service answers it (`id`, `status`, `output`, the input echoed).
    let response = object.contains_key("status")
        && (object.contains_key("output") || object.contains_key("id"));
    let request = !response
        && match input {
            Some(serde_json::Value::Object(_)) => true,
            Some(_) => other == 0,
            None => service > 0 && handler > 0,
        };
    request.then_some(kind)
}
