//! One visit through the visit and activity terms, in term order: the gate
//! (selection, requirements, window, limits), the bands its time falls in,
//! and what it contributes to which line.

use crate::check::{
    Contract, Exact, Field, MAX_BAND_SETS, MAX_CLASSES, Measure, PayTerm, RowSource, StaffCap,
    Term, TermKind,
};
use crate::data::{Cell, CustomerId, CustomerRow, Ids, ProviderId, Visit};
use crate::plan::Plan;

use super::super::attached::{Attach, OwnFiles};
use super::super::bands::{self, in_clock};
use super::super::clock;
use super::super::ctx::{KeyVals, NO_VALUE, VisitCtx, activity_set, crew, key_vals};
use super::super::gate::{Refusal, Step, Verdict, gate, none};
use super::super::limits::{Losers, Occurrence, Place, ScopeKey, id_key, order_time};
use super::super::month::Month;
use super::super::statement::{NotPaidPart, PartKind, Reason, SourceRef};
use super::super::value::{holds, num};

/// Whether limits are being gathered or applied.
#[derive(Clone, Copy)]
pub enum Mode<'l> {
    /// Gather every occurrence that reaches a limit (all visits in validity,
    /// across months and providers) to decide which ones are over it.
    Collect,
    /// Pay, with the occurrences decided to be over their limits.
    Pay(&'l Losers),
}

/// Which visit this is, for the limits: its place in the pass, its
/// provider and customer, and its id as a sortable key.
#[derive(Clone, Copy)]
pub struct Identity {
    pub row: u32,
    pub provider: ProviderId,
    pub customer: CustomerId,
    pub id: u128,
}

/// What one visit contributes, and why it is not (wholly) paid.
#[derive(Debug, Default)]
pub struct Outcome {
    /// (term, key, quantity) for each line the visit feeds.
    pub contributions: Vec<(usize, KeyVals, Exact)>,
    pub paid: bool,
    /// The first refusal by a whole-visit term, if no term paid the visit.
    pub failure: Option<(Reason, SourceRef)>,
    /// The first refusal of an activity: the visit's reason only when no
    /// whole-visit term gave one.
    pub activity_failure: Option<(Reason, SourceRef)>,
    /// Unpaid parts, to be listed if the visit is paid.
    pub parts: Vec<NotPaidPart>,
    pub occurrences: Vec<Occurrence>,
}

fn note(slot: &mut Option<(Reason, SourceRef)>, r: &Refusal) {
    if slot.is_none() {
        *slot = Some(r.owned());
    }
}

pub fn pay_term(term: &Term) -> &PayTerm {
    match &term.kind {
        TermKind::Pay(p) => p,
        _ => unreachable!("the plan lists only paying terms here"),
    }
}

/// Whether a term splits a visit's seconds by band: it keeps lines per a
/// `tidsband` set and measures time. A term that counts visits (`antal`)
/// keys them by the band of their start instead.
fn splits_time(term: &PayTerm) -> bool {
    term.key.iter().any(|f| matches!(f, Field::Band(_)))
        && matches!(
            term.quantity.measure(),
            Some(Measure::PaidTime | Measure::Duration)
        )
}

/// The bands of a piece of time in the sets a term keys by (`NO_VALUE`
/// for the others).
fn piece_bands(contract: &Contract, key: &[Field], piece: &clock::Piece) -> [u16; MAX_BAND_SETS] {
    let mut out = [NO_VALUE; MAX_BAND_SETS];
    for f in key {
        if let Field::Band(s) = *f
            && let (Some(slot), Some(set)) =
                (out.get_mut(s as usize), contract.bands.get(s as usize))
        {
            *slot = bands::band_of(set, piece.date, piece.from).unwrap_or(NO_VALUE);
        }
    }
    out
}

/// The visit terms of one contract (its plan numbers the limits, see
/// [`super::super::limits`]), and the names of the ids, for the parts of a
/// visit not paid.
pub struct VisitTerms<'p> {
    pub plan: &'p Plan<'p>,
    pub ids: &'p Ids,
    /// The rows of the rule file's own files (`fil`).
    pub own: &'p OwnFiles,
}

