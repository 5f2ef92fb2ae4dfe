//! One visit through the visit and activity terms: selection, requirements,
//! time window, bands, count limits, and what it contributes to which line.

use std::collections::HashMap;

use chrono::Datelike;

use crate::check::{
    BandRule, Contract, Exact, Field, Limit, MAX_CLASSES, PayTerm, RowSource, Scope, Term, TermKind,
};
use crate::data::{CustomerRow, Visit};
use crate::plan::Plan;

use super::clock;
use super::ctx::{KeyVals, NO_VALUE, VisitCtx, key_vals};
use super::statement::{NotPaidPart, PartKind, SourceRef};
use super::value::{RowCtx, holds, num};

/// Whether a limit's occurrences are being gathered or applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Gather every occurrence that reaches a limit (all visits in validity,
    /// across months and providers) to decide which ones are over it.
    Collect,
    Pay,
}

/// Values that place an occurrence in a limit's scope or order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    I(i64),
    S(String),
}

/// An occurrence that reached a limit: visit id, term, activity.
pub type Occurrence = (String, usize, u16);

#[derive(Debug)]
pub struct Candidate {
    pub limit: (usize, usize),
    pub scope: Vec<Part>,
    pub order: Vec<Part>,
    pub occurrence: Occurrence,
}

/// What one visit contributes, and why it is not (wholly) paid.
#[derive(Debug, Default)]
pub struct Outcome {
    /// (term, key, quantity) for each line the visit feeds.
    pub contributions: Vec<(usize, KeyVals, Exact)>,
    pub paid: bool,
    /// The first requirement that failed, if no term paid the visit.
    pub failure: Option<(String, SourceRef)>,
    /// The first failure of an activity row: the visit's reason only when no
    /// whole-visit term gave one.
    pub activity_failure: Option<(String, SourceRef)>,
    /// Unpaid parts, to be listed if the visit is paid.
    pub parts: Vec<NotPaidPart>,
    pub candidates: Vec<Candidate>,
}

pub fn pay_term(term: &Term) -> &PayTerm {
    match &term.kind {
        TermKind::Pay(p) => p,
        _ => unreachable!("the plan lists only paying terms here"),
    }
}

pub fn selected(term: &PayTerm, ctx: &dyn RowCtx) -> bool {
    term.within.is_none_or(|w| ctx.paid_by(w)) && term.filter.as_ref().is_none_or(|f| holds(f, ctx))
}

fn in_clock(x: chrono::NaiveTime, from: chrono::NaiveTime, to: chrono::NaiveTime) -> bool {
    if from < to {
        from <= x && x < to
    } else {
        x >= from || x < to
    }
}

/// The band of a piece of time: the first rule that matches.
fn band_of(contract: &Contract, piece: &clock::Piece) -> u16 {
    let Some(bands) = &contract.bands else {
        return NO_VALUE;
    };
    for (i, rule) in bands.rules.iter().enumerate() {
        let hit = match rule {
            BandRule::Clock(from, to) => in_clock(piece.from, *from, *to),
            BandRule::Days { weekdays, holidays } => {
                weekdays[piece.date.weekday().num_days_from_monday() as usize]
                    || (*holidays && clock::is_swedish_holiday(piece.date))
            }
            BandRule::Rest => true,
        };
        if hit {
            return i as u16;
        }
    }
    NO_VALUE
}

pub struct VisitTerms<'p> {
    pub plan: &'p Plan<'p>,
    /// Occurrences over a count limit, with the limit (its index in the
    /// term) they broke; decided after [`Mode::Collect`].
    pub losers: HashMap<Occurrence, usize>,
}

