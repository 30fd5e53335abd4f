//! Markdown and MDX hosts, read with `pulldown-cmark` (a CommonMark parser that gives each
//! event's source range).
//!
//! A fenced code block's info string says what it holds: `json` (with an optional title that
//! names a file: `json title="hub.json"`, `json test_input.json`), a shell (`bash`, `sh`,
//! `console`, ...) whose `curl` commands are read, or a response sample (`json 200`,
//! `json Response`) that is never linted. In MDX, fences indented inside components and fences
//! inside a JSX block are read too (MDX has no indented code blocks).

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::{Embedded, Extraction, KindHint, OffsetMap, Passed};
use crate::finding::Span;
use crate::kind::Kind;

/// How deep MDX blocks are read again as Markdown (a fence in a component in a list ...).
const MAX_DEPTH: usize = 4;

/// What a fence's info string says it holds.
#[derive(Debug, PartialEq, Eq)]
enum Fence {
    /// JSON, with the file name its title gives, if any. `tagged` is false for a fence with no
    /// info string (checked only when it parses and holds a request).
    Json { title: Option<String>, tagged: bool },
    /// A shell session; `prompts` when lines start with a prompt (`$ `) and the rest is output.
    Shell { prompts: bool },
    /// A response sample or annotated JSON, with why it is not checked.
    NotChecked(&'static str),
    /// Python code.
    Python,
    /// JavaScript or TypeScript code (`jsx` for `.jsx`/`.tsx` fences).
    Script(super::Language, bool),
    /// Some other language.
    Other,
}

/// A code block as read: its info string, its text (the host's lines without their
/// container's indentation or `>` markers) and where that text was written.
struct Block {
    info: String,
    fenced: bool,
    text: String,
    map: OffsetMap,
    span: Span,
}

/// Read every body the Markdown `text` holds.
pub(super) fn extract(text: &str, mdx: bool, out: &mut Extraction) {
    if !super::markdown_is_read(text, out) {
        return;
    }
    if mdx {
        let (prepared, map) = mdx_prepare(text);
        read(&prepared, &map, true, 0, out);
    } else {
        read(text, &OffsetMap::identity(text.len()), false, 0, out);
    }
}

/// MDX as CommonMark reads it right: MDX has no indented code blocks, so a fence indented
/// inside a component (`<Tab>` then four spaces) is a fence, blank lines in it included; its
/// lines lose the fence's indentation. Lines that are only JSX tags, and `{/* ... */}`
/// comments, become blank. Every other byte maps to where it was written.
fn mdx_prepare(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::new();
    let mut fence: Option<(usize, char, usize)> = None;
    let mut comment = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches([' ', '\t']).len();
        let trimmed = &body[indent..];
        let marker = |t: &str| -> Option<(char, usize)> {
            let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
            let n = t.chars().take_while(|x| *x == c).count();
            (n >= 3).then_some((c, n))
        };
        let keep_from = match fence {
            Some((k, c, n)) => {
                if marker(trimmed).is_some_and(|(c2, n2)| c2 == c && n2 >= n)
                    && trimmed.trim_start_matches(c).trim().is_empty()
                {
                    fence = None;
                }
                Some(indent.min(k))
            }
            None if comment => {
                if trimmed.contains("*/}") {
                    comment = false;
                }
                None
            }
            None if trimmed.starts_with("{/*") => {
                comment = !trimmed.contains("*/}");
                None
            }
            None => match marker(trimmed) {
                Some((c, n)) => {
                    fence = Some((indent, c, n));
                    Some(indent)
                }
                None if trimmed.starts_with('<') && trimmed.ends_with('>') => None,
                None => Some(0),
            },
        };
        match keep_from {
            Some(from) => {
                map.copied(line.len() - from, at + from);
                out.push_str(&line[from..]);
            }
            None => {
                // Blank: the line break only.
                let newline = line.len() - body.len();
                map.copied(newline, at + body.len());
                out.push_str(&line[body.len()..]);
            }
        }
        at += line.len();
    }
    (out, map)
}

