//! The rule registry: one file per rule, one line per rule in [`ALL`].
//!
//! A rule declares its id, default severity, summary and documentation with [`declare_rule!`];
//! the doc comment *is* the documentation that `rplint explain` prints. A rule finds problems
//! in one of three ways ([`Check`]): from the schema's verdict on the shape of a request, by
//! looking at a request, or by looking at the whole document.

use serde_json::Value;

use crate::document::Document;
use crate::finding::Finding;
pub use crate::finding::RuleMeta;
use crate::kind::Kind;
use crate::schema::Shape;

mod batch_too_many_requests;
mod batch_unknown_key;
mod byte_order_mark;
mod client_wraps_input;
mod cpu_flavor;
mod cuda_version;
mod curl_content_type;
mod curl_data_pieces;
mod curl_proxy_method;
mod duplicate_key;
mod execution_timeout_range;
mod gpu_ids;
mod gpu_type_id;
mod host_not_read;
mod hub_env_entry;
mod hub_env_input;
mod hub_file_not_object;
mod hub_invalid_value;
mod hub_missing_field;
mod hub_preset_key;
mod hub_runs_on;
mod hub_tests_empty;
mod hub_unknown_key;
mod input_not_object;
mod invalid_type;
mod invalid_utf8;
mod json_syntax;
mod missing_input;
mod payload_too_large;
mod plaintext_secret;
mod request_not_object;
mod s3_bucket_name;
mod s3_config_incomplete;
mod s3_endpoint_url;
mod test_input_wrapped;
mod test_timeout_range;
mod ttl_range;
mod ttl_shorter_than_timeout;
mod undocumented_key;
mod unfilled_placeholder;
mod unknown_key;
mod unused_suppression;
mod webhook_credentials;
mod webhook_insecure;
mod webhook_unreachable;
mod webhook_url;

pub(crate) use client_wraps_input::META as CLIENT_WRAPS_INPUT;
#[cfg(feature = "host-shell")]
pub(crate) use curl_content_type::META as CURL_CONTENT_TYPE;
#[cfg(feature = "host-shell")]
pub(crate) use curl_data_pieces::META as CURL_DATA_PIECES;
#[cfg(feature = "host-shell")]
pub(crate) use curl_proxy_method::META as CURL_PROXY_METHOD;
pub(crate) use host_not_read::{META as HOST_NOT_READ, may_send_requests};
pub(crate) use invalid_type::META as INVALID_TYPE;
pub(crate) use payload_too_large::group as group_digits;
#[cfg(feature = "cli")]
pub(crate) use unused_suppression::unused_suppression_finding;

/// The keys that hold a webhook URL, relative to a request.
pub(crate) const WEBHOOK_KEYS: &[&str] = &["/webhook", "/webhookV2"];

/// The rules whose finding makes every other finding about the same *value* moot: a value of
/// the wrong type has no meaningful range. Findings about keys, bytes or absent members stay.
const TYPE_RULES: &[&RuleMeta] = &[
    &invalid_type::META,
    &input_not_object::META,
    &request_not_object::META,
];

/// Whether a finding of rule `id` makes the other findings about its value moot.
pub(crate) fn moots_value(id: &str) -> bool {
    TYPE_RULES.iter().any(|meta| meta.id == id)
}

/// A value as a message may show it, at any size and depth: a string's text, a number,
/// boolean or `null` as written, an array or object by its type (a deep value is never
/// formatted whole: its text could be megabytes, and formatting it recurses).
pub(crate) fn brief_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => type_phrase(value).to_owned(),
        scalar => scalar.to_string(),
    }
}

/// Words for a schema verdict that a rule has no wording of its own for, so that no verdict is
/// dropped: a message and a help. `what` names the document ("the request", "the Hub file").
pub(crate) fn shape_words(shape: &Shape, what: &str) -> (String, String) {
    use crate::schema::ShapeKind;
    let name = key_name(&shape.pointer);
    let message = match &shape.kind {
        ShapeKind::Missing(key) => format!("`{name}` has no `{key}`, which {what} requires"),
        ShapeKind::Unexpected(key) => format!("`{name}` has `{key}`, which {what} does not allow"),
        ShapeKind::WrongType { expected } => format!("`{name}` must be of type {expected}"),
        ShapeKind::Below(limit) => format!("`{name}` is below its minimum, {limit}"),
        ShapeKind::Above(limit) => format!("`{name}` is above its maximum, {limit}"),
        ShapeKind::Empty => format!("`{name}` is empty"),
        ShapeKind::NotAllowed(allowed) => {
            format!("`{name}` must be one of {}", allowed.join(", "))
        }
        ShapeKind::Other(reason) => format!("`{name}` does not fit {what}'s schema: {reason}"),
    };
    (
        message,
        format!("`rplint schema` prints the schema {what} is checked against"),
    )
}

