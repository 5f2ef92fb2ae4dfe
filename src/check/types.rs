//! What the checker knows while it checks: a value's type (`Ty`), where it
//! is read (`Ctx`, which row's fields are at hand), and a declared rate
//! (`Rate`). Its own module because the checker's state, the checks and
//! the words of their diagnostics (`diagnostics.rs`) all speak of them.

use crate::data::DataFile;
use crate::syntax::Span;

use super::contract::{Exact, Field, Measure, RowSource};
use super::units::Unit;

/// Where an expression is evaluated: which row's fields are at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    Rows(RowSource),
    /// A cap's bound: only sums and constants.
    Cap,
    /// An allocation's filter: the customer row on the basis date.
    Customer,
    /// An `ersätter … när` condition: the term's own quantity for one
    /// customer and that customer's day sums.
    Replace(Measure),
    /// A supplement's filter: the provider's fields.
    Provider,
}

/// The type of a value in a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Num(Unit),
    Date,
    Bool,
    /// A `klass` code, by index.
    Class(u8),
    /// A code of a declared `kod` field (or, for `activity`, of the `koder`
    /// field activity rows come from), by file and slot.
    Field(DataFile, u16),
    /// A set of codes of a declared `koder` field, by file and slot.
    Set(DataFile, u16),
    Text,
}

/// A named rate: a column (or grid) of a table.
pub(super) struct Rate {
    /// Where the rate is named, for the unused-rate warning.
    pub(super) span: Span,
    pub(super) keys: Vec<(Field, Span)>,
    pub(super) sizes: Vec<usize>,
    pub(super) cells: Vec<Option<Exact>>,
    pub(super) unit: Unit,
}
