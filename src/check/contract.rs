//! The checked contract: every name resolved, every unit known, every table
//! complete. This is what the evaluator runs; it never sees the syntax tree.

use chrono::{NaiveDate, NaiveTime};
use num_rational::Ratio;

use crate::data::{ActivitySet, Code, ColumnKind, DataFile, DeclaredColumn, Schema};
pub use crate::syntax::SourceRef;

use super::units::Unit;

/// Exact numbers on the way to an amount.
pub type Exact = Ratio<i128>;

/// At most this many `klass` declarations: a visit keeps its classes in a
/// fixed array on the hot path.
pub const MAX_CLASSES: usize = 8;

/// At most this many `tidsband` sets: a visit keeps the band of each in a
/// fixed array on the hot path, and a line's key holds at most four fields.
pub const MAX_BAND_SETS: usize = 4;

/// At most this many expression and condition nodes in a checked contract,
/// with every named `villkor` written out where it is used. The checked
/// contract holds each use as a copy, so `villkor` that name another twice
/// double at each step: 40 such steps would be 2⁴⁰ nodes. The bundled
/// contracts have a few hundred.
pub const MAX_NODES: usize = 100_000;

#[derive(Debug, Clone)]
pub struct Contract {
    pub name: String,
    /// The rule file as named on the command line.
    pub file: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// Where `gäller FROM till TO` stands, for diagnostics about versions.
    pub validity_span: crate::syntax::Span,
    /// The data the contract reads, as the readers are told it: every
    /// declared field (standard and own), which are read, and the headers.
    pub codes: Schema,
    /// Codes derived from each visit (`klass`).
    pub classes: Vec<Class>,
    /// How a visit's seconds fall into time bands: each `tidsband` set, in
    /// declaration order (`Field::Band(i)` is the `i`-th).
    pub bands: Vec<Bands>,
    pub terms: Vec<Term>,
    /// How many `summa för kunddagar` the caps hold (ids `0..day_sums`).
    pub day_sums: usize,
    /// Warnings of the check (unused declarations, unreachable terms).
    pub warnings: Vec<super::error::CheckError>,
    /// The declared fields (the standard ones of `rules/prelude/standard.taxa`,
    /// then the rule file's own), in declaration order.
    pub fields: Vec<DeclaredField>,
    /// The visits.csv slot of the field `betald_tid` multiplies a visit's
    /// time by (`betald_tid = tid × staff_count`); none: by one.
    pub staff: Option<u16>,
    /// The visits.csv slot of the set of codes activity rows come from
    /// (`för aktiviteter`: the one `koder` field of visits.csv).
    pub activities: Option<u16>,
    /// The data files the rule file declares of its own (`fil`), in
    /// declaration order: `DataFile::Own(k)` is the `k`-th.
    pub files: Vec<crate::data::OwnFile>,
    /// The headers columns are read from instead of their names
    /// (`rubriker`, `fält … kolumn`), for the data readers.
    pub headers: Vec<crate::data::HeaderMapping>,
    /// `besök ersätts inte`: the contract prices no visits; each visit in
    /// its validity is counted (`visits_not_priced`), not checked or listed.
    pub visits_not_priced: bool,
    /// The engine's own checks (`kontroller`), the rule file's or the
    /// prelude's default.
    pub checks: Checks,
}

/// The engine's own checks on visits and on events, each list in the order
/// the checks apply (`kontroller för besök:`, `kontroller för händelser:`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Checks {
    pub visits: Vec<DeclaredCheck>,
    pub events: Vec<DeclaredCheck>,
}

impl Checks {
    /// How the contract words `check` on visits, if it makes it there.
    pub fn visit(&self, check: EngineCheck) -> Option<&DeclaredCheck> {
        self.visits.iter().find(|c| c.check == check)
    }
}

/// One check as declared: what it checks, and the rule file's words for a
/// row it refuses (none: the engine's own words, in the statement's
/// language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredCheck {
    pub check: EngineCheck,
    pub reason: Option<std::sync::Arc<str>>,
    /// Where the rule file declares it; none for the prelude's default.
    pub source: Option<SourceRef>,
}

/// A check the engine makes before any term is asked (domain.md, "Order of
/// not-paid reasons").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EngineCheck {
    /// `dubblett`: rows that share an id.
    Duplicate,
    /// `slut inte efter start`: end ≤ start.
    EndNotAfterStart,
    /// `längre än N h`: a real duration over N hours.
    LongerThan { hours: u32 },
    /// `utanför avtalstiden`: a date outside the contract's validity.
    OutsideValidity,
    /// `okänd kund`: no customer row covers the date.
    UnknownCustomer,
    /// `kundrader överlappar`: two customer rows cover the date.
    CustomerRowsOverlap,
    /// `annan utförare`: the covering row names another provider.
    ProviderDiffers,
}

