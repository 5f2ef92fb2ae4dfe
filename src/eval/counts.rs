//! The reconciliation's counts, for the run and for each provider, so a
//! provider's own statement file balances its own rows ("nothing is lost"
//! for what it was sent) without telling it anything of the others'.

use crate::data::ProviderId;

use super::statement::Reconciliation;

#[derive(Debug, Default)]
pub struct Counts {
    pub total: Reconciliation,
    /// By provider index (a visit's provider is an interned id): a vector,
    /// as the visit loop bumps it for every row.
    by_provider: Vec<Option<Reconciliation>>,
}

impl Counts {
    pub fn new(total: Reconciliation) -> Counts {
        Counts {
            total,
            by_provider: Vec::new(),
        }
    }

    /// Applies `f` to the run's counts and to `p`'s.
    pub fn bump(&mut self, p: ProviderId, f: impl Fn(&mut Reconciliation)) {
        f(&mut self.total);
        let i = p.index();
        if self.by_provider.len() <= i {
            self.by_provider.resize(i + 1, None);
        }
        let not_priced = self.total.visits_not_priced.map(|_| 0);
        f(self.by_provider[i].get_or_insert_with(|| Reconciliation {
            visits_not_priced: not_priced,
            ..Reconciliation::default()
        }));
    }

    /// Each provider's counts, by index, taking them out.
    pub fn take_providers(&mut self) -> impl Iterator<Item = (usize, Reconciliation)> {
        std::mem::take(&mut self.by_provider)
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
    }
}
