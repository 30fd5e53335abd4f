//! The command line: arguments, inputs, output, exit codes.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the command line is where rplint prints"
)]

/// `eprintln!` that never panics (`eprintln!` does when stderr cannot be written, and a panic
/// aborts): a failed write is remembered and the run exits 2, as a failed write to stdout
/// does. A stderr the reader closed is no failure of the check.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let written = writeln!(std::io::stderr(), $($arg)*);
        $crate::cli::stderr_written(written);
    }};
}

/// [`say!`] without the line break (`eprint!`).
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let written = write!(std::io::stderr(), $($arg)*);
        $crate::cli::stderr_written(written);
    }};
}

mod output;
mod walk;

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use rplint::RunError;
use rplint::config::{self, project::ProjectConfig};
use rplint::host::Language;
use rplint::report::{self, Counts, Reporter as _, human};
use rplint::{Config, Error, Finding, Kind, Route, Skip, Source, rules, schema};

/// Exit codes: the contract scripts and CI depend on.
const CLEAN: u8 = 0;
const FAILED: u8 = 1;
const COULD_NOT_RUN: u8 = 2;

/// Lint RunPod Serverless job requests before they are sent.
#[derive(Debug, Parser)]
#[command(name = "rplint", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check request documents (files, directories, or `-` for stdin).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `unknown-key`.
        rule: String,
    },
    /// List every rule.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print the JSON Schema of a request, or of another kind of RunPod file (for editors and
    /// other validators).
    Schema {
        /// The kind of document whose schema to print.
        #[arg(long, value_parser = kind_parser(), default_value = "request")]
        kind: Kind,
    },
    /// Print a shell's completion script (`rplint completions bash > /etc/bash_completion.d/rplint`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `rplint man > rplint.1 && man ./rplint.1`).
    Man,
    /// Serve editors: the Language Server Protocol over stdin and stdout (diagnostics as you
    /// type, quick fixes, hover documentation). Editors start it; see the README.
    #[cfg(feature = "server")]
    Server,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files or directories to check; directories are searched for `*.json` and host files
    /// (Markdown, shell, Python, JavaScript: see `--hosts`), honouring `.gitignore`, and only
    /// RunPod documents and the bodies in host files are checked. `-` reads stdin. Default:
    /// the current directory.
    paths: Vec<PathBuf>,

    /// Check every file as this kind, whatever its path or content. [default: the kind the
    /// configuration, the path or the content shows; a file named here is a request otherwise]
    #[arg(long, value_parser = kind_parser())]
    kind: Option<Kind>,

    /// Say on stderr which kind each file was checked as, or why it was skipped.
    #[arg(long)]
    show_files: bool,

    /// Skip files named here that are not RunPod documents, as a directory walk does (for
    /// hooks that pass every JSON file of a commit).
    #[arg(long)]
    only_runpod: bool,

    /// Which host files a directory walk reads besides `*.json`, comma-separated: markdown
    /// (`.md`), mdx (`.mdx`), shell (`.sh`, `.bash`, `.zsh`), python (`.py`), javascript
    /// (`.js`, `.mjs`, `.cjs`, `.jsx`), typescript (`.ts`, `.mts`, `.cts`, `.tsx`); `none`
    /// (alone) for JSON only. Files named here are always read. [default: the configuration's
    /// `hosts`, else all of them]
    #[arg(long, value_delimiter = ',', value_parser = host_parser())]
    hosts: Option<Vec<HostChoice>>,

    /// Output format, on stdout. [default: human]
    #[arg(long, value_enum)]
    format: Option<Format>,

    /// Another report of the same run: FORMAT on stdout, or FORMAT=PATH into a file (created
    /// or replaced). Repeat it for several reports (`--output-format human
    /// --output-format sarif=rplint.sarif`); at most one goes to stdout.
    #[arg(long = "output-format", value_name = "FORMAT[=PATH]", value_parser = output_parser)]
    output_format: Vec<(Format, Option<PathBuf>)>,

    /// Exit 0 even when findings fail the check (exit 2 still says rplint could not run), for
    /// jobs that only report.
    #[arg(long)]
    exit_zero: bool,

    /// Apply the safe fixes to the files (written atomically; every other byte kept), then
    /// report what is left. With stdin (`-`), print the fixed text instead of a report.
    #[arg(long)]
    fix: bool,

    /// With `--fix` or `--diff`, apply the unsafe fixes too (they change the request: a
    /// misspelt key renamed, seconds read as milliseconds).
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print, as a unified diff, what `--fix` would change, and change nothing; exit 1 when
    /// something would change.
    #[arg(long)]
    diff: bool,

    /// After the report, print how many findings each rule gave (on stderr).
    #[arg(long)]
    statistics: bool,

    /// The route requests are sent to: sets the size limit (run 10 MB, runsync 20 MB, batch
    /// 10 MiB) and the top-level shape (batch takes an array of requests).
    /// [default: run, or the configuration's]
    #[arg(long, value_enum)]
    route: Option<RouteArg>,

    /// Report only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    select: Option<Vec<String>>,

    /// Do not report these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    ignore: Vec<String>,

    /// Fail (exit 1) when there are more than N warnings.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,

    /// Fail (exit 1) on any warning.
    #[arg(long)]
    deny_warnings: bool,

    /// The name to report for a document read from stdin (`-`); with no path given, stdin is
    /// read. Its path decides the kind, as a file's does.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,

    /// Read the configuration from FILE (an `rplint.toml`, or a `pyproject.toml` with
    /// `[tool.rplint]`) instead of looking for one from the working directory up.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long)]
    no_config: bool,

    /// When to use colours (`NO_COLOR` and `FORCE_COLOR` are honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// `FORMAT` or `FORMAT=PATH`, for `--output-format`.
