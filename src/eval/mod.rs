//! Paying a data set by a compiled contract.

mod customers;
pub mod error;
mod pay;
pub mod round;
pub mod statement;
mod value;

pub use error::EvalError;
pub use pay::{Period, pay};
pub use statement::*;
