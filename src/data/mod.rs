//! Reading a data set (data-format.md): four CSV files into typed records.

pub mod model;

pub use model::*;