fn output_parser(text: &str) -> Result<(Format, Option<PathBuf>), String> {
    let (name, path) = match text.split_once('=') {
        Some((name, path)) if !path.is_empty() => (name, Some(PathBuf::from(path))),
        Some((name, _)) => {
            return Err(format!(
                "`{name}=` names no file: write `{name}=PATH`, or `{name}` for stdout"
            ));
        }
        None => (text, None),
    };
    let format = Format::from_str(name, true).map_err(|_| {
        let names: Vec<_> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
            .collect();
        format!(
            "unknown format `{name}`: the formats are {}",
            names.join(", ")
        )
    })?;
    Ok((format, path))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Code frames with the rule, the pointer and help.
    Human,
    /// One line per finding: `file:line:col: severity[rule]: message`.
    Concise,
    /// The JSON report described by `schema/report.schema.json`.
    Json,
    /// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// GitHub Actions annotations (and a step summary when there are more than 10).
    Github,
    /// JUnit XML: one test case per finding, a passing one per clean file.
    Junit,
    /// GitLab's Code Quality report (JSON).
    Gitlab,
    /// reviewdog's Diagnostic Format (rdjson).
    Rdjson,
    /// Azure Pipelines logging commands (`##vso[task.logissue ...]`).
    Azure,
}

impl From<Format> for report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => Self::Human,
            Format::Concise => Self::Concise,
            Format::Json => Self::Json,
            Format::Sarif => Self::Sarif,
            Format::Github => Self::Github,
            Format::Junit => Self::Junit,
            Format::Gitlab => Self::Gitlab,
            Format::Rdjson => Self::Rdjson,
            Format::Azure => Self::Azure,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RouteArg {
    /// `/run`: one request, at most 10,000,000 bytes.
    Run,
    /// `/runsync`: one request, at most 20,000,000 bytes.
    Runsync,
    /// The batch route: an array of requests, at most 10 MiB.
    Batch,
    /// Adding to a draft batch: `{"requests": [...]}`, at most 10 MiB.
    BatchRequests,
}

impl From<RouteArg> for Route {
    fn from(route: RouteArg) -> Self {
        match route {
            RouteArg::Run => Self::Run,
            RouteArg::Runsync => Self::Runsync,
            RouteArg::Batch => Self::Batch,
            RouteArg::BatchRequests => Self::BatchRequests,
        }
    }
}

/// `--kind`: the names of [`Kind::ALL`], each with its summary in `--help`.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = Kind> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        Kind::ALL
            .iter()
            .map(|k| PossibleValue::new(k.name()).help(k.summary())),
    )
    .try_map(|name| Kind::from_name(&name).ok_or(format!("unknown kind `{name}`")))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether a write to stderr failed (a full disk).
static STDERR_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Remember a failed write to stderr ([`say!`]); a reader that closed it is no failure.
pub(crate) fn stderr_written(written: io::Result<()>) {
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        STDERR_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Run the command line; returns the exit code: [`run_command`]'s, or 2 when stderr could not
/// be written.
pub fn run() -> u8 {
    let code = run_command();
    if STDERR_FAILED.load(std::sync::atomic::Ordering::Relaxed) {
        code.max(COULD_NOT_RUN)
    } else {
        code
    }
}

/// Run the command line; returns the exit code.
fn run_command() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // The parser quotes what the user typed: escaped, as every message is.
            let text = e.render().to_string();
            let escaped: Vec<_> = text.split('\n').map(report::sanitize).collect();
            say_raw!("{}", escaped.join("\n"));
            return COULD_NOT_RUN;
        }
        Err(e) => {
            // `--help`, `--version`: a stdout that cannot be written is a failure, as for
            // every other output (`rplint --help > /dev/full`).
            let written = e.print().and_then(|()| io::stdout().flush());
            return match written {
                Ok(()) => CLEAN,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => CLEAN,
                Err(e) => {
                    say!("rplint: cannot write to stdout: {e}");
                    COULD_NOT_RUN
                }
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Rules { format } => list_rules(format),
        Command::Schema { kind } => write_out(schema::schema_text(kind)).map(|()| CLEAN),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "rplint", &mut script);
            write_out(&String::from_utf8_lossy(&script)).map(|()| CLEAN)
        }
        #[cfg(feature = "server")]
        Command::Server => Ok(crate::server::run()),
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .and_then(|()| write_out(&String::from_utf8_lossy(&page)))
                .map(|()| CLEAN)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => CLEAN,
        Err(e) => {
            say!("rplint: {}", report::sanitize(&e.to_string()));
            COULD_NOT_RUN
        }
    }
}

fn write_out(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn explain(id: &str) -> io::Result<u8> {
    let Some(meta) = rules::get(id) else {
        let error = Error::UnknownRule {
            id: id.to_owned(),
            suggestion: rules::suggest(id),
        };
        // `did you mean `x`?` ends a sentence: the list follows as another.
        let said = report::sanitize(&error.to_string()).into_owned();
        let joint = if said.ends_with('?') { " " } else { "; " };
        say!("rplint: {said}{joint}`rplint rules` lists them all");
        return Ok(COULD_NOT_RUN);
    };
    write_out(&format!(
        "{} ({})\n\n{}\n\n{}\n",
        meta.id,
        meta.severities(),
        meta.summary,
        rules::docs_text(meta)
    ))?;
    Ok(CLEAN)
}

fn list_rules(format: ListFormat) -> io::Result<u8> {
    let text = match format {
        ListFormat::Human => {
            let width = rules::all().map(|m| m.id.len()).max().unwrap_or(0);
            rules::all()
                .map(|m| {
                    format!(
                        "{:width$}  {:7}  {}\n",
                        m.id,
                        m.severity.as_str(),
                        m.summary
                    )
                })
                .collect::<String>()
        }
        ListFormat::Json => {
            /// One rule as `rplint rules --format json` lists it, fields in this order.
            #[derive(serde::Serialize)]
            struct Listed<'a> {
                id: &'a str,
                severity: rplint::Severity,
                also: Vec<Also<'a>>,
                summary: &'a str,
                docs: String,
            }
            /// Another severity the rule gives, and when.
            #[derive(serde::Serialize)]
            struct Also<'a> {
                severity: rplint::Severity,
                when: &'a str,
            }
            let list: Vec<_> = rules::all()
                .map(|m| Listed {
                    id: m.id,
                    severity: m.severity,
                    also: (m.also.iter())
                        .map(|&(severity, when)| Also { severity, when })
                        .collect(),
                    summary: m.summary,
                    docs: rules::docs_text(m),
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).map_err(io::Error::other)?;
            text.push('\n');
            text
        }
    };
    write_out(&text)?;
    Ok(CLEAN)
}

