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
        if !is_mask_free(&decoded) {
            spans.push(Span::new(start, end));
        }
    }
    // A RunPod API key, or another credential known by its form, wherever it is written.
    spans.extend(formed_credentials(text));
    for at in memchr::memmem::find_iter(bytes, b"://") {
        if let Some((start, password)) = url_password(&text[at..]) {
            if !is_mask_free(password) {
                spans.push(Span::new(at + start, at + start + password.len()));
            }
        }
    }
    spans.sort();
    spans
}

/// A credential whose form says what it is: `prefix` starts a word, and at least `least` more
/// letters, digits, `_` or `-` follow (`.` too when `dotted`, which then needs two), holding a
/// digit when `digit`; when `upper`, exactly `least` capital letters and digits, and then no
/// letter or digit. The prefixes are the vendors' documented token formats.
struct Form {
    prefix: &'static str,
    least: usize,
    digit: bool,
    dotted: bool,
    upper: bool,
}

const fn form(prefix: &'static str, least: usize) -> Form {
    Form {
        prefix,
        least,
        digit: true,
        dotted: false,
        upper: false,
    }
}

/// Credentials known by their form, wherever they are written (a worker's `input` often
/// carries a model hub's or a provider's key under a name that says nothing): RunPod API keys
/// (`rpa_`), Hugging Face (`hf_`), OpenAI and Anthropic (`sk-`, `sk-proj-`, `sk-ant-`),
/// Replicate (`r8_`), GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab
/// (`glpat-`), Slack (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xapp-`), AWS access key
/// ids (`AKIA`, `ASIA`), Google API keys (`AIza`), Stripe (`sk_live_`, `rk_live_`,
/// `sk_test_`), npm (`npm_`), PyPI (`pypi-`) and JSON Web Tokens (`eyJ…​.eyJ…​.…`).
const FORMS: &[Form] = &[
    Form {
        prefix: "rpa_",
        least: 8,
        digit: false,
        dotted: false,
        upper: false,
    },
    form("hf_", 30),
    form("sk-", 20),
    form("r8_", 30),
    form("ghp_", 30),
    form("gho_", 30),
    form("ghu_", 30),
    form("ghs_", 30),
    form("ghr_", 30),
    form("github_pat_", 30),
    form("glpat-", 20),
    form("xoxb-", 10),
    form("xoxp-", 10),
    form("xoxa-", 10),
    form("xoxr-", 10),
    form("xoxs-", 10),
    form("xapp-", 10),
    Form {
        upper: true,
        ..form("AKIA", 16)
    },
    Form {
        upper: true,
        ..form("ASIA", 16)
    },
    form("AIza", 30),
    form("sk_live_", 16),
    form("rk_live_", 16),
    form("sk_test_", 16),
    form("npm_", 30),
    form("pypi-", 50),
    Form {
        prefix: "eyJ",
        least: 30,
        digit: false,
        dotted: true,
        upper: false,
    },
];

/// The PEM line that starts a private key (`-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN
/// OPENSSH PRIVATE KEY-----`, `-----BEGIN PGP PRIVATE KEY BLOCK-----`, in either case): masked
/// from there to its `-----END` line, or for at most 16 KiB.
const PEM_BEGIN: &str = "-----BEGIN ";

/// Where a PuTTY key file (`.ppk`) starts its private part: masked from there to the end of
/// its `Private-MAC` line, or for at most 16 KiB.
const PPK_PRIVATE: &str = "Private-Lines:";

/// The span of the private part of a PuTTY key file whose `Private-Lines:` is at `at`.
fn putty_private_lines(text: &str, at: usize) -> Span {
    let end = crate::source::floor_char_boundary(text, (at + 16 * 1024).min(text.len()));
    let window = &text[at..end];
    let end = match window.find("Private-MAC:") {
        Some(mac) => {
            at + mac
                + window[mac..]
                    .find(['\n', '\r', '"', '\\'])
                    .unwrap_or(window.len() - mac)
        }
        None => at + window.find(['"', '\'', '`']).unwrap_or(window.len()),
    };
    Span::new(at, end)
}

/// Where `text` writes a credential known by its form ([`FORMS`]), or a PEM private key.
fn formed_credentials(text: &str) -> impl Iterator<Item = Span> + '_ {
    static PREFIXES: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let prefixes = PREFIXES.get_or_init(|| {
        let patterns =
            (FORMS.iter().map(|f| f.prefix)).chain([PEM_BEGIN, "-----begin ", PPK_PRIVATE]);
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(patterns)
            .ok()
    });
    let bytes = text.as_bytes();
    // The end of the last credential found: a prefix inside it (the second `eyJ` of a JSON Web
    // Token, `AKIA` in a private key) starts no other.
    let mut until = 0;
    let mut runs: [Option<Run>; 2] = [None, None];
    prefixes
        .iter()
        .flat_map(move |prefixes| prefixes.find_iter(bytes))
        .filter_map(move |found| {
            let at = found.start();
            if at < until || (at > 0 && bytes[at - 1].is_ascii_alphanumeric()) {
                return None;
            }
            let Some(form) = FORMS.get(found.pattern().as_usize()) else {
                let key = if bytes[at] == b'-' {
                    private_key(text, at)?
                } else {
                    putty_private_lines(text, at)
                };
                until = key.end;
                return Some(key);
            };
            let rest = &bytes[found.end()..];
            if form.upper {
                // An AWS access key id: 16 capitals and digits, and no more (base64 text holds
                // `AKIA` and 16 letters often enough).
                let len = rest
                    .iter()
                    .take(form.least + 1)
                    .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    .count();
                let ends = rest.get(len).is_none_or(|b| !b.is_ascii_alphanumeric());
                if len != form.least || !ends || !rest[..len].iter().any(u8::is_ascii_digit) {
                    return None;
                }
                until = found.end() + len;
                return Some(Span::new(at, until));
            }
            // The run of token characters after the prefix, read once for all the prefixes
            // inside it (`rpa_rpa_rpa_…` had read to its end from each).
            let from = found.end();
            let cached = &mut runs[usize::from(form.dotted)];
            let run = match cached {
                Some(run) if run.start <= from && from <= run.end => *run,
                _ => *cached.insert(Run::read(bytes, from, form.dotted)),
            };
            let len = run.end.saturating_sub(from);
            let shaped = len >= form.least
                && (!form.digit || run.last_digit.is_some_and(|d| d >= from))
                && (!form.dotted || run.second_last_dot.is_some_and(|d| d >= from));
            if !shaped {
                return None;
            }
            let len = run.end - from;
            until = found.end() + len;
            Some(Span::new(at, until))
        })
}

/// A run of token characters (letters, digits, `_`, `-`, and `.` when `dotted`) in a text, as
/// [`formed_credentials`] reads it once for every prefix inside it: byte offsets.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Where reading started.
    start: usize,
    /// Where the run ends (without the full stops that end it, when dotted).
    end: usize,
    /// The last digit in the run.
    last_digit: Option<usize>,
    /// The second-to-last `.` in the run (when dotted).
    second_last_dot: Option<usize>,
}

impl Run {
    fn read(bytes: &[u8], start: usize, dotted: bool) -> Self {
        let mut last_digit = None;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match b {
                b'0'..=b'9' => last_digit = Some(end),
                b'.' if dotted => {}
                _ if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-') => {}
                _ => break,
            }
            end += 1;
        }
        // A sentence's full stop after a token is not part of it.
        while dotted && end > start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let second_last_dot = if dotted {
            (start..end).rev().filter(|&at| bytes[at] == b'.').nth(1)
        } else {
            None
        };
        Self {
            start,
            end,
            last_digit,
            second_last_dot,
        }
    }
}

