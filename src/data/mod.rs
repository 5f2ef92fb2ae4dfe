//! Reading a data set (data-format.md): four CSV files (or Excel workbooks
//! of the same names) into typed records.
//!
//! Each stage of reading has its own module:
//!
//! ```text
//!  bytes ──csv──▶ records ──layout──▶ columns by name ──cells──▶ cell text
//!        ──values──▶ typed values ──read──▶ Visit / CustomerRow / Event / Provider
//! ```
//!
//! - `csv`: RFC 4180 records with physical line numbers, separator, BOM.
//! - `layout`: each file's columns, the header, missing/duplicate columns.
//! - `cells`: one row's cells, UTF-8, trimming, errors with their place.
//! - `values`: each column's parser (dates, hours, codes, …) and its messages.
//! - `open`: opening a file (absent, dangling link, folder), and visits.csv
//!   held open for a whole run ([`VisitsFile`], pipes spooled).
//! - `xlsx`: a workbook's first sheet written out as CSV for the stages
//!   above, and its errors placed at the sheet's cells.
//! - [`read`]: [`DataDir`] and the per-file readers, strict and lenient.
//! - [`own`]: the files a rule file declares of its own (`fil`), read by
//!   the same layout, cell and value code.
//!
//! [`model`] holds the records, [`ids`] the provider and customer ids they
//! carry as integers, [`time`] Europe/Stockholm timestamps,
//! [`error`] the file and row errors and the warnings of reading.

mod cells;
mod csv;
pub mod error;
#[cfg(test)]
mod fixtures;
pub mod ids;
mod layout;
pub mod model;
mod open;
pub mod own;
pub mod read;
pub mod time;
mod values;
mod xlsx;

pub use error::{
    DataErrors, DataWarning, DataWarningKind, FileError, FileErrorKind, RowError, RowErrors,
};
pub use layout::layout_columns;
pub use model::*;
pub use own::{OwnFile, OwnRow, Per};
pub use read::{DataDir, RowResult, VisitReader, VisitsFile};
