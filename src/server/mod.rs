//! `rplint server`: the Language Server Protocol over stdin and stdout.
//!
//! The editor sends each open document's text; the server checks it with the one pipeline
//! ([`rplint::pipeline::check_file`], as a directory walk would: RunPod documents and the
//! bodies in Markdown, shell, Python and JavaScript) and publishes the findings as
//! diagnostics. It answers:
//! - `textDocument/codeAction`: each finding's fix as a quick fix (safe ones preferred), and
//!   `source.fixAll.rplint`, every safe fix applied in passes as `rplint check --fix` does;
//! - `textDocument/hover`: the documentation the kind's schema gives the key under the cursor.
//!
//! Positions are counted in the encoding the client offers (UTF-8, else UTF-32, else the
//! protocol's default UTF-16; see [`text`]). The configuration (`rplint.toml`, or
//! `pyproject.toml` with `[tool.rplint]`) is found from each workspace folder's root as
//! `rplint check` run there finds it (from the document's directory outside every folder),
//! and read again when a configuration file is saved or the client reports it changed.
//! Keystrokes that arrive while a check runs are applied together, and the document is
//! checked once for all of them.

pub mod text;
pub mod transport;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CodeDescription, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentChanges, FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, Location, MarkupContent,
    MarkupKind, MessageType, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier,
    PublishDiagnosticsParams, Registration, RegistrationParams, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentEdit, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Url, WorkspaceEdit,
};

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
    let code = match Server::start(&connection) {
        Ok(mut server) => server.serve(&connection),
        Err(why) => {
            let _ = writeln!(std::io::stderr(), "rplint server: {why}");
            1
        }
    };
    drop(connection);
    let _ = writer.join();
    code
}

/// An open document.
#[derive(Debug)]
struct Doc {
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
    folders: Vec<PathBuf>,
    projects: HashMap<PathBuf, Project>,
    docs: HashMap<Url, Doc>,
    /// Documents changed since they were last published.
    dirty: BTreeSet<Url>,
    shut_down: bool,
}

