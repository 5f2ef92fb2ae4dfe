//! Syntax tree → checked [`Contract`]: names, units, tables, dates; and
//! loading a rule file (`load.rs`) and ordering versions (`versions.rs`).

pub mod contract;
pub mod error;
mod load;
mod resolve;
pub mod units;
mod versions;

pub use contract::*;
pub use error::{CheckError, CheckKind};
pub use load::{LoadError, LoadErrorKind, Loaded, load, load_file};
pub use resolve::check;
pub use versions::{VersionError, order_versions};