impl VisitTerms<'_> {
    pub fn evaluate(
        &self,
        v: &Visit,
        row: &CustomerRow,
        regime: u16,
        mode: Mode,
        month: i32,
    ) -> Outcome {
        let contract = self.plan.contract;
        let duration = v.duration();
        let mut ctx = VisitCtx {
            visit: v,
            row,
            regime,
            paid: 0,
            secs: duration,
            band: NO_VALUE,
            activity: NO_VALUE,
            classes: [NO_VALUE; MAX_CLASSES],
            activity_terms: self.plan.activity_terms,
            activities_paid: Vec::new(),
        };
        for (i, class) in contract.classes.iter().enumerate().take(MAX_CLASSES) {
            ctx.classes[i] = class
                .cases
                .iter()
                .find(|(_, c)| holds(c, &ctx))
                .map_or(class.otherwise, |(code, _)| *code);
        }
        let mut out = Outcome::default();
        for &t in &self.plan.visit_terms {
            let term = pay_term(&contract.terms[t]);
            match term.rows {
                RowSource::Activities => self.activities(t, term, &mut ctx, mode, month, &mut out),
                _ => self.whole_visit(t, term, &mut ctx, mode, month, &mut out),
            }
        }
        out.paid = ctx.paid != 0;
        if out.failure.is_none() {
            out.failure = out.activity_failure.take();
        }
        out
    }

    fn whole_visit(
        &self,
        t: usize,
        term: &PayTerm,
        ctx: &mut VisitCtx,
        mode: Mode,
        month: i32,
        out: &mut Outcome,
    ) {
        let v = ctx.visit;
        if !selected(term, ctx) {
            return;
        }
        if let Some(r) = term.requires.iter().find(|r| !holds(&r.cond, ctx)) {
            out.failure
                .get_or_insert((r.reason.clone(), r.source.clone()));
            return;
        }
        let duration = v.duration();
        // Seconds per band (one entry, the whole visit, unless the term has
        // a window or keeps lines per band): a few entries, kept sorted.
        let mut by_band: Vec<(u16, i64)> = Vec::new();
        let needs_pieces = term.window.is_some() || term.key.contains(&Field::Band);
        if needs_pieces {
            for piece in clock::pieces(v.start, v.end, &self.plan.cuts) {
                if let Some(w) = &term.window
                    && !in_clock(piece.from, w.from, w.to)
                {
                    continue;
                }
                let band = band_of(self.plan.contract, &piece);
                let secs = piece.end - piece.start;
                match by_band.binary_search_by_key(&band, |(b, _)| *b) {
                    Ok(i) => by_band[i].1 += secs,
                    Err(i) => by_band.insert(i, (band, secs)),
                }
            }
        } else {
            by_band.push((NO_VALUE, duration));
        }
        let inside: i64 = by_band.iter().map(|(_, s)| s).sum();
        let mut pending = None;
        if let Some(w) = &term.window {
            if inside == 0 {
                out.failure
                    .get_or_insert((w.reason.clone(), w.source.clone()));
                return;
            }
            if inside < duration {
                pending = Some(NotPaidPart {
                    kind: PartKind::VisitTime,
                    id: v.id.clone(),
                    seconds: Some(duration - inside),
                    activity: None,
                    reason: w.reason.clone(),
                    source: Some(w.source.clone()),
                    provider: Some(v.provider.clone()),
                    period: Some(super::pay::month_label(month)),
                });
            }
        }
        if !term.limits.is_empty() && self.limited(t, term, ctx, NO_VALUE, mode, month, out) {
            return;
        }
        for (band, secs) in by_band.into_iter().filter(|(_, s)| *s > 0) {
            ctx.band = band;
            ctx.secs = secs;
            out.contributions
                .push((t, key_vals(&term.key, ctx), num(&term.quantity, ctx)));
        }
        ctx.band = NO_VALUE;
        ctx.secs = duration;
        out.parts.extend(pending);
        if t < 128 {
            ctx.paid |= 1u128 << t;
        }
    }

    fn activities(
        &self,
        t: usize,
        term: &PayTerm,
        ctx: &mut VisitCtx,
        mode: Mode,
        month: i32,
        out: &mut Outcome,
    ) {
        let mut any = false;
        for a in ctx.visit.activities.iter() {
            ctx.activity = a;
            if !selected(term, ctx) {
                continue;
            }
            if let Some(r) = term.requires.iter().find(|r| !holds(&r.cond, ctx)) {
                out.activity_failure
                    .get_or_insert((r.reason.clone(), r.source.clone()));
                continue;
            }
            if !term.limits.is_empty() && self.limited(t, term, ctx, a, mode, month, out) {
                continue;
            }
            out.contributions
                .push((t, key_vals(&term.key, ctx), num(&term.quantity, ctx)));
            ctx.activities_paid.push((a, t));
            any = true;
        }
        ctx.activity = NO_VALUE;
        if any && t < 128 {
            ctx.paid |= 1u128 << t;
        }
    }

    /// Applies (or, collecting, records) the term's limits; true when this
    /// occurrence is over one of them.
    #[allow(clippy::too_many_arguments)]
    fn limited(
        &self,
        t: usize,
        term: &PayTerm,
        ctx: &VisitCtx,
        activity: u16,
        mode: Mode,
        month: i32,
        out: &mut Outcome,
    ) -> bool {
        let v = ctx.visit;
        let occurrence: Occurrence = (v.id.clone(), t, activity);
        match mode {
            Mode::Collect => {
                for (li, limit) in term.limits.iter().enumerate() {
                    if applies(limit, activity) {
                        out.candidates.push(Candidate {
                            limit: (t, li),
                            scope: scope_of(limit, v, month, activity),
                            order: order_of(limit, v),
                            occurrence: occurrence.clone(),
                        });
                    }
                }
                false
            }
            Mode::Pay => {
                let Some(&li) = self.losers.get(&occurrence) else {
                    return false;
                };
                let limit = &term.limits[li];
                if activity == NO_VALUE {
                    out.failure
                        .get_or_insert((limit.reason.clone(), limit.source.clone()));
                } else {
                    out.activity_failure
                        .get_or_insert((limit.reason.clone(), limit.source.clone()));
                    out.parts.push(NotPaidPart {
                        kind: PartKind::VisitActivity,
                        id: v.id.clone(),
                        seconds: None,
                        activity: Some(self.plan.contract.value_name(Field::Activity, activity)),
                        reason: limit.reason.clone(),
                        source: Some(limit.source.clone()),
                        provider: Some(v.provider.clone()),
                        period: Some(super::pay::month_label(month)),
                    });
                }
                true
            }
        }
    }
}

