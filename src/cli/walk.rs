//! The JSON files under a directory, in sorted order, honouring `.gitignore`, `.ignore`,
//! `.git/info/exclude` and the global excludes as `ignore` reads them.
//!
//! `ignore` sorts a directory by reading all of it first, every entry with its full path (about
//! 150 bytes each). A directory the file system reports as large is read in windows instead:
//! each pass over it (an unsorted `ignore` walk one level deep, so the same rules apply, from
//! the same files) keeps the [`Walker::window`] smallest names after the last one reported, and
//! reports them. Memory stays bounded whatever a directory holds; a huge directory is read once
//! per window.
//!
//! Both walks report directories that cannot be read, and pass over ignore files that cannot be
//! (see [`is_ignore_file_error`]).

use std::collections::BinaryHeap;
use std::ffi::OsStr;
use std::fs::FileType;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rplint::RunError;
use rplint::host::Language;

use super::Input;

/// Where the walk sends what it finds; `false` back means stop.
pub(super) type Emit<'e> = dyn FnMut(Result<Input, RunError>) -> bool + 'e;

/// How directories are walked.
pub(super) struct Walker {
    /// Directories whose size (as `stat` reports it) is above this are read in windows.
    huge_bytes: u64,
    /// How many names one pass over a huge directory reports.
    window: usize,
    /// The host files walked besides `*.json` (Markdown, shell).
    hosts: Vec<Language>,
}

impl Default for Walker {
    /// On ext4, 256 KiB of directory is about 7,500 entries of short names (a directory of
    /// 10,000 benchmark files is 0.3 MB, one of 100,000 is 3.4 MB), which the sorted walk holds
    /// in about 1 MB; a window of 16,384 names holds about 0.8 MB. A file system that reports no
    /// size for directories gets the sorted walk. Measured in `bench/RESULTS.md`.
    fn default() -> Self {
        Self {
            huge_bytes: 256 * 1024,
            window: 16 * 1024,
            hosts: Vec::new(),
        }
    }
}

impl Walker {
    /// A walker that also reports the host files of `hosts`.
    pub(super) fn with_hosts(hosts: &[Language]) -> Self {
        Self {
            hosts: hosts.to_vec(),
            ..Self::default()
        }
    }

    /// Whether the walk reports the file at `path`: `*.json`, and the chosen hosts' files.
    fn wants(&self, path: &Path) -> bool {
        is_json(path) || Language::by_path(path).is_some_and(|l| self.hosts.contains(&l))
    }

    /// Walk `dir` in sorted order; `false` when `emit` said stop.
    pub(super) fn walk(&self, dir: &Path, emit: &mut Emit) -> bool {
        let size = std::fs::metadata(dir).map_or(0, |m| m.len());
        self.walk_sized(dir, size, emit)
    }

    /// [`Walker::walk`] for a directory already looked at: `size` is its size as `stat` said.
    pub(super) fn walk_sized(&self, dir: &Path, size: u64, emit: &mut Emit) -> bool {
        // The walk reads the ignore files of `dir` and of the directories above it: one that
        // is not a regular file (a FIFO would block it forever) stops this walk, said once.
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some((bad, why)) = absolute.ancestors().find_map(special_ignore_file) {
            return emit(Err(not_readable(&bad, why)));
        }
        if let Some((bad, why)) = special_global_file() {
            // Said, and the walk goes on without the global excludes.
            if !emit(Err(RunError::Walk {
                path: bad,
                message: format!(
                    "{why}: rplint does not read it, so the global git excludes are not applied"
                ),
            })) {
                return false;
            }
        }
        if size > self.huge_bytes {
            self.walk_in_windows(dir, emit)
        } else {
            self.walk_sorted(dir, emit)
        }
    }

