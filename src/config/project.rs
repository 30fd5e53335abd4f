//! The project's configuration file: `rplint.toml`, or `[tool.rplint]` in `pyproject.toml`.
//!
//! ```toml
//! select = ["..."]                 # report only these rules
//! ignore = ["unknown-key"]         # never report these
//! route = "run"                    # run | runsync | batch
//! exclude = ["**/.runpod/tests.json"]
//! hosts = ["markdown", "shell"]    # host files a walk reads besides *.json: markdown | mdx | shell
//!
//! [rules]
//! unknown-key = "error"            # error | warning | info | off
//!
//! [[overrides]]                    # later entries win
//! files = ["batches/**/*.json"]
//! route = "batch"
//!
//! [[overrides]]
//! files = ["deploy/listing.json"]
//! kind = "hub-config"              # request | batch | batch-requests | hub-config | hub-tests | legacy-tests
//!
//! [[suppress]]
//! files = "requests/legacy.json"
//! pointer = "/policy/ttl"
//! rule = "ttl-range"
//! reason = "the legacy worker reads seconds"
//! ```
//!
//! Globs are matched against paths relative to the file's directory (`/`-separated; `*` does
//! not cross `/`, `**` does). Parsing is strict: an unknown key, an unknown rule id, a bad glob
//! or a value of the wrong type is an error that names the line and column.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::{Config, Route};
use crate::error::{ConfigError, RunError as Error};
use crate::finding::{Finding, Severity, Span};
use crate::kind::Kind;
use crate::rules;
use crate::source::Source;

/// The file names looked for, in each directory from the working directory up.
pub const FILE_NAMES: &[&str] = &["rplint.toml", "pyproject.toml"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    route: Option<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    hosts: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Level>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Warning,
    Info,
    Off,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    route: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    files: Spanned<String>,
    pointer: String,
    rule: Spanned<String>,
    reason: Spanned<String>,
}

#[derive(Debug, Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Debug, Deserialize)]
struct PyTool {
    rplint: Option<RawConfig>,
}

#[derive(Debug)]
struct Override {
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
    route: Option<Route>,
    kind: Option<Kind>,
}

#[derive(Debug)]
struct Suppression {
    pointer: String,
    rule: &'static str,
    span: Span,
    /// Whether it hid a finding.
    used: AtomicBool,
    /// Whether its glob matched a checked file (only then can it be called unused).
    applied: AtomicBool,
}

/// A loaded and validated configuration file.
#[derive(Debug)]
pub struct ProjectConfig {
    source: Source,
    root: PathBuf,
    base: Config,
    exclude: GlobSet,
    hosts: Option<Vec<crate::host::Language>>,
    overrides: Vec<Override>,
    suppressions: Vec<Suppression>,
    /// Every override's globs in one set (one automaton, however many overrides: 15,000 sets
    /// of their own took 232 MiB), and the override each glob belongs to.
    override_files: Owned,
    /// The same for the suppressions.
    suppression_files: Owned,
}

/// Globs from several entries in one set, with the entry each glob came from.
#[derive(Debug)]
struct Owned {
    set: GlobSet,
    /// For each distinct glob of the set, the entries that wrote it.
    owners: Vec<Vec<usize>>,
}

impl Owned {
    /// The entries, in order and once each, that have a glob matching `path`.
    fn matching(&self, path: &Path) -> Vec<usize> {
        let mut owners: Vec<usize> = self
            .set
            .matches(path)
            .into_iter()
            .filter_map(|i| self.owners.get(i))
            .flatten()
            .copied()
            .collect();
        owners.sort_unstable();
        owners.dedup();
        owners
    }
}

impl ProjectConfig {
    /// The configuration for `dir`: the first `rplint.toml`, or `pyproject.toml` with a
    /// `[tool.rplint]` table, in `dir` or a directory above it.
    pub fn discover(dir: &Path) -> Result<Option<Self>, Error> {
        match Self::find(dir)? {
            Some(path) => Self::load(&relative_to(&path, dir)).map(Some),
            None => Ok(None),
        }
    }

