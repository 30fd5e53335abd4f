//! The text of one checked document and the mapping from byte offsets to lines and columns.

use std::sync::OnceLock;

pub use crate::finding::Position;

use crate::finding::Span;

/// One document as read: its display name and its text.
///
/// Offsets everywhere in rplint are byte offsets into [`Source::text`]. Lines and columns are
/// computed here, on demand, for reporters only.
#[derive(Debug)]
pub struct Source {
    name: String,
    text: String,
    /// The offsets of bytes that are not UTF-8 (the first [`MAX_INVALID_OFFSETS`]). In `text`
    /// each of them reads as `?`, so every offset in `text` is the offset in the file.
    invalid_utf8: Vec<usize>,
    /// How many bytes are not UTF-8 in all.
    invalid_utf8_count: usize,
    len_bytes: usize,
    line_starts: OnceLock<Offsets>,
    char_checkpoints: OnceLock<Vec<usize>>,
    secrets: OnceLock<Vec<Span>>,
    /// The secrets found by meaning once the document was parsed (or, when it does not parse,
    /// conservatively near secret keys): see [`Source::set_meant`].
    meant: OnceLock<crate::secrets::Meant>,
    /// What masks the secrets in messages, built on first use.
    scrubber: OnceLock<Scrubber>,
    unread: bool,
    /// For an unread document: its size is at least `len_bytes` (a stream that was not read
    /// to its end).
    at_least: bool,
}

/// Bytes between two character-count checkpoints.
const CHECKPOINT: usize = 4096;

/// How many offsets of bytes that are not UTF-8 are remembered exactly.
pub const MAX_INVALID_OFFSETS: usize = 1024;