/// One thing to check: a file or stdin.
enum Input {
    File(PathBuf),
    /// A file named on the command line and seen as a regular file when looked at once: it
    /// can be opened without another look.
    Regular(PathBuf),
    /// A regular file found by a directory walk: checked only if it is a RunPod document.
    Walked(PathBuf),
    Stdin,
}

fn check(args: &CheckArgs) -> io::Result<u8> {
    if let Some(choices) = &args.hosts
        && choices.len() > 1
        && choices.contains(&HostChoice::None)
    {
        say!("rplint: `--hosts none` stands alone: it means JSON only");
        return Ok(COULD_NOT_RUN);
    }
    let stdin_named = args.paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_named > 1 {
        say!("rplint: stdin (`-`) is named {stdin_named} times; it can be read once");
        return Ok(COULD_NOT_RUN);
    }
    if args.stdin_filename.is_some() && stdin_named == 0 && !args.paths.is_empty() {
        say!(
            "rplint: `--stdin-filename` names the document read from stdin, but stdin is not among the paths: add `-`"
        );
        return Ok(COULD_NOT_RUN);
    }
    let mut settings = match Settings::new(args) {
        Ok(settings) => settings,
        Err(RunError::Config(e)) => {
            say_raw!(
                "rplint: {}",
                report::sanitize(&e.render()).replace("\\u{a}", "\n")
            );
            return Ok(COULD_NOT_RUN);
        }
        Err(e) => {
            say!("rplint: {}", report::sanitize(&e.to_string()));
            return Ok(COULD_NOT_RUN);
        }
    };
    let mut problems: Vec<RunError> = Vec::new();
    let style = human::Style {
        width: terminal_width(),
        color: use_color(args.color),
    };
    let fail_on = report::FailOn {
        deny_warnings: args.deny_warnings,
        max_warnings: args.max_warnings,
    };
    let mut outputs: Vec<(Format, Option<PathBuf>)> =
        args.format.map(|f| (f, None)).into_iter().collect();
    outputs.extend(args.output_format.iter().cloned().map(|(format, path)| {
        // `FORMAT=-` is stdout, as for the inputs.
        (format, path.filter(|p| p.as_os_str() != "-"))
    }));
    if !outputs.iter().any(|(_, path)| path.is_none()) {
        // Reports to files are written besides the terminal's.
        outputs.insert(0, (Format::Human, None));
    }
    if outputs.iter().filter(|(_, path)| path.is_none()).count() > 1 {
        say!(
            "rplint: more than one report goes to stdout: give the others a file (`--output-format FORMAT=PATH`)"
        );
        return Ok(COULD_NOT_RUN);
    }
    let stdout_format = outputs
        .iter()
        .find(|(_, path)| path.is_none())
        .map_or(Format::Human, |(format, _)| *format);
    // A report file is never an input, and never another report's file.
    let mut report_paths: Vec<PathBuf> = Vec::new();
    for (_, path) in &outputs {
        let Some(path) = path else { continue };
        let identity = output::identity(path);
        let shown = report::sanitize(&path.to_string_lossy()).into_owned();
        if report_paths.contains(&identity) {
            say!("rplint: two reports are written to `{shown}`: give each its own file");
            return Ok(COULD_NOT_RUN);
        }
        if args
            .paths
            .iter()
            .any(|p| p.as_os_str() != "-" && output::identity(p) == identity)
        {
            say!(
                "rplint: `{shown}` is both checked and a report's file: the report would replace it; write the report elsewhere"
            );
            return Ok(COULD_NOT_RUN);
        }
        report_paths.push(identity);
    }
    settings.reports = report_paths;
    // `--fix` on stdin: the fixed text is stdout; the reports go only to their files.
    let stdin_fix = args.fix
        && !args.diff
        && (args.paths.iter().any(|p| p.as_os_str() == "-")
            || (args.paths.is_empty() && args.stdin_filename.is_some()));
    let mut sinks = Vec::new();
    let mut report_files: Vec<Option<output::ReportFile>> = Vec::new();
    for (format, path) in outputs {
        if stdin_fix && path.is_none() {
            continue;
        }
        let file = match &path {
            Some(path) => match output::ReportFile::create(path) {
                Ok((file, handle)) => {
                    report_files.push(Some(handle));
                    Some(file)
                }
                Err(source) => {
                    let shown = report::sanitize(&path.to_string_lossy()).into_owned();
                    say!(
                        "rplint: cannot write the {} report to `{shown}`: {source}",
                        format_name(format)
                    );
                    return Ok(COULD_NOT_RUN);
                }
            },
            None => {
                report_files.push(None);
                None
            }
        };
        // A report to a file is for machines: no colour, the full width.
        let style = if file.is_some() {
            human::Style {
                width: 100,
                color: false,
            }
        } else {
            style
        };
        sinks.push((report::reporter(format.into(), style, fail_on), file));
    }
    let mut reporter = report::Fanout::new(sinks);
    // The format on stdout, and how it writes an Azure logging command so the agent does not
    // run it (the azure format's own commands, and GitHub's, are meant).
    let replacement: Option<&'static [u8]> = match stdout_format {
        Format::Json | Format::Sarif | Format::Gitlab | Format::Rdjson => Some(b"#\\u0023vso["),
        Format::Junit => Some(b"#&#35;vso["),
        Format::Human | Format::Concise => Some(b"#\\u{23}vso["),
        Format::Github | Format::Azure => None,
    };
    let stdout = Closable {
        inner: io::stdout().lock(),
        closed: false,
    };
    let stdout: Box<dyn Write> = match replacement {
        Some(replacement) => Box::new(output::CommandSafe::new(stdout, replacement)),
        None => Box::new(stdout),
    };
    let mut out = io::BufWriter::new(stdout);
    let mut counts = Counts::default();
    let mut statistics: Vec<(&'static str, rplint::Severity, usize)> = Vec::new();
    // Files are checked (and their frames drawn) in parallel, a batch at a time, and reported
    // in order; memory holds one batch, whatever the number of files. Directories are walked
    // on a thread of their own, streaming paths to the checkers as they are found.
    let dedupe = args.paths.len() > 1;
    // Fixes applied (or that `--diff` would apply), and unsafe ones left; files `--diff`
    // would change.
    let mut fixes = (0usize, 0usize);
    let mut would_change = 0usize;
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    // The files reported once a host named a body file (which is reported as that body).
    let mut reported: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut run = |inputs: &mut dyn Iterator<Item = Result<Input, RunError>>| -> io::Result<()> {
        let mut parallel = None;
        loop {
            let mut batch = Vec::with_capacity(BATCH);
            for item in &mut *inputs {
                match item {
                    Ok(input) => {
                        // Several paths may name one file (`a.json ./a.json`, `. sub`): it is
                        // checked, and reported, once.
                        let again = match &input {
                            Input::File(p) | Input::Regular(p) | Input::Walked(p)
                                if dedupe || !seen.is_empty() =>
                            {
                                !seen.insert(output::identity(p))
                            }
                            _ => false,
                        };
                        if !again {
                            batch.push(input);
                        }
                    }
                    Err(e) => {
                        not_checked(&mut reporter, &mut counts, &e, &mut out)?;
                        problems.push(e);
                    }
                }
                if batch.len() == BATCH {
                    break;
                }
            }
            if batch.is_empty() {
                return Ok(());
            }
            // A few small files (a pre-commit hook's usual load) are not worth starting
            // threads for; a first batch that is not full holds every file.
            let parallel =
                *parallel.get_or_insert_with(|| batch.len() == BATCH || worth_threads(&batch));
            let one = |input| check_one(input, args, &settings, &reporter);
            let checked: Vec<Result<Option<Checked>, RunError>> = if parallel {
                batch.par_iter().map(one).collect()
            } else {
                batch.iter().map(one).collect()
            };
            // A file a host reads a body from comes right after the host, once.
            let references = checked
                .iter()
                .any(|r| matches!(r, Ok(Some(c)) if !c.referenced.is_empty()));
            // A file checked on its own in this batch is reported as itself (with what `--fix`
            // did to it), not as the body a host reads from it; one that a host of an earlier
            // batch read is not reported again.
            let tracking = references || !reported.is_empty();
            let mut own_now = std::collections::HashSet::new();
            if tracking {
                for c in checked.iter().flatten().flatten() {
                    let identity = output::identity(Path::new(c.source.name()));
                    if reported.insert(identity.clone()) {
                        own_now.insert(identity);
                    }
                }
            }
            let mut expanded = Vec::with_capacity(checked.len());
            for result in checked {
                let mut referenced = Vec::new();
                let result = result.map(|c| {
                    c.map(|mut c| {
                        referenced = std::mem::take(&mut c.referenced);
                        c
                    })
                });
                if tracking
                    && let Ok(Some(c)) = &result
                    && !own_now.contains(&output::identity(Path::new(c.source.name())))
                {
                    // Reported already, as the body a host in an earlier batch reads.
                    if let Some(fixed) = c.fixed.as_ref().filter(|f| f.applied > 0) {
                        fixes.0 += fixed.applied;
                        say!(
                            "rplint: {}: {} {} applied after it was reported above as the body a host reads",
                            report::sanitize(c.source.name()),
                            fixed.applied,
                            if fixed.applied == 1 { "fix" } else { "fixes" }
                        );
                    }
                    continue;
                }
                expanded.push(result);
                for r in referenced {
                    let identity = output::identity(Path::new(r.source.name()));
                    seen.insert(identity.clone());
                    if reported.insert(identity) {
                        expanded.push(Ok(Some(r)));
                    }
                }
            }
            let checked = expanded;
            for result in checked {
                match result {
                    Ok(Some(c)) => {
                        if args.show_files {
                            let shown = report::sanitize(c.source.name());
                            match &c.verdict {
                                Ok(kind) => say!("checked {shown} as {kind}"),
                                Err(skip) => say!("skipped {shown}: {}", skip.reason()),
                            }
                            for line in &c.inside {
                                say!("  {line}");
                            }
                        }
                        if c.verdict.is_err() {
                            counts.skipped += 1;
                            continue;
                        }
                        if let Some(fixed) = &c.fixed {
                            fixes.0 += fixed.applied;
                            fixes.1 += fixed.unsafe_left;
                            if let Some(problem) = &fixed.problem {
                                say!("rplint: {}: {problem}", report::sanitize(c.source.name()));
                            }
                            if args.diff {
                                // Only the diffs go to stdout.
                                if let Some(diff) =
                                    fixed.diff.as_deref().filter(|_| fixed.applied > 0)
                                {
                                    out.write_all(diff.as_bytes())?;
                                    would_change += 1;
                                }
                                continue;
                            }
                        }
                        if args.diff {
                            continue;
                        }
                        if stdin_fix && c.from_stdin {
                            // `--fix` on stdin: the text, fixed, is the output.
                            let text = c
                                .fixed
                                .as_ref()
                                .and_then(|f| f.text.as_deref())
                                .unwrap_or(c.source.text());
                            out.write_all(text.as_bytes())?;
                            // The exit code, and the report files, say what is left.
                            counts.add(&c.findings);
                            tally(&mut statistics, &c.findings);
                            reporter.file_prepared(&c.source, &c.findings, c.prepared, &mut out)?;
                            continue;
                        }
                        counts.add(&c.findings);
                        tally(&mut statistics, &c.findings);
                        reporter.file_time(c.elapsed);
                        reporter.file_prepared(&c.source, &c.findings, c.prepared, &mut out)?;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        not_checked(&mut reporter, &mut counts, &e, &mut out)?;
                        problems.push(e);
                    }
                }
            }
        }
    };
    let stdin = [PathBuf::from("-")];
    let here = [PathBuf::from(".")];
    let paths: &[PathBuf] = if args.paths.is_empty() && args.stdin_filename.is_some() {
        // `--stdin-filename` alone means "check stdin", as editors call it.
        &stdin
    } else if args.paths.is_empty() {
        &here
    } else {
        &args.paths
    };
    let hosts = settings.hosts();
    // Each path is looked at once: a few here; many, or a directory among them, on a thread of
    // their own that streams what it finds to the checkers.
    let looked: Option<Vec<Named>> =
        (paths.len() < BATCH).then(|| paths.iter().map(|p| look(p)).collect());
    match looked {
        Some(named) if !named.iter().any(|n| matches!(n, Named::Dir(..))) => {
            let mut inputs = Vec::new();
            collect_inputs(named, &hosts, &mut |item| {
                inputs.push(item);
                true
            });
            run(&mut inputs.into_iter())?;
        }
        looked => {
            let (sender, receiver) = std::sync::mpsc::sync_channel(BATCH * 4);
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    // Stops when the receiver is gone (the run ended early, such as on a
                    // broken pipe).
                    let mut emit = |item| sender.send(item).is_ok();
                    match looked {
                        Some(named) => collect_inputs(named, &hosts, &mut emit),
                        None => {
                            collect_inputs(paths.iter().map(|p| look(p)), &hosts, &mut emit);
                        }
                    }
                });
                run(&mut receiver.into_iter())
            })?;
        }
    }
    if let Some(project) = &settings.project {
        let (source, findings) = project.unused_suppressions();
        let config = settings.config_for(Path::new(project.path()));
        let findings: Vec<Finding> = findings
            .into_iter()
            .filter(|f| config.enabled(f.rule))
            .collect();
        if !findings.is_empty() {
            counts.add_findings(&findings);
            tally(&mut statistics, &findings);
            reporter.file(source, &findings, &mut out)?;
        }
    }
    if !args.diff {
        reporter.finish(&counts, &mut out)?;
    }
    out.flush()?;
    drop(out);
    for (index, source) in reporter.file_errors() {
        if let Some(handle) = report_files.get_mut(index).and_then(Option::take) {
            problems.push(RunError::Write {
                path: handle.target.clone(),
                source,
            });
        }
    }
    for handle in report_files.into_iter().flatten() {
        let target = handle.target.clone();
        if let Err(source) = handle.commit() {
            problems.push(RunError::Write {
                path: target,
                source,
            });
        }
    }
    if let Some(summary) = reporter.step_summary() {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut file| file.write_all(summary.as_bytes()));
            if let Err(source) = appended {
                // The summary is a convenience: the annotations and reports stand without it.
                say!(
                    "rplint: cannot append the step summary to `{}`: {source}",
                    report::sanitize(&path.to_string_lossy())
                );
            }
        }
    }
    for problem in &problems {
        say!("rplint: {}", report::sanitize(&problem.to_string()));
    }
    if args.fix || args.diff {
        let verb = if args.diff { "would apply" } else { "applied" };
        let fix_count = |n: usize| {
            if n == 1 {
                "1 fix".to_owned()
            } else {
                format!("{n} fixes")
            }
        };
        let more = if fixes.1 > 0 {
            format!(" ({} more with `--unsafe-fixes`)", fixes.1)
        } else {
            String::new()
        };
        say!("rplint: {verb} {}{more}", fix_count(fixes.0));
    }
    if args.diff {
        return Ok(if !problems.is_empty() {
            COULD_NOT_RUN
        } else if would_change > 0 {
            FAILED
        } else {
            CLEAN
        });
    }
    let too_many_warnings = fail_on.warnings_fail(counts.warnings);
    if too_many_warnings && counts.errors == 0 {
        // Say why the run fails when no finding is an error.
        let warnings = report::plural(counts.warnings, "warning");
        let verdict = if args.exit_zero {
            "the check would fail (`--exit-zero`: exit 0)"
        } else {
            "the check fails"
        };
        match args.max_warnings {
            Some(max) if counts.warnings > max => {
                say!("rplint: {warnings}, more than `--max-warnings {max}` allows: {verdict}")
            }
            _ => {
                say!("rplint: {warnings}, and `--deny-warnings` fails on any: {verdict}")
            }
        }
    }
    if args.statistics {
        for (rule, severity, n) in &statistics {
            say!("{n:>6}  {:<7}  {rule}", severity.as_str());
        }
    }
    Ok(if !problems.is_empty() {
        COULD_NOT_RUN
    } else if (counts.errors > 0 || too_many_warnings) && !args.exit_zero {
        FAILED
    } else {
        CLEAN
    })
}

