//! Paying a data set by a plan: stream the visits, walk the customer-days,
//! take the events, then turn the exact sums into rounded lines, caps and
//! allocations per provider and month.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::check::{Contract, Exact, Expr, Field, Measure, PayTerm, Scope, Term, TermKind};
use crate::data::{CodeColumn, CustomerRow, DataDir, DataErrors, Event, Provider, RowError, Visit};
use crate::plan::Plan;

use super::customers::{Customers, OnDate};
use super::error::EvalError;
use super::round::{largest_remainder, round_half_away};
use super::statement::*;
use super::value::{RowCtx, Value, holds, num};

/// A billing month as `year * 12 + month0`, so months sort and step simply.
pub type MonthIdx = i32;

pub fn month_of(d: NaiveDate) -> MonthIdx {
    d.year() * 12 + d.month0() as i32
}

fn month_first(m: MonthIdx) -> NaiveDate {
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
        .expect("month index from a real date")
}

fn month_last(m: MonthIdx) -> NaiveDate {
    month_first(m + 1)
        .pred_opt()
        .expect("a month has a last day")
}

pub fn month_label(m: MonthIdx) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The months a run is asked for (inclusive); `None` = every billing month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: MonthIdx,
    pub to: MonthIdx,
}

impl Period {
    /// `2025-03` or `2025-01..2025-03`.
    pub fn parse(s: &str) -> Option<Period> {
        let one = |t: &str| {
            NaiveDate::parse_from_str(&format!("{}-01", t.trim()), "%Y-%m-%d")
                .ok()
                .filter(|_| t.trim().len() == 7)
                .map(month_of)
        };
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (one(a)?, one(b)?),
            None => (one(s)?, one(s)?),
        };
        (a <= b).then_some(Period { from: a, to: b })
    }

    fn contains(&self, m: MonthIdx) -> bool {
        self.from <= m && m <= self.to
    }
}

/// Key field values of a line: codes (or a level) in the term's key order.
type KeyVals = [u16; 4];
const NO_VALUE: u16 = u16::MAX;

/// Provider index (interned), month, term, key.
type LineId = (u32, MonthIdx, usize, KeyVals);

/// Reasons the engine gives before any term is asked (domain.md, "Order of
/// not-paid reasons").
mod reason {
    pub const DUPLICATE: &str = "duplicate";
    pub const END_NOT_AFTER_START: &str = "end not after start";
    pub const OVER_24H: &str = "longer than 24 hours";
    pub const OUTSIDE_VALIDITY: &str = "outside validity";
    pub const UNKNOWN_CUSTOMER: &str = "unknown customer on that date";
    pub const OVERLAP: &str = "customer rows overlap on that date";
    pub const PROVIDER_DIFFERS: &str = "provider differs";
    pub const NO_TERM_VISIT: &str = "not paid by any term of this contract";
    pub const NO_TERM_EVENT: &str = "event kind not paid by this contract";
}

const DAY_SECONDS: i64 = 24 * 3600;

/// Everything accumulated while the rows stream past.
struct Acc {
    providers: Vec<String>,
    provider_idx: HashMap<String, u32>,
    regimes: HashMap<String, u16>,
    quantities: HashMap<LineId, Exact>,
    /// Σ of each `summa för kunddagar` per provider and month.
    day_sums: HashMap<(u32, MonthIdx, usize), Exact>,
    /// Why lines are what they are: customers a term applied to, by line.
    not_paid: Vec<NotPaid>,
    customer_months: BTreeMap<(String, String), NotPaid>,
    recon: Reconciliation,
}

impl Acc {
    fn provider(&mut self, id: &str) -> u32 {
        if let Some(i) = self.provider_idx.get(id) {
            return *i;
        }
        let i = self.providers.len() as u32;
        self.providers.push(id.to_string());
        self.provider_idx.insert(id.to_string(), i);
        i
    }

    fn regime(&self, provider: &str) -> u16 {
        self.regimes.get(provider).copied().unwrap_or(NO_VALUE)
    }

