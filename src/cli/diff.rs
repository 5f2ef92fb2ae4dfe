//! `taxa diff OLD NEW [--data DIR [--period …]]`: two versions of a rule
//! file compared, terms side by side and, with data, the payout under each.
//!
//! Exit codes: 0 the versions are equivalent, 1 they differ, 2 the data
//! cannot be read, 3 a rule file does not check or an argument or file
//! cannot be used (so "differ" is never confused with "broken").

use std::path::PathBuf;
use std::process::ExitCode;

use miette::Report;

use taxa::data::DataDir;
use taxa::diff::{self, Rules};
use taxa::eval::{self, Period};
use taxa::report;
use taxa::syntax;

use super::{EXIT_DATA, EXIT_USAGE, output, write_failed};

const EXIT_DIFFER: u8 = 1;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The version before (`.taxa`).
    pub old: PathBuf,
    /// The version after (`.taxa`).
    pub new: PathBuf,
    /// Pay this data folder under both versions and compare the payouts.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// With --data: the month or months to pay (`2025-03`, `2025-01..2025-03`).
    #[arg(long, requires = "data")]
    pub period: Option<String>,
    /// Output format; text by default.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// With --data: list unreadable rows as not paid instead of stopping.
    #[arg(long)]
    pub lenient: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Html,
}

pub fn diff(args: DiffArgs) -> ExitCode {
    let period = match args.period.as_deref().map(Period::parse) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            let p = args.period.clone().unwrap_or_default();
            eprintln!("error: {}", super::UsageError::Period(p, e));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(d) = &args.data
        && !d.is_dir()
    {
        eprintln!("error: {}", super::UsageError::DataNotFolder(d.clone()));
        return ExitCode::from(EXIT_USAGE);
    }
    let out = match args.out {
        None => None,
        Some(out) => match output::OutPath::resolve(out, &[args.old.clone(), args.new.clone()]) {
            Ok(o) => Some(o),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let (old, new) = match (super::load(&args.old), super::load(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        _ => return ExitCode::from(EXIT_USAGE),
    };
    let read = |l: &taxa::check::Loaded| {
        let tree = syntax::parse(&l.src).expect("a rule file that checked parses");
        Rules::read(&tree, &l.src, &l.contract.file)
    };
    let (old_rules, new_rules) = (read(&old), read(&new));
    let mut d = diff::compare(
        &old_rules,
        &new_rules,
        &old.contract.file,
        &new.contract.file,
    );
    if let Some(data) = &args.data {
        let (o, n) = diff::over_common_dates(&old.contract, &new.contract);
        let opts = eval::Options {
            period,
            lenient: args.lenient,
            ..Default::default()
        };
        let dir = DataDir::new(data);
        let runs = eval::pay_with(std::slice::from_ref(&o), &dir, &opts)
            .and_then(|a| eval::pay_with(std::slice::from_ref(&n), &dir, &opts).map(|b| (a, b)));
        let (a, b) = match runs {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{:?}", Report::new(e));
                return ExitCode::from(EXIT_DATA);
            }
        };
        let order = diff::term_order(&old_rules, &new_rules);
        d.payout = Some(diff::payout::compare(&a, &b, &order));
    }
    let text = match args.format {
        DiffFormat::Text => report::diff::to_text(&d),
        DiffFormat::Json => report::diff::to_json(&d),
        DiffFormat::Html => report::diff_html::to_html(&d),
    };
    let written = match &out {
        None => output::to_stdout(text.as_bytes()),
        Some(path) => path.write(text.as_bytes()),
    };
    match written {
        Ok(()) if d.equivalent() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(EXIT_DIFFER),
        Err(e) => ExitCode::from(write_failed(&e)),
    }
}