/// Read `text` (whose bytes map to the host through `map`).
fn read(text: &str, map: &OffsetMap, mdx: bool, depth: usize, out: &mut Extraction) {
    for block in blocks(text, mdx && depth < MAX_DEPTH) {
        let inner = block.map.through(map);
        let span = map.span(block.span);
        if !block.fenced {
            // MDX: an indented fence, or fences inside a JSX block (its tag lines blanked, so
            // that what is between them reads as Markdown).
            read(&without_tags(&block.text), &inner, mdx, depth + 1, out);
            continue;
        }
        match classify(&block.info) {
            Fence::Json { title, tagged } => {
                json_fence(block.text, inner, span, title, tagged, out)
            }
            Fence::Shell { prompts } => {
                let prompted = block.text.lines().any(|l| l.trim_start().starts_with("$ "));
                let text = if prompts || prompted {
                    commands_only(&block.text)
                } else {
                    block.text
                };
                super::shell_in(&text, &inner, out);
            }
            Fence::Python => super::python_in(&block.text, &inner, out),
            Fence::Script(language, jsx) => {
                super::script_in(&block.text, language, jsx, &inner, out)
            }
            Fence::NotChecked(reason) => out.passed.push(Passed {
                holder: format!("`{}` fence", block.info.trim()),
                span,
                reason: reason.to_owned(),
            }),
            Fence::Other => {}
        }
    }
}

/// The code blocks of `text`: fenced ones, and (in MDX) indented blocks and JSX blocks that
/// hold a fence, to be read again as Markdown.
fn blocks(text: &str, mdx: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let (info, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                open = Some(Block {
                    info,
                    fenced,
                    text: String::new(),
                    map: OffsetMap::new(),
                    span: Span::new(range.start, range.end),
                });
            }
            Event::Start(Tag::HtmlBlock) if mdx => {
                open = Some(Block {
                    info: String::new(),
                    fenced: false,
                    text: String::new(),
                    map: OffsetMap::new(),
                    span: Span::new(range.start, range.end),
                });
            }
            Event::Text(piece) | Event::Html(piece) => {
                if let Some(block) = &mut open {
                    append(block, text, &piece, range);
                }
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                if let Some(block) = open.take()
                    && (block.fenced || (mdx && holds_a_fence(&block.text)))
                {
                    blocks.push(block);
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Add one text event of a block: copied when it is the host's text as written, else (a tab
/// the parser expanded) mapped as a whole.
fn append(block: &mut Block, host: &str, piece: &str, range: std::ops::Range<usize>) {
    if host.get(range.clone()) == Some(piece) {
        block.map.copied(piece.len(), range.start);
    } else if let Some(at) = host
        .get(range.clone())
        .and_then(|written| written.find(piece))
    {
        block.map.copied(piece.len(), range.start + at);
    } else {
        block.map.piece(piece.len(), range.start, range.len());
    }
    block.text.push_str(piece);
}

/// `text` with every line that is only JSX tags (`<Tab title="x">`, `</Tabs>`) blanked to
/// spaces of the same length.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim();
        if trimmed.starts_with('<') && trimmed.ends_with('>') {
            out.extend(body.bytes().map(|_| ' '));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Whether a block's text has a fence line (three backticks or tildes after indentation).
fn holds_a_fence(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("```") || line.starts_with("~~~")
    })
}

/// What an info string says a fence holds.
fn classify(info: &str) -> Fence {
    let mut words = info.split_whitespace();
    let Some(first) = words.next() else {
        return Fence::Json {
            title: None,
            tagged: false,
        };
    };
    // `json{3-5}` and `json,title=...` are seen in the wild; the language is the first word.
    let language = first
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+'))
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let meta: Vec<&str> = words.collect();
    let lower = info.to_ascii_lowercase();
    match language.as_str() {
        "json" => {
            if meta.iter().any(|w| is_status(w)) {
                return Fence::NotChecked("a response sample (an HTTP status in its title)");
            }
            if ["response", "output", "result", "reply"]
                .iter()
                .any(|w| lower.contains(w))
            {
                return Fence::NotChecked("a response sample (its title says so)");
            }
            Fence::Json {
                title: title(info),
                tagged: true,
            }
        }
        "jsonc" | "json5" | "jsonl" | "ndjson" => {
            Fence::NotChecked("annotated or line-delimited JSON, not a body as sent")
        }
        "sh" | "bash" | "shell" | "zsh" | "curl" | "shellscript" | "shell-script" => {
            // Docs often show a prompt in a `bash` fence too.
            Fence::Shell { prompts: false }
        }
        "console" | "terminal" | "shell-session" | "shellsession" => Fence::Shell { prompts: true },
        "python" | "py" | "python3" => Fence::Python,
        "javascript" | "js" | "mjs" | "cjs" | "node" => {
            Fence::Script(super::Language::JavaScript, false)
        }
        "jsx" => Fence::Script(super::Language::JavaScript, true),
        "typescript" | "ts" => Fence::Script(super::Language::TypeScript, false),
        "tsx" => Fence::Script(super::Language::TypeScript, true),
        _ => Fence::Other,
    }
}

/// An HTTP status code as a fence title writes it (`200`, `4xx`).
fn is_status(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 3
        && (b'1'..=b'5').contains(&bytes[0])
        && bytes[1..]
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'x' || *b == b'X')
}

/// The file name a fence's title gives: `title="hub.json"`, `title=hub.json`, or a word that
/// ends in `.json` (`json test_input.json`).
fn title(info: &str) -> Option<String> {
    if let Some(at) = info.find("title=") {
        let rest = &info[at + "title=".len()..];
        let name = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next(),
            _ => rest.split_whitespace().next(),
        };
        return name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    }
    info.split_whitespace()
        .skip(1)
        .find(|w| w.to_ascii_lowercase().ends_with(".json"))
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_owned())
}

