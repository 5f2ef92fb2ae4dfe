//! The surface syntax as a tree. Every node keeps its [`Span`] so that later
//! stages can point at the rule text; nothing here knows about pest.

use rust_decimal::Decimal;

/// Byte offsets into the rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// A node with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

pub type Ident = Spanned<String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub header: Header,
    pub items: Vec<Item>,
}

/// `avtal "Norrtälje 2025" gäller 2025-01-01 till 2025-12-31`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: Spanned<String>,
    /// Dates stay text here; the checker validates them so that an
    /// impossible date gets a diagnostic of its own.
    pub valid_from: Spanned<String>,
    pub valid_to: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `värde NAME = EXPR [, avrundat till …]`: a named number.
    Value(ValueDecl),
    /// `betald_tid = tid × FIELD`: the field that counts a visit's staff.
    Staff(StaffDecl),
    File(FileDecl),
    Field(FieldDecl),
    Headers(HeadersDecl),
    Code(CodeDecl),
    Table(Table),
    Condition(ConditionDecl),
    Class(ClassDecl),
    Calendar(CalendarDecl),
    Bands(BandDecl),
    /// `besök ersätts inte`: the contract prices no visits.
    VisitsNotPriced(Span),
    /// `kontroller för besök: …`: the engine's checks and their order.
    Checks(ChecksDecl),
    Pay(Box<PayTerm>),
    Cap(CapTerm),
    Supplement(Supplement),
    Allocation(Allocation),
}

/// `värde timpris = 455 kr/h`, `värde nattpris = (a + b) × 99 %, avrundat
/// till hela kronor`: a number with its unit, declared once and used
/// wherever a number may stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueDecl {
    pub name: Ident,
    pub expr: Expr,
    pub rounding: Option<Spanned<Rounding>>,
    pub span: Span,
}

/// `avrundat till hela kronor` / `avrundat till öre`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    Kronor,
    Ore,
}

/// A number where the grammar takes no expression (`gräns N`, `personal
/// högst N`, `fördela N`): a literal or a `värde`'s name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constant {
    Literal(QuantityLit),
    Value(String),
}

/// `kontroller för besök: dubblett annars "…" …`: the engine's own checks
/// on a row kind, in the order they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksDecl {
    /// The row kind as written (`besök`, `händelser`, or another word the
    /// checker refuses).
    pub rows: Spanned<String>,
    pub checks: Vec<CheckEntry>,
    pub span: Span,
}

/// One check: its name as the words written (`längre än 24 h`) and the
/// rule file's reason, if it gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckEntry {
    pub words: Vec<Spanned<String>>,
    pub reason: Option<Spanned<String>>,
    pub span: Span,
}

/// `klass typ: service om …, annars vård`: a code derived from each visit;
/// the first case that holds decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDecl {
    pub name: Ident,
    pub cases: Vec<(Ident, Cond)>,
    pub otherwise: Ident,
    pub span: Span,
}

/// `kalender helgdag: svenska helgdagar`: names a built-in day set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDecl {
    pub name: Ident,
    pub span: Span,
}

/// `tidsband band: natt klockan 22:00 till 07:00 …`: each second of a visit
/// falls in the first band that matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandDecl {
    pub name: Ident,
    pub bands: Vec<Band>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub value: Ident,
    /// Its rules as written, in order: at most one `dagar` and one
    /// `klockan` (both: a second must match both), or `övrig tid` alone —
    /// the checker says so.
    pub parts: Vec<Spanned<BandKind>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BandKind {
    /// Local clock `from` (inclusive) to `to` (exclusive); wraps midnight
    /// when `to` ≤ `from`.
    Clock(Spanned<String>, Spanned<String>),
    /// Whole local days: weekday names or a declared calendar.
    Days(Vec<Ident>),
    /// `övrig tid`: every second no earlier band took.
    Rest,
}

/// `tillägg MOMS "…" för utförare där … betala 3 % × summa A1, A2`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplement {
    pub name: Ident,
    pub label: Spanned<String>,
    pub filter: Option<Cond>,
    pub pay: Expr,
    pub span: Span,
}