    /// `ignore`'s sorted walk, with each huge directory below `dir` left out of it and walked
    /// in windows at its place in the order.
    fn walk_sorted(&self, dir: &Path, emit: &mut Emit) -> bool {
        let huge: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let special: Arc<Mutex<Vec<(PathBuf, &'static str)>>> = Arc::default();
        let mut builder = builder(dir);
        let (found, huge_bytes) = (Arc::clone(&huge), self.huge_bytes);
        let bad = Arc::clone(&special);
        builder
            .filter_entry(move |entry| {
                if is_git(entry) || is_vendored(entry) {
                    return false;
                }
                if entry.depth() > 0
                    && entry.file_type().is_some_and(|t| t.is_dir())
                    && let Some(file) = special_ignore_file(entry.path())
                {
                    // Not entered: the walk would read that ignore file and block on it, or
                    // spend far more than its size compiling it.
                    lock(&bad).push(file);
                    return false;
                }
                let is_huge_dir = entry.depth() > 0
                    && entry.file_type().is_some_and(|t| t.is_dir())
                    && entry.metadata().is_ok_and(|m| m.len() > huge_bytes);
                if is_huge_dir {
                    lock(&found).push(entry.path().to_path_buf());
                }
                !is_huge_dir
            })
            // Within one directory, comparing whole paths is comparing names; as bytes, it
            // skips splitting every path into components at each comparison.
            .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()));
        let mut walker = builder.build();
        loop {
            let entry = walker.next();
            // The filter sees entries in the walk's order: a huge directory it left out comes
            // before the entry the walk yields next.
            let left_out = std::mem::take(&mut *lock(&huge));
            for sub in left_out {
                if !self.walk_in_windows(&sub, emit) {
                    return false;
                }
            }
            for (file, why) in std::mem::take(&mut *lock(&special)) {
                if !emit(Err(not_readable(&file, why))) {
                    return false;
                }
            }
            let item = match entry {
                None => return true,
                Some(Ok(entry)) => match entry.file_type() {
                    Some(kind) if self.wants(entry.path()) => {
                        match input(entry.into_path(), Kind::of(kind)) {
                            Some(input) => Ok(input),
                            None => continue,
                        }
                    }
                    _ => continue,
                },
                Some(Err(e)) if is_ignore_file_error(&e) => continue,
                Some(Err(e)) => Err(walk_error(dir, &e)),
            };
            if !emit(item) {
                return false;
            }
        }
    }

    /// Walk `dir`, a huge directory, a window of names at a time: each pass reads the whole
    /// directory and keeps the smallest names after the last one reported.
    fn walk_in_windows(&self, dir: &Path, emit: &mut Emit) -> bool {
        let window = self.window.max(1);
        let mut after: Option<Box<OsStr>> = None;
        // An error is reported once, not once per pass.
        let mut reported: Vec<String> = Vec::new();
        loop {
            // The smallest names of this pass so far, the largest on top (names are unique, so
            // kinds are never compared).
            let mut smallest: BinaryHeap<(Box<OsStr>, Kind)> = BinaryHeap::with_capacity(window);
            let mut more = false;
            let mut walker = builder(dir);
            walker
                .max_depth(Some(1))
                .filter_entry(|entry| !is_git(entry) && !is_vendored(entry));
            for entry in walker.build() {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) if is_ignore_file_error(&e) => continue,
                    Err(e) => {
                        let error = walk_error(dir, &e);
                        let text = error.to_string();
                        if !reported.contains(&text) {
                            reported.push(text);
                            if !emit(Err(error)) {
                                return false;
                            }
                        }
                        continue;
                    }
                };
                let Some(kind) = entry.file_type().map(Kind::of) else {
                    continue;
                };
                if entry.depth() == 0 || !(kind == Kind::Dir || self.wants(entry.path())) {
                    continue;
                }
                let name = entry.file_name();
                if after.as_deref().is_some_and(|a| name <= a) {
                    continue;
                }
                if smallest.len() < window {
                    smallest.push((name.into(), kind));
                    continue;
                }
                more = true;
                if let Some(mut largest) = smallest.peek_mut() {
                    if name < &*largest.0 {
                        *largest = (name.into(), kind);
                    }
                }
            }
            for (name, kind) in smallest.into_sorted_vec() {
                let path = dir.join(&*name);
                after = Some(name);
                let more_wanted = if kind == Kind::Dir {
                    self.walk(&path, emit)
                } else {
                    match input(path, kind) {
                        Some(input) => emit(Ok(input)),
                        None => true,
                    }
                };
                if !more_wanted {
                    return false;
                }
            }
            if !more {
                return true;
            }
        }
    }
}

