//! Shell hosts, read with tree-sitter's bash grammar: every `curl` command that posts a body
//! to a job route (`/run`, `/runsync`, `/batch`, `/batch/{id}/requests`).
//!
//! The body is what the shell hands curl: `'…'` is literal, `"…"` loses its `\"`, `\\`, `\$`
//! and `` \` `` backslashes and expands `$VAR` (the expanded text is not known, so findings
//! about a value written with it are not given), `$'…'` reads C escapes, and a line ends in
//! `\` to go on. curl's own rules are from its `data`, `data-raw`, `data-binary` and `json`
//! option pages: repeated data options are joined with `&` (`--json` pieces with nothing),
//! `@file` reads a file, and lower-case `-x` is `--proxy`.

use tree_sitter::Node;

use super::{Embedded, Extraction, KindHint, OffsetMap, Passed, job_route};
use crate::config::Route;
use crate::finding::{Finding, Span, Target};
use crate::kind::Kind;

/// How deep the syntax tree is walked for commands (a deeper tree is generated code).
const MAX_DEPTH: usize = 256;

/// One shell word as the command receives it: its text, where each byte was written in the
/// shell text, and which byte ranges are expanded by the shell.
#[derive(Debug, Default, Clone)]
struct Word {
    text: String,
    map: OffsetMap,
    computed: Vec<Span>,
    /// The word's span in the shell text.
    span: Span,
}

impl Word {
    fn copy(&mut self, src: &str, start: usize, end: usize) {
        if let Some(piece) = src.get(start..end) {
            self.map.copied(piece.len(), start);
            self.text.push_str(piece);
        }
    }

    /// `decoded` for the `len` shell bytes at `at`.
    fn rewrite(&mut self, decoded: &str, at: usize, len: usize) {
        self.map.piece(decoded.len(), at, len);
        self.text.push_str(decoded);
    }

    fn computed(&mut self, src: &str, start: usize, end: usize) {
        let from = self.text.len();
        self.copy(src, start, end);
        self.computed.push(Span::new(from, self.text.len()));
    }

    /// The word from byte `at` on (a value glued to its option: `-d{...}`).
    fn after(&self, at: usize) -> Word {
        let mut rest = Word {
            span: Span::new(self.map.start(at), self.span.end),
            ..Word::default()
        };
        let text = self.text.get(at..).unwrap_or_default();
        let mut i = 0;
        for (offset, c) in text.char_indices() {
            let host = self
                .map
                .span(Span::new(at + offset, at + offset + c.len_utf8()));
            rest.map
                .piece(c.len_utf8(), host.start, host.end - host.start);
            i = offset + c.len_utf8();
        }
        rest.text = text[..i].to_owned();
        rest.computed = self
            .computed
            .iter()
            .filter(|s| s.end > at)
            .map(|s| Span::new(s.start.saturating_sub(at), s.end - at))
            .collect();
        rest
    }
}

/// Read every `curl` command of `text` (whose bytes map to the host through `map`).
pub(super) fn extract(text: &str, map: &OffsetMap, out: &mut Extraction) {
    if !text.contains("curl") {
        return;
    }
    let Some(tree) = super::parse_code(
        "shell code",
        &tree_sitter_bash::LANGUAGE.into(),
        text,
        map,
        out,
    ) else {
        return;
    };
    // Each node with its parent: tree-sitter finds a node's parent by descending from the root,
    // which in a flat run of 100,000 commands costs as much as the run.
    let mut stack = vec![(tree.root_node(), None, 0usize)];
    while let Some((node, parent, depth)) = stack.pop() {
        if node.kind() == "command" {
            if let Some(curl) = curl_command(node, parent, text) {
                read_curl(&curl, map, out);
            }
            // A command substitution inside may hold another command; read on.
        }
        if depth < MAX_DEPTH {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            stack.extend(
                children
                    .into_iter()
                    .rev()
                    .map(|c| (c, Some(node), depth + 1)),
            );
        }
    }
}

/// A `curl` command as curl sees it: its words, and a here-document fed to it.
struct Curl {
    span: Span,
    args: Vec<Word>,
    heredoc: Option<Word>,
}

