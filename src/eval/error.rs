//! What stops a pay run: data that cannot be read, or an amount too large to
//! compute exactly. Problems of meaning never stop a run; they become
//! not-paid entries.

use miette::Diagnostic;
use thiserror::Error;

use crate::data::DataErrors;

#[derive(Debug, Error, Diagnostic)]
pub enum EvalError {
    /// Some values of the data set cannot be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Data(DataErrors),
    /// A quantity, rate or amount outgrew the exact arithmetic (`i128`
    /// fractions, 96-bit decimals): paying on would pay a wrong amount.
    #[error("an amount is too large to compute exactly (contract `{contract}`)")]
    #[diagnostic(
        code(taxa::eval::overflow),
        help(
            "check the contract's rates and factors for a misplaced digit, and the data's hours \
             for excess decimals; amounts must stay below 10^26 kr"
        )
    )]
    Overflow { contract: String },
    /// Versions of one run declare different fields (`fält`), headers
    /// (`rubriker`) or files (`fil`): the data is read once, by one set of
    /// columns.
    #[error("the versions `{first}` and `{other}` declare different fields (`fält`)")]
    #[diagnostic(
        code(taxa::eval::fields_differ),
        help(
            "declare the same `fält`, `rubriker` and `fil` lines, in the same order, in every \
             version of the run"
        )
    )]
    FieldsDiffer { first: String, other: String },
}
