//! Caps (`tak`): per provider and month, the capped terms' rounded lines
//! against a rounded bound, the excess a negative line of its own; or per
//! customer, each customer's exact quantity against the customer's bound,
//! the excess summed per key and priced once at the capped term's rate.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::check::{Cap, Contract, Exact, Term, TermKind};
use crate::data::{Cell, Ids, ProviderId};

use super::super::attached::Attach;
use super::super::ctx::{KeyVals, SumCtx};
use super::super::customers::Customers;
use super::super::ledger::Ledger;
use super::super::month::Month;
use super::super::overflow;
use super::super::round::round_half_away;
use super::super::statement::{CustomerExcess, Line, Working};
use super::super::value::num;
use super::{TermSums, zero};

/// A cap per provider-month: the line taking back the excess, and the
/// excess (negative) as the cap's own sum, when the capped lines exceed it.
#[allow(clippy::too_many_arguments)]
pub fn per_provider(
    contract: &Contract,
    term: &Term,
    cap: &Cap,
    ledger: &Ledger,
    sums: &TermSums,
    (p, m): (ProviderId, Month),
    provider: &[Cell],
    attach: Attach,
) -> Option<(Decimal, Line)> {
    let day_sums = |id: usize| ledger.day_sum((p, m, id));
    let ctx = SumCtx {
        term_sums: sums,
        day_sums: &day_sums,
        own: zero(),
        provider,
        attach,
    };
    let bound = round_half_away(num(&cap.bound, &ctx), 2);
    let capped = overflow::sum(
        cap.over
            .iter()
            .map(|o| sums.get(o).copied().unwrap_or(zero())),
    );
    let capped = round_half_away(capped, 2);
    let excess = overflow::sub_dec(capped, bound);
    if excess <= Decimal::ZERO {
        return None;
    }
    Some((
        -excess,
        Line {
            term: term.name.clone(),
            label: term.label.clone(),
            key: Vec::new(),
            quantity: excess,
            unit: "kr".into(),
            rate: Decimal::NEGATIVE_ONE,
            rate_unit: String::new(),
            amount: -excess,
            source: term.source.clone(),
            working: Working::Cap {
                over: cap
                    .over
                    .iter()
                    .map(|o| contract.terms[*o].name.clone())
                    .collect(),
                capped,
                bound,
                excess,
            },
            details: Vec::new(),
        },
    ))
}

/// A cap per customer: one negative line per key of the capped term, naming
/// the customers over their bound.
#[allow(clippy::too_many_arguments)]
pub fn per_customer(
    contract: &Contract,
    term: &Term,
    cap: &Cap,
    ledger: &Ledger,
    ids: &Ids,
    customers: &Customers,
    (p, m): (ProviderId, Month),
    provider: &[Cell],
    attach: Attach,
) -> Vec<Line> {
    let capped = cap.over[0];
    let TermKind::Pay(pt) = &contract.terms[capped].kind else {
        return Vec::new();
    };
    let mut excess: BTreeMap<KeyVals, (Exact, Vec<CustomerExcess>)> = BTreeMap::new();
    let mut rows: Vec<(u32, KeyVals, Exact)> = ledger
        .customer_lines()
        .filter(|((pp, _, mm, t, _), _)| *pp == p && *mm == m && *t == capped)
        .map(|(&(_, c, _, _, k), &q)| (c, k, q))
        .collect();
    rows.sort_by_key(|&(c, k, _)| (c, k));
    for (c, k, q) in rows {
        let day_sums = |id: usize| ledger.customer_day_sum((p, c, m, id, k));
        let sums = HashMap::new();
        let ctx = SumCtx {
            term_sums: &sums,
            day_sums: &day_sums,
            own: zero(),
            provider,
            attach,
        };
        let bound = num(&cap.bound, &ctx);
        if q > bound {
            let e = excess.entry(k).or_insert((zero(), Vec::new()));
            let over = overflow::sub(q, bound);
            e.0 = overflow::add(e.0, over);
            e.1.push(CustomerExcess {
                customer: ids.customer_name(customers.customer_id(c)).to_string(),
                performed: q,
                bound,
                excess: over,
            });
        }
    }
    let mut out = Vec::new();
    for (k, (over, shares)) in excess {
        let rate = super::pay::rate(pt, k, provider);
        let product = overflow::mul(over, rate);
        let amount = -round_half_away(product, 2);
        if amount.is_zero() {
            continue;
        }
        let mut line = super::pay::line_of(contract, term, pt, &k, -over, rate, product, amount);
        line.working = Working::CapPerCustomer {
            excess: over,
            unit: pt.quantity_unit.to_string(),
            rate,
            rate_unit: pt.rate_unit.to_string(),
            product,
            customers: shares.clone(),
        };
        line.details = shares.into_iter().map(|s| s.customer).collect();
        out.push(line);
    }
    out
}