/// The span of the PEM private key whose `-----BEGIN ` is at `at` in `text`: to the end of its
/// `-----END …-----` line, or 16 KiB, or the end of the string it is written in. None when the
/// block is not a private key.
fn private_key(text: &str, at: usize) -> Option<Span> {
    const MOST: usize = 16 * 1024;
    let after = at + PEM_BEGIN.len();
    let label = text.as_bytes().get(after..)?;
    let label_end = after + memchr::memmem::find(&label[..label.len().min(64)], b"-----")?;
    let label = &text[at + PEM_BEGIN.len()..label_end];
    let label = label.to_ascii_uppercase();
    if !(label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK")) || label.len() > 40
    {
        return None;
    }
    let mut end = (at + MOST).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &text[at..end];
    let close = window
        .find("-----END ")
        .or_else(|| window.find("-----end "));
    let end = match close {
        Some(close) => {
            let after = close + "-----END ".len();
            at + window[after..]
                .find("-----")
                .map_or(window.len(), |dashes| after + dashes + "-----".len())
        }
        // Without its end line, to where the string that holds it ends.
        None => at + window.find(['"', '\'', '`']).unwrap_or(window.len()),
    };
    Some(Span::new(at, end))
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

/// Secrets a document means, found by what its values are rather than how they are spelt:
/// the spans to mask in code frames and the values to mask in every message.
#[derive(Debug, Default, Clone)]
pub(crate) struct Meant {
    /// Byte spans of the text that hold a secret (a whole string literal, a key).
    pub spans: Vec<Span>,
    /// The secrets as messages could quote them (decoded).
    pub values: Vec<String>,
}

/// Whether a key names a credential, compared in lower case with letters and digits only:
/// any key that holds `secret`, `password`, `passwd`, `passphrase`, `passcode`, `privatekey`
/// or `credential`; that ends in `apikey`, `apikeys`, `token` (`max_tokens` does not), `pwd`,
/// `authkey`, `privkey`, `sshkey`, `signingkey`, `sessionkey`, `encryptionkey`, `jwt` or
/// `authorization` (`Proxy-Authorization`); that is `pass`, `auth`, `authentication`,
/// `cookie`, `cookies`, `setcookie`, `tokens`, `tokenvalue`, `bearer`, `xauth` or `xapikey`
/// (the names code and HTTP give a credential); or that is a near miss of
/// `accessSecret`, `secretAccessKey`, `password` or `apiKey` (`accessSecert`, `acessSecret`:
/// rplint asks "did you mean `accessSecret`?" of them, and their value is the secret). Its
/// value is masked however it is written. Keys longer than 256 bytes are no names.
pub(crate) fn is_secret_key(key: &str) -> bool {
    if key.len() > 256 {
        return false;
    }
    // Documents repeat the same few keys (`input`, `prompt`, `webhook`): each thread keeps
    // the answers for the first 4,096 keys it meets.
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, bool>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(known) = KNOWN.with(|k| k.borrow().get(key).copied()) {
        return known;
    }
    // The folded key is its words run together ([`fold_key`]): the key is read once.
    let words = key_words(key);
    let secret = is_secret_name(&words.concat())
        || names_credential(&words)
        || is_environment_key(key, &words)
        // A word of another script as written: the skeletons read `пароль` as Latin letters.
        || (!key.is_ascii() && is_secret_name(&fold_as_written(key)));
    KNOWN.with(|k| {
        let mut known = k.borrow_mut();
        if known.len() < 4096 {
            known.insert(key.to_owned(), secret);
        }
    });
    secret
}

/// [`is_secret_key`] for a key found in text that may not be JSON: a name of at most 256 bytes
/// with no quote or control character (a quoted text such as `"accessSecret": "..."` in broken
/// text is no name).
fn is_secret_key_in_text(key: &str) -> bool {
    key.len() <= 256
        && !key
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\''))
        && !key.contains(": ")
        && is_secret_key(key)
}

/// [`is_secret_key`] of a folded key.
fn is_secret_name(folded: &str) -> bool {
    const HOLDS: [&str; 78] = [
        "secret",
        "password",
        "passwd",
        "passphrase",
        "passcode",
        "privatekey",
        "credential",
        // The word in other languages: German, Dutch, Spanish, French, Portuguese, Swedish.
        "passwort",
        "kennwort",
        "wachtwoord",
        "contrasena",
        "contraseña",
        "motdepasse",
        "losenord",
        "salasana",
        "haslo",
        "hasło",
        "heslo",
        "lozinka",
        "jelszo",
        "jelszó",
        "parola",
        "senha",
        "пароль",
        "密码",
        "口令",
        "パスワード",
        "비밀번호",
        "seedphrase",
        "recoveryphrase",
        "connectionstring",
        // More languages: Danish and Norwegian, Swedish as written, Turkish, Afrikaans,
        // Slovene, Estonian, Lithuanian, Vietnamese, Indonesian, Malay, Hebrew, Arabic, Hindi,
        // Greek, traditional Chinese, Korean; and "secret" and "key" words of Russian, Chinese
        // and Japanese.
        "adgangskode",
        "passord",
        "lösenord",
        "şifre",
        "sifre",
        "wagwoord",
        "geslo",
        "parool",
        "slaptažodis",
        "mậtkhẩu",
        "katasandi",
        "katalaluan",
        "סיסמה",
        "كلمةالمرور",
        "كلمةالسر",
        "पासवर्ड",
        "κωδικόςπρόσβασης",
        "密碼",
        "암호",
        "секрет",
        "密钥",
        "密鑰",
        "秘密鍵",
        "ключapi",
        "apiключ",
        "секретныйключ",
        "비밀",
        "秘钥",
        "лозинка",
        "κωδικός",
        "apiキー",
        "salasõna",
        // Thai, without its tone mark (which is no letter).
        "รหัสผาน",
        "chaveapi",
        "cléapi",
        "totpseed",
        "otpseed",
        "claveapi",
        "chiaveapi",
        "apischlüssel",
        "zugangsdaten",
        "apisleutel",
        "apinyckel",
        "kluczapi",
        "secrète",
        "токен",
        "秘密",
    ];
    const ENDS: [&str; 20] = [
        "apikey",
        "apikeys",
        "token",
        "pwd",
        "authkey",
        "privkey",
        "sshkey",
        "signingkey",
        "sessionkey",
        "encryptionkey",
        "jwt",
        "authorization",
        "masterkey",
        "passkey",
        "pword",
        "psw",
        // "Token" in Russian, Japanese, Chinese and Korean.
        "токен",
        "トークン",
        "令牌",
        "토큰",
    ];
    const IS: [&str; 26] = [
        "pass",
        "auth",
        "authentication",
        "cookie",
        "cookies",
        "setcookie",
        "tokens",
        "tokenvalue",
        "bearer",
        "xauth",
        "xapikey",
        "dbpass",
        "pgpass",
        "dbpwd",
        "connstr",
        "dsn",
        "clave",
        "cred",
        "creds",
        // The JavaScript SDK's entry point, whose argument is the API key.
        "runpodsdk",
        "passw",
        "paswd",
        "rootpass",
        "adminpass",
        "userpass",
        "jeton",
    ];
    const NEAR: [&str; 4] = ["accesssecret", "secretaccesskey", "password", "apikey"];
    HOLDS.iter().any(|w| folded.contains(w))
        || ENDS.iter().any(|w| folded.ends_with(w))
        || IS.contains(&folded)
        || NEAR.iter().any(|name| {
            folded.len().abs_diff(name.len()) <= 2
                && strsim::osa_distance(folded, name) <= if name.len() > 6 { 2 } else { 1 }
        })
}

/// A key as it reads: Unicode's compatibility normalization (NFKC: fullwidth and mathematical
/// letters), then each character that is not ASCII replaced by the ASCII letters it is
/// confusable with (Unicode's skeletons, UTS #39: a Cyrillic `о` in `tоken`) where there are
/// such. ASCII keys are returned as they are.
fn as_read(key: &str) -> std::borrow::Cow<'_, str> {
    if key.is_ascii() {
        return key.into();
    }
    use unicode_normalization::UnicodeNormalization as _;
    let mut read = String::with_capacity(key.len());
    for c in key.nfkc() {
        if c.is_ascii() {
            read.push(c);
            continue;
        }
        let mut buf = [0; 4];
        let skeleton: String = unicode_security::skeleton(c.encode_utf8(&mut buf)).collect();
        if skeleton.is_ascii() && !skeleton.is_empty() {
            read.push_str(&skeleton);
        } else {
            read.push(c);
        }
    }
    read.into()
}

