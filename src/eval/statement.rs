//! What a pay run produces: statements of lines, the not-paid lists and the
//! reconciliation, as values. Every word and every formatted number a
//! person reads is the report stage's; here a line carries its
//! working as data, a month is a [`Month`], a reason is a [`Reason`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use std::sync::Arc;

use crate::check::{DeclaredCheck, EngineCheck, Exact, Field};

pub use super::month::Month;
pub use crate::syntax::SourceRef;

/// The contract a run was paid by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractInfo {
    pub name: String,
    pub file: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// One part of a line's key: a field the term's `rad per` names and the
/// value this line is for, both as the rule file declares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPart {
    pub field: Field,
    /// The field's name in the data (`zone`, `staff`, `band`, …).
    pub name: String,
    /// The declared value (`tätort`, `omsorg`, …).
    pub value: String,
}

/// How a line's amount was worked out: the exact figures before the one
/// rounding, per kind of term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Working {
    /// A paying term: Σ quantity × rate, rounded once. `seconds` is set when
    /// the quantity is time in hours (shown as seconds ÷ 3600).
    Product {
        quantity: Exact,
        unit: String,
        rate: Exact,
        rate_unit: String,
        seconds: Option<Exact>,
        product: Exact,
    },
    /// A cap per provider and month: the capped terms' rounded lines against
    /// the rounded bound; the excess is taken back.
    Cap {
        /// The capped terms' names, in the cap's order.
        over: Vec<String>,
        capped: Decimal,
        bound: Decimal,
        excess: Decimal,
    },
    /// A cap per customer: the customers' exact excess over their bounds,
    /// priced once at the capped term's rate (`product` is the excess ×
    /// rate, taken back).
    CapPerCustomer {
        excess: Exact,
        unit: String,
        rate: Exact,
        rate_unit: String,
        product: Exact,
        /// Each customer over their bound: what was performed, the bound
        /// and the excess (their share of the cut); the excesses sum to
        /// `excess`.
        customers: Vec<CustomerExcess>,
    },
    /// A supplement: a share of other terms' rounded lines (`base × share`).
    Share {
        base: Exact,
        share: Exact,
        /// The terms whose rounded lines it sums (`summa A1, A2`), in order.
        over: Vec<String>,
    },
    /// A fund shared by largest remainder in whole kronor.
    Allocation {
        fund: i128,
        count: u64,
        total_count: u64,
        basis_date: NaiveDate,
        share: i128,
        /// The provider's customers counted on the basis date.
        customers: Vec<String>,
    },
}

/// One payment line: provider × month × term × key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The term's name in the rule file (e.g. `T1`).
    pub term: String,
    /// The tender's own wording for the term.
    pub label: String,
    /// In the order the term's `rad per` clause names the fields.
    pub key: Vec<KeyPart>,
    /// The quantity as the statement shows it (at most four decimals; the
    /// amount is computed from the exact quantity in `working`).
    pub quantity: Decimal,
    /// `h`, `mån`, `st`, `kr`, …
    pub unit: String,
    /// The rate as the statement shows it.
    pub rate: Decimal,
    /// The rate's unit, e.g. `kr/h`.
    pub rate_unit: String,
    pub amount: Decimal,
    pub source: SourceRef,
    pub working: Working,
    /// Rows behind the line worth naming (the customers a rule applied to).
    pub details: Vec<String>,
}

/// One provider's statement for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub provider: String,
    /// From providers.csv, when known.
    pub provider_name: Option<String>,
    pub period: Month,
    pub total: Decimal,
    pub lines: Vec<Line>,
}

/// What a not-paid entry stands for. Declared in the order of their names,
/// so entries sort as their JSON does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotPaidKind {
    /// A monthly fee not paid for a customer-month (id `CUSTOMER:YYYY-MM`).
    CustomerMonth,
    /// An unreadable customers.csv row skipped by a lenient run.
    CustomerRow,
    Event,
    /// A fixed fee not paid for a provider-month (id `PROVIDER:YYYY-MM`).
    ProviderMonth,
    /// An unreadable providers.csv row skipped by a lenient run.
    ProviderRow,
    /// An unreadable row of a file the rule file declares (`fil`) skipped
    /// by a lenient run.
    FileRow,
    Visit,
}