/// What a walked entry is, as far as the walk cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Dir,
    File,
    /// A link, FIFO, socket or device.
    Other,
}

impl Kind {
    fn of(kind: FileType) -> Self {
        if kind.is_dir() {
            Self::Dir
        } else if kind.is_file() {
            Self::File
        } else {
            Self::Other
        }
    }
}

/// The walk's settings, shared by the sorted walk and the passes over a huge directory so that
/// both apply the same rules.
fn builder(dir: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder.hidden(false).require_git(false);
    if special_global_file().is_some() {
        // The walk would block reading it: the global excludes are not read (the walk says
        // so once, in `walk_sized`).
        builder.git_global(false);
    }
    builder
}

/// The git configuration files and global excludes file the walk reads (`~/.gitconfig`,
/// `$XDG_CONFIG_HOME/git/config`, `core.excludesFile`, `$XDG_CONFIG_HOME/git/ignore`): the
/// first one that exists but is not a regular file (a FIFO would block the walk forever), or
/// an excludes file that rplint does not read ([`unusable_ignore_file`]); with why.
fn special_global_file() -> Option<(PathBuf, &'static str)> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut configs: Vec<PathBuf> = Vec::new();
    configs.extend(home.as_ref().map(|h| h.join(".gitconfig")));
    configs.extend(config_home.as_ref().map(|c| c.join("git").join("config")));
    let excludes = config_home.as_ref().map(|c| c.join("git").join("ignore"));
    let special = |path: &Path| unusable_ignore_file(path).map(|why| (path.to_path_buf(), why));
    let not_regular = |path: &Path| {
        std::fs::metadata(path)
            .ok()
            .is_some_and(|m| !m.is_file())
            .then(|| {
                (
                    path.to_path_buf(),
                    "it is not a regular file (a FIFO, socket or device)",
                )
            })
    };
    if let Some(bad) = (configs.iter().find_map(|f| not_regular(f)))
        .or_else(|| excludes.as_deref().and_then(special))
    {
        return Some(bad);
    }
    // `core.excludesFile` as the configuration files name it (read only when they are
    // regular files, at most 1 MiB).
    for config in &configs {
        let Ok(meta) = std::fs::metadata(config) else {
            continue;
        };
        if meta.len() > 1024 * 1024 {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(config) else {
            continue;
        };
        for line in text.lines() {
            let line = line.trim();
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if !key.trim().eq_ignore_ascii_case("excludesfile") {
                continue;
            }
            let value = value.trim().trim_matches('"');
            let path = match (value.strip_prefix("~/"), &home) {
                (Some(rest), Some(home)) => home.join(rest),
                _ => PathBuf::from(value),
            };
            if let Some(bad) = special(&path) {
                return Some(bad);
            }
        }
    }
    None
}

/// `.git` directories hold a repository, not requests: they are never walked.
fn is_git(entry: &ignore::DirEntry) -> bool {
    entry.file_name() == ".git"
}

/// Directories of installed packages (`node_modules`, Python virtual environments and
/// `site-packages`): other people's code, never the project's requests. Named on the command
/// line they are still walked.
fn is_vendored(entry: &ignore::DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_some_and(|t| t.is_dir())
        && (matches!(
            entry.file_name().to_str(),
            Some(
                "node_modules"
                    | "site-packages"
                    | "__pypackages__"
                    | "__pycache__"
                    | ".tox"
                    | ".nox"
                    | "bower_components"
            )
        ) || entry.path().join("pyvenv.cfg").is_file())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

/// What the walk reports for a `*.json` entry: files, and links to files, are checked;
/// directories, and links to them, are not; for the rest `read` says what it is.
fn input(path: PathBuf, kind: Kind) -> Option<Input> {
    match kind {
        Kind::File => Some(Input::Walked(path)),
        Kind::Dir => None,
        Kind::Other => match std::fs::metadata(&path) {
            Ok(target) if target.is_dir() => None,
            Ok(target) if target.is_file() => Some(Input::Walked(path)),
            _ => Some(Input::File(path)),
        },
    }
}

/// A line of an ignore file that is not a valid pattern, or an ignore file that cannot be read.
/// `ignore` reports those of a walk's parent directories as the walk's first item, and those
/// met on the way down with their entry, where nothing looks at them. Both are passed over
/// alike, so that a directory walked on its own (a huge one, or one below it) is not reported
/// for what the walk around it passes over: they say which files are skipped, not which could
/// not be read (and git takes lines `ignore` rejects, such as `{a`). What the walk itself could
/// not read comes from the directory iterator and always carries the depth it was met at; an
/// ignore file's error never does.
/// The ignore file of `dir` (`.gitignore`, `.ignore`, `.git/info/exclude`) that exists but
/// that rplint does not read, and why (see [`unusable_ignore_file`]).
fn special_ignore_file(dir: &Path) -> Option<(PathBuf, &'static str)> {
    [".gitignore", ".ignore", ".git/info/exclude"]
        .into_iter()
        .find_map(|name| {
            let path = dir.join(name);
            unusable_ignore_file(&path).map(|why| (path, why))
        })
}

/// An ignore file holds at most this many patterns. Each costs the walk about 10 KB once
/// compiled and a test against every path: 30,000 patterns over 10,000 files took 1.9 s and
/// 310 MB, and 100,000 over 100,000 files did not finish in 300 s (`bench/RESULTS.md`).
/// Large real ignore files hold hundreds.
const MOST_IGNORE_PATTERNS: usize = 10_000;

/// An ignore file larger than this (bytes) is not read.
const MOST_IGNORE_BYTES: u64 = 1024 * 1024;

/// Why the ignore file at `path`, which exists, is not read: it is not a regular file (a FIFO
/// would block the walk forever), it is larger than 1 MiB, or it holds more than
/// [`MOST_IGNORE_PATTERNS`] patterns or [`MOST_IGNORE_WILDCARDS`] wildcards. `None` for a usable file and for no file.
fn unusable_ignore_file(path: &Path) -> Option<&'static str> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return Some("it is not a regular file (a FIFO, socket or device)");
    }
    if meta.len() > MOST_IGNORE_BYTES {
        return Some("it is larger than 1 MiB");
    }
    // A pattern and its line break take at least two bytes: a smaller file holds few enough.
    if meta.len() <= 2 * MOST_IGNORE_PATTERNS as u64 {
        return None;
    }
    let text = std::fs::read(path).ok()?;
    let lines = || {
        text.split(|&b| b == b'\n').filter(|line| {
            let line = line.trim_ascii();
            !line.is_empty() && !line.starts_with(b"#")
        })
    };
    if lines().count() > MOST_IGNORE_PATTERNS {
        return Some("it holds more than 10,000 patterns");
    }
    let wildcards: usize = lines().map(rplint::config::project::wildcards).sum();
    (wildcards > MOST_IGNORE_WILDCARDS)
        .then_some("it holds more than 40,000 wildcards (`*`, `?`, `[`)")
}

