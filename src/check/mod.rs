//! Syntax tree → checked [`Contract`]: names, units, tables, dates; and
//! loading a rule file (`load.rs`) and ordering versions (`versions.rs`).

mod band_error;
mod bands;
mod checker;
mod checks;
mod checks_error;
mod cite;
mod conditions;
pub mod contract;
mod declarations;
mod declared;
mod diagnostics;
pub mod error;
mod expr;
mod field_error;
mod fields;
mod file_error;
mod files;
mod header_error;
mod headers;
mod load;
mod month_error;
pub mod prelude;
mod tables;
mod terms;
mod types;
pub mod units;
mod unpriced;
mod values;
mod values_error;
mod versions;
mod warnings;
mod words;

pub use checker::check;
pub use contract::*;
pub use error::{CheckError, CheckKind};
pub use load::{LoadError, LoadErrorKind, Loaded, NotUtf8, load, load_file};
pub use versions::{VersionError, order_versions};
