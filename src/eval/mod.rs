//! Paying a data set by a compiled contract.

pub mod clock;
mod ctx;
mod customers;
mod days;
mod dedup;
pub mod error;
mod events;
mod lines;
mod overflow;
mod pay;
pub mod round;
pub mod statement;
mod value;
mod visits;

pub use error::EvalError;
pub use pay::{Options, Period, pay, pay_versions, pay_with};
pub use statement::*;
