//! Positions as the Language Server Protocol counts them, and edits to an open document.
//!
//! The protocol names a place by a 0-based line and a 0-based character offset in that line,
//! counted in the encoding the client and server agreed on: UTF-16 code units unless the
//! client offers another (an emoji is two UTF-16 units, four UTF-8 bytes, one UTF-32 unit).
//! Lines end at `\n`, `\r\n` or a lone `\r`. rplint works in byte offsets; this module
//! converts between the two.

use lsp_types::{Position, PositionEncodingKind, Range};

/// How character offsets in a line are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units: the protocol's default, and how editors built on JavaScript count.
    Utf16,
    /// UTF-32 code units (Unicode scalar values).
    Utf32,
}

impl Encoding {
    /// The encoding to use, from the client's offer (in its order of preference; `None` when
    /// it offers none, which means UTF-16). UTF-8 is taken when offered: it is rplint's own.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Self::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Self::Utf32
        } else {
            Self::Utf16
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf8 => PositionEncodingKind::UTF8,
            Self::Utf16 => PositionEncodingKind::UTF16,
            Self::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// The code units `c` takes.
    fn units(self, c: char) -> usize {
        match self {
            Self::Utf8 => c.len_utf8(),
            Self::Utf16 => c.len_utf16(),
            Self::Utf32 => 1,
        }
    }
}

/// The line starts of a text, for converting byte offsets to protocol positions and back.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// The byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'t> LineIndex<'t> {
    /// Index `text`, counting characters in `encoding`.
    pub fn new(text: &'t str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Self {
            text,
            starts,
            encoding,
        }
    }

    /// The position of byte `offset` (clamped to the text, and moved back to the start of the
    /// character it falls inside).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = self.text[start..offset]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }

    /// The byte offset of `position`. A line past the end is the end of the text; a
    /// character past the end of its line is the line's end (before its line break), as the
    /// protocol says; a character inside a UTF-16 surrogate pair is the character's start.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, c) in content.char_indices() {
            let units = self.encoding.units(c);
            if counted + units > wanted {
                return start + at;
            }
            counted += units;
        }
        start + content.len()
    }
}

/// `text` with the bytes of `range` (in `encoding`) replaced by `new_text`.
pub fn apply_change(text: &mut String, range: Range, new_text: &str, encoding: Encoding) {
    let index = LineIndex::new(text, encoding);
    let (a, b) = (index.offset(range.start), index.offset(range.end));
    let (start, end) = (a.min(b), a.max(b));
    text.replace_range(start..end, new_text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn counts_characters_in_the_agreed_encoding() {
        // U+1F600 is 4 bytes, 2 UTF-16 units, 1 UTF-32 unit; é is 2 bytes.
        let text = "{\"a\": \"\u{1f600}é\", \"b\": 1}";
        let b = text.find("\"b\"").unwrap();
        for (encoding, character) in [
            (Encoding::Utf8, 16),
            (Encoding::Utf16, 13),
            (Encoding::Utf32, 12),
        ] {
            let index = LineIndex::new(text, encoding);
            assert_eq!(index.position(b), at(0, character), "{encoding:?}");
            assert_eq!(index.offset(at(0, character)), b, "{encoding:?}");
        }
    }

    #[test]
    fn every_line_break_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text, Encoding::Utf16);
        for (needle, line) in [("b", 1), ("c", 2), ("d", 3)] {
            assert_eq!(index.position(text.find(needle).unwrap()), at(line, 0));
        }
        // Past a line's end is its end, before the break; past the last line is the end.
        assert_eq!(index.offset(at(0, 99)), 1);
        assert_eq!(index.offset(at(9, 0)), text.len());
    }

    #[test]
    fn offsets_inside_a_character_fall_back_to_its_start() {
        let text = "\u{1f600}x";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(at(0, 1)), 0);
        assert_eq!(index.position(2), at(0, 0));
        assert_eq!(index.position(99), at(0, 3));
    }

    #[test]
    fn edits_replace_the_range() {
        let mut text = "{\"\u{1f600}\": 1}\n".to_owned();
        apply_change(
            &mut text,
            Range::new(at(0, 7), at(0, 8)),
            "600000",
            Encoding::Utf16,
        );
        assert_eq!(text, "{\"\u{1f600}\": 600000}\n");
        // A backwards range is the same range.
        apply_change(
            &mut text,
            Range::new(at(1, 0), at(0, 0)),
            "",
            Encoding::Utf16,
        );
        assert_eq!(text, "");
    }
}