/// A rule's translation of the schema verdicts assigned to it.
pub(crate) type ShapeCheck = fn(&[Shape], &Context<'_>, &mut Findings<'_>);

/// A rule's look at a request, or at a whole document of a kind.
pub(crate) type ValueCheck = fn(&Context<'_>, &mut Findings<'_>);

/// How a rule finds its problems.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// Made from the configuration file, not from a checked document.
    Configuration,
    /// Made by a host file's reader from the host's own code (a `curl` command's options).
    Host,
    /// Looks at a document's bytes and text, before and whatever its parse.
    Text(fn(&TextContext<'_>, &mut Findings<'_>)),
    /// Translates the schema's verdicts that a kind's table (`schema::TABLE` for requests)
    /// assigns to this rule, in any kind.
    Shape(ShapeCheck),
    /// Looks at one request (every request a document holds).
    Request(ValueCheck),
    /// Shape verdicts and a look at the request.
    ShapeAndRequest(ShapeCheck, ValueCheck),
    /// Looks at the whole document once, whatever its kind.
    Document(fn(&Document<'_>, &mut Findings<'_>)),
    /// Looks at a whole document of one of these kinds (other than a request).
    Kind(&'static [Kind], ValueCheck),
    /// Shape verdicts (in any kind) and a look at documents of these kinds.
    ShapeAndKind(&'static [Kind], ShapeCheck, ValueCheck),
    /// Shape verdicts, a look at each request, and a look at documents of these kinds.
    ShapeRequestAndKind(ShapeCheck, ValueCheck, &'static [Kind], ValueCheck),
}

/// A registered rule.
pub(crate) struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Check,
}

/// Where rules put their findings. Each finding is completed as it is added: its spans (and
/// its labels') are resolved in the document from its JSON Pointer and target, so a finding
/// is whole from the moment a rule makes it. Without a document (a text that does not
/// parse), only findings that point at a known span (`Target::At`) have one.
///
/// A rule keeps at most [`MOST_PER_RULE`] findings in one document; the others are counted,
/// and [`Findings::into_vec`] says how many in one more finding of the rule. Per rule, so that
/// a rule the configuration turns off never crowds out the findings of another.
pub(crate) struct Findings<'d> {
    doc: Option<&'d Document<'d>>,
    list: Vec<Finding>,
    /// For each rule: findings kept, findings left out, and the most severe left out.
    counted: std::collections::HashMap<&'static str, (usize, usize, crate::finding::Severity)>,
}

/// The most findings one rule keeps in one document (a 10 MB body can hold 500,000 unknown
/// keys, and each finding costs its message, help and pointer).
pub(crate) const MOST_PER_RULE: usize = 10_000;

impl<'d> Findings<'d> {
    /// Findings in `doc` (if it parsed), after `earlier` ones already complete.
    pub fn new(doc: Option<&'d Document<'d>>, earlier: Vec<Finding>) -> Self {
        let mut counted = std::collections::HashMap::new();
        for finding in &earlier {
            counted
                .entry(finding.rule)
                .or_insert((0, 0, crate::finding::Severity::Info))
                .0 += 1;
        }
        Self {
            doc,
            list: earlier,
            counted,
        }
    }

    /// Add a finding, resolving its spans.
    pub fn push(&mut self, mut finding: Finding) {
        let count =
            self.counted
                .entry(finding.rule)
                .or_insert((0, 0, crate::finding::Severity::Info));
        if count.0 >= MOST_PER_RULE {
            count.1 += 1;
            count.2 = count.2.max(finding.severity);
            return;
        }
        count.0 += 1;
        finding.span = self.resolve(&finding.pointer, &finding.target);
        for label in &mut finding.labels {
            label.span = self.resolve(&label.pointer, &label.target);
        }
        if let Some(fix) = &mut finding.fix {
            for edit in &mut fix.edits {
                edit.span = self.resolve(&edit.pointer, &edit.target);
            }
            // A fix whose place is not known (no document) is no fix.
            if self.doc.is_none()
                && fix
                    .edits
                    .iter()
                    .any(|e| !matches!(e.target, crate::finding::Target::At(_)))
            {
                finding.fix = None;
            }
        }
        self.list.push(finding);
    }

