use crate::finding::{Finding, Severity, Target};
use crate::rules::{Check, Context, Findings, Rule, declare_rule};
use crate::schema::{Shape, ShapeKind, known_keys};

declare_rule! {
    /// ## What it checks
    /// Keys that the service does not know: at the top level of a request, in `policy` and in
    /// `s3Config`. Keys inside `input` belong to the worker and are never reported. A near miss
    /// of a documented key (`webhok`, `s3_config`, `policies`, `executiontimeout`, `TTL`,
    /// `bucket`...) is an error: the setting is certainly lost. Any other unknown key is a
    /// warning; for handler parameters written at the top level (`prompt`, `messages`, ...)
    /// the help says to move them inside `input`, and for a top-level `timeout` or `wait` that a
    /// client's time limit is not a body key. Source: RunPod's docs (the service discards top-level keys it does not know).
    ///
    /// ## Why it matters
    /// The service silently discards top-level keys it does not know and ignores unknown
    /// policy keys: a misspelt `webhok` means no webhook call, a `timeout` in `policy` means
    /// the default timeout, and a `prompt` beside `input` never reaches the handler.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "prompt": "a cat", "policy": {"timeout": 600000}}
    /// ```
    ///
    /// ## Fix
    /// ```json
    /// {"input": {"prompt": "a cat"}, "policy": {"executionTimeout": 600000}}
    /// ```
    META { id: "unknown-key", severity: Warning, summary: "a key the service discards or ignores",
        also: [(Error, "for a near miss of a documented key (`webhok`, `TTL`)")] }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Shape(check),
};

/// Misspellings that similarity alone does not find: (object, written, meant).
const ALIASES: &[(&str, &str, &str)] = &[
    ("", "policies", "policy"),
    ("", "webhookUrl", "webhook"),
    ("", "webhook_url", "webhook"),
    ("", "s3", "s3Config"),
    ("/policy", "timeout", "executionTimeout"),
    ("/policy", "execution_timeout", "executionTimeout"),
    ("/policy", "executionTimeoutMs", "executionTimeout"),
    ("/policy", "time_to_live", "ttl"),
    ("/s3Config", "accessKeyId", "accessId"),
    ("/s3Config", "accessKey", "accessId"),
    ("/s3Config", "secretAccessKey", "accessSecret"),
    ("/s3Config", "secretKey", "accessSecret"),
    ("/s3Config", "bucket", "bucketName"),
    ("/s3Config", "endpoint", "endpointUrl"),
];

/// The documented key that `key`, unknown in the object at `object` (whose documented keys
/// are `known`), is a near miss of.
fn meant_for(object: &str, known: &[String], key: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find(|(o, written, _)| *o == object && *written == key)
        .map(|(_, _, meant)| *meant)
        .or_else(|| {
            crate::suggest::closest(key, known.iter().map(String::as_str)).and_then(|meant| {
                // `closest` borrows from `known`: the schema's own name, which lives as long as
                // the program.
                crate::schema::known_key(object, meant)
            })
        })
}

/// The documented keys of the object at `object`: the schema's, without the undocumented
/// ones it accepts.
fn documented_keys(object: &str) -> Vec<String> {
    let mut known = known_keys(object);
    known.retain(|k| {
        !super::undocumented_key::KNOWN
            .iter()
            .any(|(o, undocumented, _)| *o == object && undocumented == k)
    });
    known
}

