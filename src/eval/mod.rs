//! Paying a data set by a compiled contract.

pub mod statement;

pub use statement::*;
