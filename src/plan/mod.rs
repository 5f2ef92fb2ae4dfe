//! A checked contract compiled once into what the evaluator's loops need:
//! which terms look at which rows, in tender order, and which customer-day
//! sums the caps will ask for.

use crate::check::{Cond, Contract, Expr, RowSource, TermKind};

/// A `summa för kunddagar` of a cap's bound, to accumulate while the
/// customer-days are walked.
#[derive(Debug)]
pub struct DaySum<'c> {
    pub id: usize,
    pub filter: Option<&'c Cond>,
    pub expr: &'c Expr,
}

/// The evaluation plan of one contract.
#[derive(Debug)]
pub struct Plan<'c> {
    pub contract: &'c Contract,
    /// Paying terms over visits, customer-days and events, in term order.
    pub visit_terms: Vec<usize>,
    pub day_terms: Vec<usize>,
    pub event_terms: Vec<usize>,
    pub day_sums: Vec<DaySum<'c>>,
}

impl<'c> Plan<'c> {
    pub fn compile(contract: &'c Contract) -> Plan<'c> {
        let mut plan = Plan {
            contract,
            visit_terms: Vec::new(),
            day_terms: Vec::new(),
            event_terms: Vec::new(),
            day_sums: Vec::new(),
        };
        for (i, t) in contract.terms.iter().enumerate() {
            match &t.kind {
                TermKind::Pay(p) => match p.rows {
                    RowSource::Visits => plan.visit_terms.push(i),
                    RowSource::CustomerDays => plan.day_terms.push(i),
                    RowSource::Events => plan.event_terms.push(i),
                },
                TermKind::Cap(c) => collect_day_sums(&c.bound, &mut plan.day_sums),
                TermKind::Allocation(_) => {}
            }
        }
        plan
    }
}

fn collect_day_sums<'c>(e: &'c Expr, out: &mut Vec<DaySum<'c>>) {
    match e {
        Expr::SumDays { id, filter, expr } => out.push(DaySum {
            id: *id,
            filter: filter.as_deref(),
            expr,
        }),
        Expr::Binary(_, l, r) => {
            collect_day_sums(l, out);
            collect_day_sums(r, out);
        }
        _ => {}
    }
}
