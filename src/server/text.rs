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
    /// The encoding to use, from the client's offer (the protocol's names, in its order of
    /// preference; none offered means UTF-16). UTF-8 is taken when offered: it is rplint's own.
    pub fn negotiate(offered: &[&str]) -> Self {
        if offered.contains(&"utf-8") {
            Self::Utf8
        } else if offered.contains(&"utf-32") {
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

/// Every this many bytes of a line, the index records how many code units precede: a
/// position on a 3 MB minified line costs no more than one on a short line.
const CHECKPOINT: usize = 1024;

/// The line starts of a text, for converting byte offsets to protocol positions and back.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// The byte offset where each line starts; the first is 0.
    starts: rplint::source::Offsets,
    /// (byte offset, code units from its line's start to it), at character boundaries about
    /// every [`CHECKPOINT`] bytes of long lines, in order.
    checkpoints: Vec<(usize, usize)>,
    encoding: Encoding,
}

impl<'t> LineIndex<'t> {
    /// Index `text`, counting characters in `encoding`.
    pub fn new(text: &'t str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let breaks = || {
            (0..bytes.len()).filter(|&i| {
                bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            })
        };
        let mut starts = rplint::source::Offsets::with_capacity(bytes.len(), 1 + breaks().count());
        starts.push(0);
        breaks().for_each(|i| starts.push(i + 1));
        let mut checkpoints = Vec::new();
        for (line, start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).unwrap_or(text.len());
            if end - start <= CHECKPOINT {
                continue;
            }
            let mut units = 0;
            let mut next = start + CHECKPOINT;
            for (at, c) in text[start..end].char_indices() {
                if start + at >= next {
                    checkpoints.push((start + at, units));
                    next = start + at + CHECKPOINT;
                }
                units += encoding.units(c);
            }
        }
        Self {
            text,
            starts,
            checkpoints,
            encoding,
        }
    }

    /// The nearest point at or before `offset` on the line starting at `line_start` whose
    /// code units from the line's start are known: (byte offset, units).
    fn nearest_known(&self, line_start: usize, offset: usize) -> (usize, usize) {
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            Some(&(at, units)) if at >= line_start => (at, units),
            _ => (line_start, 0),
        }
    }

    /// The position of byte `offset` (clamped to the text, and moved back to the start of the
    /// character it falls inside).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.at_most(offset).saturating_sub(1);
        let start = self.starts.get(line).unwrap_or(0);
        let (from, units) = self.nearest_known(start, offset);
        let character: usize = units
            + self.text[from..offset]
                .chars()
                .map(|c| self.encoding.units(c))
                .sum::<usize>();
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
        let Some(start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self.starts.get(line + 1).unwrap_or(self.text.len());
        let content_end = start + self.text[start..end].trim_end_matches(['\n', '\r']).len();
        let wanted = position.character as usize;
        // The last checkpoint of the line with no more units than wanted.
        let first = self.checkpoints.partition_point(|&(at, _)| at < start);
        let last = self
            .checkpoints
            .partition_point(|&(at, _)| at < content_end);
        let line_points = &self.checkpoints[first..last];
        let i = line_points.partition_point(|&(_, units)| units <= wanted);
        let (from, mut counted) = i
            .checked_sub(1)
            .and_then(|i| line_points.get(i))
            .copied()
            .unwrap_or((start, 0));
        for (at, c) in self.text[from..content_end].char_indices() {
            let units = self.encoding.units(c);
            if counted + units > wanted {
                return from + at;
            }
            counted += units;
        }
        content_end
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
    fn long_lines_convert_through_checkpoints_as_short_ones_do() {
        // A minified line of 40,000 characters mixing widths, in every encoding: every
        // position converts both ways as a plain count from the line's start says.
        let unit = "ab\u{1f600}é";
        let text = format!("x\n{}\r\ny", unit.repeat(10_000));
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let index = LineIndex::new(&text, encoding);
            let line_start = 2;
            for (n, (at, _)) in text[line_start..].char_indices().step_by(997).enumerate() {
                let offset = line_start + at;
                let units: usize = text[line_start..offset]
                    .chars()
                    .map(|c| encoding.units(c))
                    .sum();
                let expected = at_position(1, u32::try_from(units).unwrap());
                assert_eq!(index.position(offset), expected, "{encoding:?} #{n}");
                assert_eq!(index.offset(expected), offset, "{encoding:?} #{n}");
            }
            assert_eq!(index.position(text.len()), at_position(2, 1));
        }
    }

    fn at_position(line: u32, character: u32) -> Position {
        Position { line, character }
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
