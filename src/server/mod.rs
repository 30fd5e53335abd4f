//! `rplint server`: the Language Server Protocol over stdin and stdout.
//!
//! The editor sends each open document's text; the server checks it with the one pipeline
//! ([`rplint::pipeline::check_file`], as a directory walk would: RunPod documents and the
//! bodies in Markdown, shell, Python and JavaScript) and publishes the findings as
//! diagnostics. It answers:
//! - `textDocument/codeAction`: each finding's fix as a quick fix (safe ones preferred), and
//!   `source.fixAll.rplint`, every safe fix applied in passes as `rplint check --fix` does;
//! - `textDocument/hover`: the documentation the kind's schema gives the key under the cursor
//!   (in JSON documents).
//!
//! Positions are counted in the encoding the client offers (UTF-8, else UTF-32, else the
//! protocol's default UTF-16; see [`text`]). The configuration (`rplint.toml`, or
//! `pyproject.toml` with `[tool.rplint]`) is found from each workspace folder's root as
//! `rplint check` run there finds it (from the document's directory outside every folder),
//! and read again when a configuration file is saved or the client reports it changed; a
//! configuration that cannot be used is said once per reload.
//!
//! The server works on one thread. Every message that waits is read before any is handled:
//! a request the client has cancelled meanwhile is answered as cancelled without being
//! computed, and keystrokes that arrived while a check ran are applied together, with one
//! check for all of them. Documents are named back to the client by the URI it sent, as it
//! wrote it. The client's capabilities are read field by field, so that a value this server
//! does not know (a newer protocol's) changes nothing.

pub mod text;
pub mod transport;

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeDescription, Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeResult, MarkupContent, MarkupKind, MessageType,
    NumberOrString, Registration, RegistrationParams, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Url,
};
use serde_json::{Value, json};

use rplint::config::project::ProjectConfig;
use rplint::document::Document;
use rplint::{Applicability, Config, Finding, Kind, Severity, Source};

use text::{Encoding, LineIndex};

/// The code action kind of "apply every safe fix".
const FIX_ALL: &str = "source.fixAll.rplint";

/// The most diagnostics published for one document; the rest are counted in one more.
const MOST_DIAGNOSTICS: usize = 1_000;

/// Where each rule's documentation is read (its heading's anchor is its id).
const RULE_DOCS: &str = "https://github.com/rplint/rplint/blob/main/docs/rules.md";

/// The names of the files that configure rplint.
const CONFIG_NAMES: [&str; 2] = ["rplint.toml", "pyproject.toml"];

/// Run the server until the client says `exit` or closes stdin. Returns the exit code the
/// protocol asks for: 0 after `shutdown`, 1 otherwise.
pub fn run() -> u8 {
    let (connection, writer) = transport::stdio();
    let code = serve(&connection);
    drop(connection);
    let _ = writer.join();
    code
}

/// Wait for `initialize` (answering any other request as not initialized), then serve.
fn serve(connection: &Connection) -> u8 {
    let sender = connection.sender.clone();
    let refuse = |id: RequestId, code: ErrorCode, message: &str| {
        let _ = sender.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message.to_owned(),
        )));
    };
    loop {
        let Ok(message) = connection.receiver.recv() else {
            return 1;
        };
        match message {
            Message::Request(request) if request.method == req::Initialize::METHOD => {
                let server = Server::new(connection.sender.clone(), &request.params);
                let result = serde_json::to_value(server.capabilities()).unwrap_or(Value::Null);
                server.send(Message::Response(Response::new_ok(request.id, result)));
                if server.watch {
                    server.watch_configuration();
                }
                let mut server = server;
                return server.serve(connection);
            }
            Message::Request(request) => refuse(
                request.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet: send `initialize` first",
            ),
            Message::Notification(n) if n.method == note::Exit::METHOD => return 1,
            Message::Notification(n) if n.method == transport::INVALID => {
                if let Ok(id) = serde_json::from_value::<RequestId>(n.params["id"].clone()) {
                    let why = n.params["why"].as_str().unwrap_or("").to_owned();
                    refuse(id, ErrorCode::InvalidRequest, &why);
                }
            }
            _ => {}
        }
    }
}

/// An open document.
#[derive(Debug)]
struct Doc {
    /// The URI as the client wrote it (it is named so in every message back).
    raw_uri: String,
    text: String,
    version: i32,
    /// The client's language id (`json`, `markdown`...), for documents with no file name.
    language: String,
    /// The findings of the last check, if the text has not changed since.
    checked: Option<Checked>,
}