/// One visit being evaluated (beside its [`VisitCtx`], which the terms read).
struct Visiting<'v> {
    who: Identity,
    month: Month,
    mode: Mode<'v>,
    out: Outcome,
    /// Real time (`[start, end)` in UTC seconds) that paying terms took:
    /// a window term its time inside the window, a term that pays the
    /// visit's time without a window all of it.
    covered: Vec<(i64, i64)>,
    /// A term without a window took all of the visit's time: nothing is
    /// left uncovered (kept as a flag, not a piece: no allocation per visit).
    covered_whole: bool,
    /// The first paying term's time left outside its window: listed only
    /// for the seconds no term took.
    outside: Option<NotPaidPart>,
    /// Activities a limit refused, with their code: listed only when no
    /// other term paid the activity.
    refused_activities: Vec<(u16, NotPaidPart)>,
    /// The staff each term paid, kept only when the contract has a
    /// `personal högst` and the visit more than one staff (otherwise no
    /// staff can go unpaid: nothing to keep, no allocation per visit).
    staffing: Option<Box<Staffing>>,
}

/// What a visit's terms paid of its staff.
#[derive(Default)]
struct Staffing {
    /// Real time each paying term took, with the staff it paid for it
    /// (`betald_tid`: the staff it counted; `tid`: one).
    staffed: Vec<(i64, i64, u32)>,
    /// The time a `personal högst` counted fewer staff for, and the first
    /// such cap's part: listed only for the staff no term paid.
    short: Vec<(i64, i64)>,
    part: Option<NotPaidPart>,
}

/// Seconds of `[start, end)` that none of `covered` takes.
fn uncovered(start: i64, end: i64, covered: &mut [(i64, i64)]) -> i64 {
    covered.sort_unstable();
    let (mut free, mut at) = (0, start);
    for &(a, b) in covered.iter() {
        let (a, b) = (a.max(start), b.min(end));
        if a > at {
            free += a - at;
        }
        at = at.max(b);
    }
    free + (end - at).max(0)
}

/// Staff-seconds of the `short` time that the terms together did not pay:
/// for each second, `staff` less the staff every term that took it paid.
fn unpaid_staff(staff: u32, short: &[(i64, i64)], staffed: &[(i64, i64, u32)]) -> i64 {
    let mut cuts: Vec<i64> = short
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .chain(staffed.iter().flat_map(|&(a, b, _)| [a, b]))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut missing = 0;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !short.iter().any(|&(s, e)| s <= a && b <= e) {
            continue;
        }
        let paid: u32 = staffed
            .iter()
            .filter(|&&(s, e, _)| s <= a && b <= e)
            .map(|&(_, _, n)| n)
            .sum();
        missing += i64::from(staff.saturating_sub(paid)) * (b - a);
    }
    missing
}