    fn add(&mut self, id: LineId, q: Exact) {
        *self.quantities.entry(id).or_insert(Exact::from_integer(0)) += q;
    }
}

fn customer_field(row: &CustomerRow, f: Field) -> Option<Value> {
    let dec = |d: Decimal| Value::Num(super::round::exact_of(d));
    Some(match f {
        Field::Code(CodeColumn::Zone) => Value::Code(row.zone),
        Field::GrantedHours => dec(row.granted_hours),
        Field::ApprovedExtraHours => dec(row.approved_extra_hours),
        Field::ReliefHours => dec(row.relief_hours),
        Field::Level => row.level.map_or(Value::Nothing, |l| {
            Value::Num(Exact::from_integer(l as i128))
        }),
        Field::Alarm => Value::Bool(row.alarm),
        Field::Referral => Value::Bool(row.referral),
        Field::HslFrom => Value::Date(row.hsl_from),
        Field::HslTo => Value::Date(row.hsl_to),
        _ => return None,
    })
}

struct VisitCtx<'a> {
    visit: &'a Visit,
    row: &'a CustomerRow,
    regime: u16,
    paid: u128,
}

impl RowCtx for VisitCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if let Some(v) = customer_field(self.row, f) {
            return v;
        }
        match f {
            Field::Code(CodeColumn::Staff) => Value::Code(self.visit.staff),
            Field::Code(CodeColumn::Status) => Value::Code(self.visit.status),
            Field::Code(CodeColumn::Activities) => Value::Set(self.visit.activities),
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Date => Value::Date(Some(self.visit.date())),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        let secs = self.visit.duration() as i128;
        match m {
            Measure::PaidTime => Exact::new(secs * self.visit.staff_count as i128, 3600),
            Measure::Duration => Exact::new(secs, 3600),
            Measure::Count => Exact::from_integer(1),
            Measure::DayShare => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, term: usize) -> bool {
        term < 128 && self.paid & (1u128 << term) != 0
    }
}

struct DayCtx<'a> {
    row: &'a CustomerRow,
    date: NaiveDate,
    days_in_month: i128,
    regime: u16,
}

impl RowCtx for DayCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if let Some(v) = customer_field(self.row, f) {
            return v;
        }
        match f {
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Date => Value::Date(Some(self.date)),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        match m {
            Measure::DayShare => Exact::new(1, self.days_in_month),
            Measure::Count => Exact::from_integer(1),
            _ => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, _term: usize) -> bool {
        false
    }
}

struct EventCtx<'a> {
    event: &'a Event,
    regime: u16,
    paid: u128,
}

impl RowCtx for EventCtx<'_> {
    fn field(&self, f: Field) -> Value {
        match f {
            Field::Code(CodeColumn::Kind) => Value::Code(self.event.kind),
            Field::Code(CodeColumn::Regime) => Value::Code(self.regime),
            Field::Date => Value::Date(Some(self.event.date)),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        match m {
            Measure::Count => Exact::from_integer(1),
            _ => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, term: usize) -> bool {
        term < 128 && self.paid & (1u128 << term) != 0
    }
}

/// A line's key, read back as fields when its rate is priced.
struct KeyCtx<'a> {
    key: &'a [Field],
    vals: KeyVals,
    regime: u16,
}

impl RowCtx for KeyCtx<'_> {
    fn field(&self, f: Field) -> Value {
        if f == Field::Code(CodeColumn::Regime) {
            return Value::Code(self.regime);
        }
        match self.key.iter().position(|k| *k == f) {
            Some(i) if f == Field::Level => Value::Num(Exact::from_integer(self.vals[i] as i128)),
            Some(i) => Value::Code(self.vals[i]),
            None => Value::Nothing,
        }
    }
    fn measure(&self, _m: Measure) -> Exact {
        Exact::from_integer(0)
    }
    fn paid_by(&self, _term: usize) -> bool {
        false
    }
}

