use crate::finding::{Finding, Span, Target};
use crate::rules::{Check, Findings, Rule, TextContext, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Bytes that are not UTF-8, reported at the first one. The rest of the document is still
    /// checked, with each such byte read as `?`.
    ///
    /// ## Why it matters
    /// JSON bodies are UTF-8. A file saved in Latin-1 or Windows-1252 (`café` written with the
    /// single byte `0xE9`) is rejected by the service, or its text arrives garbled.
    ///
    /// ## Example
    /// A file holding the byte `0xE9` for `é`:
    /// ```json
    /// {"input": {"prompt": "caf\xE9"}}
    /// ```
    ///
    /// ## Fix
    /// Save the file as UTF-8 (or write the character as an escape):
    /// ```json
    /// {"input": {"prompt": "caf\u00e9"}}
    /// ```
    META { id: "invalid-utf8", severity: Error, summary: "bytes that are not UTF-8" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Text(check),
};

/// The first byte that is not UTF-8, and how many there are in all.
fn check(ctx: &TextContext<'_>, out: &mut Findings<'_>) {
    let Some(offset) = ctx.source.invalid_utf8_at() else {
        return;
    };
    let count = ctx.source.invalid_utf8_count();
    let message = if count == 1 {
        "this byte is not UTF-8".to_owned()
    } else {
        let more = count - 1;
        let verb = if more == 1 { "is" } else { "are" };
        format!("this byte is not UTF-8 ({more} more in the file {verb} not either)")
    };
    // A UTF-16 byte order mark, then text with every other byte NUL: PowerShell's default
    // `Out-File` / `>` encoding on Windows PowerShell.
    let utf16 =
        offset == 0 && ctx.source.invalid_utf8_count() <= 2 && ctx.source.text().contains('\0');
    let (message, help) = if utf16 {
        (
            "the file is UTF-16, not UTF-8 (it starts with a UTF-16 byte order mark)".to_owned(),
            "save it as UTF-8 without a byte order mark: in PowerShell 7, `Set-Content -Encoding utf8NoBOM` (Windows PowerShell 5.1 writes a byte order mark with `utf8`: use `[IO.File]::WriteAllText($path, $text)`)",
        )
    } else {
        (message, "save the file as UTF-8; JSON bodies must be UTF-8")
    };
    out.push(
        Finding::new(&META, "", message)
            .at(Target::At(Span::new(offset, offset + 1)))
            .help(help),
    );
}