#[derive(Debug)]
struct Checked {
    findings: Vec<Finding>,
    /// The kind it was checked as (`None`: not a RunPod document, or a host file).
    kind: Option<Kind>,
    path: PathBuf,
    config: Config,
    /// Every safe fix applied, as the edits that turn the text into the fixed one (computed
    /// when first asked for): `None` when there is nothing to apply.
    fix_all: Option<Option<(usize, Vec<TextEdit>)>>,
    /// The byte spans of the text that frames mask (its secrets), which no edit may carry.
    hidden: Vec<(usize, usize)>,
}

/// The configuration that applies under one directory: `None` where there is no file or it
/// could not be used (the error was shown to the user).
type Project = Option<Arc<ProjectConfig>>;

struct Server {
    sender: crossbeam_channel::Sender<Message>,
    encoding: Encoding,
    /// Whether workspace edits may name the version they apply to.
    document_changes: bool,
    /// Whether hovers may be Markdown (else plain text).
    hover_markdown: bool,
    /// Whether the client registers file watchers when asked.
    watch: bool,
    folders: Vec<PathBuf>,
    /// For each directory asked about, the configuration file that applies there.
    found: HashMap<PathBuf, Option<PathBuf>>,
    /// Each configuration file, loaded.
    loaded: HashMap<PathBuf, Project>,
    /// The configuration errors said since the last reload (each is said once).
    said: HashSet<String>,
    docs: HashMap<Url, Doc>,
    /// Documents changed since they were last published.
    dirty: BTreeSet<Url>,
    shut_down: bool,
}

/// The strings of the array at `pointer` in `value`.
fn strings<'v>(value: &'v Value, pointer: &str) -> Vec<&'v str> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The path of a `file:` URI.
fn file_path(uri: &str) -> Option<PathBuf> {
    Url::parse(uri).ok()?.to_file_path().ok()
}

impl Server {
    /// A server for a client whose `initialize` parameters are `params`: only the fields used
    /// are read, each on its own, so that one this server cannot read changes nothing else.
    fn new(sender: crossbeam_channel::Sender<Message>, params: &Value) -> Self {
        let capabilities = &params["capabilities"];
        let encoding = Encoding::negotiate(&strings(capabilities, "/general/positionEncodings"));
        let flag = |pointer: &str| capabilities.pointer(pointer) == Some(&Value::Bool(true));
        let formats = strings(capabilities, "/textDocument/hover/contentFormat");
        let folders: Vec<PathBuf> = match params["workspaceFolders"].as_array() {
            Some(folders) => folders
                .iter()
                .filter_map(|f| file_path(f["uri"].as_str()?))
                .collect(),
            None => params["rootUri"]
                .as_str()
                .and_then(file_path)
                .or_else(|| params["rootPath"].as_str().map(PathBuf::from))
                .into_iter()
                .collect(),
        };
        Self {
            sender,
            encoding,
            document_changes: flag("/workspace/workspaceEdit/documentChanges"),
            hover_markdown: formats.is_empty() || formats.contains(&"markdown"),
            watch: flag("/workspace/didChangeWatchedFiles/dynamicRegistration"),
            folders,
            found: HashMap::new(),
            loaded: HashMap::new(),
            said: HashSet::new(),
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
            shut_down: false,
        }
    }