/// The kind a fence title names: `hub.json` and `tests.json` as the Hub's files (a title is
/// the docs naming the file the Hub reads), `test_input.json` as a request.
fn titled_kind(title: &str) -> Option<Kind> {
    let file = title.rsplit('/').next().unwrap_or(title);
    match file {
        "hub.json" => Some(Kind::HubConfig),
        "tests.json" if title.contains(".github/") => Some(Kind::LegacyTests),
        "tests.json" => Some(Kind::HubTests),
        "test_input.json" => Some(Kind::Request),
        // `json title="Request"`, `json request.json`, `title="Example request body"`: the
        // title says it is a request, as a file name does.
        _ => {
            let lower = title.to_ascii_lowercase();
            ["request", "payload", "body"]
                .iter()
                .any(|w| lower.contains(w))
                .then_some(Kind::Request)
        }
    }
}

/// A JSON fence: a body when its title names a RunPod file or its content is a request.
fn json_fence(
    text: String,
    map: OffsetMap,
    span: Span,
    title: Option<String>,
    tagged: bool,
    out: &mut Extraction,
) {
    let hint = match title.as_deref().map(|t| (t, titled_kind(t))) {
        Some((_, Some(kind))) => KindHint::Named(kind),
        Some((name, None)) => {
            out.passed.push(Passed {
                holder: "`json` fence".to_owned(),
                span,
                reason: format!("its title names `{name}`, not a RunPod file"),
            });
            return;
        }
        None => KindHint::ByContent,
    };
    if !tagged && serde_json::from_str::<serde_json::Value>(&text).is_err() {
        // A fence with no language that is not JSON is some other text.
        return;
    }
    if !text.trim_start().starts_with(['{', '[']) {
        // `"presets": [ ... ]`: a fragment of a file, shown to be pasted into one.
        out.passed.push(Passed {
            holder: "`json` fence".to_owned(),
            span,
            reason: "a fragment (it does not start with `{` or `[`)".to_owned(),
        });
        return;
    }
    out.bodies.push(Embedded {
        body: text,
        map,
        hint,
        route: None,
        holder: "`json` fence",
        span,
        computed: Vec::new(),
        open: Vec::new(),
        client: None,
    });
}