    /// Whether `rule` already keeps [`MOST_PER_RULE`] findings: a rule that makes many (one
    /// per unknown key) counts the rest with [`Findings::left_out`] instead of building each.
    pub fn is_full(&self, rule: &str) -> bool {
        self.counted
            .get(rule)
            .is_some_and(|count| count.0 >= MOST_PER_RULE)
    }

    /// Count one more finding of `rule`, of `severity`, as left out (as [`Findings::push`]
    /// does once the rule [`Findings::is_full`]).
    pub fn left_out(&mut self, rule: &'static str, severity: crate::finding::Severity) {
        let count = self
            .counted
            .entry(rule)
            .or_insert((0, 0, crate::finding::Severity::Info));
        count.1 += 1;
        count.2 = count.2.max(severity);
    }

    /// Add findings, resolving their spans.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for finding in findings {
            self.push(finding);
        }
    }

    /// The findings, in the order they were added, then for each rule that left findings out,
    /// one that says how many (at the document's root).
    pub fn into_vec(mut self) -> Vec<Finding> {
        let mut left_out: Vec<_> = (self.counted.iter())
            .filter(|(_, count)| count.1 > 0)
            .map(|(rule, count)| (*rule, count.1, count.2))
            .collect();
        left_out.sort_unstable();
        for (rule, more, severity) in left_out {
            let Some(meta) = get(rule) else { continue };
            let finding = Finding::new(
                meta,
                "",
                format!(
                    "{} more `{rule}` findings in this document are not listed",
                    group_digits(more)
                ),
            )
            .severity(severity)
            .at(crate::finding::Target::Inside)
            .help(format!(
                "rplint lists the first {} of a rule per document: fix those and check again",
                group_digits(MOST_PER_RULE)
            ));
            // Pushed past the count: the summary is always kept.
            let mut finding = finding;
            finding.span = self.resolve(&finding.pointer, &finding.target);
            self.list.push(finding);
        }
        self.list
    }

    fn resolve(&self, pointer: &str, target: &crate::finding::Target) -> crate::finding::Span {
        match (self.doc, target) {
            (_, crate::finding::Target::At(span)) => *span,
            (Some(doc), target) => doc.resolve(pointer, target),
            (None, _) => crate::finding::Span::default(),
        }
    }
}

/// What a rule sees of a document's text, whether or not it parses.
pub(crate) struct TextContext<'a> {
    /// The document as read (its text is empty when it was too large to read).
    pub source: &'a crate::source::Source,
    /// The route the document is sent to; `None` for kinds that are never sent (Hub files).
    pub route: Option<crate::config::Route>,
    /// Why the text is not JSON, when it is not: every independent syntax error.
    pub syntax: &'a [crate::document::SyntaxError],
}

/// What a rule sees of one request.
pub(crate) struct Context<'a> {
    /// The whole document.
    pub doc: &'a Document<'a>,
    /// The request being checked (the document's root, or one element of a batch).
    pub request: &'a Value,
    /// The pointer of the request within the document.
    pub base: &'a str,
    /// The route the request is sent to.
    pub route: crate::config::Route,
    /// The kind of the value: [`Kind::Request`] for a request, else the document's kind (and
    /// `request` is the document's root).
    pub kind: Kind,
    /// See [`Context::webhooks`].
    pub webhooks: std::sync::OnceLock<Vec<(&'static str, &'a str, url::Url)>>,
}

impl<'a> Context<'a> {
    /// The document pointer of a pointer relative to the request.
    pub fn pointer(&self, relative: &str) -> String {
        format!("{}{relative}", self.base)
    }

