//! The public API surface, listed from rustdoc's JSON output, as a reviewed snapshot: an
//! accidental addition, removal or signature change of a public item fails this test.
//!
//! rustdoc's JSON output is unstable; the stable toolchain produces it with `RUSTC_BOOTSTRAP=1`.
//! The listing depends only on the fields read here (items, impls, signatures).
//!
//! Documenting the crate and its dependencies takes about 17 s the first time (a sixth of a
//! first `cargo test` in a fresh clone), so `.ci/run` runs it and `cargo test` does not:
//! `cargo test --test public_api -- --ignored`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
#[ignore = "documents the crate with rustdoc (17 s cold): run by .ci/run, or with --ignored"]
fn public_api_surface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Under the target directory cargo gives integration tests (it follows CARGO_TARGET_DIR).
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("public-api");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "doc",
            "--quiet",
            "--no-deps",
            "--lib",
            "--no-default-features",
            "--locked",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "rustdoc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = std::fs::read_to_string(target.join("doc").join("rplint.json")).unwrap();
    let doc: Value = serde_json::from_str(&json).unwrap();
    let mut lines = Vec::new();
    let root_id = doc["root"].to_string();
    Lister {
        doc: &doc,
        lines: &mut lines,
    }
    .module(&root_id, "rplint");
    lines.sort();
    lines.dedup();
    insta::assert_snapshot!("public_api", lines.join("\n"));
}

struct Lister<'a> {
    doc: &'a Value,
    lines: &'a mut Vec<String>,
}

impl Lister<'_> {
    fn item(&self, id: &str) -> Option<&Value> {
        self.doc["index"].get(id)
    }

    fn module(&mut self, id: &str, path: &str) {
        let Some(module) = self.item(id) else { return };
        let items: Vec<String> = module["inner"]["module"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect();
        for child in items {
            let Some(item) = self.item(&child).cloned() else {
                continue;
            };
            let (target, name) = match item["inner"].get("use") {
                Some(using) => (
                    using["id"].to_string(),
                    using["name"].as_str().unwrap().to_owned(),
                ),
                None => (
                    child.clone(),
                    item["name"].as_str().unwrap_or("").to_owned(),
                ),
            };
            let Some(target_item) = self.item(&target).cloned() else {
                self.lines
                    .push(format!("pub use {path}::{name} (target not documented)"));
                continue;
            };
            self.entry(&target, &target_item, &format!("{path}::{name}"));
        }
    }

    fn entry(&mut self, id: &str, item: &Value, path: &str) {
        let inner = &item["inner"];
        let attrs = attributes(item);
        let (kind, body) = inner.as_object().unwrap().iter().next().unwrap();
        match kind.as_str() {
            "module" => {
                self.lines.push(format!("pub mod {path}"));
                self.module(id, path);
            }
            "constant" => self
                .lines
                .push(format!("pub const {path}: {}", ty(&body["type"]))),
            "function" => self.lines.push(format!("pub {}", function(path, body))),
            "struct" => {
                self.lines.push(format!(
                    "{attrs}pub struct {path}{}",
                    generics(&body["generics"])
                ));
                if let Some(fields) = body["kind"]["plain"]["fields"].as_array() {
                    for field in fields {
                        let field = self.item(&field.to_string()).unwrap();
                        self.lines.push(format!(
                            "pub struct field {path}::{}: {}",
                            field["name"].as_str().unwrap(),
                            ty(&field["inner"]["struct_field"])
                        ));
                    }
                }
                self.impls(path, &body["impls"]);
            }
            "enum" => {
                self.lines.push(format!(
                    "{attrs}pub enum {path}{}",
                    generics(&body["generics"])
                ));
                for variant in body["variants"].as_array().unwrap() {
                    let variant = self.item(&variant.to_string()).unwrap().clone();
                    let name = variant["name"].as_str().unwrap();
                    let fields: Vec<String> =
                        variant["inner"]["variant"]["kind"]["struct"]["fields"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|f| {
                                let f = self.item(&f.to_string()).unwrap();
                                format!(
                                    "{}: {}",
                                    f["name"].as_str().unwrap(),
                                    ty(&f["inner"]["struct_field"])
                                )
                            })
                            .collect();
                    let fields = if fields.is_empty() {
                        String::new()
                    } else {
                        format!(" {{ {} }}", fields.join(", "))
                    };
                    self.lines.push(format!(
                        "{}pub enum variant {path}::{name}{fields}",
                        attributes(&variant)
                    ));
                }
                self.impls(path, &body["impls"]);
            }
            other => self.lines.push(format!("pub {other} {path}")),
        }
    }

    fn impls(&mut self, path: &str, impls: &Value) {
        for id in impls.as_array().unwrap() {
            let imp = self.item(&id.to_string()).unwrap()["inner"]["impl"].clone();
            if !imp["blanket_impl"].is_null() {
                continue;
            }
            match imp["trait"].as_object() {
                Some(tr) => {
                    let name = self.trait_path(tr);
                    let synthetic = imp["is_synthetic"].as_bool() == Some(true);
                    // Of the auto traits, Send and Sync are the ones callers rely on.
                    if (synthetic
                        && !matches!(name.as_str(), "core::marker::Send" | "core::marker::Sync"))
                        || name.ends_with("StructuralPartialEq")
                    {
                        continue;
                    }
                    self.lines.push(format!(
                        "impl {name}{} for {}",
                        args(&tr["args"]),
                        ty(&imp["for"])
                    ));
                }
                None => {
                    for item in imp["items"].as_array().unwrap() {
                        let item = self.item(&item.to_string()).unwrap();
                        if item["visibility"] != "public" {
                            continue;
                        }
                        if let Some(f) = item["inner"].get("function") {
                            let name = format!("{path}::{}", item["name"].as_str().unwrap());
                            self.lines.push(format!("pub {}", function(&name, f)));
                        }
                    }
                }
            }
        }
    }
}