/// A console session with only its commands: prompts (`$ `, `% `, `# ` is a comment) and
/// output lines blanked to spaces, so offsets stay those of the fence.
fn commands_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut continued = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        // A prompt starts a command; `> ` also starts the line after a `\` (the shell's
        // continuation prompt).
        let prompt = ["$ ", "% ", "> "]
            .iter()
            .find(|p| trimmed.starts_with(**p) && (!continued || **p == "> "));
        let keep = prompt.is_some() || continued;
        if let Some(p) = prompt {
            let cut = line.len() - trimmed.len() + p.len();
            out.extend(std::iter::repeat_n(' ', cut));
            out.push_str(&line[cut..]);
        } else if keep {
            out.push_str(line);
        } else {
            // Every byte blanked to one space (a wide character too), so offsets stay.
            out.extend(line.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
        }
        continued = keep && line.trim_end_matches(['\n', '\r']).ends_with('\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_say_what_a_fence_holds() {
        assert_eq!(
            classify("json title=\"hub.json\""),
            Fence::Json {
                title: Some("hub.json".into()),
                tagged: true
            }
        );
        assert_eq!(
            classify("json test_input.json"),
            Fence::Json {
                title: Some("test_input.json".into()),
                tagged: true
            }
        );
        assert!(matches!(classify("json 200"), Fence::NotChecked(_)));
        assert!(matches!(classify("json 4xx"), Fence::NotChecked(_)));
        assert!(matches!(classify("JSON Response"), Fence::NotChecked(_)));
        assert!(matches!(classify("jsonc"), Fence::NotChecked(_)));
        assert_eq!(classify("bash cURL"), Fence::Shell { prompts: false });
        assert_eq!(classify("console"), Fence::Shell { prompts: true });
        assert_eq!(classify("python Python"), Fence::Python);
        assert_eq!(classify("ruby"), Fence::Other);
        assert_eq!(
            classify(""),
            Fence::Json {
                title: None,
                tagged: false
            }
        );
    }

    #[test]
    fn a_fence_in_a_list_maps_back_to_its_indented_lines() {
        let text = "1. Body:\n\n    ```json\n    {\"input\": 1}\n    ```\n";
        let mut out = Extraction::default();
        extract(text, false, &mut out);
        assert_eq!(out.bodies.len(), 1);
        let body = &out.bodies[0];
        assert_eq!(body.body, "{\"input\": 1}\n");
        let at = body.map.start(body.body.find('1').unwrap());
        assert_eq!(&text[at..=at], "1");
    }

    #[test]
    fn mdx_reads_fences_inside_components() {
        let text = "<Tabs>\n  <Tab title=\"cURL\">\n    ```json\n    {\"input\": {}}\n    ```\n  </Tab>\n</Tabs>\n";
        let mut out = Extraction::default();
        extract(text, true, &mut out);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        let body = &out.bodies[0];
        let at = body.map.start(body.body.find('{').unwrap());
        assert_eq!(&text[at..at + 9], "{\"input\":");
    }

    #[test]
    fn mdx_fences_in_components_keep_their_blank_lines() {
        let text = "<Tabs>\n  <Tab title=\"Python\">\n    ```json\n    {\"input\": {},\n\n     \"policy\": {\"ttl\": 6}}\n    ```\n  </Tab>\n</Tabs>\n{/*\n```json\n{\"input\": 1}\n```\n*/}\n";
        let mut out = Extraction::default();
        extract(text, true, &mut out);
        assert_eq!(out.bodies.len(), 1, "{:?}", out.passed);
        let body = &out.bodies[0];
        assert!(
            serde_json::from_str::<serde_json::Value>(&body.body).is_ok(),
            "{}",
            body.body
        );
        let at = body.map.start(body.body.find('6').unwrap());
        assert_eq!(&text[at..=at], "6");
    }

    #[test]
    fn console_sessions_keep_only_commands() {
        let shown = commands_only("$ curl -d '{}' \\\n  https://x/run\n{\"id\": 1}\n");
        assert_eq!(
            shown,
            "  curl -d '{}' \\\n  https://x/run\n         \n".to_owned()
        );
    }
}