    /// The value at a pointer relative to the request. (Rules ask for a handful of fixed
    /// pointers per request, so this avoids `Value::pointer`'s allocations.)
    pub fn get(&self, relative: &str) -> Option<&'a Value> {
        if relative.contains('~') {
            return self.request.pointer(relative);
        }
        let mut value = self.request;
        for token in relative.split('/').skip(1) {
            value = match value {
                // Request-level objects have a few keys: comparing them beats hashing.
                Value::Object(map) if map.len() <= 8 => {
                    map.iter().find(|(k, _)| *k == token).map(|(_, v)| v)?
                }
                Value::Object(map) => map.get(token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The webhook URLs of the request that parse, with their pointer, parsed once per request.
    pub fn webhooks(&self) -> &[(&'static str, &'a str, url::Url)] {
        self.webhooks.get_or_init(|| {
            WEBHOOK_KEYS
                .iter()
                .filter_map(|key| {
                    let text = self.get(key)?.as_str()?;
                    if crate::secrets::is_unfilled_placeholder(text) {
                        return None;
                    }
                    let url = url::Url::parse(text.trim()).ok()?;
                    Some((*key, text, url))
                })
                .collect()
        })
    }

    /// The source text of the value at a pointer relative to the request.
    pub fn literal(&self, relative: &str) -> Option<&str> {
        self.doc.literal(&self.pointer(relative))
    }
}

/// Declare a rule's metadata; the doc comment becomes its documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident { id: $id:literal, severity: $severity:ident, summary: $summary:literal
            $(, also: [$(($other:ident, $when:literal)),* $(,)?])? $(,)? }
    ) => {
        $(#[doc = $doc])*
        pub(crate) static $name: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $id,
            severity: $crate::finding::Severity::$severity,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            also: &[$($(($crate::finding::Severity::$other, $when)),*)?],
        };
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by id.
pub(crate) static ALL: &[Rule] = &[
    batch_too_many_requests::RULE,
    batch_unknown_key::RULE,
    byte_order_mark::RULE,
    client_wraps_input::RULE,
    cpu_flavor::RULE,
    cuda_version::RULE,
    curl_content_type::RULE,
    curl_data_pieces::RULE,
    curl_proxy_method::RULE,
    duplicate_key::RULE,
    execution_timeout_range::RULE,
    gpu_ids::RULE,
    gpu_type_id::RULE,
    host_not_read::RULE,
    hub_env_entry::RULE,
    hub_env_input::RULE,
    hub_file_not_object::RULE,
    hub_invalid_value::RULE,
    hub_missing_field::RULE,
    hub_preset_key::RULE,
    hub_runs_on::RULE,
    hub_tests_empty::RULE,
    hub_unknown_key::RULE,
    input_not_object::RULE,
    invalid_type::RULE,
    invalid_utf8::RULE,
    json_syntax::RULE,
    missing_input::RULE,
    payload_too_large::RULE,
    plaintext_secret::RULE,
    request_not_object::RULE,
    s3_bucket_name::RULE,
    s3_config_incomplete::RULE,
    s3_endpoint_url::RULE,
    test_input_wrapped::RULE,
    test_timeout_range::RULE,
    ttl_range::RULE,
    ttl_shorter_than_timeout::RULE,
    undocumented_key::RULE,
    unfilled_placeholder::RULE,
    unknown_key::RULE,
    unused_suppression::RULE,
    webhook_credentials::RULE,
    webhook_insecure::RULE,
    webhook_unreachable::RULE,
    webhook_url::RULE,
];

/// The metadata of every rule, sorted by id.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    ALL.iter().map(|r| r.meta)
}

/// The rule with this id.
pub fn get(id: &str) -> Option<&'static RuleMeta> {
    all().find(|m| m.id == id)
}

/// The closest rule id to a mistyped one.
pub fn suggest(id: &str) -> Option<&'static str> {
    crate::suggest::closest(id, all().map(|m| m.id))
}

/// The rule's documentation as plain text: the doc comment without its one-space indent.
pub fn docs_text(meta: &RuleMeta) -> String {
    meta.docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The last token of a pointer, for messages (`executionTimeout` for `/policy/executionTimeout`).
/// An array element is named with its array: `options[0]` for `/env/1/input/options/0`.
pub(crate) fn key_name(pointer: &str) -> std::borrow::Cow<'_, str> {
    let tokens: Vec<_> = crate::finding::pointer_tokens(pointer).collect();
    match tokens.as_slice() {
        [] => "request".into(),
        [.., parent, last] if last.parse::<usize>().is_ok() => format!("{parent}[{last}]").into(),
        [last] if last.parse::<usize>().is_ok() => format!("[{last}]").into(),
        [.., last] => last.clone(),
    }
}

