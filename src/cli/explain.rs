//! `taxa explain RULES --data DIR --provider P --period YYYY-MM` and one of
//! `--line N`, `--term T [--key FIELD=VALUE]…`, `--visit ID`, `--event ID`,
//! `--customer C`: the run is paid once, tracing that provider-month, and
//! the asked line or row is read back (`taxa::explain`).

use std::path::PathBuf;
use std::process::ExitCode;

use miette::Report;

use taxa::data::DataDir;
use taxa::eval::trace::TraceScope;
use taxa::eval::{self, Month, Period};
use taxa::explain::{self, Query};
use taxa::report;

use super::{EXIT_DATA, EXIT_USAGE, output, write_failed};

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["line", "term", "visit", "event", "customer"])))]
pub struct ExplainArgs {
    /// The rule file (`.taxa`); several versions as for `pay`.
    #[arg(required = true)]
    pub rules: Vec<PathBuf>,
    #[arg(long)]
    pub data: PathBuf,
    /// The provider whose statement is explained.
    #[arg(long)]
    pub provider: String,
    /// The month: `2025-03`.
    #[arg(long)]
    pub period: String,
    /// A line by its number on the statement (from 1).
    #[arg(long)]
    pub line: Option<usize>,
    /// Every line of a term (narrowed with --key).
    #[arg(long)]
    pub term: Option<String>,
    /// With --term: `FIELD=VALUE` of the line's key, e.g. `zone=tätort`.
    #[arg(long, requires = "term")]
    pub key: Vec<String>,
    #[arg(long)]
    pub visit: Option<String>,
    #[arg(long)]
    pub event: Option<String>,
    #[arg(long)]
    pub customer: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::Format,
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub lenient: bool,
    /// The language of the words: Swedish (the default) or English.
    #[arg(long, value_enum, default_value = "sv")]
    pub lang: super::LangArg,
}

pub fn explain(args: ExplainArgs) -> ExitCode {
    let usage = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(EXIT_USAGE)
    };
    let month = match Period::parse(&args.period) {
        Ok(p) if p.from == p.to => p.from,
        Ok(_) => {
            return usage(format!(
                "--period {} must be one month (YYYY-MM)",
                args.period
            ));
        }
        Err(e) => return usage(super::UsageError::Period(args.period.clone(), e).to_string()),
    };
    if !args.data.is_dir() {
        return usage(super::UsageError::DataNotFolder(args.data.clone()).to_string());
    }
    let mut key = Vec::new();
    for k in &args.key {
        match k.split_once('=') {
            Some((f, v)) => key.push((f.to_string(), v.to_string())),
            None => return usage(format!("--key {k} must be FIELD=VALUE, e.g. zone=tätort")),
        }
    }
    let query = if let Some(n) = args.line {
        Query::Line(n)
    } else if let Some(t) = &args.term {
        Query::Term {
            term: t.clone(),
            key,
        }
    } else if let Some(v) = &args.visit {
        Query::Visit(v.clone())
    } else if let Some(e) = &args.event {
        Query::Event(e.clone())
    } else if let Some(c) = &args.customer {
        Query::Customer(c.clone())
    } else {
        return usage("say what to explain: --line, --term, --visit, --event or --customer".into());
    };
    let out = match args.out {
        None => None,
        Some(out) => match output::OutPath::resolve(out, &args.rules) {
            Ok(o) => Some(o),
            Err(e) => return usage(e.to_string()),
        },
    };
    let mut versions = Vec::new();
    for r in &args.rules {
        match super::load(r) {
            Ok(l) => versions.push(l),
            Err(code) => return ExitCode::from(code),
        }
    }
    if let Err(e) = taxa::check::order_versions(&mut versions) {
        eprintln!("{:?}", Report::new(e));
        return ExitCode::from(super::EXIT_RULES);
    }
    let versions: Vec<_> = versions.into_iter().map(|v| v.contract).collect();
    let opts = eval::Options {
        period: Some(Period {
            from: month,
            to: month,
        }),
        lenient: args.lenient,
        trace: Some(TraceScope {
            provider: Some(args.provider.clone()),
            period: Some(month),
        }),
    };
    let run = match eval::pay_with(&versions, &DataDir::new(&args.data), &opts) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("{:?}", Report::new(e));
            return ExitCode::from(EXIT_DATA);
        }
    };
    let e = match explain::explain(&run, &args.provider, month as Month, &query) {
        Ok(e) => e,
        Err(e) => return usage(e.to_string()),
    };
    let text = match args.format {
        super::Format::Json => report::explain::to_json(&e, args.lang.lang()),
        super::Format::Html => report::explain_html::to_html(&e, args.lang.lang()),
        _ => report::explain::to_text(&e, args.lang.lang()),
    };
    let written = match &out {
        None => output::to_stdout(text.as_bytes()),
        Some(path) => path.write(text.as_bytes()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(write_failed(&e)),
    }
}
