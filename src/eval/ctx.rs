//! The rows a term can look at, as [`RowCtx`]: a visit (or one of its
//! activities, or one band of its time), a customer-day, an event, a line's
//! key, and the sums a cap or supplement reads.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::check::{Bands, Contract, Exact, Field, MAX_BAND_SETS, MAX_CLASSES, Measure};
use crate::data::{ActivitySet, Cell, CustomerRow, DataFile, Event, Visit};

use super::attached::Attach;
use super::value::{RowCtx, Value};

/// Key field values of a line: codes (or a level) in the term's key order.
pub type KeyVals = [u16; 4];
pub const NO_VALUE: u16 = u16::MAX;

/// A declared field's cell as a value: an empty one (`tomt = inget`) is
/// none, so `finns` is false, a comparison false, a key finds no cell.
#[inline(always)]
pub fn cell(values: &[Cell], slot: u16) -> Value {
    match values.get(slot as usize) {
        Some(Cell::Flag(b)) => Value::Bool(*b),
        Some(Cell::Code(c)) => Value::Code(*c),
        Some(Cell::Set(s)) => Value::Set(*s),
        Some(Cell::Number(n)) => Value::Num(n.exact()),
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

/// A field of the customer row or of the provider (providers.csv), which
/// every row that has a customer row can read.
#[inline(always)]
pub fn customer_field(row: &[Cell], provider: &[Cell], f: Field) -> Option<Value> {
    match f {
        Field::Declared(DataFile::Customers, slot) => Some(cell(row, slot)),
        Field::Declared(DataFile::Providers, slot) => Some(cell(provider, slot)),
        _ => None,
    }
}

/// The staff on a visit: its cell of the field `betald_tid = tid × FIELD`
/// names (1 without one, or for an empty cell).
#[inline]
pub fn crew(contract: &Contract, v: &Visit) -> u32 {
    match contract.staff.and_then(|slot| v.values.get(slot as usize)) {
        // A `heltal` cell: a whole number (checked when read).
        Some(Cell::Number(n)) => u32::try_from(n.exact().to_integer()).unwrap_or(1),
        _ => 1,
    }
}

/// A visit's activity codes: its cell of the `koder` field activity rows
/// come from.
#[inline]
pub fn activity_set(contract: &Contract, v: &Visit) -> ActivitySet {
    match contract
        .activities
        .and_then(|slot| v.values.get(slot as usize))
    {
        Some(Cell::Set(s)) => *s,
        _ => ActivitySet::default(),
    }
}

/// A visit with its customer row, seen by visit and activity terms.
pub struct VisitCtx<'a> {
    pub visit: &'a Visit,
    /// The visit's cells and its customer row's, as slices: a field read
    /// is one index (the hot path reads several per visit and term).
    pub cells: &'a [Cell],
    pub row_cells: &'a [Cell],
    /// The provider's cells of providers.csv (empty: not listed).
    pub provider: &'a [Cell],
    /// Terms that have paid this visit (or one of its activities).
    pub paid: u128,
    /// The staff on the visit ([`crew`]).
    pub crew: u32,
    /// The staff `betald_tid` counts: the visit's, or fewer under a
    /// term's `personal högst`.
    pub staff: u32,
    /// The seconds a time measure counts: the whole visit, the part inside
    /// a window, or one band's part.
    pub secs: i64,
    /// The band of each `tidsband` set of the seconds counted, where a term
    /// splits the visit's time by that set; `NO_VALUE`: not split, and the
    /// band read is the start's (`start_band`).
    pub band: [u16; MAX_BAND_SETS],
    /// The band of each set at the visit's start, computed when first read
    /// (most visits of most contracts never ask).
    pub start_band: std::cell::Cell<Option<[u16; MAX_BAND_SETS]>>,
    /// The contract's `tidsband` sets.
    pub bands: &'a [Bands],
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
            Field::Declared(DataFile::Visits, slot) => cell(self.cells, slot),
            Field::Date => Value::Date(Some(self.visit.date())),
            Field::Activity => Value::Code(self.activity),
            Field::Band(s) => self.band_of(s),
            Field::Class(i) => Value::Code(self.classes[i as usize]),
            Field::Declared(DataFile::Own(_), _) | Field::Attached(_) => attached(&self.attach, f),
            _ => customer_field(self.row_cells, self.provider, f).unwrap_or(Value::Nothing),
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
    fn at(&self, end: bool) -> Option<chrono::NaiveDateTime> {
        let unix = if end {
            self.visit.end
        } else {
            self.visit.start
        };
        Some(super::clock::local_time(unix))
    }
    fn band_at(&self, set: u8, end: bool) -> Option<u16> {
        if !end {
            return self.start_bands().get(set as usize).copied();
        }
        super::bands::band_at(self.bands.get(set as usize)?, self.visit.end)
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

impl VisitCtx<'_> {
    /// The band of set `s`: of the seconds counted where the term splits
    /// the visit's time by the set, else of the visit's start.
    #[inline]
    fn band_of(&self, s: u8) -> Value {
        let s = s as usize;
        match self.band.get(s) {
            Some(&b) if b != NO_VALUE => Value::Code(b),
            _ => self
                .start_bands()
                .get(s)
                .map_or(Value::Nothing, |&b| Value::Code(b)),
        }
    }

    /// The band of each set at the visit's start.
    fn start_bands(&self) -> [u16; MAX_BAND_SETS] {
        if let Some(b) = self.start_band.get() {
            return b;
        }
        let b = bands_at(self.bands, self.visit.start);
        self.start_band.set(Some(b));
        b
    }
}

/// The band of each set at `unix` (`NO_VALUE` past the sets).
fn bands_at(bands: &[Bands], unix: i64) -> [u16; MAX_BAND_SETS] {
    let mut out = [NO_VALUE; MAX_BAND_SETS];
    if bands.is_empty() {
        return out;
    }
    let local = super::clock::local_time(unix);
    for (slot, set) in out.iter_mut().zip(bands) {
        *slot = super::bands::band_of(set, local.date(), local.time()).unwrap_or(NO_VALUE);
    }
    out
}

/// One day of a customer row.
pub struct DayCtx<'a> {
    pub row: &'a CustomerRow,
    pub date: NaiveDate,
    pub days_in_month: i128,
    pub provider: &'a [Cell],
    /// The own files' rows of the row's customer and provider on the day.
    pub attach: Attach<'a>,
}

impl RowCtx for DayCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if let Some(v) = customer_field(&self.row.values, self.provider, f) {
            return v;
        }
        match f {
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
    pub provider: &'a [Cell],
    pub paid: u128,
    /// The own files' rows of the event's customer, provider and date.
    pub attach: Attach<'a>,
}

impl RowCtx for EventCtx<'_> {
    fn field(&self, f: Field) -> Value {
        match f {
            Field::Declared(DataFile::Events, slot) => cell(&self.event.values, slot),
            Field::Declared(DataFile::Providers, slot) => cell(self.provider, slot),
            Field::Date => Value::Date(Some(self.event.date)),
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
    /// Bit `i`: key field `i` is a whole number, read back as that number.
    pub numeric: u8,
    pub provider: &'a [Cell],
}

impl RowCtx for KeyCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if let Field::Declared(DataFile::Providers, slot) = f {
            return cell(self.provider, slot);
        }
        match self.key.iter().position(|k| *k == f) {
            Some(i) if self.numeric & (1 << i) != 0 => {
                Value::Num(Exact::from_integer(self.vals[i] as i128))
            }
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
    pub provider: &'a [Cell],
    /// The per-provider own files' rows of the provider on the month's
    /// first day.
    pub attach: Attach<'a>,
}

impl RowCtx for SumCtx<'_> {
    fn field(&self, f: Field) -> Value {
        match f {
            Field::Declared(DataFile::Providers, slot) => cell(self.provider, slot),
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
