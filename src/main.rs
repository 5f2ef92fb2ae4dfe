//! The `taxa` command line: a thin layer over the library that turns each
//! stage's errors into miette reports and picks the exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

/// Payment terms of home-care tenders as rule files: check them, pay by them.
#[derive(Parser)]
#[command(name = "taxa", version, about)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check rule files; exit 1 with diagnostics on any error.
    Check {
        /// Rule files (`.taxa`).
        #[arg(required = true)]
        rules: Vec<std::path::PathBuf>,
    },
    /// Pay a month's data by a contract and print the statements.
    Pay(cli::PayArgs),
    /// Compare two versions of a rule file: terms side by side and, with
    /// --data, what each provider is paid under each. Exit 0 when they are
    /// equivalent, 1 when they differ, 3 when a file does not check.
    Diff(cli::diff::DiffArgs),
    /// Explain one provider-month: a line and the visits, customer-days and
    /// events behind it, or a visit, event or customer and the lines it fed
    /// (or why it was not paid).
    Explain(cli::explain::ExplainArgs),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Command::Check { rules } => cli::check(&rules),
        Command::Pay(p) => cli::pay(p),
        Command::Diff(d) => cli::diff::diff(d),
        Command::Explain(e) => cli::explain::explain(e),
    }
}