impl Server {
    /// Answer `initialize` and wait for `initialized`.
    fn start(connection: &Connection) -> Result<Self, String> {
        let (id, params) = connection
            .initialize_start()
            .map_err(|e| format!("no initialize request: {e}"))?;
        let params: InitializeParams = serde_json::from_value(params)
            .map_err(|e| format!("the initialize request cannot be read: {e}"))?;
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let workspace = params.capabilities.workspace.as_ref();
        let document_changes = workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        let hover_markdown = (params.capabilities.text_document.as_ref())
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|formats| formats.contains(&MarkupKind::Markdown));
        let watch = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        #[allow(deprecated, reason = "rootUri is the only root older clients send")]
        let folders: Vec<PathBuf> = match &params.workspace_folders {
            Some(folders) => folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().ok())
                .collect(),
            None => params
                .root_uri
                .iter()
                .filter_map(|u| u.to_file_path().ok())
                .collect(),
        };
        let result = InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
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
        };
        let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
        connection
            .initialize_finish(id, result)
            .map_err(|e| format!("no initialized notification: {e}"))?;
        let server = Self {
            sender: connection.sender.clone(),
            encoding,
            document_changes,
            hover_markdown,
            folders,
            projects: HashMap::new(),
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
            shut_down: false,
        };
        if watch {
            server.watch_configuration();
        }
        Ok(server)
    }

    /// Handle messages until `exit`; check the changed documents whenever no message waits.
    fn serve(&mut self, connection: &Connection) -> u8 {
        while let Ok(message) = connection.receiver.recv() {
            if let Some(code) = self.handle(message) {
                return code;
            }
            while let Ok(message) = connection.receiver.try_recv() {
                if let Some(code) = self.handle(message) {
                    return code;
                }
            }
            self.publish_dirty();
        }
        // stdin closed without `exit`.
        1
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
            req::Shutdown::METHOD => {
                self.shut_down = true;
                Ok(serde_json::Value::Null)
            }
            req::CodeActionRequest::METHOD => {
                params::<CodeActionParams>(request).and_then(|p| to_value(self.code_actions(&p)))
            }
            req::HoverRequest::METHOD => {
                params::<HoverParams>(request).and_then(|p| to_value(self.hover(&p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("rplint does not answer {other}"),
            )),
        };
        match answer {
            Ok(value) => self.send(Message::Response(Response::new_ok(id, value))),
            Err((code, why)) => self.error(id, code, why),
        }
    }

    fn notification(&mut self, notification: Notification) -> Option<u8> {
        match notification.method.as_str() {
            note::Exit::METHOD => return Some(if self.shut_down { 0 } else { 1 }),
            note::DidOpenTextDocument::METHOD => {
                if let Some(p) = note_params::<DidOpenTextDocumentParams>(notification) {
                    let uri = p.text_document.uri;
                    self.docs.insert(
                        uri.clone(),
                        Doc {
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
                if let Some(p) = note_params::<DidChangeTextDocumentParams>(notification) {
                    self.change(p);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Some(p) = note_params::<DidCloseTextDocumentParams>(notification) {
                    let uri = p.text_document.uri;
                    self.docs.remove(&uri);
                    self.dirty.remove(&uri);
                    self.publish(uri, Vec::new(), None);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                if let Some(p) = note_params::<DidSaveTextDocumentParams>(notification)
                    && is_config(&p.text_document.uri)
                {
                    self.reload();
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = note_params::<DidChangeWatchedFilesParams>(notification)
                    && p.changes.iter().any(|c| is_config(&c.uri))
                {
                    self.reload();
                }
            }
            note::DidChangeWorkspaceFolders::METHOD => {
                if let Some(p) = note_params::<DidChangeWorkspaceFoldersParams>(notification) {
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
        self.projects.clear();
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
            let mut diagnostics: Vec<Diagnostic> = (checked.findings.iter())
                .take(MOST_DIAGNOSTICS)
                .map(|f| diagnostic(f, &index, &uri))
                .collect();
            let more = checked.findings.len().saturating_sub(MOST_DIAGNOSTICS);
            if more > 0 {
                diagnostics.push(Diagnostic {
                    range: index.range(0, 0),
                    severity: Some(DiagnosticSeverity::INFORMATION),
                    source: Some("rplint".to_owned()),
                    message: format!(
                        "{more} more findings are not shown here: run `rplint check` on the file"
                    ),
                    ..Diagnostic::default()
                });
            }
            let version = doc.version;
            self.publish(uri, diagnostics, Some(version));
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
        let (findings, kind) = if excluded {
            (Vec::new(), None)
        } else {
            let source = Source::new(path.display().to_string(), doc.text.clone());
            let outcome = rplint::pipeline::check_file(&source, &config, Some(&path), true);
            let kind = outcome.kind.filter(|_| outcome.host.is_none());
            (outcome.findings, kind)
        };
        doc.checked = Some(Checked {
            findings,
            kind,
            path,
            config,
        });
    }

    /// The configuration for a document: found from its workspace folder's root (the
    /// longest folder that holds it), else from its own directory.
    fn project_for(&mut self, uri: &Url, path: &Path) -> Project {
        if uri.scheme() != "file" {
            return None;
        }
        let dir = (self.folders.iter())
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.as_os_str().len())
            .cloned()
            .or_else(|| path.parent().map(Path::to_path_buf))?;
        if let Some(project) = self.projects.get(&dir) {
            return project.clone();
        }
        let found = ProjectConfig::find(&dir)
            .and_then(|path| path.map(|p| ProjectConfig::load(&p)).transpose());
        let project = match found {
            Ok(project) => project.map(Arc::new),
            Err(e) => {
                let why = rplint::report::sanitize(&e.to_string()).into_owned();
                self.show(
                    MessageType::ERROR,
                    format!(
                        "rplint: the configuration for {} cannot be used, so its documents \
                         are checked with the default rules: {why}",
                        dir.display()
                    ),
                );
                None
            }
        };
        self.projects.insert(dir, project.clone());
        project
    }

    fn code_actions(&mut self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        self.ensure_checked(uri);
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let Some(checked) = &doc.checked else {
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
        let index = LineIndex::new(&doc.text, self.encoding);
        let mut actions = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for finding in &checked.findings {
                let Some(fix) = &finding.fix else {
                    continue;
                };
                let range = index.range(finding.span.start, finding.span.end);
                if !overlaps(range, p.range) {
                    continue;
                }
                let safe = fix.applicability == Applicability::Safe;
                let edits = (fix.edits.iter())
                    .map(|e| {
                        TextEdit::new(index.range(e.span.start, e.span.end), e.replacement.clone())
                    })
                    .collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if safe {
                        format!("{} ({})", capitalized(&fix.message), finding.rule)
                    } else {
                        let message = capitalized(&fix.message);
                        format!("{message} ({}; changes the request)", finding.rule)
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic(finding, &index, uri)]),
                    edit: Some(self.workspace_edit(uri, doc.version, edits)),
                    is_preferred: Some(safe),
                    ..CodeAction::default()
                }));
            }
        }
        let any_safe = (checked.findings.iter()).any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        });
        if wanted(FIX_ALL) && any_safe {
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
            if rounds.applied > 0 && !rounds.breaks_json {
                let edit = minimal_edit(&doc.text, &rounds.text, &index);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: match rounds.applied {
                        1 => "Apply rplint's safe fix".to_owned(),
                        n => format!("Apply rplint's {n} safe fixes"),
                    },
                    kind: Some(CodeActionKind::new(FIX_ALL)),
                    edit: Some(self.workspace_edit(uri, doc.version, vec![edit])),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }

    fn workspace_edit(&self, uri: &Url, version: i32, edits: Vec<TextEdit>) -> WorkspaceEdit {
        if self.document_changes {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: Some(version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }
        }
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

    fn publish(&self, uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notify(
            note::PublishDiagnostics::METHOD,
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
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

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("the parameters of {} cannot be read: {e}", request.method),
        )
    })
}

fn note_params<P: serde::de::DeserializeOwned>(notification: Notification) -> Option<P> {
    serde_json::from_value(notification.params).ok()
}

fn to_value(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
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
/// the rule's documentation, and its labels as related information.
fn diagnostic(finding: &Finding, index: &LineIndex<'_>, uri: &Url) -> Diagnostic {
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = (finding.labels.iter())
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(label.span.start, label.span.end)),
            message: label.message.clone(),
        })
        .collect();
    Diagnostic {
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
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// Whether two ranges share a position (an empty range at a diagnostic's edge counts).
fn overlaps(a: lsp_types::Range, b: lsp_types::Range) -> bool {
    let key = |p: lsp_types::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// One edit that turns `before` into `after`: the bytes between their common prefix and
/// suffix, so that the editor keeps the cursor and folds outside it.
fn minimal_edit(before: &str, after: &str, index: &LineIndex<'_>) -> TextEdit {
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
    TextEdit::new(
        index.range(prefix, before.len() - suffix),
        after[prefix..after.len() - suffix].to_owned(),
    )
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
    fn the_minimal_edit_is_the_changed_middle() {
        let before = "{\"a\": \"600000\", \"b\": \"é\"}";
        let after = "{\"a\": 600000, \"b\": \"é\"}";
        let index = LineIndex::new(before, Encoding::Utf16);
        let edit = minimal_edit(before, after, &index);
        let mut text = before.to_owned();
        text::apply_change(&mut text, edit.range, &edit.new_text, Encoding::Utf16);
        assert_eq!(text, after);
        assert_eq!(edit.new_text, "600000");
        // Multi-byte characters are never split.
        let (before, after) = ("xé", "xè");
        let index = LineIndex::new(before, Encoding::Utf8);
        let edit = minimal_edit(before, after, &index);
        assert_eq!(edit.new_text, "è");
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code_span("ttl"), "`ttl`");
        assert_eq!(capitalized("write `6`"), "Write `6`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }
}