impl Source {
    /// A source from text that is already known to be UTF-8.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            name: name.into(),
            len_bytes: text.len(),
            text,
            invalid_utf8: Vec::new(),
            invalid_utf8_count: 0,
            line_starts: OnceLock::new(),
            char_checkpoints: OnceLock::new(),
            secrets: OnceLock::new(),
            meant: OnceLock::new(),
            scrubber: OnceLock::new(),
            unread: false,
            at_least: false,
        }
    }

    /// A source from raw bytes. Bytes that are not UTF-8 are remembered by offset and read as
    /// `?` (one byte each, so offsets and columns stay those of the file); the rest of the text
    /// is kept and checked.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let len_bytes = bytes.len();
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => return Self::new(name, text),
            Err(err) => err.into_bytes(),
        };
        let mut text = String::with_capacity(bytes.len());
        let mut invalid = Vec::new();
        let mut count = 0;
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            for _ in chunk.invalid() {
                if invalid.len() < MAX_INVALID_OFFSETS {
                    invalid.push(text.len());
                }
                count += 1;
                text.push('?');
            }
        }
        Self {
            name: name.into(),
            text,
            invalid_utf8: invalid,
            invalid_utf8_count: count,
            len_bytes,
            line_starts: OnceLock::new(),
            char_checkpoints: OnceLock::new(),
            secrets: OnceLock::new(),
            meant: OnceLock::new(),
            scrubber: OnceLock::new(),
            unread: false,
            at_least: false,
        }
    }

    /// A document too large to read: only its size is known, and only its size is checked.
    pub fn unread(name: impl Into<String>, len_bytes: usize) -> Self {
        let mut source = Self::new(name, String::new());
        source.len_bytes = len_bytes;
        source.unread = true;
        source
    }

    /// A stream too large to read, of which `len_bytes` were read: its size is at least that.
    pub fn unread_at_least(name: impl Into<String>, len_bytes: usize) -> Self {
        let mut source = Self::unread(name, len_bytes);
        source.at_least = true;
        source
    }

    /// Whether [`Source::len_bytes`] is a lower bound (see [`Source::unread_at_least`]).
    pub fn len_is_lower_bound(&self) -> bool {
        self.at_least
    }

    /// Whether only the size of the document is known (see [`Source::unread`]).
    pub fn is_unread(&self) -> bool {
        self.unread
    }

    /// The name shown in reports (a path, or the `--stdin-filename`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Mask the secrets of the document in its own name too (a file named after the secret
    /// it holds), and the password of a name the URL parser reads as a URL with one: every
    /// report shows the name. Called once the document was checked (its secrets are known).
    pub fn mask_name(&mut self) {
        self.name = self.shown_name();
    }

    /// The name as [`Source::mask_name`] would leave it, without changing it.
    pub fn shown_name(&self) -> String {
        let mut name = if self.has_secrets() {
            self.scrub(&self.name)
        } else {
            self.name.clone()
        };
        name = crate::secrets::shown_path(std::path::Path::new(&name));
        name
    }

    /// The text (with replacement characters where the input was not UTF-8).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte offset of the first byte that is not UTF-8, if any.
    pub fn invalid_utf8_at(&self) -> Option<usize> {
        self.invalid_utf8.first().copied()
    }

    /// How many bytes are not UTF-8.
    pub fn invalid_utf8_count(&self) -> usize {
        self.invalid_utf8_count
    }

    /// Whether the byte at `offset` was not UTF-8 (exact for the first
    /// [`MAX_INVALID_OFFSETS`] such bytes, then assumed for any `?`).
    pub fn is_invalid_utf8(&self, offset: usize) -> bool {
        self.invalid_utf8.binary_search(&offset).is_ok()
            || (self.invalid_utf8_count > self.invalid_utf8.len()
                && self.text.as_bytes().get(offset) == Some(&b'?'))
    }

    /// The size of the document as read, in bytes.
    pub fn len_bytes(&self) -> usize {
        self.len_bytes
    }

    /// The spans of secret values in the text (see [`crate::secrets`]), found on first use.
    pub fn secrets(&self) -> &[Span] {
        self.secrets
            .get_or_init(|| crate::secrets::find(&self.text))
    }

    /// Record the secrets the checked document means (the pipeline does, once it parsed or failed
    /// to parse the text); every output masks them from then on. A second call changes nothing.
    pub(crate) fn set_meant(&self, meant: crate::secrets::Meant) {
        let _ = self.meant.set(meant);
    }

    /// Every secret span, and every secret as a message could quote it (for a host file that
    /// holds this text).
    pub(crate) fn secret_spans_and_values(&self) -> (Vec<Span>, Vec<String>) {
        (self.secret_spans().into_owned(), self.secret_values())
    }

    /// Whether the text is UTF-16 read as bytes (as PowerShell writes files: a NUL in at
    /// least a quarter of its first 4 KiB) and, decoded, holds a secret.
    fn utf16_holds_secrets(&self) -> bool {
        let bytes = self.text.as_bytes();
        let head = &bytes[..bytes.len().min(4096)];
        if head.len() < 8 || head.iter().filter(|&&b| b == 0).count() * 4 < head.len() {
            return false;
        }
        // NULs at odd offsets: little-endian.
        let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let little = odd * 2 >= head.iter().filter(|&&b| b == 0).count();
        let units = bytes.chunks(2).map(|pair| {
            let (a, b) = (pair[0], pair.get(1).copied().unwrap_or(0));
            if little {
                u16::from_le_bytes([a, b])
            } else {
                u16::from_be_bytes([a, b])
            }
        });
        let decoded: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect();
        !crate::secrets::find(&decoded).is_empty()
            || !crate::secrets::near_keys(&decoded).spans.is_empty()
    }

    /// Every secret span: as written, by meaning, and every other place the text repeats a
    /// secret of four characters or more (a password that is also in the URL's fragment).
    fn secret_spans(&self) -> std::borrow::Cow<'_, [Span]> {
        let written = self.secrets();
        let meant = self
            .meant
            .get()
            .filter(|m| !m.spans.is_empty() || !m.values.is_empty());
        if written.is_empty() && meant.is_none() {
            return written.into();
        }
        let mut all = written.to_vec();
        all.extend_from_slice(meant.map_or(&[][..], |m| m.spans.as_slice()));
        // Every other place the text repeats a secret: a secret of four or five bytes whole
        // (longer ones by their parts, below).
        all.extend(self.scrubber().short_in(&self.text));
        // And every six-character part of a secret found elsewhere (a password's first half
        // written again under another key), as messages are masked; in a string written with
        // escapes (`"Zq9vL\u006d3..."`), the part is looked for in the decoded string and the
        // whole string masked.
        let scrubber = self.scrubber();
        all.extend(scrubber.parts_in(&self.text));
        all.extend(escaped_strings(&self.text).filter(|span| {
            serde_json::from_str::<String>(&self.text[span.start..span.end])
                .is_ok_and(|decoded| !scrubber.parts_in(&decoded).is_empty())
        }));
        all.sort();
        all.into()
    }

    /// The text as reporters may show it in code frames: secrets masked and characters that
    /// could rewrite a terminal (controls, bidirectional overrides) replaced by `?`, `¿` or
    /// `\u{fffd}` of the same byte length, so every offset stays valid.
    pub fn shown_text(&self) -> std::borrow::Cow<'_, str> {
        if self.utf16_holds_secrets() {
            // Its keys and values, a byte apart, are found by no scan of the text as read:
            // every character is masked (line breaks kept, so frames keep their lines).
            return crate::secrets::mask(&self.text, &[Span::new(0, self.text.len())]).into();
        }
        let secrets = self.secret_spans();
        let text: std::borrow::Cow<'_, str> = if secrets.is_empty() {
            self.text.as_str().into()
        } else {
            crate::secrets::mask(&self.text, &secrets).into()
        };
        // An Azure logging command in a frame is shown as `#?vso[` (same length, not run).
        let text: std::borrow::Cow<'_, str> = if text.contains(crate::display::AZURE_COMMAND) {
            text.replace(crate::display::AZURE_COMMAND, "#?vso[").into()
        } else {
            text
        };
        let is_unsafe = |(i, c): (usize, char)| {
            c != '\n'
                && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
                && crate::display::is_unsafe_char(c)
        };
        if !text.char_indices().any(is_unsafe) {
            return text;
        }
        let mut shown = String::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            if is_unsafe((i, c)) {
                shown.push(match c.len_utf8() {
                    1 => '?',
                    2 => '\u{bf}',
                    _ => '\u{fffd}',
                });
                if c.len_utf8() == 4 {
                    shown.push('?');
                }
            } else {
                shown.push(c);
            }
        }
        shown.into()
    }

    /// `text` (another version of this source: what fixes make of it) with every secret of
    /// this source it repeats masked, as frames mask them: each part of six characters or more
    /// and each short secret of four bytes or more. A fix that drops the key that named a
    /// secret leaves the secret's value under another name, found by no scan of the new text.
    pub fn mask_own_secrets<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.has_secrets() {
            return text.into();
        }
        let scrubber = self.scrubber();
        let mut spans = scrubber.parts_in(text);
        spans.extend(scrubber.short_in(text));
        if spans.is_empty() {
            return text.into();
        }
        spans.sort();
        crate::secrets::mask(text, &spans).into()
    }

    /// Whether the source has any secret to mask.
    pub fn has_secrets(&self) -> bool {
        !self.secrets().is_empty() || self.meant.get().is_some_and(|m| !m.values.is_empty())
    }

    /// `message` with every secret of this source masked: each secret as written, decoded, as
    /// JSON escapes it, percent-encoded and as a JSON Pointer token writes it; and any part of
    /// one of six characters or more (a shortened message must not show a fragment).
    pub fn scrub(&self, message: &str) -> String {
        self.scrubber().scrub(message)
    }

    fn scrubber(&self) -> &Scrubber {
        self.scrubber
            .get_or_init(|| Scrubber::new(self.secret_values()))
    }

    /// Every secret of this source as a message could quote it.
    fn secret_values(&self) -> Vec<String> {
        let mut secrets: Vec<String> = Vec::new();
        for span in self.secrets() {
            let raw = &self.text[span.start..span.end];
            secrets.push(raw.to_owned());
            if raw.contains('\\')
                && let Ok(decoded) = serde_json::from_str::<String>(&format!("\"{raw}\""))
            {
                secrets.push(decoded);
            }
        }
        if let Some(meant) = self.meant.get() {
            secrets.extend(meant.values.iter().cloned());
        }
        secrets.retain(|s| !s.is_empty());
        secrets.sort();
        secrets.dedup();
        secrets
    }

    /// How many characters precede byte `offset` (a character boundary). Long texts keep a
    /// count every [`CHECKPOINT`] bytes, so a column on a 10 MB line costs no more than one
    /// on a short line, however many findings it has.
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        if bytes.len() < CHECKPOINT * 4 {
            return count_chars(&bytes[..offset]);
        }
        let checkpoints = self.char_checkpoints.get_or_init(|| {
            let mut counts = vec![0];
            let mut total = 0;
            for block in bytes.chunks(CHECKPOINT) {
                total += count_chars(block);
                counts.push(total);
            }
            counts
        });
        let block = offset / CHECKPOINT;
        checkpoints[block] + count_chars(&bytes[block * CHECKPOINT..offset])
    }

    fn line_starts(&self) -> &Offsets {
        self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts =
                Offsets::with_capacity(bytes.len(), 1 + memchr::memchr_iter(b'\n', bytes).count());
            starts.push(0);
            memchr::memchr_iter(b'\n', bytes).for_each(|i| starts.push(i + 1));
            starts
        })
    }

    /// The 0-based index of the line holding `offset`.
    pub(crate) fn line_index(&self, offset: usize) -> usize {
        self.line_starts().at_most(offset).saturating_sub(1)
    }

    /// The byte range of 0-based line `line`, without its line break.
    pub(crate) fn line_range(&self, line: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let start = starts.get(line).unwrap_or(self.text.len());
        let mut end = starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// The number of lines (a final line without a line break counts).
    pub(crate) fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Line, column and offset of a byte offset (clamped to the text and to a character
    /// boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index(offset);
        let line_start = self.line_starts().get(line).unwrap_or(0);
        let column = if offset - line_start <= CHECKPOINT {
            count_chars(&self.text.as_bytes()[line_start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(line_start)
        } + 1;
        Position {
            line: line + 1,
            column,
            offset,
        }
    }
}

/// Ascending byte offsets into one text (line starts): 4 bytes each for texts shorter than
/// 4 GiB, so that 10 MB of line breaks costs 40 MB of starts, not 80.
#[doc(hidden)]
#[derive(Debug)]
pub enum Offsets {
    /// Offsets of a text shorter than 4 GiB.
    Narrow(Vec<u32>),
    /// Offsets of a longer text.
    Wide(Vec<usize>),
}

impl Offsets {
    /// Room for `n` offsets into a text of `text_len` bytes.
    pub fn with_capacity(text_len: usize, n: usize) -> Self {
        if u32::try_from(text_len).is_ok() {
            Self::Narrow(Vec::with_capacity(n))
        } else {
            Self::Wide(Vec::with_capacity(n))
        }
    }

    /// Append `offset` (at most the text's length).
    pub fn push(&mut self, offset: usize) {
        match self {
            Self::Narrow(v) => match u32::try_from(offset) {
                Ok(o) => v.push(o),
                // Not reached: a narrow list holds offsets of a text shorter than 4 GiB.
                Err(_) => {
                    let mut wide: Vec<usize> = v.iter().map(|&o| o as usize).collect();
                    wide.push(offset);
                    *self = Self::Wide(wide);
                }
            },
            Self::Wide(v) => v.push(offset),
        }
    }

    /// The `i`th offset.
    pub fn get(&self, i: usize) -> Option<usize> {
        match self {
            Self::Narrow(v) => v.get(i).map(|&o| o as usize),
            Self::Wide(v) => v.get(i).copied(),
        }
    }

    /// How many offsets there are.
    pub fn len(&self) -> usize {
        match self {
            Self::Narrow(v) => v.len(),
            Self::Wide(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many offsets are at most `offset`.
    pub fn at_most(&self, offset: usize) -> usize {
        match self {
            Self::Narrow(v) => v.partition_point(|&o| (o as usize) <= offset),
            Self::Wide(v) => v.partition_point(|&o| o <= offset),
        }
    }

    /// The offsets in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (narrow, wide) = match self {
            Self::Narrow(v) => (Some(v.iter().map(|&o| o as usize)), None),
            Self::Wide(v) => (None, Some(v.iter().copied())),
        };
        narrow
            .into_iter()
            .flatten()
            .chain(wide.into_iter().flatten())
    }
}

/// How many characters start in `bytes` (UTF-8: every byte but continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().map(|&b| usize::from((b & 0xc0) != 0x80)).sum()
}

/// The largest character boundary at or before `i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary at or after `i`.
pub(crate) fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The JSON string literals of `text` (quotes included) that hold a backslash escape, on one
/// line each.
fn escaped_strings(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'"', bytes)
        .scan(None::<usize>, move |open, at| {
            // Quotes pair up in order; an escaped quote is inside a literal.
            let escaped = at > 0 && {
                let slashes = bytes[..at]
                    .iter()
                    .rev()
                    .take_while(|&&b| b == b'\\')
                    .count();
                slashes % 2 == 1
            };
            Some(match (*open, escaped) {
                (_, true) => None,
                (None, false) => {
                    *open = Some(at);
                    None
                }
                (Some(start), false) => {
                    *open = None;
                    let literal = &bytes[start..=at];
                    (literal.contains(&b'\\') && !literal.contains(&b'\n'))
                        .then(|| Span::new(start, at + 1))
                }
            })
        })
        .flatten()
}

/// Masks a source's secrets in messages: short secrets (under six characters) where they stand
/// as tokens of their own; longer ones, their encoded forms and every six-character part of
/// them wherever they appear.
///
/// The six-character parts are kept as a set of hashes (8 bytes each, every form's parts
/// deduplicated), not as patterns of an automaton: a document that does not parse can hold a
/// thousand secret-like values of a kilobyte each, and an automaton of their parts took a
/// hundred bytes per part. A message is masked where any of its six-character windows hashes
/// into the set (a collision masks more, never less).
#[derive(Debug)]
struct Scrubber {
    /// The secrets (in every form) shorter than [`FRAGMENT`] characters.
    short: std::collections::HashSet<String>,
    /// The bytes a short secret starts with, to pass over the others quickly.
    short_starts: [bool; 256],
    /// The rolling hash of every [`FRAGMENT`]-character part of every longer secret.
    windows: std::collections::HashSet<u64, Prehashed>,
}

/// The set's keys are hashes already: they are their own hash.
#[derive(Debug, Default, Clone, Copy)]
struct Prehashed;

impl std::hash::BuildHasher for Prehashed {
    type Hasher = PrehashedHasher;

    fn build_hasher(&self) -> PrehashedHasher {
        PrehashedHasher(0)
    }
}

#[derive(Debug)]
struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Parts of a secret this long or longer are masked wherever they appear.
const FRAGMENT: usize = 6;

/// Words rplint itself writes in file names' neighbourhood, keys, pointers and messages
/// (`accessSecret`, "holds a literal secret key", `${S3_SECRET}`): a part of a secret that is
/// only letters of one of them (`SECRET` in `xxSECRETxx`) is not masked wherever it appears,
/// or every message and a file named `secrets.json` would be masked with it. The secret
/// itself, and its other parts, still are.
const VOCABULARY: &[&str] = &[
    "accesssecret",
    "accessid",
    "bucketname",
    "endpointurl",
    "executiontimeout",
    "webhook",
    "password",
    "passwords",
    "credentials",
    "secrets",
    "literal",
    "placeholder",
    "example",
    "examples",
    "request",
    "requests",
    "policy",
    "config",
    "token",
    "tokens",
    "authorization",
    "bearer",
    "changeme",
    "substitute",
    "rotate",
    "private",
    "public",
    "runpod",
    "endpoint",
    "bucket",
];

/// Whether `part` (a window of a secret) is only letters found inside one [`VOCABULARY`] word,
/// and separators (`_`, `-`, `.`, a space) around them (`_runpo` of `my_runpod_key`).
fn is_vocabulary(part: &str) -> bool {
    let letters: String = part
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .collect();
    letters.len() >= 4
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && part.trim_matches(['_', '-', '.', ' ']).len() == letters.len()
        && {
            let lower = letters.to_ascii_lowercase();
            VOCABULARY.iter().any(|word| word.contains(&lower))
        }
}

/// The base of the windows' rolling hash (odd, so every power is invertible mod 2^64).
const BASE: u64 = 0x0100_0000_01b3;

/// `BASE` to the power `FRAGMENT - 1`.
const TOP: u64 = {
    let mut power = 1u64;
    let mut i = 1;
    while i < FRAGMENT {
        power = power.wrapping_mul(BASE);
        i += 1;
    }
    power
};

/// Every `FRAGMENT`-character window of `text`, in order: its byte range and a rolling hash of
/// its characters (one multiplication per character, however long the text), in constant
/// memory.
fn windows(text: &str) -> impl Iterator<Item = (usize, usize, u64)> + '_ {
    let mut ring = [(0usize, 0u64); FRAGMENT];
    let mut seen = 0usize;
    let mut hash = 0u64;
    text.char_indices()
        .chain(std::iter::once((text.len(), '\0')))
        .filter_map(move |(at, c)| {
            let window = (seen >= FRAGMENT).then(|| (ring[seen % FRAGMENT].0, at, hash));
            if at == text.len() {
                return window;
            }
            // Letters in either case are one: a message that lowercases a name (a suggested
            // bucket name) must not spell a secret out.
            let code = u64::from(u32::from(c.to_ascii_lowercase())) + 1;
            if seen >= FRAGMENT {
                let (_, oldest) = ring[seen % FRAGMENT];
                hash = hash.wrapping_sub(oldest.wrapping_mul(TOP));
            }
            hash = hash.wrapping_mul(BASE).wrapping_add(code);
            ring[seen % FRAGMENT] = (at, code);
            seen += 1;
            window
        })
}

