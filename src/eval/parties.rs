//! What providers.csv says about a provider id: whether it lists the
//! provider, and the provider's cells (its declared fields, `regime`
//! among them). providers.csv is read first, so the providers it lists are
//! the ids `0..k` and both answers are one array lookup (names are in the
//! run's [`crate::data::Ids`]).

use crate::data::{Cell, Provider, ProviderId, Values};

pub struct Parties {
    /// providers.csv's cells of each provider id it lists (none for an id
    /// whose row could not be read). A provider listed twice has the cells
    /// of its last row.
    cells: Vec<Option<Values>>,
}

impl Parties {
    pub fn new(providers: &[Provider]) -> Parties {
        let k = providers
            .iter()
            .map(|p| p.id.index() + 1)
            .max()
            .unwrap_or(0);
        let mut cells = vec![None; k];
        for p in providers {
            cells[p.id.index()] = Some(p.values.clone());
        }
        Parties { cells }
    }

    /// The provider's cells; none when providers.csv does not list it, so
    /// every field of an unlisted provider is empty (a comparison with it
    /// is false, a rate keyed by it finds no cell).
    pub fn values(&self, p: ProviderId) -> &[Cell] {
        self.cells
            .get(p.index())
            .and_then(Option::as_deref)
            .unwrap_or(&[])
    }

    /// Whether providers.csv lists the provider.
    pub fn listed(&self, p: ProviderId) -> bool {
        self.cells.get(p.index()).is_some_and(Option::is_some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Ids;

    #[test]
    fn listed_providers_and_their_last_regime() {
        let mut ids = Ids::default();
        let row = |ids: &mut Ids, id: &str, regime: u16| Provider {
            id: ids.provider(id),
            name: String::new(),
            values: [Cell::Code(regime)].into_iter().collect(),
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
        let regime = |q| parties.values(q).first().copied();
        assert_eq!(
            (regime(p("P1")), regime(p("P2"))),
            (Some(Cell::Code(1)), Some(Cell::Code(1)))
        );
        assert!(parties.listed(p("P1")) && parties.listed(p("P2")));
        for q in [unreadable, later] {
            assert_eq!((regime(q), parties.listed(q)), (None, false));
        }
    }
}