/// Tell the reports about a file or directory that could not be checked.
fn not_checked(
    reporter: &mut report::Fanout,
    counts: &mut Counts,
    error: &RunError,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(path) = error.path() else {
        return Ok(());
    };
    counts.not_checked += 1;
    let path = report::sanitize(&rplint::secrets::shown_path(path)).into_owned();
    reporter.not_checked(&path, &report::sanitize(&error.to_string()), out)
}

/// Standard output that may be closed by its reader (`rplint check ... | head -1`): writes
/// after that are dropped, so the run goes on and its exit code still says whether the check
/// failed.
struct Closable<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Write for Closable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Add `findings` to the per-rule counts of `--statistics` (rule, severity, count), kept
/// sorted by rule.
fn tally(statistics: &mut Vec<(&'static str, rplint::Severity, usize)>, findings: &[Finding]) {
    for f in findings {
        match statistics
            .binary_search_by(|(rule, severity, _)| (*rule, *severity).cmp(&(f.rule, f.severity)))
        {
            Ok(i) => statistics[i].2 += 1,
            Err(i) => statistics.insert(i, (f.rule, f.severity, 1)),
        }
    }
}

/// The name `--format` gives `format`.
fn format_name(format: Format) -> String {
    format
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_owned())
}

/// Files larger than this are not read: they are reported as too large for every route.
const MAX_READ: u64 = 64 * 1024 * 1024;

