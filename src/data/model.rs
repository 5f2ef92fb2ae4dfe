//! The records of a data set, as the evaluator sees them after reading.
//!
//! A record holds the engine's own keys (ids, provider, customer, times,
//! dates) and the cells of the declared fields in slot order ([`Values`]).
//! A code cell holds a [`Code`]: the index of the value in the list the rule
//! file declared, so the hot loop compares small integers, never strings.
//! A stored row (customers, events, providers) holds its cells inline up
//! to ten, so the customer row a visit reads is one piece of memory.
//! Provider and customer ids are interned the same way as they are read
//! (see [`super::ids`]).

use chrono::{NaiveDate, NaiveDateTime};
use num_rational::Ratio;
use rust_decimal::Decimal;

pub use super::ids::{CustomerId, Ids, ProviderId};

/// Index of a declared code value within its column's declaration order.
pub type Code = u16;

/// A row's cells of the declared fields of its file, in slot order (the
/// standard fields of `rules/prelude/standard.taxa` first, then the rule
/// file's own). Inline up to four, so a visit of the standard layout is
/// read without an allocation.
pub type Values = smallvec::SmallVec<[Cell; 10]>;

/// A visit's cells: inline up to four (the standard layout's), so the
/// visit a pass moves from the reader to the terms stays small.
pub type VisitValues = smallvec::SmallVec<[Cell; 4]>;

/// What the data readers are told of a contract: every declared field
/// (standard and the rule file's own), whether and how it is read, and the
/// headers columns are read from. The engine's own keys (ids, provider,
/// customer, start and end, dates, from and to) are the layout's
/// (`layout.rs`); every other column is one of these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// In declaration order; each file's rows carry theirs in this order.
    declared: Vec<DeclaredColumn>,
    /// The headers the rule file reads columns from instead of their names
    /// (`rubriker`, `fält … kolumn`).
    headers: Vec<HeaderMapping>,
}

/// A column read from a header other than its name: a layout column
/// (`rubriker i besök: start = "Starttid"`) or a declared one
/// (`fält planerad_tid i besök, kolumn "Planerad tid": …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMapping {
    pub file: DataFile,
    /// The column's name in the layout, or the declared field's name.
    pub column: String,
    /// The header text it is read from, exactly as the export writes it.
    pub header: String,
}

/// The four data files, as a rule file's `fält` names them, and the files
/// a rule file declares of its own (`fil`; see [`super::own`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataFile {
    Visits,
    Customers,
    Events,
    Providers,
    /// The rule file's own file, by its place among its `fil` declarations.
    Own(u8),
}

impl DataFile {
    /// The standard file's name in the data folder (a file the rule file
    /// declares has the name its `fil` gives).
    pub fn file_name(self) -> &'static str {
        match self {
            DataFile::Visits => "visits.csv",
            DataFile::Customers => "customers.csv",
            DataFile::Events => "events.csv",
            DataFile::Providers => "providers.csv",
            DataFile::Own(_) => "the rule file's own file",
        }
    }
}

/// How a declared column's cells are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    /// `ja`/`nej`/`true`/`false`.
    Flag,
    /// One of these codes (its index).
    Code(Vec<String>),
    /// A set of these codes, `|`-separated (at most 128: an [`ActivitySet`]).
    Codes(Vec<String>),
    /// A whole number in `min..=max`.
    Integer { min: u32, max: u32 },
    /// A decimal number (`,` or `.` as decimal mark), multiplied by
    /// `factor` into the rule's base unit (`min` is 1/60 h).
    /// `unit` is as the rule file writes it, for messages.
    Number { factor: Ratio<i128>, unit: String },
    /// `YYYY-MM-DD`.
    Date,
}

impl ColumnKind {
    /// The values of a `kod` or `koder` column (none for other kinds).
    pub fn codes(&self) -> &[String] {
        match self {
            ColumnKind::Code(values) | ColumnKind::Codes(values) => values,
            _ => &[],
        }
    }
}

