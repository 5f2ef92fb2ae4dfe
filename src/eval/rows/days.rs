//! Customer-days: each day of each customer row inside a billing month and
//! the validity, except days another row of the same customer also covers.
//! Pro-rated monthly terms and the caps' customer-day sums are summed here.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::check::Exact;
use crate::data::{Cell, CustomerRow, Ids};
use crate::plan::{DayReads, Plan, SumScope};

use super::super::attached::{Attach, OwnFiles};
use super::super::ctx::{DayCtx, NO_VALUE, key_vals};
use super::super::customers::Customers;
use super::super::gate::{Verdict, gate, none};
use super::super::ledger::Ledger;
use super::super::month::Month;
use super::super::overflow;
use super::super::parties::Parties;
use super::super::statement::{NotPaid, NotPaidKind, Reason};
use super::super::trace::Row;
use super::super::value::{holds, num};
use super::visits::pay_term;

/// Customer-months a day term refused, one entry per customer, month and
/// reason (a month's days share their fate).
pub type CustomerMonths = BTreeMap<(String, Reason), NotPaid>;

#[allow(clippy::too_many_arguments)]
pub fn walk_customer_days(
    plan: &Plan,
    own: &OwnFiles,
    ids: &Ids,
    parties: &Parties,
    ledger: &mut Ledger,
    refused: &mut CustomerMonths,
    customers: &Customers,
    months: &[Month],
) {
    if plan.day_terms.is_empty() && plan.day_sums.is_empty() {
        return;
    }
    let contract = plan.contract;
    let mut runs = Vec::new();
    for &m in months {
        let (first, last) = (m.first(), m.last());
        let days_in_month = m.days() as i128;
        let lo_bound = first.max(contract.valid_from);
        let hi_bound = last.min(contract.valid_to);
        for (ri, row) in customers.rows().iter().enumerate() {
            let lo = row.from.map_or(lo_bound, |f| f.max(lo_bound));
            let hi = row.to.map_or(hi_bound, |t| t.min(hi_bound));
            if lo > hi {
                continue;
            }
            let p = row.provider;
            let c = customers.customer_index(ri);
            let provider = parties.values(p);
            runs.clear();
            run_starts(plan, customers, row, provider, lo, hi, &mut runs);
            for (i, &date) in runs.iter().enumerate() {
                let end = runs.get(i + 1).map_or(hi, |&n| n.pred_opt().unwrap_or(n));
                if customers.overlapped(row, date) {
                    continue;
                }
                // Every day of the run is priced alike (see `DayReads`).
                let days = (end - date).num_days() as i128 + 1;
                let times = |q: Exact| {
                    if days == 1 {
                        q
                    } else {
                        overflow::mul(q, Exact::from_integer(days))
                    }
                };
                let ctx = DayCtx {
                    row,
                    date,
                    days_in_month,
                    provider,
                    attach: Attach::new(own, Some(row.customer), p, date),
                };
                for &t in &plan.day_terms {
                    let term = pay_term(&contract.terms[t]);
                    match gate(term, &ctx, none, none, none) {
                        Verdict::NotSelected => continue,
                        Verdict::Refused(r) => {
                            let (reason, source) = r.owned();
                            let id = format!("{}:{m}", ids.customer_name(row.customer));
                            let phrase = reason.clone();
                            refused
                                .entry((id.clone(), phrase))
                                .or_insert_with(|| NotPaid {
                                    kind: NotPaidKind::CustomerMonth,
                                    id,
                                    reason,
                                    source: Some(source),
                                    provider: Some(ids.provider_name(row.provider).to_string()),
                                    period: Some(m),
                                });
                            continue;
                        }
                        Verdict::Admitted => {}
                    }
                    let q = times(num(&term.quantity, &ctx));
                    let k = key_vals(&term.key, &ctx);
                    ledger.add((p, m, t, k), q, || Row::Days {
                        customer: ids.customer_name(row.customer).to_string(),
                        from: date,
                        to: end,
                    });
                    if plan.per_customer[t] {
                        ledger.add_customer((p, c, m, t, k), q);
                    }
                }
                for s in &plan.day_sums {
                    if !s.filter.is_none_or(|f| holds(f, &ctx)) {
                        continue;
                    }
                    let v = times(num(s.expr, &ctx));
                    match &s.scope {
                        SumScope::ProviderMonth => ledger.add_day_sum((p, m, s.id), v),
                        SumScope::Customer(fields) => {
                            let k = if fields.is_empty() {
                                [NO_VALUE; 4]
                            } else {
                                key_vals(fields, &ctx)
                            };
                            ledger.add_customer_day_sum((p, c, m, s.id, k), v);
                        }
                    }
                }
            }
        }
    }
}

/// The first day of each run of days in `lo..=hi` on which the day terms
/// and sums see the same row (`runs` gets `lo` first, then ascending
/// dates): a run ends where another row of the customer begins or ends,
/// and, when a rule reads the date, at each date it may be compared with.
fn run_starts(
    plan: &Plan,
    customers: &Customers,
    row: &CustomerRow,
    provider: &[Cell],
    lo: NaiveDate,
    hi: NaiveDate,
    runs: &mut Vec<NaiveDate>,
) {
    runs.push(lo);
    if plan.day_reads == DayReads::EachDay {
        let mut d = lo;
        while let Some(n) = d.succ_opt().filter(|&n| n <= hi) {
            runs.push(n);
            d = n;
        }
        return;
    }
    customers.row_bounds(row, runs);
    if let DayReads::Date(literals) = &plan.day_reads {
        let cells = row.values.iter().chain(provider);
        let dates = cells.filter_map(|c| match c {
            Cell::Date(d) => Some(*d),
            _ => None,
        });
        for d in literals.iter().copied().chain(dates) {
            runs.push(d);
            runs.extend(d.succ_opt());
        }
    }
    runs.retain(|&d| lo <= d && d <= hi);
    runs.sort();
    runs.dedup();
}