/// Runs with fewer files than this check them on the main thread, unless they are large.
const PARALLEL_FROM: usize = 8;

/// Few files holding at least this many bytes in all are still checked in parallel.
const PARALLEL_BYTES: u64 = 1 << 20;

/// Whether checking `inputs` on several threads pays for starting them.
fn worth_threads(inputs: &[Input]) -> bool {
    if inputs.len() >= PARALLEL_FROM {
        return true;
    }
    let bytes: u64 = inputs
        .iter()
        .map(|input| match input {
            Input::File(path) | Input::Regular(path) | Input::Walked(path) => {
                std::fs::metadata(path).map_or(0, |m| m.len())
            }
            Input::Stdin => 0,
        })
        .sum();
    inputs.len() > 1 && bytes >= PARALLEL_BYTES
}

/// Files checked in parallel before their results are reported in order.
const BATCH: usize = 64;

/// One file's results.
struct Checked {
    source: Source,
    findings: Vec<Finding>,
    prepared: Option<String>,
    /// The kind it was checked as (for a host file, its language), or why it was skipped.
    verdict: Result<String, Skip>,
    /// For a host file: one line per place that holds or could hold a body, for
    /// `--show-files`.
    inside: Vec<String>,
    /// How long reading and checking it took.
    elapsed: std::time::Duration,
    /// The files a host reads bodies from (`curl -d @body.json`), checked as those bodies.
    referenced: Vec<Checked>,
    /// What `--fix` or `--diff` did with the file.
    fixed: Option<Fixed>,
    /// Whether it was read from stdin.
    from_stdin: bool,
}