    fn capabilities(&self) -> InitializeResult {
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(self.encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(FIX_ALL),
                        ]),
                        resolve_provider: Some(false),
                        ..CodeActionOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "rplint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        }
    }

    /// Handle messages until `exit`. Every message that waits is read first: requests
    /// cancelled meanwhile are answered as cancelled, and the changed documents are checked
    /// once all are handled.
    fn serve(&mut self, connection: &Connection) -> u8 {
        let mut queue: VecDeque<Message> = VecDeque::new();
        loop {
            if queue.is_empty() {
                match connection.receiver.recv() {
                    Ok(message) => queue.push_back(message),
                    // stdin closed without `exit`.
                    Err(_) => return 1,
                }
            }
            while let Ok(message) = connection.receiver.try_recv() {
                queue.push_back(message);
            }
            let cancelled: HashSet<RequestId> = queue
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == note::Cancel::METHOD => {
                        serde_json::from_value(n.params["id"].clone()).ok()
                    }
                    _ => None,
                })
                .collect();
            while let Some(message) = queue.pop_front() {
                if let Message::Request(request) = &message
                    && cancelled.contains(&request.id)
                {
                    self.error(
                        request.id.clone(),
                        ErrorCode::RequestCanceled,
                        "cancelled".to_owned(),
                    );
                    continue;
                }
                if let Some(code) = self.handle(message) {
                    return code;
                }
            }
            self.publish_dirty();
        }
    }

    /// Handle one message; `Some(code)` when the server must exit.
    fn handle(&mut self, message: Message) -> Option<u8> {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => return self.notification(notification),
            Message::Response(_) => {}
        }
        None
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shut_down {
            return self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shut down".to_owned(),
            );
        }
        let answer = match request.method.as_str() {
            req::Initialize::METHOD => Err((
                ErrorCode::InvalidRequest,
                "the server is initialized already".to_owned(),
            )),
            req::Shutdown::METHOD => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            req::CodeActionRequest::METHOD => {
                params::<CodeActionParams>(request).map(|p| Value::Array(self.code_actions(&p)))
            }
            req::HoverRequest::METHOD => {
                params::<HoverParams>(request).and_then(|p| to_value(self.hover(&p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!(
                    "rplint does not answer {}",
                    rplint::report::sanitize(&rplint::shorten(other, 80))
                ),
            )),
        };
        match answer {
            Ok(value) => self.send(Message::Response(Response::new_ok(id, value))),
            Err((code, why)) => self.error(id, code, why),
        }
    }

    fn notification(&mut self, notification: Notification) -> Option<u8> {
        let method = notification.method.clone();
        match method.as_str() {
            note::Exit::METHOD => return Some(if self.shut_down { 0 } else { 1 }),
            note::DidOpenTextDocument::METHOD => {
                let raw_uri = notification.params["textDocument"]["uri"]
                    .as_str()
                    .map(str::to_owned);
                if let Some(p) = self.read::<DidOpenTextDocumentParams>(notification)
                    && let Some(raw_uri) = raw_uri
                {
                    let uri = p.text_document.uri;
                    self.docs.insert(
                        uri.clone(),
                        Doc {
                            raw_uri,
                            text: p.text_document.text,
                            version: p.text_document.version,
                            language: p.text_document.language_id,
                            checked: None,
                        },
                    );
                    self.dirty.insert(uri);
                }
            }
            note::DidChangeTextDocument::METHOD => {
                let raw_uri = notification.params["textDocument"]["uri"]
                    .as_str()
                    .map(str::to_owned);
                match serde_json::from_value::<DidChangeTextDocumentParams>(notification.params) {
                    Ok(p) => self.change(p),
                    Err(e) => {
                        // Its text is not the editor's any more: forget it rather than check
                        // (and fix) a copy that differs.
                        let uri = raw_uri.as_deref().and_then(|u| Url::parse(u).ok());
                        if let Some(uri) = uri
                            && let Some(doc) = self.docs.remove(&uri)
                        {
                            self.dirty.remove(&uri);
                            self.publish_raw(&doc.raw_uri, Vec::new(), None);
                            self.show(
                                MessageType::WARNING,
                                format!(
                                    "rplint: a change to {} could not be read ({}); close and reopen it to check it again",
                                    rplint::report::sanitize(&rplint::shorten(&doc.raw_uri, 200)),
                                    rplint::shorten(&e.to_string(), 200)
                                ),
                            );
                        } else {
                            self.log(
                                MessageType::ERROR,
                                format!("rplint server: a didChange could not be read: {e}"),
                            );
                        }
                    }
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Some(p) = self.read::<DidCloseTextDocumentParams>(notification) {
                    let uri = p.text_document.uri;
                    self.dirty.remove(&uri);
                    if let Some(doc) = self.docs.remove(&uri) {
                        self.publish_raw(&doc.raw_uri, Vec::new(), None);
                    }
                }
            }
            note::DidSaveTextDocument::METHOD => {
                if let Some(p) = self.read::<DidSaveTextDocumentParams>(notification)
                    && is_config(&p.text_document.uri)
                {
                    self.reload();
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = self.read::<DidChangeWatchedFilesParams>(notification)
                    && p.changes.iter().any(|c| is_config(&c.uri))
                {
                    self.reload();
                }
            }
            note::DidChangeWorkspaceFolders::METHOD => {
                if let Some(p) = self.read::<DidChangeWorkspaceFoldersParams>(notification) {
                    let removed: Vec<PathBuf> = (p.event.removed.iter())
                        .filter_map(|f| f.uri.to_file_path().ok())
                        .collect();
                    self.folders.retain(|f| !removed.contains(f));
                    self.folders
                        .extend((p.event.added.iter()).filter_map(|f| f.uri.to_file_path().ok()));
                    self.reload();
                }
            }
            transport::INVALID => {
                let why = notification.params["why"].as_str().unwrap_or("").to_owned();
                match serde_json::from_value::<RequestId>(notification.params["id"].clone()) {
                    Ok(id) => self.error(id, ErrorCode::InvalidRequest, why),
                    Err(_) => self.log(MessageType::ERROR, format!("rplint server: {why}")),
                }
            }
            _ => {}
        }
        None
    }

    /// The parameters of a notification; one that cannot be read is logged and ignored.
    fn read<P: serde::de::DeserializeOwned>(&self, notification: Notification) -> Option<P> {
        match serde_json::from_value(notification.params) {
            Ok(params) => Some(params),
            Err(e) => {
                self.log(
                    MessageType::ERROR,
                    format!(
                        "rplint server: the parameters of {} cannot be read: {e}",
                        rplint::report::sanitize(&rplint::shorten(&notification.method, 80))
                    ),
                );
                None
            }
        }
    }

    fn change(&mut self, p: DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(doc) = self.docs.get_mut(&uri) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    text::apply_change(&mut doc.text, range, &change.text, self.encoding)
                }
                None => doc.text = change.text,
            }
        }
        doc.version = p.text_document.version;
        doc.checked = None;
        self.dirty.insert(uri);
    }

    /// Read the configuration again and check every open document with it.
    fn reload(&mut self) {
        self.found.clear();
        self.loaded.clear();
        self.said.clear();
        for (uri, doc) in &mut self.docs {
            doc.checked = None;
            self.dirty.insert(uri.clone());
        }
    }

    fn publish_dirty(&mut self) {
        for uri in std::mem::take(&mut self.dirty) {
            self.ensure_checked(&uri);
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            let Some(checked) = &doc.checked else {
                continue;
            };
            let index = LineIndex::new(&doc.text, self.encoding);
            let mut diagnostics: Vec<Value> = (checked.findings.iter())
                .take(MOST_DIAGNOSTICS)
                .map(|f| diagnostic(f, &index, &doc.raw_uri))
                .collect();
            let more = checked.findings.len().saturating_sub(MOST_DIAGNOSTICS);
            if more > 0 {
                let summary = Diagnostic {
                    range: index.range(0, 0),
                    severity: Some(DiagnosticSeverity::INFORMATION),
                    source: Some("rplint".to_owned()),
                    message: format!(
                        "{more} more findings are not shown here: run `rplint check` on the file"
                    ),
                    ..Diagnostic::default()
                };
                diagnostics.push(serde_json::to_value(summary).unwrap_or(Value::Null));
            }
            self.publish_raw(&doc.raw_uri, diagnostics, Some(doc.version));
        }
    }

    /// Check the document at `uri` if its text changed since its last check.
    fn ensure_checked(&mut self, uri: &Url) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        if doc.checked.is_some() {
            return;
        }
        let path = path_of(uri, &doc.language);
        let project = self.project_for(uri, &path);
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let excluded = project.as_ref().is_some_and(|p| p.is_excluded(&path));
        let config = project
            .as_ref()
            .map_or_else(Config::default, |p| p.config_for(&path));
        let (findings, kind, hidden) = if excluded {
            (Vec::new(), None, Vec::new())
        } else {
            let source = Source::new(path.display().to_string(), doc.text.clone());
            let outcome = rplint::pipeline::check_file(&source, &config, Some(&path), true);
            let kind = outcome.kind.filter(|_| outcome.host.is_none());
            let hidden = if outcome.findings.iter().any(|f| f.fix.is_some()) {
                hidden_spans(&doc.text, &source.shown_text())
            } else {
                Vec::new()
            };
            (outcome.findings, kind, hidden)
        };
        doc.checked = Some(Checked {
            findings,
            kind,
            path,
            config,
            fix_all: None,
            hidden,
        });
    }

    /// The configuration for a document: found from its workspace folder's root (the
    /// longest folder that holds it), else from its own directory. A configuration that
    /// cannot be used is said once (until the next reload), however many documents it covers.
    fn project_for(&mut self, uri: &Url, path: &Path) -> Project {
        if uri.scheme() != "file" {
            return None;
        }
        let dir = (self.folders.iter())
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.as_os_str().len())
            .cloned()
            .or_else(|| path.parent().map(Path::to_path_buf))?;
        let file = match self.found.get(&dir) {
            Some(file) => file.clone(),
            None => {
                let file = match ProjectConfig::find(&dir) {
                    Ok(file) => file,
                    Err(e) => {
                        self.say_once(&dir, &e.to_string());
                        None
                    }
                };
                self.found.insert(dir.clone(), file.clone());
                file
            }
        }?;
        if let Some(project) = self.loaded.get(&file) {
            return project.clone();
        }
        let project = match ProjectConfig::load(&file) {
            Ok(project) => Some(Arc::new(project)),
            Err(e) => {
                self.say_once(&dir, &e.to_string());
                None
            }
        };
        self.loaded.insert(file, project.clone());
        project
    }

    /// Say that the configuration for `dir` cannot be used, unless this was said already.
    fn say_once(&mut self, dir: &Path, why: &str) {
        let why = rplint::report::sanitize(why).into_owned();
        if self.said.insert(why.clone()) {
            self.show(
                MessageType::ERROR,
                format!(
                    "rplint: the configuration for {} cannot be used, so its documents are checked with the default rules: {why}",
                    dir.display()
                ),
            );
        }
    }

    fn code_actions(&mut self, p: &CodeActionParams) -> Vec<Value> {
        let uri = &p.text_document.uri;
        self.ensure_checked(uri);
        let encoding = self.encoding;
        let document_changes = self.document_changes;
        let Some(doc) = self.docs.get_mut(uri) else {
            return Vec::new();
        };
        let Some(checked) = &mut doc.checked else {
            return Vec::new();
        };
        let wanted = |kind: &str| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind == o.as_str()
                        || kind
                            .strip_prefix(o.as_str())
                            .is_some_and(|r| r.starts_with('.'))
                })
            })
        };
        let index = LineIndex::new(&doc.text, encoding);
        // Compared in bytes first: only the findings at the range are converted.
        let (a, b) = (index.offset(p.range.start), index.offset(p.range.end));
        let (from, to) = (a.min(b), a.max(b));
        let edit = |edits: Vec<TextEdit>| {
            workspace_edit(&doc.raw_uri, doc.version, edits, document_changes)
        };
        let mut actions = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for finding in &checked.findings {
                let Some(fix) = &finding.fix else {
                    continue;
                };
                if finding.span.start > to || from > finding.span.end {
                    continue;
                }
                let safe = fix.applicability == Applicability::Safe;
                let edits = (fix.edits.iter())
                    .map(|e| {
                        TextEdit::new(index.range(e.span.start, e.span.end), e.replacement.clone())
                    })
                    .collect();
                let message = capitalized(&fix.message);
                let title = if safe {
                    format!("{message} ({})", finding.rule)
                } else {
                    format!("{message} ({}; changes the request)", finding.rule)
                };
                actions.push(json!({
                    "title": title,
                    "kind": CodeActionKind::QUICKFIX.as_str(),
                    "diagnostics": [diagnostic(finding, &index, &doc.raw_uri)],
                    "edit": edit(edits),
                    "isPreferred": safe,
                }));
            }
        }
        let any_safe = (checked.findings.iter()).any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        });
        if wanted(FIX_ALL) && any_safe {
            // Computed once per version of the document, however often it is asked for.
            let fix_all = checked.fix_all.get_or_insert_with(|| {
                let rounds = rplint::fix::rounds(
                    &doc.text,
                    &checked.findings,
                    false,
                    false,
                    |text| {
                        let source = Source::new(checked.path.display().to_string(), text);
                        rplint::pipeline::check_file(
                            &source,
                            &checked.config,
                            Some(&checked.path),
                            true,
                        )
                    },
                    |outcome| &outcome.findings,
                );
                (rounds.applied > 0 && !rounds.breaks_json && !rounds.outgrows_route).then(|| {
                    (
                        rounds.applied,
                        changed_parts(&doc.text, &rounds.text, &index, &checked.hidden),
                    )
                })
            });
            if let Some((applied, all)) = fix_all.clone() {
                actions.push(json!({
                    "title": match applied {
                        1 => "Apply rplint's safe fix".to_owned(),
                        n => format!("Apply rplint's {n} safe fixes"),
                    },
                    "kind": FIX_ALL,
                    "edit": edit(all),
                }));
            }
        }
        actions
    }

    fn hover(&mut self, p: &HoverParams) -> Option<Hover> {
        let uri = &p.text_document_position_params.text_document.uri;
        self.ensure_checked(uri);
        let doc = self.docs.get(uri)?;
        let kind = doc.checked.as_ref()?.kind?;
        let index = LineIndex::new(&doc.text, self.encoding);
        let offset = index.offset(p.text_document_position_params.position);
        let document = Document::parse(&doc.text).ok()?;
        let (pointer, spans) = document.node_at(offset)?;
        let markdown = self.hover_markdown;
        let described = rplint::schema::describe(kind, &pointer, markdown).or_else(|| {
            // A request inside another kind (a Hub test, a batch's requests): its own schema.
            rplint::kinds::requests(kind, document.value())
                .into_iter()
                .find_map(|(base, _)| {
                    let rest = pointer.strip_prefix(&base)?;
                    rest.starts_with('/')
                        .then(|| rplint::schema::describe(Kind::Request, rest, markdown))?
                })
        })?;
        let span = spans.key.unwrap_or(spans.value);
        let name = rplint::pointer_tokens(&pointer)
            .last()
            .map(|t| t.into_owned())
            .unwrap_or_default();
        let (kind, value) = if markdown {
            let heading = format!("**{}** · {}", code_span(&name), code_span(&pointer));
            (MarkupKind::Markdown, format!("{heading}\n\n{described}"))
        } else {
            (
                MarkupKind::PlainText,
                format!("{name} ({pointer})\n\n{described}"),
            )
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind, value }),
            range: Some(index.range(span.start, span.end)),
        })
    }

    fn watch_configuration(&self) {
        let watchers = CONFIG_NAMES
            .iter()
            .map(|name| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let Ok(options) =
            serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers })
        else {
            return;
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "rplint-configuration".to_owned(),
                method: note::DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: Some(options),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from("rplint-watch".to_owned()),
            req::RegisterCapability::METHOD.to_owned(),
            params,
        )));
    }

    /// Publish `diagnostics` for the document the client named `raw_uri`.
    fn publish_raw(&self, raw_uri: &str, diagnostics: Vec<Value>, version: Option<i32>) {
        let mut params = json!({"uri": raw_uri, "diagnostics": diagnostics});
        if let Some(version) = version {
            params["version"] = json!(version);
        }
        self.notify(note::PublishDiagnostics::METHOD, params);
    }

    fn show(&self, typ: MessageType, message: String) {
        self.notify(
            note::ShowMessage::METHOD,
            ShowMessageParams { typ, message },
        );
    }

    fn log(&self, typ: MessageType, message: String) {
        self.notify(
            note::LogMessage::METHOD,
            lsp_types::LogMessageParams { typ, message },
        );
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Message::Notification(Notification::new(
            method.to_owned(),
            params,
        )));
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )));
    }

    fn send(&self, message: Message) {
        // The writer is gone only when stdout is: the reader ends the session then.
        let _ = self.sender.send(message);
    }
}