/// The command as curl's arguments, when `node` (a child of `parent`) runs `curl`.
fn curl_command<'t>(node: Node<'t>, parent: Option<Node<'t>>, src: &str) -> Option<Curl> {
    let name = node.child_by_field_name("name")?;
    let is_curl = |program: &str| {
        let base = program.rsplit('/').next().unwrap_or(program);
        base == "curl" || base == "curl.exe"
    };
    let mut cursor = node.walk();
    let mut args: Vec<Word> = node
        .children_by_field_name("argument", &mut cursor)
        .map(|n| word(n, src))
        .collect();
    if !is_curl(&word(name, src).text) {
        // `sudo curl ...`, `env A=b curl ...`, `time curl ...`: the command runs curl.
        let program = word(name, src).text;
        let base = program.rsplit('/').next().unwrap_or(&program);
        if !matches!(
            base,
            "sudo" | "env" | "time" | "command" | "exec" | "nice" | "nohup"
        ) {
            return None;
        }
        let at = args.iter().position(|a| is_curl(&a.text)).filter(|&i| {
            args[..i]
                .iter()
                .all(|a| a.text.starts_with('-') || a.text.contains('='))
        })?;
        args.drain(..=at);
    }
    let heredoc = parent.and_then(|parent| {
        if parent.kind() != "redirected_statement" {
            return None;
        }
        let mut cursor = parent.walk();
        let found = parent
            .named_children(&mut cursor)
            .find(|c| c.kind() == "heredoc_redirect")?;
        let mut cursor = found.walk();
        let body = found
            .named_children(&mut cursor)
            .find(|c| c.kind() == "heredoc_body")?;
        let quoted = src
            .get(found.start_byte()..body.start_byte())
            .is_some_and(|head| head.contains('\'') || head.contains('"'));
        Some(heredoc_word(body, src, quoted))
    });
    Some(Curl {
        span: Span::new(node.start_byte(), node.end_byte()),
        args,
        heredoc,
    })
}

/// A here-document's text; with an unquoted delimiter its expansions are computed.
fn heredoc_word(body: Node<'_>, src: &str, quoted: bool) -> Word {
    let mut w = Word {
        span: Span::new(body.start_byte(), body.end_byte()),
        ..Word::default()
    };
    let mut at = body.start_byte();
    if !quoted {
        let mut cursor = body.walk();
        for child in body.named_children(&mut cursor) {
            if is_expansion(child.kind()) {
                w.copy(src, at, child.start_byte());
                w.computed(src, child.start_byte(), child.end_byte());
                at = child.end_byte();
            }
        }
    }
    w.copy(src, at, body.end_byte());
    w
}

fn is_expansion(kind: &str) -> bool {
    matches!(
        kind,
        "simple_expansion"
            | "expansion"
            | "command_substitution"
            | "arithmetic_expansion"
            | "process_substitution"
    )
}

/// One argument node as the command receives it.
fn word(node: Node<'_>, src: &str) -> Word {
    let mut w = Word {
        span: Span::new(node.start_byte(), node.end_byte()),
        map: OffsetMap::at(node.start_byte()),
        ..Word::default()
    };
    decode(node, src, &mut w, 0);
    w
}

fn decode(node: Node<'_>, src: &str, w: &mut Word, depth: usize) {
    let (start, end) = (node.start_byte(), node.end_byte());
    match node.kind() {
        "raw_string" => w.copy(src, start + 1, end.saturating_sub(1).max(start + 1)),
        "string" => double_quoted(node, src, w, start + 1, end.saturating_sub(1)),
        "translated_string" => double_quoted(node, src, w, start + 2, end.saturating_sub(1)),
        "ansi_c_string" => ansi_c(src, w, start + 2, end.saturating_sub(1)),
        "concatenation" if depth < MAX_DEPTH => {
            let mut at = start;
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                unquoted(src, w, at, child.start_byte());
                decode(child, src, w, depth + 1);
                at = child.end_byte();
            }
            unquoted(src, w, at, end);
        }
        kind if is_expansion(kind) => w.computed(src, start, end),
        _ => unquoted(src, w, start, end),
    }
}

