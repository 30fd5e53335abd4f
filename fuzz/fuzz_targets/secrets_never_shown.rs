//! The secret oracle: a secret planted where a request means one (an `accessSecret` value, a
//! URL's password), spelt any way JSON allows, inside arbitrary text around it, never appears
//! in any output: findings, every format at any width, the library's report. Forbidden: the
//! secret, its escaped, percent- and pointer-encoded forms, and any six characters of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rplint::config::Config;
use rplint::report::{self, Counts, Format, human::Style};
use rplint::Source;

const SECRET: &str = "Vk7Q/pR2~mXz9W";
const URL_SECRET: &str = "Vk7QpR2mXz9WbT";

fn forbidden(secret: &str) -> Vec<String> {
    let mut forms = vec![
        secret.to_owned(),
        secret.replace('~', "~0").replace('/', "~1"),
        secret.replace('/', "%2F").replace('~', "%7E"),
        secret.replace('/', "\\/"),
    ];
    let chars: Vec<char> = secret.chars().collect();
    forms.extend(chars.windows(6).map(|w| w.iter().collect::<String>()));
    forms
}

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else { return };
    let Some((&key_knob, rest)) = rest.split_first() else { return };
    let cut = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let prefix = String::from_utf8_lossy(&rest[..cut]);
    let suffix = String::from_utf8_lossy(rest.get(cut + 1..).unwrap_or_default());
    // The oracle holds for the planted secret only: text around it that spells part of it
    // (the fuzzer copies bytes between inputs) may be shown where it stands.
    let pieces = ["Vk7", "k7Q", "pR2", "R2~", "mXz", "z9W", "9Wb", "WbT", "u0056", "\\/p"];
    if pieces.iter().any(|p| prefix.contains(p) || suffix.contains(p)) {
        return;
    }
    let secret = match knobs % 3 {
        0 => SECRET.to_owned(),
        1 => format!("\\u0056{}", &SECRET[1..]),
        _ => SECRET.replace('/', "\\/"),
    };
    // Every way a key names a credential: escapes, case, separators, a near miss, a Unicode
    // letter that folds to ASCII, HTTP's names.
    const KEYS: [&str; 12] = [
        "accessSecret",
        "access\\u0053ecret",
        "AccessSecret",
        "access_secret",
        "password",
        "paasword",
        "Proxy-Authorization",
        "api\\u212aey",
        "passcode",
        "hf_token",
        "authKey",
        "x-api-key",
    ];
    let key = KEYS[usize::from(key_knob) % KEYS.len()];
    let placement = match knobs / 3 % 7 {
        0 => format!("\"{key}\": \"{secret}\""),
        1 => format!("\"webhook\": \"https://user:{URL_SECRET}@hooks.example.com/x\""),
        2 => format!("\"https://user:{URL_SECRET}@hooks.example.com/x\": 1"),
        3 => format!("\"{key}\": /* from the vault */\n\"{secret}\""),
        4 => format!("\"webhook\": \"https://hooks.example.com/x?token={URL_SECRET}\""),
        // A credential known by its form, under a name that says nothing.
        5 => format!("\"model\": \"hf_{URL_SECRET}0123456789abcdefgh\""),
        _ => format!("\"{key}\": \"{secret}\", \"{key}\": \"{secret}\""),
    };
    let body = format!("{prefix}{placement}{suffix}");
    // The same body where people write it: a file of its own, a Markdown fence, a curl
    // command, a Python or JavaScript client call.
    let (name, text) = match knobs / 21 % 5 {
        0 => ("fuzz.json", body),
        1 => ("fuzz.md", format!("# Call\n\n```json\n{body}\n```\n")),
        2 => (
            "fuzz.sh",
            format!("curl https://api.runpod.ai/v2/e/run -H 'Authorization: Bearer {URL_SECRET}' -d '{body}'\n"),
        ),
        3 => ("fuzz.py", format!("import requests\nrequests.post('https://api.runpod.ai/v2/e/runsync', json={body})\n")),
        _ => ("fuzz.js", format!("await fetch('https://api.runpod.ai/v2/e/run', {{method: 'POST', body: JSON.stringify({body})}});\n")),
    };
    let source = Source::new(name, text.clone());
    let findings = rplint::check(&source, &Config::default());
    let mut needles = forbidden(SECRET);
    needles.extend(forbidden(URL_SECRET));
    let check = |what: &str, shown: &str| {
        for needle in &needles {
            assert!(!shown.contains(needle.as_str()), "{what} shows `{needle}`: {shown}\nin: {text}");
        }
    };
    for f in &findings {
        check("a message", &f.message);
        check("a help", f.help.as_deref().unwrap_or_default());
        check("a pointer", &f.pointer);
        for l in &f.labels {
            check("a label", &l.message);
            check("a label pointer", &l.pointer);
        }
    }
    for format in [Format::Human, Format::Concise, Format::Json, Format::Sarif, Format::Github, Format::Junit, Format::Gitlab, Format::Rdjson, Format::Azure] {
        let style = Style { width: usize::from(knobs) + 40, color: knobs % 2 == 0 };
        let mut reporter = report::reporter(format, style, report::FailOn::default());
        let mut out = Vec::new();
        let mut counts = Counts::default();
        counts.add(&findings);
        reporter.file(&source, &findings, &mut out).unwrap();
        reporter.finish(&counts, &mut out).unwrap();
        check("a report", &String::from_utf8_lossy(&out));
        if let Some(summary) = reporter.step_summary() {
            check("a step summary", &summary);
        }
    }
    let report = rplint::Linter::default().check(name, &text);
    check("the library's report", &format!("{report}\n{report:?}"));
});
