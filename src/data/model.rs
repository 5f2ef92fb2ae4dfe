//! The records of a data set, as the evaluator sees them after reading.
//!
//! Code columns (`staff`, `zone`, …) hold a [`Code`]: the index of the value in
//! the list the rule file declared for that column, so the hot loop compares
//! small integers, never strings. Provider and customer ids are interned
//! the same way as they are read (see [`super::ids`]).

use chrono::{NaiveDate, NaiveDateTime};
use num_rational::Ratio;
use rust_decimal::Decimal;

pub use super::ids::{CustomerId, Ids, ProviderId};

/// Index of a declared code value within its column's declaration order.
pub type Code = u16;

/// The code columns of the data layout (data-format.md). A rule file binds an
/// enumeration to each column it uses; the reader rejects undeclared values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeColumn {
    /// visits.csv `staff`
    Staff,
    /// visits.csv `activities` (a `|`-separated set)
    Activities,
    /// visits.csv `status` (empty = `utförd`)
    Status,
    /// customers.csv `zone`
    Zone,
    /// events.csv `kind`
    Kind,
    /// providers.csv `regime`
    Regime,
}

impl CodeColumn {
    pub const ALL: [CodeColumn; 6] = [
        CodeColumn::Staff,
        CodeColumn::Activities,
        CodeColumn::Status,
        CodeColumn::Zone,
        CodeColumn::Kind,
        CodeColumn::Regime,
    ];

    /// The column's name in the CSV header, which is also its name in rule files.
    pub fn column(self) -> &'static str {
        match self {
            CodeColumn::Staff => "staff",
            CodeColumn::Activities => "activities",
            CodeColumn::Status => "status",
            CodeColumn::Zone => "zone",
            CodeColumn::Kind => "kind",
            CodeColumn::Regime => "regime",
        }
    }

    pub fn from_column(name: &str) -> Option<CodeColumn> {
        CodeColumn::ALL.into_iter().find(|c| c.column() == name)
    }

    /// The file the column lives in.
    pub fn file(self) -> &'static str {
        match self {
            CodeColumn::Staff | CodeColumn::Activities | CodeColumn::Status => "visits.csv",
            CodeColumn::Zone => "customers.csv",
            CodeColumn::Kind => "events.csv",
            CodeColumn::Regime => "providers.csv",
        }
    }
}

/// The declared values of every code column, in declaration order.
/// A column without a declaration is not read (its values are not checked
/// and read as code 0); the checker makes sure a contract declares every
/// column it refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeBook {
    columns: Vec<(CodeColumn, Vec<String>)>,
    /// Columns the rule file declares (`fält`), in declaration order; each
    /// file's rows carry theirs in this order ([`Cell`]s).
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

/// How a declared column's cells are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    /// `ja`/`nej`/`true`/`false`.
    Flag,
    /// One of these codes (its index).
    Code(Vec<String>),
    /// A decimal number (`,` or `.` as decimal mark), multiplied by
    /// `factor` into the rule's base unit (`min` is 1/60 h).
    Number { factor: Ratio<i128> },
    /// `YYYY-MM-DD`.
    Date,
}

/// One cell of a declared column, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cell {
    /// No value (`tomt = inget`).
    Empty,
    Flag(bool),
    Code(Code),
    Number(Ratio<i128>),
    Date(NaiveDate),
}

/// A column the rule file declares: where it is, how it reads, and what an
/// empty cell is (`None`: an empty cell is an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredColumn {
    pub name: String,
    pub file: DataFile,
    pub kind: ColumnKind,
    pub empty: Option<Cell>,
}

impl CodeBook {
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

    /// This code book with each mapped declared column named by its header,
    /// so that the errors of its cells name the column as the file does.
    pub(super) fn named_by_header(&self) -> CodeBook {
        let mut book = self.clone();
        for c in &mut book.declared {
            if let Some(h) = self
                .headers
                .iter()
                .find(|h| h.file == c.file && h.column == c.name)
            {
                c.name = h.header.clone();
            }
        }
        book
    }

    /// The declared columns of one file, in declaration order.
    pub fn columns_of(&self, file: DataFile) -> impl Iterator<Item = &DeclaredColumn> {
        self.declared.iter().filter(move |c| c.file == file)
    }

    pub fn declare(&mut self, column: CodeColumn, values: Vec<String>) {
        self.columns.retain(|(c, _)| *c != column);
        self.columns.push((column, values));
    }

    pub fn values(&self, column: CodeColumn) -> Option<&[String]> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v.as_slice())
    }

    /// `Ok(None)` when the column is not declared (any text accepted),
    /// `Err(())` when it is declared and the value is not among its codes.
    #[allow(clippy::result_unit_err)]
    pub fn lookup(&self, column: CodeColumn, text: &str) -> Result<Option<Code>, ()> {
        match self.values(column) {
            None => Ok(None),
            Some(vals) => vals
                .iter()
                .position(|v| v == text)
                .map(|i| Some(i as Code))
                .ok_or(()),
        }
    }
}

/// A set of activity codes, as a bit set over the declared catalogue
/// (at most 128 activities; the checker enforces the limit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActivitySet(pub u128);

impl ActivitySet {
    pub fn insert(&mut self, code: Code) {
        self.0 |= 1u128 << code;
    }
    pub fn contains(self, code: Code) -> bool {
        self.0 & (1u128 << code) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Code> {
        (0..128u16).filter(move |c| self.contains(*c))
    }
}

/// One row of visits.csv.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Visit {
    /// The duplicate check's, and a not-paid entry's, so kept as text.
    pub id: String,
    pub provider: ProviderId,
    pub customer: CustomerId,
    pub staff: Code,
    /// Tag in and tag out as Unix seconds (real time, so `end - start` is the
    /// elapsed time across a daylight-saving change).
    pub start: i64,
    pub end: i64,
    /// Tag in as Europe/Stockholm civil time: decides the visit's date,
    /// customer row and billing month.
    pub start_local: NaiveDateTime,
    pub staff_count: u32,
    pub activities: ActivitySet,
    pub status: Code,
    /// The rule file's own columns of visits.csv (empty: no allocation).
    pub extra: Box<[Cell]>,
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
    pub zone: Code,
    /// Hours per month.
    pub granted_hours: Decimal,
    pub approved_extra_hours: Decimal,
    /// `None` = not enrolled.
    pub hsl_from: Option<NaiveDate>,
    /// `None` = open.
    pub hsl_to: Option<NaiveDate>,
    pub referral: bool,
    pub level: Option<u8>,
    pub alarm: bool,
    pub relief_hours: Decimal,
    /// The rule file's own columns of customers.csv.
    pub extra: Box<[Cell]>,
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
    pub kind: Code,
    /// The rule file's own columns of events.csv.
    pub extra: Box<[Cell]>,
}

/// One row of providers.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub regime: Code,
    /// The rule file's own columns of providers.csv.
    pub extra: Box<[Cell]>,
}
