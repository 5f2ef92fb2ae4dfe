//! What stops a pay run: data that cannot be read. Problems of meaning never
//! stop a run; they become not-paid entries.

use miette::Diagnostic;
use thiserror::Error;

use crate::data::DataErrors;

#[derive(Debug, Error, Diagnostic)]
pub enum EvalError {
    /// Some values of the data set cannot be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Data(DataErrors),
}
