//! A pay run, as its passes in order. Every version of a contract shares
//! one read of the small files and one set of passes over visits.csv; each
//! row is paid by the version valid on its date (rows no version covers go
//! to the first, which lists them as outside validity).
//!
//! 1. [`Input::read`]: providers, customers, events, their provider and
//!    customer ids interned into the run's [`Ids`] (visits.csv's follow in
//!    the scan); from here on ids are integers, and names are looked up
//!    only for what is written out.
//! 2. [`scan`]: visits.csv once for read errors, ids that may repeat, and
//!    the billing months; a strict run stops here on any read error.
//! 3. [`decide_limits`]: when a visit or activity term has a `gräns`, every
//!    visit of each validity is taken up to its limits, and the
//!    occurrences over them are decided.
//! 4. [`pay_visits`]: visits.csv again; each visit through the engine's
//!    checks and the version's visit terms into its ledger.
//! 5. Per version: events, customer-days, provider-months, then statements
//!    from the ledger.
//! 6. [`merge`]: one run of every version's statements and lists.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::check::Contract;
use crate::data::{
    DataDir, DataErrors, DataWarning, DataWarningKind, Ids, ProviderId, Visit, VisitsFile,
};
use crate::plan::Plan;

use super::attached::OwnFiles;
use super::counts::Counts;
use super::customers::Customers;
use super::decided;
use super::dedup::{HeldBack, IdFilter};
use super::engine::Engine;
use super::error::EvalError;
use super::input::{Input, run_schema, unreadable};
use super::ledger::Ledger;
use super::limits::{Losers, Occurrence, Undecided, decide};
use super::month::{Month, Period};
use super::overflow;
use super::parties::Parties;
use super::rows::days::{CustomerMonths, walk_customer_days};
use super::rows::events::{EventRun, pay_events};
use super::rows::provider_months::walk_provider_months;
use super::rows::visits::{Mode, Outcome, VisitTerms, identity};
use super::statement::*;
use super::statements::statements;

/// How a run treats the data.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Months to pay; `None` = every billing month.
    pub period: Option<Period>,
    /// Unreadable rows become not-paid entries instead of stopping the run.
    pub lenient: bool,
    /// Record the rows behind each line of these provider-months
    /// (`PayRun::contributions`), for an explanation or the HTML statement.
    pub trace: Option<super::trace::TraceScope>,
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
            ..Options::default()
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
            ..Options::default()
        },
    )
}

/// One contract version's share of the run.
struct Version<'c> {
    contract: &'c Contract,
    plan: Plan<'c>,
    /// The rows of the rule file's own files (`fil`), read once for the run.
    own: &'c OwnFiles,
    /// Months of the rows in the validity: the billing months of a run
    /// without `--period`.
    months: BTreeSet<Month>,
    losers: Losers,
    ledger: Ledger,
    not_paid: Vec<NotPaid>,
    parts: Vec<NotPaidPart>,
    /// What decided the engine's refusals in the traced provider-month.
    details: std::collections::BTreeMap<String, Detail>,
    customer_months: CustomerMonths,
    recon: Counts,
    overflowed: bool,
}

impl<'c> Version<'c> {
    fn new(contract: &'c Contract, own: &'c OwnFiles) -> Self {
        Version {
            contract,
            plan: Plan::compile(contract),
            own,
            months: BTreeSet::new(),
            losers: Losers::default(),
            ledger: Ledger::default(),
            not_paid: Vec::new(),
            parts: Vec::new(),
            details: Default::default(),
            customer_months: CustomerMonths::new(),
            recon: Counts::new(Reconciliation {
                visits_not_priced: contract.visits_not_priced.then_some(0),
                ..Reconciliation::default()
            }),
            overflowed: false,
        }
    }

    fn valid(&self, d: NaiveDate) -> bool {
        self.contract.valid_from <= d && d <= self.contract.valid_to
    }

