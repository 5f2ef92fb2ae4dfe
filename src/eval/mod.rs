//! Paying a data set by a compiled contract: the run and its passes
//! (`pay`), the row passes (`rows/`), one module per kind of term for the
//! lines (`terms/`), and the pieces they share — months, the ledger of
//! exact sums, the term gate, limits, the engine's own checks.

mod attached;
mod bands;
pub mod clock;
mod counts;
mod ctx;
mod customers;
mod decided;
mod dedup;
mod engine;
pub mod error;
mod gate;
mod input;
mod ledger;
mod limits;
pub mod month;
mod overflow;
mod parties;
mod pay;
mod recipient;
pub mod round;
mod rows;
pub mod statement;
mod statements;
mod terms;
pub mod trace;
mod value;

pub use error::EvalError;
pub use month::{Month, Period, PeriodError};
pub use pay::{Options, pay, pay_versions, pay_with};
pub use statement::*;
