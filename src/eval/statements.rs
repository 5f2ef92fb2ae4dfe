//! From the ledger to statements: per provider-month, every term in tender
//! order asks its own module (`terms/`) for its lines; one rounding per
//! line; caps and supplements read the rounded sums of the terms before
//! them; totals are sums of rounded lines.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::check::{Exact, TermKind};
use crate::data::{Ids, Provider, ProviderId};
use crate::plan::Plan;

use super::attached::{Attach, OwnFiles};
use super::ctx::KeyVals;
use super::customers::Customers;
use super::ledger::Ledger;
use super::month::Month;
use super::overflow;
use super::parties::Parties;
use super::statement::Statement;
use super::terms::{self, TermSums, add_to};

/// A term's exact quantity for one key of a provider-month.
type TermQuantity = (usize, KeyVals, Exact);

#[allow(clippy::too_many_arguments)]
pub fn statements(
    plan: &Plan,
    own: &OwnFiles,
    ledger: &mut Ledger,
    ids: &Ids,
    parties: &Parties,
    customers: &Customers,
    months: &[Month],
    providers: &[Provider],
) -> Vec<Statement> {
    let contract = plan.contract;
    let allocations = terms::allocation::allocate(plan, own, ids, parties, customers, months);
    let replaced = terms::replace::replace(plan, own, ledger, ids, parties, customers);
    let mut by_pm: BTreeMap<(ProviderId, Month), Vec<TermQuantity>> = BTreeMap::new();
    for (&(p, m, t, k), &q) in ledger.lines() {
        by_pm.entry((p, m)).or_default().push((t, k, q));
    }
    for &(p, m) in allocations.keys() {
        by_pm.entry((p, m)).or_default();
    }
    for (p, m) in ledger.day_sum_months() {
        by_pm.entry((p, m)).or_default();
    }
    let names: HashMap<ProviderId, &str> =
        providers.iter().map(|p| (p.id, p.name.as_str())).collect();
    let mut out = Vec::new();
    for ((p, m), mut entries) in by_pm {
        if !months.contains(&m) {
            continue;
        }
        entries.sort_by_key(|e| (e.0, e.1));
        let provider = ids.provider_name(p).to_string();
        let cells = parties.values(p);
        // Caps and supplements read per-provider own files on the month's
        // first day.
        let attach = Attach::provider_month(own, p, m.first());
        let mut lines = Vec::new();
        let mut sums: TermSums = HashMap::new();
        for (t, term) in contract.terms.iter().enumerate() {
            match &term.kind {
                TermKind::Pay(pt) => {
                    for (_, k, q) in entries.iter().filter(|e| e.0 == t) {
                        let rate = terms::pay::rate(pt, *k, cells);
                        let (amount, line) = terms::pay::line(contract, term, pt, k, *q, rate);
                        add_to(&mut sums, t, amount);
                        if let Some(mut line) = line {
                            if let Some(names) = replaced.get(&(p, m, t)) {
                                line.details = names.clone();
                            }
                            lines.push(line);
                        }
                    }
                }
                TermKind::Cap(cap) if cap.per_customer.is_some() => {
                    let capped = terms::cap::per_customer(
                        contract,
                        term,
                        cap,
                        ledger,
                        ids,
                        customers,
                        (p, m),
                        cells,
                        attach,
                    );
                    for l in capped {
                        add_to(&mut sums, t, l.amount);
                        lines.push(l);
                    }
                }
                TermKind::Cap(cap) => {
                    if let Some((taken, line)) = terms::cap::per_provider(
                        contract,
                        term,
                        cap,
                        ledger,
                        &sums,
                        (p, m),
                        cells,
                        attach,
                    ) {
                        sums.insert(t, super::round::exact_of(taken));
                        lines.push(line);
                    }
                }
                TermKind::Supplement(s) => {
                    if let Some((amount, line)) =
                        terms::supplement::line(contract, term, s, &sums, cells, attach)
                    {
                        sums.insert(t, super::round::exact_of(amount));
                        lines.extend(line);
                    }
                }
                TermKind::Allocation(a) => {
                    if let Some(share) = allocations.get(&(p, m)).and_then(|v| v.get(&t))
                        && let Some(line) = terms::allocation::line(term, a, share)
                    {
                        sums.insert(t, Exact::from_integer(share.kronor));
                        lines.push(line);
                    }
                }
            }
        }
        if lines.is_empty() {
            continue;
        }
        let total = lines
            .iter()
            .fold(Decimal::ZERO, |a, l| overflow::add_dec(a, l.amount))
            .round_dp(2);
        out.push(Statement {
            provider_name: names
                .get(&p)
                .map(|n| n.to_string())
                .filter(|n| !n.is_empty()),
            provider,
            period: m,
            total,
            lines,
        });
    }
    out.sort_by(|a, b| (&a.provider, a.period).cmp(&(&b.provider, b.period)));
    out
}
