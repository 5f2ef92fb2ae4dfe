//! What an explanation needs of a run (`taxa explain`): for one provider
//! and month, each row's exact contribution to each line — a visit's
//! quantity, a run of a customer's days, an event, a provider-month, a
//! customer taken out of a line by `ersätter`. Recorded where the ledger
//! adds, so the contributions of a line sum exactly to its quantity; only
//! for the provider-month asked about, so tracing costs nothing elsewhere.

use crate::check::{Contract, Exact, TermKind};
use crate::data::ProviderId;

use super::month::Month;
pub use super::statement::{Contribution, KeyPart, Row};

/// A line's key values (as `ctx::KeyVals`).
type KeyVals = [u16; 4];

/// The provider and month to trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceScope {
    pub provider: String,
    pub period: Month,
}

/// The recorder the ledger carries; inert unless given a scope.
#[derive(Debug, Default)]
pub struct Trace {
    scope: Option<(ProviderId, Month)>,
    entries: Vec<(ProviderId, Month, usize, KeyVals, Row, Exact)>,
}

impl Trace {
    pub fn new(scope: Option<(ProviderId, Month)>) -> Trace {
        Trace {
            scope,
            entries: Vec::new(),
        }
    }

    pub fn covers(&self, p: ProviderId, m: Month) -> bool {
        self.scope == Some((p, m))
    }

    pub fn note(
        &mut self,
        (p, m, t, k): (ProviderId, Month, usize, KeyVals),
        q: Exact,
        row: impl FnOnce() -> Row,
    ) {
        if self.scope == Some((p, m)) {
            self.entries.push((p, m, t, k, row(), q));
        }
    }

    /// The contributions with their terms and keys named, in term order,
    /// then by key and row.
    pub fn finish(self, contract: &Contract, ids: &crate::data::Ids) -> Vec<Contribution> {
        let mut entries = self.entries;
        entries.sort_by(|a, b| (a.0, a.1, a.2, a.3, &a.4).cmp(&(b.0, b.1, b.2, b.3, &b.4)));
        // Runs of days that follow each other on one line (the walk cuts
        // them where a rule might read the date differently) read as one.
        let mut joined: Vec<(ProviderId, Month, usize, KeyVals, Row, Exact)> = Vec::new();
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
        joined
            .into_iter()
            .map(|(p, m, t, k, row, quantity)| {
                let term = &contract.terms[t];
                let key = match &term.kind {
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
                Contribution {
                    provider: ids.provider_name(p).to_string(),
                    period: m,
                    term: term.name.clone(),
                    key,
                    row,
                    quantity,
                }
            })
            .collect()
    }
}
