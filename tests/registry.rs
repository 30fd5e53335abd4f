//! Registry invariants: ids, docs, fixtures and the README table agree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;
use std::path::Path;

use rplint::rules;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ids_are_unique_sorted_kebab_case() {
    let ids: Vec<_> = rules::all().map(|m| m.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        ids, sorted,
        "rules must be registered once each, sorted by id"
    );
    for id in ids {
        assert!(
            id.split('-').all(|part| !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "`{id}` is not kebab-case"
        );
    }
}

#[test]
fn every_rule_has_documented_sections() {
    for meta in rules::all() {
        let docs = rules::docs_text(meta);
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            assert!(docs.contains(section), "`{}` lacks `{section}`", meta.id);
        }
        // A request rule shows a JSON body; a host rule, the shell command.
        assert!(
            docs.contains("```json") || docs.contains("```sh"),
            "`{}` has no example",
            meta.id
        );
        assert!(
            !meta.summary.ends_with('.'),
            "`{}`: summaries have no final period",
            meta.id
        );
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_and_nothing_else_does() {
    let ids: BTreeSet<_> = rules::all().map(|m| m.id.to_owned()).collect();
    let dirs: BTreeSet<_> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids, dirs, "fixtures/ folders and rule ids differ");
    for id in &ids {
        for kind in ["pass", "fail"] {
            let dir = root().join("fixtures").join(id).join(kind);
            let count = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            assert!(count > 0, "{} has no fixtures", dir.display());
        }
    }
}

fn rule_table() -> String {
    let mut table = String::from("| rule | severity | finds |\n|---|---|---|\n");
    for meta in rules::all() {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            meta.id,
            meta.severities(),
            meta.summary
        ));
    }
    table
}

#[test]
fn readme_rule_table_is_current() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start).expect("README has a rules:start marker") + start.len();
    let to = readme.find(end).expect("README has a rules:end marker");
    let table = rule_table();
    if std::env::var_os("RPLINT_BLESS").is_some() {
        // Written aside and renamed, so the other tests never read a half-written README.
        let fresh = path.with_extension("md.new");
        std::fs::write(
            &fresh,
            format!("{}{table}{}", &readme[..from], &readme[to..]),
        )
        .unwrap();
        std::fs::rename(&fresh, &path).unwrap();
        return;
    }
    assert!(
        readme[from..to] == table,
        "the README's rule table is out of date; regenerate it with \
         `RPLINT_BLESS=1 cargo test --test registry`"
    );
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let head: Vec<_> = readme.lines().take(6).collect();
    assert!(
        head.iter()
            .any(|l| l.starts_with("cargo run --release -- check examples/"))
    );
    assert!(head.iter().any(|l| l.starts_with("cargo test")));
    assert!(root().join("examples/request.json").exists());
}

fn rules_doc() -> String {
    let mut doc = String::from(
        "# rplint rules\n\nGenerated from the rules' doc comments (`RPLINT_BLESS=1 cargo test --test registry`);\n`rplint explain RULE` prints the same text.\n",
    );
    for meta in rules::all() {
        let docs = rules::docs_text(meta).replace("\n## ", "\n### ");
        let docs = docs
            .strip_prefix("## ")
            .map_or(docs.clone(), |d| format!("### {d}"));
        doc.push_str(&format!(
            "\n## {}\n\n**{}**: {}.\n\n{docs}\n",
            meta.id,
            meta.severities(),
            meta.summary
        ));
    }
    doc
}

#[test]
fn rules_doc_is_current() {
    let path = root().join("docs/rules.md");
    let generated = rules_doc();
    if std::env::var_os("RPLINT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date; regenerate it with `RPLINT_BLESS=1 cargo test --test registry`"
    );
}
