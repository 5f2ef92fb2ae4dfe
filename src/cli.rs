//! Subcommand bodies. Exit codes: 0 ok, 1 rule errors, 2 data errors,
//! 3 for a problem with the command line or files (clap itself uses 2 for
//! usage errors it detects).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{NamedSource, Report};

use taxa::check::{self, Contract, LoadError};

pub const EXIT_RULES: u8 = 1;
pub const EXIT_DATA: u8 = 2;
pub const EXIT_USAGE: u8 = 3;

#[derive(clap::Args)]
pub struct PayArgs {
    /// The rule file (`.taxa`).
    pub rules: PathBuf,
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
        Ok(c) => Ok(c),
        Err(err) => {
            let source = NamedSource::new(&name, src.clone());
            match err {
                LoadError::Syntax(e) => {
                    eprintln!("{:?}", Report::new(e).with_source_code(source));
                }
                LoadError::Check(errors) => {
                    let n = errors.len();
                    for e in errors {
                        eprintln!("{:?}", Report::new(e).with_source_code(source.clone()));
                    }
                    eprintln!("{name}: {n} error{}", if n == 1 { "" } else { "s" });
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

pub fn pay(_args: &PayArgs) -> ExitCode {
    ExitCode::from(EXIT_USAGE)
}
