//! Hostile input: nothing crashes, hangs, floods the output or reaches the terminal raw.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;
use std::process::{Command, Output};

use rplint::{Config, Source};

fn rplint_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn check(text: &str) -> Vec<rplint::Finding> {
    rplint::check(&Source::new("h.json", text), &Config::default())
}

#[test]
fn deep_nesting_through_the_command_line() {
    // The checks run on worker threads with small stacks; nothing may recurse per level. As
    // deep as JSON readers take is checked whole; deeper is one syntax error, at once.
    let dir = tempfile::tempdir().unwrap();
    for depth in [9_997, 100_000, 1_000_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        std::fs::write(
            dir.path().join(format!("in-input-{depth}.json")),
            format!("{{\"input\": {{\"x\": {deep}}}}}"),
        )
        .unwrap();
        std::fs::write(dir.path().join(format!("top-{depth}.json")), &deep).unwrap();
        std::fs::write(
            dir.path().join(format!("policy-{depth}.json")),
            format!("{{\"input\": {{}}, \"policy\": {{\"ttl\": {deep}}}}}"),
        )
        .unwrap();
    }
    for format in ["human", "json", "sarif"] {
        let output = rplint_in(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = rplint_in(
        dir.path(),
        &["check", "--kind", "request", "--format", "concise", "."],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let lines = |file: &str| -> Vec<&str> {
        text.lines()
            .filter(|l| l.starts_with(&format!("{file}.json:")))
            .collect()
    };
    assert_eq!(lines("in-input-9997"), Vec::<&str>::new(), "{text}");
    assert!(
        lines("top-9997")[0].contains("request-not-object"),
        "{text}"
    );
    assert!(lines("policy-9997")[0].contains("invalid-type"), "{text}");
    for depth in [100_000, 1_000_000] {
        for file in ["in-input", "top", "policy"] {
            let found = lines(&format!("{file}-{depth}"));
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].contains("json-syntax") && found[0].contains("nested deeper"));
        }
    }
}

#[test]
fn huge_values() {
    // A 10 MB key: reported (with the body's size), but the message shows a shortened key.
    let key = "k".repeat(10_000_000);
    let findings = check(&format!("{{\"input\": {{}}, \"{key}\": 1}}"));
    assert_eq!(findings.len(), 2);
    assert_eq!(
        (findings[0].rule, findings[1].rule),
        ("payload-too-large", "unknown-key")
    );
    assert!(
        findings[0].message.len() < 200,
        "{} bytes",
        findings[0].message.len()
    );

    // An object with 200,000 keys inside `input` is fine; at the top level the first 10,000
    // are reported and the rest counted (a lookup per key that walked the object would make
    // this hang: 4·10¹⁰ steps; a finding for each cost its message and help 200,000 times).
    let runsync = |text: &str| {
        rplint::check(
            &Source::new("h.json", text),
            &Config::default().with_route(rplint::Route::Runsync),
        )
    };
    let members: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":0")).collect();
    let inside = format!("{{\"input\": {{{}}}}}", members.join(","));
    assert!(runsync(&inside).is_empty());
    let top = format!("{{\"input\": {{}}, {}}}", members.join(","));
    let findings = runsync(&top);
    assert_eq!(findings.len(), 10_001);
    assert_eq!(
        findings[0].message,
        "190,000 more `unknown-key` findings in this document are not listed"
    );
    assert_eq!(findings[0].severity, rplint::Severity::Warning);
    assert!(
        findings[1..]
            .windows(2)
            .all(|w| w[0].span.start < w[1].span.start && w[0].rule == "unknown-key")
    );
    // Past the cap findings are only counted, and a near miss of a documented key among them
    // (`webhok` sorts after the `k` keys) still makes the count an error.
    let top = format!(
        "{{\"input\": {{}}, {}, \"webhok\": \"x\"}}",
        members.join(",")
    );
    let findings = runsync(&top);
    assert_eq!(
        findings[0].message,
        "190,001 more `unknown-key` findings in this document are not listed"
    );
    assert_eq!(findings[0].severity, rplint::Severity::Error);

    // Numbers at the edges.
    assert!(
        check("{\"input\": {\"a\": -0, \"b\": 123456789012345678901234567890, \"c\": 1e-400}}")
            .is_empty()
    );
    let out_of_range = check("{\"input\": {\"a\": 1e400}}");
    assert_eq!(out_of_range[0].rule, "json-syntax");
    assert!(out_of_range[0].message.contains("out of range"));
}

