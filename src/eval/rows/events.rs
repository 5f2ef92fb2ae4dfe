//! Events (SIP meetings, team conferences, new cases): duplicates, validity,
//! then each event term in order through its gate (selection, the unknown
//! provider and customer checks it asks for, requirements), and the term's
//! count limits over the events it admitted.

use chrono::{Datelike, NaiveDate};

use crate::check::{Checks, EngineCheck};
use crate::data::{Cell, DataFile, Event, Ids};
use crate::plan::Plan;

use super::super::attached::{Attach, OwnFiles};
use super::super::ctx::{EventCtx, NO_VALUE, key_vals};
use super::super::customers::{Customers, OnDate};
use super::super::gate::{EngineReason, Refusal, Step, Verdict, Words, gate, none};
use super::super::ledger::Ledger;
use super::super::limits::{Occurrence, Place, ScopeKey, decide, order_time};
use super::super::month::Month;
use super::super::parties::Parties;
use super::super::statement::{NotPaid, NotPaidKind, Reason, SourceRef};
use super::super::value::num;
use super::visits::pay_term;

fn not_paid(ids: &Ids, e: &Event, reason: Reason, source: Option<SourceRef>) -> NotPaid {
    NotPaid {
        kind: NotPaidKind::Event,
        id: e.id.clone(),
        reason,
        source,
        provider: Some(ids.provider_name(e.provider).to_string()),
        period: Some(Month::of(e.date)),
    }
}

/// The engine's customer checks for an event that names a customer
/// (`kontrollera kund`): those the visits' declaration makes, in its words
/// (unknown customer and overlapping rows it always makes; the provider
/// only when it lists `annan utförare`).
fn customer_problem<'c>(
    checks: &'c Checks,
    customers: &Customers,
    e: &Event,
) -> Option<EngineReason<'c>> {
    let c = e.customer?;
    let failed = match customers.on(c, e.date) {
        OnDate::Unknown => EngineCheck::UnknownCustomer,
        OnDate::Overlap => EngineCheck::CustomerRowsOverlap,
        OnDate::One(r) if r.provider != e.provider => EngineCheck::ProviderDiffers,
        OnDate::One(_) => return None,
    };
    let declared = checks.visit(failed);
    if failed == EngineCheck::ProviderDiffers && declared.is_none() {
        return None;
    }
    Some(EngineReason::Check(
        failed,
        declared.and_then(|d| d.reason.as_ref()),
    ))
}

/// What the events pass needs from its version.
pub struct EventRun<'a> {
    pub plan: &'a Plan<'a>,
    pub ids: &'a Ids,
    pub parties: &'a Parties,
    pub customers: &'a Customers,
    /// The rows of the rule file's own files (`fil`).
    pub own: &'a OwnFiles,
    /// Whether a date is this version's to answer for, and whether it is in
    /// the contract's validity.
    pub in_run: &'a dyn Fn(NaiveDate) -> bool,
    pub in_validity: &'a dyn Fn(NaiveDate) -> bool,
    /// Whether a month is reported.
    pub in_scope: &'a dyn Fn(Month) -> bool,
}