/// "a string", "an object", ... for messages.
pub(crate) fn type_phrase(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number with a fraction or exponent",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A duration in milliseconds in words: `600000` → `10 minutes`.
pub(crate) fn humanize_ms(ms: u64) -> String {
    const UNITS: &[(u64, &str)] = &[
        (86_400_000, "day"),
        (3_600_000, "hour"),
        (60_000, "minute"),
        (1000, "second"),
    ];
    for &(size, unit) in UNITS {
        if ms >= size && ms % size == 0 {
            let n = ms / size;
            return format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        }
    }
    for &(size, unit) in UNITS {
        if ms >= size {
            let n = ms as f64 / size as f64;
            return format!("{n:.1} {unit}s");
        }
    }
    format!("{ms} ms")
}

/// Help for a millisecond value out of `min..=max` that reads as seconds.
pub(crate) fn seconds_help(value: f64, min: u64, max: u64) -> Option<String> {
    if value.fract() != 0.0 || value <= 0.0 {
        return None;
    }
    let ms = value * 1000.0;
    (ms >= min as f64 && ms <= max as f64).then(|| {
        let ms = ms as u64;
        format!(
            "the value looks like seconds: did you mean {ms} ({})?",
            humanize_ms(ms)
        )
    })
}

/// A time in range that still reads as seconds: a whole number of minutes counted in seconds
/// (`7200`, `86400`, `604800`) that is not a whole number of seconds counted in milliseconds
/// (as `600000` is), and that in milliseconds would be in range. The warning for it, with the
/// value meant.
pub(crate) fn seconds_in_range(
    meta: &'static RuleMeta,
    ctx: &Context<'_>,
    pointer: &str,
    bounds: (u64, u64),
    out: &mut Findings<'_>,
) {
    let Some(value) = ctx.get(pointer).and_then(Value::as_u64) else {
        return;
    };
    let ms = value.saturating_mul(1000);
    if value < bounds.0 || value % 60 != 0 || value % 1000 == 0 || ms > bounds.1 {
        return;
    }
    let name = key_name(pointer);
    out.push(
        Finding::new(
            meta,
            ctx.pointer(pointer),
            format!(
                "`{name}` is {value} ms ({}), which reads as {} in seconds",
                humanize_ms(value),
                humanize_ms(ms)
            ),
        )
        .severity(crate::finding::Severity::Warning)
        .help(format!(
            "times are in milliseconds: if you meant {}, write {ms}",
            humanize_ms(ms)
        ))
        .fix(
            crate::finding::Applicability::Unsafe,
            format!("read it as seconds: write `{ms}`"),
            ctx.pointer(pointer),
            crate::finding::Target::Value,
            ms.to_string(),
        ),
    );
}

/// Findings for a millisecond value outside the schema's bounds, with the seconds-or-not help.
/// `bounds` is the range the schema declares, for the help.
pub(crate) fn range_findings(
    meta: &'static RuleMeta,
    shapes: &[Shape],
    ctx: &Context<'_>,
    bounds: (u64, u64),
    out: &mut Findings<'_>,
) {
    use crate::schema::ShapeKind;
    for shape in shapes {
        let Some(value) = ctx.get(&shape.pointer).and_then(Value::as_f64) else {
            continue;
        };
        let name = key_name(&shape.pointer);
        let literal = crate::finding::shorten(ctx.literal(&shape.pointer).unwrap_or_default(), 30)
            .into_owned();
        let message = match shape.kind {
            ShapeKind::Below(limit) => format!(
                "`{name}` is {literal} ms; the service requires at least {} ({})",
                limit as u64,
                humanize_ms(limit as u64)
            ),
            ShapeKind::Above(limit) => format!(
                "`{name}` is {literal} ms; the service allows at most {} ({})",
                limit as u64,
                humanize_ms(limit as u64)
            ),
            _ => continue,
        };
        let seconds = seconds_help(value, bounds.0, bounds.1);
        let fix = seconds
            .is_some()
            .then(|| ((value * 1000.0) as u64).to_string());
        let help = seconds.unwrap_or_else(|| {
            format!(
                "times are in milliseconds: use a value from {} ({}) to {} ({})",
                bounds.0,
                humanize_ms(bounds.0),
                bounds.1,
                humanize_ms(bounds.1)
            )
        });
        let mut finding = Finding::new(meta, ctx.pointer(&shape.pointer), message).help(help);
        if let Some(ms) = fix {
            // The value changes: only the user knows it meant seconds.
            finding = finding.fix(
                crate::finding::Applicability::Unsafe,
                format!("read it as seconds: write `{ms}`"),
                ctx.pointer(&shape.pointer),
                crate::finding::Target::Value,
                ms,
            );
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(humanize_ms(600_000), "10 minutes");
        assert_eq!(humanize_ms(5000), "5 seconds");
        assert_eq!(humanize_ms(604_800_000), "7 days");
        assert_eq!(humanize_ms(90_000), "90 seconds");
        assert_eq!(humanize_ms(90_500), "1.5 minutes");
        assert_eq!(humanize_ms(20), "20 ms");
    }

    #[test]
    fn seconds_are_recognised() {
        assert_eq!(
            seconds_help(600.0, 5000, 604_800_000).as_deref(),
            Some("the value looks like seconds: did you mean 600000 (10 minutes)?")
        );
        assert_eq!(seconds_help(1.0, 5000, 604_800_000), None);
    }
}
