//! The one per-file pipeline, used by the command line and by [`crate::Linter`] alike:
//! read bytes → decide the kind → parse → shape (the kind's schema) → rules → configuration →
//! findings.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use crate::config::{Config, Route};
use crate::document::Document;
use crate::finding::{Finding, Span, Target};
use crate::host::{self, Language};
use crate::kind::{self, Kind, Skip};
use crate::rules::{self, ALL, Check, Context, Findings};
use crate::schema;
use crate::source::Source;

/// What the pipeline made of one file.
#[derive(Debug)]
pub struct Outcome {
    /// The kind the file was checked as; `None` when it was skipped.
    pub kind: Option<Kind>,
    /// Why a walked file was not checked.
    pub skipped: Option<Skip>,
    /// The findings, with spans resolved, filtered and sorted by position.
    pub findings: Vec<Finding>,
    /// The ids of the configuration's suppressions that hid a finding.
    pub suppressed: Vec<usize>,
    /// For a host file (Markdown, shell): its language and what was found in it.
    pub host: Option<HostOutcome>,
}

/// What a host file held (see [`crate::host`]).
#[derive(Debug)]
pub struct HostOutcome {
    /// The host's language.
    pub language: Language,
    /// Each place that holds or could hold a body, in host order: its holder in words, its
    /// span in the host, and the kind it was checked as or why it was not checked.
    pub found: Vec<(String, Span, Result<Kind, String>)>,
    /// Bodies read from other files, to be checked there.
    pub references: Vec<host::Reference>,
}

/// Check one file. `path` is where it was read from (for the kind its path names); `walked`
/// says it was found by a directory walk, which checks RunPod documents only: such a file is
/// skipped when it is none of the kinds. A file named by the user is always checked (as a
/// request where nothing says otherwise).
pub fn check_file(source: &Source, config: &Config, path: Option<&Path>, walked: bool) -> Outcome {
    if let Some(path) = path
        && let Some(language) = Language::by_path(path)
    {
        return check_host(source, config, language, Language::jsx(path), walked);
    }
    let chosen = config
        .kind()
        .or_else(|| path.and_then(|p| kind::by_path(p, None)))
        .or_else(|| config.chosen_route().map(Kind::of_route));
    let fallback = (!walked).then_some(Kind::Request);
    // Most JSON files a walk meets are not RunPod documents: tell them by their strings
    // before building the document (a lock file or a vocabulary costs many times its size).
    if walked
        && chosen.is_none()
        && !source.is_unread()
        && !path.is_some_and(kind::path_needs_content)
        && !path.is_some_and(kind::path_names_a_request)
        && kind::certainly_not_runpod(source.text())
    {
        return skipped(Skip::NotRunpod);
    }
    if source.is_unread() {
        let named = path
            .is_some_and(kind::path_names_a_request)
            .then_some(Kind::Request);
        let Some(kind) = chosen.or(fallback).or(named) else {
            return skipped(Skip::TooLarge);
        };
        let findings = check_text(source, kind, config, &[]);
        return checked(kind, finish(source, findings, config));
    }
    let doc = Document::parse(source.text());
    let kind = match &doc {
        Ok(doc) => chosen
            .or_else(|| path.and_then(|p| kind::by_path(p, Some(doc.value()))))
            .or_else(|| kind::by_content(doc.value()))
            .or_else(|| path.and_then(|p| kind::by_name(p, doc.value())))
            .or(fallback),
        Err(_) => chosen
            .or_else(|| kind::broken_kind(path, source.text()))
            .or(fallback),
    };
    let Some(kind) = kind else {
        return skipped(if doc.is_ok() {
            Skip::NotRunpod
        } else {
            Skip::NotJsonNotRunpod
        });
    };
    let syntax = match &doc {
        Err(first) => crate::document::syntax_errors(source.text(), first.clone()),
        Ok(_) => Vec::new(),
    };
    match &doc {
        Ok(doc) => source.set_meant(crate::secrets::by_meaning(doc)),
        Err(_) => source.set_meant(crate::secrets::near_keys(source.text())),
    }
    let text_findings = check_text(source, kind, config, &syntax);
    let Ok(doc) = doc else {
        return checked(kind, finish(source, text_findings, config));
    };
    let mut findings = Findings::new(Some(&doc), text_findings);
    let route = route_of(kind, config);
    if kind == Kind::Request {
        check_request(&doc, doc.value(), "", route, &mut findings);
    } else {
        for (base, request) in crate::kinds::requests(kind, doc.value()) {
            check_request(&doc, request, &base, route, &mut findings);
        }
        check_kind(&doc, doc.value(), kind, route, &mut findings);
    }
    for rule in ALL {
        if let Check::Document(check) = rule.check {
            check(&doc, &mut findings);
        }
    }
    checked(kind, finish(source, findings.into_vec(), config))
}

