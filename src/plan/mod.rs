//! A checked contract compiled once into what the evaluator's loops need:
//! which terms look at which rows, in tender order, which terms must be
//! tracked per customer, and which customer-day sums to accumulate.

use chrono::NaiveTime;

use crate::check::{Cond, Contract, Expr, Field, RowSource, TermKind};

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

/// The evaluation plan of one contract.
#[derive(Debug)]
pub struct Plan<'c> {
    pub contract: &'c Contract,
    /// Paying terms over a visit (whole visits or its activities), over
    /// customer-days and over events, in term order.
    pub visit_terms: Vec<usize>,
    pub day_terms: Vec<usize>,
    pub event_terms: Vec<usize>,
    /// Paying terms over provider-months (fixed fees), in term order.
    pub provider_month_terms: Vec<usize>,
    pub day_sums: Vec<DaySum<'c>>,
    /// Terms whose quantities are also kept per customer (capped per
    /// customer, replaced, or replacing).
    pub per_customer: Vec<bool>,
    /// Whether any visit or activity term has a count limit (then limits are
    /// decided in a pass of their own before visits are paid).
    pub visit_limits: bool,
    /// Whether any visit term has a `personal högst` (then a visit of more
    /// than one staff keeps track of the staff each term paid).
    pub staff_caps: bool,
    /// Terms over activity rows, a bit per term index.
    pub activity_terms: u128,
    /// Local clock times where a visit must be cut into pieces (bands and
    /// windows), sorted.
    pub cuts: Vec<NaiveTime>,
    /// The contract's count limits numbered in term and clause order (the
    /// order they apply in): each term's first number, and each limit's
    /// count by number.
    pub first_limit: Vec<u16>,
    pub limit_counts: Vec<u64>,
}

impl<'c> Plan<'c> {
    pub fn compile(contract: &'c Contract) -> Plan<'c> {
        let n = contract.terms.len();
        let mut plan = Plan {
            contract,
            visit_terms: Vec::new(),
            day_terms: Vec::new(),
            event_terms: Vec::new(),
            provider_month_terms: Vec::new(),
            day_sums: Vec::new(),
            per_customer: vec![false; n],
            visit_limits: false,
            staff_caps: false,
            activity_terms: 0,
            cuts: Vec::new(),
            first_limit: Vec::with_capacity(n),
            limit_counts: Vec::new(),
        };
        for (i, t) in contract.terms.iter().enumerate() {
            plan.first_limit.push(plan.limit_counts.len() as u16);
            if let TermKind::Pay(p) = &t.kind {
                plan.limit_counts.extend(p.limits.iter().map(|l| l.count));
            }
            match &t.kind {
                TermKind::Pay(p) => {
                    match p.rows {
                        RowSource::Visits | RowSource::Activities => {
                            if p.rows == RowSource::Activities && i < 128 {
                                plan.activity_terms |= 1u128 << i;
                            }
                            plan.visit_terms.push(i);
                            plan.visit_limits |= !p.limits.is_empty();
                            plan.staff_caps |= p.staff_cap.is_some();
                        }
                        RowSource::CustomerDays => plan.day_terms.push(i),
                        RowSource::Events => plan.event_terms.push(i),
                        RowSource::ProviderMonths => plan.provider_month_terms.push(i),
                    }
                    if let Some(w) = &p.window {
                        plan.cuts.extend([w.from, w.to]);
                    }
                    if let Some(r) = &p.replaces {
                        plan.per_customer[i] = true;
                        plan.per_customer[r.term] = true;
                        collect_cond_sums(
                            &r.cond,
                            &SumScope::Customer(Vec::new()),
                            &mut plan.day_sums,
                        );
                    }
                }
                TermKind::Cap(c) => {
                    let scope = match &c.per_customer {
                        Some(fields) => {
                            for o in &c.over {
                                plan.per_customer[*o] = true;
                            }
                            SumScope::Customer(fields.clone())
                        }
                        None => SumScope::ProviderMonth,
                    };
                    collect_day_sums(&c.bound, &scope, &mut plan.day_sums);
                }
                TermKind::Supplement(_) | TermKind::Allocation(_) => {}
            }
        }
        for b in &contract.bands {
            for r in &b.rules {
                if let Some((from, to)) = r.clock {
                    plan.cuts.extend([from, to]);
                }
            }
        }
        plan.cuts.sort();
        plan.cuts.dedup();
        plan
    }
}

fn collect_cond_sums<'c>(c: &'c Cond, scope: &SumScope, out: &mut Vec<DaySum<'c>>) {
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

fn collect_day_sums<'c>(e: &'c Expr, scope: &SumScope, out: &mut Vec<DaySum<'c>>) {
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