    fn engine(&self) -> Engine<'_> {
        Engine {
            checks: &self.contract.checks.visits,
            valid_from: self.contract.valid_from,
            valid_to: self.contract.valid_to,
            uses_regime: self
                .contract
                .codes
                .requires(crate::data::DataFile::Providers),
        }
    }

    /// A visit through the engine's checks and this version's visit terms —
    /// gathering the occurrences its limits count (`collect`), or paying by
    /// the limits decided: the outcome and the customer's index, or the
    /// engine's reason.
    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        v: &Visit,
        n: u32,
        duplicate: bool,
        collect: bool,
        ids: &Ids,
        customers: &Customers,
        parties: &Parties,
    ) -> Result<(Outcome, u32), super::engine::Refused> {
        let (row, c) = self.engine().check(v, duplicate, customers, parties)?;
        let terms = VisitTerms {
            plan: &self.plan,
            ids,
            own: self.own,
        };
        let who = identity(n, v.provider, v.customer, &v.id);
        let mode = if collect {
            Mode::Collect
        } else {
            Mode::Pay(&self.losers)
        };
        Ok((
            terms.evaluate(v, row, parties.values(v.provider), who, mode),
            c,
        ))
    }

    /// Runs `f` and notes whether its arithmetic overflowed in this version.
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let (r, overflowed) = overflow::watch(|| f(self));
        self.overflowed |= overflowed;
        r
    }
}

/// Where the visits come from, and how the run reads them.
struct Source<'d> {
    /// visits.csv, opened once for every pass (see `data::VisitsFile`), or
    /// why it cannot be.
    visits: Result<VisitsFile, DataErrors>,
    codes: &'d crate::data::Schema,
    opts: Options,
}

impl Source<'_> {
    fn in_scope(&self, m: Month) -> bool {
        self.opts.period.is_none_or(|p| p.contains(m))
    }

    fn visits(&self) -> Result<&VisitsFile, EvalError> {
        self.visits.as_ref().map_err(|e| EvalError::Data(e.clone()))
    }

    /// Each readable visit once, with the names of its ids, its place in
    /// the file, in file order but for rows whose id may repeat: those come
    /// last (by id), each with whether it is a duplicate.
    fn each_visit(
        &self,
        ids: &mut Ids,
        suspects: FxHashSet<String>,
        mut on_unreadable: impl FnMut(&crate::data::RowErrors),
        mut f: impl FnMut(Visit, &Ids, u32, bool),
    ) -> Result<(), EvalError> {
        let mut held = HeldBack::new(suspects);
        let mut reader = self
            .visits()?
            .rows(self.codes, ids)
            .map_err(EvalError::Data)?;
        let mut n = 0u32;
        // Not a `for` loop: between rows the reader lends out its ids.
        while let Some(v) = reader.next() {
            match v {
                // Only a lenient run gets here with unreadable rows (the
                // scan stopped a strict one); it lists the row under its
                // first bad cell.
                Err(e) => on_unreadable(&e),
                Ok(v) if held.suspects(&v.id) => {
                    held.hold(&v.id.clone(), v, n);
                }
                Ok(v) => f(v, reader.ids(), n, false),
            }
            n += 1;
        }
        for (v, n, duplicate) in held.settle() {
            f(v, ids, n, duplicate);
        }
        Ok(())
    }
}

