//! What a pay run produces: statements of lines, the not-paid lists and the
//! reconciliation. Every report format is a view of a [`PayRun`].

use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::syntax::SourceRef;

/// The contract a run was paid by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractInfo {
    pub name: String,
    pub file: String,
    /// `YYYY-MM-DD`
    pub valid_from: String,
    pub valid_to: String,
}

/// One payment line: provider × month × term × key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The term's name in the rule file (e.g. `T1`).
    pub term: String,
    /// The tender's own wording for the term.
    pub label: String,
    /// Key field → value, in the order the term's `per` clause names them.
    pub key: Vec<(String, String)>,
    /// The aggregated quantity in `unit`, for display (the amount is computed
    /// from the exact quantity, never from this rounded figure).
    pub quantity: Decimal,
    /// `h`, `mån`, `st`, `kr`, …
    pub unit: String,
    pub rate: Decimal,
    /// The rate's unit, e.g. `kr/h`.
    pub rate_unit: String,
    pub amount: Decimal,
    pub source: SourceRef,
    /// How the amount was worked out, in words and figures
    /// (e.g. `915300 s × 486 kr/h ÷ 3600 = 123565.50`).
    pub explanation: String,
    /// Rows behind the line worth naming (e.g. the customers a rule applied to).
    pub details: Vec<String>,
}

/// One provider's statement for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub provider: String,
    /// From providers.csv, when known.
    pub provider_name: Option<String>,
    /// `YYYY-MM`
    pub period: String,
    pub total: Decimal,
    pub lines: Vec<Line>,
}

/// What a not-paid entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
/// Declared in the order of their names, so entries sort as their JSON does.
pub enum NotPaidKind {
    /// A monthly fee not paid for a customer-month (id `CUSTOMER:YYYY-MM`).
    #[serde(rename = "customer-month")]
    CustomerMonth,
    /// An unreadable customers.csv row skipped by a lenient run.
    #[serde(rename = "customer-row")]
    CustomerRow,
    #[serde(rename = "event")]
    Event,
    /// An unreadable providers.csv row skipped by a lenient run.
    #[serde(rename = "provider-row")]
    ProviderRow,
    #[serde(rename = "visit")]
    Visit,
}

impl NotPaidKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotPaidKind::Visit => "visit",
            NotPaidKind::Event => "event",
            NotPaidKind::CustomerMonth => "customer-month",
            NotPaidKind::CustomerRow => "customer-row",
            NotPaidKind::ProviderRow => "provider-row",
        }
    }
}

/// A whole row (or customer-month) that is not paid, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotPaid {
    pub kind: NotPaidKind,
    pub id: String,
    pub reason: String,
    /// The rule that excluded it; `None` for the engine's own integrity
    /// checks (duplicate, end not after start, …).
    pub source: Option<SourceRef>,
    /// The provider and month the row names, when it could be read.
    pub provider: Option<String>,
    pub period: Option<String>,
}

/// What part of a paid visit was not paid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PartKind {
    #[serde(rename = "visit_time")]
    VisitTime,
    #[serde(rename = "visit_activity")]
    VisitActivity,
}

/// The unpaid part of a visit that is otherwise paid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotPaidPart {
    pub kind: PartKind,
    pub id: String,
    /// For `visit_time`.
    pub seconds: Option<i64>,
    /// For `visit_activity`.
    pub activity: Option<String>,
    pub reason: String,
    pub source: Option<SourceRef>,
    pub provider: Option<String>,
    pub period: Option<String>,
}

/// Nothing lost: every input row is paid or not paid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub visits_in: u64,
    pub visits_paid: u64,
    pub visits_not_paid: u64,
    pub events_in: u64,
    pub events_paid: u64,
    pub events_not_paid: u64,
}

/// The result of paying one data set by one contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayRun {
    /// The (earliest) contract version of the run.
    pub contract: ContractInfo,
    /// Every version paid, when a run spans several; empty for one.
    pub versions: Vec<ContractInfo>,
    /// Sorted by provider, then period.
    pub statements: Vec<Statement>,
    /// Sorted by kind, id, reason.
    pub not_paid: Vec<NotPaid>,
    pub not_paid_parts: Vec<NotPaidPart>,
    pub reconciliation: Reconciliation,
    /// Months (`YYYY-MM`) holding rows that no contract version covers.
    pub uncovered_months: Vec<String>,
}