fn check(shapes: &[Shape], ctx: &Context<'_>, out: &mut Findings<'_>) {
    // The documented keys of each object, listed once: a 10 MB body holds 500,000 unknown keys.
    let mut documented: Vec<(&str, Vec<String>)> = Vec::new();
    let mut meants = Vec::with_capacity(shapes.len());
    // Two misspellings of one key (`webhok`, `webhoo`) are not both renamed to it: that would
    // write the key twice. Neither gets a fix.
    let mut targets: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    for shape in shapes {
        let ShapeKind::Unexpected(key) = &shape.kind else {
            meants.push(None);
            continue;
        };
        let object = shape.pointer.as_str();
        let at = match documented.iter().position(|(o, _)| *o == object) {
            Some(at) => at,
            None => {
                documented.push((object, documented_keys(object)));
                documented.len() - 1
            }
        };
        let meant = meant_for(object, &documented[at].1, key);
        if let Some(meant) = meant {
            *targets.entry((object, meant)).or_default() += 1;
        }
        meants.push(meant);
    }
    for (shape, meant) in shapes.iter().zip(meants) {
        let ShapeKind::Unexpected(key) = &shape.kind else {
            continue;
        };
        let object = shape.pointer.as_str();
        let shown = crate::finding::shorten(key, 60);
        if super::undocumented_key::KNOWN
            .iter()
            .any(|(o, k, _)| *o == object && k == key)
        {
            continue;
        }
        if object.is_empty()
            && matches!(key.as_str(), "requests" | "name")
            && super::missing_input::is_batch_body(ctx)
        {
            // A batch body on the wrong route: `missing-input` names the route it fits.
            continue;
        }
        // Past the cap only counted: the message, the help and the fix (a span lookup each)
        // are not built for findings nobody sees.
        if out.is_full(META.id) {
            let severity = if meant.is_some() {
                Severity::Error
            } else {
                META.severity
            };
            out.left_out(META.id, severity);
            continue;
        }
        let known = documented
            .iter()
            .find(|(o, _)| *o == object)
            .map_or(&[][..], |(_, known)| known.as_slice());
        let ignored_by = if object == "/s3Config" {
            "the worker ignores it"
        } else {
            "the service ignores it"
        };
        let meant_help = |meant: &str| {
            if ctx
                .get(&crate::finding::child_pointer(object, meant))
                .is_some()
            {
                format!("did you mean `{meant}`? It is already set: remove `{shown}`")
            } else {
                format!("did you mean `{meant}`?")
            }
        };
        let (message, help) = match (object, meant) {
            ("", Some(meant)) => (
                format!("unknown top-level key `{shown}`: the service discards it"),
                meant_help(meant),
            ),
            ("", None) if matches!(key.as_str(), "timeout" | "wait") => (
                format!("unknown top-level key `{shown}`: the service discards it"),
                "a client's time limit is not a body key: pass it to the SDK call (Python `endpoint.run_sync(request, timeout=60)`, in seconds; JavaScript `endpoint.runSync(request, 60000)`, in milliseconds) or as `/runsync?wait=60000` (milliseconds); the job's own limit is `policy.executionTimeout`".to_owned(),
            ),
            ("", None) => (
                format!("unknown top-level key `{shown}`: the service discards it"),
                format!(
                    "if `{shown}` is a parameter for the worker, move it inside `input`; the top level takes only {}",
                    list(known)
                ),
            ),
            (_, Some(meant)) => (
                format!("unknown key `{shown}` in `{}`: {ignored_by}", &object[1..]),
                meant_help(meant),
            ),
            ("/s3Config", None) if key.eq_ignore_ascii_case("region") => (
                format!("unknown key `{shown}` in `s3Config`: {ignored_by}"),
                "`s3Config` has no region: the region is part of `endpointUrl`, as in `https://s3.us-east-1.amazonaws.com`".to_owned(),
            ),
            (_, None) => (
                format!("unknown key `{shown}` in `{}`: {ignored_by}", &object[1..]),
                format!("`{}` takes only {}", &object[1..], list(known)),
            ),
        };
        let mut finding = Finding::new(&META, ctx.pointer(&shape.value_pointer()), message)
            .at(Target::Key)
            .help(help);
        if object.is_empty() && meant.is_none() && !matches!(key.as_str(), "timeout" | "wait") {
            finding.fix = move_into_input(ctx, key);
        }
        if meant.is_some() {
            // The user meant a documented key: the setting is certainly lost.
            finding = finding.severity(Severity::Error);
        }
        if let Some(meant) = meant
            && ctx
                .get(&crate::finding::child_pointer(object, meant))
                .is_none()
            && targets.get(&(object, meant)) == Some(&1)
        {
            // Renamed, the key starts to act: the request changes.
            finding = finding.fix(
                crate::finding::Applicability::Unsafe,
                format!("rename it `{meant}`"),
                ctx.pointer(&shape.value_pointer()),
                Target::Key,
                serde_json::Value::String(meant.to_owned()).to_string(),
            );
        }
        out.push(finding);
    }
}

fn list(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fix that moves the top-level member `key` inside `input` (as the help says): written
/// as it was, after `input`'s last member. Unsafe: the worker starts to receive it. None when
/// `input` is no object, already has the key, or the key is written more than once.
fn move_into_input(ctx: &Context<'_>, key: &str) -> Option<crate::finding::Fix> {
    use crate::finding::{Applicability, Edit, Fix, Span};
    let input = ctx.get("/input")?.as_object()?;
    if input.contains_key(key) {
        return None;
    }
    let doc = ctx.doc;
    let text = doc.text();
    let pointer = ctx.pointer(&crate::finding::child_pointer("", key));
    let [member] = doc.occurrences(&pointer)[..] else {
        return None;
    };
    let deletion = doc.member_deletion(member)?;
    let written_key = text.get(member.key?.start..member.key?.end)?;
    let written_value = text.get(member.value.start..member.value.end)?;
    let braces = doc.spans(&ctx.pointer("/input"))?.value;
    let inside = Span::new(braces.start + 1, braces.end.checked_sub(1)?);
    let insertion = if input.is_empty() {
        // The whole `{}` replaced: a second move in the same pass overlaps it and waits for
        // the next, where it appends to a non-empty `input`.
        (braces, format!("{{{written_key}: {written_value}}}"))
    } else {
        let members = text.get(inside.start..inside.end)?;
        let end = inside.start + members.trim_end().len();
        // On a line of its own where members are, indented as the first member (the last
        // line may be a multi-line value's closing bracket), with the object's line break.
        let separator = if members.trim_end().contains('\n') {
            let first = members.trim_start_matches([' ', '\t', '\r', '\n']);
            let before_first = &members[..members.len() - first.len()];
            let indent = before_first.rsplit('\n').next().unwrap_or("");
            let indent = if before_first.contains('\n') {
                indent
            } else {
                // The first member follows the brace: the last line's indentation.
                let line = text.get(..end)?.rsplit('\n').next().unwrap_or("");
                &line[..line.len() - line.trim_start().len()]
            };
            let newline = if members.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            format!(",{newline}{indent}")
        } else {
            ", ".to_owned()
        };
        (
            Span::new(end, end),
            format!("{separator}{written_key}: {written_value}"),
        )
    };
    let edit = |span: Span, replacement: String| Edit {
        pointer: pointer.clone(),
        target: Target::At(span),
        replacement,
        span,
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("move `{}` inside `input`", crate::finding::shorten(key, 60)),
        edits: vec![
            edit(deletion, String::new()),
            edit(insertion.0, insertion.1),
        ],
    })
}