/// The fixes of one file.
struct Fixed {
    /// How many fixes were applied (or would be, with `--diff`).
    applied: usize,
    /// How many more `--unsafe-fixes` would apply.
    unsafe_left: usize,
    /// The unified diff (`--diff`), secrets masked.
    diff: Option<String>,
    /// The fixed text, for stdin with `--fix`.
    text: Option<String>,
    /// Why the fixes were not applied (they would not parse), or the file not written.
    problem: Option<String>,
}

/// Read and check one input; `None` when the configuration excludes it.
fn check_one(
    input: &Input,
    args: &CheckArgs,
    settings: &Settings,
    reporter: &dyn report::Reporter,
) -> Result<Option<Checked>, RunError> {
    let path = match input {
        Input::File(path) | Input::Regular(path) | Input::Walked(path) => path.clone(),
        Input::Stdin => PathBuf::from(args.stdin_filename.as_deref().unwrap_or("<stdin>")),
    };
    if settings.is_excluded(&path) {
        if args.show_files {
            say!(
                "skipped {}: excluded by the configuration file's `exclude`",
                report::sanitize(&path.to_string_lossy())
            );
        }
        return Ok(None);
    }
    if settings.is_report(&path) {
        if args.show_files {
            say!(
                "skipped {}: it is one of this run's reports",
                report::sanitize(&path.to_string_lossy())
            );
        }
        return Ok(None);
    }
    let walked = matches!(input, Input::Walked(_)) || args.only_runpod;
    let started = std::time::Instant::now();
    let mut source = read(input, args.stdin_filename.as_deref())?;
    let config = settings.config_for(&path);
    let mut outcome = rplint::pipeline::check_file(&source, &config, Some(&path), walked);
    let mut fixed = None;
    // Fixes apply to a JSON document checked as a kind, read whole.
    let fixable = (args.fix || args.diff)
        && outcome.host.is_none()
        && outcome.kind.is_some()
        && !source.is_unread();
    if fixable
        && source.invalid_utf8_count() > 0
        && outcome.findings.iter().any(|f| f.fix.is_some())
    {
        // Its bytes that are not UTF-8 would not survive a rewrite.
        fixed = Some(Fixed {
            applied: 0,
            unsafe_left: 0,
            diff: None,
            text: None,
            problem: Some("it is not valid UTF-8: its fixes are not applied".to_owned()),
        });
    } else if fixable && source.invalid_utf8_count() == 0 {
        let (mut result, after) =
            fix_file(&source, &outcome.findings, &config, &path, walked, args);
        if let Some(after) = after
            && let Some(text) = result.text.clone()
            && args.fix
            && !args.diff
        {
            // Write it (a file), and report what is left in the fixed text.
            let stdin = matches!(input, Input::Stdin);
            let written = if stdin {
                Ok(())
            } else {
                write_atomically(&path, &text)
            };
            match written {
                Ok(()) => {
                    let name = source.name().to_owned();
                    source = Source::new(name, text);
                    outcome = after;
                }
                Err(e) => {
                    result.problem = Some(format!("could not write the fixes: {e}"));
                    result.applied = 0;
                }
            }
        }
        fixed = Some(result);
    }
    source.mask_name();
    let verdict = match (&outcome.host, outcome.kind, outcome.skipped) {
        (Some(host), ..) => Ok(host.language.name().to_owned()),
        (None, Some(kind), _) => Ok(kind.name().to_owned()),
        (None, None, skip) => Err(skip.unwrap_or(Skip::NotRunpod)),
    };
    let inside = outcome.host.as_ref().map_or_else(Vec::new, |host| {
        host.found
            .iter()
            .map(|(holder, span, verdict)| {
                let at = source.position(span.start);
                let holder = report::sanitize(&source.scrub(holder)).into_owned();
                match verdict {
                    Ok(kind) => format!("{}:{}: {holder} checked as {kind}", at.line, at.column),
                    Err(why) => format!(
                        "{}:{}: {holder} not checked: {}",
                        at.line,
                        at.column,
                        report::sanitize(&source.scrub(why))
                    ),
                }
            })
            .collect()
    });
    if let Some(project) = &settings.project {
        project.mark_used(&outcome.suppressed);
    }
    let referenced = outcome.host.as_ref().map_or_else(Vec::new, |host| {
        host.references
            .iter()
            .filter_map(|r| check_reference(r, &path, settings, reporter))
            .collect()
    });
    let findings = outcome.findings;
    let prepared = reporter.prepare(&source, &findings);
    Ok(Some(Checked {
        source,
        findings,
        prepared,
        verdict,
        inside,
        elapsed: started.elapsed(),
        referenced,
        fixed,
        from_stdin: matches!(input, Input::Stdin),
    }))
}

