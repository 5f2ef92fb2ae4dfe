//! What the checker knows while it checks: a value's type (`Ty`), where it
//! is read (`Ctx`, which row's fields are at hand), a declared rate
//! (`Rate`) and the named values (`Values`, `values.rs`). Its own module
//! because the checker's state, the checks and the words of their
//! diagnostics (`diagnostics.rs`) all speak of them.

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

/// A checked value: its exact number in base units, its unit, and how a
/// text that cites it (`{NAME}`) shows it.
#[derive(Debug, Clone)]
pub(super) struct NamedValue {
    pub(super) value: Exact,
    pub(super) unit: Unit,
    /// A literal as the rule file writes it (`13 %`, `455 kr/h`); a
    /// derived value in Swedish form in its base unit (`1 234,5 kr/h`).
    pub(super) shown: String,
    /// Where the value is named, for the unused-value warning.
    pub(super) span: Span,
}

/// The declarations, and what is known of them while they are resolved.
#[derive(Default)]
pub(super) struct Values<'a> {
    pub(super) decls: std::collections::HashMap<String, &'a crate::syntax::ValueDecl>,
    pub(super) checked: std::collections::HashMap<String, NamedValue>,
    /// Values whose declaration has an error: uses of them say nothing more.
    pub(super) failed: std::collections::HashSet<String>,
    /// The values being resolved, outermost first (a cycle is a repeat).
    pub(super) resolving: Vec<String>,
}