type Answer = Result<Value, (ErrorCode, String)>;

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("the parameters of {} cannot be read: {e}", request.method),
        )
    })
}

fn to_value(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// A workspace edit of the document the client named `raw_uri`, at `version` where the
/// client takes versioned edits.
fn workspace_edit(raw_uri: &str, version: i32, edits: Vec<TextEdit>, versioned: bool) -> Value {
    if versioned {
        json!({"documentChanges": [{
            "textDocument": {"uri": raw_uri, "version": version},
            "edits": edits,
        }]})
    } else {
        json!({"changes": {raw_uri: edits}})
    }
}

/// The path a document is checked as: its file, or for a document with no file (an
/// unsaved buffer), a name whose extension says its language.
fn path_of(uri: &Url, language: &str) -> PathBuf {
    if let Ok(path) = uri.to_file_path() {
        return path;
    }
    let extension = match language {
        "markdown" => "md",
        "mdx" => "mdx",
        "shellscript" | "sh" | "bash" => "sh",
        "python" => "py",
        "javascript" => "js",
        "javascriptreact" => "jsx",
        "typescript" => "ts",
        "typescriptreact" => "tsx",
        _ => "json",
    };
    PathBuf::from(format!("untitled.{extension}"))
}

fn is_config(uri: &Url) -> bool {
    uri.path_segments()
        .and_then(Iterator::last)
        .is_some_and(|name| CONFIG_NAMES.contains(&name))
}

/// A finding as a diagnostic: its message with its help, its rule as the code with a link to
/// the rule's documentation, and its labels as related information in the same document.
fn diagnostic(finding: &Finding, index: &LineIndex<'_>, raw_uri: &str) -> Value {
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let diagnostic = Diagnostic {
        range: index.range(finding.span.start, finding.span.end),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.to_owned())),
        code_description: Url::parse(&format!("{RULE_DOCS}#{}", finding.rule))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("rplint".to_owned()),
        message,
        ..Diagnostic::default()
    };
    let mut value = serde_json::to_value(diagnostic).unwrap_or(Value::Null);
    let related: Vec<Value> = (finding.labels.iter())
        .map(|label| {
            json!({
                "location": {
                    "uri": raw_uri,
                    "range": index.range(label.span.start, label.span.end),
                },
                "message": label.message,
            })
        })
        .collect();
    if !related.is_empty() {
        value["relatedInformation"] = Value::Array(related);
    }
    value
}