/// One cell of a declared column, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    /// No value (`tomt = inget`), or a column the contract does not read.
    Empty,
    Flag(bool),
    Code(Code),
    Set(ActivitySet),
    Number(Number),
    Date(NaiveDate),
}

/// Whether a run reads a declared column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// No rule reads it: its cells are [`Cell::Empty`], its column may be
    /// absent.
    Unread,
    /// Read where the header has it; an absent column reads as all empty
    /// (a standard field with a `tomt` value, e.g. `staff_count`).
    IfPresent,
    /// The header must have it.
    Required,
}

/// A column the contract declares: where it is, how it reads, and what an
/// empty cell is (`None`: an empty cell is an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredColumn {
    pub name: String,
    pub file: DataFile,
    pub kind: ColumnKind,
    pub empty: Option<Cell>,
    /// The `tomt` code as written, when the rule file does not declare it
    /// (`status`'s `utförd`): an empty cell is then an error that says so.
    pub undeclared_empty: Option<String>,
    pub reading: Reading,
}

impl Schema {
    /// The columns a contract declares, read into each row's cells.
    pub fn declare_columns(&mut self, columns: Vec<DeclaredColumn>) {
        self.declared = columns;
    }

    /// The headers the rule file maps columns to.
    pub fn map_headers(&mut self, headers: Vec<HeaderMapping>) {
        self.headers = headers;
    }

    /// The header mappings of one file.
    pub fn headers_of(&self, file: DataFile) -> impl Iterator<Item = &HeaderMapping> {
        self.headers.iter().filter(move |h| h.file == file)
    }

    /// Every declared column, in declaration order.
    pub fn columns(&self) -> &[DeclaredColumn] {
        &self.declared
    }

    /// The declared columns of one file, in slot order.
    pub fn columns_of(&self, file: DataFile) -> impl Iterator<Item = &DeclaredColumn> {
        self.declared.iter().filter(move |c| c.file == file)
    }

    /// Whether a rule reads a column of `file` it requires (a contract that
    /// reads a providers.csv field needs each visit's provider listed
    /// there).
    pub fn requires(&self, file: DataFile) -> bool {
        self.columns_of(file)
            .any(|c| c.reading == Reading::Required)
    }
}

/// A set of activity codes, as a bit set over the declared catalogue
/// (at most 128 activities; the checker enforces the limit). Two 64-bit
/// words, high first (so the derived order is the number's), rather than a
/// `u128`: a `u128` is 16-byte aligned, which would align every [`Cell`]
/// to 16 bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActivitySet([u64; 2]);

impl ActivitySet {
    fn bits(self) -> u128 {
        ((self.0[0] as u128) << 64) | self.0[1] as u128
    }
    fn of(bits: u128) -> ActivitySet {
        ActivitySet([(bits >> 64) as u64, bits as u64])
    }
    pub fn insert(&mut self, code: Code) {
        *self = ActivitySet::of(self.bits() | 1u128 << code);
    }
    pub fn contains(self, code: Code) -> bool {
        self.bits() & (1u128 << code) != 0
    }
    pub fn is_empty(self) -> bool {
        self.bits() == 0
    }
    /// Whether the two sets share a code.
    pub fn meets(self, other: ActivitySet) -> bool {
        self.bits() & other.bits() != 0
    }
    /// Whether every code of this set is in `other`.
    pub fn within(self, other: ActivitySet) -> bool {
        self.bits() & !other.bits() == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Code> {
        (0..128u16).filter(move |c| self.contains(*c))
    }
}

/// The factors a unit can bring a number to base units by (data-format:
/// `min` is 1/60 h, `%` 1/100; a unit `a/b` divides one by the other), so a
/// cell holds the number as written and the index of its factor.
/// (`check::units` tests that every unit's factor is here.)
pub const FACTORS: [(i128, i128); 7] =
    [(1, 1), (1, 60), (1, 100), (60, 1), (100, 1), (5, 3), (3, 5)];

/// An exact number as a row holds it: the decimal as the file writes it
/// (28 digits, 16 bytes) and the index of its unit's factor, widened to the
/// evaluator's exact `Ratio<i128>` when read. Smaller than a `Ratio<i128>`
/// (a cell is 24 bytes, not 48), which matters as every row carries its
/// cells and a pass moves each visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number {
    value: Decimal,
    factor: u8,
}