/// A key's letters and digits in lower case after NFKC, without skeletons: `пароль` stays
/// Cyrillic, as the lists of words in other scripts write it.
fn fold_as_written(key: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    key.nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a key is an environment variable's name for a key: capitals, digits and `_`, and
/// `KEY` its last word (`FAL_KEY`, `SUPABASE_SERVICE_ROLE_KEY`, `B2_APPLICATION_KEY`). Such
/// names hold a service's credential; `key` in lower case (`cache_key`, `s3_key`) need not.
fn is_environment_key(key: &str, words: &[String]) -> bool {
    words.len() > 1
        && words.last().is_some_and(|w| w == "key")
        && key.contains('_')
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A key as secret keys are compared: its letters and digits as it reads ([`as_read`]), in
/// lower case (`access_secret`, `Access-Secret`, `access\u{200b}Secret`, `accessSecret!`,
/// `ａｃｃｅｓｓＳｅｃｒｅｔ` and `tоken` with a Cyrillic `о` are one name each).
fn fold_key(key: &str) -> String {
    as_read(key)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a key as it reads, in lower case: split at separators, at a lower-case letter
/// followed by a capital (`apiKeyProd`), and between letters and digits (`token1`).
fn key_words(key: &str) -> Vec<String> {
    let read = as_read(key);
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    let mut chars = read.chars().peekable();
    while let Some(c) = chars.next() {
        let boundary = match previous {
            None => false,
            Some(p) => {
                !c.is_alphanumeric()
                    || (p.is_lowercase() && c.is_uppercase())
                    || (p.is_alphabetic() != c.is_alphabetic())
                    // An acronym's end: `openAIKey`, `XApiKey`.
                    || (p.is_uppercase()
                        && c.is_uppercase()
                        && chars.peek().is_some_and(|n| n.is_lowercase()))
            }
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether the words of a key name a credential: a credential word (`pass`, `pw`, `token`,
/// `cookie`, `authorization`, `bearer`, `jwt`, ... or a misspelling of a long one:
/// `Authorizaton`, `client_secert`, `tokne`), or `key` after a word that makes it one
/// (`api_key`, `master_key`, `Ocp-Apim-Subscription-Key`), followed by nothing but words that
/// qualify a value (`_prod`, `_v2`, `1`, `_header`, `_value`). `max_tokens`, `token_count`
/// and `key` alone are no credentials.
fn names_credential(words: &[String]) -> bool {
    const CREDENTIAL: [&str; 28] = [
        "pass",
        "pw",
        "pwd",
        "passwd",
        "password",
        "passcode",
        "passphrase",
        "secret",
        "token",
        "cookie",
        "credential",
        "credentials",
        "auth",
        "authorization",
        "authorisation",
        "authentication",
        "bearer",
        "jwt",
        "apikey",
        "accesskey",
        "secretkey",
        "pat",
        "sessionid",
        "pswd",
        "mdp",
        "mnemonic",
        "cred",
        "creds",
    ];
    const MAKES_A_KEY: [&str; 77] = [
        "api",
        "access",
        "secret",
        "private",
        "priv",
        "master",
        "hmac",
        "client",
        "license",
        "licence",
        "subscription",
        "functions",
        "function",
        "signing",
        "session",
        "encryption",
        "ssh",
        "auth",
        "app",
        "admin",
        "service",
        "account",
        "storage",
        "shared",
        "consumer",
        // Vendors whose key the name carries (`OPENAI_KEY`, `HF_KEY`).
        "openai",
        "hf",
        "huggingface",
        "anthropic",
        "stripe",
        "github",
        "gitlab",
        "aws",
        "gcp",
        "google",
        "azure",
        "slack",
        "twilio",
        "sendgrid",
        "replicate",
        "runpod",
        "civitai",
        "wandb",
        "pinecone",
        "cohere",
        "mistral",
        "groq",
        "deepseek",
        "elevenlabs",
        "supabase",
        "fal",
        "firebase",
        "openrouter",
        "together",
        "fireworks",
        "gemini",
        "tavily",
        "serpapi",
        "deepgram",
        "assemblyai",
        "backblaze",
        "b2",
        "application",
        "role",
        "root",
        // Keys that encrypt or sign.
        "aes",
        "enc",
        "encrypt",
        "decryption",
        "crypto",
        "cipher",
        "tls",
        "ssl",
        "kaggle",
        "fernet",
        "gpg",
        "pgp",
    ];
    const QUALIFIES: [&str; 33] = [
        "v",
        "prod",
        "production",
        "dev",
        "develop",
        "test",
        "testing",
        "staging",
        "stage",
        "live",
        "value",
        "val",
        "str",
        "string",
        "b64",
        "base64",
        "hex",
        "raw",
        "old",
        "new",
        "primary",
        "secondary",
        "backup",
        "header",
        "hdr",
        "enc",
        "encrypted",
        "plain",
        "default",
        "main",
        "current",
        "local",
        "remote",
    ];
    let misspelt = |word: &str| {
        ["password", "passphrase", "secret", "cookie", "credential", "authorization"]
            .iter()
            .any(|c| {
                word.len() >= 5
                    && word.len().abs_diff(c.len()) <= 1
                    && strsim::osa_distance(word, c) <= if c.len() >= 9 { 2 } else { 1 }
            })
            // `tokne`, `tokn`: a short word, only its own letters.
            || (word.starts_with("tok")
                && word.len() <= 5
                && strsim::osa_distance(word, "token") <= 1
                && word != "took")
    };
    words.iter().enumerate().any(|(i, word)| {
        // The word before `key` may be written as several (`openAIKey`, `X-RunPod-Key`,
        // `huggingFaceKey`).
        let makes_a_key = |i: usize| {
            (1..=3.min(i)).any(|n| MAKES_A_KEY.contains(&words[i - n..i].concat().as_str()))
        };
        let named = CREDENTIAL.contains(&word.as_str())
            || misspelt(word)
            || (word == "key" && makes_a_key(i));
        named
            && words[i + 1..].iter().all(|rest| {
                QUALIFIES.contains(&rest.as_str()) || rest.chars().all(|c| c.is_ascii_digit())
            })
    })
}

/// Whether a credential's value is certainly no secret, for masking: empty, a template
/// (`${VAR}`, `{{ var }}`, `<name>`), a mask (`****`, `xxxx`) or words that say what belongs
/// there, and nothing else ([`says_what_belongs`]). Masking stays on the safe
/// side of [`is_placeholder`]: an all-capital value (`JBSWY3DPEHPK3PXP` is a base32 key) or a
/// `$` and a word (`$Tr0ngPassw0rd99`) is masked, though the rule does not report it.
fn is_mask_free(value: &str) -> bool {
    let v = value.trim();
    let wrapped = |open: &str, close: &str| {
        v.starts_with(open) && v.ends_with(close) && v.len() > open.len() + close.len()
    };
    (v.is_empty()
        || wrapped("${", "}")
        || wrapped("{{", "}}")
        || wrapped("<", ">")
        || v.chars().all(|c| matches!(c, '*' | '.' | '•'))
        || v.chars().all(|c| c == 'x' || c == 'X')
        || says_what_belongs(v))
        // A value the `plaintext-secret` rule reports is never spared (`mysecretkey`,
        // `credentials`: words that say what belongs there, run together or alone).
        && is_placeholder(v)
}

/// Whether a value is nothing but words that say what belongs there, every one of them from
/// the placeholders' vocabulary (`your-api-key`, `key_secret_or_password`, `changeme`,
/// `YOUR_TOKEN_HERE`): a passphrase that merely holds such a word
/// (`tangerine-token-walrus-quartz`, `yourfavoritemonkey81`) is a secret.
fn says_what_belongs(v: &str) -> bool {
    const WORDS: &[&str] = &[
        "your",
        "my",
        "the",
        "a",
        "an",
        "here",
        "goes",
        "insert",
        "put",
        "replace",
        "enter",
        "with",
        "or",
        "and",
        "of",
        "secret",
        "secrets",
        "password",
        "passwd",
        "pass",
        "key",
        "keys",
        "token",
        "api",
        "access",
        "id",
        "value",
        "example",
        "placeholder",
        "changeme",
        "change",
        "me",
        "s3",
        "aws",
        "bucket",
        "runpod",
        "hf",
        "huggingface",
        "webhook",
        "endpoint",
        "url",
        "auth",
        "bearer",
        "credential",
        "credentials",
        "private",
        "public",
        "client",
        "user",
        "username",
        "name",
        "dummy",
        "fake",
        "test",
        "sample",
        "xxx",
        "todo",
    ];
    let words: Vec<String> = v
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    !words.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'))
        && words
            .iter()
            .all(|w| WORDS.contains(&w.as_str()) || joined_words(w, WORDS))
}

/// Whether `word` is two or three of `words` run together (`yourapikey`).
fn joined_words(word: &str, words: &[&str]) -> bool {
    fn split(rest: &str, words: &[&str], parts: usize) -> bool {
        rest.is_empty()
            || (parts < 3
                && words.iter().any(|w| {
                    rest.strip_prefix(w)
                        .is_some_and(|r| split(r, words, parts + 1))
                }))
    }
    !word.is_empty() && split(word, words, 0)
}

/// The password of `text` when the URL parser (the one the rules use) reads it as a URL with
/// one, decoded as it would be shown.
fn password_of(text: &str) -> Option<Vec<String>> {
    if !text.contains('@') {
        return None;
    }
    let text = text.trim();
    // As written, then as the webhook rules read a URL without its scheme.
    let url = [
        text.to_owned(),
        format!("https:{text}"),
        format!("https://{text}"),
    ]
    .iter()
    .filter_map(|candidate| url::Url::parse(candidate).ok())
    .find(|url| !url.username().is_empty() || url.password().is_some())?;
    // A URL with a user and no password carries its token as the user
    // (`https://TOKEN@host/`).
    let secret = url.password().unwrap_or_else(|| url.username());
    let decoded = percent_decode(secret);
    Some(if decoded == secret {
        vec![secret.to_owned()]
    } else {
        vec![secret.to_owned(), decoded]
    })
}

/// A path as messages show it: a credential one of its names holds when it reads as a URL
/// (`admin:pw@db.example.com/request.json`) masked.
pub fn shown_path(path: &std::path::Path) -> String {
    let mut shown = path.to_string_lossy().into_owned();
    // Each name of the path: `u:pw@host.json`, a name saved from a URL
    // (`req.json?X-Amz-Signature=...`), a directory named with a key.
    let secrets: Vec<String> = shown
        .split(['/', '\\'])
        .flat_map(string_credentials)
        .collect();
    for secret in secrets {
        if secret.len() >= 3 {
            shown = shown.replace(&secret, &"*".repeat(secret.chars().count()));
        }
    }
    shown
}

/// `text` with every byte but unreserved ones (`A-Z a-z 0-9 - . _ ~`) percent-encoded, as a URL
/// may write it.
pub(crate) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `%41` → `A`, leaving what is not an escape as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The secrets of a parsed document, by meaning: the value of every secret key
/// ([`is_secret_key`]) however the key is spelt, of any JSON type, in every occurrence of a
/// repeated key; the values of an entry named as a secret (a Hub `env` entry's `value`,
/// `default`, `input.default`, `trueValue`, `falseValue` and option values, under any of its
/// repeated `key`s); a credential header written as a string (`"Authorization: Bearer ..."`)
/// or a name and value pair (`["Authorization", "..."]`); the password and the secret query
/// parameters of every URL a string or key is, or holds; and all of these in the values a
/// repeated key hides (which parsers drop, and which frames still show). Linear in the size
/// of the document: a value's pointer is built only where a secret is found.
pub(crate) fn by_meaning(doc: &crate::document::Document<'_>) -> Meant {
    let mut meant = walk(doc);
    // The earlier values of repeated keys: not in the parsed value, each walked as a document
    // of its own (the 1,000 repeats the parser records; past those, the text is masked near
    // every secret key, as for a document that does not parse).
    let text = doc.text();
    let mut shadowed: Vec<Span> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for duplicate in doc.duplicates() {
        if !seen.insert((duplicate.open, duplicate.key.as_str())) {
            continue;
        }
        let occurrences: Vec<_> = (0..)
            .map_while(|n| doc.member_in_object(duplicate.open, &duplicate.key, n))
            .take(1001)
            .collect();
        let last = occurrences.len().saturating_sub(1);
        shadowed.extend(occurrences[..last].iter().map(|o| o.value));
    }
    shadowed.sort();
    let mut covered = 0;
    for span in shadowed {
        if span.start < covered {
            // Inside an earlier value already walked as a whole.
            continue;
        }
        covered = span.end;
        let Ok(hidden) = crate::document::Document::parse(&text[span.start..span.end]) else {
            continue;
        };
        let found = walk(&hidden);
        meant.spans.extend(
            (found.spans.iter()).map(|s| Span::new(s.start + span.start, s.end + span.start)),
        );
        meant.values.extend(found.values);
    }
    if doc.more_duplicates() > 0 {
        let near = near_keys(text);
        meant.spans.extend(near.spans);
        meant.values.extend(near.values);
    }
    meant.spans.sort();
    meant
}

/// A step from a container to one of its values: an object's key or an array's index.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// Every occurrence of the value one `step` from the container whose `{` or `[` is at byte
/// `open` (a repeated key has several; the last is the one the parsed value keeps). Found from
/// the container, never from the root: a secret at depth 10,000 costs what one at the top does.
fn occurrences(
    doc: &crate::document::Document<'_>,
    open: Option<usize>,
    step: Step<'_>,
) -> Vec<crate::document::NodeSpans> {
    let Some(open) = open else {
        return Vec::new();
    };
    match step {
        Step::Key(key) => (0..)
            .map_while(|n| doc.member_in_object(open, key, n))
            .take(crate::document::MOST_DUPLICATES + 1)
            .collect(),
        Step::Index(i) => doc.element_in_array(open, i).into_iter().collect(),
    }
}

/// The spans of the value at `steps` from the container at `open`, each step to the last
/// occurrence (the parsed value's).
fn descend(
    doc: &crate::document::Document<'_>,
    open: Option<usize>,
    steps: &[Step<'_>],
) -> Option<crate::document::NodeSpans> {
    let mut open = open?;
    let mut found = None;
    for step in steps {
        let spans = match *step {
            Step::Key(key) => doc.member_in_object(open, key, usize::MAX)?,
            Step::Index(i) => doc.element_in_array(open, i)?,
        };
        open = spans.value.start;
        found = Some(spans);
    }
    found
}

/// Where a container is, as [`walk`] reaches it: one step from its parent's place (the root's
/// parent is itself), and the offset of its `{` or `[`, found on first need from the parent's
/// (each place is found once, from its container, never from the root; a document with no
/// secret finds none).
struct Place<'v> {
    parent: usize,
    step: Step<'v>,
    open: Option<Option<usize>>,
}

/// The offset of the `{` or `[` of the container at `places[at]`, found from the nearest
/// place already found.
fn open_of(
    doc: &crate::document::Document<'_>,
    places: &mut [Place<'_>],
    at: usize,
) -> Option<usize> {
    let mut chain = Vec::new();
    let mut next = at;
    while places.get(next)?.open.is_none() {
        chain.push(next);
        if next == 0 {
            break;
        }
        next = places[next].parent;
    }
    for &place in chain.iter().rev() {
        let open = if place == 0 {
            doc.spans("").map(|spans| spans.value.start)
        } else {
            let parent = places[places[place].parent].open.flatten();
            descend(doc, parent, &[places[place].step]).map(|spans| spans.value.start)
        };
        places[place].open = Some(open);
    }
    places.get(at)?.open.flatten()
}

/// The place one `step` from the container at `places[parent]`, not yet found.
fn child_place<'v>(places: &mut Vec<Place<'v>>, parent: usize, step: Step<'v>) -> usize {
    places.push(Place {
        parent,
        step,
        open: None,
    });
    places.len() - 1
}

/// The span of the value one `step` from the container at `places[place]`.
fn child_value(
    doc: &crate::document::Document<'_>,
    places: &mut [Place<'_>],
    place: usize,
    step: Step<'_>,
) -> Option<Span> {
    let open = open_of(doc, places, place);
    descend(doc, open, &[step]).map(|spans| spans.value)
}

/// [`by_meaning`] of the parsed value itself.
fn walk(doc: &crate::document::Document<'_>) -> Meant {
    use serde_json::Value;
    let mut meant = Meant::default();
    // The objects (by the offset of their `{`) whose `key` or `name` repeats: each occurrence
    // may name the secret.
    let named_twice: std::collections::HashSet<usize> = (doc.duplicates().iter())
        .filter(|d| d.key == "key" || d.key == "name")
        .map(|d| d.open)
        .collect();
    // The keys that repeat somewhere: their other values are read from the text.
    let repeated: std::collections::HashSet<&str> =
        doc.duplicates().iter().map(|d| d.key.as_str()).collect();
    // The stack holds (a container, its place, whether it lies inside a secret's value already
    // masked). Spans are found from the container, so the walk is linear in the document
    // whatever its depth; and only where a secret is.
    let mut places = vec![Place {
        parent: 0,
        step: Step::Index(0),
        open: None,
    }];
    let mut stack: Vec<(&Value, usize, bool)> = vec![(doc.value(), 0, false)];
    while let Some((value, place, within)) = stack.pop() {
        match value {
            Value::Object(map) => {
                let twice = !named_twice.is_empty()
                    && open_of(doc, &mut places, place).is_some_and(|o| named_twice.contains(&o));
                let named =
                    !within && names_a_secret(doc, map, || open_of(doc, &mut places, place), twice);
                if named {
                    let open = open_of(doc, &mut places, place);
                    // `{"key": "AWS_SECRET", "value": "..."}` (a Hub `env` entry) and
                    // `{"name": "API_TOKEN", "default": "..."}`: the values are the secret's.
                    let options = map
                        .get("input")
                        .and_then(|i| i.get("options"))
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    let mut fields: Vec<Vec<Step<'_>>> = vec![
                        vec![Step::Key("value")],
                        vec![Step::Key("default")],
                        vec![Step::Key("input"), Step::Key("default")],
                        vec![Step::Key("input"), Step::Key("trueValue")],
                        vec![Step::Key("input"), Step::Key("falseValue")],
                    ];
                    fields.extend((0..options).map(|i| {
                        vec![
                            Step::Key("input"),
                            Step::Key("options"),
                            Step::Index(i),
                            Step::Key("value"),
                        ]
                    }));
                    for field in fields {
                        let Some((last, before)) = field.split_last() else {
                            continue;
                        };
                        let mut at = Some(value);
                        for step in &field {
                            at = at.and_then(|v| match *step {
                                Step::Key(key) => v.get(key),
                                Step::Index(i) => v.get(i),
                            });
                        }
                        if let Some(field_value) = at {
                            let parent = if before.is_empty() {
                                open
                            } else {
                                descend(doc, open, before).map(|spans| spans.value.start)
                            };
                            let found = occurrences(doc, parent, *last);
                            secret_value(doc, &found, field_value, &mut meant);
                        }
                    }
                }
                for (key, member) in map {
                    let secret = !within && is_secret_key(key);
                    let in_key = string_credentials(key);
                    let container = matches!(member, Value::Object(_) | Value::Array(_));
                    // A string's credentials are read once, by `mask_string`, which passes over
                    // a string that carries none.
                    let string = member.is_string();
                    // A value every scalar of which is certainly no secret is passed over
                    // without a span lookup (a key written once; a repeated one has other
                    // values), and so is everything inside it: its scalars are among these.
                    let lookup = secret
                        && (repeated.contains(key.as_str()) || {
                            let leaves = scalars(member);
                            leaves.is_empty() || leaves.iter().any(|l| !is_mask_free(l))
                        });
                    let mut masked = false;
                    if lookup || !in_key.is_empty() {
                        let open = open_of(doc, &mut places, place);
                        let found = occurrences(doc, open, Step::Key(key));
                        masked = lookup && secret_value(doc, &found, member, &mut meant);
                        if !in_key.is_empty() {
                            meant
                                .spans
                                .extend(found.iter().filter_map(|spans| spans.key));
                            meant.values.extend(in_key);
                        }
                    }
                    if container {
                        let checked = masked || (secret && !repeated.contains(key.as_str()));
                        let child = child_place(&mut places, place, Step::Key(key));
                        stack.push((member, child, within || checked));
                    } else if string {
                        let at = || child_value(doc, &mut places, place, Step::Key(key));
                        mask_string(doc, member, at, &mut meant);
                    }
                }
            }
            Value::Array(items) => {
                // `["Authorization", "Bearer ..."]`: a header as a name and value pair.
                if let [Value::String(name), credential] = items.as_slice()
                    && !within
                    && is_secret_key(name)
                    && !credential.is_object()
                {
                    let open = open_of(doc, &mut places, place);
                    let found = occurrences(doc, open, Step::Index(1));
                    secret_value(doc, &found, credential, &mut meant);
                }
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(_) | Value::Array(_) => {
                            let child = child_place(&mut places, place, Step::Index(i));
                            stack.push((item, child, within));
                        }
                        Value::String(_) => {
                            let at = || child_value(doc, &mut places, place, Step::Index(i));
                            mask_string(doc, item, at, &mut meant);
                        }
                        _ => {}
                    }
                }
            }
            Value::String(_) => {
                mask_string(
                    doc,
                    value,
                    || doc.spans("").map(|spans| spans.value),
                    &mut meant,
                );
            }
            _ => {}
        }
    }
    meant.spans.sort();
    meant
}

/// Whether the object `map` (whose `{` is at the byte `open` gives) names a secret by its
/// `key` or `name` member, in any of their occurrences (`named_twice`: whether one repeats in
/// this object).
fn names_a_secret(
    doc: &crate::document::Document<'_>,
    map: &serde_json::Map<String, serde_json::Value>,
    mut open: impl FnMut() -> Option<usize>,
    named_twice: bool,
) -> bool {
    ["key", "name"].into_iter().any(|k| {
        map.get(k)
            .and_then(serde_json::Value::as_str)
            .is_some_and(is_secret_key)
            || (named_twice
                && map.contains_key(k)
                && occurrences(doc, open(), Step::Key(k))
                    .iter()
                    .filter_map(|spans| literal_value(doc.text(), spans.value))
                    .any(|v| v.as_str().is_some_and(is_secret_key)))
    })
}

/// The value written at `span`, parsed.
fn literal_value(text: &str, span: Span) -> Option<serde_json::Value> {
    serde_json::from_str(text.get(span.start..span.end)?).ok()
}

/// Mask the value of a secret, `value` as parsed, in every occurrence of a repeated key
/// (`occurrences`, from [`occurrences`]): each occurrence's span, and every scalar it holds as
/// a message could quote it. Nothing when every scalar is certainly no secret
/// ([`is_mask_free`]); `true` when masked.
fn secret_value(
    doc: &crate::document::Document<'_>,
    occurrences: &[crate::document::NodeSpans],
    value: &serde_json::Value,
    meant: &mut Meant,
) -> bool {
    let mut leaves = Vec::new();
    if occurrences.len() > 1 {
        for spans in occurrences {
            if let Some(value) = literal_value(doc.text(), spans.value) {
                leaves.extend(scalars(&value));
            }
        }
    } else {
        leaves = scalars(value);
    }
    if !(leaves.is_empty() || leaves.iter().any(|l| !is_mask_free(l))) {
        return false;
    }
    for spans in occurrences {
        meant.spans.push(inside_quotes(doc.text(), spans.value));
    }
    meant
        .values
        .extend(leaves.into_iter().filter(|l| !l.is_empty()));
    true
}

/// Whether a string could carry a URL's or a header's credential, or one it assigns (a
/// credential known by its form is looked for in every string).
fn may_carry_credentials(s: &str) -> bool {
    s.contains('@') || s.contains('=') || s.contains(':') || s.contains("--")
}

/// The credentials a string (a value or a key) carries, as messages could quote them: the
/// password (or token user) of the URL it is or holds (`https://u:pw@h`, `u:pw@h`, a URL in a
/// sentence), the values of query or fragment parameters named as secrets
/// (`?token=...`, `#access_token=...`, with or without a scheme), the value of a
/// credential header written as `Authorization: Bearer ...`, and a credential known by its
/// form (a RunPod API key, `rpa_` and at least 8 more characters) however the text escaped it.
fn string_credentials(s: &str) -> Vec<String> {
    let mut found: Vec<String> = formed_credentials(s)
        .map(|key| s[key.start..key.end].to_owned())
        .collect();
    if !may_carry_credentials(s) {
        return found;
    }
    // The string itself, and each word of it that holds a URL.
    let words = s
        .split_whitespace()
        .filter(|w| w.len() < s.trim().len() && (w.contains("://") || w.contains('@')));
    for candidate in std::iter::once(s).chain(words) {
        if let Some(passwords) = password_of(candidate)
            && passwords.iter().any(|p| !is_mask_free(&percent_decode(p)))
        {
            found.extend(passwords);
        }
        found.extend(parameter_secrets(candidate));
    }
    // `Authorization: Bearer ...`, `X-Api-Key: ...`, on any line of the string (a block of
    // headers).
    for line in s.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if !name.trim().is_empty()
            && !name.contains(['/', ' '])
            && is_secret_key(name.trim())
            && !is_mask_free(value)
        {
            found.push(value.to_owned());
            let token = value.rsplit(' ').next().unwrap_or(value);
            if token != value && !is_mask_free(token) {
                found.push(token.to_owned());
            }
        }
    }
    found.extend(assigned_credentials(s));
    found
}

/// The values that a string assigns to a credential's name, as environments, connection
/// strings and command lines write them: `HF_TOKEN=...`, `Password=...;` and
/// `AccountKey=...;` (a connection string), `--api-key=...` and `--api-key ...`, a header
/// inside other text (`curl -H 'X-Api-Key: ...'`), `password = "..."`, `DB_PASSWORD='...'`,
/// JSON or YAML inside a string (`"password": "..."`), and `curl -u user:password`. A name is
/// letters, digits, `_`, `-` and `.` (at most 64 bytes), maybe quoted; its value is quoted (to
/// the closing quote, within 4 KiB) or runs to the next `;`, `&`, `,`, quote or white space.
/// Linear: a value found is skipped over.
fn assigned_credentials(s: &str) -> Vec<String> {
    let bytes = s.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let ends_value =
        |b: &u8| matches!(b, b';' | b'&' | b',' | b'"' | b'\'' | b'`') || b.is_ascii_whitespace();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(next) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| matches!(b, b'=' | b' ' | b':')))
    {
        let sep = at + next;
        at = sep + 1;
        // A flag before a space (`--api-key value`); any name before `=` or `:`, with blanks
        // around it (`password = ...`), or quoted (`"password": ...` in JSON inside a string).
        let flag = bytes[sep] == b' ';
        let mut name_end = sep;
        if !flag {
            while name_end > 0 && is_blank(&bytes[name_end - 1]) {
                name_end -= 1;
            }
        }
        let quote = (!flag && name_end > 0)
            .then(|| bytes[name_end - 1])
            .filter(|b| matches!(b, b'"' | b'\''));
        if quote.is_some() {
            name_end -= 1;
        }
        let start = (name_end.saturating_sub(64)..name_end)
            .rev()
            .take_while(|&i| is_name(bytes[i]))
            .last()
            .unwrap_or(name_end);
        let written = &s[start..name_end];
        if flag && !written.starts_with("--") {
            continue;
        }
        let opened = match quote {
            Some(q) => start > 0 && bytes[start - 1] == q,
            None => !(start > 0 && is_name(bytes[start - 1])),
        };
        let name = written.trim_start_matches('-');
        if name.is_empty() || !opened || !is_secret_key(name) {
            continue;
        }
        let mut value_start = sep + 1;
        value_start += bytes[value_start..]
            .iter()
            .take_while(|b| is_blank(b))
            .count();
        // A quoted value (`DB_PASSWORD='...'`, `--key "..."`): to its closing quote, within 4 KiB.
        if let Some(&q) = bytes
            .get(value_start)
            .filter(|b| matches!(b, b'"' | b'\'' | b'`'))
        {
            let inside = value_start + 1;
            let window = &bytes[inside..bytes.len().min(inside + 4096)];
            if let Some(len) = memchr::memchr(q, window) {
                let value = &s[inside..inside + len];
                if !value.is_empty() && !is_mask_free(value) {
                    found.push(value.to_owned());
                    at = inside + len + 1;
                }
            }
            continue;
        }
        let word = |from: usize| bytes[from..].iter().take_while(|b| !ends_value(b)).count();
        let mut len = word(value_start);
        let scheme = &s[value_start..value_start + len];
        if ["bearer", "basic", "token", "bot", "digest"]
            .iter()
            .any(|w| scheme.eq_ignore_ascii_case(w))
            && bytes.get(value_start + len) == Some(&b' ')
        {
            // `Authorization: Bearer ...`: the scheme and its credential.
            let token = value_start + len + 1;
            let token_len = word(token);
            if token_len > 0 {
                found.push(s[token..token + token_len].to_owned());
                len += 1 + token_len;
            }
        }
        let value = &s[value_start..value_start + len];
        if !value.is_empty() && !is_mask_free(value) && !value.starts_with('-') {
            found.push(value.to_owned());
            at = value_start + len;
        }
    }
    // `curl -u user:password`, `--user user:password` written in a string.
    let words: Vec<&str> = s.split_whitespace().collect();
    for pair in words.windows(2) {
        if matches!(pair[0], "-u" | "--user" | "--proxy-user" | "-U")
            && let Some((_, password)) = pair[1].trim_matches(['"', '\'']).split_once(':')
            && !password.is_empty()
            && !is_mask_free(password)
        {
            found.push(password.to_owned());
        }
    }
    found
}

/// The values of the query and fragment parameters of `text` named as secrets, decoded and as
/// written: `?password=...&token=...`, `#access_token=...`. One pass over the parameters.
fn parameter_secrets(text: &str) -> Vec<String> {
    let Some(at) = text.find(['?', '#']) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for pair in text[at + 1..].split(['&', '#', ';', '?']) {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let key = percent_decode(&key.replace('+', " "));
        let decoded = percent_decode(&value.replace('+', " "));
        let value = value.trim_end_matches(['"', '\'', ')', ']', '}', ',', '.']);
        if is_secret_parameter(&key) && !is_mask_free(&decoded) {
            found.push(decoded);
            found.push(value.to_owned());
        }
    }
    found
}

/// Whether a URL parameter's name names a credential: a secret key's name, or the names URLs
/// give one (`sig`, `signature`, `X-Amz-Signature`, `X-Goog-Credential`, `key`, `hmac`,
/// `session`, `sessionid`, `code`).
fn is_secret_parameter(name: &str) -> bool {
    is_secret_key(name)
        || matches!(
            fold_key(name).as_str(),
            "sig" | "signature" | "key" | "hmac" | "session" | "sessionid" | "sid" | "code"
        )
        || key_words(name)
            .last()
            .is_some_and(|w| matches!(w.as_str(), "signature" | "credential" | "sig"))
}

/// Mask the credentials the string `value` (its literal at `at`) carries ([`string_credentials`]):
/// the password alone where the literal spells it as the URL parser gives it, else the whole
/// string.
fn mask_string(
    doc: &crate::document::Document<'_>,
    value: &serde_json::Value,
    at: impl FnOnce() -> Option<Span>,
    meant: &mut Meant,
) {
    let Some(s) = value.as_str() else {
        return;
    };
    let found = string_credentials(s);
    if found.is_empty() {
        return;
    }
    if let Some(at) = at() {
        let span = match password_of(s) {
            Some(passwords) if string_credentials_are(&found, &passwords) => {
                password_span(doc.text(), at, &passwords)
            }
            _ => inside_quotes(doc.text(), at),
        };
        meant.spans.push(span);
    }
    meant.values.extend(found);
}

/// Whether `found` holds nothing but the URL's `passwords` (so masking the password alone
/// masks them all).
fn string_credentials_are(found: &[String], passwords: &[String]) -> bool {
    found.iter().all(|f| passwords.contains(f))
}

/// The scalars of a value, as messages write them: a string's text, a number or boolean as
/// written (`null` is no secret), and the keys of its objects, at any depth.
fn scalars(value: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Number(n) => out.push(n.to_string()),
            serde_json::Value::Bool(b) => out.push(b.to_string()),
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => stack.extend(items.iter()),
            serde_json::Value::Object(map) => {
                // A secret's value may map secrets to what they allow (`{"tokens": {"...":
                // "read"}}`): its keys are secrets too.
                out.extend(map.keys().cloned());
                stack.extend(map.values());
            }
        }
    }
    out
}