/// The edits that turn `before` into `after`: each run of changed characters on its own, so
/// that the editor keeps the cursor and folds, and no edit carries text the fixes left as it
/// was. The parts of `before` that frames mask (`hidden`, byte spans in order: secrets) are
/// found again in `after`, in order, and never enter an edit: the texts are compared between
/// them ([`diff_part`]). A character diff given up on as approximate (after 200 ms, on a large
/// document with many fixes) had re-inserted a secret's characters. Where a fix moved or
/// removed a secret, the whole texts are compared.
fn changed_parts(
    before: &str,
    after: &str,
    index: &LineIndex<'_>,
    hidden: &[(usize, usize)],
) -> Vec<TextEdit> {
    let mut pinned = Vec::new();
    let mut from = 0;
    for &(start, end) in hidden {
        let Some(piece) = before.get(start..end).filter(|p| !p.is_empty()) else {
            continue;
        };
        match memchr::memmem::find(&after.as_bytes()[from..], piece.as_bytes()) {
            Some(at) => {
                pinned.push((start, from + at, piece.len()));
                from += at + piece.len();
            }
            None => {
                pinned.clear();
                break;
            }
        }
    }
    let mut edits = Vec::new();
    let (mut before_at, mut after_at) = (0, 0);
    for (start, at, len) in pinned.into_iter().chain([(before.len(), after.len(), 0)]) {
        if start < before_at {
            continue;
        }
        edits.extend(diff_part(
            &before[before_at..start],
            &after[after_at..at],
            before_at,
            index,
        ));
        (before_at, after_at) = (start + len, at + len);
    }
    edits
}