/// `fil frånvaro "frånvaro.csv" per kund och period`: a data file of the
/// rule file's own, whose rows attach per customer (or provider) and date
/// interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDecl {
    /// The name `fält … i NAME` and `rubriker i NAME` use.
    pub name: Ident,
    /// The file in the data folder, as written.
    pub file: Spanned<String>,
    /// `kund` or `utförare`, as written.
    pub per: Ident,
    pub span: Span,
}

/// `fält larmtyp i kunder: kod bas, gps, tomt = inget`: a column of a
/// data file that the rule file declares, with its type and what an empty
/// cell means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDecl {
    pub name: Ident,
    /// `besök`, `kunder`, `händelser` or `utförare`, as written.
    pub file: Ident,
    /// `kolumn "HEADER"`: the header the field is read from, instead of its
    /// name.
    pub column: Option<Spanned<String>>,
    pub ty: Spanned<FieldType>,
    /// `None` without `tomt = …`: an empty cell is a data error.
    pub empty: Option<Spanned<EmptyValue>>,
    /// `får saknas`: a file without the column reads as all empty cells.
    pub optional: bool,
    pub span: Span,
}

/// `betald_tid = tid × staff_count`: `betald_tid` is a visit's duration
/// times this field of visits.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffDecl {
    pub field: Ident,
    pub span: Span,
}

/// `rubriker i besök: customer = "Kund-ID", start = "Starttid"`: the
/// headers a real export writes the standard layout's columns under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadersDecl {
    /// `besök`, `kunder`, `händelser` or `utförare`, as written.
    pub file: Ident,
    /// Each column of the layout, with the header it is read from.
    pub map: Vec<(Ident, Spanned<String>)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// `ja/nej`
    Flag,
    /// `kod v1, v2, …`; no values: a `kod NAME: …` line gives them.
    Code(Vec<Ident>),
    /// `koder v1, v2, …`: a set of codes, `|`-separated in a cell.
    Codes(Vec<Ident>),
    /// `heltal MIN till MAX`: a whole number in that range, which can key
    /// a table (a need level).
    Integer { min: u32, max: u32 },
    /// `tal UNIT`, the unit as written.
    Number(Spanned<String>),
    /// `datum`
    Date,
}

/// What `tomt = …` says an empty cell is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyValue {
    /// `tomt = inget`: no value.
    Nothing,
    Bool(bool),
    Number(QuantityLit),
    Date(String),
    /// A code (or a misspelt word: the checker says which).
    Name(String),
}

/// `personal högst 1 utom när dubbelbemanning = ja annars "…"`: how many
/// staff `betald_tid` counts on a visit the condition does not hold for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffCap {
    pub most: Spanned<Constant>,
    pub unless: Option<Cond>,
    pub reason: Spanned<String>,
    pub span: Span,
}

/// `kod zone: tätort, landsbygd, skärgård`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDecl {
    pub column: Ident,
    pub values: Vec<Ident>,
    pub span: Span,
}

/// A number with an optional unit, as written: `486 kr/h`, `13 %`, `4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityLit {
    pub value: Decimal,
    pub unit: Option<Spanned<String>>,
}

/// A grid: header cells along the top, one row per label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: Option<Ident>,
    pub dims: Vec<Ident>,
    pub header: Vec<Ident>,
    pub rows: Vec<TableRow>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub label: Ident,
    /// `None` for a dash (no value in this cell).
    pub cells: Vec<Spanned<Option<QuantityLit>>>,
    pub span: Span,
}

/// `villkor utförd: status = utförd annars "bomtid ersätts inte"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionDecl {
    pub name: Ident,
    pub cond: Cond,
    pub reason: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Visits,
    CustomerDays,
    Events,
    /// Each activity code of a visit, once.
    Activities,
    /// Each provider of providers.csv in each billing month (fixed fees).
    ProviderMonths,
}

