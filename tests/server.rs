//! `rplint server`, driven over stdio by a scripted client that speaks the protocol as an
//! editor does: framing, initialize, documents opened and edited, code actions, hovers,
//! configuration changes, hostile messages, shutdown.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Long enough for a debug build on a loaded machine; a hang still fails.
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for another one.
    seen: Vec<Value>,
}

impl Client {
    /// Start the server and initialize it with `capabilities`, in workspace `root`.
    fn start(root: &Path, capabilities: Value) -> (Self, Value) {
        let root_uri = uri(root);
        Self::start_with(
            root,
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "root"}],
                "capabilities": capabilities,
            }),
        )
    }

    /// Start the server in `root` without initializing it.
    fn spawn(root: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (to_test, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.unwrap()];
                reader.read_exact(&mut body).unwrap();
                if to_test
                    .send(serde_json::from_slice::<Value>(&body).unwrap())
                    .is_err()
                {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            messages,
            next_id: 0,
            seen: Vec::new(),
        }
    }

    /// Start the server in `root` and initialize it with `params`.
    fn start_with(root: &Path, params: Value) -> (Self, Value) {
        let mut client = Self::spawn(root);
        let result = client.request("initialize", params);
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (its `result`; panics on an error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_response(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn request_response(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The first message that `wanted` accepts, among those seen already and then those to
    /// come (the others are kept in `seen`).
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.seen.iter().position(&wanted) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no such message; seen {:?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server ended; seen {:?}", self.seen)
                }
            }
        }
    }

    /// The next diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let published = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.diagnostics(uri, 1)
    }

    /// `shutdown` then `exit`: the exit code.
    fn stop(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn rules(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

/// The protocol position of byte `offset` of `text`, counting UTF-16 units.
fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": before[start..].encode_utf16().count()})
}

/// `text` with protocol text edits applied (UTF-16 positions, edits in any order).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (at, c) in text[start..].char_indices() {
            if units >= character {
                return start + at;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in spans {
        out.replace_range(start..end, new_text);
    }
    out
}

const REQUEST: &str = "{\n  \"input\": {\"prompt\": \"a 😀 cat\"}, \"policy\": {\"executionTimeout\": \"600000\", \"ttll\": 60000}\n}\n";

#[test]
fn diagnostics_count_utf16_units_and_follow_edits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, init) = Client::start(dir.path(), json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let doc = uri(&dir.path().join("request.json"));
    let diagnostics = client.open(&doc, "json", REQUEST);
    assert_eq!(rules(&diagnostics), ["invalid-type", "unknown-key"]);
    // After an emoji (two UTF-16 units, four bytes): columns as the editor counts them.
    let value = REQUEST.find("\"600000\"").unwrap();
    assert_eq!(
        diagnostics[0]["range"]["start"],
        utf16_position(REQUEST, value)
    );
    assert_eq!(
        diagnostics[0]["range"]["end"],
        utf16_position(REQUEST, value + "\"600000\"".len())
    );
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(diagnostics[0]["source"], "rplint");
    assert!(
        diagnostics[0]["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("rules.md#invalid-type")
    );
    assert!(
        diagnostics[1]["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `ttl`?"),
        "{}",
        diagnostics[1]
    );

    // An incremental edit that fixes the key: the diagnostics follow the new version.
    let key = REQUEST.find("\"ttll\"").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": doc, "version": 2},
            "contentChanges": [{
                "range": {"start": utf16_position(REQUEST, key + 4), "end": utf16_position(REQUEST, key + 5)},
                "text": ""
            }]
        }),
    );
    assert_eq!(rules(&client.diagnostics(&doc, 2)), ["invalid-type"]);
    // A whole-text change.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 3}, "contentChanges": [{"text": "{\"input\": {}}"}]}),
    );
    assert!(client.diagnostics(&doc, 3).is_empty());
    // Closing clears them.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": doc}}),
    );
    let cleared = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_duplicate_key_names_its_first_occurrence() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let doc = uri(&dir.path().join("request.json"));
    let text = "{\"input\": {\"😀\": 1},\n \"webhook\": \"https://a.example/1\",\n \"webhook\": \"https://a.example/2\"}";
    let diagnostics = client.open(&doc, "json", text);
    assert_eq!(rules(&diagnostics), ["duplicate-key"]);
    let second = text.rfind("\"webhook\"").unwrap();
    assert_eq!(
        diagnostics[0]["range"]["start"],
        utf16_position(text, second)
    );
    let related = &diagnostics[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], doc.as_str());
    assert_eq!(
        related["location"]["range"]["start"],
        utf16_position(text, text.find("\"webhook\"").unwrap())
    );
    assert_eq!(related["message"], "first defined here");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn the_encoding_the_client_offers_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, init) = Client::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-32", "utf-8"]}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let doc = uri(&dir.path().join("request.json"));
    let diagnostics = client.open(&doc, "json", REQUEST);
    let value = REQUEST.find("\"600000\"").unwrap();
    let line_start = REQUEST[..value].rfind('\n').unwrap() + 1;
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 1, "character": value - line_start})
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn code_actions_apply_the_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(
        dir.path(),
        json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
    );
    let doc = uri(&dir.path().join("request.json"));
    let diagnostics = client.open(&doc, "json", REQUEST);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": doc},
            "range": diagnostics[1]["range"],
            "context": {"diagnostics": [diagnostics[1]]}
        }),
    );
    let actions = actions.as_array().unwrap();
    // At the misspelt key: its rename (unsafe: not preferred), and "fix all safe".
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Rename it `ttl` (unknown-key; changes the request)",
            "Apply rplint's safe fix"
        ]
    );
    let rename = &actions[0];
    assert_eq!(rename["kind"], "quickfix");
    assert_eq!(rename["isPreferred"], false);
    assert_eq!(rename["diagnostics"][0]["code"], "unknown-key");
    let change = &rename["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 1);
    let renamed = apply_edits(REQUEST, change["edits"].as_array().unwrap());
    assert_eq!(renamed, REQUEST.replace("\"ttll\"", "\"ttl\""));

    let fix_all = &actions[1];
    assert_eq!(fix_all["kind"], "source.fixAll.rplint");
    let fixed = apply_edits(
        REQUEST,
        fix_all["edit"]["documentChanges"][0]["edits"]
            .as_array()
            .unwrap(),
    );
    assert_eq!(fixed, REQUEST.replace("\"600000\"", "600000"));

    // Asked only for "fix all" (as editors do on save), over the whole document.
    let only = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["kind"], "source.fixAll.rplint");
    // No action where nothing is fixed.
    let none = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix"]}
        }),
    );
    assert_eq!(none, json!([]));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn hover_shows_the_documentation_of_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let doc = uri(&dir.path().join("request.json"));
    client.open(&doc, "json", REQUEST);
    let key = REQUEST.find("executionTimeout").unwrap();
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc}, "position": utf16_position(REQUEST, key + 3)}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**`executionTimeout`** · `/policy/executionTimeout`"),
        "{text}"
    );
    assert!(text.contains("milliseconds"), "{text}");
    assert_eq!(
        hover["range"]["start"],
        utf16_position(REQUEST, key - 1),
        "the key with its quotes"
    );
    // Inside the free-form input: nothing to say.
    let prompt = REQUEST.find("prompt").unwrap();
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc}, "position": utf16_position(REQUEST, prompt)}),
    );
    assert_eq!(nothing, Value::Null);

    // A request inside a Hub tests file.
    let tests = "{\"tests\": [{\"name\": \"t\", \"input\": {}, \"timeout\": 10000}]}";
    let tests_uri = uri(&dir.path().join(".runpod/tests.json"));
    client.open(&tests_uri, "json", tests);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": tests_uri}, "position": utf16_position(tests, tests.find("timeout").unwrap())}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("/tests/0/timeout"),
        "{hover}"
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn the_workspace_configuration_applies_and_reloads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rplint.toml"),
        "ignore = [\"unknown-key\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let (mut client, _) = Client::start(
        dir.path(),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    // The server asks to be told when configuration files change.
    let register = client.wait(|m| m["method"] == "client/registerCapability");
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/rplint.toml");
    let id = register["id"].clone();
    client.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));

    // In a subdirectory, the workspace folder's configuration applies.
    let doc = uri(&dir.path().join("sub/request.json"));
    assert_eq!(rules(&client.open(&doc, "json", REQUEST)), ["invalid-type"]);

    std::fs::write(
        dir.path().join("rplint.toml"),
        "ignore = [\"invalid-type\"]\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&dir.path().join("rplint.toml")), "type": 2}]}),
    );
    assert_eq!(rules(&client.diagnostics(&doc, 1)), ["unknown-key"]);

    // A configuration that cannot be used is said, and the defaults apply.
    std::fs::write(
        dir.path().join("rplint.toml"),
        "ignore = [\"no-such-rule\"]\n",
    )
    .unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&dir.path().join("rplint.toml"))}}),
    );
    let shown = client.wait(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-rule"),
        "{shown}"
    );
    assert_eq!(
        rules(&client.diagnostics(&doc, 1)),
        ["invalid-type", "unknown-key"]
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn bodies_in_markdown_and_code_are_checked_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let markdown = "# Use\n\n```json\n{\"input\": {}, \"policy\": {\"ttl\": \"60000\"}}\n```\n";
    let doc = uri(&dir.path().join("README.md"));
    let diagnostics = client.open(&doc, "markdown", markdown);
    assert_eq!(rules(&diagnostics), ["invalid-type"]);
    let value = markdown.find("\"60000\"").unwrap();
    assert_eq!(
        diagnostics[0]["range"]["start"],
        utf16_position(markdown, value)
    );
    // An unsaved buffer is read as its language says.
    let python = "import requests\nrequests.post('https://api.runpod.ai/v2/abc/run', json={'input': {}, 'webhok': 'https://x.example/h'})\n";
    let diagnostics = client.open("untitled:Untitled-1", "python", python);
    assert_eq!(rules(&diagnostics), ["unknown-key"]);
    // A JSON file that is no RunPod document has nothing to say.
    let package = uri(&dir.path().join("package.json"));
    assert!(
        client
            .open(
                &package,
                "json",
                "{\"name\": \"x\", \"version\": \"1.0.0\"}"
            )
            .is_empty()
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn secrets_never_reach_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let secret = "S3cretValue9xyz";
    let text = format!(
        "{{\"input\": {{}}, \"webhook\": \"https://user:{secret}@h.example.com/x\", \"s3Config\": {{\"accessId\": \"a\", \"accessSecret\": \"{secret}\", \"bucketName\": \"B\", \"endpointUrl\": \"{secret}\"}}}}"
    );
    let doc = uri(&dir.path().join("request.json"));
    let diagnostics = client.open(&doc, "json", &text);
    assert!(!diagnostics.is_empty());
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 999}},
            "context": {"diagnostics": []}
        }),
    );
    let said = format!("{diagnostics:?}{actions}{:?}", client.seen);
    for fragment in secret.as_bytes().windows(6) {
        let fragment = std::str::from_utf8(fragment).unwrap();
        assert!(!said.contains(fragment), "{fragment} in {said}");
    }
    assert_eq!(client.stop(), Some(0));
}