/// Unquoted text: `\x` is `x`, `\` before a newline joins the lines.
fn unquoted(src: &str, w: &mut Word, start: usize, end: usize) {
    let Some(text) = src.get(start..end) else {
        return;
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some((_, '\n')) => {}
                Some((j, next)) => {
                    let mut buf = [0; 4];
                    w.rewrite(
                        next.encode_utf8(&mut buf),
                        start + i,
                        j - i + next.len_utf8(),
                    );
                }
                None => w.copy(src, start + i, start + i + 1),
            }
        } else {
            w.copy(src, start + i, start + i + c.len_utf8());
        }
    }
}

/// The inside of `"…"` from `start` to `end`: expansions are computed; `\"`, `\\`, `\$` and
/// `` \` `` lose their backslash; `\` before a newline joins the lines.
fn double_quoted(node: Node<'_>, src: &str, w: &mut Word, start: usize, end: usize) {
    let mut expansions = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if is_expansion(child.kind()) {
            expansions.push((child.start_byte(), child.end_byte()));
        }
    }
    let mut at = start;
    for (from, to) in expansions.into_iter().chain([(end, end)]) {
        if from < at {
            continue;
        }
        let Some(text) = src.get(at..from) else {
            break;
        };
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\\'
                && let Some(&(j, next)) = chars.peek()
                && matches!(next, '"' | '\\' | '$' | '`' | '\n')
            {
                chars.next();
                if next != '\n' {
                    let mut buf = [0; 4];
                    w.rewrite(next.encode_utf8(&mut buf), at + i, j - i + 1);
                }
                continue;
            }
            w.copy(src, at + i, at + i + c.len_utf8());
        }
        if from < to {
            w.computed(src, from, to);
        }
        at = to;
    }
}

/// The inside of `$'…'`: C escapes.
fn ansi_c(src: &str, w: &mut Word, start: usize, end: usize) {
    let Some(text) = src.get(start..end) else {
        return;
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c != '\\' || i + 1 >= text.len() {
            w.copy(src, start + i, start + i + c.len_utf8());
            i += c.len_utf8();
            continue;
        }
        let (decoded, len): (Option<char>, usize) = match bytes[i + 1] {
            b'n' => (Some('\n'), 2),
            b't' => (Some('\t'), 2),
            b'r' => (Some('\r'), 2),
            b'a' => (Some('\u{7}'), 2),
            b'b' => (Some('\u{8}'), 2),
            b'e' | b'E' => (Some('\u{1b}'), 2),
            b'f' => (Some('\u{c}'), 2),
            b'v' => (Some('\u{b}'), 2),
            b'\\' => (Some('\\'), 2),
            b'\'' => (Some('\''), 2),
            b'"' => (Some('"'), 2),
            b'?' => (Some('?'), 2),
            b'x' => hex(text, i + 2, 2),
            b'u' => hex(text, i + 2, 4),
            b'U' => hex(text, i + 2, 8),
            b'0'..=b'7' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(*b))
                    .count();
                let value = u32::from_str_radix(&text[i + 1..i + 1 + digits], 8).unwrap_or(0);
                (char::from_u32(value & 0xff), 1 + digits)
            }
            _ => (None, 1),
        };
        match decoded {
            Some(d) => {
                let mut buf = [0; 4];
                w.rewrite(d.encode_utf8(&mut buf), start + i, len);
                i += len;
            }
            None => {
                w.copy(src, start + i, start + i + 1);
                i += len.max(1);
            }
        }
    }
}

/// A `\x`, `\u` or `\U` escape's character: up to `max` hex digits from `from`.
fn hex(text: &str, from: usize, max: usize) -> (Option<char>, usize) {
    let digits = text.as_bytes()[from.min(text.len())..]
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if digits == 0 {
        return (None, 1);
    }
    let value = u32::from_str_radix(&text[from..from + digits], 16).unwrap_or(0);
    (char::from_u32(value), 2 + digits)
}

/// Short options that take a value (curl's manual), beyond the ones read here.
const SHORT_WITH_VALUE: &[u8] = b"dHXxFuoAebcTwKmrECUYyztQP";