pub fn pay_events(
    run: &EventRun,
    ledger: &mut Ledger,
    unpaid: &mut Vec<NotPaid>,
    recon: &mut super::super::counts::Counts,
    mut events: Vec<Event>,
) {
    let contract = run.plan.contract;
    let (ids, parties) = (run.ids, run.parties);
    // Limits that span months see the events of every month of the run;
    // only the asked-for months are paid and reported.
    events.retain(|e| (run.in_run)(e.date));
    let reported = |e: &Event| (run.in_scope)(Month::of(e.date));
    for e in events.iter().filter(|e| reported(e)) {
        recon.bump(e.provider, |r| r.events_in += 1);
    }
    // Sort by id, then content (names as text), so duplicate handling and
    // every later ordering is independent of file order.
    type Key<'e> = (&'e str, NaiveDate, &'e str, Option<&'e str>, &'e [Cell]);
    fn key<'e>(ids: &'e Ids, e: &'e Event) -> Key<'e> {
        (
            &e.id,
            e.date,
            ids.provider_name(e.provider),
            e.customer.map(|c| ids.customer_name(c)),
            &e.values,
        )
    }
    events.sort_by(|a, b| key(ids, a).cmp(&key(ids, b)));
    let mut candidates: Vec<(u128, &Event)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let j = events[i..]
            .iter()
            .position(|e| e.id != events[i].id)
            .map_or(events.len(), |n| i + n);
        let group = &events[i..j];
        let identical = group.iter().all(|e| e == &group[0]);
        for (k, e) in group.iter().enumerate() {
            let duplicate = group.len() > 1 && (!identical || k > 0);
            // The declared checks in their order (the checker keeps both).
            let refused = contract.checks.events.iter().find(|c| match c.check {
                EngineCheck::Duplicate => duplicate,
                EngineCheck::OutsideValidity => !(run.in_validity)(e.date),
                _ => false,
            });
            if let Some(c) = refused {
                if reported(e) {
                    unpaid.push(not_paid(ids, e, Reason::declared(c), c.source.clone()));
                }
            } else {
                // Events are in memory: the id's rank is its exact key.
                candidates.push((i as u128, e));
            }
        }
        i = j;
    }
    candidates.sort_by(|a, b| (a.1.date, &a.1.id).cmp(&(b.1.date, &b.1.id)));
    // Limits per customer count by the customer id, which customers.csv
    // need not know.
    let places: Vec<Place> = candidates
        .iter()
        .map(|(_, e)| Place {
            provider: e.provider,
            customer: e.customer,
            month: Month::of(e.date),
            date: e.date,
            activity: NO_VALUE,
        })
        .collect();
    let uses_regime = contract.codes.requires(DataFile::Providers);
    let mut paid = vec![0u128; candidates.len()];
    let mut failure: Vec<Option<(Reason, SourceRef)>> = vec![None; candidates.len()];
    for &t in &run.plan.event_terms {
        let term = pay_term(&contract.terms[t]);
        let source = &contract.terms[t].source;
        // Rows that pass the term's gate, before its limits.
        let mut eligible = Vec::new();
        for (n, (_, e)) in candidates.iter().enumerate() {
            let ctx = EventCtx {
                event: e,
                provider: parties.values(e.provider),
                paid: paid[n],
                attach: Attach::new(run.own, e.customer, e.provider, e.date),
            };
            let engine = || {
                let why = if uses_regime && !parties.listed(e.provider) {
                    Some(EngineReason::UnknownProvider)
                } else if term.check_customer {
                    customer_problem(&contract.checks, run.customers, e)
                } else {
                    None
                };
                why.map(|w| Refusal {
                    step: Step::Engine,
                    words: Words::Engine(w),
                    source,
                })
            };
            match gate(term, &ctx, engine, none, none) {
                Verdict::NotSelected => {}
                Verdict::Refused(r) => {
                    if failure[n].is_none() {
                        failure[n] = Some(r.owned());
                    }
                }
                Verdict::Admitted => eligible.push(n),
            }
        }
        if !term.limits.is_empty() {
            let mut occurrences = Vec::new();
            for &n in &eligible {
                let (rank, e) = candidates[n];
                for (li, limit) in term.limits.iter().enumerate() {
                    occurrences.push(Occurrence {
                        limit: run.plan.first_limit[t] + li as u16,
                        scope: ScopeKey::of(limit, &places[n]),
                        time: order_time(limit, e.date.num_days_from_ce() as i64, true),
                        id: rank,
                        activity: NO_VALUE,
                        row: n as u32,
                        term: t as u16,
                    });
                }
            }
            let count = |l: u16| term.limits[(l - run.plan.first_limit[t]) as usize].count;
            let losers = decide(occurrences, count).expect("event ids are exact keys");
            eligible.retain(|&n| match losers.get(&(n as u32, t as u16, NO_VALUE)) {
                Some(&l) => {
                    let limit = &term.limits[(l - run.plan.first_limit[t]) as usize];
                    if failure[n].is_none() {
                        failure[n] =
                            Some((Reason::Rule(limit.reason.clone()), limit.source.clone()));
                    }
                    false
                }
                None => true,
            });
        }
        for n in eligible {
            let e = candidates[n].1;
            if !reported(e) {
                continue;
            }
            let ctx = EventCtx {
                event: e,
                provider: parties.values(e.provider),
                paid: paid[n],
                attach: Attach::new(run.own, e.customer, e.provider, e.date),
            };
            let q = num(&term.quantity, &ctx);
            let k = key_vals(&term.key, &ctx);
            ledger.add((places[n].provider, Month::of(e.date), t, k), q, || {
                super::super::trace::Row::Event {
                    id: e.id.clone(),
                    customer: e.customer.map(|c| run.ids.customer_name(c).to_string()),
                }
            });
            if t < 128 {
                paid[n] |= 1u128 << t;
            }
        }
    }
    for (n, (_, e)) in candidates.iter().enumerate() {
        if !reported(e) {
            continue;
        }
        if paid[n] != 0 {
            recon.bump(e.provider, |r| r.events_paid += 1);
        } else {
            let (r, s) = failure[n]
                .take()
                .map_or((Reason::NoTermForEvent, None), |(r, s)| (r, Some(s)));
            unpaid.push(not_paid(ids, e, r, s));
        }
    }
}
