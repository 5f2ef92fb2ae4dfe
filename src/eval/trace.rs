//! What an explanation needs of a run (`taxa explain`): for one provider
//! and month, each row's exact contribution to each line — a visit's
//! quantity, a run of a customer's days, an event, a provider-month, a
//! customer taken out of a line by `ersätter`. Recorded where the ledger
//! adds, so the contributions of a line sum exactly to its quantity; only
//! for the provider-months asked about (one for an explanation, every one
//! for the HTML statement), so tracing costs nothing elsewhere. Memory grows
//! with the rows traced: a run that traces every provider-month holds one
//! [`Contribution`] per row and line.

use std::collections::HashMap;
use std::sync::Arc;

use crate::check::{Contract, Exact, TermKind};
use crate::data::{Ids, ProviderId};

use super::month::Month;
use super::statement::SourceRef;
pub use super::statement::{Contribution, KeyPart, Row};

/// A line's key values (as `ctx::KeyVals`).
type KeyVals = [u16; 4];

/// The provider and month to trace; `None` is any (both `None`: every
/// provider-month of the run).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TraceScope {
    pub provider: Option<String>,
    pub period: Option<Month>,
}

/// A scope with its provider interned: `None` is any.
pub type Scope = (Option<ProviderId>, Option<Month>);

/// A line's term name, its citation and key, shared by its rows.
type Named = (Arc<str>, Arc<SourceRef>, Arc<[KeyPart]>);

/// One traced row: provider, month, term, key, row and quantity.
type Entry = (ProviderId, Month, usize, KeyVals, Row, Exact);

/// The recorder the ledger carries; inert unless given a scope.
#[derive(Debug, Default)]
pub struct Trace {
    scope: Option<Scope>,
    entries: Vec<Entry>,
}

impl Trace {
    pub fn new(scope: Option<Scope>) -> Trace {
        Trace {
            scope,
            entries: Vec::new(),
        }
    }

    /// Whether `p`'s statement for `m` is traced.
    pub fn covers(&self, p: ProviderId, m: Month) -> bool {
        self.traces(p, m)
    }

    fn traces(&self, p: ProviderId, m: Month) -> bool {
        self.scope
            .is_some_and(|(sp, sm)| sp.is_none_or(|sp| sp == p) && sm.is_none_or(|sm| sm == m))
    }

    pub fn note(
        &mut self,
        (p, m, t, k): (ProviderId, Month, usize, KeyVals),
        q: Exact,
        row: impl FnOnce() -> Row,
    ) {
        if self.traces(p, m) {
            self.entries.push((p, m, t, k, row(), q));
        }
    }

    /// The contributions with their providers, terms and keys named, by
    /// provider and month, then in term order, then by key and row.
    pub fn finish(self, contract: &Contract, ids: &Ids) -> Vec<Contribution> {
        let mut entries = self.entries;
        let name = |p: ProviderId| ids.provider_name(p);
        entries.sort_by(|a, b| {
            (name(a.0), a.1, a.2, a.3, &a.4).cmp(&(name(b.0), b.1, b.2, b.3, &b.4))
        });
        // Runs of days that follow each other on one line (the walk cuts
        // them where a rule might read the date differently) read as one.
        let mut joined: Vec<Entry> = Vec::with_capacity(entries.len());
        for e in entries {
            if let Some(last) = joined.last_mut()
                && (last.0, last.1, last.2, last.3) == (e.0, e.1, e.2, e.3)
                && let (
                    Row::Days {
                        customer: c1, to, ..
                    },
                    Row::Days {
                        customer: c2,
                        from,
                        to: to2,
                    },
                ) = (&mut last.4, &e.4)
                && c1 == c2
                && to.succ_opt() == Some(*from)
                && let Some(q) = num_traits::CheckedAdd::checked_add(&last.5, &e.5)
            {
                *to = *to2;
                last.5 = q;
                continue;
            }
            joined.push(e);
        }
        let entries = joined;
        // Each provider, term and key is named once and shared by its rows:
        // a run traced whole holds a row for every visit.
        let mut providers: HashMap<ProviderId, Arc<str>> = HashMap::new();
        let mut lines: HashMap<(usize, KeyVals), Named> = HashMap::new();
        entries
            .into_iter()
            .map(|(p, m, t, k, row, quantity)| {
                let provider = providers.entry(p).or_insert_with(|| name(p).into()).clone();
                let (term, source, key) = lines
                    .entry((t, k))
                    .or_insert_with(|| {
                        let term = &contract.terms[t];
                        let key: Vec<KeyPart> = match &term.kind {
                            TermKind::Pay(pt) => pt
                                .key
                                .iter()
                                .zip(&k)
                                .map(|(f, v)| KeyPart {
                                    field: *f,
                                    name: contract.field_name(*f),
                                    value: contract.value_name(*f, *v),
                                })
                                .collect(),
                            _ => Vec::new(),
                        };
                        (
                            term.name.as_str().into(),
                            Arc::new(term.source.clone()),
                            key.into(),
                        )
                    })
                    .clone();
                Contribution {
                    provider,
                    period: m,
                    term,
                    source,
                    key,
                    row,
                    quantity,
                }
            })
            .collect()
    }
}