/// The byte offsets just after each token of `text` that names `accessSecret`: a string in
/// double or single quotes (its JSON escapes decoded), or a bare word, in any case, with or
/// without `_` and `-`. For text that does not parse, so that no spelling hides the key.
fn secret_key_ends(text: &str) -> Vec<usize> {
    key_ends(text, is_secret_key_in_text)
}

/// [`secret_key_ends`] for any notion of a secret key.
fn key_ends(text: &str, is_secret_key: fn(&str) -> bool) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            // A short quoted token that names the key. Quotes in broken text may not pair as
            // written (`'-c"accessSecret"`), so the scan goes on inside whatever it tried.
            let mut j = i + 1;
            while j < bytes.len() && j < i + 260 && bytes[j] != b && bytes[j] != b'\n' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            if bytes.get(j) == Some(&b) {
                let raw = text.get(i + 1..j).unwrap_or_default();
                if is_secret_key(&decode_escapes(raw)) {
                    ends.push(j + 1);
                }
            }
            i += 1;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            // A bare word, escapes included (`access\u0053ecret` outside its quotes).
            let len = bytes[i..]
                .iter()
                .take_while(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'$' | b'\\')
                })
                .count();
            if text.is_char_boundary(i + len) && is_secret_key(&decode_escapes(&text[i..i + len])) {
                ends.push(i + len);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    // Quoted tokens are tried from every quote: ends come out of order. A key in quotes is
    // found twice, as a bare word (ending before its closing quote) and as a quoted token
    // (ending after it): the value starts after the quote.
    ends.sort_unstable();
    ends.dedup();
    let mut kept = Vec::with_capacity(ends.len());
    for (k, &end) in ends.iter().enumerate() {
        if ends.get(k + 1) != Some(&(end + 1)) {
            kept.push(end);
        }
    }
    kept
}