/// "Fix all" over a batch of 400 requests with 800 safe fixes and one secret: the character
/// diff that makes its edits gives up as approximate on a document that size, and had then
/// re-inserted the secret's characters; the secret is now kept out of every edit, and the
/// edits still make the fixed text.
#[test]
fn fix_all_over_many_fixes_never_carries_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rplint.toml"), "route = \"batch\"\n").unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let secret = "Zq8vLm3NpR7tWx2K";
    // Every request's `q` is the same noise of the characters the fixes change.
    let mut state: u32 = 1;
    let q: String = (0..100)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b"06e.5"[(state >> 16) as usize % 5])
        })
        .collect();
    let requests: Vec<String> = (0..400)
        .map(|i| {
            let s3 = if i == 200 {
                format!(", \"s3Config\": {{\"accessId\": \"a\", \"accessSecret\": \"{secret}\", \"bucketName\": \"bb-b\", \"endpointUrl\": \"https://s3.example.com\"}}")
            } else {
                String::new()
            };
            format!("{{\"input\": {{\"p\": {i}, \"q\": \"{q}\"}}, \"policy\": {{\"executionTimeout\": 60000000000e-5, \"ttl\": 60000000000e-5}}{s3}}}")
        })
        .collect();
    let text = format!("[\n{}\n]\n", requests.join(",\n"));
    let doc = uri(&dir.path().join("batch.json"));
    client.open(&doc, "json", &text);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let edits = actions[0]["edit"]["changes"][&doc].as_array().unwrap();
    let fixed = apply_edits(&text, edits);
    assert_eq!(fixed, text.replace("60000000000e-5", "600000"));
    let said = actions.to_string();
    for fragment in secret.as_bytes().windows(6) {
        let fragment = std::str::from_utf8(fragment).unwrap();
        assert!(!said.contains(fragment), "{fragment}");
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn hostile_messages_and_documents_never_end_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    // Not JSON, with and without an id: an error answer, or a log line.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let logged = client.wait(|m| m["method"] == "window/logMessage");
    assert!(
        logged["params"]["message"]
            .as_str()
            .unwrap()
            .contains("not JSON-RPC")
    );
    let body = br#"{"jsonrpc":"2.0","id":77,"method":{"x":1}}"#;
    client.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    client.send_raw(body);
    let answer = client.wait(|m| m["id"] == 77);
    assert_eq!(answer["error"]["code"], -32600);
    // Parameters of the wrong shape; methods rplint does not answer.
    let wrong = client.request_response("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(wrong["error"]["code"], -32602);
    let unknown = client.request_response("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    client.notify("textDocument/didOpen", json!({"textDocument": "x"}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.json", "version": 2}, "contentChanges": [{"text": "{}"}]}),
    );
    // Edits with positions outside the text, and documents rplint must survive.
    let doc = uri(&dir.path().join("request.json"));
    client.open(&doc, "json", "{\"input\": {}}");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": doc, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 99, "character": 5}, "end": {"line": 0, "character": 4000000000u64}}, "text": "\u{1f600}"}]
        }),
    );
    client.diagnostics(&doc, 2);
    let deep = format!(
        "{{\"input\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let bytes: String = (0..200_000u32)
        .map(|i| char::from_u32(i.wrapping_mul(2_654_435_761) % 0x7f).unwrap_or('x'))
        .collect();
    let duplicates = format!(
        "{{\"input\": {{}}, {}}}",
        vec!["\"accessSecret\": \"S3cretValue9\""; 50_000].join(",")
    );
    for (version, text) in [(3, deep), (4, bytes), (5, duplicates)] {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let diagnostics = client.diagnostics(&doc, version);
        assert!(diagnostics.len() <= 1_001, "{}", diagnostics.len());
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn keystrokes_that_queue_up_are_checked_once_at_their_end() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let doc = uri(&dir.path().join("request.json"));
    let start = "{\"input\": {}, \"policy\": {\"executionTimeout\": 1}}";
    assert_eq!(
        rules(&client.open(&doc, "json", start)),
        ["execution-timeout-range"]
    );
    // Type `00000` after the `1`, one keystroke per change.
    let at = start.find('1').unwrap() + 1;
    for (i, version) in (2..7).enumerate() {
        let position = json!({"line": 0, "character": at + i});
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": doc, "version": version},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": "0"}]
            }),
        );
    }
    // The last version is published, checked as the text it ends with (100,000 ms).
    let last = client.diagnostics(&doc, 6);
    assert!(last.is_empty(), "{last:?}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn exit_without_shutdown_is_an_error_and_a_closed_input_ends_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
    let (mut client, _) = Client::start(dir.path(), json!({}));
    client.stdin = None;
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn initialize_reads_what_it_uses_and_nothing_before_it_ends_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::spawn(dir.path());
    // Before `initialize`: a response, and a request (refused, its parameters not quoted).
    client.send(&json!({"jsonrpc": "2.0", "id": 90, "result": null}));
    let early = client.request_response("textDocument/hover", json!({"secret": "S3cretValue9"}));
    assert_eq!(early["error"]["code"], -32002);
    assert!(!early.to_string().contains("S3cretValue9"), "{early}");
    // Values a newer protocol (or a careless client) sends: ignored where not used.
    let result = client.request(
        "initialize",
        json!({
            "processId": -1,
            "trace": "bogus",
            "rootUri": "relative/path",
            "capabilities": {
                "textDocument": {"hover": {"contentFormat": ["html", "plaintext"]}},
                "workspace": {"workspaceEdit": {"failureHandling": "explode", "resourceOperations": ["move"]}},
                "general": {"positionEncodings": ["utf-32", "utf-99"]}
            }
        }),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-32");
    client.notify("initialized", json!({}));
    let again = client.request_response("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600);
    // Hover in plain text, as the client asked.
    let doc = uri(&dir.path().join("request.json"));
    client.open(&doc, "json", REQUEST);
    let key = REQUEST.find("executionTimeout").unwrap();
    let line_start = REQUEST[..key].rfind('\n').unwrap() + 1;
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc}, "position": {"line": 1, "character": REQUEST[line_start..key].chars().count()}}),
    );
    assert_eq!(hover["contents"]["kind"], "plaintext", "{hover}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn documents_are_named_back_as_the_client_wrote_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    // `file:/` (one slash, as some clients write it) and a space not percent-encoded.
    let written = format!("file:{}/my request.json", dir.path().display());
    let diagnostics = client.open(&written, "json", REQUEST);
    assert_eq!(rules(&diagnostics), ["invalid-type", "unknown-key"]);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": written},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": []}
        }),
    );
    assert!(
        actions[0]["edit"]["changes"]
            .get(written.as_str())
            .is_some(),
        "{actions}"
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_change_that_cannot_be_read_never_leaves_a_drifted_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    let doc = uri(&dir.path().join("request.json"));
    let text = "{\"input\": {\"p\": \"x\"}, \"policy\": {\"ttl\": \"600000\"}}";
    client.open(&doc, "json", text);
    // A lone surrogate (an editor cutting an emoji in half) is read as U+FFFD: one UTF-16
    // unit, as the editor counts it, so later positions stay right.
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{doc}","version":2}},"contentChanges":[{{"range":{{"start":{{"line":0,"character":17}},"end":{{"line":0,"character":17}}}},"text":"\ud83d"}}]}}}}"#
    );
    client.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let diagnostics = client.diagnostics(&doc, 2);
    let now = text.replacen("\"x\"", "\"x\u{fffd}\"", 1);
    let value = now.find("\"600000\"").unwrap();
    assert_eq!(
        diagnostics[0]["range"]["start"],
        utf16_position(&now, value)
    );
    // A change of the wrong shape: the document is forgotten, not checked as a copy that
    // differs from the editor's.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 3}, "contentChanges": [{"text": "{}"}, {"range": 7}]}),
    );
    let cleared = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    let warned = client.wait(|m| m["method"] == "window/showMessage");
    assert!(
        warned["params"]["message"]
            .as_str()
            .unwrap()
            .contains("reopen")
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 99}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, json!([]));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_broken_configuration_is_said_once_however_many_documents_it_covers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rplint.toml"),
        "ignore = [\"no-such-rule\"]\n",
    )
    .unwrap();
    // No workspace folder (a single-file editor session): each document's directory.
    let (mut client, _) = Client::start_with(dir.path(), json!({"capabilities": {}}));
    for sub in ["a", "b", "c"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        client.open(
            &uri(&dir.path().join(sub).join("request.json")),
            "json",
            REQUEST,
        );
    }
    let said = client.request("shutdown", Value::Null);
    assert_eq!(said, Value::Null);
    let shown = client
        .seen
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .count();
    assert_eq!(shown, 1, "{:?}", client.seen);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