/// Apply the fixes of `findings` to `source` in passes (each re-checks the text: fixes that
/// overlapped may apply next), at most 10. The fixed text is kept only when it parses if the
/// original did. Returns what was done, and the check of the fixed text.
fn fix_file(
    source: &Source,
    findings: &[Finding],
    config: &rplint::Config,
    path: &Path,
    walked: bool,
    args: &CheckArgs,
) -> (Fixed, Option<rplint::pipeline::Outcome>) {
    let rounds = rplint::fix::rounds(
        source.text(),
        findings,
        args.unsafe_fixes,
        true,
        |text| {
            let checked = Source::new(source.name(), text);
            let outcome = rplint::pipeline::check_file(&checked, config, Some(path), walked);
            (checked, outcome)
        },
        |(_, outcome)| &outcome.findings,
    );
    let text = rounds.text;
    let mut fixed = Fixed {
        applied: rounds.applied,
        unsafe_left: rounds.unsafe_left,
        diff: None,
        text: None,
        problem: None,
    };
    let Some((checked, outcome)) = rounds.after else {
        return (fixed, None);
    };
    if rounds.breaks_json {
        fixed.problem =
            Some("its fixes would leave it without valid JSON: left as it was".to_owned());
        fixed.applied = 0;
        return (fixed, None);
    }
    if rounds.outgrows_route {
        fixed.problem = Some(
            "its fixes would make it larger than its route accepts: left as it was".to_owned(),
        );
        fixed.applied = 0;
        return (fixed, None);
    }
    if args.diff {
        // Both sides as frames show them: secrets masked.
        let before = source.shown_text();
        let after_text = checked.shown_text();
        // And what the fixes left of the original's secrets under other names.
        let after_text = source.mask_own_secrets(&after_text);
        // The name as every report shows it: a secret in it masked.
        let name = report::sanitize(&source.shown_name()).into_owned();
        fixed.diff = Some(
            similar::TextDiff::from_lines(before.as_ref(), after_text.as_ref())
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    fixed.text = Some(text);
    (fixed, Some(outcome))
}

/// Replace the file `path` names (through links: the link stays) with `text`, atomically: a
/// new file beside it, created readable by its owner only, given the file's owner and
/// permissions, synced and renamed over it. Refused, with nothing written, for what is not a
/// regular file, a read-only file, a file with other hard links (a new file would part from
/// them), and a file this user cannot write.
fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let refuse = |why: &str| io::Error::other(why.to_owned());
    // A link is followed: the file it names is the one fixed, and the link stays a link.
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(refuse("it is not a regular file"));
    }
    if meta.permissions().readonly() {
        return Err(refuse("it is read-only"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(refuse(
                "it has other hard links, which a new file in its place would part from it",
            ));
        }
    }
    // Writable by this user, as an edit in place would need (opening changes nothing).
    std::fs::OpenOptions::new().write(true).open(&target)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "fixed".into(), |n| n.to_string_lossy().into_owned());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        // Nobody else can read the new text before it has the file's own permissions.
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let temp = dir.join(format!(".{name}.{}.rplint-fix", std::process::id()));
    let mut file = options.open(&temp)?;
    let written = (|| {
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // The owner stays the file's (for a superuser fixing another user's file).
            if std::os::unix::fs::chown(&temp, Some(meta.uid()), Some(meta.gid())).is_err()
                && std::fs::metadata(&temp)?.uid() != meta.uid()
            {
                return Err(refuse("its owner could not be kept"));
            }
        }
        std::fs::set_permissions(&temp, meta.permissions())?;
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// The file a host's `curl -d @name` reads, checked as the body curl sends: found next to the
/// host, else from the working directory (where a README's commands run); `None` when it is
/// neither, or cannot be read (the host's `--show-files` says where the body comes from).
fn check_reference(
    reference: &rplint::host::Reference,
    host: &Path,
    settings: &Settings,
    reporter: &dyn report::Reporter,
) -> Option<Checked> {
    let name = Path::new(&reference.name);
    let beside = host.parent().map(|dir| dir.join(name));
    let path = beside
        .filter(|p| p.is_file())
        .or_else(|| name.is_file().then(|| name.to_path_buf()))?;
    if settings.is_excluded(&path) || settings.is_report(&path) {
        return None;
    }
    let started = std::time::Instant::now();
    let mut source = read(&Input::File(path.clone()), None).ok()?;
    let outcome = rplint::pipeline::check_referenced(
        &source,
        &settings.config_for(&path),
        reference.kind,
        reference.route,
        reference.strip_newlines,
    );
    source.mask_name();
    let findings = outcome.findings;
    let prepared = reporter.prepare(&source, &findings);
    Some(Checked {
        source,
        findings,
        prepared,
        verdict: Ok(format!("{} (the body of a `curl` command)", reference.kind)),
        inside: Vec::new(),
        elapsed: started.elapsed(),
        referenced: Vec::new(),
        fixed: None,
        from_stdin: false,
    })
}

/// A value of `--hosts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostChoice {
    Host(Language),
    None,
}

fn host_parser() -> impl clap::builder::TypedValueParser<Value = HostChoice> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = Language::ALL
        .iter()
        .map(|l| l.name())
        .chain(["none"])
        .collect();
    clap::builder::PossibleValuesParser::new(names)
        .map(|name: String| Language::from_name(&name).map_or(HostChoice::None, HostChoice::Host))
}

/// The configuration file (if any) and the command line's settings on top of it.
struct Settings {
    project: Option<ProjectConfig>,
    hosts: Option<Vec<Language>>,
    /// The run's report files (as [`output::identity`] gives them): never checked.
    reports: Vec<PathBuf>,
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
    route: Option<Route>,
    kind: Option<Kind>,
}

