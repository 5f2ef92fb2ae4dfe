//! Events (SIP meetings, team conferences, new cases): duplicates, validity,
//! optional customer checks, terms in order with their count limits.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::check::{Field, Limit, Scope};
use crate::data::Event;
use crate::plan::Plan;

use super::ctx::{EventCtx, key_vals};
use super::customers::{Customers, OnDate};
use super::pay::{Acc, MonthIdx, month_label, month_of, reason};
use super::statement::{NotPaid, NotPaidKind, SourceRef};
use super::value::{holds, num};
use super::visits::{pay_term, selected};

fn not_paid(e: &Event, reason: &str, source: Option<SourceRef>) -> NotPaid {
    NotPaid {
        kind: NotPaidKind::Event,
        id: e.id.clone(),
        reason: reason.to_string(),
        source,
        provider: Some(e.provider.clone()),
        period: Some(month_label(month_of(e.date))),
    }
}

/// The engine's customer checks for an event that names a customer.
fn customer_problem(customers: &Customers, e: &Event) -> Option<&'static str> {
    let c = e.customer.as_deref()?;
    match customers.on(c, e.date) {
        OnDate::Unknown => Some(reason::UNKNOWN_CUSTOMER),
        OnDate::Overlap => Some(reason::OVERLAP),
        OnDate::One(r) if r.provider != e.provider => Some(reason::PROVIDER_DIFFERS),
        OnDate::One(_) => None,
    }
}

fn scope_key(limit: &Limit, e: &Event) -> Vec<String> {
    limit
        .per
        .iter()
        .map(|s| match s {
            Scope::Provider => e.provider.clone(),
            Scope::Month => month_label(month_of(e.date)),
            Scope::Customer => e.customer.clone().unwrap_or_default(),
            Scope::IsoWeek => {
                let w = e.date.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            // Events have no activity; the checker allows `aktivitet` only
            // on activity rows.
            Scope::Day | Scope::Activity => e.date.to_string(),
        })
        .collect()
}

fn order_key(limit: &Limit, e: &Event) -> Vec<String> {
    limit
        .order
        .iter()
        .map(|f| match f {
            Field::EventId => e.id.clone(),
            _ => e.date.to_string(),
        })
        .collect()
}

pub fn pay_events(
    plan: &Plan,
    acc: &mut Acc,
    customers: &Customers,
    mut events: Vec<Event>,
    in_run: &dyn Fn(NaiveDate) -> bool,
    in_validity: &dyn Fn(NaiveDate) -> bool,
    in_scope: &dyn Fn(MonthIdx) -> bool,
) {
    let contract = plan.contract;
    // Limits that span months see the events of every month of the run;
    // only the asked-for months are paid and reported.
    events.retain(|e| in_run(e.date));
    let reported = |e: &Event| in_scope(month_of(e.date));
    acc.recon.events_in += events.iter().filter(|e| reported(e)).count() as u64;
    // Sort by id, then content, so duplicate handling and every later
    // ordering is independent of file order.
    events.sort_by(|a, b| {
        (&a.id, a.date, &a.provider, &a.customer, a.kind).cmp(&(
            &b.id,
            b.date,
            &b.provider,
            &b.customer,
            b.kind,
        ))
    });
    let mut candidates: Vec<&Event> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let j = events[i..]
            .iter()
            .position(|e| e.id != events[i].id)
            .map_or(events.len(), |n| i + n);
        let group = &events[i..j];
        let identical = group.iter().all(|e| e == &group[0]);
        for (k, e) in group.iter().enumerate() {
            if group.len() > 1 && (!identical || k > 0) {
                if reported(e) {
                    acc.not_paid.push(not_paid(e, reason::DUPLICATE, None));
                }
            } else if !in_validity(e.date) {
                if reported(e) {
                    acc.not_paid
                        .push(not_paid(e, reason::OUTSIDE_VALIDITY, None));
                }
            } else {
                candidates.push(e);
            }
        }
        i = j;
    }
    candidates.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut paid = vec![0u128; candidates.len()];
    let mut failure: Vec<Option<(String, SourceRef)>> = vec![None; candidates.len()];
    for &t in &plan.event_terms {
        let term = pay_term(&contract.terms[t]);
        // Rows that pass the term's selection and requirements, before limits.
        let mut eligible = Vec::new();
        for (n, e) in candidates.iter().enumerate() {
            let ctx = EventCtx {
                event: e,
                regime: acc.regime(&e.provider),
                paid: paid[n],
            };
            if !selected(term, &ctx) {
                continue;
            }
            if ctx.regime == super::ctx::NO_VALUE && contract.required.providers.contains(&"regime")
            {
                failure[n].get_or_insert((
                    reason::UNKNOWN_PROVIDER.to_string(),
                    contract.terms[t].source.clone(),
                ));
                continue;
            }
            if term.check_customer
                && let Some(r) = customer_problem(customers, e)
            {
                failure[n].get_or_insert((r.to_string(), contract.terms[t].source.clone()));
                continue;
            }
            match term.requires.iter().find(|r| !holds(&r.cond, &ctx)) {
                Some(r) => {
                    failure[n].get_or_insert((r.reason.clone(), r.source.clone()));
                }
                None => eligible.push(n),
            }
        }
        for limit in &term.limits {
            eligible.sort_by(|&a, &b| {
                (
                    scope_key(limit, candidates[a]),
                    order_key(limit, candidates[a]),
                )
                    .cmp(&(
                        scope_key(limit, candidates[b]),
                        order_key(limit, candidates[b]),
                    ))
            });
            let mut taken: HashMap<Vec<String>, u64> = HashMap::new();
            eligible.retain(|&n| {
                let c = taken.entry(scope_key(limit, candidates[n])).or_insert(0);
                *c += 1;
                if *c > limit.count {
                    failure[n].get_or_insert((limit.reason.clone(), limit.source.clone()));
                    false
                } else {
                    true
                }
            });
        }
        for n in eligible {
            let e = candidates[n];
            if !reported(e) {
                continue;
            }
            let ctx = EventCtx {
                event: e,
                regime: acc.regime(&e.provider),
                paid: paid[n],
            };
            let q = num(&term.quantity, &ctx);
            let k = key_vals(&term.key, &ctx);
            let p = acc.provider(&e.provider);
            acc.add((p, month_of(e.date), t, k), q);
            if t < 128 {
                paid[n] |= 1u128 << t;
            }
        }
    }
    for (n, e) in candidates.iter().enumerate() {
        if !reported(e) {
            continue;
        }
        if paid[n] != 0 {
            acc.recon.events_paid += 1;
        } else {
            let (r, s) = failure[n]
                .take()
                .map_or((reason::NO_TERM_EVENT.to_string(), None), |(r, s)| {
                    (r, Some(s))
                });
            acc.not_paid.push(not_paid(e, &r, s));
        }
    }
}
