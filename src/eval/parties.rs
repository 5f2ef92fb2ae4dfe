//! What providers.csv says about a provider id: whether it lists the
//! provider, and the provider's regime. providers.csv is read first, so
//! the providers it lists are the ids `0..k` and both answers are one
//! array lookup (names are in the run's [`crate::data::Ids`]).

use crate::data::{Code, Provider, ProviderId};

use super::ctx::NO_VALUE;

pub struct Parties {
    /// providers.csv's regime of each provider id it lists (none for an id
    /// whose row could not be read). A provider listed twice has the regime
    /// of its last row.
    regimes: Vec<Option<Code>>,
}

impl Parties {
    pub fn new(providers: &[Provider]) -> Parties {
        let k = providers
            .iter()
            .map(|p| p.id.index() + 1)
            .max()
            .unwrap_or(0);
        let mut regimes = vec![None; k];
        for p in providers {
            regimes[p.id.index()] = Some(p.regime);
        }
        Parties { regimes }
    }

    /// The provider's regime ([`NO_VALUE`] when providers.csv does not list
    /// it).
    pub fn regime(&self, p: ProviderId) -> Code {
        self.regimes
            .get(p.index())
            .copied()
            .flatten()
            .unwrap_or(NO_VALUE)
    }

    /// Whether providers.csv lists the provider.
    pub fn listed(&self, p: ProviderId) -> bool {
        self.regimes.get(p.index()).is_some_and(Option::is_some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Ids;

    #[test]
    fn listed_providers_and_their_last_regime() {
        let mut ids = Ids::default();
        let row = |ids: &mut Ids, id: &str, regime: Code| Provider {
            id: ids.provider(id),
            name: String::new(),
            regime,
            extra: Box::default(),
        };
        let providers = [
            row(&mut ids, "P2", 0),
            row(&mut ids, "P1", 1),
            row(&mut ids, "P2", 1),
        ];
        // A row that could not be read (lenient) has its id interned.
        let unreadable = ids.provider("P3");
        // An id read later (customers.csv, visits.csv).
        let later = ids.provider("P9");
        let parties = Parties::new(&providers);
        let p = |name: &str| ids.find_provider(name).unwrap();
        assert_eq!((parties.regime(p("P1")), parties.regime(p("P2"))), (1, 1));
        assert!(parties.listed(p("P1")) && parties.listed(p("P2")));
        for q in [unreadable, later] {
            assert_eq!((parties.regime(q), parties.listed(q)), (NO_VALUE, false));
        }
    }
}