#[test]
fn a_100_mb_file_is_reported_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("big.json")).unwrap();
    file.set_len(100_000_000).unwrap();
    std::fs::write(dir.path().join("ok.json"), "{\"input\": {}}").unwrap();
    let output = rplint_in(
        dir.path(),
        &["check", "--kind", "request", "--format", "concise", "."],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text,
        "big.json:1:1: error[payload-too-large]: the body is 100,000,000 bytes; the `run` route accepts at most 10,000,000\n"
    );
}

const NASTY: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}]0;pwned\u{7}",
    "\r",
    "\0",
    "\u{202e}",
    "\u{2066}",
    "\u{9b}",
    "\u{85}",
];

#[test]
fn terminal_controls_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // Keys written as JSON escapes (decoded, they hold raw controls), a raw bidi override in
    // a key, and a broken document with a raw escape sequence near the error.
    std::fs::write(
        dir.path().join("keys.json"),
        "{\"input\": {}, \"a\\u001b[31mred\\r\\u0000\\u009b\\u0085\": 1, \"b\u{202e}c\u{2066}\": 2, \"webhook\": \"http://\u{202e}x.example/\"}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.json"),
        "{\"input\": {}, \u{1b}]0;pwned\u{7} \r\u{202e}}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("name\u{1b}[2J.json"),
        "{\"input\": {}, \"x\": 1}",
    )
    .unwrap();
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab", "rdjson", "azure",
    ] {
        let output = rplint_in(dir.path(), &["check", "--format", format, "."]);
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            for nasty in NASTY {
                assert!(
                    !text.contains(nasty),
                    "{format} {stream} holds {nasty:?}:\n{text}"
                );
            }
        }
        assert!(!output.stdout.is_empty());
    }
}