/// The version a date belongs to: the one valid then, else the first.
fn owner(versions: &[Version], d: NaiveDate) -> usize {
    versions.iter().position(|v| v.valid(d)).unwrap_or(0)
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
    // The rule file's own columns and files, read into each row's cells by
    // the first version's declarations; a later version must declare the
    // same.
    if let Some(other) = versions.iter().find(|v| {
        v.fields != versions[0].fields
            || v.headers != versions[0].headers
            || v.files != versions[0].files
    }) {
        return Err(EvalError::FieldsDiffer {
            first: versions[0].name.clone(),
            other: other.name.clone(),
        });
    }
    let codes = &run_schema(versions);
    let mut errors = DataErrors::default();
    let mut warnings: Vec<DataWarning> = Vec::new();
    let mut ids = Ids::default();
    let input = Input::read(
        data,
        codes,
        opts.lenient,
        opts.period,
        &mut ids,
        &mut errors,
        &mut warnings,
    );
    // The rule file's own files after the small files (their ids are
    // interned like theirs), before visits.csv.
    let (own, own_skipped) = OwnFiles::read(
        data,
        &versions[0],
        codes,
        opts.lenient,
        &mut ids,
        &mut errors,
        &mut warnings,
    );
    let mut runs: Vec<Version> = versions.iter().map(|c| Version::new(c, &own)).collect();
    let source = Source {
        visits: data.open_visits(),
        codes,
        opts: opts.clone(),
    };
    let parties = Parties::new(&input.providers);
    let customers = Customers::new(input.customers, &ids);
    let (suspects, mut uncovered) = scan(&source, &mut ids, &mut runs, &mut errors, &mut warnings);
    if !errors.is_empty() {
        errors.warnings = warnings;
        return Err(EvalError::Data(errors));
    }
    // A provider the data does not know has nothing to trace.
    let traced = opts.trace.as_ref().and_then(|t| match &t.provider {
        None => Some((None, t.period)),
        Some(name) => ids.find_provider(name).map(|p| (Some(p), t.period)),
    });
    for v in runs.iter_mut() {
        v.ledger.trace(traced);
    }
    for e in &input.events {
        let i = owner(&runs, e.date);
        if runs[i].valid(e.date) {
            runs[i].months.insert(Month::of(e.date));
        } else {
            uncovered.insert(Month::of(e.date));
        }
    }
    decide_limits(
        &source, &mut ids, &mut runs, &customers, &parties, &suspects,
    )?;
    let (skipped, bad_visits) =
        pay_visits(&source, &mut ids, &mut runs, &customers, &parties, suspects)?;

    let mut events_of: Vec<Vec<crate::data::Event>> = vec![Vec::new(); runs.len()];
    for e in input.events {
        events_of[owner(&runs, e.date)].push(e);
    }
    let mut paid = Vec::new();
    let mut billed_before: BTreeSet<Month> = BTreeSet::new();
    for (i, (v, events)) in runs.iter_mut().zip(events_of).enumerate() {
        let months = billing_months(v, opts.period);
        // A month two versions bill (a change mid-month) has its
        // provider-months in the earlier one: a fixed fee is paid once.
        let provider_months: Vec<Month> = months
            .iter()
            .copied()
            .filter(|m| !billed_before.contains(m))
            .collect();
        billed_before.extend(months.iter().copied());
        let statements = v.guarded(|v| {
            pay_rest(
                v,
                i == 0,
                &source,
                &ids,
                &customers,
                &parties,
                events,
                (&months, &provider_months),
                &input.providers,
            )
        });
        if v.overflowed {
            return Err(EvalError::Overflow {
                contract: v.contract.name.clone(),
            });
        }
        paid.push(finish(v, statements, &ids));
    }
    let first = &mut paid[0];
    first.warnings = warnings;
    first.reconciliation.visits_in += bad_visits;
    first.reconciliation.events_in += input.bad_events;
    first.not_paid.extend(input.skipped);
    first.not_paid.extend(own_skipped);
    first.not_paid.extend(skipped);
    first.uncovered_months = uncovered
        .into_iter()
        .filter(|m| source.in_scope(*m))
        .collect();
    for run in paid.iter_mut() {
        run.not_paid.sort();
        count_not_paid(run);
    }
    let mut run = merge(versions, paid)?;
    // Without providers.csv (an optional file) no provider is listed, and
    // saying so for each would only be noise.
    if !input.providers.is_empty() {
        run.warnings
            .extend(unlisted_providers(&run, &ids, &parties));
    }
    Ok(run)
}

/// A warning for each provider the run pays or lists as not paid that
/// providers.csv does not list: its statement has no name, and a contract
/// that prices by regime cannot pay it.
fn unlisted_providers(run: &PayRun, ids: &Ids, parties: &Parties) -> Vec<DataWarning> {
    let named: BTreeSet<&str> = run
        .statements
        .iter()
        .map(|s| s.provider.as_str())
        .chain(run.not_paid.iter().filter_map(|n| n.provider.as_deref()))
        .collect();
    named
        .into_iter()
        .filter(|name| ids.find_provider(name).is_some_and(|p| !parties.listed(p)))
        .map(|name| DataWarning {
            kind: DataWarningKind::UnlistedProvider,
            file: crate::data::read::PROVIDERS.to_string(),
            line: 0,
            column: 0,
            message: format!(
                "provider {name} is named in the data but not listed in providers.csv"
            ),
        })
        .collect()
}

