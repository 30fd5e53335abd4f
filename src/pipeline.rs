//! The one per-file pipeline, used by the command line and by [`crate::Linter`] alike:
//! read bytes → decide the kind → parse → shape (the kind's schema) → rules → configuration →
//! findings.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use crate::config::{Config, Route};
use crate::document::Document;
use crate::finding::{Finding, Target};
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
}

/// Check one file. `path` is where it was read from (for the kind its path names); `walked`
/// says it was found by a directory walk, which checks RunPod documents only: such a file is
/// skipped when it is none of the kinds. A file named by the user is always checked (as a
/// request where nothing says otherwise).
pub fn check_file(source: &Source, config: &Config, path: Option<&Path>, walked: bool) -> Outcome {
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
    }
}

fn checked(kind: Kind, (findings, suppressed): (Vec<Finding>, Vec<usize>)) -> Outcome {
    Outcome {
        kind: Some(kind),
        skipped: None,
        findings,
        suppressed,
    }
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
            Check::Configuration | Check::Text(_) | Check::Document(_) | Check::Kind(..) => {
                (None, None)
            }
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
            Check::Configuration | Check::Text(_) | Check::Request(_) | Check::Document(_) => {
                (None, None)
            }
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
    if !findings.is_empty() && source.has_secrets() {
        // After suppressions (which match pointers as written): every text of a finding,
        // its pointers included, is masked.
        for finding in &mut findings {
            finding.message = source.scrub(&finding.message);
            finding.help = finding.help.as_deref().map(|h| source.scrub(h));
            finding.pointer = source.scrub(&finding.pointer);
            for label in &mut finding.labels {
                label.message = source.scrub(&label.message);
                label.pointer = source.scrub(&label.pointer);
            }
        }
    }
    findings.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    (findings, suppressed)
}