impl Scrubber {
    /// Masks for `secrets`: 8 bytes for each distinct part of a long one, and the short ones
    /// whole, so that memory and time stay linear in what the secrets hold however many
    /// there are.
    fn new(secrets: Vec<String>) -> Self {
        let mut short = std::collections::HashSet::new();
        let mut hashes = std::collections::HashSet::with_hasher(Prehashed);
        for secret in secrets {
            let escaped = serde_json::to_string(&secret).unwrap_or_default();
            let forms = [
                escaped.trim_matches('"').to_owned(),
                secret.replace('~', "~0").replace('/', "~1"),
                crate::secrets::percent_encode(&secret),
                secret,
            ];
            for form in forms {
                if form.chars().nth(FRAGMENT - 1).is_none() {
                    if !form.is_empty() {
                        short.insert(form);
                    }
                    continue;
                }
                hashes.extend(
                    windows(&form)
                        .filter(|&(start, end, _)| !is_vocabulary(&form[start..end]))
                        .map(|(_, _, hash)| hash),
                );
            }
        }
        let mut short_starts = [false; 256];
        for secret in &short {
            short_starts[usize::from(secret.as_bytes()[0])] = true;
        }
        hashes.shrink_to_fit();
        Self {
            short,
            short_starts,
            windows: hashes,
        }
    }