/// An ignore file holds at most this many wildcards in all: each costs the walk about 700
/// bytes once compiled (a 1 MB file of 500 patterns of 2,000 `*` took 722 MB); 10,000 real
/// patterns hold about 30,000.
const MOST_IGNORE_WILDCARDS: usize = 40_000;

/// The error for an ignore file that rplint does not read, and `why`.
fn not_readable(file: &Path, why: &str) -> RunError {
    RunError::Walk {
        path: file.to_path_buf(),
        message: format!("{why}: rplint does not read it, nor walk the directory it governs"),
    }
}

fn is_ignore_file_error(error: &ignore::Error) -> bool {
    error.depth().is_none()
}

fn walk_error(dir: &Path, error: &ignore::Error) -> RunError {
    RunError::Walk {
        path: dir.to_path_buf(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A tree with every kind of ignore file, links, a directory named `*.json`, and a
    /// directory of many files with long names (larger than the others on most file systems).
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files: &[(&str, &str)] = &[
            (".git/info/exclude", "excluded.json\n"),
            (".git/inside.json", "{}"),
            (
                ".gitignore",
                "ignored.json\nbuild/\n*.gen.json\n!keep.gen.json\n",
            ),
            (".ignore", "by-dot-ignore.json\n"),
            (".hidden.json", "{}"),
            ("a.json", "{}"),
            ("b.json", "{}"),
            ("ignored.json", "{}"),
            ("excluded.json", "{}"),
            ("by-dot-ignore.json", "{}"),
            ("x.gen.json", "{}"),
            ("keep.gen.json", "{}"),
            ("notes.txt", ""),
            ("build/c.json", "{}"),
            ("d.json/e.json", "{}"),
            ("sub/.gitignore", "/local.json\n!ignored.json\n"),
            ("sub/local.json", "{}"),
            ("sub/ignored.json", "{}"),
            ("sub/deep/local.json", "{}"),
            ("sub/deep/f.json", "{}"),
            // The root's rules apply below it too, also when `sub` is walked on its own.
            ("sub/y.gen.json", "{}"),
            ("sub/excluded.json", "{}"),
            ("sub/by-dot-ignore.json", "{}"),
            ("sub/deep/build/g.json", "{}"),
        ];
        for (path, text) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        fs::create_dir(root.join("many")).unwrap();
        for name in many().iter().rev() {
            fs::write(root.join(name), "{}").unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("a.json", root.join("link.json")).unwrap();
            symlink("sub", root.join("dirlink.json")).unwrap();
            symlink("missing", root.join("broken.json")).unwrap();
        }
        dir
    }

    fn many() -> Vec<String> {
        (0..200)
            .map(|i| format!("many/{i:03}-a-name-long-enough-to-fill-a-directory.json"))
            .collect()
    }

    /// What `walk` emits, paths relative to `root`; stops after `limit` items.
    fn walked(walker: &Walker, root: &Path, windowed: bool, limit: usize) -> (Vec<String>, bool) {
        let mut seen = Vec::new();
        let mut emit = |item: Result<Input, RunError>| {
            seen.push(match item {
                Ok(Input::Walked(path) | Input::Regular(path)) => {
                    format!("{}", path.strip_prefix(root).unwrap().display())
                }
                Ok(Input::File(path)) => {
                    format!("? {}", path.strip_prefix(root).unwrap().display())
                }
                Ok(Input::Stdin) => "-".to_owned(),
                Err(e) => format!("error: {e}"),
            });
            seen.len() < limit
        };
        let finished = if windowed {
            walker.walk_in_windows(root, &mut emit)
        } else {
            walker.walk(root, &mut emit)
        };
        (seen, finished)
    }

    const SORTED: Walker = Walker {
        huge_bytes: u64::MAX,
        window: 16 * 1024,
        hosts: Vec::new(),
    };

    #[test]
    fn the_sorted_walk_honours_every_ignore_file() {
        let dir = tree();
        let (seen, finished) = walked(&SORTED, dir.path(), false, usize::MAX);
        let mut expected = vec![".hidden.json", "a.json", "b.json"];
        if cfg!(unix) {
            expected.push("? broken.json");
        }
        expected.extend(["d.json/e.json", "keep.gen.json"]);
        if cfg!(unix) {
            expected.push("link.json");
        }
        let many = many();
        expected.extend(many.iter().map(String::as_str));
        expected.extend(["sub/deep/f.json", "sub/deep/local.json", "sub/ignored.json"]);
        assert_eq!(seen, expected);
        assert!(finished);
    }

    #[test]
    fn windows_of_any_size_walk_the_same_files_in_the_same_order() {
        let dir = tree();
        let (sorted, _) = walked(&SORTED, dir.path(), false, usize::MAX);
        for window in [1, 2, 3, 7, 199, 200, 201, 1000] {
            // Every directory is huge: the root and all below it go through windows.
            let walker = Walker {
                huge_bytes: 0,
                window,
                hosts: Vec::new(),
            };
            let (windowed, finished) = walked(&walker, dir.path(), true, usize::MAX);
            assert_eq!(windowed, sorted, "window of {window}");
            assert!(finished);
        }
    }

    #[test]
    fn a_huge_directory_below_a_sorted_one_keeps_its_place() {
        let dir = tree();
        let (sorted, _) = walked(&SORTED, dir.path(), false, usize::MAX);
        // The root is walked the sorted way; `many`, larger, is left out of that walk and walked
        // in windows where it comes.
        let size = |path: &str| fs::metadata(dir.path().join(path)).unwrap().len();
        if size("many") <= size(".") {
            eprintln!("directory sizes say nothing on this file system; nothing to test");
            return;
        }
        let walker = Walker {
            huge_bytes: size("."),
            window: 3,
            hosts: Vec::new(),
        };
        let (mixed, _) = walked(&walker, dir.path(), false, usize::MAX);
        assert_eq!(mixed, sorted);
    }

    #[test]
    fn stopping_stops_every_walk() {
        let dir = tree();
        let windowed = Walker {
            huge_bytes: 0,
            window: 2,
            hosts: Vec::new(),
        };
        for (walker, in_windows) in [(&SORTED, false), (&windowed, true)] {
            for limit in [1, 4, 9] {
                let (seen, finished) = walked(walker, dir.path(), in_windows, limit);
                assert_eq!(seen.len(), limit);
                assert!(!finished);
            }
        }
    }

    #[test]
    fn a_bad_line_in_an_ignore_file_above_is_passed_over() {
        let dir = tree();
        let gitignore = dir.path().join(".gitignore");
        let rules = fs::read_to_string(&gitignore).unwrap();
        fs::write(&gitignore, format!("{rules}{{unclosed\n")).unwrap();
        // Walked from `sub`, the root's `.gitignore` is a parent's: `ignore` reports its bad
        // line as the walk's first item. The rest of its rules still apply.
        let sub = dir.path().join("sub");
        let windowed = Walker {
            huge_bytes: 0,
            window: 1,
            hosts: Vec::new(),
        };
        for (walker, in_windows) in [(&SORTED, false), (&windowed, true)] {
            let (seen, finished) = walked(walker, &sub, in_windows, usize::MAX);
            assert_eq!(seen, ["deep/f.json", "deep/local.json", "ignored.json"]);
            assert!(finished);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_that_cannot_be_read_is_reported_once() {
        let dir = tree();
        // A directory whose path is longer than the system takes (PATH_MAX), made one level at
        // a time from inside (`cd -P`: not through the long path): it cannot be opened by its
        // path, whoever runs the test (permissions do not stop root).
        let level = "d".repeat(250);
        let made = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "mkdir deep && cd deep && \
                 for i in $(seq 17); do mkdir {level} && cd -P {level} || exit 1; done && \
                 echo '{{}}' > z.json"
            ))
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(made.success());
        let windowed = Walker {
            huge_bytes: 0,
            window: 1,
            hosts: Vec::new(),
        };
        for (walker, in_windows) in [(&SORTED, false), (&windowed, true)] {
            let (seen, finished) = walked(walker, dir.path(), in_windows, usize::MAX);
            let errors: Vec<&String> = seen.iter().filter(|s| s.starts_with("error")).collect();
            assert_eq!(errors.len(), 1, "{seen:?}");
            assert!(seen.contains(&"sub/ignored.json".to_owned()), "{seen:?}");
            assert!(finished);
        }
    }
}
