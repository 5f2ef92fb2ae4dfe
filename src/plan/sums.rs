//! The customer-day sums (`summa för kunddagar`) a contract's caps and
//! replacements read, found once so the walk over customer-days can
//! accumulate each.

use crate::check::{Cond, Expr, Field};

/// Where a `summa för kunddagar` is summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SumScope {
    /// Per provider and month (a cap's bound in kr).
    ProviderMonth,
    /// Per provider, customer and month, kept by these fields (a cap per
    /// customer, or an `ersätter` condition).
    Customer(Vec<Field>),
}

/// A `summa för kunddagar` to accumulate while the customer-days are walked.
#[derive(Debug)]
pub struct DaySum<'c> {
    pub id: usize,
    pub filter: Option<&'c Cond>,
    pub expr: &'c Expr,
    pub scope: SumScope,
}

pub(super) fn collect_cond_sums<'c>(c: &'c Cond, scope: &SumScope, out: &mut Vec<DaySum<'c>>) {
    match c {
        Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| collect_cond_sums(c, scope, out)),
        Cond::Not(c) => collect_cond_sums(c, scope, out),
        Cond::Within(a, b, d) => [a, b, d]
            .into_iter()
            .for_each(|e| collect_day_sums(e, scope, out)),
        Cond::Compare(a, _, b) => [a, b]
            .into_iter()
            .for_each(|e| collect_day_sums(e, scope, out)),
        Cond::Exists(e) => collect_day_sums(e, scope, out),
        Cond::HasAny(..) | Cond::HasOnly(..) | Cond::InTerm(_) | Cond::At { .. } => {}
    }
}

pub(super) fn collect_day_sums<'c>(e: &'c Expr, scope: &SumScope, out: &mut Vec<DaySum<'c>>) {
    match e {
        Expr::SumDays { id, filter, expr } => out.push(DaySum {
            id: *id,
            filter: filter.as_deref(),
            expr,
            scope: scope.clone(),
        }),
        Expr::Binary(_, l, r) => {
            collect_day_sums(l, scope, out);
            collect_day_sums(r, scope, out);
        }
        _ => {}
    }
}
