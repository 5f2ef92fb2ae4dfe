//! A pay run: stream the visits, take the events, walk the customer-days,
//! then turn the exact sums into statements (`lines.rs`). Several versions
//! of a contract each pay the months of their validity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{Datelike, NaiveDate};

use crate::check::{Contract, Exact};
use crate::data::{DataDir, DataErrors, Event, Provider, RowError};
use crate::plan::Plan;

use super::ctx::KeyVals;
use super::customers::{Customers, OnDate};
use super::days::walk_customer_days;
use super::dedup::{HeldBack, IdFilter};
use super::error::EvalError;
use super::events::pay_events;
use super::lines::statements;
use super::overflow;
use super::statement::*;
use super::visits::{Candidate, Mode, VisitTerms, losers};

/// A billing month as `year * 12 + month0`, so months sort and step simply.
pub type MonthIdx = i32;

pub fn month_of(d: NaiveDate) -> MonthIdx {
    d.year() * 12 + d.month0() as i32
}

pub fn month_first(m: MonthIdx) -> NaiveDate {
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
        .expect("month index from a real date")
}

pub fn month_last(m: MonthIdx) -> NaiveDate {
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
            let t = t.trim();
            NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| t.len() == 7)
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

/// Reasons the engine gives before any term is asked (domain.md, "Order of
/// not-paid reasons").
pub mod reason {
    pub const DUPLICATE: &str = "duplicate";
    pub const END_NOT_AFTER_START: &str = "end not after start";
    pub const OVER_24H: &str = "longer than 24 hours";
    pub const OUTSIDE_VALIDITY: &str = "outside validity";
    pub const UNKNOWN_CUSTOMER: &str = "unknown customer on that date";
    pub const OVERLAP: &str = "customer rows overlap on that date";
    pub const PROVIDER_DIFFERS: &str = "provider differs";
    /// The contract prices by the provider's regime and the provider is not
    /// in providers.csv.
    pub const UNKNOWN_PROVIDER: &str = "provider not in providers.csv";
    pub const NO_TERM_VISIT: &str = "not paid by any term of this contract";
    pub const NO_TERM_EVENT: &str = "event kind not paid by this contract";
}

const DAY_SECONDS: i64 = 24 * 3600;

/// Provider index (interned), month, term, key.
pub type LineId = (u32, MonthIdx, usize, KeyVals);
/// Provider, customer index, month, term, key.
pub type CustomerLineId = (u32, u32, MonthIdx, usize, KeyVals);

/// Everything accumulated while the rows stream past; grows with providers
/// and customers, not with visits.
pub struct Acc {
    pub providers: Vec<String>,
    provider_idx: FxHashMap<String, u32>,
    regimes: HashMap<String, u16>,
    /// The regime of each interned provider.
    regime_of: Vec<u16>,
    /// Line quantities while rows stream past (see [`Sum`]); moved into
    /// `quantities` when the rows are done.
    sums: FxHashMap<LineId, Sum>,
    pub quantities: HashMap<LineId, Exact>,
    /// Quantities of terms tracked per customer (caps per customer, `ersätter`).
    pub customer_quantities: HashMap<CustomerLineId, Exact>,
    /// Σ of each provider-month `summa för kunddagar`.
    pub day_sums: HashMap<(u32, MonthIdx, usize), Exact>,
    /// Σ of each per-customer `summa för kunddagar`, by its key.
    pub customer_day_sums: HashMap<(u32, u32, MonthIdx, usize, KeyVals), Exact>,
    pub not_paid: Vec<NotPaid>,
    pub not_paid_parts: Vec<NotPaidPart>,
    pub customer_months: BTreeMap<(String, String), NotPaid>,
    pub recon: Reconciliation,
}

impl Acc {
    pub fn provider(&mut self, id: &str) -> u32 {
        if let Some(i) = self.provider_idx.get(id) {
            return *i;
        }
        let i = self.providers.len() as u32;
        self.providers.push(id.to_string());
        self.provider_idx.insert(id.to_string(), i);
        self.regime_of.push(self.regime(id));
        i
    }

