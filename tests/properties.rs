//! Property tests: spans slice back to their values however a document is laid out, and no
//! input, however broken, panics the linter or a reporter at any width.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use proptest::prelude::*;
use rplint::Source;
use rplint::config::{Config, Route};
use rplint::document::Document;
use rplint::report::{self, Counts, Format, human::Style};
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "[a-z\\u{e9}\\u{1F600}\"\\\\/\\n\\t\\u{1b}\\u{202e} ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z_~/\\u{e9}\"]{0,6}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Values near and across the schema's limits and types.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            serde_json::json!(0),
            serde_json::json!(-1),
            serde_json::json!(4999),
            serde_json::json!(5000),
            serde_json::json!(9999),
            serde_json::json!(10000),
            serde_json::json!(600000),
            serde_json::json!(600000.0),
            serde_json::json!(600000.5),
            serde_json::json!(604800000),
            serde_json::json!(604800001),
            serde_json::json!(1e20),
            serde_json::json!(u64::MAX),
            serde_json::json!(i64::MIN),
            serde_json::json!("600000"),
            serde_json::json!(""),
            serde_json::json!("x"),
            serde_json::json!("https://hooks.example.com/x"),
            serde_json::json!(true),
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
        ]),
        json_value(),
    ]
}

/// Objects holding some of `keys`, each with a value from `values`.
fn object_of(keys: &'static [&'static str], values: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop::collection::vec((prop::sample::select(keys), values), 0..keys.len() + 1)
        .prop_map(|members| {
            Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        })
        .boxed()
}

/// Request-like values: mostly well-formed requests with one or two fields of every type, in
/// and out of range, so that a single wrong verdict is not hidden by other problems.
fn request_like() -> impl Strategy<Value = Value> {
    let policy = prop_oneof![
        9 => object_of(&["executionTimeout", "ttl", "lowPriority"], field_value().boxed()),
        1 => object_of(&["executionTimeout", "ttl", "timeout"], field_value().boxed()),
        1 => field_value().boxed(),
    ];
    let text = prop_oneof![
        4 => prop::sample::select(vec!["x", "AKIA", "my-bucket", "https://s3.example.com"])
            .prop_map(Value::from),
        1 => field_value(),
    ];
    let s3 = prop_oneof![
        9 => object_of(
            &["accessId", "accessSecret", "bucketName", "endpointUrl", "objectPath"],
            text.boxed()
        ),
        1 => object_of(&["accessId", "region"], field_value().boxed()),
        1 => field_value().boxed(),
    ];
    let input = prop_oneof![4 => Just(serde_json::json!({"prompt": "x"})), 1 => field_value()];
    let webhook =
        prop_oneof![4 => Just(Value::from("https://hooks.example.com/x")), 1 => field_value()];
    let extra = prop::sample::select(vec!["webhookV2", "$schema", "id"]);
    (
        prop::option::weighted(0.9, input),
        prop::option::of(policy),
        prop::option::of(s3),
        prop::option::of(webhook),
        prop::option::weighted(0.2, (extra, field_value())),
    )
        .prop_map(|(input, policy, s3, webhook, extra)| {
            let mut request = serde_json::Map::new();
            let fields = [
                ("input", input),
                ("policy", policy),
                ("s3Config", s3),
                ("webhook", webhook),
            ];
            for (key, value) in fields {
                if let Some(value) = value {
                    request.insert(key.to_owned(), value);
                }
            }
            if let Some((key, value)) = extra {
                request.insert(key.to_owned(), value);
            }
            Value::Object(request)
        })
}

/// The value laid out compact, pretty, or with random whitespace between tokens.
fn layouts(value: &Value, spaces: &[u8]) -> Vec<String> {
    let compact = serde_json::to_string(value).unwrap();
    let pretty = serde_json::to_string_pretty(value).unwrap();
    // Random whitespace after every structural character outside strings.
    let mut loose = String::new();
    let (mut in_string, mut escaped, mut k) = (false, false, 0);
    for c in compact.chars() {
        loose.push(c);
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        } else if matches!(c, '{' | '[' | ',' | ':') {
            let ws = [" ", "\n", "\t", "\r\n", ""][usize::from(spaces[k % spaces.len()] % 5)];
            loose.push_str(ws);
            k += 1;
        }
    }
    vec![compact, pretty, loose]
}

