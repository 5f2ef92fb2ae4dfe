//! The rows a term can look at, as [`RowCtx`]: a visit (or one of its
//! activities, or one band of its time), a customer-day, an event, a line's
//! key, and the sums a cap or supplement reads.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::check::{Exact, Field, MAX_CLASSES, Measure};
use crate::data::{Cell, CodeColumn, CustomerRow, DataFile, Event, Visit};

use super::attached::Attach;
use super::round::exact_of;
use super::value::{RowCtx, Value};

/// Key field values of a line: codes (or a level) in the term's key order.
pub type KeyVals = [u16; 4];
pub const NO_VALUE: u16 = u16::MAX;

/// A declared field's cell as a value: an empty one (`tomt = inget`) is
/// none, so `finns` is false, a comparison false, a key finds no cell.
#[inline]
fn cell(extra: &[Cell], slot: u16) -> Value {
    match extra.get(slot as usize) {
        Some(Cell::Flag(b)) => Value::Bool(*b),
        Some(Cell::Code(c)) => Value::Code(*c),
        Some(Cell::Number(n)) => Value::Num(*n),
        Some(Cell::Date(d)) => Value::Date(Some(*d)),
        Some(Cell::Empty) | None => Value::Nothing,
    }
}

/// A field of a file the rule file declares (`fil`), from the row that
/// attaches (none: no value), or whether one does.
#[inline]
fn attached(a: &Attach, f: Field) -> Value {
    match f {
        Field::Attached(k) => Value::Bool(a.row(k).is_some()),
        Field::Declared(DataFile::Own(k), slot) => {
            a.row(k).map_or(Value::Nothing, |c| cell(c, slot))
        }
        _ => Value::Nothing,
    }
}

#[inline(always)]
pub fn customer_field(row: &CustomerRow, f: Field) -> Option<Value> {
    let dec = |d: Decimal| Value::Num(exact_of(d));
    Some(match f {
        Field::Declared(DataFile::Customers, slot) => cell(&row.extra, slot),
        Field::Code(CodeColumn::Zone) => Value::Code(row.zone),
        Field::GrantedHours => dec(row.granted_hours),
        Field::ApprovedExtraHours => dec(row.approved_extra_hours),
        Field::ReliefHours => dec(row.relief_hours),
        Field::Level => row.level.map_or(Value::Nothing, |l| {
            Value::Num(Exact::from_integer(l as i128))
        }),
        Field::Alarm => Value::Bool(row.alarm),
        Field::Referral => Value::Bool(row.referral),
        Field::HslFrom => Value::Date(row.hsl_from),
        Field::HslTo => Value::Date(row.hsl_to),
        _ => return None,
    })
}

/// A visit with its customer row, seen by visit and activity terms.
pub struct VisitCtx<'a> {
    pub visit: &'a Visit,
    pub row: &'a CustomerRow,
    pub regime: u16,
    /// Terms that have paid this visit (or one of its activities).
    pub paid: u128,
    /// The staff `betald_tid` counts: the visit's, or fewer under a
    /// term's `personal högst`.
    pub staff: u32,
    /// The seconds a time measure counts: the whole visit, the part inside
    /// a window, or one band's part.
    pub secs: i64,
    pub band: u16,
    pub activity: u16,
    pub classes: [u16; MAX_CLASSES],
    /// Terms over activity rows (bit per term).
    pub activity_terms: u128,
    /// (activity, term) pairs paid so far: on an activity row, `i TERM` of
    /// an activity term asks whether this very activity was paid by it.
    pub activities_paid: Vec<(u16, usize)>,
    /// The own files' rows of the visit's customer, provider and date.
    pub attach: Attach<'a>,
}

impl RowCtx for VisitCtx<'_> {
    #[inline]
    fn field(&self, f: Field) -> Value {
        // The visit's own fields first, then the customer row's: the two
        // sets do not overlap, so the order only decides the cost.
        match f {
            Field::Code(CodeColumn::Staff) => Value::Code(self.visit.staff),
            Field::Code(CodeColumn::Status) => Value::Code(self.visit.status),
            Field::Code(CodeColumn::Activities) => Value::Set(self.visit.activities),
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Date => Value::Date(Some(self.visit.date())),
            Field::Activity => Value::Code(self.activity),
            Field::Band => Value::Code(self.band),
            Field::Class(i) => Value::Code(self.classes[i as usize]),
            Field::Declared(DataFile::Visits, slot) => cell(&self.visit.extra, slot),
            Field::Declared(DataFile::Own(_), _) | Field::Attached(_) => attached(&self.attach, f),
            _ => customer_field(self.row, f).unwrap_or(Value::Nothing),
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        let secs = self.secs as i128;
        // Unreduced on purpose: sums of quantities with the same
        // denominator add as integers (`pay::Sum`).
        match m {
            Measure::PaidTime => Exact::new_raw(secs * self.staff as i128, 3600),
            Measure::Duration => Exact::new_raw(secs, 3600),
            Measure::Count => Exact::from_integer(1),
            Measure::DayShare => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, term: usize) -> bool {
        if term >= 128 {
            return false;
        }
        if self.activity != NO_VALUE && self.activity_terms & (1u128 << term) != 0 {
            return self.activities_paid.contains(&(self.activity, term));
        }
        self.paid & (1u128 << term) != 0
    }
}

/// One day of a customer row.
pub struct DayCtx<'a> {
    pub row: &'a CustomerRow,
    pub date: NaiveDate,
    pub days_in_month: i128,
    pub regime: u16,
    /// The own files' rows of the row's customer and provider on the day.
    pub attach: Attach<'a>,
}

