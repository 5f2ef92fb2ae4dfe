//! A checked contract compiled once into what the evaluator's loops need:
//! which terms look at which rows, in tender order, which terms must be
//! tracked per customer, and which customer-day sums to accumulate.

use chrono::NaiveTime;

mod day_reads;
mod sums;

pub use day_reads::DayReads;
pub use sums::{DaySum, SumScope};
use sums::{collect_cond_sums, collect_day_sums};

use crate::check::{Contract, PayTerm, RowSource, TermKind};

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
    /// What the day terms and sums read of the day (whether a run of days
    /// can be priced at once).
    pub day_reads: DayReads,
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
            day_reads: DayReads::Nothing,
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
        let day_terms: Vec<&PayTerm> = plan
            .day_terms
            .iter()
            .filter_map(|&t| match &contract.terms[t].kind {
                TermKind::Pay(p) => Some(&**p),
                _ => None,
            })
            .collect();
        plan.day_reads = DayReads::of(&day_terms, &plan.day_sums);
        plan
    }
}
