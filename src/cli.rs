//! Subcommand bodies: parse the arguments, call the library, render what it
//! returns, pick the exit code. Nothing here decides whether a rule file or
//! a set of versions is valid; that is `taxa::check`.
//!
//! Exit codes: 0 ok, 1 rule errors, 2 data errors, 3 for a problem with the
//! command line or files, including output that cannot be written (clap
//! itself uses 2 for usage errors it detects); 130 and 143 when SIGINT or
//! SIGTERM interrupts writing `--out` (see [`output`]). A closed pipe on
//! standard output is not an error.

pub mod diff;
pub mod explain;
mod output;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::Report;

use taxa::check::{self, LoadError, LoadErrorKind, Loaded};
use taxa::data::DataDir;
use taxa::eval::{self, Period, PeriodError};
use taxa::report;

pub const EXIT_RULES: u8 = 1;
pub const EXIT_DATA: u8 = 2;
pub const EXIT_USAGE: u8 = 3;

/// `taxa pay`'s arguments as clap parses them; [`PayArgs::resolve`] checks
/// what clap cannot.
#[derive(clap::Args)]
pub struct PayArgs {
    /// The rule file (`.taxa`); several versions of one contract pay each
    /// month by the version valid then.
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
    /// Folder with visits.csv, customers.csv, events.csv, providers.csv.
    #[arg(long)]
    pub data: PathBuf,
    /// Month or range of months to pay: `2025-03` or `2025-01..2025-03`.
    // A string, parsed in `resolve` rather than by a clap value parser: a bad
    // period is reported in taxa's words and exits 3, as a bad `--data` does,
    // not in clap's words with clap's 2.
    #[arg(long)]
    pub period: Option<String>,
    /// Output format; text on a terminal, json otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// CSV for Swedish Excel: `;`, decimal commas, a byte order mark
    /// (implies --format csv).
    #[arg(long)]
    pub excel: bool,
    /// Write to this file instead of standard output.
    #[arg(long, conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,
    /// Only this provider's statements, not-paid rows and counts: what the
    /// provider may be sent.
    #[arg(long)]
    pub provider: Option<String>,
    /// Write one file per provider into this folder (created if missing),
    /// each holding only that provider's rows: `P1.json`, `P2.json`, …
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// List unreadable rows as not paid (with file, line, column and text)
    /// instead of stopping the run.
    #[arg(long)]
    pub lenient: bool,
    /// The language of the statement's words: Swedish (the default) or
    /// English. The rule file's own words are printed as written; JSON
    /// field names and codes are the same in both.
    #[arg(long, value_enum, default_value = "sv")]
    pub lang: LangArg,
}

/// `--lang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    Sv,
    En,
}

impl LangArg {
    pub fn lang(self) -> report::Lang {
        match self {
            LangArg::Sv => report::Lang::Sv,
            LangArg::En => report::Lang::En,
        }
    }
}

/// `--format`. The variants have no doc comments on purpose: clap would
/// show them as a list of descriptions in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
    Html,
}

/// `taxa pay`'s arguments, resolved: the period parsed, the data folder
/// known to be a folder, the format chosen.
pub struct Pay {
    pub rules: Vec<PathBuf>,
    pub data: PathBuf,
    pub period: Option<Period>,
    pub format: Format,
    pub excel: bool,
    pub out: Option<output::OutPath>,
    pub provider: Option<String>,
    pub out_dir: Option<PathBuf>,
    pub lenient: bool,
    pub lang: report::Lang,
}

/// The files a data folder holds, as `taxa::data` reads them
/// (data-format.md); `--out` must not be one of them.
const DATA_FILES: [&str; 4] = ["visits.csv", "customers.csv", "events.csv", "providers.csv"];

