//! The human format: miette's graphical report, one per finding, with a code frame (clipped
//! around the span on long lines, see [`crate::display`]).

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::display::{Clipped, NARROWEST, Shown};
use crate::finding::Finding;
use crate::source::Source;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Terminal width in columns.
    pub width: usize,
    /// ANSI colours.
    pub color: bool,
}

/// At most this many code frames are drawn per file; the rest are counted in one line (the
/// machine formats list them all).
pub const MOST_FRAMES: usize = 1000;

/// Frames are drawn at most this many columns wide, whatever the terminal says: the renderer
/// pads with Rust's formatting widths, which stop at 65,535, and a clipped line of tabs is four
/// columns a byte.
pub const WIDEST: usize = 1000;

/// Frames are drawn at least this many columns wide: narrower, a message would wrap a
/// character a line.
pub const NARROWEST_FRAME: usize = 40;

/// Render the findings of one source (at most [`MOST_FRAMES`] frames).
pub fn render(source: &Source, findings: &[Finding], style: Style) -> String {
    let style = Style {
        width: style.width.clamp(NARROWEST_FRAME, WIDEST),
        ..style
    };
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    // The code frame's gutter takes about a dozen columns; longer lines are clipped.
    let shown = source.shown_text();
    let code = Clipped {
        source,
        text: &shown,
        long_line: style.width.saturating_sub(12).max(NARROWEST),
    };
    let mut out = String::new();
    for finding in findings.iter().take(MOST_FRAMES) {
        let shown = Shown {
            finding,
            code: &code,
        };
        if handler.render_report(&mut out, &shown).is_err() {
            // A frame that cannot be drawn still gets its place and message.
            out.push_str(&super::concise::line(source, finding));
            out.push('\n');
        }
    }
    if findings.len() > MOST_FRAMES {
        out.push_str(&format!(
            "{}: {} more findings not drawn; `--format concise` or `--format json` lists them all\n",
            super::sanitize(source.name()),
            findings.len() - MOST_FRAMES
        ));
    }
    out
}

/// The human format as a [`super::Reporter`]: frames per file, then one summary line.
pub struct HumanReporter {
    style: Style,
}

impl HumanReporter {
    /// A reporter drawing with `style`.
    pub fn new(style: Style) -> Self {
        Self { style }
    }
}

impl super::Reporter for HumanReporter {
    fn prepare(&self, source: &Source, findings: &[Finding]) -> Option<String> {
        Some(render(source, findings, self.style))
    }

    fn file_prepared(
        &mut self,
        source: &Source,
        findings: &[Finding],
        prepared: Option<String>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match prepared {
            Some(text) => out.write_all(text.as_bytes()),
            None => self.file(source, findings, out),
        }
    }

    fn file(
        &mut self,
        source: &Source,
        findings: &[Finding],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        out.write_all(render(source, findings, self.style).as_bytes())
    }

    fn finish(
        &mut self,
        counts: &super::Counts,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        use super::plural;
        let checked = plural(counts.files, "file");
        let skipped = match counts.skipped {
            0 => String::new(),
            1 => "; skipped 1 file that holds no RunPod document (`--show-files` lists it)"
                .to_owned(),
            n => format!(
                "; skipped {n} files that hold no RunPod document (`--show-files` lists them)"
            ),
        };
        let line = if counts.files == 0 {
            format!("found no RunPod documents to check{skipped}\n")
        } else if counts.is_clean() {
            format!("checked {checked}: no problems found{skipped}\n")
        } else {
            let mut parts = vec![
                plural(counts.errors, "error"),
                plural(counts.warnings, "warning"),
            ];
            if counts.infos > 0 {
                // "info" is a mass noun: `1 info`, `3 info`.
                parts.push(format!("{} info", counts.infos));
            }
            format!("checked {checked}: {}{skipped}\n", parts.join(", "))
        };
        out.write_all(line.as_bytes())
    }
}