/// Long options that take a value (curl's manual); any other `--option` is taken to be a flag.
const LONG_WITH_VALUE: &[&str] = &[
    "--data",
    "--data-ascii",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--json",
    "--header",
    "--request",
    "--proxy",
    "--url",
    "--user",
    "--output",
    "--form",
    "--form-string",
    "--user-agent",
    "--referer",
    "--cookie",
    "--cookie-jar",
    "--upload-file",
    "--write-out",
    "--config",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--cert",
    "--cacert",
    "--key",
    "--resolve",
    "--connect-to",
    "--proxy-user",
    "--range",
    "--limit-rate",
    "--max-filesize",
    "--interface",
    "--oauth2-bearer",
    "--pass",
    "--proxy-pass",
    "--tlspassword",
    "--proxy-tlspassword",
    "--tlsuser",
    "--proxy-tlsuser",
    "--proxy-header",
    "--proxy-cert",
    "--aws-sigv4",
    "--variable",
    "--expand-data",
    "--expand-url",
    "--expand-header",
];

/// One data option as given.
struct Data<'w> {
    option: String,
    value: &'w Word,
    /// Read from a file (`@file`) rather than given.
    file: bool,
}

/// What a `curl` command says, option by option.
#[derive(Default)]
struct Parsed<'w> {
    url: Option<&'w Word>,
    data: Vec<Data<'w>>,
    json_type: bool,
    form: bool,
    get: bool,
    proxy: Option<(&'w Word, &'w Word)>,
    secrets: Vec<Span>,
}