impl VisitTerms<'_> {
    pub fn evaluate(
        &self,
        v: &Visit,
        row: &CustomerRow,
        provider: &[Cell],
        who: Identity,
        mode: Mode,
    ) -> Outcome {
        let contract = self.plan.contract;
        let crew = crew(contract, v);
        let mut ctx = VisitCtx {
            visit: v,
            cells: &v.values,
            row_cells: &row.values,
            provider,
            paid: 0,
            crew,
            staff: crew,
            secs: v.duration(),
            band: [NO_VALUE; MAX_BAND_SETS],
            start_band: std::cell::Cell::new(None),
            bands: &contract.bands,
            activity: NO_VALUE,
            classes: [NO_VALUE; MAX_CLASSES],
            activity_terms: self.plan.activity_terms,
            activities_paid: Vec::new(),
            attach: Attach::new(self.own, Some(v.customer), v.provider, v.date()),
        };
        for (i, class) in contract.classes.iter().enumerate().take(MAX_CLASSES) {
            ctx.classes[i] = class
                .cases
                .iter()
                .find(|(_, c)| holds(c, &ctx))
                .map_or(class.otherwise, |(code, _)| *code);
        }
        let mut at = Visiting {
            who,
            month: Month::of(v.date()),
            mode,
            out: Outcome::default(),
            covered: Vec::new(),
            covered_whole: false,
            outside: None,
            refused_activities: Vec::new(),
            staffing: (self.plan.staff_caps && crew > 1).then(Box::default),
        };
        for &t in &self.plan.visit_terms {
            let term = pay_term(&contract.terms[t]);
            match term.rows {
                RowSource::Activities => self.activities(t, term, &mut ctx, &mut at),
                _ => self.whole_visit(t, term, &mut ctx, &mut at),
            }
        }
        // A part is unpaid only when no term paid it (complementary windows,
        // a limit that falls through to another term).
        if let Some(mut part) = at.outside.take() {
            let free = if at.covered_whole {
                0
            } else {
                uncovered(v.start, v.end, &mut at.covered)
            };
            if free > 0 {
                part.seconds = Some(free);
                at.out.parts.push(part);
            }
        }
        // Staff a `personal högst` did not count are unpaid only when no
        // other term paid them (a term for the second staff member).
        if let Some(staffing) = at.staffing.take()
            && let Some(mut part) = staffing.part
        {
            let missing = unpaid_staff(ctx.crew, &staffing.short, &staffing.staffed);
            if missing > 0 {
                part.seconds = Some(missing);
                at.out.parts.push(part);
            }
        }
        for (a, part) in at.refused_activities.drain(..) {
            if !ctx.activities_paid.iter().any(|(paid, _)| *paid == a) {
                at.out.parts.push(part);
            }
        }
        let mut out = at.out;
        out.paid = ctx.paid != 0;
        if out.failure.is_none() {
            out.failure = out.activity_failure.take();
        }
        out
    }

    fn whole_visit(&self, t: usize, term: &PayTerm, ctx: &mut VisitCtx, at: &mut Visiting) {
        let v = ctx.visit;
        let month = at.month;
        let duration = v.duration();
        // Seconds per band of the sets the term splits time by (one entry,
        // the whole visit, unless the term has a window or splits): a few
        // entries, kept sorted.
        let split = splits_time(term);
        let mut by_band: Vec<([u16; MAX_BAND_SETS], i64)> = Vec::new();
        let mut pending = None;
        let mut inside_pieces: Vec<(i64, i64)> = Vec::new();
        let window = || {
            if term.window.is_none() && !split {
                by_band.push(([NO_VALUE; MAX_BAND_SETS], duration));
                return None;
            }
            for piece in clock::pieces(v.start, v.end, &self.plan.cuts) {
                if let Some(w) = &term.window
                    && !in_clock(piece.from, w.from, w.to)
                {
                    continue;
                }
                inside_pieces.push((piece.start, piece.end));
                let band = if split {
                    piece_bands(self.plan.contract, &term.key, &piece)
                } else {
                    [NO_VALUE; MAX_BAND_SETS]
                };
                let secs = piece.end - piece.start;
                match by_band.binary_search_by_key(&band, |(b, _)| *b) {
                    Ok(i) => by_band[i].1 += secs,
                    Err(i) => by_band.insert(i, (band, secs)),
                }
            }
            let w = term.window.as_ref()?;
            let inside: i64 = by_band.iter().map(|(_, s)| s).sum();
            if inside == 0 {
                return Some(Refusal::rule(Step::Window, &w.reason, &w.source));
            }
            if inside < duration {
                pending = Some(NotPaidPart {
                    kind: PartKind::VisitTime,
                    id: v.id.clone(),
                    seconds: Some(duration - inside),
                    activity: None,
                    reason: Reason::Rule(w.reason.clone()),
                    source: Some(w.source.clone()),
                    provider: Some(self.ids.provider_name(v.provider).to_string()),
                    period: Some(month),
                });
            }
            None
        };
        let verdict = gate(term, ctx, none, window, || {
            self.limited(t, term, NO_VALUE, v, at)
        });
        match verdict {
            Verdict::NotSelected => return,
            Verdict::Refused(r) => return note(&mut at.out.failure, &r),
            Verdict::Admitted => {}
        }
        // `personal högst N`: the term counts N staff unless its condition
        // holds; the others' seconds are an unpaid part.
        let capped = term.staff_cap.as_ref().filter(|cap| {
            ctx.crew > cap.most && cap.unless.as_ref().is_none_or(|c| !holds(c, ctx))
        });
        if let Some(cap) = capped {
            ctx.staff = cap.most;
        }
        for (band, secs) in by_band.into_iter().filter(|(_, s)| *s > 0) {
            ctx.band = band;
            ctx.secs = secs;
            at.out
                .contributions
                .push((t, key_vals(&term.key, ctx), num(&term.quantity, ctx)));
        }
        if let Some(staffing) = at.staffing.as_deref_mut() {
            self.staff_taken(term, ctx, at.month, staffing, capped, &inside_pieces);
        }
        ctx.band = [NO_VALUE; MAX_BAND_SETS];
        ctx.secs = duration;
        ctx.staff = ctx.crew;
        if term.window.is_some() {
            at.covered.extend(inside_pieces);
        } else if matches!(
            term.quantity.measure(),
            Some(Measure::PaidTime | Measure::Duration)
        ) {
            at.covered_whole = true;
        }
        if at.outside.is_none() {
            at.outside = pending;
        }
        if t < 128 {
            ctx.paid |= 1u128 << t;
        }
    }

    /// Notes the staff a term paid for the time it took (`inside`: its
    /// pieces when it has a window or keeps lines per band, else the whole
    /// visit), and, when its `personal högst` counted fewer staff, that
    /// time as short of staff.
    fn staff_taken(
        &self,
        term: &PayTerm,
        ctx: &VisitCtx,
        month: Month,
        staffing: &mut Staffing,
        capped: Option<&StaffCap>,
        inside: &[(i64, i64)],
    ) {
        let v = ctx.visit;
        let staff = match term.quantity.measure() {
            Some(Measure::PaidTime) => ctx.staff,
            Some(Measure::Duration) => 1,
            _ => return,
        };
        let whole = [(v.start, v.end)];
        let pieces = if term.window.is_some() || splits_time(term) {
            inside
        } else {
            &whole
        };
        staffing
            .staffed
            .extend(pieces.iter().map(|&(a, b)| (a, b, staff)));
        let Some(cap) = capped.filter(|_| term.quantity.measure() == Some(Measure::PaidTime))
        else {
            return;
        };
        staffing.short.extend_from_slice(pieces);
        if staffing.part.is_none() {
            staffing.part = Some(NotPaidPart {
                kind: PartKind::VisitStaff,
                id: v.id.clone(),
                seconds: None,
                activity: None,
                reason: Reason::Rule(cap.reason.clone()),
                source: Some(cap.source.clone()),
                provider: Some(self.ids.provider_name(v.provider).to_string()),
                period: Some(month),
            });
        }
    }

    fn activities(&self, t: usize, term: &PayTerm, ctx: &mut VisitCtx, at: &mut Visiting) {
        let v = ctx.visit;
        let mut any = false;
        for a in activity_set(self.plan.contract, v).iter() {
            ctx.activity = a;
            let verdict = gate(term, ctx, none, none, || self.limited(t, term, a, v, at));
            match verdict {
                Verdict::NotSelected => continue,
                Verdict::Refused(r) => {
                    note(&mut at.out.activity_failure, &r);
                    if r.step == Step::Limit {
                        let (reason, source) = r.owned();
                        let part = NotPaidPart {
                            kind: PartKind::VisitActivity,
                            id: v.id.clone(),
                            seconds: None,
                            activity: Some(self.plan.contract.value_name(Field::Activity, a)),
                            reason,
                            source: Some(source),
                            provider: Some(self.ids.provider_name(v.provider).to_string()),
                            period: Some(at.month),
                        };
                        at.refused_activities.push((a, part));
                    }
                    continue;
                }
                Verdict::Admitted => {}
            }
            at.out
                .contributions
                .push((t, key_vals(&term.key, ctx), num(&term.quantity, ctx)));
            ctx.activities_paid.push((a, t));
            any = true;
        }
        ctx.activity = NO_VALUE;
        if any && t < 128 {
            ctx.paid |= 1u128 << t;
        }
    }

    /// Applies (or, collecting, records) the term's limits: the limit this
    /// occurrence is over, if any.
    fn limited<'t>(
        &self,
        t: usize,
        term: &'t PayTerm,
        activity: u16,
        v: &Visit,
        at: &mut Visiting,
    ) -> Option<Refusal<'t>> {
        if term.limits.is_empty() {
            return None;
        }
        match at.mode {
            Mode::Collect => {
                let place = Place {
                    provider: at.who.provider,
                    customer: Some(at.who.customer),
                    month: at.month,
                    date: v.date(),
                    activity,
                };
                for (li, limit) in term.limits.iter().enumerate() {
                    let applies = limit
                        .only
                        .is_none_or(|set| activity != NO_VALUE && set.contains(activity));
                    if applies {
                        at.out.occurrences.push(Occurrence {
                            limit: self.plan.first_limit[t] + li as u16,
                            scope: ScopeKey::of(limit, &place),
                            time: order_time(limit, v.start, false),
                            id: at.who.id,
                            activity,
                            row: at.who.row,
                            term: t as u16,
                        });
                    }
                }
                None
            }
            Mode::Pay(losers) => {
                let flat = *losers.get(&(at.who.row, t as u16, activity))?;
                let limit = &term.limits[(flat - self.plan.first_limit[t]) as usize];
                Some(Refusal::rule(Step::Limit, &limit.reason, &limit.source))
            }
        }
    }
}

/// The identity of a visit whose id is compared by [`id_key`].
pub fn identity(row: u32, provider: ProviderId, customer: CustomerId, id: &str) -> Identity {
    Identity {
        row,
        provider,
        customer,
        id: id_key(id),
    }
}