/// A quoted string's content with its escapes decoded (`\u0053` → `S`), as far as they are
/// valid; what is not an escape stays.
fn decode_escapes(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A string literal's content, without its quotes (the whole span for other values).
fn inside_quotes(text: &str, span: Span) -> Span {
    let literal = text.get(span.start..span.end).unwrap_or_default();
    if literal.len() >= 2 && literal.starts_with('"') && literal.ends_with('"') {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// Where a URL literal writes its password: the password itself when the literal spells it
/// as the URL parser gives it, else the literal's whole content (escapes make offsets differ).
fn password_span(text: &str, span: Span, passwords: &[String]) -> Span {
    let literal = text.get(span.start..span.end).unwrap_or_default();
    if !literal.contains('\\') {
        for password in passwords {
            if let Some(at) = literal.find(&format!(":{password}@")) {
                let start = span.start + at + 1;
                return Span::new(start, start + password.len());
            }
        }
    }
    inside_quotes(text, span)
}

/// For a text that does not parse: what could be a secret, masked conservatively. After a
/// key that names `accessSecret` (in any quotes, or none, in any case), the rest of its line;
/// and in a string holding `:` then `@`, what lies between the last `:` and the `@` (a URL's
/// password however its scheme is written).
pub(crate) fn near_keys(text: &str) -> Meant {
    near(text, false)
}

/// [`near_keys`] for code that holds bodies (a shell script, a Python file): only a key that
/// is given a value (`: ...`, `= ...`) counts, so that a variable named `RUNPOD_API_KEY` is
/// not taken for one.
pub(crate) fn near_keys_in_code(text: &str) -> Meant {
    near(text, true)
}

/// Whether a line looks a credential up but writes a literal to fall back on, which is then
/// the secret: `os.getenv("KEY", "...")`, `os.environ.get("KEY", "...")`,
/// `process.env.KEY || "..."`, `?? "..."`, `${KEY:-...}`, `${KEY:=...}`.
fn has_literal_fallback(line: &str) -> bool {
    let quoted_after = |at: usize| line[at..].trim_start().starts_with(['"', '\'', '`']);
    let call_default = ["getenv(", ".get("].iter().any(|call| {
        line.match_indices(call).any(|(at, _)| {
            let args = &line[at + call.len()..];
            let args = args.split(')').next().unwrap_or(args);
            args.find(',')
                .is_some_and(|comma| args[comma + 1..].trim_start().starts_with(['"', '\'']))
        })
    });
    let or_default = ["||", "??", " or "].iter().any(|op| {
        line.match_indices(op)
            .any(|(at, _)| quoted_after(at + op.len()))
    });
    let shell_default = line.match_indices("${").any(|(at, _)| {
        let inner = &line[at + 2..];
        let inner = inner.split('}').next().unwrap_or(inner);
        let name_end = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let rest = &inner[name_end..];
        (rest.starts_with(":-") || rest.starts_with(":=") || rest.starts_with('-'))
            && !rest.trim_start_matches([':', '-', '=']).is_empty()
    });
    call_default || or_default || shell_default
}

/// Whether the rest of a line after a credential's name (at most 1 KiB of it) falls back to
/// a literal: `) or "..."`, ` || "..."`, `] ?? "..."`.
fn falls_back_to_literal(after_key: &str) -> bool {
    let head =
        &after_key[..crate::source::floor_char_boundary(after_key, after_key.len().min(1024))];
    let line = head.lines().next().unwrap_or_default();
    let rest = line.trim_start_matches(['"', '\'', ')', ']', ' ', '\t']);
    (rest.starts_with("or ") || rest.starts_with("||") || rest.starts_with("??"))
        && has_literal_fallback(line)
}

/// Whether the value after a key (`: ...` or `= ...` to the end of the line) only names where
/// the credential comes from: `$RUNPOD_API_KEY`, `${KEY}`, `os.environ[...]`,
/// `process.env.KEY`, `f"Bearer {key}"`, a variable. Such a value is no secret.
fn names_a_reference(after_key: &str) -> bool {
    // The value is read from the next 1 KiB at most: a line of 50,000 keys must not be read
    // again for each.
    let head =
        &after_key[..crate::source::floor_char_boundary(after_key, after_key.len().min(1024))];
    let line = head.lines().next().unwrap_or_default();
    if has_literal_fallback(line) {
        return false;
    }
    let value = line
        .trim_start_matches(['"', '\'', ' ', '\t'])
        .trim_start_matches([':', '='])
        .trim_start();
    let unquoted = value.strip_prefix('f').unwrap_or(value);
    let quoted = unquoted.starts_with(['"', '\'', '`']);
    let inner = unquoted.trim_start_matches(['"', '\'', '`']);
    let inner = inner
        .strip_prefix("Bearer ")
        .or_else(|| inner.strip_prefix("bearer "))
        .unwrap_or(inner)
        .trim_start();
    let expansion = inner.starts_with(['$', '{']);
    if quoted {
        return expansion;
    }
    // Unquoted, `{` opens a dict or an object, not an expansion.
    let expansion = inner.starts_with('$');
    // Unquoted: an expansion, an environment lookup, or a constant's or attribute's name
    // (`API_KEY`, `settings.key`). A lower-case word may be a shell's literal
    // (`PASSWORD=hunter22`): it is masked.
    let end = value
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.')))
        .unwrap_or(value.len());
    let word = &value[..end];
    let rest = value[end..].trim_start();
    // A constant's name is words joined by `_` (`API_KEY`, `TOKEN`); capitals and digits run
    // together (`JBSWY3DPEHPK3PXP`, a base32 key) are a value.
    let constant = word.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && (word.contains('_') || !word.chars().any(|c| c.is_ascii_digit()));
    let attribute = word.contains('.') && word.starts_with(|c: char| c.is_ascii_alphabetic());
    expansion
        || value.starts_with("os.environ")
        || value.starts_with("os.getenv")
        || value.starts_with("process.env")
        || ((constant || attribute)
            && (rest.is_empty() || rest.starts_with([',', ')', ';', '}', '#'])))
}

/// Where a key's value starts in text that may not be JSON, from `at` just past the key:
/// after blanks, line breaks and comments ([`skip_blanks_and_comments`]), one `:` or `=`, and
/// blanks and line breaks again (else `at` itself); and where the value itself starts past
/// comments there: a comment between the key and its value is masked with the value.
fn value_start(text: &str, at: usize, memo: &mut (usize, usize)) -> (usize, usize) {
    let bytes = text.as_bytes();
    let limit = bytes.len();
    let window = |from: usize| crate::source::floor_char_boundary(text, (from + 4096).min(limit));
    let colon = skip_blanks_and_comments(bytes, at, window(at), memo);
    if colon < limit && matches!(bytes[colon], b':' | b'=') {
        let first = skip_blanks_and_comments(bytes, colon + 1, colon + 1, memo);
        let value = skip_blanks_and_comments(bytes, first, window(first), memo);
        return if value < limit {
            (first, value)
        } else {
            (at, at)
        };
    }
    // No `:` at all, and a value where it should be (`"password"` then the secret on the next
    // line, a bare word a syntax error quotes): that is the value.
    let quoted_key = at > 0 && matches!(bytes[at - 1], b'"' | b'\'');
    if (colon > at || quoted_key)
        && colon < limit
        && (bytes[colon].is_ascii_alphanumeric()
            || matches!(bytes[colon], b'"' | b'\'' | b'[' | b'{'))
    {
        return (colon, colon);
    }
    (at, at)
}

/// The parts of a long value that messages quote (they shorten a long value to its start and
/// its end): its first and last 256 bytes, on character boundaries.
fn quoted_parts(value: &str) -> [String; 2] {
    let head = crate::source::floor_char_boundary(value, value.len().min(256));
    let mut tail = value.len().saturating_sub(256);
    while !value.is_char_boundary(tail) {
        tail += 1;
    }
    [value[..head].to_owned(), value[tail..].to_owned()]
}

/// Where the value of a key in code starts, from `at` just past the key: past its closing
/// quote or bracket, one `:` or `=`, and blanks, line breaks, comments and line continuations
/// (`\\` then the line break); `at` itself where no `:` or `=` follows on the key's line.
fn code_value_start(
    text: &str,
    at: usize,
    memo: &mut (usize, usize),
    line: &mut (usize, usize),
) -> usize {
    let bytes = text.as_bytes();
    // Many keys on one long line: its end is found once.
    if !(line.0 <= at && at <= line.1) {
        *line = (
            at,
            text[at..].find(['\n', '\r']).map_or(text.len(), |n| at + n),
        );
    }
    let line_end = line.1;
    let after = text[at..line_end].trim_start_matches(['"', '\'', ' ', '\t', ']']);
    if !after.starts_with([':', '=']) {
        return at;
    }
    let mut value = line_end - after.len() + 1;
    loop {
        let window = crate::source::floor_char_boundary(text, (value + 4096).min(text.len()));
        value = skip_blanks_and_comments(bytes, value, window, memo);
        if bytes.get(value) == Some(&b'\\') && matches!(bytes.get(value + 1), Some(b'\n' | b'\r')) {
            value += 1;
            continue;
        }
        return value;
    }
}

/// Past the blanks and line breaks from `i` (of any length: the last long run is remembered
/// in `memo` as (start, end), so the keys before it scan it once), and past comments
/// (`// ...`, `/* ... */`) that start before `comments_end`, a character boundary (a key inside
/// a long comment would otherwise scan it again for each key the comment holds).
fn skip_blanks_and_comments(
    bytes: &[u8],
    mut i: usize,
    comments_end: usize,
    memo: &mut (usize, usize),
) -> usize {
    let limit = bytes.len();
    loop {
        if memo.0 <= i && i < memo.1 {
            i = memo.1;
        } else {
            let from = i;
            while i < limit && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            }
            if i - from > 64 {
                *memo = (from, i);
            }
        }
        if i >= comments_end {
            return i.min(limit);
        }
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'/'), Some(b'/')) => {
                i = memchr::memchr(b'\n', &bytes[i..comments_end]).map_or(comments_end, |n| i + n);
            }
            (Some(b'/'), Some(b'*')) => {
                i = memchr::memmem::find(&bytes[(i + 2).min(comments_end)..comments_end], b"*/")
                    .map_or(comments_end, |n| i + n + 4);
            }
            _ => return i.min(limit),
        }
    }
}