fn read_curl(curl: &Curl, map: &OffsetMap, out: &mut Extraction) {
    // Values glued to short options (`-d'{...}'`) are cut from their words first.
    let mut glued: Vec<(usize, Word)> = Vec::new();
    for (i, arg) in curl.args.iter().enumerate() {
        let text = &arg.text;
        if text.starts_with('-') && !text.starts_with("--") && text.len() > 2 {
            for (j, c) in text.char_indices().skip(1) {
                if c.is_ascii() && SHORT_WITH_VALUE.contains(&(c as u8)) {
                    if j + 1 < text.len() {
                        glued.push((i, arg.after(j + 1)));
                    }
                    break;
                }
            }
        }
    }
    let mut parsed = Parsed::default();
    let args = &curl.args;
    let mut i = 0;
    let mut positional_only = false;
    while i < args.len() {
        let arg = &args[i];
        let text = arg.text.as_str();
        if positional_only || !text.starts_with('-') || text == "-" {
            if parsed.url.is_none() || looks_like_url(text) {
                parsed.url = Some(arg);
            }
            i += 1;
            continue;
        }
        if text == "--" {
            positional_only = true;
            i += 1;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            let name = format!("--{long}");
            if LONG_WITH_VALUE.contains(&name.as_str()) {
                if let Some(value) = args.get(i + 1) {
                    option(&mut parsed, &name, arg, value);
                }
                i += 2;
            } else {
                if name == "--get" {
                    parsed.get = true;
                }
                i += 1;
            }
            continue;
        }
        // Short options, clustered: flags, then at most one option with a value (glued or
        // the next word).
        let mut consumed = 1;
        for (j, c) in text.char_indices().skip(1) {
            if c == 'G' {
                parsed.get = true;
            }
            if c.is_ascii() && SHORT_WITH_VALUE.contains(&(c as u8)) {
                let name = format!("-{c}");
                if j + 1 < text.len() {
                    if let Some((_, value)) = glued.iter().find(|(k, _)| *k == i) {
                        option(&mut parsed, &name, arg, value);
                    }
                } else if let Some(value) = args.get(i + 1) {
                    option(&mut parsed, &name, arg, value);
                    consumed = 2;
                }
                break;
            }
        }
        i += consumed;
    }
    let command = map.span(curl.span);
    for span in std::mem::take(&mut parsed.secrets) {
        out.secrets.push(map.span(span));
    }
    if let Some((option_word, value)) = parsed.proxy
        && is_method(&value.text)
    {
        let span = map.span(Span::new(option_word.span.start, value.span.end));
        out.findings.push(at_span(
            span,
            Finding::new(
                &crate::rules::CURL_PROXY_METHOD,
                "",
                format!(
                    "`-x {}` sets a proxy named `{}`, not the method: lower-case `-x` is `--proxy`",
                    value.text, value.text
                ),
            )
            .help(format!(
                "write `-X {}` (upper case), or leave it out: a body already makes curl send a POST",
                value.text.to_ascii_uppercase()
            )),
        ));
    }
    let Some(url) = parsed.url else {
        return;
    };
    let Some((kind, route)) = job_route(&url.text) else {
        if !parsed.data.is_empty() {
            out.passed.push(Passed {
                holder: "`curl` command".to_owned(),
                span: command,
                reason: format!(
                    "it posts to `{}`, not to a job route (`/run`, `/runsync`, `/batch`)",
                    crate::finding::shorten(&url.text, 80)
                ),
            });
        }
        return;
    };
    if parsed.get || parsed.data.is_empty() && curl.heredoc.is_none() {
        return;
    }
    let all_json = parsed.data.iter().all(|d| d.option == "--json" && !d.file);
    if parsed.data.len() > 1 && all_json {
        // curl writes `--json` pieces one after the other: together they may well be one
        // document, which is what is checked.
        let mut joined = Word::default();
        for data in &parsed.data {
            let offset = joined.text.len();
            for (i, c) in data.value.text.char_indices() {
                let host = data.value.map.span(Span::new(i, i + c.len_utf8()));
                joined
                    .map
                    .piece(c.len_utf8(), host.start, host.end - host.start);
            }
            joined.text.push_str(&data.value.text);
            joined.computed.extend(
                data.value
                    .computed
                    .iter()
                    .map(|c| Span::new(c.start + offset, c.end + offset)),
            );
        }
        if serde_json::from_str::<serde::de::IgnoredAny>(&joined.text).is_ok() {
            push_body(
                &joined,
                kind,
                route,
                command,
                "`curl --json` pieces",
                map,
                out,
            );
            return;
        }
    }
    if parsed.data.len() > 1 {
        let second = &parsed.data[1];
        let joined = if parsed.data.iter().all(|d| d.option == "--json") {
            "one after the other, with nothing between them"
        } else {
            "with `&` between them"
        };
        let span = map.span(second.value.span);
        out.findings.push(at_span(
            span,
            Finding::new(
                &crate::rules::CURL_DATA_PIECES,
                "",
                format!(
                    "the body is given in {} pieces, which curl sends joined {joined}: not one JSON document",
                    parsed.data.len()
                ),
            )
            .help("give the whole body in one data option"),
        ));
        return;
    }
    let Some(data) = parsed.data.first() else {
        return;
    };
    if data.file {
        let name = data.value.text.get(1..).unwrap_or_default();
        if name == "-"
            && let Some(heredoc) = &curl.heredoc
        {
            push_body(
                heredoc,
                kind,
                route,
                command,
                "`curl` here-document",
                map,
                out,
            );
        } else if name == "-" || name.is_empty() || !data.value.computed.is_empty() {
            out.passed.push(Passed {
                holder: format!("`curl {}`", data.option),
                span: map.span(data.value.span),
                reason: if name == "-" {
                    "its body is read from stdin, which the command does not show".to_owned()
                } else {
                    "its body is read from a file the shell names (`$VAR`)".to_owned()
                },
            });
        } else {
            // `-d @file` reads the file with its line breaks taken out; `--data-binary` and
            // `--json` byte for byte.
            out.references.push(super::Reference {
                name: name.to_owned(),
                span: map.span(data.value.span),
                kind,
                route,
                strip_newlines: matches!(data.option.as_str(), "-d" | "--data" | "--data-ascii"),
            });
        }
    } else {
        push_body(data.value, kind, route, command, "`curl` data", map, out);
    }
    if !parsed.json_type && !parsed.form && data.option != "--json" {
        let span = map.span(data.value.span);
        out.findings.push(at_span(
            span,
            Finding::new(
                &crate::rules::CURL_CONTENT_TYPE,
                "",
                "the JSON body is sent as `application/x-www-form-urlencoded`: the command names no JSON content type",
            )
            .help("add `-H 'Content-Type: application/json'`, or send the body with `--json`"),
        ));
    }
}

/// A host finding at `span` (host bytes).
fn at_span(span: Span, finding: Finding) -> Finding {
    let mut finding = finding.at(Target::At(span));
    finding.span = span;
    finding
}