/// The months a version bills (domain.md, "Billing months"): with a
/// `--period`, every month of it inside the validity, rows or not (a
/// granted-time contract pays a month from the grants alone); without one,
/// the months of the visit and event rows in the validity.
fn billing_months(v: &Version, period: Option<Period>) -> Vec<Month> {
    match period {
        Some(p) => {
            let first = Month::of(v.contract.valid_from).max(p.from);
            let last = Month::of(v.contract.valid_to).min(p.to);
            let mut out = Vec::new();
            let mut m = first;
            while m <= last {
                out.push(m);
                m = m.next();
            }
            out
        }
        None => v.months.iter().copied().collect(),
    }
}

/// Pass 1 over visits.csv: read errors, ids that may repeat, the billing
/// months of each version and the months no version covers; the file's
/// warnings (the later passes find the same ones).
fn scan(
    source: &Source,
    ids: &mut Ids,
    runs: &mut [Version],
    errors: &mut DataErrors,
    warnings: &mut Vec<DataWarning>,
) -> (FxHashSet<String>, BTreeSet<Month>) {
    let size = source.visits.as_ref().map_or(0, |f| f.len());
    let mut seen = IdFilter::with_capacity(size / 40);
    let mut suspects = FxHashSet::default();
    let mut uncovered = BTreeSet::new();
    let reader = match &source.visits {
        Err(e) => Err(e.clone()),
        Ok(file) => file.rows(source.codes, ids),
    };
    match reader {
        Err(e) => errors.extend(e),
        Ok(mut reader) => {
            for v in reader.by_ref() {
                match v {
                    Err(_) if source.opts.lenient => {}
                    Err(e) => errors.push_row(e),
                    Ok(v) => {
                        let d = v.date();
                        let i = owner(runs, d);
                        if runs[i].valid(d) {
                            runs[i].months.insert(Month::of(d));
                        } else {
                            uncovered.insert(Month::of(d));
                        }
                        if seen.check_and_insert(&v.id) {
                            suspects.insert(v.id);
                        }
                    }
                }
            }
            warnings.extend(reader.take_warnings());
        }
    }
    (suspects, uncovered)
}

/// The limits pass: each version's visits up to their limits, then the
/// occurrences over them decided. Ids are compared by their first 16 bytes;
/// when that leaves a tie undecided, the pass runs again with exact ranks.
fn decide_limits(
    source: &Source,
    ids: &mut Ids,
    runs: &mut [Version],
    customers: &Customers,
    parties: &Parties,
    suspects: &FxHashSet<String>,
) -> Result<(), EvalError> {
    if !runs.iter().any(|v| v.plan.visit_limits) {
        return Ok(());
    }
    for exact in [false, true] {
        let mut occurrences: Vec<Vec<Occurrence>> = vec![Vec::new(); runs.len()];
        // For exact ranks: every id that reached a limit, with its row.
        let mut ranked: Vec<(String, u32)> = Vec::new();
        source.each_visit(
            ids,
            suspects.clone(),
            |_| {},
            |v, ids, n, duplicate| {
                let i = owner(runs, v.date());
                let run = &runs[i];
                if !run.plan.visit_limits {
                    return;
                }
                let (found, overflowed) = overflow::watch(|| {
                    run.evaluate(&v, n, duplicate, true, ids, customers, parties)
                });
                let Ok((out, _)) = found else {
                    return;
                };
                if exact && !out.occurrences.is_empty() {
                    ranked.push((v.id.clone(), n));
                }
                occurrences[i].extend(out.occurrences);
                runs[i].overflowed |= overflowed;
            },
        )?;
        let rank: Option<FxHashMap<u32, u128>> = exact.then(|| {
            ranked.sort();
            ranked
                .iter()
                .enumerate()
                .map(|(r, (_, n))| (*n, r as u128))
                .collect()
        });
        let mut undecided = false;
        for (run, mut occ) in runs.iter_mut().zip(occurrences) {
            if let Some(rank) = &rank {
                for o in &mut occ {
                    o.id = rank[&o.row];
                }
            }
            let counts = &run.plan.limit_counts;
            match decide(occ, |l| counts[l as usize]) {
                Ok(losers) => run.losers = losers,
                Err(Undecided) => undecided = true,
            }
        }
        if !undecided {
            return Ok(());
        }
    }
    unreachable!("exact id ranks decide every tie")
}