    /// The short secret that starts at byte `at` of `text` (a character boundary), the
    /// longest first, if any.
    fn short_at<'t>(&self, text: &'t str, at: usize) -> Option<&'t str> {
        if !self.short_starts[usize::from(*text.as_bytes().get(at)?)] {
            return None;
        }
        let ends: Vec<usize> = text[at..]
            .char_indices()
            .skip(1)
            .map(|(n, _)| at + n)
            .chain(std::iter::once(text.len()))
            .take(FRAGMENT - 1)
            .collect();
        ends.into_iter()
            .rev()
            .map(|end| &text[at..end])
            .find(|candidate| self.short.contains(*candidate))
    }

    /// Where `text` repeats a short secret of four bytes or more, anywhere (for frames).
    fn short_in(&self, text: &str) -> Vec<Span> {
        let mut found = Vec::new();
        if self.short.is_empty() {
            return found;
        }
        for (at, _) in text.char_indices() {
            if let Some(secret) = self.short_at(text, at)
                && secret.len() >= 4
            {
                found.push(Span::new(at, at + secret.len()));
            }
        }
        found
    }

    /// Where `text` holds a six-character part of a secret: the byte ranges, merged where
    /// they overlap or touch.
    fn parts_in(&self, text: &str) -> Vec<Span> {
        let mut masked: Vec<Span> = Vec::new();
        if self.windows.is_empty() {
            return masked;
        }
        for (start, end, hash) in windows(text) {
            if !self.windows.contains(&hash) {
                continue;
            }
            match masked.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => masked.push(Span::new(start, end)),
            }
        }
        masked
    }

    fn scrub(&self, message: &str) -> String {
        let mut scrubbed = String::with_capacity(message.len());
        let mut done = 0;
        for span in self.parts_in(message) {
            scrubbed.push_str(&message[done..span.start]);
            scrubbed.push_str("****");
            done = span.end;
        }
        scrubbed.push_str(&message[done..]);
        if self.short.is_empty() {
            return scrubbed;
        }
        // Each short secret that stands as a token of its own (not inside a longer word: the
        // secret `e` must not turn `secret` into `s****cr****t`, which would both garble the
        // message and spell the secret out).
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut out = String::with_capacity(scrubbed.len());
        let mut at = 0;
        while let Some(c) = scrubbed[at..].chars().next() {
            if let Some(secret) = self.short_at(&scrubbed, at) {
                let before = scrubbed[..at].chars().next_back();
                let after = scrubbed[at + secret.len()..].chars().next();
                let inside_word = (word(secret.chars().next()) && word(before))
                    || (word(secret.chars().next_back()) && word(after));
                if !inside_word {
                    out.push_str("****");
                    at += secret.len();
                    continue;
                }
            }
            out.push(c);
            at += c.len_utf8();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_hashes_roll_as_they_are_computed_whole() {
        let whole = |w: &str| windows(w).map(|(_, _, h)| h).collect::<Vec<_>>();
        let rolled: Vec<(usize, usize, u64)> = windows("abcdéfgh").collect();
        assert_eq!(rolled.len(), 3);
        for (start, end, hash) in rolled {
            assert_eq!(whole(&"abcdéfgh"[start..end]), [hash]);
        }
        assert_eq!(windows("abcde").count(), 0);
        assert_eq!(windows("abcdef").count(), 1);
    }

    #[test]
    fn secrets_are_masked_as_tokens_not_inside_words() {
        let scrub = |secrets: &[&str], message: &str| {
            Scrubber::new(secrets.iter().map(|s| (*s).to_owned()).collect()).scrub(message)
        };
        assert_eq!(
            scrub(&["e"], "`accessSecret` holds a literal secret key: `e`"),
            "`accessSecret` holds a literal secret key: `****`"
        );
        assert_eq!(
            scrub(&["pass"], "the password is in `https://user:pass@h/x`"),
            "the password is in `https://user:****@h/x`"
        );
        assert_eq!(
            scrub(&["S3cretValue9"], "found `S3cretValue9`"),
            "found `****`"
        );
        // However many short secrets there are, each is found (the longest at a place first).
        let many: Vec<String> = (0..5_000).map(|i| format!("{i:05}")).collect();
        let scrubber = Scrubber::new(many);
        assert_eq!(scrubber.scrub("a 04999 b 5000 c"), "a **** b 5000 c");
        assert_eq!(scrub(&["ab", "abcd"], "x abcd y ab"), "x **** y ****");
        assert_eq!(
            Scrubber::new(vec!["abcd".into()]).short_in("xabcdy ab"),
            [Span::new(1, 5)]
        );
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let src = Source::new("t", "{\r\n  \"é\": 1\n}");
        assert_eq!(
            src.position(0),
            Position {
                line: 1,
                column: 1,
                offset: 0
            }
        );
        // the `1` after `"é": ` on line 2
        let one = src.text().find('1').unwrap();
        assert_eq!(src.position(one).line, 2);
        assert_eq!(src.position(one).column, 8);
        assert_eq!(src.line_range(0), (0, 1));
        assert_eq!(src.position(src.text().len()).line, 3);
    }

    #[test]
    fn columns_on_long_lines_use_checkpoints() {
        let text = format!("{}\n{}x", "é".repeat(10_000), "ü".repeat(20_000));
        let src = Source::new("t", text.clone());
        let x = text.find('x').unwrap();
        assert_eq!(
            src.position(x),
            Position {
                line: 2,
                column: 20_001,
                offset: x
            }
        );
        assert_eq!(src.position(20_000).column, 10_001);
        assert_eq!(src.position(5).column, 3);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let src = Source::from_bytes("t", b"{\"a\": \"\xff\xfe\"}".to_vec());
        assert_eq!(src.invalid_utf8_at(), Some(7));
        assert_eq!(src.invalid_utf8_count(), 2);
        assert_eq!(src.text(), "{\"a\": \"??\"}");
        assert!(src.is_invalid_utf8(8) && !src.is_invalid_utf8(6));
        assert_eq!(src.len_bytes(), 11);
    }
}
