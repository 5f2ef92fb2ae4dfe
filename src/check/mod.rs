//! Syntax tree → checked [`Contract`]: names, units, tables, dates.

mod checker;
mod conditions;
pub mod contract;
mod declarations;
mod diagnostics;
pub mod error;
mod expr;
mod fields;
mod tables;
mod terms;
pub mod units;
mod warnings;

pub use checker::check;
pub use contract::*;
pub use error::{CheckError, CheckKind};

use crate::syntax::{self, SyntaxError};

/// Why a rule file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    Syntax(Vec<SyntaxError>),
    Check(Vec<CheckError>),
}

/// Parses and checks a rule file's text.
pub fn load(src: &str, file: &str) -> Result<Contract, LoadError> {
    let tree = syntax::parse(src).map_err(LoadError::Syntax)?;
    check(&tree, src, file).map_err(LoadError::Check)
}
