//! Allocations (`fördelning`): a fund shared among providers in whole
//! kronor by largest remainder, in proportion to the customers each
//! provider has on the basis date.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use crate::check::{Allocation, Term, TermKind};
use crate::data::{CustomerId, Ids, ProviderId};
use crate::plan::Plan;

use super::super::attached::{Attach, OwnFiles};
use super::super::ctx::DayCtx;
use super::super::customers::{Customers, OnDate};
use super::super::month::Month;
use super::super::parties::Parties;
use super::super::round::largest_remainder;
use super::super::statement::{Line, Working};
use super::super::value::holds;

/// One provider's share of one fund: customers counted, kronor, and the
/// customers counted for every provider.
#[derive(Debug, Clone)]
pub struct Share {
    pub count: u64,
    pub kronor: i128,
    pub total_count: u64,
    /// The provider's customers counted, by name (what an explanation of
    /// the share lists).
    pub customers: Vec<String>,
}

/// Each allocation's share per provider-month and term.
pub type Shares = HashMap<(ProviderId, Month), HashMap<usize, Share>>;

pub fn allocate(
    plan: &Plan,
    own: &OwnFiles,
    ids: &Ids,
    parties: &Parties,
    customers: &Customers,
    months: &[Month],
) -> Shares {
    let mut out: Shares = HashMap::new();
    for (t, term) in plan.contract.terms.iter().enumerate() {
        let TermKind::Allocation(a) = &term.kind else {
            continue;
        };
        let Some(m) = Month::new(a.year, a.month) else {
            continue;
        };
        if !months.contains(&m) {
            continue;
        }
        // Customers counted on the basis date by the provider of the row that
        // covers it; a customer whose rows overlap there counts for nobody.
        // Providers share the fund in the order of their names (largest
        // remainder breaks ties by that order).
        let mut counts: BTreeMap<&str, (ProviderId, u64, Vec<String>)> = BTreeMap::new();
        let mut seen: HashSet<CustomerId> = HashSet::new();
        for row in customers.rows() {
            if !row.covers(a.basis_date) || !seen.insert(row.customer) {
                continue;
            }
            let OnDate::One(r) = customers.on(row.customer, a.basis_date) else {
                continue;
            };
            let ctx = DayCtx {
                row: r,
                date: a.basis_date,
                days_in_month: 30,
                provider: parties.values(r.provider),
                attach: Attach::new(own, Some(r.customer), r.provider, a.basis_date),
            };
            if a.filter.as_ref().is_none_or(|f| holds(f, &ctx)) {
                let name = ids.provider_name(r.provider);
                let e = counts.entry(name).or_insert((r.provider, 0, Vec::new()));
                e.1 += 1;
                e.2.push(ids.customer_name(r.customer).to_string());
            }
        }
        let weights: Vec<u64> = counts.values().map(|(_, w, _)| *w).collect();
        let total: u64 = weights.iter().sum();
        let shares = largest_remainder(a.amount, &weights);
        for ((p, w, names), s) in counts.into_values().zip(shares) {
            let mut names = names;
            names.sort();
            out.entry((p, m)).or_default().insert(
                t,
                Share {
                    count: w,
                    kronor: s,
                    total_count: total,
                    customers: names,
                },
            );
        }
    }
    out
}

/// The line of a provider's share (none for a share of nothing).
pub fn line(term: &Term, a: &Allocation, share: &Share) -> Option<Line> {
    if share.kronor == 0 {
        return None;
    }
    Some(Line {
        term: term.name.clone(),
        label: term.label.clone(),
        key: Vec::new(),
        quantity: Decimal::from(share.count),
        unit: "st".into(),
        rate: Decimal::from_i128_with_scale(a.amount, 0).round_dp(2),
        rate_unit: "kr".into(),
        amount: Decimal::from_i128_with_scale(share.kronor, 0).round_dp(2),
        source: term.source.clone(),
        working: Working::Allocation {
            fund: a.amount,
            count: share.count,
            total_count: share.total_count,
            basis_date: a.basis_date,
            share: share.kronor,
            customers: share.customers.clone(),
        },
        details: Vec::new(),
    })
}