/// The pay pass over visits.csv: each visit by the version of its date.
/// Returns a lenient run's unreadable rows and their count.
fn pay_visits(
    source: &Source,
    ids: &mut Ids,
    runs: &mut [Version],
    customers: &Customers,
    parties: &Parties,
    suspects: FxHashSet<String>,
) -> Result<(Vec<NotPaid>, u64), EvalError> {
    let mut skipped = Vec::new();
    let mut bad = 0u64;
    // A strict run meets an unreadable row here only when the file changed
    // in place after the scan read it: that stops the run as the scan would.
    let mut changed = DataErrors::default();
    source.each_visit(
        ids,
        suspects,
        // An unreadable row is listed when it may be of the months asked
        // for: its start unknown, or inside them.
        |e| {
            if !source.opts.lenient {
                changed.push_row(e.clone());
            } else if e.date.is_none_or(|d| source.in_scope(Month::of(d))) {
                bad += 1;
                skipped.push(unreadable(NotPaidKind::Visit, e.first()));
            }
        },
        |v, ids, n, duplicate| {
            let m = Month::of(v.date());
            if !source.in_scope(m) {
                return;
            }
            let run = &mut runs[owner(runs, v.date())];
            run.guarded(|run| pay_visit(run, ids, customers, parties, v, n, duplicate, m));
        },
    )?;
    if !changed.is_empty() {
        return Err(EvalError::Data(changed));
    }
    Ok((skipped, bad))
}

/// One visit into its version's ledger, or onto its not-paid list.
#[allow(clippy::too_many_arguments)]
fn pay_visit(
    run: &mut Version,
    ids: &Ids,
    customers: &Customers,
    parties: &Parties,
    v: Visit,
    n: u32,
    duplicate: bool,
    m: Month,
) {
    run.recon.bump(v.provider, |r| r.visits_in += 1);
    // A contract that prices no visits counts those of its validity and
    // does nothing else with them: no check can change what they are paid.
    if run.contract.visits_not_priced && run.valid(v.date()) {
        run.recon
            .bump(v.provider, |r| *r.visits_not_priced.get_or_insert(0) += 1);
        return;
    }
    let not_paid = |reason: Reason, source: Option<SourceRef>| NotPaid {
        kind: NotPaidKind::Visit,
        id: v.id.clone(),
        reason,
        source,
        provider: Some(ids.provider_name(v.provider).to_string()),
        period: Some(m),
    };
    let (out, c) = match run.evaluate(&v, n, duplicate, false, ids, customers, parties) {
        Ok(found) => found,
        Err((r, s)) => {
            if run.ledger.traces(v.provider, m)
                && let Some(d) = decided::engine_check(run.contract, &r, &v, ids, customers)
            {
                run.details.insert(v.id.clone(), d);
            }
            run.not_paid.push(not_paid(r, s));
            return;
        }
    };
    let p = v.provider;
    if !out.paid {
        if run.ledger.traces(v.provider, m)
            && let Some((_, s)) = &out.failure
            && let Some(d) = decided::rule_values(run.contract, s, &v, customers, parties)
        {
            run.details.insert(v.id.clone(), d);
        }
        let (r, s) = out
            .failure
            .map_or((Reason::NoTermForVisit, None), |(r, s)| (r, Some(s)));
        run.not_paid.push(not_paid(r, s));
        return;
    }
    run.recon.bump(v.provider, |r| r.visits_paid += 1);
    run.parts.extend(out.parts);
    for (t, k, q) in out.contributions {
        run.ledger
            .add((p, m, t, k), q, || super::trace::Row::Visit {
                id: v.id.clone(),
                customer: ids.customer_name(v.customer).to_string(),
            });
        if run.plan.per_customer[t] {
            run.ledger.add_customer((p, c, m, t, k), q);
        }
    }
}