fn skipped(skip: Skip) -> Outcome {
    Outcome {
        kind: None,
        skipped: Some(skip),
        findings: Vec::new(),
        suppressed: Vec::new(),
        host: None,
    }
}

fn checked(kind: Kind, (findings, suppressed): (Vec<Finding>, Vec<usize>)) -> Outcome {
    Outcome {
        kind: Some(kind),
        skipped: None,
        findings,
        suppressed,
        host: None,
    }
}

/// Check a host file: every body it holds as its kind, each finding mapped to the host's
/// line and column; and the findings about the host's own code. A walked host that holds no
/// body is skipped.
fn check_host(
    source: &Source,
    config: &Config,
    language: Language,
    jsx: bool,
    walked: bool,
) -> Outcome {
    if source.is_unread() {
        return skipped(Skip::TooLarge);
    }
    let extraction = host::extract(language, source.text(), jsx);
    let mut found = Vec::new();
    let mut body_findings = Vec::new();
    let mut suppressed = Vec::new();
    // Secrets anywhere in the host's text, inside a body or not (a body the shell mangles, a
    // dict the code changes), masked as in a document that does not parse: conservatively.
    let mut meant = crate::secrets::near_keys_in_code(source.text());
    for span in &extraction.secrets {
        meant.spans.push(*span);
        if let Some(value) = source.text().get(span.start..span.end) {
            let value = value.trim();
            meant.values.push(value.to_owned());
            if let Some(token) = value.split_whitespace().last() {
                meant.values.push(token.to_owned());
            }
        }
    }
    for passed in &extraction.passed {
        found.push((
            passed.holder.clone(),
            passed.span,
            Err(passed.reason.clone()),
        ));
    }
    for body in extraction.bodies {
        body_findings.extend(check_body(
            source,
            &body,
            config,
            &mut found,
            &mut meant,
            &mut suppressed,
        ));
    }
    for reference in &extraction.references {
        found.push((
            format!(
                "`curl` body file `{}` (reported as its own file)",
                reference.name
            ),
            reference.span,
            Ok(reference.kind),
        ));
    }
    source.set_meant(meant);
    found.sort_by_key(|(_, span, _)| span.start);
    let (mut findings, host_suppressed) = finish(source, extraction.findings, config);
    suppressed.extend(host_suppressed);
    findings.extend(body_findings);
    scrub(source, &mut findings);
    findings.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    // One literal sent by two calls is one mistake, at one place.
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    if walked
        && found.iter().all(|(_, _, verdict)| verdict.is_err())
        && findings.is_empty()
        && extraction.references.is_empty()
    {
        return skipped(if extraction.not_read {
            Skip::NotRead
        } else {
            Skip::NoBodies
        });
    }
    Outcome {
        kind: None,
        skipped: None,
        findings,
        suppressed,
        host: Some(HostOutcome {
            language,
            found,
            references: extraction.references,
        }),
    }
}

