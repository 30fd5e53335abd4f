//! Secrets in a document's text: where they are, so that no output ever shows them.
//!
//! The scan is textual, so it works on documents that do not parse too: the string value of
//! every `"accessSecret"` key, and the password of every `scheme://user:password@host` URL.
//! Obvious placeholders (`${S3_SECRET}`, `<secret>`, `YOUR_SECRET`) are not secrets.

use crate::finding::Span;

/// Whether `value` is an obvious placeholder rather than a credential: `${VAR}`, `$VAR`,
/// `{{ var }}`, `<secret>`, an ALL_CAPS name, `***`, `xxxx`, `...`, or `your...`.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let wrapped = |open: &str, close: &str| {
        v.starts_with(open) && v.ends_with(close) && v.len() > open.len() + close.len()
    };
    let is_name = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    v.is_empty()
        || is_unfilled_placeholder(v)
        || wrapped("${", "}")
        || v.strip_prefix('$').is_some_and(is_name)
        || wrapped("{{", "}}")
        || wrapped("<", ">")
        || (is_name(v)
            && !v.chars().any(|c| c.is_ascii_lowercase())
            && v.chars().any(|c| c.is_ascii_alphabetic()))
        || v.chars().all(|c| matches!(c, '*' | '.' | '•'))
        || v.chars().all(|c| c == 'x' || c == 'X')
        || v.to_ascii_lowercase().starts_with("your")
        || describes_itself(v)
}

/// Template syntax that a tool fills in before the request is sent: `${VAR}`, `$VAR`,
/// `{{ var }}`.
pub fn is_template(value: &str) -> bool {
    let v = value.trim();
    let wrapped = |open: &str, close: &str| {
        v.starts_with(open) && v.ends_with(close) && v.len() > open.len() + close.len()
    };
    wrapped("${", "}")
        || wrapped("{{", "}}")
        || v.strip_prefix('$').is_some_and(|name| {
            let mut chars = name.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A documentation placeholder that was never filled in, so it would be sent as written:
/// `<secret>`, an ALL_CAPS name with an underscore (`BUCKET_ENDPOINT_URL`), a value with the
/// word `your` (`your-bucket-name`, `https://URL.TO.YOUR.WEBHOOK`), or a lowercase name of
/// three or more words (`storage_location_address`). Template syntax is not one.
pub fn is_unfilled_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || is_template(v) {
        return false;
    }
    let all_caps_name = v.contains('_')
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && v.starts_with(|c: char| c.is_ascii_uppercase());
    let lower_words = v.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && v.split('_').filter(|w| !w.is_empty()).count() >= 3;
    (v.starts_with('<') && v.ends_with('>') && v.len() > 2)
        || all_caps_name
        || lower_words
        || v.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word.eq_ignore_ascii_case("your"))
}

/// Lowercase words that name what belongs there: `key_secret_or_password`, `my-api-token`.
fn describes_itself(v: &str) -> bool {
    const WORDS: &[&str] = &[
        "secret",
        "password",
        "passwd",
        "key",
        "token",
        "example",
        "placeholder",
        "changeme",
    ];
    v.chars()
        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        && v.split(['_', '-']).any(|word| WORDS.contains(&word))
}

/// The spans of every secret value written in `text`, sorted, without the quotes.
pub(crate) fn find(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    for at in memchr::memmem::find_iter(bytes, b"\"accessSecret\"") {
        let mut i = at + "\"accessSecret\"".len();
        let skip_ws = |i: &mut usize| {
            while bytes.get(*i).is_some_and(|b| b.is_ascii_whitespace()) {
                *i += 1;
            }
        };
        skip_ws(&mut i);
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        skip_ws(&mut i);
        if bytes.get(i) != Some(&b'"') {
            // A number or a word where the secret should be: mask the token as written.
            let len = bytes[i.min(bytes.len())..]
                .iter()
                .take_while(|&&b| {
                    !matches!(b, b',' | b'}' | b']' | b'{' | b'[') && !b.is_ascii_whitespace()
                })
                .count();
            if len > 0 && !matches!(&text[i..i + len], "null" | "true" | "false") {
                spans.push(Span::new(i, i + len));
            }
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match b {
                b'\\' => end += 2,
                b'"' | b'\n' => break,
                _ => end += 1,
            }
        }
        let end = end.min(text.len());
        let raw = text.get(start..end).unwrap_or_default();
        let decoded = serde_json::from_str::<String>(&format!("\"{raw}\""))
            .unwrap_or_else(|_| raw.to_owned());
        if !is_placeholder(&decoded) {
            spans.push(Span::new(start, end));
        }
    }
    for at in memchr::memmem::find_iter(bytes, b"://") {
        if let Some((start, password)) = url_password(&text[at..]) {
            if !is_placeholder(password) {
                spans.push(Span::new(at + start, at + start + password.len()));
            }
        }
    }
    spans.sort();
    spans
}

/// The password of the URL whose `://` starts `text`, as written, with its offset in `text`.
pub(crate) fn url_password(text: &str) -> Option<(usize, &str)> {
    let after_scheme = text.find("://")? + 3;
    let authority_len = text[after_scheme..]
        .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\\') || c.is_whitespace())
        .unwrap_or(text.len() - after_scheme);
    let authority = &text[after_scheme..after_scheme + authority_len];
    let userinfo = &authority[..authority.rfind('@')?];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    (!password.is_empty()).then_some((after_scheme + colon + 1, password))
}

/// `text` with every secret span replaced by `*`, byte for byte, so offsets stay valid.
pub(crate) fn mask(text: &str, spans: &[Span]) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut done = 0;
    for span in spans {
        if span.start < done || span.end > text.len() {
            continue;
        }
        masked.push_str(&text[done..span.start]);
        masked.extend(std::iter::repeat_n('*', span.len()));
        done = span.end;
    }
    masked.push_str(&text[done..]);
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_secrets() {
        for p in [
            "${S3_SECRET}",
            "$S3_SECRET",
            "{{ s3.secret }}",
            "<secret>",
            "YOUR_SECRET",
            "***",
            "xxxx",
            "your-secret-key",
            "",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in [
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "hunter2",
            "Secret123",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn secrets_are_found_in_text_that_does_not_parse() {
        let text = r#"{"s3Config": {"accessSecret" : "abc\"def", "x": "${S}"}, "webhook": "https://u:pa55@h.example/x", "accessSecret": "${S3}", // broken"#;
        let found: Vec<_> = find(text).iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(found, [r#"abc\"def"#, "pa55"]);
        let masked = mask(text, &find(text));
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("pa55") && !masked.contains("abc"));
    }
}
