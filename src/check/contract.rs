//! The checked contract: every name resolved, every unit known, every table
//! complete. This is what the evaluator runs; it never sees the syntax tree.

use chrono::NaiveDate;
use num_rational::Ratio;

use crate::data::{ActivitySet, Code, CodeBook, CodeColumn};
use crate::eval::SourceRef;

use super::units::Unit;

/// Exact numbers on the way to an amount.
pub type Exact = Ratio<i128>;

#[derive(Debug, Clone)]
pub struct Contract {
    pub name: String,
    /// The rule file as named on the command line.
    pub file: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub codes: CodeBook,
    pub terms: Vec<Term>,
    /// How many `summa för kunddagar` the caps hold (ids `0..day_sums`).
    pub day_sums: usize,
    /// Columns the contract reads beyond the always-required ones, per file.
    pub required: Required,
}

#[derive(Debug, Clone, Default)]
pub struct Required {
    pub visits: Vec<&'static str>,
    pub customers: Vec<&'static str>,
    pub events: Vec<&'static str>,
    pub providers: Vec<&'static str>,
}

/// One term of the tender, in the order the rule file lists it.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub label: String,
    pub source: SourceRef,
    pub kind: TermKind,
}

#[derive(Debug, Clone)]
pub enum TermKind {
    Pay(Box<PayTerm>),
    Cap(Cap),
    Allocation(Allocation),
}

/// What rows a paying term selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSource {
    Visits,
    CustomerDays,
    Events,
}

/// A paying term: select rows, require, limit, and price a quantity per key.
#[derive(Debug, Clone)]
pub struct PayTerm {
    pub rows: RowSource,
    /// Index of the term whose paid rows this one is restricted to.
    pub within: Option<usize>,
    pub filter: Option<Cond>,
    pub requires: Vec<Requirement>,
    pub limit: Option<Limit>,
    /// What one row contributes to its line's quantity.
    pub quantity: Expr,
    pub quantity_unit: Unit,
    /// The price, fixed per line (depends only on the key and the provider).
    pub rate: Expr,
    pub rate_unit: Unit,
    pub key: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Requirement {
    pub cond: Cond,
    pub reason: String,
    pub source: SourceRef,
}

/// A count limit per scope; rows are taken in `order`, the rest not paid.
#[derive(Debug, Clone)]
pub struct Limit {
    pub count: u64,
    pub per: Vec<Scope>,
    pub order: Vec<Field>,
    pub reason: String,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Provider,
    Month,
    Customer,
}

/// A cap: the capped terms' rounded lines against a bound, per provider and
/// month; the excess is a negative line of its own.
#[derive(Debug, Clone)]
pub struct Cap {
    pub over: Vec<usize>,
    pub bound: Expr,
}

/// A fund shared among providers by largest remainder in whole kronor.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// Whole kronor.
    pub amount: i128,
    pub year: i32,
    pub month: u32,
    pub basis_date: NaiveDate,
    pub filter: Option<Cond>,
}

/// A value a rule can read from a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Code(CodeColumn),
    GrantedHours,
    ApprovedExtraHours,
    ReliefHours,
    Level,
    Alarm,
    Referral,
    HslFrom,
    HslTo,
    /// `datum`: the visit's local start date, the event's date, or the day
    /// of a customer-day.
    Date,
    VisitId,
    EventId,
    Start,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Code(c) => c.column(),
            Field::GrantedHours => "granted_hours",
            Field::ApprovedExtraHours => "approved_extra_hours",
            Field::ReliefHours => "relief_hours",
            Field::Level => "level",
            Field::Alarm => "alarm",
            Field::Referral => "referral",
            Field::HslFrom => "hsl_from",
            Field::HslTo => "hsl_to",
            Field::Date => "datum",
            Field::VisitId => "visit_id",
            Field::EventId => "event_id",
            Field::Start => "start",
        }
    }
}

/// What one row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// `betald_tid`: real duration × staff count, in hours.
    PaidTime,
    /// `tid`: real duration, in hours.
    Duration,
    /// `antal`: one per row.
    Count,
    /// `dagsandel`: one day's share of the month (1/D).
    DayShare,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A resolved expression.
#[derive(Debug, Clone)]
pub enum Expr {
    Num(Exact),
    Date(NaiveDate),
    Bool(bool),
    Code(CodeColumn, Code),
    Field(Field),
    Measure(Measure),
    /// A table cell chosen by the row's (or line's) key fields.
    Lookup(Box<LookupTable>),
    Binary(Op, Box<Expr>, Box<Expr>),
    /// Σ over the provider's customer-days of the month; `id` numbers the
    /// sums of a contract so the evaluator can precompute each.
    SumDays {
        id: usize,
        filter: Option<Box<Cond>>,
        expr: Box<Expr>,
    },
    /// Σ of the rounded lines of these terms in the provider's month.
    SumTerms(Vec<usize>),
}

/// A table column (or grid) flattened: `cells[i0 * stride0 + i1 * …]`.
#[derive(Debug, Clone)]
pub struct LookupTable {
    pub keys: Vec<Field>,
    /// Number of values per key column, for the strides.
    pub sizes: Vec<usize>,
    pub cells: Vec<Exact>,
}

/// A resolved condition.
#[derive(Debug, Clone)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    HasAny(ActivitySet),
    HasOnly(ActivitySet),
    Within(Expr, Expr, Expr),
    Compare(Expr, Cmp, Expr),
    /// The row is paid by that (earlier) term.
    InTerm(usize),
}