impl Lister<'_> {
    /// A trait's full path where rustdoc knows it (`core::clone::Clone`), else as written.
    fn trait_path(&self, tr: &serde_json::Map<String, Value>) -> String {
        let id = tr["id"].to_string();
        match self.doc["paths"][&id]["path"].as_array() {
            Some(parts) => parts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("::"),
            None => tr["path"].as_str().unwrap().to_owned(),
        }
    }
}

fn attributes(item: &Value) -> String {
    let non_exhaustive = item["attrs"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| a.to_string().contains("non_exhaustive"));
    if non_exhaustive {
        "#[non_exhaustive] ".into()
    } else {
        String::new()
    }
}

fn function(path: &str, f: &Value) -> String {
    let inputs: Vec<String> = f["sig"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|input| {
            let name = input[0].as_str().unwrap();
            let t = ty(&input[1]);
            match (name, t.as_str()) {
                ("self", "Self") => "self".into(),
                ("self", "&Self") => "&self".into(),
                ("self", "&mut Self") => "&mut self".into(),
                _ => format!("{name}: {t}"),
            }
        })
        .collect();
    let output = match &f["sig"]["output"] {
        Value::Null => String::new(),
        t => format!(" -> {}", ty(t)),
    };
    format!(
        "fn {path}{}({}){output}{}",
        generics(&f["generics"]),
        inputs.join(", "),
        where_clause(&f["generics"])
    )
}

fn generics(g: &Value) -> String {
    let params: Vec<String> = g["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["kind"]["type"]["is_synthetic"].as_bool() != Some(true))
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_owned();
            let bounds = bounds(&p["kind"]["type"]["bounds"]);
            if bounds.is_empty() {
                name
            } else {
                format!("{name}: {bounds}")
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn where_clause(g: &Value) -> String {
    let predicates: Vec<String> = g["where_predicates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let p = p.get("bound_predicate")?;
            Some(format!("{}: {}", ty(&p["type"]), bounds(&p["bounds"])))
        })
        .collect();
    if predicates.is_empty() {
        String::new()
    } else {
        format!(" where {}", predicates.join(", "))
    }
}

fn bounds(bounds: &Value) -> String {
    bounds
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| match b.get("trait_bound") {
            Some(t) => format!(
                "{}{}",
                t["trait"]["path"].as_str().unwrap(),
                args(&t["trait"]["args"])
            ),
            None => b["outlives"].as_str().unwrap_or("?").to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn args(args: &Value) -> String {
    let Some(angle) = args.get("angle_bracketed") else {
        return String::new();
    };
    let mut parts: Vec<String> = angle["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| match a.get("type") {
            Some(t) => ty(t),
            None => a["lifetime"].as_str().unwrap_or("?").to_owned(),
        })
        .collect();
    for c in angle["constraints"].as_array().into_iter().flatten() {
        parts.push(format!(
            "{} = {}",
            c["name"].as_str().unwrap(),
            ty(&c["binding"]["equality"]["type"])
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("<{}>", parts.join(", "))
    }
}

fn ty(t: &Value) -> String {
    let Some((kind, v)) = t.as_object().and_then(|o| o.iter().next()) else {
        return "?".into();
    };
    match kind.as_str() {
        "primitive" | "generic" => v.as_str().unwrap().to_owned(),
        "resolved_path" => format!("{}{}", v["path"].as_str().unwrap(), args(&v["args"])),
        "borrowed_ref" => format!(
            "&{}{}{}",
            v["lifetime"]
                .as_str()
                .map(|l| format!("{l} "))
                .unwrap_or_default(),
            if v["is_mutable"].as_bool() == Some(true) {
                "mut "
            } else {
                ""
            },
            ty(&v["type"])
        ),
        "tuple" => format!(
            "({})",
            v.as_array()
                .unwrap()
                .iter()
                .map(ty)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "slice" => format!("[{}]", ty(v)),
        "impl_trait" => format!("impl {}", bounds(v)),
        "dyn_trait" => format!(
            "dyn {}",
            v["traits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| format!(
                    "{}{}",
                    t["trait"]["path"].as_str().unwrap(),
                    args(&t["trait"]["args"])
                ))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        "qualified_path" => format!("{}::{}", ty(&v["self_type"]), v["name"].as_str().unwrap()),
        other => format!("<{other}>"),
    }
}