impl NotPaidKind {
    /// The kind's name in the output contract.
    pub fn as_str(self) -> &'static str {
        match self {
            NotPaidKind::Visit => "visit",
            NotPaidKind::Event => "event",
            NotPaidKind::CustomerMonth => "customer-month",
            NotPaidKind::CustomerRow => "customer-row",
            NotPaidKind::ProviderMonth => "provider-month",
            NotPaidKind::ProviderRow => "provider-row",
            NotPaidKind::FileRow => "file-row",
        }
    }
}

/// Why a row, or part of one, is not paid. The words are the report's
/// (`report::words`), in the statement's language, except the rule file's
/// own, which are printed as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// One of the engine's declared checks (`kontroller`, domain.md "Order
    /// of not-paid reasons"), in the rule file's words when it gives them.
    Check {
        check: EngineCheck,
        words: Option<Arc<str>>,
    },
    /// The visit's time cannot be placed in local time (the last days of
    /// year 9999): refused rather than paid nothing.
    OutsideTimeRange,
    /// The contract prices by the provider's regime and the provider is not
    /// in providers.csv.
    UnknownProvider,
    /// No term of the contract selects the visit.
    NoTermForVisit,
    /// No term of the contract selects the event.
    NoTermForEvent,
    /// The rule file's own words: the `annars "…"` of a requirement, a
    /// window or a limit.
    Rule(String),
    /// A row a lenient run could not read.
    Unreadable {
        column: String,
        message: String,
        text: String,
    },
}

impl Reason {
    /// An engine check's reason in the engine's words.
    pub fn check(check: EngineCheck) -> Reason {
        Reason::Check { check, words: None }
    }

    /// A declared check's reason, in the words it is declared with.
    pub fn declared(c: &DeclaredCheck) -> Reason {
        Reason::Check {
            check: c.check,
            words: c.reason.clone(),
        }
    }
}

/// A whole row (or customer-month) that is not paid, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotPaid {
    pub kind: NotPaidKind,
    pub id: String,
    pub reason: Reason,
    /// The rule that excluded it; `None` for the engine's own checks
    /// (duplicate, end not after start, …) unless the rule file declares
    /// them (`kontroller`), and then the check's line.
    pub source: Option<SourceRef>,
    /// The provider and month the row names, when it could be read.
    pub provider: Option<String>,
    pub period: Option<Month>,
}

/// What part of a paid visit was not paid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartKind {
    /// Time outside a paid window.
    VisitTime,
    /// An activity over a limit.
    VisitActivity,
    /// Staff beyond a term's `personal högst`: their seconds.
    VisitStaff,
}

/// The unpaid part of a visit that is otherwise paid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotPaidPart {
    pub kind: PartKind,
    pub id: String,
    /// For `VisitTime` and `VisitStaff`.
    pub seconds: Option<i64>,
    /// For `VisitActivity`.
    pub activity: Option<String>,
    pub reason: Reason,
    pub source: Option<SourceRef>,
    pub provider: Option<String>,
    pub period: Option<Month>,
}

/// Nothing lost: every input row is paid, not paid, or (under `besök
/// ersätts inte`) not priced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciliation {
    pub visits_in: u64,
    pub visits_paid: u64,
    pub visits_not_paid: u64,
    /// Visits a version that prices none (`besök ersätts inte`) counted;
    /// `None` when every version of the run prices visits.
    pub visits_not_priced: Option<u64>,
    pub events_in: u64,
    pub events_paid: u64,
    pub events_not_paid: u64,
}

impl Reconciliation {
    /// Adds another version's counts.
    pub fn add(&mut self, o: &Reconciliation) {
        self.visits_in += o.visits_in;
        self.visits_paid += o.visits_paid;
        self.visits_not_paid += o.visits_not_paid;
        if let Some(n) = o.visits_not_priced {
            *self.visits_not_priced.get_or_insert(0) += n;
        }
        self.events_in += o.events_in;
        self.events_paid += o.events_paid;
        self.events_not_paid += o.events_not_paid;
    }
}