/// The spans of `text` that `shown` (its text as frames show it, of the same length) shows
/// otherwise: the secrets it masks, as byte spans in order, on character boundaries.
fn hidden_spans(text: &str, shown: &str) -> Vec<(usize, usize)> {
    let (text_bytes, shown_bytes) = (text.as_bytes(), shown.as_bytes());
    if text_bytes.len() != shown_bytes.len() || text_bytes == shown_bytes {
        return Vec::new();
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at < text_bytes.len() {
        if text_bytes[at] == shown_bytes[at] {
            at += 1;
            continue;
        }
        let mut start = at;
        while at < text_bytes.len() && text_bytes[at] != shown_bytes[at] {
            at += 1;
        }
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(at) {
            at += 1;
        }
        spans.push((start, at));
    }
    spans
}

/// [`changed_parts`] of one part of the texts: `before` starts at byte `base` of the document
/// `index` reads. A character diff of what lies between the common prefix and suffix, given
/// up on as approximate after 200 ms.
fn diff_part(before: &str, after: &str, base: usize, index: &LineIndex<'_>) -> Vec<TextEdit> {
    if before == after {
        return Vec::new();
    }
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let most = before.len().min(after.len()) - prefix;
    let mut suffix = (before.bytes().rev())
        .zip(after.bytes().rev())
        .take(most)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    let old = &before[prefix..before.len() - suffix];
    let new = &after[prefix..after.len() - suffix];
    let offsets = |text: &str| -> Vec<usize> {
        (text.char_indices().map(|(i, _)| i))
            .chain(std::iter::once(text.len()))
            .collect()
    };
    let (old_at, new_at) = (offsets(old), offsets(new));
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_millis(200))
        .diff_chars(old, new);
    diff.ops()
        .iter()
        .filter_map(|op| {
            let (tag, from, to) = op.as_tag_tuple();
            (tag != similar::DiffTag::Equal).then(|| {
                TextEdit::new(
                    index.range(
                        base + prefix + old_at[from.start],
                        base + prefix + old_at[from.end],
                    ),
                    new[new_at[to.start]..new_at[to.end]].to_owned(),
                )
            })
        })
        .collect()
}

