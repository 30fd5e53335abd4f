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
    insta::glob!("../fixtures", "*/fail/*.json", |path| {
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
    });
}

#[test]
fn pass_fixtures_trigger_nothing() {
    insta::glob!("../fixtures", "*/pass/*.json", |path| {
        let source = Source::from_bytes(name(path), std::fs::read(path).unwrap());
        let findings = rplint::check(&source, &config_for(path));
        assert!(findings.is_empty(), "{}: {findings:#?}", source.name());
    });
}