    /// The path of the configuration file that applies to `dir` (as [`ProjectConfig::discover`]
    /// finds it), joined to `dir`; `None` when there is none.
    pub fn find(dir: &Path) -> Result<Option<PathBuf>, Error> {
        for ancestor in dir.ancestors() {
            for name in FILE_NAMES {
                let path = ancestor.join(name);
                // A configuration file that is there but cannot be read (not a regular file,
                // no permission) stops the run: a silently ignored configuration would check
                // with other rules than the project chose.
                match std::fs::symlink_metadata(&path) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(source) => return Err(Error::Read { path, source }),
                    Ok(_) => {}
                }
                if *name == "pyproject.toml" {
                    // Found the way TOML defines it: a `[tool.rplint]` table, not the text.
                    let text = read(&path)?;
                    let source = Source::new(path.display().to_string(), text);
                    let parsed = toml::from_str::<PyProject>(source.text())
                        .map_err(|e| toml_error(&source, &e))?;
                    if parsed.tool.and_then(|t| t.rplint).is_none() {
                        continue;
                    }
                }
                return Ok(Some(path));
            }
        }
        Ok(None)
    }

    /// Load the configuration at `path` (`pyproject.toml`: its `[tool.rplint]` table).
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = read(path)?;
        let source = Source::new(path.display().to_string(), text);
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let raw = if is_pyproject {
            toml::from_str::<PyProject>(source.text())
                .map_err(|e| toml_error(&source, &e))?
                .tool
                .and_then(|t| t.rplint)
                .ok_or_else(|| {
                    at(
                        &source,
                        Span::new(0, 0),
                        "this pyproject.toml has no `[tool.rplint]` table",
                        Some("add `[tool.rplint]`, or point `--config` at an `rplint.toml`".into()),
                    )
                })?
        } else {
            toml::from_str::<RawConfig>(source.text()).map_err(|e| toml_error(&source, &e))?
        };
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        Self::validate(raw, source, root)
    }

    fn validate(raw: RawConfig, source: Source, root: PathBuf) -> Result<Self, Error> {
        let ids = |list: &[Spanned<String>]| -> Result<Vec<&'static str>, Error> {
            list.iter().map(|id| rule_id(&source, id)).collect()
        };
        let mut base = Config::default();
        if let Some(select) = &raw.select {
            base = base.with_select(ids(select)?);
        }
        base = base.with_ignored(&ids(&raw.ignore)?);
        if let Some(route) = &raw.route {
            base = base.with_route(route_name(&source, route)?);
        }
        for (id, level) in &raw.rules {
            let id = rule_id(&source, id)?;
            base = match level {
                Level::Off => base.with_ignored(&[id]),
                Level::Error => base.with_severity(id, Severity::Error),
                Level::Warning => base.with_severity(id, Severity::Warning),
                Level::Info => base.with_severity(id, Severity::Info),
            };
        }
        too_many_globs(
            &source,
            (raw.exclude.iter())
                .chain(raw.overrides.iter().flat_map(|o| &o.files))
                .chain(raw.suppress.iter().map(|e| &e.get_ref().files)),
        )?;
        let exclude = globs(&source, &raw.exclude)?;
        let hosts = raw
            .hosts
            .as_ref()
            .map(|names| names.iter().map(|n| host_name(&source, n)).collect())
            .transpose()?;
        let mut override_globs = Vec::new();
        for (i, o) in raw.overrides.iter().enumerate() {
            for glob in glob_list(&source, &o.files)? {
                override_globs.push((glob, i));
            }
        }
        let override_files = owned(&source, override_globs)?;
        let overrides = raw
            .overrides
            .iter()
            .map(|o| {
                Ok(Override {
                    select: o.select.as_deref().map(ids).transpose()?,
                    ignore: ids(&o.ignore)?,
                    route: o
                        .route
                        .as_ref()
                        .map(|r| route_name(&source, r))
                        .transpose()?,
                    kind: o.kind.as_ref().map(|k| kind_name(&source, k)).transpose()?,
                })
            })
            .collect::<Result<_, Error>>()?;
        let suppressions = raw
            .suppress
            .iter()
            .map(|entry| {
                let s = entry.get_ref();
                if s.reason.get_ref().trim().is_empty() {
                    let r = s.reason.span();
                    return Err(at(
                        &source,
                        Span::new(r.start, r.end),
                        "a suppression needs a `reason`",
                        Some(
                            "say why the finding is acceptable, for whoever reads this next".into(),
                        ),
                    ));
                }
                let span = entry.span();
                if let Some(help) = crate::finding::pointer_problem(&s.pointer) {
                    return Err(at(
                        &source,
                        Span::new(span.start, span.end),
                        &format!(
                            "`pointer = \"{}\"` is not a JSON Pointer",
                            crate::finding::shorten(&s.pointer, 60)
                        ),
                        Some(help),
                    ));
                }
                Ok(Suppression {
                    pointer: s.pointer.clone(),
                    rule: rule_id(&source, &s.rule)?,
                    span: Span::new(span.start, span.end),
                    used: AtomicBool::new(false),
                    applied: AtomicBool::new(false),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let mut suppression_globs = Vec::new();
        for (i, entry) in raw.suppress.iter().enumerate() {
            for glob in glob_list(&source, std::slice::from_ref(&entry.get_ref().files))? {
                suppression_globs.push((glob, i));
            }
        }
        let suppression_files = owned(&source, suppression_globs)?;
        Ok(Self {
            source,
            root,
            base,
            exclude,
            hosts,
            overrides,
            suppressions,
            override_files,
            suppression_files,
        })
    }

    /// The configuration file's path.
    pub fn path(&self) -> &str {
        self.source.name()
    }

    /// `path` relative to the configuration's directory, `/`-separated, for glob matching.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = |p: &Path| {
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                std::env::current_dir().unwrap_or_default().join(p)
            };
            normalize(&p)
        };
        let (file, root) = (absolute(path), absolute(&self.root));
        file.strip_prefix(&root)
            .map_or(file.clone(), Path::to_path_buf)
    }

    /// The host languages a walk reads, when the file says (`hosts`).
    pub fn hosts(&self) -> Option<&[crate::host::Language]> {
        self.hosts.as_deref()
    }

    /// Whether `exclude` leaves out `path`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(self.relative(path))
    }

    /// The settings for `path`: the file's top level, then every matching override in order.
    pub fn config_for(&self, path: &Path) -> Config {
        let relative = self.relative(path);
        let mut config = self.base.clone();
        let matching = self.override_files.matching(&relative);
        for o in matching.iter().filter_map(|&i| self.overrides.get(i)) {
            if let Some(select) = &o.select {
                config = config.with_select(select.clone());
            }
            config = config.with_ignored(&o.ignore);
            if let Some(route) = o.route {
                config = config.with_route(route);
            }
            if let Some(kind) = o.kind {
                config = config.with_kind(kind);
            }
        }
        for id in self.suppression_files.matching(&relative) {
            if let Some(s) = self.suppressions.get(id) {
                // It matched a checked file: from now on it can be called unused.
                s.applied.store(true, Ordering::Relaxed);
                config = config.with_suppression(super::Suppression {
                    rule: s.rule,
                    pointer: s.pointer.clone(),
                    id,
                });
            }
        }
        config
    }

    /// Record that the suppressions numbered `ids` (as [`Config::suppression`] gave them) hid
    /// a finding.
    pub fn mark_used(&self, ids: &[usize]) {
        for &id in ids {
            if let Some(s) = self.suppressions.get(id) {
                s.used.store(true, Ordering::Relaxed);
            }
        }
    }

    /// The suppressions that matched a checked file but hid nothing, as findings in the
    /// configuration file.
    pub fn unused_suppressions(&self) -> (&Source, Vec<Finding>) {
        let findings = self
            .suppressions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.applied.load(Ordering::Relaxed) && !s.used.load(Ordering::Relaxed))
            .map(|(i, s)| rules::unused_suppression_finding(i, s.rule, &s.pointer, s.span))
            .collect();
        (&self.source, findings)
    }
}