/// `text` as a Markdown code span, whatever backticks it holds.
fn code_span(text: &str) -> String {
    if !text.contains('`') && !text.is_empty() {
        return format!("`{text}`");
    }
    let mut fence = "`".to_owned();
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    format!("{fence} {text} {fence}")
}

/// `text` with its first letter upper case, for titles.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_all_edits_are_the_changed_characters_only() {
        let apply = |before: &str, edits: &[TextEdit], encoding| {
            // Edits are given against the original text: applied from the last.
            let mut text = before.to_owned();
            for edit in edits.iter().rev() {
                text::apply_change(&mut text, edit.range, &edit.new_text, encoding);
            }
            text
        };
        let before =
            "{\"a\": \"600000\", \"password\": \"Zq9vLm3KpW7xYt\", \"b\": \"7\", \"é\": 1}";
        let after = "{\"a\": 600000, \"password\": \"Zq9vLm3KpW7xYt\", \"b\": 7, \"é\": 1}";
        let index = LineIndex::new(before, Encoding::Utf16);
        let edits = changed_parts(before, after, &index, &[]);
        assert_eq!(apply(before, &edits, Encoding::Utf16), after);
        assert_eq!(edits.len(), 4, "{edits:?}");
        assert!(edits.iter().all(|e| e.new_text.is_empty()), "{edits:?}");
        // Multi-byte characters are never split.
        let (before, after) = ("xé", "xè");
        let index = LineIndex::new(before, Encoding::Utf8);
        let edits = changed_parts(before, after, &index, &[]);
        assert_eq!(apply(before, &edits, Encoding::Utf8), after);
        assert_eq!(edits[0].new_text, "è");
    }

    /// The parts frames mask are found again after the fixes and kept out of every edit, so
    /// an approximate diff cannot carry them; where a fix moved one, the texts are compared
    /// whole, and the edits still make the fixed text.
    #[test]
    fn fix_all_edits_never_carry_a_masked_part() {
        let apply = |before: &str, edits: &[TextEdit]| {
            let mut text = before.to_owned();
            for edit in edits.iter().rev() {
                text::apply_change(&mut text, edit.range, &edit.new_text, Encoding::Utf8);
            }
            text
        };
        let secret = "Zq8vLm3NpR7tWx2K";
        let numbers = |n: &str| -> String {
            (0..300)
                .map(|i| format!("{{\"q\": \"06e.5{i}\", \"t\": {n}}}"))
                .collect::<Vec<_>>()
                .join(",\n")
        };
        let before = format!(
            "[{},\n{{\"accessSecret\": \"{secret}\"}},\n{}]",
            numbers("60000000000e-5"),
            numbers("60000000000e-5")
        );
        let after = format!(
            "[{},\n{{\"accessSecret\": \"{secret}\"}},\n{}]",
            numbers("600000"),
            numbers("600000")
        );
        let shown = before.replace(secret, &"*".repeat(secret.len()));
        let hidden = hidden_spans(&before, &shown);
        assert_eq!(hidden.len(), 1);
        let index = LineIndex::new(&before, Encoding::Utf8);
        let edits = changed_parts(&before, &after, &index, &hidden);
        assert_eq!(apply(&before, &edits), after);
        let parts: Vec<String> = (0..secret.len() - 3)
            .map(|i| secret[i..i + 4].to_owned())
            .collect();
        assert!(
            edits
                .iter()
                .all(|e| parts.iter().all(|p| !e.new_text.contains(p.as_str()))),
            "{edits:?}"
        );
        // A fix that removed the secret: compared whole, still right.
        let moved = after.replace(secret, "");
        let edits = changed_parts(&before, &moved, &index, &hidden);
        assert_eq!(apply(&before, &edits), moved);
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code_span("ttl"), "`ttl`");
        assert_eq!(capitalized("write `6`"), "Write `6`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }
}
