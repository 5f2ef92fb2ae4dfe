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