/// `path` as seen from `dir` (`rplint.toml`, `../rplint.toml`), for messages.
fn relative_to(path: &Path, dir: &Path) -> PathBuf {
    let Some(parent) = path.parent() else {
        return path.to_path_buf();
    };
    let Ok(up) = dir.strip_prefix(parent) else {
        return path.to_path_buf();
    };
    let mut relative: PathBuf = up.components().map(|_| "..").collect();
    relative.push(path.file_name().unwrap_or_default());
    relative
}

/// `.` and `..` removed without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Configuration files larger than this are refused.
const MAX_CONFIG: u64 = 1024 * 1024;

/// A configuration file's text: it must be a regular file (a FIFO would block, a device could
/// never end) of at most 1 MiB.
fn read(path: &Path) -> Result<String, Error> {
    use std::io::Read as _;
    let error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(error)?;
    if !meta.is_file() {
        return Err(error(std::io::Error::other(
            "not a regular file (a directory, FIFO, socket or device)",
        )));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| std::io::Read::take(file, MAX_CONFIG + 1).read_to_string(&mut text))
        .map_err(error)?;
    if text.len() as u64 > MAX_CONFIG {
        return Err(error(std::io::Error::other("larger than 1 MiB")));
    }
    Ok(text)
}

fn at(source: &Source, span: Span, message: &str, help: Option<String>) -> Error {
    let position = source.position(span.start);
    let (line_start, line_end) = source.line_range(position.line - 1);
    // A configuration file may hold credentials of its own (`pyproject.toml`'s package
    // indexes, a `password = ...` written by mistake): masked in the frame and the message as
    // in a code file's.
    source.set_meant(crate::secrets::near_keys_in_code(source.text()));
    let shown = source.shown_text();
    Error::Config(Box::new(ConfigError {
        path: source.name().to_owned(),
        line: position.line,
        column: position.column,
        message: source.scrub(message),
        help: help.map(|h| source.scrub(&h)),
        line_text: shown
            .get(line_start..line_end)
            .unwrap_or_default()
            .to_owned(),
        width: source.text()[span.start..span.end.min(line_end).max(span.start)]
            .chars()
            .count()
            .max(1),
    }))
}