/// `moment T1 "label" för besök där … kräver … betala … rad per …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayTerm {
    pub name: Ident,
    pub label: Spanned<String>,
    pub source: Spanned<SourceKind>,
    /// `för besök i T1`: only rows another term pays.
    pub within: Option<Ident>,
    pub filter: Option<Cond>,
    pub requires: Vec<Requirement>,
    pub limits: Vec<Limit>,
    pub pay: Option<Expr>,
    pub key: Vec<Ident>,
    pub window: Option<Window>,
    /// `kontrollera kund`
    pub check_customer: Option<Span>,
    /// Clauses written twice (`betala`, `rad per`, `fönster`, …): the
    /// checker refuses them rather than letting the last silently win.
    pub repeated: Vec<(&'static str, Span)>,
    pub replaces: Option<Replaces>,
    /// `personal högst N …`
    pub staff_cap: Option<StaffCap>,
    pub span: Span,
}

/// `fönster 07:00 till 22:30 annars "…"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub reason: Spanned<String>,
    pub span: Span,
}

/// `ersätter N1 per kund när <cond>`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaces {
    pub term: Ident,
    pub cond: Cond,
    pub span: Span,
}

/// One `kräver` condition; without `annars`, it must name a `villkor`
/// that carries its own reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub cond: Cond,
    pub reason: Option<Spanned<String>>,
    pub span: Span,
}

/// `gräns 4 per utförare och månad, ordnat efter date, event_id annars "…"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub count: Spanned<Constant>,
    pub per: Vec<Ident>,
    /// `för inköp, städning`: the activity codes the limit counts.
    pub only: Vec<Ident>,
    pub order: Vec<Ident>,
    pub reason: Spanned<String>,
    pub span: Span,
}

/// `tak T2 "label" över T1 [per …] högst <expr>`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapTerm {
    pub name: Ident,
    pub label: Spanned<String>,
    pub over: Vec<Ident>,
    pub per: Vec<Ident>,
    pub bound: Expr,
    pub span: Span,
}

/// A fund shared among providers by a count on a basis date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub name: Ident,
    pub label: Spanned<String>,
    pub amount: Spanned<Constant>,
    pub month: Spanned<String>,
    pub basis_date: Spanned<String>,
    pub filter: Option<Cond>,
    /// `lika rest efter utförare`: the field that breaks remainder ties.
    pub tie_break: Ident,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HasKind {
    One(Ident),
    Any(Vec<Ident>),
    Only(Vec<Ident>),
}

pub type Cond = Spanned<CondKind>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondKind {
    Or(Vec<Cond>),
    And(Vec<Cond>),
    Not(Box<Cond>),
    Has {
        field: Ident,
        test: HasKind,
    },
    Within {
        value: Expr,
        from: Expr,
        to: Expr,
    },
    Compare {
        left: Expr,
        op: CmpOp,
        right: Expr,
    },
    InTerm(Ident),
    /// `start klockan 22:00 till 07:00`, `start i natt`, `slut i natt`:
    /// the local time a visit starts (or ends) at.
    At {
        end: bool,
        test: AtTest,
    },
    /// `standardtid[activity] finns`: the table has a value there.
    Exists(Expr),
    /// A named `villkor`, or a yes/no field used alone.
    Ref(Ident),
    /// `ingen frånvaro`: no row of the rule file's own file attaches.
    NoRows(Ident),
}

/// What `start`/`slut` is tested against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtTest {
    /// `klockan FROM till TO`: local clock time in [FROM, TO).
    Clock(Spanned<String>, Spanned<String>),
    /// `i VALUE`: a band value of a `tidsband`.
    Band(Ident),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `A högst B`: the smaller.
    Min,
    /// `A minst B`: the larger.
    Max,
}

pub type Expr = Spanned<ExprKind>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `-x`, `−(a + b)`
    Neg(Box<Expr>),
    Number(QuantityLit),
    Date(String),
    Bool(bool),
    Lookup {
        table: Ident,
        keys: Vec<Ident>,
    },
    Name(Ident),
    /// `summa för kunddagar [där …] av <expr>`
    SumDays {
        filter: Option<Box<Cond>>,
        expr: Box<Expr>,
    },
    /// `summa T1 [och T4]`: the sum of those terms' rounded lines.
    SumTerms(Vec<Ident>),
}
