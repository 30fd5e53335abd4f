//! The committed schemas are what the types generate, and the request schema compiles.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::path::Path;

/// Compare a committed file with its generated text; with `RPLINT_BLESS=1`, rewrite it.
fn assert_current(path: &str, generated: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("RPLINT_BLESS").is_some() {
        std::fs::write(&file, generated).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == generated,
        "{path} is out of date with the Rust types; regenerate it with \
         `RPLINT_BLESS=1 cargo test --test schema` and commit the result"
    );
}

#[test]
fn request_schema_is_current() {
    assert_current(
        "schema/request.schema.json",
        &rplint::model::generate_schema(),
    );
}

#[test]
fn every_kind_schema_is_current_and_compiles() {
    for kind in rplint::Kind::ALL {
        let (path, generated) = rplint::kinds::generate_schema(*kind);
        assert_current(path, &generated);
        if std::env::var_os("RPLINT_BLESS").is_some() {
            // The embedded copy is the one of the build before this rewrite.
            continue;
        }
        assert!(rplint::schema::kind_compiles(*kind), "{kind}: {path}");
        assert_eq!(
            rplint::schema::schema_text(*kind),
            generated,
            "{kind}: embedded"
        );
        assert!(
            !generated.contains("anyOf"),
            "{path}: an Option buried in anyOf"
        );
    }
}

#[test]
fn report_schema_is_current() {
    assert_current(
        "schema/report.schema.json",
        &rplint::report::json::generate_schema(),
    );
}

#[test]
fn request_schema_compiles_and_is_draft_07() {
    assert!(rplint::schema::compiles());
    let schema: serde_json::Value = serde_json::from_str(rplint::schema::REQUEST_SCHEMA).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    // Option fields carry their type, not `anyOf [T, null]`, so errors are not buried.
    assert!(!rplint::schema::REQUEST_SCHEMA.contains("anyOf"));
}

/// The committed schema an editor uses for a document of `kind`.
fn editor_schema(kind: rplint::Kind) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(rplint::schema::schema_text(kind)).unwrap();
    jsonschema::draft7::options()
        .should_validate_formats(false)
        .build(&schema)
        .unwrap()
}

/// What a fixture is checked as, by its name (as `tests/fixtures.rs` decides).
fn fixture_kind(file: &str) -> rplint::Kind {
    rplint::Kind::ALL
        .iter()
        .copied()
        .find(|kind| file.starts_with(&format!("{kind}.")))
        .unwrap_or(if file.starts_with("batch-") {
            rplint::Kind::Batch
        } else {
            rplint::Kind::Request
        })
}

/// Where the committed schema of the document's kind rejects what rplint accepts: `None` when
/// rplint reports an error (or the text is no JSON), else the schema's errors that disagree.
///
/// Unknown keys are the one exception, by choice: the schemas keep
/// `additionalProperties: false` (the service drops such keys, and a schema cannot tell a near
/// miss, an error, from another key, a warning), so a key the schema rejects must be one
/// rplint reports as unknown.
fn disagreements(path: &Path, text: &str, config: &rplint::Config) -> Option<Vec<String>> {
    let value = serde_json::from_str::<serde_json::Value>(text).ok()?;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let outcome = rplint::pipeline::check_file(
        &rplint::Source::new(name, text.to_owned()),
        config,
        Some(path),
        false,
    );
    let kind = outcome.kind?;
    let findings = outcome.findings;
    if findings
        .iter()
        .any(|f| f.severity == rplint::Severity::Error)
    {
        return None;
    }
    let unknown: Vec<&str> = findings
        .iter()
        .filter(|f| matches!(f.rule, "unknown-key" | "hub-unknown-key"))
        .map(|f| f.pointer.as_str())
        .collect();
    Some(
        editor_schema(kind)
            .iter_errors(&value)
            .filter(|e| match e.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    !unexpected.iter().all(|key| {
                        let at = format!("{}/{}", e.instance_path().as_str(), key);
                        unknown.contains(&at.as_str())
                    })
                }
                _ => true,
            })
            .map(|e| format!("{} ({kind}) {}: {e}", path.display(), e.instance_path()))
            .collect(),
    )
}

#[test]
fn the_schemas_accept_what_the_linter_accepts() {
    // Every JSON fixture that rplint finds no error in (every pass fixture, and the fail
    // fixtures of warnings and information) is valid under its kind's committed schema: an
    // editor using the schema never marks as wrong what the linter accepts (`$schema`,
    // `webhookV2`, a string `input`).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    let mut disagree = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        for verdict in ["pass", "fail"] {
            let Ok(files) = std::fs::read_dir(rule.as_ref().unwrap().path().join(verdict)) else {
                continue;
            };
            for file in files {
                let path = file.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let config = rplint::Config::default().with_kind(fixture_kind(&name));
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if let Some(found) = disagreements(&path, &text, &config) {
                    checked += 1;
                    disagree.extend(found);
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} fixtures");
    assert!(disagree.is_empty(), "{disagree:#?}");
}

#[test]
fn the_schemas_accept_the_real_documents_the_linter_accepts() {
    let Some(real) = common::shared("corpus/real", "the schemas against the real corpus") else {
        return;
    };
    let mut checked = 0;
    let mut disagree = Vec::new();
    for path in common::json_files(&real) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        if let Some(found) = disagreements(&path, &text, &rplint::Config::default()) {
            checked += 1;
            disagree.extend(found);
        }
    }
    assert!(checked > 40, "only {checked} documents");
    assert!(disagree.is_empty(), "{disagree:#?}");
}

#[test]
fn the_catalog_entries_name_the_committed_schemas() {
    // `schema/catalog.json` holds the entries a schema catalog (SchemaStore's format) needs:
    // each names a committed schema by the `$id` it carries, and each file pattern names files
    // that rplint reads as that schema's kind.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("schema/catalog.json")).unwrap())
            .unwrap();
    let entries = catalog["schemas"].as_array().unwrap();
    let mut urls = Vec::new();
    for kind in rplint::Kind::ALL {
        let (path, _) = rplint::kinds::generate_schema(*kind);
        let url = format!("{}{path}", rplint::kinds::SCHEMA_HOME);
        let schema: serde_json::Value =
            serde_json::from_str(rplint::schema::schema_text(*kind)).unwrap();
        assert_eq!(schema["$id"], url.as_str(), "{kind}");
        assert!(schema["title"].is_string(), "{kind}: no title");
        let entry = entries
            .iter()
            .find(|e| e["url"] == url.as_str())
            .unwrap_or_else(|| panic!("{kind}: no catalog entry for {url}"));
        for pattern in entry["fileMatch"].as_array().unwrap() {
            // `**/.runpod/hub.json` → `some/repo/.runpod/hub.json`.
            let example = pattern.as_str().unwrap().replace("**", "some/repo");
            let value = serde_json::json!({"tests": [], "config": {}});
            assert_eq!(
                rplint::by_path(Path::new(&example), Some(&value)),
                Some(*kind),
                "{pattern}"
            );
        }
        urls.push(url);
    }
    assert_eq!(
        entries.len(),
        urls.len(),
        "an entry for a schema that is not committed"
    );
}