fn toml_error(source: &Source, error: &toml::de::Error) -> Error {
    let span = error
        .span()
        .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
    let message = error.message().trim().to_owned();
    let help = unknown_field_help(source, span, &message);
    at(source, span, &message, help)
}

/// For "unknown field `x`, expected one of `a`, `b`" (or variant): the closest expected one.
fn unknown_field_help(source: &Source, span: Span, message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let written = &rest[..rest.find('`')?];
    let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
    let _ = (source, span);
    crate::suggest::closest(written, expected.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
}

fn route_name(source: &Source, route: &Spanned<String>) -> Result<Route, Error> {
    const ROUTES: &[(&str, Route)] = &[
        ("run", Route::Run),
        ("runsync", Route::Runsync),
        ("batch", Route::Batch),
        ("batch-requests", Route::BatchRequests),
    ];
    let name = route.get_ref();
    ROUTES
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, r)| *r)
        .ok_or_else(|| {
            let r = route.span();
            let help = crate::suggest::closest(name, ROUTES.iter().map(|(n, _)| *n)).map_or_else(
                || "the routes are `run`, `runsync`, `batch` and `batch-requests`".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            at(
                source,
                Span::new(r.start, r.end),
                &format!("unknown route `{name}`"),
                Some(help),
            )
        })
}

fn host_name(source: &Source, name: &Spanned<String>) -> Result<crate::host::Language, Error> {
    use crate::host::Language;
    Language::from_name(name.get_ref()).ok_or_else(|| {
        let r = name.span();
        let names = Language::ALL
            .iter()
            .map(|l| format!("`{}`", l.name()))
            .collect::<Vec<_>>()
            .join(", ");
        at(
            source,
            Span::new(r.start, r.end),
            &format!(
                "unknown host `{}`",
                crate::finding::shorten(name.get_ref(), 40)
            ),
            Some(format!("the hosts are {names}")),
        )
    })
}

