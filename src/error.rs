//! Errors: the ways rplint cannot run. Problems in a checked document are diagnostics, never
//! these.

#[cfg(feature = "cli")]
use std::path::PathBuf;

/// A setting the library cannot use (as opposed to a problem found in a request).
///
/// ```
/// let error = rplint::Linter::builder().ignore(["unknown-keys"]).build().unwrap_err();
/// assert_eq!(error.to_string(), "unknown rule `unknown-keys`; did you mean `unknown-key`?");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule id that does not exist.
    #[error("unknown rule `{id}`{}", suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownRule {
        /// The id as given.
        id: String,
        /// The closest existing id.
        suggestion: Option<&'static str>,
    },
    /// A suppression's pointer that is not an RFC 6901 JSON Pointer.
    #[error("`{pointer}` is not a JSON Pointer: {help}")]
    InvalidPointer {
        /// The pointer as given.
        pointer: String,
        /// How to write it.
        help: String,
    },
}

/// Why the command line could not run: a file, a directory walk, a configuration file.
#[cfg(feature = "cli")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// A file or stdin could not be read.
    #[error("cannot read `{}`: {source}", crate::secrets::shown_path(path))]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written (such as the CI step summary).
    #[error("cannot write `{}`: {source}", crate::secrets::shown_path(path))]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A path is not a file that can be checked (a directory given as a file, a FIFO...).
    #[error("cannot check `{}`: {reason}", crate::secrets::shown_path(path))]
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// What it is instead.
        reason: String,
    },
    /// A directory could not be walked.
    #[error("cannot walk `{}`: {message}", crate::secrets::shown_path(path))]
    Walk {
        /// Where the walk failed.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The configuration file is wrong.
    #[error("{0}")]
    Config(Box<ConfigError>),
    /// A setting the library rejects.
    #[error(transparent)]
    Setting(#[from] Error),
}

#[cfg(feature = "cli")]
impl RunError {
    /// The file or directory that could not be checked, for the errors about one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Self::Read { path, .. } | Self::NotAFile { path, .. } | Self::Walk { path, .. } => {
                Some(path)
            }
            Self::Write { .. } | Self::Config(_) | Self::Setting(_) => None,
        }
    }
}

/// A mistake in a configuration file, with its place.
#[cfg(feature = "cli")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    /// The configuration file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The text of the line, for a code frame.
    pub line_text: String,
    /// How many characters to underline.
    pub width: usize,
}

#[cfg(feature = "cli")]
impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

#[cfg(feature = "cli")]
impl ConfigError {
    /// The error with a code frame and help, as the command line prints it.
    pub fn render(&self) -> String {
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        let mut out = format!(
            "error in {self}\n{pad} |\n{number} | {}\n{pad} | {}{}\n",
            self.line_text,
            " ".repeat(self.column - 1),
            "^".repeat(self.width)
        );
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }
}