    /// The regime of an interned provider.
    pub fn regime_at(&self, p: u32) -> u16 {
        self.regime_of[p as usize]
    }

    /// Moves the streamed sums into `quantities`.
    pub fn finish_sums(&mut self) {
        for (id, s) in self.sums.drain() {
            let q = self.quantities.entry(id).or_insert(Exact::from_integer(0));
            *q = overflow::add(*q, s.value());
        }
    }

    pub fn regime(&self, provider: &str) -> u16 {
        self.regimes
            .get(provider)
            .copied()
            .unwrap_or(super::ctx::NO_VALUE)
    }

    pub fn add(&mut self, id: LineId, q: Exact) {
        self.sums.entry(id).or_default().add(q);
    }

    pub fn add_customer(&mut self, id: CustomerLineId, q: Exact) {
        let e = self
            .customer_quantities
            .entry(id)
            .or_insert(Exact::from_integer(0));
        *e = overflow::add(*e, q);
    }
}

/// How a run treats the data.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Months to pay; `None` = every billing month.
    pub period: Option<Period>,
    /// Unreadable rows become not-paid entries instead of stopping the run.
    pub lenient: bool,
}

/// An exact sum that adds quantities of one denominator (seconds / 3600,
/// days / D) as integers, and falls back to rational arithmetic otherwise:
/// the hot loop adds millions of visits without a gcd each.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    num: i128,
    den: i128,
}

impl Sum {
    pub fn add(&mut self, q: Exact) {
        if self.den == *q.denom() {
            match self.num.checked_add(*q.numer()) {
                Some(n) => self.num = n,
                None => overflow::note(),
            }
        } else if self.num == 0 {
            (self.num, self.den) = (*q.numer(), *q.denom());
        } else {
            let r = overflow::add(self.value(), q);
            (self.num, self.den) = (*r.numer(), *r.denom());
        }
    }

    pub fn value(self) -> Exact {
        if self.den == 0 {
            Exact::from_integer(0)
        } else {
            Exact::new(self.num, self.den)
        }
    }
}

/// Pays `data` by one contract over `period` (every billing month if `None`).
pub fn pay(
    contract: &Contract,
    data: &DataDir,
    period: Option<Period>,
) -> Result<PayRun, EvalError> {
    pay_with(
        std::slice::from_ref(contract),
        data,
        &Options {
            period,
            lenient: false,
        },
    )
}

/// Pays `data` by several versions of one contract; see [`pay_with`].
pub fn pay_versions(
    versions: &[Contract],
    data: &DataDir,
    period: Option<Period>,
) -> Result<PayRun, EvalError> {
    pay_with(
        versions,
        data,
        &Options {
            period,
            lenient: false,
        },
    )
}

/// A row that cannot be read, as a not-paid entry of a lenient run.
fn unreadable(kind: NotPaidKind, e: &RowError) -> NotPaid {
    NotPaid {
        kind,
        id: e
            .id
            .clone()
            .unwrap_or_else(|| format!("{}:{}", e.file, e.line)),
        reason: format!("unreadable {}: {} (`{}`)", e.column_name, e.message, e.text),
        source: Some(SourceRef {
            file: e.file.clone(),
            line: e.line as u32,
            col: e.column as u32,
        }),
        provider: None,
        period: None,
    }
}