fn kind_name(source: &Source, kind: &Spanned<String>) -> Result<Kind, Error> {
    let name = kind.get_ref();
    Kind::from_name(name).ok_or_else(|| {
        let r = kind.span();
        let names = Kind::ALL.iter().map(|k| k.name());
        let help = crate::suggest::closest(name, names).map_or_else(
            || {
                format!(
                    "the kinds are {}",
                    Kind::ALL
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            |s| format!("did you mean `{s}`?"),
        );
        at(
            source,
            Span::new(r.start, r.end),
            &format!("unknown kind `{name}`"),
            Some(help),
        )
    })
}

fn rule_id(source: &Source, id: &Spanned<String>) -> Result<&'static str, Error> {
    rules::get(id.get_ref()).map(|m| m.id).ok_or_else(|| {
        let r = id.span();
        let help = rules::suggest(id.get_ref()).map_or_else(
            || "`rplint rules` lists the rule ids".to_owned(),
            |s| format!("did you mean `{s}`?"),
        );
        at(
            source,
            Span::new(r.start, r.end),
            &format!("unknown rule `{}`", id.get_ref()),
            Some(help),
        )
    })
}

fn globs(source: &Source, patterns: &[Spanned<String>]) -> Result<GlobSet, Error> {
    let mut set = GlobSetBuilder::new();
    for glob in glob_list(source, patterns)? {
        set.add(glob);
    }
    set.build()
        .map_err(|e| at(source, Span::new(0, 0), &format!("bad globs: {e}"), None))
}

/// One set of the globs of several entries, each glob with its entry's index.
fn owned(source: &Source, globs: Vec<(Glob, usize)>) -> Result<Owned, Error> {
    // A glob written by many entries (a thousand suppressions of `requests/*.json`) is one
    // glob of the set.
    let mut set = GlobSetBuilder::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    for (glob, entry) in globs {
        let next = owners.len();
        let at = *index.entry(glob.glob().to_owned()).or_insert(next);
        if at == next {
            set.add(glob);
            owners.push(Vec::new());
        }
        owners[at].push(entry);
    }
    let set = set
        .build()
        .map_err(|e| at(source, Span::new(0, 0), &format!("bad globs: {e}"), None))?;
    Ok(Owned { set, owners })
}

/// The most distinct globs a configuration file may hold (`exclude`, the overrides' and the
/// suppressions' `files` together): each costs about 9 KB of matcher, and a glob matches as many
/// files as it needs to.
const MOST_GLOBS: usize = 2_000;

/// The most wildcards (`*`, `?`, `[`) one glob may hold: each costs the matcher about 700
/// bytes (2,000 globs of 480 `*` took 700 MB), and real globs hold a few.
const MOST_WILDCARDS: usize = 32;

/// How many wildcards (`*`, `?`, `[`) a glob or ignore pattern holds (its bytes).
pub fn wildcards(glob: impl AsRef<[u8]>) -> usize {
    glob.as_ref()
        .iter()
        .filter(|b| matches!(b, b'*' | b'?' | b'['))
        .count()
}

/// An error at the first glob past [`MOST_GLOBS`] distinct ones, or of more than
/// [`MOST_WILDCARDS`] wildcards.
fn too_many_globs<'a>(
    source: &Source,
    patterns: impl Iterator<Item = &'a Spanned<String>>,
) -> Result<(), Error> {
    let mut distinct = std::collections::HashSet::new();
    for pattern in patterns {
        if wildcards(pattern.get_ref()) > MOST_WILDCARDS {
            let r = pattern.span();
            return Err(at(
                source,
                Span::new(r.start, r.end),
                &format!("a glob of more than {MOST_WILDCARDS} wildcards (`*`, `?`, `[`)"),
                Some("write `**` once rather than `*` many times".into()),
            ));
        }
        if distinct.insert(pattern.get_ref().as_str()) && distinct.len() > MOST_GLOBS {
            let r = pattern.span();
            return Err(at(
                source,
                Span::new(r.start, r.end),
                &format!("more than {MOST_GLOBS} different globs in the configuration file"),
                Some(
                    "a glob can match many files (`requests/**/*.json`): write fewer, broader globs"
                        .into(),
                ),
            ));
        }
    }
    Ok(())
}

/// The globs of `patterns`, each checked (a bad one is an error at its position).
fn glob_list(source: &Source, patterns: &[Spanned<String>]) -> Result<Vec<Glob>, Error> {
    let mut list = Vec::with_capacity(patterns.len());
    for pattern in patterns {
        // Paths are matched relative to the configuration's directory, without `./`.
        let text = pattern.get_ref();
        let text = text.strip_prefix("./").unwrap_or(text);
        let glob: Glob = GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| {
                let r = pattern.span();
                at(
                    source,
                    Span::new(r.start, r.end),
                    &format!("bad glob: {}", e.kind()),
                    Some("globs use `*`, `**`, `?`, `[...]` and `{a,b}`".into()),
                )
            })?;
        list.push(glob);
    }
    Ok(list)
}
