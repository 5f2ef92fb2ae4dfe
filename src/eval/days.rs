//! Customer-days: each day of each customer row inside a billing month and
//! the validity, except days another row of the same customer also covers.
//! Pro-rated monthly terms and the caps' customer-day sums are summed here.

use crate::check::Exact;
use crate::plan::{Plan, SumScope};

use super::ctx::{DayCtx, NO_VALUE, key_vals};
use super::customers::Customers;
use super::overflow;
use super::pay::{Acc, MonthIdx, month_first, month_label, month_last};
use super::statement::{NotPaid, NotPaidKind};
use super::value::{holds, num};
use super::visits::{pay_term, selected};

pub fn walk_customer_days(plan: &Plan, acc: &mut Acc, customers: &Customers, months: &[MonthIdx]) {
    if plan.day_terms.is_empty() && plan.day_sums.is_empty() {
        return;
    }
    let contract = plan.contract;
    for &m in months {
        let (first, last) = (month_first(m), month_last(m));
        let days_in_month = (last - first).num_days() as i128 + 1;
        let lo_bound = first.max(contract.valid_from);
        let hi_bound = last.min(contract.valid_to);
        for (ri, row) in customers.rows().iter().enumerate() {
            let lo = row.from.map_or(lo_bound, |f| f.max(lo_bound));
            let hi = row.to.map_or(hi_bound, |t| t.min(hi_bound));
            if lo > hi {
                continue;
            }
            let p = acc.provider(&row.provider);
            let c = customers.customer_index(ri);
            let regime = acc.regime(&row.provider);
            let mut date = lo;
            while date <= hi {
                if !customers.overlapped(row, date) {
                    let ctx = DayCtx {
                        row,
                        date,
                        days_in_month,
                        regime,
                    };
                    for &t in &plan.day_terms {
                        let term = pay_term(&contract.terms[t]);
                        if !selected(term, &ctx) {
                            continue;
                        }
                        if let Some(r) = term.requires.iter().find(|r| !holds(&r.cond, &ctx)) {
                            let id = format!("{}:{}", row.customer, month_label(m));
                            acc.customer_months
                                .entry((id.clone(), r.reason.clone()))
                                .or_insert_with(|| NotPaid {
                                    kind: NotPaidKind::CustomerMonth,
                                    id,
                                    reason: r.reason.clone(),
                                    source: Some(r.source.clone()),
                                    provider: Some(row.provider.clone()),
                                    period: Some(month_label(m)),
                                });
                            continue;
                        }
                        let q = num(&term.quantity, &ctx);
                        let k = key_vals(&term.key, &ctx);
                        acc.add((p, m, t, k), q);
                        if plan.per_customer[t] {
                            acc.add_customer((p, c, m, t, k), q);
                        }
                    }
                    for s in &plan.day_sums {
                        if !s.filter.is_none_or(|f| holds(f, &ctx)) {
                            continue;
                        }
                        let v = num(s.expr, &ctx);
                        match &s.scope {
                            SumScope::ProviderMonth => {
                                let e = acc
                                    .day_sums
                                    .entry((p, m, s.id))
                                    .or_insert(Exact::from_integer(0));
                                *e = overflow::add(*e, v);
                            }
                            SumScope::Customer(fields) => {
                                let k = if fields.is_empty() {
                                    [NO_VALUE; 4]
                                } else {
                                    key_vals(fields, &ctx)
                                };
                                let e = acc
                                    .customer_day_sums
                                    .entry((p, c, m, s.id, k))
                                    .or_insert(Exact::from_integer(0));
                                *e = overflow::add(*e, v);
                            }
                        }
                    }
                }
                date = date.succ_opt().expect("dates inside a contract's validity");
            }
        }
    }
}