/// A declared field (`fält`, standard or the rule file's own): its data
/// column (as the reader reads it) and its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredField {
    pub column: DeclaredColumn,
    /// A `tal` field's unit (base units); none for other types.
    pub unit: Unit,
    /// Its place among its file's declared fields: the slot of the row's
    /// cells it is read from.
    pub slot: u16,
    /// One of the standard fields (not the rule file's): read only when a
    /// rule uses it, never warned about.
    pub standard: bool,
    /// A `kod`/`koder` field's values are given (inline or by `kod NAME:`).
    pub codes_given: bool,
    /// `får saknas`: a file without the column reads as all empty cells.
    pub optional: bool,
}

impl Contract {
    /// A declared field by its file and slot.
    pub fn declared(&self, file: DataFile, slot: u16) -> Option<&DeclaredField> {
        self.fields
            .iter()
            .find(|f| f.column.file == file && f.slot == slot)
    }
}

impl Contract {
    /// A key field's name in statements (a class or band by its declared name).
    pub fn field_name(&self, f: Field) -> String {
        match f {
            Field::Class(i) => self
                .classes
                .get(i as usize)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            Field::Band(i) => self
                .bands
                .get(i as usize)
                .map(|b| b.name.clone())
                .unwrap_or_default(),
            Field::Declared(file, slot) => self
                .declared(file, slot)
                .map(|d| d.column.name.clone())
                .unwrap_or_default(),
            Field::Attached(k) => self
                .files
                .get(k as usize)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            _ => f.name().to_string(),
        }
    }

    /// The declared text of a key value, for statements.
    pub fn value_name(&self, f: Field, v: u16) -> String {
        let from = |vals: Option<&[String]>| {
            vals.and_then(|vals| vals.get(v as usize))
                .cloned()
                .unwrap_or_default()
        };
        match f {
            Field::Activity => from(
                self.activities
                    .and_then(|slot| self.declared(DataFile::Visits, slot))
                    .map(|d| d.column.kind.codes()),
            ),
            Field::Class(i) => from(self.classes.get(i as usize).map(|c| c.values.as_slice())),
            Field::Band(i) => from(self.bands.get(i as usize).map(|b| b.values.as_slice())),
            Field::Declared(file, slot) => {
                match self.declared(file, slot).map(|d| &d.column.kind) {
                    Some(ColumnKind::Code(values)) => from(Some(values)),
                    _ => v.to_string(),
                }
            }
            _ => v.to_string(),
        }
    }
}

/// `klass`: a code computed from a visit; the first case that holds wins.
#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    pub values: Vec<String>,
    pub cases: Vec<(Code, Cond)>,
    pub otherwise: Code,
}

/// `tidsband`: each second of a visit belongs to the first band of the set
/// that matches its local clock time and date.
#[derive(Debug, Clone)]
pub struct Bands {
    pub name: String,
    pub values: Vec<String>,
    pub rules: Vec<BandRule>,
}

/// One band's rule: a second matches when its day is one of `days` (if
/// given) and its local clock time is in `clock` (if given); neither is
/// `övrig tid`, which matches every second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandRule {
    pub days: Option<DaySet>,
    /// `[from, to)` local clock time; wraps midnight when `to <= from`.
    /// With `days`, the part after midnight belongs to the day the range
    /// began on (`lördag 22:00 till 07:00` is Saturday night into Sunday).
    pub clock: Option<(NaiveTime, NaiveTime)>,
}

impl BandRule {
    /// `övrig tid`.
    pub const REST: BandRule = BandRule {
        days: None,
        clock: None,
    };
}

/// The days a band lists: weekdays (Monday = 0), the Swedish public
/// holidays of a declared calendar, and named eves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DaySet {
    pub weekdays: [bool; 7],
    pub holidays: bool,
    /// Bit per [`Eve`].
    pub eves: u8,
}

/// The eves a band can name by themselves (`dagar julafton, nyårsafton`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eve {
    /// Easter Sunday − 1 (not in `svenska helgdagar`).
    Easter = 0,
    /// The Friday from 19 to 25 June.
    Midsummer = 1,
    /// 24 December.
    Christmas = 2,
    /// 31 December.
    NewYear = 3,
}

/// What a visit's start or end is tested against (`start klockan …`,
/// `start i natt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtTest {
    /// Local clock time in `[from, to)`; wraps midnight when `to <= from`.
    Clock(NaiveTime, NaiveTime),
    /// In this band (value) of this set.
    Band(u8, u16),
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
    Supplement(Supplement),
    Allocation(Allocation),
}

/// A line per provider-month computed from other terms' lines (e.g. VAT
/// compensation), for the providers the filter admits.
#[derive(Debug, Clone)]
pub struct Supplement {
    pub filter: Option<Cond>,
    pub amount: Expr,
}

/// What rows a paying term selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSource {
    Visits,
    CustomerDays,
    Events,
    /// Each activity code of a visit, once.
    Activities,
    /// Each provider listed in providers.csv, once per billing month.
    ProviderMonths,
}

