//! Errors: the ways rplint cannot run. Problems in a checked document are findings, never these.

use std::path::PathBuf;

/// Why rplint could not run (as opposed to what it found).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or stdin could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written (such as the CI step summary).
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A path is not a file that can be checked (a directory given as a file, a FIFO...).
    #[error("cannot check `{}`: {reason}", path.display())]
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// What it is instead.
        reason: String,
    },
    /// A directory could not be walked.
    #[error("cannot walk `{}`: {message}", path.display())]
    Walk {
        /// Where the walk failed.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A rule id that does not exist.
    #[error("unknown rule `{id}`{}", suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownRule {
        /// The id as given.
        id: String,
        /// The closest existing id.
        suggestion: Option<&'static str>,
    },
}