/// Pays `data` by several versions of one contract (sorted by validity, not
/// overlapping): each row is paid by the version valid on its date; rows no
/// version covers are not paid ("outside validity"), and their months are
/// reported in `uncovered_months`.
pub fn pay_with(
    versions: &[Contract],
    data: &DataDir,
    opts: &Options,
) -> Result<PayRun, EvalError> {
    let mut runs = Vec::new();
    for (i, c) in versions.iter().enumerate() {
        let others: Vec<(NaiveDate, NaiveDate)> = versions
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, o)| (o.valid_from, o.valid_to))
            .collect();
        let (run, overflowed) = overflow::watch(|| pay_one(c, data, opts, &others, i == 0));
        let run = run?;
        if overflowed {
            return Err(EvalError::Overflow {
                contract: c.name.clone(),
            });
        }
        runs.push(run);
    }
    let mut merged = runs.remove(0);
    for r in runs {
        merged.statements.extend(r.statements);
        merged.not_paid.extend(r.not_paid);
        merged.not_paid_parts.extend(r.not_paid_parts);
        let (a, b) = (&mut merged.reconciliation, r.reconciliation);
        a.visits_in += b.visits_in;
        a.visits_paid += b.visits_paid;
        a.visits_not_paid += b.visits_not_paid;
        a.events_in += b.events_in;
        a.events_paid += b.events_paid;
        a.events_not_paid += b.events_not_paid;
        merged.versions.extend(r.versions);
    }
    merged
        .statements
        .sort_by(|a, b| (&a.provider, &a.period).cmp(&(&b.provider, &b.period)));
    // A month that two versions share (one ends, the next begins) is one
    // statement: the earlier version's lines, then the later's.
    let mut statements: Vec<Statement> = Vec::new();
    for s in std::mem::take(&mut merged.statements) {
        match statements.last_mut() {
            Some(last) if last.provider == s.provider && last.period == s.period => {
                last.total =
                    last.total
                        .checked_add(s.total)
                        .ok_or_else(|| EvalError::Overflow {
                            contract: versions[0].name.clone(),
                        })?;
                last.lines.extend(s.lines);
            }
            _ => statements.push(s),
        }
    }
    merged.statements = statements;
    merged.not_paid.sort();
    merged.not_paid_parts.sort();
    if versions.len() == 1 {
        merged.versions.clear();
    }
    Ok(merged)
}