/// A paying term: select rows, require, limit, and price a quantity per key.
#[derive(Debug, Clone)]
pub struct PayTerm {
    pub rows: RowSource,
    /// Index of the term whose paid rows this one is restricted to.
    pub within: Option<usize>,
    pub filter: Option<Cond>,
    pub requires: Vec<Requirement>,
    pub limits: Vec<Limit>,
    /// Only seconds inside this local clock window are paid.
    pub window: Option<Window>,
    /// Events that name a customer get the engine's customer checks.
    pub check_customer: bool,
    /// This term stands in for another per customer when a condition holds.
    pub replaces: Option<Replaces>,
    /// What one row contributes to its line's quantity.
    /// `personal högst N …`: how many staff `betald_tid` counts.
    pub staff_cap: Option<StaffCap>,
    pub quantity: Expr,
    pub quantity_unit: Unit,
    /// The price, fixed per line (depends only on the key and the provider).
    pub rate: Expr,
    pub rate_unit: Unit,
    pub key: Vec<Field>,
    /// Bit `i`: key field `i` is a whole number (`heltal`, a need level),
    /// so a line's key value reads back as that number when it is priced.
    pub numeric_keys: u8,
}

/// `personal högst N utom när COND annars "REASON"`: on a visit COND does
/// not hold for, `betald_tid` counts at most `most` staff; the others'
/// time is an unpaid part with `reason`.
#[derive(Debug, Clone)]
pub struct StaffCap {
    pub most: u32,
    pub unless: Option<Cond>,
    pub reason: String,
    pub source: SourceRef,
}

#[derive(Debug, Clone)]
pub struct Window {
    pub from: NaiveTime,
    pub to: NaiveTime,
    pub reason: String,
    pub source: SourceRef,
}

/// Per provider × customer × month: when `cond` holds (with the term's own
/// quantity and the customer's day sums), the customer leaves `term` and is
/// paid by this term; otherwise this term pays nothing for the customer.
#[derive(Debug, Clone)]
pub struct Replaces {
    pub term: usize,
    pub cond: Cond,
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
    /// The activity codes the limit counts (activity rows); `None` = all.
    pub only: Option<ActivitySet>,
    pub order: Vec<Field>,
    pub reason: String,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Provider,
    Month,
    Customer,
    /// ISO 8601 week of the row's local date.
    IsoWeek,
    /// The row's local date.
    Day,
    /// The activity code (activity rows).
    Activity,
}

/// A cap: the capped terms' rounded lines against a bound, per provider and
/// month; the excess is a negative line of its own.
#[derive(Debug, Clone)]
pub struct Cap {
    pub over: Vec<usize>,
    pub bound: Expr,
    /// `per kund och zone`: the bound holds per provider × customer × month
    /// × these fields, in the capped term's quantity unit; the excess is
    /// priced at the capped term's rate. Empty: per provider-month, in kr.
    pub per_customer: Option<Vec<Field>>,
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
    /// `datum`: the visit's local start date, the event's date, or the day
    /// of a customer-day.
    Date,
    VisitId,
    EventId,
    Start,
    /// One activity code (activity rows).
    Activity,
    /// A derived `klass` code, by index.
    Class(u8),
    /// The band of a `tidsband` set (by index): of a second where a term
    /// splits a visit's time by it, otherwise of the visit's start.
    Band(u8),
    /// A declared field (every column but the engine's keys): its file,
    /// and its slot among that file's declared fields (the row's cells), so
    /// a row reads it by index; [`Contract::declared`] has its name and
    /// type.
    Declared(DataFile, u16),
    /// Whether a row of the rule file's own file (`fil`, by number)
    /// attaches to the row at hand (`ingen frånvaro`, `frånvaro finns`).
    Attached(u8),
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "datum",
            Field::VisitId => "visit_id",
            Field::EventId => "event_id",
            Field::Start => "start",
            Field::Activity => "activity",
            Field::Class(_) => "klass",
            Field::Band(_) => "tidsband",
            Field::Declared(..) => "fält",
            Field::Attached(_) => "fil",
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
    /// `högst`: the smaller.
    Min,
    /// `minst`: the larger.
    Max,
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
    /// A code of the field compared with (its index in that field's values).
    Code(Code),
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

impl Expr {
    /// The measure a quantity expression counts, if any.
    pub fn measure(&self) -> Option<Measure> {
        match self {
            Expr::Measure(m) => Some(*m),
            Expr::Binary(_, l, r) => l.measure().or_else(|| r.measure()),
            _ => None,
        }
    }
}

/// A table column (or grid) flattened: `cells[i0 * stride0 + i1 * …]`.
#[derive(Debug, Clone)]
pub struct LookupTable {
    pub keys: Vec<Field>,
    /// Number of values per key column, for the strides.
    pub sizes: Vec<usize>,
    /// `None` where the table has a dash.
    pub cells: Vec<Option<Exact>>,
}

/// A resolved condition.
#[derive(Debug, Clone)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    /// The set field has any of these codes.
    HasAny(Field, ActivitySet),
    /// The set field has these codes and no others (and is not empty).
    HasOnly(Field, ActivitySet),
    Within(Expr, Expr, Expr),
    Compare(Expr, Cmp, Expr),
    /// The row is paid by that (earlier) term.
    InTerm(usize),
    /// The table cell exists (is not a dash).
    Exists(Expr),
    /// The visit's start (or, `end`, its end) passes the test.
    At {
        end: bool,
        test: AtTest,
    },
}
