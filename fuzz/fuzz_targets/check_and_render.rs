//! Arbitrary bytes through the whole path: check on every route, render in every format at an
//! arbitrary width. Nothing may panic; every span must lie in the text; the strict parser must
//! agree with serde_json on what is JSON (but for serde_json's depth limit of 128).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rplint::config::{Config, Route};
use rplint::report::{self, Counts, Format, human::Style};
use rplint::Source;

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, bytes)) = data.split_first() else { return };
    let route = [Route::Run, Route::Runsync, Route::Batch][usize::from(knobs % 3)];
    let width = usize::from(knobs / 3) + 1;
    let source = Source::from_bytes("fuzz.json", bytes.to_vec());
    let findings = rplint::check(&source, &Config::default().with_route(route));
    for f in &findings {
        assert!(f.span.start <= f.span.end && f.span.end <= source.text().len(), "{f:?}");
        for l in &f.labels {
            assert!(l.span.end <= source.text().len(), "{l:?}");
        }
    }
    let syntax = findings.iter().any(|f| f.rule == "json-syntax" || f.rule == "invalid-utf8");
    let bom = bytes.starts_with(&[0xef, 0xbb, 0xbf]);
    if !bom {
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(_) => assert!(!syntax, "serde_json accepts what rplint rejects: {findings:?}"),
            Err(e) if !e.to_string().contains("recursion limit") => {
                assert!(syntax, "rplint accepts what serde_json rejects ({e})")
            }
            Err(_) => {}
        }
    }
    for format in [Format::Human, Format::Concise, Format::Json, Format::Sarif, Format::Github, Format::Junit, Format::Gitlab, Format::Rdjson, Format::Azure] {
        let mut reporter = report::reporter(format, Style { width, color: knobs % 2 == 0 }, report::FailOn::default());
        let mut out = Vec::new();
        let mut counts = Counts::default();
        counts.add(&findings);
        reporter.file(&source, &findings, &mut out).unwrap();
        reporter.finish(&counts, &mut out).unwrap();
        let _ = reporter.step_summary();
    }
});