fn applies(limit: &Limit, activity: u16) -> bool {
    limit
        .only
        .is_none_or(|set| activity != NO_VALUE && set.contains(activity))
}

fn scope_of(limit: &Limit, v: &Visit, month: i32, activity: u16) -> Vec<Part> {
    let d = v.date();
    limit
        .per
        .iter()
        .map(|s| match s {
            Scope::Provider => Part::S(v.provider.clone()),
            Scope::Month => Part::I(month as i64),
            Scope::Customer => Part::S(v.customer.clone()),
            Scope::IsoWeek => {
                let w = d.iso_week();
                Part::I(w.year() as i64 * 100 + w.week() as i64)
            }
            Scope::Day => Part::I(d.num_days_from_ce() as i64),
            Scope::Activity => Part::I(activity as i64),
        })
        .collect()
}

fn order_of(limit: &Limit, v: &Visit) -> Vec<Part> {
    limit
        .order
        .iter()
        .map(|f| match f {
            Field::Start => Part::I(v.start),
            _ => Part::S(v.id.clone()),
        })
        .collect()
}

/// Decides which gathered occurrences are over their limits: per limit and
/// scope, the first `count` in order win.
pub fn losers(contract: &Contract, mut candidates: Vec<Candidate>) -> HashMap<Occurrence, usize> {
    candidates.sort_by(|a, b| {
        (a.limit, &a.scope, &a.order, &a.occurrence).cmp(&(
            b.limit,
            &b.scope,
            &b.order,
            &b.occurrence,
        ))
    });
    // Limits apply one after the other, in term and clause order: an
    // occurrence over an earlier limit takes no slot in a later one.
    let mut out = HashMap::new();
    let mut i = 0;
    while i < candidates.len() {
        let j = candidates[i..]
            .iter()
            .position(|c| c.limit != candidates[i].limit || c.scope != candidates[i].scope)
            .map_or(candidates.len(), |n| i + n);
        let (t, li) = candidates[i].limit;
        let count = pay_term(&contract.terms[t]).limits[li].count as usize;
        let mut taken = 0;
        for c in &candidates[i..j] {
            if out.contains_key(&c.occurrence) {
                continue;
            }
            if taken < count {
                taken += 1;
            } else {
                out.insert(c.occurrence.clone(), li);
            }
        }
        i = j;
    }
    out
}
