//! Every rule's fixtures: fail fixtures trigger their own rule (snapshot of the human output),
//! pass fixtures trigger nothing at all.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;

use rplint::report::human::{Style, render};
use rplint::{Config, Route, Source};

/// The fixture's name relative to the repository, `/`-separated on every platform.
fn name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a fixture is checked as: a kind its name starts with (`hub-config.`, `hub-tests.`,
/// `legacy-tests.`, `batch-requests.`), else the route its prefix names (`batch-`, `runsync-`),
/// else a request for an explicitly chosen `run` route (`run-` says a fixture needs it being
/// explicit: by its content alone it would be another kind).
fn config_for(path: &Path) -> Config {
    let file = path.file_name().unwrap().to_string_lossy();
    for kind in rplint::Kind::ALL {
        if file.starts_with(&format!("{kind}.")) {
            return Config::default().with_kind(*kind);
        }
    }
    let route = if file.starts_with("batch-") {
        Route::Batch
    } else if file.starts_with("runsync-") {
        Route::Runsync
    } else {
        Route::Run
    };
    Config::default().with_route(route)
}

fn rule_of(path: &Path) -> String {
    // fixtures/<rule>/<pass|fail>/<case>.json
    let rule_dir = path.parent().unwrap().parent().unwrap();
    rule_dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn fail_fixtures_trigger_their_rule() {
    insta::glob!(
        "../fixtures",
        "*/fail/*.{json,md,mdx,sh,py,js,mjs,ts}",
        |path| {
            let source = Source::from_bytes(name(path), std::fs::read(path).unwrap());
            let findings = rplint::check(&source, &config_for(path));
            let rule = rule_of(path);
            for finding in &findings {
                // A finding's severity is its rule's, or one the rule declares (and the README
                // table shows).
                let meta = rplint::rules::get(finding.rule).unwrap();
                assert!(
                    finding.severity == meta.severity
                        || meta.also.iter().any(|(s, _)| *s == finding.severity),
                    "{}: `{}` reports {} but declares {} and {:?}",
                    source.name(),
                    finding.rule,
                    finding.severity,
                    meta.severity,
                    meta.also
                );
            }
            assert!(
                findings.iter().any(|f| f.rule == rule),
                "{} does not trigger `{rule}`: {findings:#?}",
                source.name()
            );
            let shown = render(
                &source,
                &findings,
                Style {
                    width: 100,
                    color: false,
                },
            );
            insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(shown);
            });
        }
    );
}

#[test]
fn pass_fixtures_trigger_nothing() {
    insta::glob!(
        "../fixtures",
        "*/pass/*.{json,md,mdx,sh,py,js,mjs,ts}",
        |path| {
            let source = Source::from_bytes(name(path), std::fs::read(path).unwrap());
            let findings = rplint::check(&source, &config_for(path));
            assert!(findings.is_empty(), "{}: {findings:#?}", source.name());
        }
    );
}

/// STYLE.md: messages are lowercase and one line, with user values in backticks; so is help,
/// and neither ends with a full stop. Checked over every finding every fixture gives, and
/// every rule's summary.
#[test]
fn every_message_keeps_the_house_style() {
    fn check_text(what: &str, text: &str, origin: &str) {
        // Lowercase; an acronym (`JSON`, `CUDA`) may open it.
        let mut chars = text.chars();
        let (first, second) = (chars.next(), chars.next());
        assert!(
            first.is_some()
                && !(first.is_some_and(|c| c.is_ascii_uppercase())
                    && second.is_some_and(|c| c.is_ascii_lowercase())),
            "{origin}: the {what} starts with a capital: {text:?}"
        );
        assert!(
            !text.contains('\n'),
            "{origin}: the {what} is not one line: {text:?}"
        );
        assert!(
            !text.ends_with('.') || text.ends_with("..."),
            "{origin}: the {what} ends with a full stop: {text:?}"
        );
    }
    let mut seen = 0;
    for kind in ["pass", "fail"] {
        for rule in
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")).unwrap()
        {
            let dir = rule.unwrap().path().join(kind);
            for file in std::fs::read_dir(&dir).into_iter().flatten() {
                let path = file.unwrap().path();
                if path.extension().is_none_or(|e| {
                    !["json", "md", "mdx", "sh", "py", "js", "mjs", "ts"]
                        .iter()
                        .any(|x| e == *x)
                }) {
                    continue;
                }
                let source = Source::from_bytes(name(&path), std::fs::read(&path).unwrap());
                for finding in rplint::check(&source, &config_for(&path)) {
                    let origin = format!("{} [{}]", source.name(), finding.rule);
                    check_text("message", &finding.message, &origin);
                    if let Some(help) = &finding.help {
                        check_text("help", help, &origin);
                    }
                    for label in &finding.labels {
                        check_text("label", &label.message, &origin);
                    }
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 100, "{seen} findings");
    for meta in rplint::rules::all() {
        check_text("summary", meta.summary, meta.id);
        for (_, when) in meta.also {
            check_text("severity condition", when, meta.id);
        }
    }
}