impl Number {
    /// `value × factor`, if the factor is a unit's.
    pub fn of(value: Decimal, factor: Ratio<i128>) -> Option<Number> {
        let i = FACTORS
            .iter()
            .position(|(n, d)| Ratio::new(*n, *d) == factor)?;
        Some(Number {
            value,
            factor: i as u8,
        })
    }

    /// An exact number as a cell: `x` as a decimal times one of the
    /// factors, if one makes it a decimal of at most 28 digits.
    pub fn new(x: Ratio<i128>) -> Option<Number> {
        FACTORS.iter().enumerate().find_map(|(i, (n, d))| {
            let y = x * Ratio::new(*d, *n);
            decimal(y).map(|value| Number {
                value,
                factor: i as u8,
            })
        })
    }

    /// The number as the cell wrote it (in its column's unit).
    pub fn written(self) -> Decimal {
        self.value
    }

    pub fn integer(n: i64) -> Number {
        Number {
            value: Decimal::from(n),
            factor: 0,
        }
    }

    /// The exact value, as the evaluator computes with it.
    #[inline]
    pub fn exact(self) -> Ratio<i128> {
        let m = self.value.mantissa();
        let x = match self.value.scale() {
            0 => Ratio::from_integer(m),
            s => Ratio::new(m, 10i128.pow(s)),
        };
        match self.factor {
            0 => x,
            f => {
                let (n, d) = FACTORS[f as usize];
                x * Ratio::new(n, d)
            }
        }
    }
}

/// `x` as a decimal, when its denominator divides a power of ten that a
/// `Decimal` can hold.
fn decimal(x: Ratio<i128>) -> Option<Decimal> {
    let (n, d) = (*x.numer(), *x.denom());
    (0..=28u32).find_map(|scale| {
        let p = 10i128.checked_pow(scale)?;
        if p % d != 0 {
            return None;
        }
        let m = n.checked_mul(p / d)?;
        Decimal::try_from_i128_with_scale(m, scale).ok()
    })
}

/// One row of visits.csv.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Visit {
    /// The duplicate check's, and a not-paid entry's, so kept as text.
    pub id: String,
    pub provider: ProviderId,
    pub customer: CustomerId,
    /// Tag in and tag out as Unix seconds (real time, so `end - start` is the
    /// elapsed time across a daylight-saving change).
    pub start: i64,
    pub end: i64,
    /// Tag in as Europe/Stockholm civil time: decides the visit's date,
    /// customer row and billing month.
    pub start_local: NaiveDateTime,
    /// The declared fields of visits.csv (`staff`, `status`, …).
    pub values: VisitValues,
}

impl Visit {
    /// Real elapsed seconds (may be zero or negative for bad rows).
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }
    pub fn date(&self) -> NaiveDate {
        self.start_local.date()
    }
}

/// One row of customers.csv: the customer's situation over `[from, to]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub customer: CustomerId,
    pub provider: ProviderId,
    /// Inclusive; `None` = open.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The declared fields of customers.csv (`zone`, `granted_hours`, …).
    pub values: Values,
}

impl CustomerRow {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date <= t)
    }
}

/// One row of events.csv.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    pub id: String,
    pub provider: ProviderId,
    /// `None` when the cell is empty.
    pub customer: Option<CustomerId>,
    pub date: NaiveDate,
    /// The declared fields of events.csv (`kind`, …).
    pub values: Values,
}

/// One row of providers.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    /// The declared fields of providers.csv (`regime`, …).
    pub values: Values,
}