fn push_body(
    word: &Word,
    kind: Kind,
    route: Route,
    command: Span,
    holder: &'static str,
    map: &OffsetMap,
    out: &mut Extraction,
) {
    out.bodies.push(Embedded {
        body: word.text.clone(),
        map: word.map.through(map),
        hint: KindHint::Named(kind),
        route: Some(route),
        holder,
        span: command,
        computed: word.computed.clone(),
        open: Vec::new(),
        client: None,
    });
}

/// Record one option with a value.
fn option<'w>(parsed: &mut Parsed<'w>, name: &str, option: &'w Word, value: &'w Word) {
    match name {
        "-d" | "--data" | "--data-ascii" | "--data-binary" | "--json" => {
            parsed.data.push(Data {
                option: name.to_owned(),
                value,
                file: value.text.starts_with('@'),
            });
            if name == "--json" {
                parsed.json_type = true;
            }
        }
        "--data-raw" => parsed.data.push(Data {
            option: name.to_owned(),
            value,
            file: false,
        }),
        "--data-urlencode" | "-F" | "--form" | "--form-string" => parsed.form = true,
        "-H" | "--header" | "--proxy-header" => {
            let lower = value.text.to_ascii_lowercase();
            if lower.starts_with("content-type:") && lower.contains("json") {
                parsed.json_type = true;
            }
            // A header named as a credential (`Authorization`, `X-Api-Key`, `Cookie`, ...).
            let named = value
                .text
                .split_once(':')
                .is_some_and(|(name, _)| crate::secrets::is_secret_key(name.trim()));
            if named && let Some(token) = credential(value) {
                parsed.secrets.push(value.map.span(token));
            }
        }
        // `user:password`, a client certificate's `file:password`.
        "-u" | "--user" | "-U" | "--proxy-user" | "-E" | "--cert" | "--proxy-cert" => {
            let drive = value.text.as_bytes().get(1) == Some(&b':')
                && value.text.as_bytes().get(2) == Some(&b'\\');
            let from = if drive { 2 } else { 0 };
            if let Some(colon) = value.text[from..].find(':') {
                parsed.secrets.push(
                    value
                        .map
                        .span(Span::new(from + colon + 1, value.text.len())),
                );
            }
        }
        // A token, a key's passphrase, or cookies written out (`-b 'sid=...'`; without `=`
        // it names a file).
        "--oauth2-bearer" | "--pass" | "--proxy-pass" | "--tlspassword" | "--proxy-tlspassword" => {
            parsed.secrets.push(value.span)
        }
        "-b" | "--cookie" if value.text.contains('=') => parsed.secrets.push(value.span),
        "-x" => parsed.proxy = Some((option, value)),
        "--url" => parsed.url = Some(value),
        _ => {}
    }
}

/// The credential in a header's value (`Authorization: Bearer TOKEN`): its span in the word,
/// unless the shell computes it (`$RUNPOD_API_KEY` is a name, not a secret).
fn credential(value: &Word) -> Option<Span> {
    let colon = value.text.find(':')?;
    let rest = &value.text[colon + 1..];
    let token = rest.split_whitespace().last()?;
    let start = colon + 1 + rest.rfind(token)?;
    let span = Span::new(start, start + token.len());
    let computed = value
        .computed
        .iter()
        .any(|c| c.start < span.end && span.start < c.end);
    (!computed).then_some(span)
}

fn looks_like_url(text: &str) -> bool {
    text.contains("://") || text.starts_with("localhost") || text.contains("/v2/")
}