/// An argument clap accepted but taxa cannot use (exit 3).
#[derive(Debug)]
pub enum UsageError {
    /// `--period` is neither `YYYY-MM` nor `YYYY-MM..YYYY-MM`, or its range
    /// runs backwards.
    Period(String, PeriodError),
    /// `--data` is not a folder (missing, or a file).
    DataNotFolder(PathBuf),
    /// `--out` is a rule file or data file of this run (by path, through a
    /// symlink or as a hard link); writing it would destroy the input.
    OutIsInput { out: PathBuf, input: PathBuf },
    /// `--out` is a file without write permission bits; someone protected it.
    OutReadOnly(PathBuf),
    /// `--out` is a folder.
    OutFolder(PathBuf),
    /// `--out` cannot be looked at (its folder is missing, a symlink loop…).
    OutUnusable(PathBuf, std::io::Error),
    /// `--excel` with a format other than CSV.
    ExcelNotCsv,
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsageError::Period(p, PeriodError::Shape) => write!(
                f,
                "--period must be YYYY-MM or YYYY-MM..YYYY-MM (got `{p}`)"
            ),
            UsageError::Period(p, PeriodError::Reversed { from, to }) => write!(
                f,
                "--period {p} runs backwards: {from} is after {to}; write {to}..{from}"
            ),
            UsageError::DataNotFolder(d) => write!(f, "--data {} is not a folder", d.display()),
            UsageError::OutIsInput { out, input } if out == input => write!(
                f,
                "--out {} is an input of this run; choose another file",
                out.display()
            ),
            UsageError::OutIsInput { out, input } => write!(
                f,
                "--out {} would overwrite {}, an input of this run; choose another file",
                out.display(),
                input.display()
            ),
            UsageError::OutReadOnly(o) => write!(
                f,
                "--out {} is read-only; taxa does not replace a read-only file \
                 (make it writable or choose another file)",
                o.display()
            ),
            UsageError::OutFolder(o) => write!(f, "--out {} is a folder, not a file", o.display()),
            UsageError::OutUnusable(o, e) => write!(f, "cannot write {}: {e}", o.display()),
            UsageError::ExcelNotCsv => write!(
                f,
                "--excel writes CSV for Excel; use it with --format csv (or alone)"
            ),
        }
    }
}

impl PayArgs {
    /// Checks the period first, then the folder, then `--out`, as they are
    /// reported in that order; all before any file is read.
    pub fn resolve(self) -> Result<Pay, UsageError> {
        let period = match self.period {
            None => None,
            Some(p) => Some(Period::parse(&p).map_err(|e| UsageError::Period(p, e))?),
        };
        if !self.data.is_dir() {
            return Err(UsageError::DataNotFolder(self.data));
        }
        // Text on a terminal, JSON when piped or written to a file.
        let format = match (self.format, self.excel) {
            (None, true) => Format::Csv,
            (Some(f), _) => f,
            (None, false)
                if self.out.is_some()
                    || self.out_dir.is_some()
                    || !std::io::stdout().is_terminal() =>
            {
                Format::Json
            }
            (None, false) => Format::Text,
        };
        if self.excel && format != Format::Csv {
            return Err(UsageError::ExcelNotCsv);
        }
        let out = match self.out {
            None => None,
            Some(out) => {
                let inputs: Vec<PathBuf> = (self.rules.iter().cloned())
                    .chain(DATA_FILES.iter().map(|f| self.data.join(f)))
                    .collect();
                Some(output::OutPath::resolve(out, &inputs)?)
            }
        };
        Ok(Pay {
            rules: self.rules,
            data: self.data,
            period,
            format,
            excel: self.excel,
            out,
            provider: self.provider,
            out_dir: self.out_dir,
            lenient: self.lenient,
            lang: self.lang.lang(),
        })
    }
}

/// Loads one rule file, printing its warnings, or its errors and a summary
/// line; the exit code on failure.
fn load(path: &Path) -> Result<Loaded, u8> {
    match check::load_file(path) {
        Ok(loaded) => {
            for w in loaded.warning_reports() {
                eprintln!("{w:?}");
            }
            Ok(loaded)
        }
        Err(err) => Err(render_load_error(&err)),
    }
}

/// Prints a load error: an unreadable file in one line; otherwise each
/// diagnostic with the file's text, then [`summary`].
fn render_load_error(err: &LoadError) -> u8 {
    let Some(summary) = summary(err) else {
        eprintln!("error: {err}");
        return EXIT_USAGE;
    };
    for r in err.reports() {
        eprintln!("{r:?}");
    }
    eprintln!("{summary}");
    EXIT_RULES
}

/// The line after a failed file's diagnostics: `FILE: N syntax errors` or
/// `FILE: N errors, M warnings`; none for an unreadable file.
fn summary(err: &LoadError) -> Option<String> {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let file = err.file();
    match &err.kind {
        LoadErrorKind::Read(_) => None,
        LoadErrorKind::Syntax(errors) => {
            let n = errors.len();
            Some(format!("{file}: {n} syntax error{}", plural(n)))
        }
        LoadErrorKind::Check(errors) => {
            let n = errors.iter().filter(|e| !e.warning).count();
            let warnings = match errors.len() - n {
                0 => String::new(),
                w => format!(", {w} warning{}", plural(w)),
            };
            Some(format!("{file}: {n} error{}{warnings}", plural(n)))
        }
    }
}

