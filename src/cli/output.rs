//! Report files (`--output-format FORMAT=PATH`): written beside their target under a temporary
//! name and renamed over it only once the run is over, so that a report never empties a file
//! before the run has read it, a failed run leaves the previous report as it was, and two
//! reports never share a file.

use std::fs::File;
use std::path::{Component, Path, PathBuf};

/// One report file of the run.
#[derive(Debug)]
pub(super) struct ReportFile {
    /// Where the report goes.
    pub target: PathBuf,
    /// The temporary file written meanwhile; `None` when the target is not a regular file (a
    /// device such as `/dev/null`, a FIFO), which is written directly.
    temp: Option<PathBuf>,
}

impl ReportFile {
    /// Open a report file for `target`: the file to write to, and the handle that commits it.
    pub fn create(target: &Path) -> std::io::Result<(File, ReportFile)> {
        // A link is followed: the report replaces the file it names, and the link stays.
        let linked = std::fs::symlink_metadata(target)
            .is_ok_and(|m| m.file_type().is_symlink())
            .then(|| std::fs::canonicalize(target).ok())
            .flatten();
        let target = linked.as_deref().unwrap_or(target);
        match std::fs::metadata(target) {
            Ok(meta) if meta.is_dir() => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "it is a directory",
                ));
            }
            Ok(meta) if !meta.is_file() => {
                let file = std::fs::OpenOptions::new().write(true).open(target)?;
                return Ok((
                    file,
                    ReportFile {
                        target: target.to_path_buf(),
                        temp: None,
                    },
                ));
            }
            _ => {}
        }
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
        let mut attempt = 0u32;
        loop {
            let temp = dir.join(format!(
                ".{name}.{}.{attempt}.rplint-tmp",
                std::process::id()
            ));
            match File::create_new(&temp) {
                Ok(file) => {
                    return Ok((
                        file,
                        ReportFile {
                            target: target.to_path_buf(),
                            temp: Some(temp),
                        },
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Put the finished report in place: the temporary file takes the target's permissions
    /// (when it exists) and is renamed over it.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        if let Ok(meta) = std::fs::metadata(&self.target) {
            let _ = std::fs::set_permissions(&temp, meta.permissions());
        }
        let renamed = std::fs::rename(&temp, &self.target);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        renamed
    }
}

impl Drop for ReportFile {
    /// A report that was not committed (the run failed to write it, or stopped early) leaves
    /// no temporary file behind, and the target as it was.
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// A path as the run compares paths: absolute, `.` and `..` resolved, and the links of its
/// existing part followed (so `a.json`, `./a.json` and `sub/../a.json` are one file).
pub(super) fn identity(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // The file may not exist yet: its directory may still be reached through a link.
    match (out.parent(), out.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir).map_or(out.clone(), |d| d.join(name)),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_replaces_its_target_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap();
        let (mut file, report) = ReportFile::create(&target).unwrap();
        std::io::Write::write_all(&mut file, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        drop(file);
        report.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        // Abandoned: the target stays, no temporary file is left.
        let (_file, report) = ReportFile::create(&target).unwrap();
        drop(report);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn paths_to_one_file_have_one_identity() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let a = identity(&dir.path().join("a.json"));
        assert_eq!(a, identity(&dir.path().join("sub/../a.json")));
        assert_eq!(a, identity(&dir.path().join("./a.json")));
    }
}

/// A writer that never lets an Azure Pipelines logging command (`##vso[`) through: each one is
/// written as `replacement` (the same text in the format's own escaping: `#\u0023vso[` in
/// JSON strings, `#&#35;vso[` in XML), whatever the write boundaries. For the machine formats
/// printed to a CI log, where the agent would run it.
pub(super) struct CommandSafe<W: std::io::Write> {
    inner: W,
    replacement: &'static [u8],
    /// Bytes that may begin a command, held until the next write says.
    pending: Vec<u8>,
}

const COMMAND: &[u8] = b"##vso[";

impl<W: std::io::Write> CommandSafe<W> {
    pub fn new(inner: W, replacement: &'static [u8]) -> Self {
        Self {
            inner,
            replacement,
            pending: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for CommandSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(buf);
        let mut out = Vec::with_capacity(data.len());
        let mut i = 0;
        while i < data.len() {
            if data[i..].starts_with(COMMAND) {
                out.extend_from_slice(self.replacement);
                i += COMMAND.len();
            } else if COMMAND.starts_with(&data[i..]) {
                // The end of this write may be the start of a command.
                self.pending = data[i..].to_vec();
                break;
            } else {
                out.push(data[i]);
                i += 1;
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod command_tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn commands_are_escaped_across_writes() {
        let mut out = CommandSafe::new(Vec::new(), b"#\\u0023vso[");
        out.write_all(b"{\"k\": \"#").unwrap();
        out.write_all(b"#vs").unwrap();
        out.write_all(b"o[x]\", \"##\"}").unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "{\"k\": \"#\\u0023vso[x]\", \"##\"}"
        );
    }
}