/// The result of paying one data set by a contract (or its versions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayRun {
    /// The (earliest) contract version of the run.
    pub contract: ContractInfo,
    /// Every version paid, when a run spans several; empty for one.
    pub versions: Vec<ContractInfo>,
    /// Sorted by provider, then period.
    pub statements: Vec<Statement>,
    /// Sorted by kind, id, reason (the engine's reasons in the order of its
    /// checks, then the rule file's words in code-point order).
    pub not_paid: Vec<NotPaid>,
    pub not_paid_parts: Vec<NotPaidPart>,
    pub reconciliation: Reconciliation,
    /// The same counts for each provider's own rows (a row that could not
    /// be read names no provider and counts only in the run's).
    pub provider_reconciliations: std::collections::BTreeMap<String, Reconciliation>,
    /// Months holding rows that no contract version covers.
    pub uncovered_months: Vec<Month>,
    /// What the data files read with but looks wrong (a quoted cell over
    /// many lines), in file order: providers, customers, events, visits.
    /// Not printed by the run; the caller shows them.
    pub warnings: Vec<crate::data::DataWarning>,
    /// With `Options::trace`: the rows behind each line of the traced
    /// provider-months, by provider and month; empty otherwise.
    pub contributions: Vec<Contribution>,
    /// With `Options::trace`: what decided each visit the engine's checks
    /// refused in that provider-month, by visit id.
    pub details: std::collections::BTreeMap<String, Detail>,
}

/// The row behind a contribution.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Row {
    Visit {
        id: String,
        customer: String,
    },
    /// Consecutive days of one customer row, `from` to `to` inclusive.
    Days {
        customer: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    Event {
        id: String,
        customer: Option<String>,
    },
    /// The provider in the month (`för utförarmånader`).
    ProviderMonth,
    /// The customer's quantity taken out of this line because another term
    /// stands in for them (`ersätter`): a negative contribution.
    Replaced {
        customer: String,
    },
}

impl Row {
    /// The customer the row is about, if any.
    pub fn customer(&self) -> Option<&str> {
        match self {
            Row::Visit { customer, .. }
            | Row::Days { customer, .. }
            | Row::Replaced { customer } => Some(customer),
            Row::Event { customer, .. } => customer.as_deref(),
            Row::ProviderMonth => None,
        }
    }
}

/// One row's contribution to one line of a traced statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// The statement's provider and month.
    pub provider: Arc<str>,
    pub period: Month,
    /// The term's name (`T1`).
    pub term: Arc<str>,
    /// The term's citation, as its line's: two versions sharing a month
    /// may both have a term of the name and key.
    pub source: Arc<SourceRef>,
    /// The line's key, as the line shows it (shared by the line's rows).
    pub key: Arc<[KeyPart]>,
    pub row: Row,
    /// In the line's quantity unit, exact.
    pub quantity: Exact,
}

/// The values that decided an engine check, for an explanation: a run
/// records them only for the provider-month it traces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// The customer's row on the visit's date names another provider.
    CustomerProvider {
        customer: String,
        provider: String,
        date: NaiveDate,
    },
    /// No customer row covers the date.
    NoCustomerRow { customer: String, date: NaiveDate },
    /// Two rows of the customer cover the date.
    RowsOverlap { customer: String, date: NaiveDate },
    /// The visit's real duration against the limit.
    Duration { seconds: i64, limit_hours: u32 },
    /// The visit's real duration (zero or negative).
    NotAfterStart { seconds: i64 },
    /// A rule's condition did not hold: the fields it reads and the
    /// visit's values of them.
    Values(Vec<(String, String)>),
    /// The visit's date and the contract's validity.
    Outside {
        date: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// One customer's part of a per-customer cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerExcess {
    pub customer: String,
    pub performed: Exact,
    pub bound: Exact,
    pub excess: Exact,
}