pub fn check(rules: &[PathBuf]) -> ExitCode {
    let mut worst = 0u8;
    // Once a line cannot be written, no more are tried; every file is still
    // checked, as its diagnostics (on stderr) and the exit code matter more
    // than the ok lines. A closed pipe changes neither.
    let mut stdout = Some(std::io::stdout().lock());
    for r in rules {
        match load(r) {
            Ok(Loaded { contract: c, .. }) => {
                let Some(out) = stdout.as_mut() else {
                    continue;
                };
                let line = writeln!(
                    out,
                    "{}: ok — {} ({} – {}), {} terms",
                    r.display(),
                    c.name,
                    c.valid_from,
                    c.valid_to,
                    c.terms.len()
                );
                if let Err(e) = line.and_then(|()| out.flush()) {
                    worst = worst.max(write_failed(&output::WriteError::new("standard output", e)));
                    stdout = None;
                }
            }
            Err(code) => worst = worst.max(code),
        }
    }
    ExitCode::from(worst)
}

/// Prints a failed write and gives its exit code: none for a closed pipe.
fn write_failed(e: &output::WriteError) -> u8 {
    match e {
        output::WriteError::Closed => 0,
        output::WriteError::Failed { .. } => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

pub fn pay(args: PayArgs) -> ExitCode {
    let args = match args.resolve() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // Every file is loaded, so all their diagnostics are printed at once.
    let mut versions = Vec::new();
    let mut worst = 0;
    for r in &args.rules {
        match load(r) {
            Ok(loaded) => versions.push(loaded),
            Err(code) => worst = worst.max(code),
        }
    }
    if worst != 0 {
        return ExitCode::from(worst);
    }
    if let Err(e) = check::order_versions(&mut versions) {
        eprintln!("{:?}", Report::new(e));
        return ExitCode::from(EXIT_RULES);
    }
    let versions: Vec<_> = versions.into_iter().map(|v| v.contract).collect();
    // The page opens each line on the rows behind it: every provider-month
    // is traced, which costs memory only when the page is asked for.
    let opts = eval::Options {
        period: args.period,
        lenient: args.lenient,
        trace: (args.format == Format::Html).then(|| eval::trace::TraceScope {
            provider: args.provider.clone(),
            period: None,
        }),
    };
    let run = match eval::pay_with(&versions, &DataDir::new(&args.data), &opts) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("{:?}", Report::new(e));
            return ExitCode::from(EXIT_DATA);
        }
    };
    // Warnings go to stderr before the statement, like the rule files'.
    for w in &run.warnings {
        eprintln!("{:?}", Report::new(w.clone()));
    }
    let run = match &args.provider {
        Some(p) => {
            if !run.providers().contains(p) {
                eprintln!("warning: provider {p} has no statement and no row in this run");
            }
            run.of_provider(p)
        }
        None => run,
    };
    if let Some(dir) = &args.out_dir {
        return write_each_provider(&run, &args, dir);
    }
    let out = render(&run, &args);
    let written = match &args.out {
        None => output::to_stdout(out.as_bytes()),
        Some(path) => path.write(out.as_bytes()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(write_failed(&e)),
    }
}

fn render(run: &eval::PayRun, args: &Pay) -> String {
    match args.format {
        Format::Json => report::to_json(run, args.lang),
        Format::Text => report::to_text(run, args.lang),
        Format::Csv if args.excel => {
            report::csv::to_csv(run, report::csv::Dialect::Excel, args.lang)
        }
        Format::Csv => report::csv::to_csv(run, report::csv::Dialect::Standard, args.lang),
        Format::Html => report::html::to_html(run, args.lang),
    }
}

/// `--out-dir`: one file per provider, each only that provider's rows,
/// named by its id made safe for a file name.
fn write_each_provider(run: &eval::PayRun, args: &Pay, dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot make the folder {}: {e}", dir.display());
        return ExitCode::from(EXIT_USAGE);
    }
    let ext = match args.format {
        Format::Json => "json",
        Format::Text => "txt",
        Format::Csv => "csv",
        Format::Html => "html",
    };
    let inputs: Vec<PathBuf> = (args.rules.iter().cloned())
        .chain(DATA_FILES.iter().map(|f| args.data.join(f)))
        .collect();
    for p in run.providers() {
        let path = dir.join(format!("{}.{ext}", file_name(&p)));
        let out = match output::OutPath::resolve(path, &inputs) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        };
        if let Err(e) = out.write(render(&run.of_provider(&p), args).as_bytes()) {
            return ExitCode::from(write_failed(&e));
        }
    }
    ExitCode::SUCCESS
}

/// A provider id as a file name: letters, digits, `-` and `_` as they are,
/// every other byte as `%XX`, so two ids never share a file.
fn file_name(id: &str) -> String {
    let mut out = String::new();
    for ch in id.chars() {
        if ch.is_alphanumeric() || ch == '-' || ch == '_' {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if out.is_empty() { "_".to_string() } else { out }
}