/// Every pointer in `value`, root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            pointers(
                v,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The fast conformance check answers every request-like value, and always as the
    /// validator does: it may only ever skip the validator for a request with nothing to report.
    #[test]
    fn conformance_agrees_with_the_validator(value in request_like()) {
        let fast = rplint::schema::conforms(&value);
        prop_assert!(fast.is_some(), "the request schema uses only keywords the check knows");
        prop_assert_eq!(fast, rplint::schema::validator_conforms(&value), "{}", value);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_pointer_slices_back_to_its_value(value in json_value(), spaces in prop::collection::vec(any::<u8>(), 1..16)) {
        for text in layouts(&value, &spaces) {
            let doc = Document::parse(&text).unwrap();
            prop_assert_eq!(doc.value(), &value);
            let mut all = Vec::new();
            pointers(&value, String::new(), &mut all);
            for pointer in all {
                let spans = doc.spans(&pointer).unwrap();
                let slice = &text[spans.value.start..spans.value.end];
                let reparsed: Value = serde_json::from_str(slice).unwrap();
                prop_assert_eq!(&reparsed, value.pointer(&pointer).unwrap(), "{} in {}", pointer, text);
                if let Some(key) = spans.key {
                    let key: String = serde_json::from_str(&text[key.start..key.end]).unwrap();
                    let token = pointer.rsplit('/').next().unwrap().replace("~1", "/").replace("~0", "~");
                    prop_assert_eq!(key, token);
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), width in 1usize..200, route in 0u8..3) {
        check_and_render(bytes, width, route);
    }

    #[test]
    fn mutated_corpus_documents_never_panic(file in 0usize..104, edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8), width in 1usize..200) {
        let Some(files) = corpus_files() else {
            return Ok(());
        };
        let mut bytes = std::fs::read(&files[file % files.len()]).unwrap();
        for (at, byte, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        check_and_render(bytes, width, 0);
    }
}

/// The real-world corpus's files, read once (and its absence said once).
fn corpus_files() -> Option<&'static [std::path::PathBuf]> {
    static FILES: std::sync::OnceLock<Option<Vec<std::path::PathBuf>>> = std::sync::OnceLock::new();
    FILES
        .get_or_init(|| {
            let dir = common::shared("corpus/real", "mutations of the real-world corpus")?;
            Some(common::json_files(&dir))
        })
        .as_deref()
}

fn check_and_render(bytes: Vec<u8>, width: usize, route: u8) {
    let route = [Route::Run, Route::Runsync, Route::Batch][usize::from(route % 3)];
    let source = Source::from_bytes("p.json", bytes);
    let findings = rplint::check(&source, &Config::default().with_route(route));
    for f in &findings {
        assert!(f.span.end <= source.text().len());
    }
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Gitlab,
        Format::Rdjson,
        Format::Azure,
    ] {
        let mut reporter = report::reporter(
            format,
            Style {
                width,
                color: width % 2 == 0,
            },
            report::FailOn::default(),
        );
        let mut out = Vec::new();
        let mut counts = Counts::default();
        counts.add(&findings);
        reporter.file(&source, &findings, &mut out).unwrap();
        reporter.finish(&counts, &mut out).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Safe fixes keep the meaning: for any request-like document in any layout, applying them
    /// (in passes, as `--fix` does) never adds a finding (but those a wrong type hid at the
    /// value it fixed and its siblings), and the parsed value changes only at
    /// the pointers the fixes named (a byte order mark has none), and there to a value equal to
    /// the one it stood for (`"600000"` and `6e5` become `600000`).
    #[test]
    fn safe_fixes_never_add_a_finding_nor_change_other_values(value in request_like(), spaces in prop::collection::vec(any::<u8>(), 1..16), bom in any::<bool>()) {
        for layout in layouts(&value, &spaces) {
            let text = if bom { format!("\u{feff}{layout}") } else { layout };
            let config = Config::default();
            let mut current = text.clone();
            let before = rplint::check(&Source::new("a.json", current.clone()), &config);
            let mut fixed_pointers = Vec::new();
            let mut findings = before.clone();
            for _ in 0..10 {
                for f in &findings {
                    if let Some(fix) = f.fix.as_ref().filter(|x| x.applicability == rplint::Applicability::Safe) {
                        fixed_pointers.extend(fix.edits.iter().map(|e| e.pointer.clone()));
                    }
                }
                let pass = rplint::fix::apply(&current, &findings, false);
                if pass.applied == 0 {
                    break;
                }
                current = pass.text;
                findings = rplint::check(&Source::new("a.json", current.clone()), &config);
            }
            let key = |f: &rplint::Finding| (f.rule, f.pointer.clone());
            let before_keys: Vec<_> = before.iter().map(key).collect();
            for f in &findings {
                // A value of the wrong type hides its range findings (`moots_value`), and the
                // findings that compare it with its siblings (`ttl` against
                // `executionTimeout`): once its type is fixed, they are the document's own, not
                // the fix's.
                let parent = |p: &str| p.rsplit_once('/').map_or(String::new(), |(a, _)| a.to_owned());
                let at_fixed_value = fixed_pointers
                    .iter()
                    .any(|p| *p == f.pointer || parent(p) == parent(&f.pointer));
                prop_assert!(
                    before_keys.contains(&key(f)) || at_fixed_value,
                    "a fix added {:?} in {}",
                    key(f),
                    current
                );
            }
            let old: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
            let new: Value = serde_json::from_str(&current).unwrap();
            let mut old_pointers = Vec::new();
            pointers(&old, String::new(), &mut old_pointers);
            for pointer in old_pointers {
                let (a, b) = (old.pointer(&pointer), new.pointer(&pointer));
                if fixed_pointers.iter().any(|p| pointer.starts_with(p.as_str()) && !p.is_empty()) {
                    let as_number = |v: Option<&Value>| v.and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()));
                    let as_bool = |v: Option<&Value>| v.and_then(|v| v.as_bool().or_else(|| v.as_str()?.parse().ok()));
                    prop_assert!(
                        as_number(a) == as_number(b) && as_bool(a) == as_bool(b),
                        "{pointer}: {a:?} became {b:?}"
                    );
                } else if fixed_pointers.iter().all(|p| !p.starts_with(pointer.as_str()) || pointer.is_empty() && p.is_empty()) {
                    prop_assert_eq!(a, b, "{} changed", pointer);
                }
            }
        }
    }

    #[test]
    fn unsafe_fixes_keep_valid_json_and_every_input_value(value in request_like(), spaces in prop::collection::vec(any::<u8>(), 1..16), repeat in any::<bool>()) {
        for layout in layouts(&value, &spaces) {
            // Half the time with a member written twice (the first one again, at the end).
            let text = match (repeat, value.as_object().and_then(|o| o.iter().next())) {
                (true, Some((key, first))) if layout.trim_end().ends_with('}') && value.as_object().is_some_and(|o| o.len() > 1) => {
                    let end = layout.trim_end().len() - 1;
                    format!("{}, {}: {}}}", &layout[..end], Value::from(key.as_str()), first)
                }
                _ => layout,
            };
            let config = Config::default();
            let found = rplint::check(&Source::new("a.json", text.clone()), &config);
            let rounds = rplint::fix::rounds(
                &text,
                &found,
                true,
                false,
                |t| rplint::check(&Source::new("a.json", t), &config),
                |f| f.as_slice(),
            );
            let new: Value = serde_json::from_str(&rounds.text)
                .map_err(|e| TestCaseError::fail(format!("{e}: {}", rounds.text)))?;
            prop_assert!(!rounds.breaks_json);
            // What the worker received before, it still receives (moves only add to `input`).
            let old: Value = serde_json::from_str(&text).unwrap();
            if let (Some(old_input), Some(new_input)) = (old.get("input").and_then(Value::as_object), new.get("input").and_then(Value::as_object)) {
                for (key, old_value) in old_input {
                    prop_assert_eq!(Some(old_value), new_input.get(key), "input/{} in {}", key, rounds.text);
                }
            }
        }
    }
}