impl RowCtx for DayCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if let Some(v) = customer_field(self.row, f) {
            return v;
        }
        match f {
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Date => Value::Date(Some(self.date)),
            Field::Declared(DataFile::Own(_), _) | Field::Attached(_) => attached(&self.attach, f),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        match m {
            Measure::DayShare => Exact::new(1, self.days_in_month),
            Measure::Count => Exact::from_integer(1),
            _ => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, _term: usize) -> bool {
        false
    }
}

pub struct EventCtx<'a> {
    pub event: &'a Event,
    pub regime: u16,
    pub paid: u128,
    /// The own files' rows of the event's customer, provider and date.
    pub attach: Attach<'a>,
}

impl RowCtx for EventCtx<'_> {
    fn field(&self, f: Field) -> Value {
        match f {
            Field::Code(CodeColumn::Kind) => Value::Code(self.event.kind),
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Date => Value::Date(Some(self.event.date)),
            Field::Declared(DataFile::Events, slot) => cell(&self.event.extra, slot),
            Field::Declared(DataFile::Own(_), _) | Field::Attached(_) => attached(&self.attach, f),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        match m {
            Measure::Count => Exact::from_integer(1),
            _ => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, term: usize) -> bool {
        term < 128 && self.paid & (1u128 << term) != 0
    }
}

/// A line's key, read back as fields when its rate is priced.
pub struct KeyCtx<'a> {
    pub key: &'a [Field],
    pub vals: KeyVals,
    pub regime: u16,
}

impl RowCtx for KeyCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if f == Field::Code(CodeColumn::Regime) {
            return Value::Code(self.regime);
        }
        match self.key.iter().position(|k| *k == f) {
            Some(i) if f == Field::Level => Value::Num(Exact::from_integer(self.vals[i] as i128)),
            Some(i) => Value::Code(self.vals[i]),
            None => Value::Nothing,
        }
    }
    fn measure(&self, _m: Measure) -> Exact {
        Exact::from_integer(0)
    }
    fn paid_by(&self, _term: usize) -> bool {
        false
    }
}

/// Sums a cap, a supplement or an `ersätter` condition reads: the
/// provider-month's rounded term sums, customer-day sums, and (per
/// customer) the term's own quantity.
pub struct SumCtx<'a> {
    pub term_sums: &'a HashMap<usize, Exact>,
    pub day_sums: &'a dyn Fn(usize) -> Exact,
    pub own: Exact,
    pub regime: u16,
    /// The per-provider own files' rows of the provider on the month's
    /// first day.
    pub attach: Attach<'a>,
}

impl RowCtx for SumCtx<'_> {
    fn field(&self, f: Field) -> Value {
        match f {
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Declared(DataFile::Own(_), _) | Field::Attached(_) => attached(&self.attach, f),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, _m: Measure) -> Exact {
        self.own
    }
    fn paid_by(&self, _term: usize) -> bool {
        false
    }
    fn sum_terms(&self, terms: &[usize]) -> Exact {
        super::overflow::sum(terms.iter().map(|t| {
            self.term_sums
                .get(t)
                .copied()
                .unwrap_or(Exact::from_integer(0))
        }))
    }
    fn sum_days(&self, id: usize) -> Exact {
        (self.day_sums)(id)
    }
}

pub fn key_vals(key: &[crate::check::Field], row: &dyn RowCtx) -> KeyVals {
    let mut k = [NO_VALUE; 4];
    for (slot, f) in k.iter_mut().zip(key) {
        *slot = match row.field(*f) {
            Value::Code(c) => c,
            Value::Num(n) if n.is_integer() => u16::try_from(n.to_integer()).unwrap_or(NO_VALUE),
            _ => NO_VALUE,
        };
    }
    k
}