#[cfg(unix)]
#[test]
fn unreadable_paths_get_one_line_each_and_the_rest_is_checked() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("good.json"),
        "{\"input\": {}, \"policy\": {\"ttl\": 5}}",
    )
    .unwrap();
    std::fs::write(d.join("binary.json"), [0u8, 159, 146, 150, 255, 0, 1, 2]).unwrap();
    std::fs::write(d.join("empty.json"), "").unwrap();
    symlink(d.join("nowhere.json"), d.join("dangling.json")).unwrap();
    symlink(d.join("loop-b.json"), d.join("loop-a.json")).unwrap();
    symlink(d.join("loop-a.json"), d.join("loop-b.json")).unwrap();
    std::fs::create_dir(d.join("folder.json")).unwrap();
    std::fs::write(d.join("folder.json/inner.json"), "{\"input\": {}}").unwrap();
    let fifo = d.join("pipe.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );

    let output = rplint_in(
        d,
        &[
            "check",
            "--kind",
            "request",
            "--format",
            "concise",
            ".",
            "missing.json",
        ],
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    // Checked: good, binary, empty, folder.json/inner.json.
    assert!(
        stdout.contains("good.json:1:33: error[ttl-range]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("binary.json:1:1: error[invalid-utf8]")
            || stdout.contains("binary.json:1:2: error[invalid-utf8]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("empty.json:1:1: error[json-syntax]: the file is empty"),
        "{stdout}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{stderr}");
    for (name, what) in [
        ("dangling.json", "No such file"),
        ("loop-a.json", "symbolic links"),
        ("loop-b.json", "symbolic links"),
        ("pipe.json", "not a regular file"),
        ("missing.json", "No such file"),
    ] {
        assert!(
            lines.iter().any(|l| l.contains(name) && l.contains(what)),
            "{name}: {stderr}"
        );
    }
}

/// A file that cannot be checked is in every machine format, not only on stderr: a report
/// must never look clean because a file was left out.
#[cfg(unix)]
#[test]
fn files_not_checked_are_in_every_machine_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.json"), "{\"input\": {}}").unwrap();
    let fifo = dir.path().join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for format in [
        "json", "sarif", "junit", "github", "azure", "gitlab", "rdjson",
    ] {
        let output = rplint_in(
            dir.path(),
            &["check", "--format", format, "ok.json", "pipe.json"],
        );
        assert_eq!(output.status.code(), Some(2), "{format}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("pipe.json"), "{format}: {text}");
        assert!(text.contains("not a regular file"), "{format}: {text}");
    }
}

/// Frames are drawn at any terminal width, for a finding at any column, after any number of
/// tabs (the renderer's padding stops at 65,535 columns).
#[test]
fn frames_are_drawn_at_any_width_and_column() {
    use rplint::report::human::{Style, render};
    let far = format!("{{\"input\": {{}}, {}\"prompt\": 1}}", " ".repeat(70_000));
    let tabs = format!("{{\"input\": {{}}, {}\"prompt\": 1}}", "\t".repeat(16_500));
    for text in [far, tabs] {
        let source = Source::new("far.json", text);
        let findings = rplint::check(&source, &Config::default());
        assert_eq!(findings[0].rule, "unknown-key");
        for width in [0, 1, 80, 17_000, 80_000, usize::MAX] {
            let shown = render(
                &source,
                &findings,
                Style {
                    width,
                    color: width % 2 == 0,
                },
            );
            assert!(shown.contains("unknown top-level key `prompt`"), "{width}");
        }
    }
}

/// A key repeated a million times gives a bounded number of findings and says how many more
/// there are; each finding quotes no secret.
#[test]
fn repeated_keys_are_counted_past_a_thousand() {
    let members: Vec<String> = (0..5000)
        .map(|i| format!("\"accessSecret\": \"S3cretValue{i:05}\""))
        .collect();
    let text = format!(
        "{{\"input\": {{}}, \"s3Config\": {{{}}}}}",
        members.join(", ")
    );
    let findings = check(&text);
    let duplicates: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "duplicate-key")
        .collect();
    assert_eq!(duplicates.len(), 1001);
    assert!(
        duplicates
            .iter()
            .any(|f| f.message == "3,999 more duplicate keys in this document are not listed"),
        "{duplicates:#?}"
    );
    assert!(findings.iter().all(|f| !f.message.contains("S3cretValue")));
}

#[test]
fn many_long_secret_like_values_in_a_broken_document_are_masked() {
    // A thousand kilobyte values after secret keys in a document that does not parse: each
    // six-character part of each is masked in every message (a thousand such values took
    // 820 MiB and 3.7 s when the parts were an automaton's patterns; bench/RESULTS.md).
    let mut seed = 7u64;
    let mut random = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            [(seed >> 33) as usize % 62] as char
    };
    let values: Vec<String> = (0..300)
        .map(|_| (0..1000).map(|_| random()).collect())
        .collect();
    let mut text = String::from("{\"input\": {\n");
    for (i, value) in values.iter().enumerate() {
        text.push_str(&format!("\"password{i}\": \"{value}\",\n"));
    }
    // An unquoted word quoting a secret's start, then the error that stops the parse.
    text.push_str(&format!("\"x\": {},\noops", &values[17][..40]));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.json"), &text).unwrap();
    for format in ["concise", "json", "human"] {
        let output = rplint_in(dir.path(), &["check", "--format", format, "broken.json"]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(said.contains("json-syntax"), "{format}: {said}");
        for value in [&values[0], &values[17], &values[299]] {
            for part in value.as_bytes().windows(6).step_by(7) {
                let part = std::str::from_utf8(part).unwrap();
                assert!(!said.contains(part), "{format}: `{part}` in {said}");
            }
        }
    }
}

/// Stdin that never ends (`< /dev/zero`) is read up to the limit and reported as larger.
#[cfg(unix)]
#[test]
fn endless_stdin_is_bounded() {
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--format", "concise", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("the body is more than 67,108,864 bytes"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// An ignore file that is a FIFO would block the walk forever: the directory it governs is
/// reported and left out, and everything else is checked.
#[cfg(unix)]
#[test]
fn special_ignore_files_do_not_block_a_walk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.json"), "{\"input\": {}}").unwrap();
    std::fs::write(dir.path().join("sub/b.json"), "{\"input\": {}}").unwrap();
    let fifo = dir.path().join("sub/.gitignore");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let child = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--format", "concise", "."])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let output = finish_within_a_minute(child, "the walk blocked on a FIFO .gitignore");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("sub/.gitignore`: it is not a regular file"),
        "{err}"
    );
}

/// An ignore file of more patterns than the walk compiles in proportion (10,000), or larger
/// than 1 MiB, is reported and its directory not walked; one at the limit is honoured.
#[test]
fn huge_ignore_files_are_reported_not_compiled() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["many", "limit", "large", "stars"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("b.json"), "{\"input\": 1}").unwrap();
    }
    std::fs::write(dir.path().join("a.json"), "{\"input\": 1}").unwrap();
    let patterns = |n: usize| {
        // Comments and blank lines are not patterns.
        let mut text = "# generated\n\n".repeat(5_000);
        text.extend((0..n).map(|i| format!("*/p{i}/**/x{i}.json\n")));
        text
    };
    std::fs::write(dir.path().join("many/.gitignore"), patterns(10_001)).unwrap();
    std::fs::write(
        dir.path().join("limit/.ignore"),
        patterns(9_999) + "b.json\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("large/.gitignore"),
        format!("#{}\n", "x".repeat(1 << 20)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("stars/.gitignore"),
        format!("{}\n", "*".repeat(40)).repeat(1_100),
    )
    .unwrap();
    let out = rplint_in(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stars/.gitignore`: it holds more than 40,000 wildcards"),
        "{stderr}"
    );
    assert!(
        stderr.contains("many/.gitignore`: it holds more than 10,000 patterns"),
        "{stderr}"
    );
    assert!(
        stderr.contains("large/.gitignore`: it is larger than 1 MiB"),
        "{stderr}"
    );
    assert!(!stderr.contains("limit/"), "{stderr}");
    // The root's file is checked; `limit/b.json` is ignored by its 10,000th pattern; the other
    // directories are not walked.
    assert!(stdout.contains("a.json"), "{stdout}");
    for unwalked in [
        "limit/b.json",
        "many/b.json",
        "large/b.json",
        "stars/b.json",
    ] {
        assert!(!stdout.contains(unwalked), "{unwalked}: {stdout}");
    }
}

/// Markdown over 2 MiB and code over 1 MiB are not parsed (the Markdown parser held a hundred
/// times the size of hostile text): one that names RunPod gets a `host-not-read` warning, so a
/// run never shows its requests as checked; one that does not is passed over.
#[test]
fn large_host_files_are_reported_when_they_may_send_requests() {
    let dir = tempfile::tempdir().unwrap();
    let fence = "```sh\ncurl https://api.runpod.ai/v2/ID/runsync -d '{\"input\": {}}'\n```\n";
    let big_md = format!("{fence}{}", ">".repeat(3 << 20));
    std::fs::write(dir.path().join("big.md"), &big_md).unwrap();
    std::fs::write(dir.path().join("plain.md"), "> quote\n".repeat(300_000)).unwrap();
    // Code that names RunPod but holds no call rplint reads: warned of all the same.
    std::fs::write(
        dir.path().join("big.py"),
        format!("import runpod\n{}", "x = [1]\n".repeat(140_000)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bundle.js"),
        format!(
            "fetch('https://api.runpod.ai/v2/ID/run', {{}});\n{}",
            "x = [1];\n".repeat(120_000)
        ),
    )
    .unwrap();
    let out = rplint_in(dir.path(), &["check", "--format", "concise", "."]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("big.md:1:1: warning[host-not-read]: this Markdown text names RunPod"),
        "{stdout}"
    );
    assert!(stdout.contains("2,097,152 bytes"), "{stdout}");
    assert!(
        stdout.contains("bundle.js:1:1: warning[host-not-read]: this JavaScript code"),
        "{stdout}"
    );
    assert!(
        stdout.contains("big.py:1:1: warning[host-not-read]: this Python code"),
        "{stdout}"
    );
    assert!(!stdout.contains("plain.md"), "{stdout}");
    // `--show-files` says why the plain ones were passed over: not "holds no request body",
    // which rplint cannot know of a file it did not read.
    std::fs::write(dir.path().join("plain.py"), "x = [1]\n".repeat(140_000)).unwrap();
    let out = rplint_in(
        dir.path(),
        &["check", "--format", "concise", "--show-files", "."],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["plain.md", "plain.py"] {
        let line = stderr.lines().find(|line| line.contains(name));
        assert!(
            line.is_some_and(|line| line.contains("too large or too slow to parse")),
            "{name}: {stderr}"
        );
    }
}

/// Documents whose cost once grew with depth times breadth or with parameters squared (the
/// secret walk built each value's pointer; a URL's secret parameters were each looked up
/// again): both are checked, and their secrets masked (time and memory: `bench/hostile.py`).
#[test]
fn deep_and_wide_documents_and_long_queries_are_checked() {
    let deep = format!(
        "{{\"input\":{}{}{}, \"zzz\": 1}}",
        "[".repeat(9000),
        vec!["{}"; 30_000].join(","),
        "]".repeat(9000)
    );
    let found = check(&deep);
    assert!(found.iter().any(|f| f.rule == "unknown-key"), "{found:?}");
    let query: Vec<String> = (0..40_000)
        .map(|i| format!("k{i}token=abcdefgh{i}"))
        .collect();
    let long = format!(
        "{{\"input\": {{\"u\": \"https://h.example/x?{}\"}}, \"zzz\": 1}}",
        query.join("&")
    );
    let source = Source::new("q.json", long);
    let found = rplint::check(&source, &Config::default());
    assert!(found.iter().any(|f| f.rule == "unknown-key"), "{found:?}");
    assert!(!source.shown_text().contains("abcdefgh39999"));
}

/// Code that tree-sitter reads as one flat error node of 100,000 names or calls: each name's
/// parent is carried down the walk, not asked of tree-sitter (which descends from the root to
/// find it: 300 KB of `x(` took 282 s, 200 KB of `a=` 33 s, and an editor opening the file
/// waited as long).
#[test]
fn flat_error_nodes_in_code_are_read_in_linear_time() {
    let files = [
        (
            "hang.js",
            format!(
                "fetch('https://api.runpod.ai/v2/x/run', {{method: 'POST', body: JSON.stringify({{input: {{x: 1}}, webhok: 1}})}});\n{}",
                "x(".repeat(150_000)
            ),
        ),
        (
            "hang.py",
            format!(
                "import runpod\nrunpod.Endpoint('abc').run({{'input': {{}}, 'webhok': 1}})\n{}",
                "a=".repeat(100_000)
            ),
        ),
        (
            "hang.sh",
            "curl https://api.runpod.ai/v2/x/run -d '{\"input\":{}, \"webhok\": 1}'\n"
                .repeat(15_000),
        ),
    ];
    for (name, text) in files {
        let source = Source::new(name, text);
        let found = rplint::check(&source, &Config::default());
        // The request call was read: its body has a finding.
        assert!(!found.is_empty(), "{name}");
    }
}

/// Secrets at every level of a deep document: each one's spans are found from its container,
/// not from the root (five secret keys at each of 9,990 levels took 62 s; a Hub `env` entry
/// at each, 9 s), and every one is masked.
#[test]
fn secrets_at_every_level_are_found_from_their_container() {
    let levels = 9_990;
    let shapes = [
        r#"{"p1": "x", "password": "Qv7xyz12a", "pass": "Qv7xyz12a", "token": "Qv7xyz12a", "secret": "Qv7xyz12a", "pwd": "Qv7xyz12a", "k": "#,
        r#"{"key": "API_TOKEN", "value": "Qv7xyz12a", "k": "#,
        r#"[["Authorization", "Bearer Qv7xyz12a"], "#,
    ];
    for open in shapes {
        let close = if open.starts_with('[') { "]" } else { "}" };
        let text = format!(
            "{{\"input\": {{\"x\": {}1{}}}, \"webhok\": 1}}",
            open.repeat(levels),
            close.repeat(levels)
        );
        let source = Source::new("deep.json", text);
        let found = rplint::check(&source, &Config::default());
        assert!(found.iter().any(|f| f.rule == "unknown-key"), "{open}");
        assert!(!source.shown_text().contains("Qv7xyz"), "{open}");
    }
}

/// Texts made of the prefixes of credentials known by their form (`rpa_rpa_…`, `sk-sk-…`):
/// each run of token characters is read once, not once from each prefix inside it (80 KB of
/// `rpa_` took 16 s and 2.4 GB), and every such credential is masked.
#[test]
fn repeated_credential_prefixes_are_read_once() {
    // And the strings a credential may be assigned in: each pair is read once, and a value
    // found is skipped over.
    for prefix in [
        "rpa_",
        "sk-",
        "hf_",
        "eyJ.",
        "AKIA",
        "-----BEGIN PRIVATE KEY-----",
        "-----begin ",
        "Private-Lines:",
        "password = \"",
        "\"password\": ",
        "--api-key ",
        "password                    =",
        "-u a:",
    ] {
        let run = prefix.repeat(1_000_000 / prefix.len());
        let text = serde_json::json!({"input": {"x": run}, "webhok": 1}).to_string();
        let source = Source::new("r.json", text);
        let found = rplint::check(&source, &Config::default());
        assert!(found.iter().any(|f| f.rule == "unknown-key"), "{prefix}");
    }
    let source = Source::new(
        "k.json",
        format!("{{\"input\": {{\"x\": \"{}\"}}}}", "rpa_".repeat(20_000)),
    );
    let _ = rplint::check(&source, &Config::default());
    assert!(!source.shown_text().contains("rpa_rpa_"));
}

/// The walk reads the user's git configuration and global excludes: one that is a FIFO (in
/// `$HOME`, `$XDG_CONFIG_HOME`, or named by `core.excludesFile`), or a repository's
/// `.git/info/exclude` that is one, is reported and not read; the walk never blocks.
#[cfg(unix)]
#[test]
fn special_git_configuration_files_do_not_block_a_walk() {
    let cases: &[(&str, &str)] = &[
        ("home/.gitconfig", ""),
        ("config/git/ignore", ""),
        (
            "elsewhere/excludes",
            "[core]\n\texcludesFile = ~/../elsewhere/excludes\n",
        ),
        ("work/.git/info/exclude", ""),
    ];
    for (fifo_at, gitconfig) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["home", "config/git", "elsewhere", "work/.git/info"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        if !gitconfig.is_empty() {
            std::fs::write(root.join("home/.gitconfig"), gitconfig).unwrap();
        }
        std::fs::write(root.join("work/a.json"), "{\"input\": {}, \"k\": 1}").unwrap();
        let made = Command::new("mkfifo")
            .arg(root.join(fifo_at))
            .status()
            .unwrap();
        assert!(made.success());
        let child = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(["check", "--no-config", "--format", "concise", "."])
            .current_dir(root.join("work"))
            .env("HOME", root.join("home"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let output =
            finish_within_a_minute(child, &format!("the walk blocked on a FIFO at {fifo_at}"));
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("not a regular file"), "{fifo_at}: {err}");
        assert_eq!(output.status.code(), Some(2), "{fifo_at}: {err}");
    }
}

/// The output of `child`, which must end within a minute: a hang is the failure these tests
/// guard against, and it fails them (with `hang`) rather than never ending.
#[cfg(unix)]
fn finish_within_a_minute(mut child: std::process::Child, hang: &str) -> std::process::Output {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{hang}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}