impl Settings {
    fn new(args: &CheckArgs) -> Result<Self, RunError> {
        let project = if args.no_config {
            None
        } else if let Some(path) = &args.config {
            Some(ProjectConfig::load(path)?)
        } else {
            ProjectConfig::discover(&std::env::current_dir().unwrap_or_default())?
        };
        let select = args.select.as_deref().map(config::validate).transpose()?;
        let ignore = config::validate(&args.ignore)?;
        let hosts = args.hosts.as_ref().map(|choices| {
            choices
                .iter()
                .filter_map(|c| match c {
                    HostChoice::Host(language) => Some(*language),
                    HostChoice::None => None,
                })
                .collect()
        });
        Ok(Self {
            project,
            hosts,
            reports: Vec::new(),
            select,
            ignore,
            route: args.route.map(Route::from),
            kind: args.kind,
        })
    }

    /// The host languages a walk reads: the command line's, else the configuration's, else
    /// every one this build reads.
    fn hosts(&self) -> Vec<Language> {
        let chosen = self
            .hosts
            .clone()
            .or_else(|| {
                self.project
                    .as_ref()
                    .and_then(|p| p.hosts().map(<[_]>::to_vec))
            })
            .unwrap_or_else(|| Language::ALL.to_vec());
        chosen.into_iter().filter(|l| l.is_available()).collect()
    }

    /// Whether `path` is one of the run's report files (a walk meets the previous run's).
    fn is_report(&self, path: &Path) -> bool {
        !self.reports.is_empty()
            && self
                .reports
                .iter()
                .any(|r| r.file_name() == path.file_name())
            && self.reports.contains(&output::identity(path))
    }

    fn is_excluded(&self, path: &Path) -> bool {
        self.project.as_ref().is_some_and(|p| p.is_excluded(path))
    }

    /// The configuration file's settings for `path`, then the command line's.
    fn config_for(&self, path: &Path) -> Config {
        let mut config = self
            .project
            .as_ref()
            .map_or_else(Config::default, |p| p.config_for(path));
        if let Some(select) = &self.select {
            config = config.with_select(select.clone());
        }
        config = config.with_ignored(&self.ignore);
        if let Some(route) = self.route {
            config = config.with_route(route);
        }
        if let Some(kind) = self.kind {
            config = config.with_kind(kind);
        }
        config
    }
}

/// A path named on the command line, looked at once.
enum Named<'p> {
    /// A directory, and its size as `stat` said (which decides how it is walked).
    Dir(&'p Path, u64),
    Input(Input),
}

fn look(path: &Path) -> Named<'_> {
    if path.as_os_str() == "-" {
        return Named::Input(Input::Stdin);
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Named::Dir(path, meta.len()),
        Ok(meta) if meta.is_file() => Named::Input(Input::Regular(path.to_path_buf())),
        // `read` says what it is, or why it cannot be looked at.
        _ => Named::Input(Input::File(path.to_path_buf())),
    }
}

/// Expand the named paths into files (and what cannot be walked), in order, until `emit`
/// says stop.
fn collect_inputs<'p>(
    named: impl IntoIterator<Item = Named<'p>>,
    hosts: &[Language],
    emit: &mut walk::Emit,
) {
    let walker = walk::Walker::with_hosts(hosts);
    for named in named {
        let more = match named {
            Named::Dir(dir, size) => walker.walk_sized(dir, size, emit),
            Named::Input(input) => emit(Ok(input)),
        };
        if !more {
            return;
        }
    }
}

fn read(input: &Input, stdin_name: Option<&str>) -> Result<Source, RunError> {
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .take(MAX_READ + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| RunError::Read {
                    path: PathBuf::from("-"),
                    source,
                })?;
            let name = stdin_name.unwrap_or("<stdin>");
            if bytes.len() as u64 > MAX_READ {
                // The rest is not read: stdin may never end (`< /dev/zero`).
                return Ok(Source::unread_at_least(name, bytes.len()));
            }
            Ok(Source::from_bytes(name, bytes))
        }
        Input::File(path) | Input::Regular(path) | Input::Walked(path) => {
            let read_error = |source| RunError::Read {
                path: path.clone(),
                source,
            };
            // Opening a FIFO would wait for a writer: a path of unknown kind is looked at first.
            if let Input::File(_) = input {
                let meta = std::fs::metadata(path).map_err(read_error)?;
                if !meta.is_file() {
                    return Err(not_a_file(path, &meta));
                }
            }
            let file = open_nonblocking(path).map_err(read_error)?;
            let meta = file.metadata().map_err(read_error)?;
            if !meta.is_file() {
                return Err(not_a_file(path, &meta));
            }
            if meta.len() > MAX_READ {
                return Ok(Source::unread(display_path(path), meta.len() as usize));
            }
            let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
            // Through `take`, `read_to_end` does not ask the file's size and position again (two
            // system calls per file), and a file that grew since it was looked at stays bounded.
            file.take(MAX_READ + 1)
                .read_to_end(&mut bytes)
                .map_err(read_error)?;
            if bytes.len() as u64 > MAX_READ {
                return Ok(Source::unread(display_path(path), bytes.len()));
            }
            Ok(Source::from_bytes(display_path(path), bytes))
        }
    }
}

/// Open `path` for reading without waiting: a FIFO (a file swapped for one after it was looked
/// at) opens at once, and its metadata then says what it is.
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> RunError {
    RunError::NotAFile {
        path: path.to_path_buf(),
        reason: if meta.is_dir() {
            "it is a directory".into()
        } else {
            "it is not a regular file (a FIFO, socket or device)".into()
        },
    }
}

/// Paths as the user wrote them, without a leading `./`.
fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_owned()
}

fn terminal_width() -> usize {
    if let Some(width) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return width;
    }
    terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            if set("NO_COLOR") {
                false
            } else if set("FORCE_COLOR") {
                true
            } else {
                io::stdout().is_terminal()
            }
        }
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// A file that a walk saw as a regular file and that is a FIFO by the time it is read (a
    /// swap between the two) is reported, not waited on.
    #[test]
    fn a_file_swapped_for_a_fifo_is_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("swapped.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let (done, wait) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = done.send(read(&Input::Walked(path), None).is_err());
        });
        let refused = wait
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the read blocked on the FIFO");
        assert!(refused);
    }
}