/// Check a file that a host reads a body from (`curl -d @body.json`), as the body curl sends:
/// of `kind`, to `route`; with `strip_newlines` (`-d @file`) its carriage returns and line
/// feeds taken out first, every finding still at the file's own line and column.
pub fn check_referenced(
    source: &Source,
    config: &Config,
    kind: Kind,
    route: Route,
    strip_newlines: bool,
) -> Outcome {
    let config = config.clone().with_kind(kind).with_route(route);
    let text = source.text();
    if source.is_unread() || !strip_newlines || !text.contains(['\r', '\n']) {
        return check_file(source, &config, None, false);
    }
    let mut body = String::with_capacity(text.len());
    let mut map = host::OffsetMap::new();
    let mut at = 0;
    for piece in text.split(['\r', '\n']) {
        map.copied(piece.len(), at);
        body.push_str(piece);
        at += piece.len() + 1;
    }
    let embedded = host::Embedded {
        body,
        map,
        hint: host::KindHint::Named(kind),
        route: Some(route),
        holder: "`curl -d @file` body",
        span: Span::new(0, text.len()),
        computed: Vec::new(),
        open: Vec::new(),
        client: None,
    };
    let (mut found, mut meant, mut suppressed) =
        (Vec::new(), crate::secrets::Meant::default(), Vec::new());
    let mut findings = check_body(
        source,
        &embedded,
        &config,
        &mut found,
        &mut meant,
        &mut suppressed,
    );
    source.set_meant(meant);
    scrub(source, &mut findings);
    findings.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    Outcome {
        kind: Some(kind),
        skipped: None,
        findings,
        suppressed,
        host: None,
    }
}

/// Check one embedded body as its kind, with every finding mapped to the host's place; record
/// what it was checked as in `found`, its secrets in `meant` (host spans) and the
/// suppressions that hid a finding.
fn check_body(
    source: &Source,
    body: &host::Embedded,
    config: &Config,
    found: &mut Vec<(String, Span, Result<Kind, String>)>,
    meant: &mut crate::secrets::Meant,
    suppressed: &mut Vec<usize>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let kind = match body.hint {
        host::KindHint::Named(kind) => Some(kind),
        host::KindHint::ByContent => config.kind().or_else(|| host::fence_kind(&body.body)),
    };
    let Some(kind) = kind else {
        found.push((
            body.holder.to_owned(),
            body.span,
            Err("not a RunPod document (no request key, not a Hub file)".to_owned()),
        ));
        return Vec::new();
    };
    if !body.computed.is_empty()
        && serde_json::from_str::<serde::de::IgnoredAny>(&body.body).is_err()
    {
        found.push((
            body.holder.to_owned(),
            body.span,
            Err(
                "the shell computes part of it (`$VAR`), and it is JSON only once it has"
                    .to_owned(),
            ),
        ));
        return Vec::new();
    }
    let mut body_config = config.clone().with_kind(kind);
    if let Some(route) = body.route {
        body_config = body_config.with_route(route);
    }
    let text = Source::new(source.name(), body.body.as_str());
    let outcome = check_file(&text, &body_config, None, false);
    let (spans, values) = text.secret_spans_and_values();
    meant.spans.extend(spans.iter().map(|s| body.map.span(*s)));
    meant.values.extend(values);
    suppressed.extend(outcome.suppressed);
    // Objects with a spread: the pointers whose value is one. What such an object lacks
    // may be in the spread.
    let open_doc = (!body.open.is_empty())
        .then(|| Document::parse(&body.body).ok())
        .flatten();
    let open_pointers: Vec<String> = match open_doc {
        Some(doc) => outcome
            .findings
            .iter()
            .map(|f| f.pointer.clone())
            .filter(|pointer| {
                doc.spans(pointer)
                    .is_some_and(|spans| body.open.contains(&spans.value.start))
            })
            .collect(),
        _ => Vec::new(),
    };
    for mut finding in outcome.findings {
        if is_computed(&finding, body) || open_pointers.contains(&finding.pointer) {
            continue;
        }
        if body.client == Some(host::Client::JsSdk)
            && finding.rule == "unknown-key"
            && matches!(finding.pointer.as_str(), "/timeout" | "/wait")
        {
            finding.help = Some(
                "the SDK's timeout is the call's second argument, in milliseconds: `endpoint.runSync(request, 60000)`; in the body the service discards it".to_owned(),
            );
        }
        if finding.rule == "json-syntax" && finding.message.starts_with("the file ") {
            // The body is not a file of its own.
            finding.message = finding.message.replacen("the file ", "the body ", 1);
        }
        // A fix's text is JSON; the host writes the body in its own syntax.
        finding.fix = None;
        finding.span = body.map.span(finding.span);
        for label in &mut finding.labels {
            label.span = body.map.span(label.span);
        }
        findings.push(finding);
    }
    found.push((body.holder.to_owned(), body.span, Ok(kind)));
    findings
}

