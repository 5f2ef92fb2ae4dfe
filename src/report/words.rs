//! The words of the views: how a line's working reads, what a not-paid
//! reason and kind are called. English for now, as the views were; one
//! place to translate.

use crate::eval::{Line, NotPaidKind, PartKind, Reason, Working};

use super::format::exact;

/// How a line's amount was worked out, in words and figures
/// (`915300 s × 486 kr/h ÷ 3600 = 123565.50`).
pub fn working(l: &Line) -> String {
    let amount = l.amount;
    match &l.working {
        Working::Product {
            seconds: Some(secs),
            rate,
            rate_unit,
            ..
        } => format!(
            "{} s × {} {rate_unit} ÷ 3600 = {amount}",
            exact(*secs),
            exact(*rate)
        ),
        Working::Product {
            quantity,
            unit,
            rate,
            rate_unit,
            ..
        } => format!(
            "{} {unit} × {} {rate_unit} = {amount}",
            exact(*quantity),
            exact(*rate)
        ),
        Working::Cap {
            over,
            capped,
            bound,
            excess,
        } => format!(
            "Σ {} = {capped} kr exceeds the cap {bound} kr by {excess} kr",
            over.join(" + ")
        ),
        Working::CapPerCustomer {
            excess,
            unit,
            rate,
            rate_unit,
            ..
        } => format!(
            "{} {unit} over the cap × {} {rate_unit} = {amount}",
            exact(*excess),
            exact(*rate)
        ),
        Working::Share { base, share } => {
            format!("{} kr × {} = {amount}", exact(*base), exact(*share))
        }
        Working::Allocation {
            fund,
            count,
            total_count,
            basis_date,
            share,
        } => format!(
            "{fund} kr × {count} / {total_count} customers on {basis_date}, whole kronor by largest remainder = {share} kr"
        ),
    }
}

/// A not-paid reason as printed: the output contract's phrase.
pub fn reason(r: &Reason) -> std::borrow::Cow<'_, str> {
    r.phrase()
}

pub fn not_paid_kind(k: NotPaidKind) -> &'static str {
    k.as_str()
}

pub fn part_kind(kind: &PartKind) -> &'static str {
    match kind {
        PartKind::VisitTime => "visit_time",
        PartKind::VisitActivity => "visit_activity",
        PartKind::VisitStaff => "visit_staff",
    }
}

/// The reconciliation's count of the visits a contract that prices none
/// (`besök ersätts inte`) counted without checking or listing them.
pub const NOT_PRICED: &str = "not priced";