#[test]
fn a_request_cancelled_while_the_server_works_is_not_computed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(dir.path(), json!({}));
    // A minified batch of 3,000 fixable requests keeps the server busy for a while.
    std::fs::write(
        dir.path().join("rplint.toml"),
        "[[overrides]]\nfiles = [\"*.json\"]\nroute = \"batch\"\n",
    )
    .unwrap();
    let one = "{\"input\": {}, \"policy\": {\"ttl\": \"600000\"}}";
    let batch = format!("[{}]", vec![one; 3_000].join(","));
    let doc = uri(&dir.path().join("batch.json"));
    // In one write with the document that keeps it busy, so that both are read while it
    // checks: a code action and its cancellation.
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params":
        {"textDocument": {"uri": doc, "languageId": "json", "version": 1, "text": batch}}});
    let request = json!({"jsonrpc": "2.0", "id": 501, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": doc},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}
    }});
    let cancel = json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 501}});
    let mut bytes = Vec::new();
    for message in [open, request, cancel] {
        let body = serde_json::to_vec(&message).unwrap();
        bytes.extend(format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes());
        bytes.extend(body);
    }
    client.send_raw(&bytes);
    let answer = client.wait(|m| m["id"] == 501);
    assert_eq!(answer["error"]["code"], -32800, "{answer}");
    // A code action at one finding of the long line answers with that finding's fix only.
    let diagnostics = client.diagnostics(&doc, 1);
    assert_eq!(diagnostics.len(), 1_001);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc}, "range": diagnostics[500]["range"], "context": {"diagnostics": [], "only": ["quickfix"]}}),
    );
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions}");
    assert_eq!(client.stop(), Some(0));
}