/// Whether a finding is about a value the host computes (a `$VAR` in a shell string, a
/// variable in a dict): a scalar whose text holds computed bytes, or an object with a spread
/// (whose missing keys may be in the spread). Findings about keys, and about the objects
/// around such a value, stand.
fn is_computed(finding: &Finding, body: &host::Embedded) -> bool {
    let span = finding.span;
    if finding.target == Target::Value && body.open.contains(&span.start) {
        // About an object with a spread: what it lacks may be in the spread.
        return true;
    }
    let container = body
        .body
        .get(span.start..)
        .is_some_and(|rest| rest.starts_with(['{', '[']));
    finding.target == Target::Value
        && !container
        && body
            .computed
            .iter()
            .any(|c| c.start < span.end.max(span.start + 1) && span.start < c.end)
}

/// The route a document of `kind` is sent to: a request's is the configured `/run` or
/// `/runsync`; the batch kinds have their own.
fn route_of(kind: Kind, config: &Config) -> Route {
    match (kind, config.route()) {
        (Kind::Request, Route::Runsync) => Route::Runsync,
        (Kind::Request, _) => Route::Run,
        (other, _) => other.route().unwrap_or_default(),
    }
}

/// The findings of the rules that look at the text itself (size, encoding, syntax).
fn check_text(
    source: &Source,
    kind: Kind,
    config: &Config,
    syntax: &[crate::document::SyntaxError],
) -> Vec<Finding> {
    let ctx = rules::TextContext {
        source,
        route: kind.route().map(|_| route_of(kind, config)),
        syntax,
    };
    let mut findings = Findings::new(None, Vec::new());
    for rule in ALL {
        if let Check::Text(check) = rule.check {
            check(&ctx, &mut findings);
        }
    }
    findings.into_vec()
}

/// Every rule that looks at one request, on `request` at pointer `base`.
fn check_request(
    doc: &Document<'_>,
    request: &Value,
    base: &str,
    route: Route,
    out: &mut Findings<'_>,
) {
    let ctx = Context {
        doc,
        request,
        base,
        route,
        kind: Kind::Request,
        webhooks: std::sync::OnceLock::new(),
    };
    let mut verdicts = schema::check(request);
    for rule in ALL {
        let (shape, request_check) = match rule.check {
            Check::Shape(shape) | Check::ShapeAndKind(_, shape, _) => (Some(shape), None),
            Check::Request(check) => (None, Some(check)),
            Check::ShapeAndRequest(shape, check) | Check::ShapeRequestAndKind(shape, check, ..) => {
                (Some(shape), Some(check))
            }
            Check::Configuration
            | Check::Host
            | Check::Text(_)
            | Check::Document(_)
            | Check::Kind(..) => (None, None),
        };
        if let Some(shape) = shape {
            verdicts = give(verdicts, rule.meta.id, shape, &ctx, out);
        }
        if let Some(check) = request_check {
            check(&ctx, out);
        }
    }
    debug_assert!(
        verdicts.is_empty(),
        "schema verdicts no rule took: {verdicts:?}"
    );
}