/// Events, customer-days, provider-months and the statements of one
/// version (`provider_months`: the billing months whose provider-months
/// it answers for).
#[allow(clippy::too_many_arguments)]
fn pay_rest(
    v: &mut Version,
    first: bool,
    source: &Source,
    ids: &Ids,
    customers: &Customers,
    parties: &Parties,
    events: Vec<crate::data::Event>,
    (months, provider_months): (&[Month], &[Month]),
    providers: &[crate::data::Provider],
) -> Vec<Statement> {
    let (from, to) = (v.contract.valid_from, v.contract.valid_to);
    let in_validity = |d: NaiveDate| from <= d && d <= to;
    // The first version also answers for dates no version covers (its
    // events were routed to it by `owner`).
    let in_run = |d: NaiveDate| first || in_validity(d);
    let in_scope = |m: Month| source.in_scope(m);
    let run = EventRun {
        plan: &v.plan,
        ids,
        parties,
        customers,
        own: v.own,
        in_run: &in_run,
        in_validity: &in_validity,
        in_scope: &in_scope,
    };
    pay_events(&run, &mut v.ledger, &mut v.not_paid, &mut v.recon, events);
    walk_customer_days(
        &v.plan,
        v.own,
        ids,
        parties,
        &mut v.ledger,
        &mut v.customer_months,
        customers,
        months,
    );
    walk_provider_months(
        &v.plan,
        ids,
        &mut v.ledger,
        &mut v.not_paid,
        providers,
        provider_months,
    );
    v.ledger.close();
    statements(
        &v.plan,
        v.own,
        &mut v.ledger,
        ids,
        parties,
        customers,
        months,
        providers,
    )
}

/// A version's run, its lists sorted.
fn finish(v: &mut Version, statements: Vec<Statement>, ids: &Ids) -> PayRun {
    let mut not_paid = std::mem::take(&mut v.not_paid);
    not_paid.extend(std::mem::take(&mut v.customer_months).into_values());
    let mut parts = std::mem::take(&mut v.parts);
    parts.sort();
    let c = v.contract;
    let info = ContractInfo {
        name: c.name.clone(),
        file: c.file.clone(),
        valid_from: c.valid_from,
        valid_to: c.valid_to,
    };
    PayRun {
        contract: info.clone(),
        versions: vec![info],
        statements,
        not_paid,
        not_paid_parts: parts,
        reconciliation: v.recon.total,
        provider_reconciliations: v
            .recon
            .take_providers()
            .map(|(p, r)| (ids.provider_name(ProviderId(p as u32)).to_string(), r))
            .collect(),
        uncovered_months: Vec::new(),
        warnings: Vec::new(),
        contributions: v.ledger.take_trace().finish(c, ids),
        details: std::mem::take(&mut v.details),
    }
}

fn count_not_paid(run: &mut PayRun) {
    let count = |k: NotPaidKind, p: Option<&str>| {
        run.not_paid
            .iter()
            .filter(|n| n.kind == k && p.is_none_or(|p| n.provider.as_deref() == Some(p)))
            .count() as u64
    };
    run.reconciliation.visits_not_paid = count(NotPaidKind::Visit, None);
    run.reconciliation.events_not_paid = count(NotPaidKind::Event, None);
    let providers: Vec<String> = run.provider_reconciliations.keys().cloned().collect();
    for p in providers {
        let (visits, events) = (
            count(NotPaidKind::Visit, Some(&p)),
            count(NotPaidKind::Event, Some(&p)),
        );
        let r = run.provider_reconciliations.get_mut(&p).expect("a key");
        r.visits_not_paid = visits;
        r.events_not_paid = events;
    }
}

/// One run of every version's: statements by provider and month (a month
/// two versions share is one statement, the earlier version's lines
/// first), lists sorted, counts added.
fn merge(versions: &[Contract], mut runs: Vec<PayRun>) -> Result<PayRun, EvalError> {
    let mut merged = runs.remove(0);
    for r in runs {
        merged.statements.extend(r.statements);
        merged.not_paid.extend(r.not_paid);
        merged.not_paid_parts.extend(r.not_paid_parts);
        merged.reconciliation.add(&r.reconciliation);
        for (p, c) in r.provider_reconciliations {
            merged
                .provider_reconciliations
                .entry(p)
                .or_default()
                .add(&c);
        }
        merged.versions.extend(r.versions);
        merged.warnings.extend(r.warnings);
        merged.contributions.extend(r.contributions);
        merged.details.extend(r.details);
    }
    merged
        .statements
        .sort_by(|a, b| (&a.provider, a.period).cmp(&(&b.provider, b.period)));
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
