//! The committed schemas are what the types generate, and the request schema compiles.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

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