/// A document of a kind other than a request or a batch: its schema's verdicts, then the rules
/// that declare the kind.
fn check_kind(doc: &Document<'_>, value: &Value, kind: Kind, route: Route, out: &mut Findings<'_>) {
    let ctx = Context {
        doc,
        request: value,
        base: "",
        route,
        kind,
        webhooks: std::sync::OnceLock::new(),
    };
    let mut verdicts = schema::check_kind(kind, value);
    for rule in ALL {
        let (shape, kind_check) = match rule.check {
            Check::Shape(shape) | Check::ShapeAndRequest(shape, _) => (Some(shape), None),
            Check::Kind(kinds, check) => (None, kinds.contains(&kind).then_some(check)),
            Check::ShapeAndKind(kinds, shape, check)
            | Check::ShapeRequestAndKind(shape, _, kinds, check) => {
                (Some(shape), kinds.contains(&kind).then_some(check))
            }
            Check::Configuration
            | Check::Host
            | Check::Text(_)
            | Check::Request(_)
            | Check::Document(_) => (None, None),
        };
        if let Some(shape) = shape {
            verdicts = give(verdicts, rule.meta.id, shape, &ctx, out);
        }
        if let Some(check) = kind_check {
            check(&ctx, out);
        }
    }
    debug_assert!(
        verdicts.is_empty(),
        "schema verdicts no rule took: {verdicts:?}"
    );
}

/// Hand rule `id` the verdicts the schema's table assigned to it; return the others.
fn give(
    verdicts: Vec<(&'static str, schema::Shape)>,
    id: &str,
    shape: rules::ShapeCheck,
    ctx: &Context<'_>,
    out: &mut Findings<'_>,
) -> Vec<(&'static str, schema::Shape)> {
    let (mine, rest): (Vec<_>, Vec<_>) = verdicts.into_iter().partition(|(rule, _)| *rule == id);
    if !mine.is_empty() {
        let shapes: Vec<_> = mine.into_iter().map(|(_, s)| s).collect();
        shape(&shapes, ctx, out);
    }
    rest
}

/// The configuration applied once (rules enabled, severities, suppressions), secrets
/// scrubbed from the text, findings sorted by position; with the ids of the suppressions that
/// hid a finding. The findings come complete from the rules (spans resolved).
fn finish(
    source: &Source,
    mut findings: Vec<Finding>,
    config: &Config,
) -> (Vec<Finding>, Vec<usize>) {
    let typed: HashSet<String> = findings
        .iter()
        .filter(|f| rules::moots_value(f.rule))
        .map(|f| f.pointer.clone())
        .collect();
    findings.retain(|f| {
        rules::moots_value(f.rule) || f.target != Target::Value || !typed.contains(&f.pointer)
    });
    // Suppressions first: one whose finding exists hid it, even if its rule is off too.
    let mut suppressed = Vec::new();
    findings.retain(|f| match config.suppression(f.rule, &f.pointer) {
        Some(s) => {
            suppressed.push(s.id);
            false
        }
        None => true,
    });
    findings.retain(|f| config.enabled(f.rule));
    for finding in &mut findings {
        if let Some(severity) = config.severity(finding.rule) {
            finding.severity = severity;
        }
    }
    // After suppressions (which match pointers as written).
    scrub(source, &mut findings);
    findings.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    (findings, suppressed)
}

/// Mask the source's secrets in every text of every finding, its pointers included.
fn scrub(source: &Source, findings: &mut [Finding]) {
    if findings.is_empty() || !source.has_secrets() {
        return;
    }
    for finding in findings {
        finding.message = source.scrub(&finding.message);
        finding.help = finding.help.as_deref().map(|h| source.scrub(h));
        finding.pointer = source.scrub(&finding.pointer);
        for label in &mut finding.labels {
            label.message = source.scrub(&label.message);
            label.pointer = source.scrub(&label.pointer);
        }
        // A fix that would write a secret is not shown, nor applied (masked, it would write
        // asterisks into the file).
        let writes_secret = finding.fix.as_ref().is_some_and(|fix| {
            source.scrub(&fix.message) != fix.message
                || fix
                    .edits
                    .iter()
                    .any(|e| source.scrub(&e.replacement) != e.replacement)
        });
        if writes_secret {
            finding.fix = None;
        }
    }
}
