//! Subcommand bodies. Exit codes: 0 ok, 1 rule errors, 2 data errors,
//! 3 for a problem with the command line or files (clap itself uses 2 for
//! usage errors it detects).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{NamedSource, Report};

use std::io::{IsTerminal, Write};

use taxa::check::{self, Contract, LoadError};
use taxa::data::DataDir;
use taxa::eval::{self, Period};
use taxa::report;

pub const EXIT_RULES: u8 = 1;
pub const EXIT_DATA: u8 = 2;
pub const EXIT_USAGE: u8 = 3;

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
    #[arg(long)]
    pub period: Option<String>,
    /// Output format; text on a terminal, json otherwise.
    #[arg(long, value_parser = ["text", "json"])]
    pub format: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// List unreadable rows as not paid (with file, line, column and text)
    /// instead of stopping the run.
    #[arg(long)]
    pub lenient: bool,
}

/// Reads and checks one rule file, printing diagnostics on failure.
pub fn load(path: &Path) -> Result<Contract, u8> {
    let name = path.display().to_string();
    let src = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return Err(EXIT_USAGE);
        }
    };
    match check::load(&src, &name) {
        Ok(c) => {
            for w in &c.warnings {
                let source = NamedSource::new(&name, src.clone());
                eprintln!("{:?}", Report::new(w.clone()).with_source_code(source));
            }
            Ok(c)
        }
        Err(err) => {
            let source = NamedSource::new(&name, src.clone());
            match err {
                LoadError::Syntax(errors) => {
                    let n = errors.len();
                    for e in errors {
                        eprintln!("{:?}", Report::new(e).with_source_code(source.clone()));
                    }
                    eprintln!("{name}: {n} syntax error{}", if n == 1 { "" } else { "s" });
                }
                LoadError::Check(errors) => {
                    let n = errors.iter().filter(|e| !e.warning).count();
                    let w = errors.len() - n;
                    for e in errors {
                        eprintln!("{:?}", Report::new(e).with_source_code(source.clone()));
                    }
                    let warnings = match w {
                        0 => String::new(),
                        1 => ", 1 warning".to_string(),
                        w => format!(", {w} warnings"),
                    };
                    eprintln!(
                        "{name}: {n} error{}{warnings}",
                        if n == 1 { "" } else { "s" }
                    );
                }
            }
            Err(EXIT_RULES)
        }
    }
}

pub fn check(rules: &[PathBuf]) -> ExitCode {
    let mut worst = 0u8;
    for r in rules {
        match load(r) {
            Ok(c) => println!(
                "{}: ok — {} ({} – {}), {} terms",
                r.display(),
                c.name,
                c.valid_from,
                c.valid_to,
                c.terms.len()
            ),
            Err(code) => worst = worst.max(code),
        }
    }
    ExitCode::from(worst)
}

pub fn pay(args: &PayArgs) -> ExitCode {
    let period = match args.period.as_deref().map(Period::parse) {
        None => None,
        Some(Some(p)) => Some(p),
        Some(None) => {
            eprintln!(
                "error: --period must be YYYY-MM or YYYY-MM..YYYY-MM (got `{}`)",
                args.period.as_deref().unwrap_or_default()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if !args.data.is_dir() {
        eprintln!("error: --data {} is not a folder", args.data.display());
        return ExitCode::from(EXIT_USAGE);
    }
    let mut versions = Vec::new();
    let mut worst = 0;
    for r in &args.rules {
        match load(r) {
            Ok(c) => versions.push(c),
            Err(code) => worst = worst.max(code),
        }
    }
    if worst != 0 {
        return ExitCode::from(worst);
    }
    versions.sort_by_key(|c| c.valid_from);
    if let Some(code) = overlapping_versions(&versions) {
        return ExitCode::from(code);
    }
    let opts = eval::Options {
        period,
        lenient: args.lenient,
    };
    let run = match eval::pay_with(&versions, &DataDir::new(&args.data), &opts) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("{:?}", Report::new(e));
            return ExitCode::from(EXIT_DATA);
        }
    };
    // Text on a terminal, JSON when piped or written to a file.
    let json = match args.format.as_deref() {
        Some("json") => true,
        Some(_) => false,
        None => args.out.is_some() || !std::io::stdout().is_terminal(),
    };
    let out = if json {
        report::to_json(&run)
    } else {
        report::to_text(&run)
    };
    match &args.out {
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`taxa pay … | head`) is not an error worth a message.
            let _ = stdout.write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Some(path) => match write_atomically(path, out.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}

/// Versions of one contract must not both claim a day, and must read the
/// data alike (the same declared codes), since one data set is read for all.
fn overlapping_versions(versions: &[Contract]) -> Option<u8> {
    for pair in versions.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);

        if b.valid_from <= a.valid_to {
            let src = std::fs::read_to_string(&b.file).unwrap_or_default();
            let span = (b.validity_span.start, b.validity_span.len());
            let report = miette::miette!(
                code = "taxa::overlapping_versions",
                labels = vec![miette::LabeledSpan::at(
                    span.0..span.0 + span.1,
                    "starts before the other version ends"
                )],
                help = format!(
                    "make {} start after {} ends ({}), or pay them separately",
                    b.file, a.file, a.valid_to
                ),
                "{} ({} – {}) overlaps {} ({} – {})",
                b.file,
                b.valid_from,
                b.valid_to,
                a.file,
                a.valid_from,
                a.valid_to
            )
            .with_source_code(NamedSource::new(&b.file, src));
            eprintln!("{report:?}");
            return Some(EXIT_RULES);
        }
        if a.codes != b.codes {
            eprintln!(
                "{:?}",
                miette::miette!(
                    code = "taxa::versions_differ_in_codes",
                    help = "declare the same `kod` lines (values and order) in every version paid together; a code a version does not pay can still be declared",
                    "{} and {} declare different codes for the data",
                    a.file,
                    b.file
                )
            );
            return Some(EXIT_RULES);
        }
    }
    None
}

/// Writes beside the target and renames, so a failed run never leaves a
/// half-written statement behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.taxa-tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
