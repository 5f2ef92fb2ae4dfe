//! From exact sums to statements: per provider-month, terms in tender order;
//! one rounding per line; caps and supplements read the rounded lines;
//! replacements per customer; allocations by largest remainder.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rust_decimal::Decimal;

use crate::check::{Cap, Contract, Exact, Expr, Measure, PayTerm, Term, TermKind};
use crate::data::Provider;
use crate::plan::Plan;

use super::ctx::{DayCtx, KeyCtx, KeyVals, NO_VALUE, SumCtx};
use super::customers::{Customers, OnDate};
use super::overflow;
use super::pay::{Acc, MonthIdx, month_label};
use super::round::{exact_of, largest_remainder, round_half_away};
use super::statement::{Line, Statement};
use super::value::{holds, num};

fn zero() -> Exact {
    Exact::from_integer(0)
}

fn fmt_exact(x: Exact) -> Decimal {
    round_half_away(x, 4).normalize()
}

/// A term's exact quantity for one key of a provider-month.
type TermQuantity = (usize, KeyVals, Exact);

/// Per provider-month: customers a replacing term applied to (named on its
/// line).
type Replaced = HashMap<(u32, MonthIdx, usize), Vec<String>>;

pub fn statements(
    plan: &Plan,
    acc: &mut Acc,
    customers: &Customers,
    months: &[MonthIdx],
    providers: &[Provider],
) -> Vec<Statement> {
    let contract = plan.contract;
    let allocations = allocate(plan, acc, customers, months);
    let replaced = replace(plan, acc, customers);
    let mut by_pm: BTreeMap<(u32, MonthIdx), Vec<TermQuantity>> = BTreeMap::new();
    for (&(p, m, t, k), &q) in &acc.quantities {
        by_pm.entry((p, m)).or_default().push((t, k, q));
    }
    for &(p, m) in allocations.keys() {
        by_pm.entry((p, m)).or_default();
    }
    for &(p, m, _) in acc.day_sums.keys() {
        by_pm.entry((p, m)).or_default();
    }
    let names: HashMap<&str, &str> = providers
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut out = Vec::new();
    for ((p, m), mut entries) in by_pm {
        if !months.contains(&m) {
            continue;
        }
        entries.sort_by_key(|e| (e.0, e.1));
        let provider = acc.providers[p as usize].clone();
        let regime = acc.regime(&provider);
        let mut lines = Vec::new();
        let mut term_sums: HashMap<usize, Exact> = HashMap::new();
        for (t, term) in contract.terms.iter().enumerate() {
            match &term.kind {
                TermKind::Pay(pt) => {
                    for (_, k, q) in entries.iter().filter(|e| e.0 == t) {
                        let rate = num(
                            &pt.rate,
                            &KeyCtx {
                                key: &pt.key,
                                vals: *k,
                                regime,
                            },
                        );
                        let amount = round_half_away(overflow::mul(*q, rate), 2);
                        let sum = term_sums.entry(t).or_insert(zero());
                        *sum = overflow::add(*sum, exact_of(amount));
                        if amount.is_zero() {
                            continue;
                        }
                        let mut line = pay_line(contract, term, pt, k, *q, rate, amount);
                        if let Some(names) = replaced.get(&(p, m, t)) {
                            line.details = names.clone();
                        }
                        lines.push(line);
                    }
                }
                TermKind::Cap(cap) if cap.per_customer.is_some() => {
                    let cap_lines =
                        cap_per_customer(contract, acc, customers, cap, term, p, m, regime);
                    for l in cap_lines {
                        let sum = term_sums.entry(t).or_insert(zero());
                        *sum = overflow::add(*sum, exact_of(l.amount));
                        lines.push(l);
                    }
                }
                TermKind::Cap(cap) => {
                    let day_sums =
                        |id: usize| acc.day_sums.get(&(p, m, id)).copied().unwrap_or(zero());
                    let ctx = SumCtx {
                        term_sums: &term_sums,
                        day_sums: &day_sums,
                        own: zero(),
                        regime,
                    };
                    let bound = round_half_away(num(&cap.bound, &ctx), 2);
                    let capped = overflow::sum(
                        cap.over
                            .iter()
                            .map(|o| term_sums.get(o).copied().unwrap_or(zero())),
                    );
                    let capped = round_half_away(capped, 2);
                    let excess = overflow::sub_dec(capped, bound);
                    if excess > Decimal::ZERO {
                        term_sums.insert(t, exact_of(-excess));
                        let over: Vec<&str> = cap
                            .over
                            .iter()
                            .map(|o| contract.terms[*o].name.as_str())
                            .collect();
                        lines.push(Line {
                            term: term.name.clone(),
                            label: term.label.clone(),
                            key: Vec::new(),
                            quantity: excess,
                            unit: "kr".into(),
                            rate: Decimal::NEGATIVE_ONE,
                            rate_unit: String::new(),
                            amount: -excess,
                            source: term.source.clone(),
                            explanation: format!(
                                "Σ {} = {capped} kr exceeds the cap {bound} kr by {excess} kr",
                                over.join(" + ")
                            ),
                            details: Vec::new(),
                        });
                    }
                }
                TermKind::Supplement(s) => {
                    let day_sums = |_: usize| zero();
                    let ctx = SumCtx {
                        term_sums: &term_sums,
                        day_sums: &day_sums,
                        own: zero(),
                        regime,
                    };
                    if !s.filter.as_ref().is_none_or(|f| holds(f, &ctx)) {
                        continue;
                    }
                    let amount = round_half_away(num(&s.amount, &ctx), 2);
                    // Shown as base × share when the tender's form is
                    // `share × summa …`.
                    let (base, share) = match &s.amount {
                        Expr::Binary(crate::check::Op::Mul, a, b) => match (a.as_ref(), b.as_ref())
                        {
                            (Expr::Num(f), x) | (x, Expr::Num(f)) => (num(x, &ctx), *f),
                            _ => (exact_of(amount), Exact::from_integer(1)),
                        },
                        _ => (exact_of(amount), Exact::from_integer(1)),
                    };
                    term_sums.insert(t, exact_of(amount));
                    if amount.is_zero() {
                        continue;
                    }
                    lines.push(Line {
                        term: term.name.clone(),
                        label: term.label.clone(),
                        key: Vec::new(),
                        quantity: fmt_exact(base),
                        unit: "kr".into(),
                        rate: fmt_exact(share),
                        rate_unit: String::new(),
                        amount,
                        source: term.source.clone(),
                        explanation: format!(
                            "{} kr × {} = {amount}",
                            fmt_exact(base),
                            fmt_exact(share)
                        ),
                        details: Vec::new(),
                    });
                }
                TermKind::Allocation(a) => {
                    if let Some((count, share, total_count)) =
                        allocations.get(&(p, m)).and_then(|v| v.get(&t))
                    {
                        if *share == 0 {
                            continue;
                        }
                        term_sums.insert(t, Exact::from_integer(*share));
                        lines.push(Line {
                            term: term.name.clone(),
                            label: term.label.clone(),
                            key: Vec::new(),
                            quantity: Decimal::from(*count),
                            unit: "st".into(),
                            rate: Decimal::from_i128_with_scale(a.amount, 0).round_dp(2),
                            rate_unit: "kr".into(),
                            amount: Decimal::from_i128_with_scale(*share, 0).round_dp(2),
                            source: term.source.clone(),
                            explanation: format!(
                                "{} kr × {count} / {total_count} customers on {}, whole kronor by largest remainder = {share} kr",
                                a.amount, a.basis_date
                            ),
                            details: Vec::new(),
                        });
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
                .get(provider.as_str())
                .map(|n| n.to_string())
                .filter(|n| !n.is_empty()),
            provider,
            period: month_label(m),
            total,
            lines,
        });
    }
    out.sort_by(|a, b| (&a.provider, &a.period).cmp(&(&b.provider, &b.period)));
    out
}

/// `ersätter`: per provider × customer × month, either the customer leaves
/// the replaced term (and is paid by the replacing one), or the replacing
/// term pays nothing for the customer. Adjusts `acc.quantities` in place.
fn replace(plan: &Plan, acc: &mut Acc, customers: &Customers) -> Replaced {
    let mut named: Replaced = HashMap::new();
    for (r, term) in plan.contract.terms.iter().enumerate() {
        let TermKind::Pay(pt) = &term.kind else {
            continue;
        };
        let Some(rep) = &pt.replaces else { continue };
        // Every provider × customer × month either term touched.
        let mut who: BTreeSet<(u32, u32, MonthIdx)> = BTreeSet::new();
        let mut own: HashMap<(u32, u32, MonthIdx), Vec<(KeyVals, Exact)>> = HashMap::new();
        let mut theirs: HashMap<(u32, u32, MonthIdx), Vec<(KeyVals, Exact)>> = HashMap::new();
        for (&(p, c, m, t, k), &q) in &acc.customer_quantities {
            if t == r {
                who.insert((p, c, m));
                own.entry((p, c, m)).or_default().push((k, q));
            } else if t == rep.term {
                who.insert((p, c, m));
                theirs.entry((p, c, m)).or_default().push((k, q));
            }
        }
        for (p, c, m) in who {
            let mine = own.remove(&(p, c, m)).unwrap_or_default();
            let quantity = overflow::sum(mine.iter().map(|(_, q)| *q));
            let day_sums = |id: usize| {
                acc.customer_day_sums
                    .get(&(p, c, m, id, [NO_VALUE; 4]))
                    .copied()
                    .unwrap_or(zero())
            };
            let sums = HashMap::new();
            let regime = acc.regime(&acc.providers[p as usize]);
            let ctx = SumCtx {
                term_sums: &sums,
                day_sums: &day_sums,
                own: quantity,
                regime,
            };
            let (drop_term, drop) = if holds(&rep.cond, &ctx) {
                named
                    .entry((p, m, r))
                    .or_default()
                    .push(customers.customer_id(c).to_string());
                (rep.term, theirs.remove(&(p, c, m)).unwrap_or_default())
            } else {
                (r, mine)
            };
            for (k, q) in drop {
                if let Some(total) = acc.quantities.get_mut(&(p, m, drop_term, k)) {
                    *total = overflow::sub(*total, q);
                }
            }
        }
    }
    for v in named.values_mut() {
        v.sort();
    }
    named
}

/// A cap per customer: each customer's quantity of the capped term against
/// the customer's bound, per key; the exact excess summed per key and priced
/// once at the capped term's rate.
#[allow(clippy::too_many_arguments)]
fn cap_per_customer(
    contract: &Contract,
    acc: &Acc,
    customers: &Customers,
    cap: &Cap,
    term: &Term,
    p: u32,
    m: MonthIdx,
    regime: u16,
) -> Vec<Line> {
    let capped = cap.over[0];
    let TermKind::Pay(pt) = &contract.terms[capped].kind else {
        return Vec::new();
    };
    let mut excess: BTreeMap<KeyVals, (Exact, Vec<String>)> = BTreeMap::new();
    let mut rows: Vec<(&super::pay::CustomerLineId, &Exact)> = acc
        .customer_quantities
        .iter()
        .filter(|((pp, _, mm, t, _), _)| *pp == p && *mm == m && *t == capped)
        .collect();
    rows.sort_by_key(|(id, _)| **id);
    for (&(_, c, _, _, k), &q) in rows {
        let day_sums = |id: usize| {
            acc.customer_day_sums
                .get(&(p, c, m, id, k))
                .copied()
                .unwrap_or(zero())
        };
        let sums = HashMap::new();
        let ctx = SumCtx {
            term_sums: &sums,
            day_sums: &day_sums,
            own: zero(),
            regime,
        };
        let bound = num(&cap.bound, &ctx);
        if q > bound {
            let e = excess.entry(k).or_insert((zero(), Vec::new()));
            e.0 = overflow::add(e.0, overflow::sub(q, bound));
            e.1.push(customers.customer_id(c).to_string());
        }
    }
    let mut out = Vec::new();
    for (k, (hours, names)) in excess {
        let rate = num(
            &pt.rate,
            &KeyCtx {
                key: &pt.key,
                vals: k,
                regime,
            },
        );
        let amount = -round_half_away(overflow::mul(hours, rate), 2);
        if amount.is_zero() {
            continue;
        }
        let mut line = pay_line(contract, term, pt, &k, -hours, rate, amount);
        line.explanation = format!(
            "{} {} over the cap × {} {} = {amount}",
            fmt_exact(hours),
            pt.quantity_unit,
            fmt_exact(rate),
            pt.rate_unit
        );
        line.details = names;
        out.push(line);
    }
    out
}

fn pay_line(
    contract: &Contract,
    term: &Term,
    pt: &PayTerm,
    k: &KeyVals,
    q: Exact,
    rate: Exact,
    amount: Decimal,
) -> Line {
    let key: Vec<(String, String)> = pt
        .key
        .iter()
        .zip(k)
        .map(|(f, v)| (contract.field_name(*f), contract.value_name(*f, *v)))
        .collect();
    let unit = pt.quantity_unit.to_string();
    let rate_unit = pt.rate_unit.to_string();
    let explanation = match pt.quantity.measure() {
        Some(Measure::PaidTime | Measure::Duration)
            if pt.quantity_unit == crate::check::units::Unit::H =>
        {
            let secs = overflow::mul(q, Exact::from_integer(3600));
            format!(
                "{} s × {} {rate_unit} ÷ 3600 = {amount}",
                fmt_exact(secs),
                fmt_exact(rate)
            )
        }
        _ => format!(
            "{} {unit} × {} {rate_unit} = {amount}",
            fmt_exact(q),
            fmt_exact(rate)
        ),
    };
    Line {
        term: term.name.clone(),
        label: term.label.clone(),
        key,
        quantity: fmt_exact(q),
        unit,
        rate: round_half_away(rate, 2),
        rate_unit,
        amount,
        source: term.source.clone(),
        explanation,
        details: Vec::new(),
    }
}

/// Each allocation's share per provider: (count, share in kr, total count),
/// by provider-month and term.
type Shares = HashMap<(u32, MonthIdx), HashMap<usize, (u64, i128, u64)>>;

fn allocate(plan: &Plan, acc: &mut Acc, customers: &Customers, months: &[MonthIdx]) -> Shares {
    let mut out: Shares = HashMap::new();
    for (t, term) in plan.contract.terms.iter().enumerate() {
        let TermKind::Allocation(a) = &term.kind else {
            continue;
        };
        let m = a.year * 12 + a.month as i32 - 1;
        if !months.contains(&m) {
            continue;
        }
        // Customers counted on the basis date by the provider of the row that
        // covers it; a customer whose rows overlap there counts for nobody.
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for row in customers.rows() {
            if !row.covers(a.basis_date) || !seen.insert(row.customer.as_str()) {
                continue;
            }
            let OnDate::One(r) = customers.on(&row.customer, a.basis_date) else {
                continue;
            };
            let ctx = DayCtx {
                row: r,
                date: a.basis_date,
                days_in_month: 30,
                regime: acc.regime(&r.provider),
            };
            if a.filter.as_ref().is_none_or(|f| holds(f, &ctx)) {
                *counts.entry(r.provider.clone()).or_insert(0) += 1;
            }
        }
        let ids: Vec<&String> = counts.keys().collect();
        let weights: Vec<u64> = counts.values().copied().collect();
        let total: u64 = weights.iter().sum();
        let shares = largest_remainder(a.amount, &weights);
        for ((id, w), s) in ids.into_iter().zip(&weights).zip(shares) {
            let p = acc.provider(id);
            out.entry((p, m)).or_default().insert(t, (*w, s, total));
        }
    }
    out
}