/// Pays the rows of one version. Rows dated inside another version's
/// validity belong to that version and are skipped here; rows outside every
/// version are reported by the version that has `report_outside`.
fn pay_one(
    contract: &Contract,
    data: &DataDir,
    opts: &Options,
    others: &[(NaiveDate, NaiveDate)],
    report_outside: bool,
) -> Result<PayRun, EvalError> {
    let plan = Plan::compile(contract);
    let codes = &contract.codes;
    let req = &contract.required;
    let mut errors = DataErrors::default();
    fn take<T>(errors: &mut DataErrors, r: Result<Vec<T>, DataErrors>) -> Vec<T> {
        r.unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        })
    }
    let period = opts.period;
    // Unreadable rows of a lenient run, listed once (by the first version).
    let mut skipped: Vec<NotPaid> = Vec::new();
    let (providers, customer_rows): (Vec<Provider>, Vec<crate::data::CustomerRow>) = if opts.lenient
    {
        fn lenient<T>(
            errors: &mut DataErrors,
            r: Result<(Vec<T>, Vec<RowError>), DataErrors>,
        ) -> (Vec<T>, Vec<RowError>) {
            r.unwrap_or_else(|e| {
                errors.extend(e);
                (Vec::new(), Vec::new())
            })
        }
        let (providers, bad_p) =
            lenient(&mut errors, data.providers_lenient(codes, &req.providers));
        let (customers, bad_c) =
            lenient(&mut errors, data.customers_lenient(codes, &req.customers));
        if report_outside {
            skipped.extend(
                bad_p
                    .iter()
                    .map(|e| unreadable(NotPaidKind::ProviderRow, e)),
            );
            skipped.extend(
                bad_c
                    .iter()
                    .map(|e| unreadable(NotPaidKind::CustomerRow, e)),
            );
        }
        (providers, customers)
    } else {
        (
            take(&mut errors, data.providers(codes, &req.providers)),
            take(&mut errors, data.customers(codes, &req.customers)),
        )
    };
    let event_rows = take(&mut errors, data.events(codes, &req.events));
    let mut events: Vec<Event> = Vec::new();
    let mut bad_events = 0u64;
    for r in event_rows {
        match r {
            Ok(e) => events.push(e),
            Err(e) if opts.lenient => {
                if report_outside {
                    bad_events += 1;
                    skipped.push(unreadable(NotPaidKind::Event, &e));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let in_validity = |d: NaiveDate| contract.valid_from <= d && d <= contract.valid_to;
    let elsewhere = |d: NaiveDate| others.iter().any(|(f, t)| *f <= d && d <= *t);
    // Rows this version answers for: its own dates, and (once) dates no
    // version covers.
    let in_run = |d: NaiveDate| in_validity(d) || (report_outside && !elsewhere(d));
    let in_scope = |m: MonthIdx| period.is_none_or(|p| p.contains(m));
    let customers = Customers::new(customer_rows);
    let regimes: HashMap<String, u16> =
        providers.iter().map(|p| (p.id.clone(), p.regime)).collect();
    let regime = |p: &str| regimes.get(p).copied().unwrap_or(super::ctx::NO_VALUE);
    let uses_regime = req.providers.contains(&"regime");

    // Pass 1 over visits: read errors, ids that may repeat, billing months.
    let size =
        std::fs::metadata(data.path().join(crate::data::read::VISITS)).map_or(0, |m| m.len());
    let mut ids = IdFilter::with_capacity(size / 40);
    let mut suspects: FxHashSet<String> = FxHashSet::default();
    let mut months: BTreeSet<MonthIdx> = BTreeSet::new();
    let mut uncovered: BTreeSet<MonthIdx> = BTreeSet::new();
    match data.visits(codes, &req.visits) {
        Err(e) => errors.extend(e),
        Ok(reader) => {
            for v in reader {
                match v {
                    Err(_) if opts.lenient => {}
                    Err(e) => errors.push(e),
                    Ok(v) => {
                        let d = v.date();
                        if in_validity(d) {
                            months.insert(month_of(d));
                        } else if !elsewhere(d) {
                            uncovered.insert(month_of(d));
                        }
                        if ids.check_and_insert(&v.id) {
                            suspects.insert(v.id);
                        }
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(EvalError::Data(errors));
    }
    drop(ids);
    for e in &events {
        if in_validity(e.date) {
            months.insert(month_of(e.date));
        } else if !elsewhere(e.date) {
            uncovered.insert(month_of(e.date));
        }
    }
    let months: Vec<MonthIdx> = months.into_iter().filter(|m| in_scope(*m)).collect();

    let mut acc = Acc {
        providers: Vec::new(),
        provider_idx: FxHashMap::default(),
        regime_of: Vec::new(),
        sums: FxHashMap::default(),
        regimes: regimes.clone(),
        quantities: HashMap::new(),
        customer_quantities: HashMap::new(),
        day_sums: HashMap::new(),
        customer_day_sums: HashMap::new(),
        not_paid: Vec::new(),
        not_paid_parts: Vec::new(),
        customer_months: BTreeMap::new(),
        recon: Reconciliation::default(),
    };
    let mut terms = VisitTerms {
        plan: &plan,
        losers: Default::default(),
    };

    // The engine's checks, in the settled order; `Ok` carries the customer
    // row of the visit's start date.
    let engine = |v: &crate::data::Visit,
                  duplicate: bool|
     -> Result<(&crate::data::CustomerRow, u32), &'static str> {
        if duplicate {
            return Err(reason::DUPLICATE);
        }
        if v.end <= v.start {
            return Err(reason::END_NOT_AFTER_START);
        }
        if v.duration() > DAY_SECONDS {
            return Err(reason::OVER_24H);
        }
        if !in_validity(v.date()) {
            return Err(reason::OUTSIDE_VALIDITY);
        }
        let Some(c) = customers.index_of(&v.customer) else {
            return Err(reason::UNKNOWN_CUSTOMER);
        };
        let row = match customers.on_index(c, v.date()) {
            OnDate::Unknown => return Err(reason::UNKNOWN_CUSTOMER),
            OnDate::Overlap => return Err(reason::OVERLAP),
            OnDate::One(r) => r,
        };
        if row.provider != v.provider {
            return Err(reason::PROVIDER_DIFFERS);
        }
        if uses_regime && !regimes.contains_key(&v.provider) {
            return Err(reason::UNKNOWN_PROVIDER);
        }
        Ok((row, c))
    };

    // Count limits on visits and activities hold across months and
    // providers: decide them over every visit of the validity first.
    if plan.visit_limits {
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut collect = |v: &crate::data::Visit, duplicate: bool| {
            if let Ok((row, _)) = engine(v, duplicate) {
                let out = terms.evaluate(
                    v,
                    row,
                    regime(&v.provider),
                    Mode::Collect,
                    month_of(v.date()),
                );
                candidates.extend(out.candidates);
            }
        };
        let mut held = HeldBack::new(suspects.clone());
        for v in data.visits(codes, &req.visits).map_err(EvalError::Data)? {
            let Ok(v) = v else { continue };
            if held.suspects(&v.id) {
                held.hold(&v.id.clone(), v);
            } else {
                collect(&v, false);
            }
        }
        for (v, duplicate) in held.settle() {
            collect(&v, duplicate);
        }
        terms.losers = losers(contract, candidates);
    }

    // Pass 2: pay each visit; rows whose id may repeat are settled last.
    let mut pay_visit = |v: crate::data::Visit, duplicate: bool| {
        let d = v.date();
        let m = month_of(d);
        if !in_run(d) || !in_scope(m) {
            return;
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
        let (row, c) = match engine(&v, duplicate) {
            Ok(found) => found,
            Err(r) => {
                acc.not_paid.push(not_paid(r, None));
                return;
            }
        };
        let p = acc.provider(&v.provider);
        let out = terms.evaluate(&v, row, acc.regime_at(p), Mode::Pay, m);
        if !out.paid {
            let (r, s) = out
                .failure
                .map_or((reason::NO_TERM_VISIT.to_string(), None), |(r, s)| {
                    (r, Some(s))
                });
            acc.not_paid.push(not_paid(&r, s));
            return;
        }
        acc.recon.visits_paid += 1;
        acc.not_paid_parts.extend(out.parts);
        for (t, k, q) in out.contributions {
            acc.add((p, m, t, k), q);
            if plan.per_customer[t] {
                acc.add_customer((p, c, m, t, k), q);
            }
        }
    };
    let mut held = HeldBack::new(suspects);
    let mut bad_visits = 0u64;
    for v in data.visits(codes, &req.visits).map_err(EvalError::Data)? {
        let v = match v {
            Ok(v) => v,
            // Only a lenient run gets here with unreadable rows (pass 1
            // stopped a strict one).
            Err(e) => {
                if report_outside {
                    bad_visits += 1;
                    skipped.push(unreadable(NotPaidKind::Visit, &e));
                }
                continue;
            }
        };
        if held.suspects(&v.id) {
            held.hold(&v.id.clone(), v);
        } else {
            pay_visit(v, false);
        }
    }
    for (v, duplicate) in held.settle() {
        pay_visit(v, duplicate);
    }

    pay_events(
        &plan,
        &mut acc,
        &customers,
        events,
        &in_run,
        &in_validity,
        &in_scope,
    );
    walk_customer_days(&plan, &mut acc, &customers, &months);

    acc.finish_sums();
    let statements = statements(&plan, &mut acc, &customers, &months, &providers);
    acc.recon.visits_in += bad_visits;
    acc.recon.events_in += bad_events;
    let mut not_paid = std::mem::take(&mut acc.not_paid);
    not_paid.extend(skipped);
    not_paid.extend(std::mem::take(&mut acc.customer_months).into_values());
    not_paid.sort();
    acc.recon.visits_not_paid = not_paid
        .iter()
        .filter(|n| n.kind == NotPaidKind::Visit)
        .count() as u64;
    acc.recon.events_not_paid = not_paid
        .iter()
        .filter(|n| n.kind == NotPaidKind::Event)
        .count() as u64;
    let mut parts = std::mem::take(&mut acc.not_paid_parts);
    parts.sort();
    let info = ContractInfo {
        name: contract.name.clone(),
        file: contract.file.clone(),
        valid_from: contract.valid_from.to_string(),
        valid_to: contract.valid_to.to_string(),
    };
    Ok(PayRun {
        contract: info.clone(),
        versions: vec![info],
        statements,
        not_paid,
        not_paid_parts: parts,
        reconciliation: acc.recon,
        uncovered_months: if report_outside {
            uncovered
                .into_iter()
                .filter(|m| in_scope(*m))
                .map(month_label)
                .collect()
        } else {
            Vec::new()
        },
    })
}