fn key_vals(key: &[Field], row: &dyn RowCtx) -> KeyVals {
    let mut k = [NO_VALUE; 4];
    for (slot, f) in k.iter_mut().zip(key) {
        *slot = match row.field(*f) {
            Value::Code(c) => c,
            Value::Num(n) if n.is_integer() => u16::try_from(n.to_integer()).unwrap_or(NO_VALUE),
            _ => NO_VALUE,
        };
    }
    k
}

fn pay_term(term: &Term) -> &PayTerm {
    match &term.kind {
        TermKind::Pay(p) => p,
        _ => unreachable!("plan lists only paying terms here"),
    }
}

/// How the rows sharing one id stand: identical copies pay once, differing
/// ones not at all.
#[derive(Default)]
struct IdGroup {
    count: u32,
    fingerprint: u64,
    differs: bool,
    kept: bool,
}

fn fingerprint<T: Hash>(t: &T) -> u64 {
    // SipHash with fixed keys: the same on every run and machine.
    let mut h = std::hash::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// Pays `data` by `contract` over `period` (every billing month if `None`).
pub fn pay(
    contract: &Contract,
    data: &DataDir,
    period: Option<Period>,
) -> Result<PayRun, EvalError> {
    let plan = Plan::compile(contract);
    let codes = &contract.codes;
    let req = &contract.required;
    let mut errors = DataErrors::default();
    let providers = data.providers(codes, &req.providers).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let customers = data.customers(codes, &req.customers).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let event_rows = data.events(codes, &req.events).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let mut events = Vec::new();
    for r in event_rows {
        match r {
            Ok(e) => events.push(e),
            Err(e) => errors.errors.push(e),
        }
    }
    let in_validity = |d: NaiveDate| contract.valid_from <= d && d <= contract.valid_to;
    let in_scope = |m: MonthIdx| period.is_none_or(|p| p.contains(m));

    // Pass 1 over visits: read errors, duplicate ids, billing months.
    let mut groups: HashMap<String, IdGroup> = HashMap::new();
    let mut months: BTreeSet<MonthIdx> = BTreeSet::new();
    match data.visits(codes, &req.visits) {
        Err(e) => errors.extend(e),
        Ok(reader) => {
            for v in reader {
                match v {
                    Err(e) => push_row_error(&mut errors, e),
                    Ok(v) => {
                        if in_validity(v.date()) {
                            months.insert(month_of(v.date()));
                        }
                        let fp = fingerprint(&v);
                        let g = groups.entry(v.id).or_default();
                        if g.count == 0 {
                            g.fingerprint = fp;
                        } else if g.fingerprint != fp {
                            g.differs = true;
                        }
                        g.count += 1;
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(EvalError::Data(errors));
    }
    groups.retain(|_, g| g.count > 1);
    for e in &events {
        if in_validity(e.date) {
            months.insert(month_of(e.date));
        }
    }
    let months: Vec<MonthIdx> = months.into_iter().filter(|m| in_scope(*m)).collect();

    let mut acc = Acc {
        providers: Vec::new(),
        provider_idx: HashMap::new(),
        regimes: providers
            .iter()
            .map(|p: &Provider| (p.id.clone(), p.regime))
            .collect(),
        quantities: HashMap::new(),
        day_sums: HashMap::new(),
        not_paid: Vec::new(),
        customer_months: BTreeMap::new(),
        recon: Reconciliation::default(),
    };
    let customers = Customers::new(customers);

    // Pass 2: pay each visit.
    let reader = data.visits(codes, &req.visits).map_err(EvalError::Data)?;
    for v in reader {
        let v = v.map_err(|e| EvalError::Data(DataErrors::from(e)))?;
        let m = month_of(v.date());
        if !in_scope(m) {
            continue;
        }
        acc.recon.visits_in += 1;
        let not_paid = |reason: &str, source: Option<SourceRef>| NotPaid {
            kind: NotPaidKind::Visit,
            id: v.id.clone(),
            reason: reason.to_string(),
            source,
            provider: Some(v.provider.clone()),
            period: Some(month_label(m)),
        };
        let dup = groups.get_mut(&v.id).map(|g| {
            let first_identical = !g.differs && !g.kept;
            g.kept |= first_identical;
            !first_identical
        });
        let engine_reason = if dup == Some(true) {
            Some(reason::DUPLICATE)
        } else if v.end <= v.start {
            Some(reason::END_NOT_AFTER_START)
        } else if v.duration() > DAY_SECONDS {
            Some(reason::OVER_24H)
        } else if !in_validity(v.date()) {
            Some(reason::OUTSIDE_VALIDITY)
        } else {
            None
        };
        if let Some(r) = engine_reason {
            acc.not_paid.push(not_paid(r, None));
            continue;
        }
        let row = match customers.on(&v.customer, v.date()) {
            OnDate::Unknown => {
                acc.not_paid.push(not_paid(reason::UNKNOWN_CUSTOMER, None));
                continue;
            }
            OnDate::Overlap => {
                acc.not_paid.push(not_paid(reason::OVERLAP, None));
                continue;
            }
            OnDate::One(r) => r,
        };
        if row.provider != v.provider {
            acc.not_paid.push(not_paid(reason::PROVIDER_DIFFERS, None));
            continue;
        }
        let mut ctx = VisitCtx {
            visit: &v,
            row,
            regime: acc.regime(&v.provider),
            paid: 0,
        };
        let mut failure: Option<(String, SourceRef)> = None;
        let p = acc.provider(&v.provider);
        for &t in &plan.visit_terms {
            let term = pay_term(&contract.terms[t]);
            if !selected(term, &ctx) {
                continue;
            }
            if let Some(r) = term.requires.iter().find(|r| !holds(&r.cond, &ctx)) {
                failure.get_or_insert((r.reason.clone(), r.source.clone()));
                continue;
            }
            let q = num(&term.quantity, &ctx);
            acc.add((p, m, t, key_vals(&term.key, &ctx)), q);
            if t < 128 {
                ctx.paid |= 1u128 << t;
            }
        }
        if ctx.paid != 0 {
            acc.recon.visits_paid += 1;
        } else {
            let (r, s) = failure.map_or((reason::NO_TERM_VISIT.to_string(), None), |(r, s)| {
                (r, Some(s))
            });
            acc.not_paid.push(not_paid(&r, s));
        }
    }

    pay_events(&plan, &mut acc, events, &in_validity, &in_scope);
    walk_customer_days(&plan, &mut acc, &customers, &months);

    let statements = statements(&plan, &mut acc, &customers, &months, &providers);
    let mut not_paid = acc.not_paid;
    not_paid.extend(acc.customer_months.into_values());
    not_paid.sort();
    acc.recon.visits_not_paid = not_paid
        .iter()
        .filter(|n| n.kind == NotPaidKind::Visit)
        .count() as u64;
    acc.recon.events_not_paid = not_paid
        .iter()
        .filter(|n| n.kind == NotPaidKind::Event)
        .count() as u64;
    Ok(PayRun {
        contract: ContractInfo {
            name: contract.name.clone(),
            file: contract.file.clone(),
            valid_from: contract.valid_from.to_string(),
            valid_to: contract.valid_to.to_string(),
        },
        statements,
        not_paid,
        not_paid_parts: Vec::new(),
        reconciliation: acc.recon,
    })
}

/// Keeps a file's error list to a size a person reads; the count of the
/// rest is kept by `DataErrors`.
fn push_row_error(errors: &mut DataErrors, e: RowError) {
    errors.errors.push(e);
}

fn selected(term: &PayTerm, ctx: &dyn RowCtx) -> bool {
    term.within.is_none_or(|w| ctx.paid_by(w)) && term.filter.as_ref().is_none_or(|f| holds(f, ctx))
}

fn pay_events(
    plan: &Plan,
    acc: &mut Acc,
    mut events: Vec<Event>,
    in_validity: &dyn Fn(NaiveDate) -> bool,
    in_scope: &dyn Fn(MonthIdx) -> bool,
) {
    let contract = plan.contract;
    events.retain(|e| in_scope(month_of(e.date)));
    acc.recon.events_in = events.len() as u64;
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
    let not_paid = |e: &Event, reason: &str, source: Option<SourceRef>| NotPaid {
        kind: NotPaidKind::Event,
        id: e.id.clone(),
        reason: reason.to_string(),
        source,
        provider: Some(e.provider.clone()),
        period: Some(month_label(month_of(e.date))),
    };
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
                acc.not_paid.push(not_paid(e, reason::DUPLICATE, None));
            } else if !in_validity(e.date) {
                acc.not_paid
                    .push(not_paid(e, reason::OUTSIDE_VALIDITY, None));
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
            match term.requires.iter().find(|r| !holds(&r.cond, &ctx)) {
                Some(r) => {
                    failure[n].get_or_insert((r.reason.clone(), r.source.clone()));
                }
                None => eligible.push(n),
            }
        }
        if let Some(limit) = &term.limit {
            let scope = |e: &Event| {
                let mut s = (None, None, None);
                for p in &limit.per {
                    match p {
                        Scope::Provider => s.0 = Some(e.provider.clone()),
                        Scope::Month => s.1 = Some(month_of(e.date)),
                        Scope::Customer => s.2 = e.customer.clone(),
                    }
                }
                s
            };
            let order_key = |e: &Event| {
                limit
                    .order
                    .iter()
                    .map(|f| match f {
                        Field::EventId => e.id.clone(),
                        _ => e.date.to_string(),
                    })
                    .collect::<Vec<_>>()
            };
            eligible.sort_by(|&a, &b| {
                (scope(candidates[a]), order_key(candidates[a]))
                    .cmp(&(scope(candidates[b]), order_key(candidates[b])))
            });
            let mut taken: HashMap<_, u64> = HashMap::new();
            eligible.retain(|&n| {
                let c = taken.entry(scope(candidates[n])).or_insert(0);
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

/// Customer-day terms and the caps' customer-day sums, for every billing
/// month: each day of a row inside the month and the validity, except days
/// another row of the same customer also covers.
fn walk_customer_days(plan: &Plan, acc: &mut Acc, customers: &Customers, months: &[MonthIdx]) {
    if plan.day_terms.is_empty() && plan.day_sums.is_empty() {
        return;
    }
    let contract = plan.contract;
    for &m in months {
        let (first, last) = (month_first(m), month_last(m));
        let days_in_month = (last - first).num_days() as i128 + 1;
        let lo_bound = first.max(contract.valid_from);
        let hi_bound = last.min(contract.valid_to);
        for row in customers.rows() {
            let lo = row.from.map_or(lo_bound, |f| f.max(lo_bound));
            let hi = row.to.map_or(hi_bound, |t| t.min(hi_bound));
            if lo > hi {
                continue;
            }
            let p = acc.provider(&row.provider);
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
                        acc.add((p, m, t, key_vals(&term.key, &ctx)), q);
                    }
                    for s in &plan.day_sums {
                        if s.filter.is_none_or(|f| holds(f, &ctx)) {
                            let v = num(s.expr, &ctx);
                            *acc.day_sums
                                .entry((p, m, s.id))
                                .or_insert(Exact::from_integer(0)) += v;
                        }
                    }
                }
                date = date.succ_opt().expect("dates inside a contract's validity");
            }
        }
    }
}

/// A cap's bound, read from the provider-month's sums.
struct CapCtx<'a> {
    term_sums: &'a HashMap<usize, Exact>,
    day_sums: &'a HashMap<(u32, MonthIdx, usize), Exact>,
    provider: u32,
    month: MonthIdx,
}

impl RowCtx for CapCtx<'_> {
    fn field(&self, _f: Field) -> Value {
        Value::Nothing
    }
    fn measure(&self, _m: Measure) -> Exact {
        Exact::from_integer(0)
    }
    fn paid_by(&self, _term: usize) -> bool {
        false
    }
    fn sum_terms(&self, terms: &[usize]) -> Exact {
        terms
            .iter()
            .map(|t| {
                self.term_sums
                    .get(t)
                    .copied()
                    .unwrap_or(Exact::from_integer(0))
            })
            .sum()
    }
    fn sum_days(&self, id: usize) -> Exact {
        self.day_sums
            .get(&(self.provider, self.month, id))
            .copied()
            .unwrap_or(Exact::from_integer(0))
    }
}

fn fmt_exact(x: Exact) -> Decimal {
    round_half_away(x, 4).normalize()
}

/// A term's exact quantity for one key of a provider-month.
type TermQuantity = (usize, KeyVals, Exact);

/// Turns the exact sums into statements, term by term in tender order.
fn statements(
    plan: &Plan,
    acc: &mut Acc,
    customers: &Customers,
    months: &[MonthIdx],
    providers: &[Provider],
) -> Vec<Statement> {
    let contract = plan.contract;
    let allocations = allocate(plan, acc, customers, months);
    // Group the accumulated quantities by provider-month.
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
                        let amount = round_half_away(*q * rate, 2);
                        *term_sums.entry(t).or_insert(Exact::from_integer(0)) +=
                            super::round::exact_of(amount);
                        if amount.is_zero() {
                            continue;
                        }
                        lines.push(pay_line(contract, term, pt, k, *q, rate, amount));
                    }
                }
                TermKind::Cap(cap) => {
                    let ctx = CapCtx {
                        term_sums: &term_sums,
                        day_sums: &acc.day_sums,
                        provider: p,
                        month: m,
                    };
                    let bound = round_half_away(num(&cap.bound, &ctx), 2);
                    let capped: Exact = cap
                        .over
                        .iter()
                        .map(|o| term_sums.get(o).copied().unwrap_or(Exact::from_integer(0)))
                        .sum();
                    let capped = round_half_away(capped, 2);
                    let excess = capped - bound;
                    if excess > Decimal::ZERO {
                        term_sums.insert(t, super::round::exact_of(-excess));
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
                TermKind::Allocation(a) => {
                    if let Some((count, share, total_count)) =
                        allocations.get(&(p, m)).and_then(|v| v.get(&t))
                    {
                        if *share == 0 {
                            continue;
                        }
                        let amount = Decimal::from_i128_with_scale(*share, 0).round_dp(2);
                        term_sums.insert(t, Exact::from_integer(*share));
                        lines.push(Line {
                            term: term.name.clone(),
                            label: term.label.clone(),
                            key: Vec::new(),
                            quantity: Decimal::from(*count),
                            unit: "st".into(),
                            rate: Decimal::from_i128_with_scale(a.amount, 0).round_dp(2),
                            rate_unit: "kr".into(),
                            amount: amount.round_dp(2),
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
        let total = lines.iter().map(|l| l.amount).sum::<Decimal>().round_dp(2);
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
        .map(|(f, v)| {
            let text = match f {
                Field::Code(col) => contract
                    .codes
                    .values(*col)
                    .and_then(|vals| vals.get(*v as usize))
                    .cloned()
                    .unwrap_or_default(),
                _ => v.to_string(),
            };
            (f.name().to_string(), text)
        })
        .collect();
    let unit = pt.quantity_unit.to_string();
    let rate_unit = pt.rate_unit.to_string();
    let explanation = match term_measure(&pt.quantity) {
        Some(Measure::PaidTime | Measure::Duration) => {
            let secs = q * Exact::from_integer(3600);
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

fn term_measure(e: &Expr) -> Option<Measure> {
    match e {
        Expr::Measure(m) => Some(*m),
        Expr::Binary(_, l, r) => term_measure(l).or_else(|| term_measure(r)),
        _ => None,
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
