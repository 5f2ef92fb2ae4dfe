//! Evaluating a checked expression or condition against one row.
//!
//! The checker has already proved the types, so a mismatch here is a bug;
//! it evaluates to "false"/zero rather than panicking on user data.

use chrono::NaiveDate;

use crate::check::{AtTest, Cmp, Cond, Exact, Expr, Field, LookupTable, Measure, Op};
use crate::data::{ActivitySet, Code};

use super::overflow;

/// A runtime value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Num(Exact),
    /// `None`: an empty date cell.
    Date(Option<NaiveDate>),
    Bool(bool),
    Code(Code),
    Set(ActivitySet),
    /// Text fields (ids) only order rows; they never reach a value.
    Nothing,
}

/// The row a term looks at: a visit, a customer-day, an event, or a line's key.
pub trait RowCtx {
    fn field(&self, f: Field) -> Value;
    fn measure(&self, m: Measure) -> Exact;
    /// Whether an earlier term paid this row.
    fn paid_by(&self, term: usize) -> bool;
    /// Σ of a term's rounded lines (caps) or Σ over customer-days (caps).
    fn sum_terms(&self, _terms: &[usize]) -> Exact {
        Exact::from_integer(0)
    }
    fn sum_days(&self, _id: usize) -> Exact {
        Exact::from_integer(0)
    }
    /// The local time a visit starts (or, `end`, ends) at; none on rows
    /// that are no visit.
    fn at(&self, _end: bool) -> Option<chrono::NaiveDateTime> {
        None
    }
    /// The band of set `set` at the visit's start (or end).
    fn band_at(&self, _set: u8, _end: bool) -> Option<u16> {
        None
    }
}

pub fn num(e: &Expr, row: &dyn RowCtx) -> Exact {
    match value(e, row) {
        Value::Num(n) => n,
        _ => Exact::from_integer(0),
    }
}

pub fn value(e: &Expr, row: &dyn RowCtx) -> Value {
    match e {
        Expr::Num(n) => Value::Num(*n),
        Expr::Date(d) => Value::Date(Some(*d)),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Code(c) => Value::Code(*c),
        Expr::Field(f) => row.field(*f),
        Expr::Measure(m) => Value::Num(row.measure(*m)),
        Expr::Lookup(t) => lookup(t, row).map_or(Value::Nothing, Value::Num),
        Expr::Binary(op, l, r) => {
            let (a, b) = (num(l, row), num(r, row));
            Value::Num(match op {
                Op::Add => overflow::add(a, b),
                Op::Sub => overflow::sub(a, b),
                Op::Mul => overflow::mul(a, b),
                Op::Div if *b.numer() == 0 => Exact::from_integer(0),
                Op::Div => overflow::div(a, b),
                Op::Min => a.min(b),
                Op::Max => a.max(b),
            })
        }
        Expr::SumDays { id, .. } => Value::Num(row.sum_days(*id)),
        Expr::SumTerms(t) => Value::Num(row.sum_terms(t)),
    }
}

/// The cell for the row's key values; `None` where the table has a dash.
fn lookup(t: &LookupTable, row: &dyn RowCtx) -> Option<Exact> {
    let mut idx = 0usize;
    for (f, size) in t.keys.iter().zip(&t.sizes) {
        // A key without a value (no level, a provider without a regime)
        // picks no cell rather than a wrong one.
        let i = match row.field(*f) {
            Value::Code(c) if (c as usize) < *size => c as usize,
            Value::Num(n)
                if n.is_integer() && n.to_integer() >= 0 && (n.to_integer() as usize) < *size =>
            {
                n.to_integer() as usize
            }
            _ => return None,
        };
        idx = idx * size + i;
    }
    t.cells.get(idx).copied().flatten()
}

pub fn holds(c: &Cond, row: &dyn RowCtx) -> bool {
    match c {
        Cond::And(cs) => cs.iter().all(|c| holds(c, row)),
        Cond::Or(cs) => cs.iter().any(|c| holds(c, row)),
        Cond::Not(c) => !holds(c, row),
        Cond::HasAny(f, set) => match row.field(*f) {
            Value::Set(s) => s.meets(*set),
            _ => false,
        },
        Cond::HasOnly(f, set) => match row.field(*f) {
            Value::Set(s) => s.within(*set),
            _ => false,
        },
        // An empty start means the interval never began; an empty end (a
        // date cell with no value) is open.
        Cond::Within(v, from, to) => match (value(v, row), value(from, row), value(to, row)) {
            (Value::Date(Some(d)), Value::Date(Some(f)), Value::Date(t)) => {
                f <= d && t.is_none_or(|t| d <= t)
            }
            (Value::Date(Some(d)), Value::Date(Some(f)), Value::Nothing) => f <= d,
            _ => false,
        },
        Cond::Compare(l, op, r) => compare(value(l, row), *op, value(r, row)),
        Cond::InTerm(t) => row.paid_by(*t),
        Cond::Exists(e) => value(e, row) != Value::Nothing,
        Cond::At { end, test } => match *test {
            AtTest::Clock(from, to) => row
                .at(*end)
                .is_some_and(|t| super::bands::in_clock(t.time(), from, to)),
            AtTest::Band(set, band) => row.band_at(set, *end) == Some(band),
        },
    }
}

/// An empty date compares false with anything (it is "not there").
fn compare(a: Value, op: Cmp, b: Value) -> bool {
    let ord = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.cmp(&y),
        (Value::Date(Some(x)), Value::Date(Some(y))) => x.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        (Value::Code(x), Value::Code(y)) => x.cmp(&y),
        (Value::Set(x), Value::Set(y)) => x.cmp(&y),
        _ => return false,
    };
    match op {
        Cmp::Eq => ord.is_eq(),
        Cmp::Ne => ord.is_ne(),
        Cmp::Lt => ord.is_lt(),
        Cmp::Le => ord.is_le(),
        Cmp::Gt => ord.is_gt(),
        Cmp::Ge => ord.is_ge(),
    }
}
