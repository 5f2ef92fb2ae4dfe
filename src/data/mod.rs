//! Reading a data set (data-format.md): four CSV files into typed records.

pub mod error;
pub mod model;
pub mod read;
pub mod time;

pub use error::{DataErrors, FileError, FileErrorKind, RowError};
pub use model::*;
pub use read::{DataDir, RowResult, VisitReader};
