//! Where each byte of an embedded body was written in its host file.
//!
//! A body is rarely the host's bytes as they stand: a fence inside a list loses its
//! indentation, a shell string loses its quotes and backslashes, a Python literal becomes the
//! JSON its serializer sends. An [`OffsetMap`] records, piece by piece, which host bytes each
//! piece of the body came from, so that a finding in the body is reported at the host's line
//! and column.

use crate::finding::Span;

/// Body bytes `from..from + len` came from host bytes `to..to + to_len`. When the lengths are
/// equal the piece was copied byte for byte; otherwise (an escape, a quoted word, a literal
/// rewritten by its serializer) every body byte of the piece maps to the start of its host
/// text, and the piece's end to the host text's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    from: usize,
    len: usize,
    to: usize,
    to_len: usize,
}

/// A map from byte offsets in an embedded body to byte offsets in its host file (both offsets
/// into UTF-8 text). Pieces are pushed in body order; offsets past the last piece map to the
/// end of the last piece.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
    /// The body's length so far.
    len: usize,
    /// Where an empty body was written (`-d ''`): every offset maps there.
    origin: usize,
}

impl OffsetMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map whose body, if it stays empty, was written at host offset `origin`.
    pub fn at(origin: usize) -> Self {
        Self {
            origin,
            ..Self::default()
        }
    }

    /// The length of the body mapped so far, in bytes.
    pub fn body_len(&self) -> usize {
        self.len
    }

    /// `len` body bytes copied from host offset `to`.
    pub fn copied(&mut self, len: usize, to: usize) {
        self.piece(len, to, len);
    }

    /// `len` body bytes written for the `to_len` host bytes at `to` (an escape, a rewritten
    /// literal). A piece of zero body bytes is not recorded.
    pub fn piece(&mut self, len: usize, to: usize, to_len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut()
            && last.len == last.to_len
            && len == to_len
            && last.from + last.len == self.len
            && last.to + last.to_len == to
        {
            last.len += len;
            last.to_len += len;
        } else {
            self.pieces.push(Piece {
                from: self.len,
                len,
                to,
                to_len,
            });
        }
        self.len += len;
    }

    /// The index of the piece holding body byte `offset` (the last one for an offset past the
    /// end).
    fn find(&self, offset: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.from <= offset);
        self.pieces.get(i.checked_sub(1)?)
    }

    /// The host offset of body offset `offset`, as the start of a span.
    pub fn start(&self, offset: usize) -> usize {
        match self.find(offset) {
            None => self.pieces.first().map_or(self.origin, |p| p.to),
            Some(p) if offset < p.from + p.len => {
                if p.len == p.to_len {
                    p.to + (offset - p.from)
                } else {
                    p.to
                }
            }
            Some(p) => p.to + p.to_len,
        }
    }

    /// The host offset of body offset `offset`, as the end of a span (one past its last byte).
    pub fn end(&self, offset: usize) -> usize {
        let Some(last) = offset.checked_sub(1) else {
            return self.start(0);
        };
        match self.find(last) {
            None => self.start(0),
            Some(p) if last < p.from + p.len && p.len == p.to_len => p.to + (offset - p.from),
            Some(p) => p.to + p.to_len,
        }
    }

    /// A body span as a host span.
    pub fn span(&self, span: Span) -> Span {
        let start = self.start(span.start);
        Span::new(start, self.end(span.end).max(start))
    }

    /// This map seen through `outer`, a map from this map's host to another host: the body's
    /// offsets straight into the outer host (a shell command inside a Markdown fence).
    #[must_use]
    pub fn through(&self, outer: &OffsetMap) -> OffsetMap {
        let mut composed = OffsetMap::at(outer.start(self.origin));
        for piece in &self.pieces {
            if piece.len == piece.to_len {
                // Copied bytes: split wherever the outer map changes pieces.
                let mut done = 0;
                while done < piece.len {
                    let at = piece.to + done;
                    let run = outer.copied_run(at).min(piece.len - done);
                    if run > 0 {
                        composed.copied(run, outer.start(at));
                        done += run;
                    } else {
                        // Inside a rewritten outer piece: the rest of it maps as one.
                        let span = outer.span(Span::new(at, at + 1));
                        let rest = outer.rewritten_rest(at).clamp(1, piece.len - done);
                        let end = outer.end(at + rest);
                        composed.piece(rest, span.start, end.saturating_sub(span.start));
                        done += rest;
                    }
                }
            } else {
                let span = outer.span(Span::new(piece.to, piece.to + piece.to_len));
                composed.piece(piece.len, span.start, span.end - span.start);
            }
        }
        composed
    }

    /// How many bytes from `offset` on are copied byte for byte in one piece (0 when `offset`
    /// is in a rewritten piece or past the end).
    fn copied_run(&self, offset: usize) -> usize {
        match self.find(offset) {
            Some(p) if offset < p.from + p.len && p.len == p.to_len => p.from + p.len - offset,
            _ => 0,
        }
    }

    /// How many bytes of the rewritten piece holding `offset` are left from it.
    fn rewritten_rest(&self, offset: usize) -> usize {
        match self.find(offset) {
            Some(p) if offset < p.from + p.len => p.from + p.len - offset,
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_pieces_map_byte_for_byte_and_merge() {
        let mut map = OffsetMap::new();
        map.copied(3, 10);
        map.copied(2, 13);
        map.copied(4, 30);
        assert_eq!(map.pieces.len(), 2);
        assert_eq!(map.start(0), 10);
        assert_eq!(map.start(4), 14);
        assert_eq!(map.start(5), 30);
        assert_eq!(map.end(5), 15);
        assert_eq!(map.end(6), 31);
        assert_eq!(map.start(100), 34);
    }

    #[test]
    fn rewritten_pieces_map_to_their_whole_host_text() {
        let mut map = OffsetMap::new();
        map.copied(2, 0);
        // `\"` in the host is `"` in the body.
        map.piece(1, 2, 2);
        map.copied(3, 4);
        assert_eq!(map.start(2), 2);
        assert_eq!(map.end(3), 4);
        assert_eq!(map.start(3), 4);
        assert_eq!(map.span(Span::new(1, 4)), Span::new(1, 5));
    }

    #[test]
    fn maps_compose_through_an_outer_map() {
        // The outer body is host lines without their 4-space indentation.
        let mut outer = OffsetMap::new();
        outer.copied(5, 4);
        outer.copied(5, 13);
        // The inner body takes outer bytes 2..8, with one escape at 4..6.
        let mut inner = OffsetMap::new();
        inner.copied(2, 2);
        inner.piece(1, 4, 2);
        inner.copied(2, 6);
        let composed = inner.through(&outer);
        assert_eq!(composed.start(0), 6);
        assert_eq!(composed.start(1), 7);
        assert_eq!(composed.start(2), 8);
        assert_eq!(composed.end(3), 14);
        assert_eq!(composed.start(3), 14);
        assert_eq!(composed.start(4), 15);
        assert_eq!(composed.end(5), 16);
    }
}