fn is_method(text: &str) -> bool {
    matches!(
        text.to_ascii_uppercase().as_str(),
        "POST" | "GET" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Extraction {
        let mut out = Extraction::default();
        extract(text, &OffsetMap::identity(text.len()), &mut out);
        out
    }

    #[test]
    fn single_quoted_bodies_map_byte_for_byte() {
        let text = "curl -X POST https://api.runpod.ai/v2/abc/runsync \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"input\": {\"n\": 1}}'\n";
        let out = bodies(text);
        assert_eq!(out.bodies.len(), 1);
        let body = &out.bodies[0];
        assert_eq!(body.body, "{\"input\": {\"n\": 1}}");
        assert_eq!(body.route, Some(Route::Runsync));
        let at = body.map.start(body.body.find('1').unwrap());
        assert_eq!(&text[at..=at], "1");
        assert!(out.findings.is_empty());
    }

    #[test]
    fn double_quoted_bodies_lose_their_backslashes_and_keep_columns() {
        let text = "curl https://x/v2/e/run -H \"Content-Type: application/json\" -d \"{\\\"input\\\": {\\\"p\\\": \\\"$P\\\"}, \\\"ttl\\\": 5}\"";
        let out = bodies(text);
        let body = &out.bodies[0];
        assert_eq!(body.body, "{\"input\": {\"p\": \"$P\"}, \"ttl\": 5}");
        assert_eq!(body.computed.len(), 1);
        let at = body.map.start(body.body.find('5').unwrap());
        assert_eq!(&text[at..=at], "5");
        let quote = body.map.span(Span::new(1, 2));
        assert_eq!(&text[quote.start..quote.end], "\\\"");
    }

    #[test]
    fn glued_values_lower_case_x_and_pieces_are_read() {
        let out = bodies("curl -x POST https://x/v2/e/run -d'{\"input\": {}}' -d '{}'");
        let ids: Vec<_> = out.findings.iter().map(|f| f.rule).collect();
        assert_eq!(ids, ["curl-proxy-method", "curl-data-pieces"]);
        assert!(out.bodies.is_empty());
    }

    #[test]
    fn only_job_routes_are_bodies() {
        assert_eq!(
            job_route("https://api.runpod.ai/v2/e/run?x=1"),
            Some((Kind::Request, Route::Run))
        );
        assert_eq!(
            job_route("$URL/runsync"),
            Some((Kind::Request, Route::Runsync))
        );
        assert_eq!(
            job_route("https://api.runpod.ai/v2/e/batch"),
            Some((Kind::Batch, Route::Batch))
        );
        assert_eq!(
            job_route("https://api.runpod.ai/v2/e/batch/b1/requests"),
            Some((Kind::BatchRequests, Route::BatchRequests))
        );
        assert_eq!(
            job_route("https://api.runpod.ai/v2/e/openai/v1/chat/completions"),
            None
        );
        assert_eq!(job_route("https://api.runpod.ai/v2/e/status/1"), None);
        for not_a_job in [
            "https://ci.example.com/pipelines/123/run",
            "https://api.example.com/run",
            "http://localhost:8080/run",
            "https://mlflow.example.com/runs/run",
            "https://x.example.com/job/batch",
        ] {
            assert_eq!(job_route(not_a_job), None, "{not_a_job}");
        }
        assert_eq!(
            job_route("http://localhost:8000/runsync"),
            Some((Kind::Request, Route::Runsync))
        );
        assert_eq!(
            job_route("{BASE}/{EID}/runsync"),
            Some((Kind::Request, Route::Runsync))
        );
        assert_eq!(
            job_route("https://POD-80.proxy.runpod.net/v2/LOCAL/run"),
            Some((Kind::Request, Route::Run))
        );
        let out = bodies("curl https://api.openai.com/v1/x -d '{\"input\": 1}'");
        assert!(out.bodies.is_empty());
        assert_eq!(out.passed.len(), 1);
    }

    #[test]
    fn ansi_c_strings_and_heredocs() {
        let out = bodies(
            "curl https://x/v2/e/run -H 'content-type: application/json' -d $'{\"input\":\\t{}}'",
        );
        assert_eq!(out.bodies[0].body, "{\"input\":\t{}}");
        let text = "curl https://x/v2/e/run --json @- <<'EOF'\n{\"input\": {}}\nEOF\n";
        let out = bodies(text);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        assert!(out.bodies[0].body.contains("{\"input\": {}}"));
    }

    #[test]
    fn authorization_values_are_secrets() {
        let text = "curl https://x/v2/e/run -H 'Authorization: Bearer rpa_SECRET123' --json '{\"input\":{}}'";
        let out = bodies(text);
        assert_eq!(out.secrets.len(), 1);
        let s = out.secrets[0];
        assert!(text[s.start..s.end].contains("rpa_SECRET123"));
    }
}