/// The end of the bracketed value that opens at `open` (`[`, `{`, or a call's `(`): just past
/// its closing bracket (quoted
/// text skipped), or the end of the text (a value that never closes is masked to the end).
fn closing_bracket(text: &str, open: usize) -> usize {
    let bytes = text.as_bytes();
    let limit = bytes.len();
    let mut depth = 0usize;
    let mut i = open;
    let mut quote: Option<u8> = None;
    while i < limit {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' | b'{' | b'(' => depth += 1,
                b']' | b'}' | b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return crate::source::ceil_char_boundary(text, i + 1);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    crate::source::floor_char_boundary(text, limit)
}

fn near(text: &str, pairs_only: bool) -> Meant {
    let mut meant = Meant::default();
    let mut memo = (0, 0);
    let mut line = (usize::MAX, 0);
    let bytes = text.as_bytes();
    // Keys before `done` lie in a value already masked; keys before `masked_to` lie on a line
    // already masked from a key that had no value, and are looked at only for a value of
    // their own (a misspelt key first on a line must not hide the real one after it).
    let mut done = 0;
    let mut masked_to = 0;
    let ends = secret_key_ends(text);
    for start in ends {
        if start < done {
            // Inside a value already masked: a key there still matters when its own value
            // starts past that one (`token:"accessSecret":` then the secret on the next line,
            // where the first key's value was taken to be the second key).
            let value = if pairs_only {
                code_value_start(text, start, &mut memo, &mut line)
            } else {
                value_start(text, start, &mut memo).1
            };
            if value == start || value <= done {
                continue;
            }
        }
        if pairs_only {
            // `key: v`, `key = v`, `headers["key"] = v`, `setdefault("KEY", v)`.
            let next = text[start..]
                .trim_start_matches(['"', '\'', ' ', '\t', ']'])
                .chars()
                .next();
            // `HTTPBasicAuth("user", "...")`: a call's arguments are its value. A credential's
            // name looked up with a literal to fall back on
            // (`os.environ.get("API_KEY") or "..."`, `process.env.API_KEY || "..."`): the
            // literal is the secret.
            if !matches!(next, Some(':' | '=' | ',' | '('))
                && !falls_back_to_literal(&text[start..])
            {
                continue;
            }
            if names_a_reference(&text[start..]) {
                continue;
            }
        }
        // In text that is not JSON, the value may start on a later line (`"key":` then the
        // value, or the `:` itself on the next line): the value's line is the one masked, and
        // a bracket's value runs to its closing bracket.
        let key_end = start;
        let (first, start) = if pairs_only {
            // `cookies={"sid": "..."}`, `HTTPBasicAuth(...)`: a dict's, list's or call's value
            // runs to its closing bracket.
            let at = code_value_start(text, start, &mut memo, &mut line);
            if matches!(bytes.get(at), Some(b'[' | b'{' | b'(')) {
                (start, at)
            } else {
                (start, start)
            }
        } else {
            value_start(text, start, &mut memo)
        };
        let no_value = !pairs_only && first == key_end && start == key_end;
        if no_value && key_end < masked_to {
            continue;
        }
        if matches!(bytes.get(start), Some(b'[' | b'{'))
            || (pairs_only && bytes.get(start) == Some(&b'('))
        {
            let end = closing_bracket(text, start);
            meant.spans.push(Span::new(first, end));
            if end - start <= 1024 {
                meant.values.extend(
                    text[start..end]
                        .split([',', '[', ']', '{', '}', ':', '\n', '\r'])
                        .map(|piece| piece.trim().trim_matches(['"', '\'']).to_owned())
                        .filter(|piece| piece.len() >= 4),
                );
            } else {
                meant.values.extend(quoted_parts(&text[start..end]));
            }
            done = end;
            continue;
        }
        {
            let line_end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |n| start + n);
            // A quoted value may run past the line (a raw line break inside it): to its
            // closing quote, or to the end of the text.
            let value_quote = text[start..line_end]
                .char_indices()
                .find(|(_, c)| matches!(c, '"' | '\''))
                .map(|(n, c)| (start + n, c));
            let end = match value_quote {
                Some((open, quote)) => text[open + 1..]
                    .find(quote)
                    .map_or(text.len(), |n| open + 1 + n)
                    .max(line_end),
                None => line_end,
            };
            // In code, a value ends with its line (a quote further on is another string's);
            // a key whose line holds no value (`"Authorization":`, `password = \\`, a comment)
            // has it on the next line that holds anything.
            let end = if pairs_only {
                let value = code_value_start(text, start, &mut memo, &mut line);
                if value >= line_end {
                    text[value.min(text.len())..]
                        .find(['\n', '\r'])
                        .map_or(text.len(), |n| value + n)
                } else {
                    end.min(line_end)
                }
            } else {
                end
            };
            if end > start {
                meant.spans.push(Span::new(first, end));
                // The span masks it in frames; a message quotes a long value shortened, by its
                // start and its end.
                let value = text[start..end].trim();
                if value.len() <= 1024 {
                    meant.values.push(value.to_owned());
                } else {
                    meant.values.extend(quoted_parts(value));
                }
            }
            if no_value {
                masked_to = masked_to.max(end);
            } else {
                done = end;
            }
        }
    }
    let mut pending: Option<Span> = None;
    for at in memchr::memchr_iter(b'@', bytes) {
        // A URL's user and password are short: look back 256 bytes at most (a minified line
        // of many `@` would otherwise be searched from its start for each).
        let window = crate::source::floor_char_boundary(text, at.saturating_sub(256));
        let line_start = text[window..at]
            .rfind(['\n', '"', '\'', ' '])
            .map_or(window, |n| window + n + 1);
        if let Some(colon) = text[line_start..at].rfind(':') {
            let start = line_start + colon + 1;
            if start < at {
                // Many `@` after one `:` (`:@@@@`) make one span and one value, not one each.
                match &mut pending {
                    Some(span) if span.start == start => span.end = at,
                    _ => {
                        if let Some(span) = pending.replace(Span::new(start, at)) {
                            meant.spans.push(span);
                            meant.values.push(text[span.start..span.end].to_owned());
                        }
                    }
                }
            }
        }
    }
    if let Some(span) = pending {
        meant.spans.push(span);
        meant.values.push(text[span.start..span.end].to_owned());
    }
    meant.values.retain(|v| v.len() >= 2);
    meant.spans.sort();
    meant
}

/// `text` with every secret span replaced by `*`, byte for byte, so offsets stay valid.
pub(crate) fn mask(text: &str, spans: &[Span]) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut done = 0;
    for span in spans {
        // Spans may overlap (found by spelling and by meaning): mask what is left of each.
        let start = span.start.max(done);
        if span.end <= start || span.end > text.len() || !text.is_char_boundary(start) {
            continue;
        }
        masked.push_str(&text[done..start]);
        // Line breaks stay: a frame keeps its lines.
        masked.extend(text.as_bytes()[start..span.end].iter().map(|&b| match b {
            b'\n' => '\n',
            b'\r' => '\r',
            _ => '*',
        }));
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

#[cfg(test)]
mod boundary_tests {
    /// A comment after a secret key longer than the scan's 4 KiB window, of characters wider
    /// than a byte: the window ends on a character boundary wherever it falls (it had ended
    /// inside a character, and slicing there aborted the run).
    #[test]
    fn long_comments_of_wide_characters_never_split_a_character() {
        for fill in ["é", "€", "😀"] {
            for pad in 0..4 {
                let comment = format!("{}{}", "x".repeat(pad), fill.repeat(4200 / fill.len()));
                for text in [
                    format!("{{\"input\": {{\"password\": // {comment}\n\"S3cretValue9\"}}, ,}}"),
                    format!("{{\"password\" /* {comment}"),
                    format!("password = /* {comment}\n\"S3cretValue9\"\n"),
                    format!("h = {{\"token\": // {comment}"),
                ] {
                    let _ = super::near_keys(&text);
                    let _ = super::near_keys_in_code(&text);
                }
            }
        }
    }
}

#[cfg(test)]
mod form_tests {
    fn formed(text: &str) -> Vec<&str> {
        super::formed_credentials(text)
            .map(|span| &text[span.start..span.end])
            .collect()
    }

    #[test]
    fn credentials_known_by_their_form() {
        let hf = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz";
        let text = format!(
            "token {hf}, AKIAIOSFODNN7EXAMPLE; \"sk-proj-abcdefghij0123456789XYZ\" Bearer {jwt}."
        );
        assert_eq!(
            formed(&text),
            [
                hf,
                "AKIAIOSFODNN7EXAMPLE",
                "sk-proj-abcdefghij0123456789XYZ",
                jwt
            ]
        );
        // A token that ends a sentence; one run read once for the prefixes inside it.
        assert_eq!(formed(&format!("Use {jwt}.")), [jwt]);
        assert_eq!(formed(&format!("{jwt}...")), [jwt]);
        assert_eq!(formed("rpa_rpa_rpa_rpa_"), ["rpa_rpa_rpa_rpa_"]);
        assert_eq!(
            formed("sk-sk-sk-sk-sk-sk-sk-sk-sk- sk-sk-sk-sk-sk-sk-sk-sk-sk-0"),
            ["sk-sk-sk-sk-sk-sk-sk-sk-sk-0"]
        );
        // Not at a word's start, too short, without a digit, a JWT without its signature.
        for text in [
            "task-abcdefghij0123456789XYZ",
            "hf_0123",
            "sk-abcdefghijklmnopqrstuvwxyz",
            "eyJhbGciOiJIUzI1NiJ9abcdefghijklm.eyJzdWIiOiIxMjM0In0",
            "the ghp_ prefix",
            "+AKIAIOSFODNN7EXAMPLEx",
            "/AKIAIOSFODNN7EXAMPLEZ",
            "AKIAIOSFODNN7EXAMP",
        ] {
            assert!(formed(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn private_keys_are_masked_to_their_end_line_or_their_string() {
        let pem =
            "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----";
        let text = format!("{{\"key\": \"{pem}\\n\"}}");
        assert_eq!(formed(&text), [pem]);
        let open = "{\"key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\", \"b\": 1}";
        assert_eq!(formed(open), ["-----BEGIN PRIVATE KEY-----\\nMIIEvQ"]);
        // A certificate is public.
        assert!(formed("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").is_empty());
        // An unterminated block of wide characters past 16 KiB ends on a character boundary.
        for pad in 0..4 {
            let text = format!(
                "-----BEGIN PRIVATE KEY-----{}{}",
                "x".repeat(pad),
                "€".repeat(6000)
            );
            assert_eq!(formed(&text).len(), 1);
        }
    }
}

#[cfg(test)]
mod name_tests {
    #[test]
    fn credential_names_are_found_by_their_words() {
        for key in [
            "DB_PASS",
            "smtp_pass",
            "db_pw",
            "api_key_prod",
            "access_token_v2",
            "token1",
            "session_cookie",
            "auth_cookie",
            "auth_header",
            "authorization_header",
            "Ocp-Apim-Subscription-Key",
            "x-functions-key",
            "master_key",
            "hmacKey",
            "client_key",
            "license_key",
            "Authorisation",
            "Proxy-Authorisation",
            "Authorizaton",
            "client_secert",
            "api_secrte",
            "tokne",
            "auth_tokn",
            "Cokie",
            "t\u{43e}ken",
            "Auth\u{43e}rization",
            "kennwort",
            "contrase\u{f1}a",
            "mot_de_passe",
            "\u{ff50}\u{ff41}\u{ff53}\u{ff53}\u{ff57}\u{ff4f}\u{ff52}\u{ff44}",
        ] {
            assert!(super::is_secret_key(key), "{key}");
        }
        for key in [
            "max_tokens",
            "token_count",
            "key",
            "keys",
            "monkey",
            "primary_key",
            "pass_count",
            "bypass",
            "passenger",
            "author",
            "auth_type",
            "tokenizer",
            "time_taken",
            "cookie_consent",
            "session_id",
            "keyboard",
            "took",
            "name",
            "prompt",
        ] {
            assert!(!super::is_secret_key(key), "{key}");
        }
    }
}

#[cfg(test)]
mod near_key_tests {
    #[test]
    fn references_are_not_secrets_but_literals_are() {
        for reference in [
            ": Bearer ${RUNPOD_API_KEY}\" \\",
            " = os.environ[\"KEY\"]",
            "=API_KEY)",
            ": f\"Bearer {key}\"",
            "=$TOKEN",
            ": process.env.KEY,",
        ] {
            assert!(super::names_a_reference(reference), "{reference}");
        }
        for literal in [
            " = \"hunter22\"",
            "=rpa_0123456789",
            ": \"Bearer abc123\"",
            "=s3cr3t-value",
            "={\"sid\": \"abc123\"}",
        ] {
            assert!(!super::names_a_reference(literal), "{literal}");
        }
    }

    /// A key found from several quotes, and a value broken over two lines, masked whole; a
    /// quoted text that holds a key is not a key (from the fuzzer).
    #[test]
    fn near_keys_mask_each_value_once_from_its_key() {
        let t = "{\"s3Config\": {\"accessSecret\": \"Vk7Q/\npR2~mXz9W\"}}";
        let m = super::near_keys(t);
        let masked = super::mask(t, &m.spans);
        assert!(
            !masked.contains("Vk7Q") && !masked.contains("pR2~"),
            "{masked}"
        );
        let t = "curl -d ''`{'\"access_secret\": \"Vk7Q/pR2~mXz9W\"'";
        let masked = super::mask(t, &super::near_keys(t).spans);
        assert!(!masked.contains("Vk7Q"), "{masked}");
        assert!(!super::is_secret_key_in_text("\"access_secret\": \"x\""));
    }
}
