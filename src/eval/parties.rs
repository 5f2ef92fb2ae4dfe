//! Providers as small integers: each provider id is interned once, with the
//! regime providers.csv gives it, so the loops compare and key by index.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::data::Provider;

use super::ctx::NO_VALUE;

pub struct Parties {
    ids: Vec<String>,
    index: FxHashMap<String, u32>,
    /// providers.csv's regime of each provider id.
    regimes: HashMap<String, u16>,
    regime_of: Vec<u16>,
}

impl Parties {
    pub fn new(providers: &[Provider]) -> Parties {
        Parties {
            ids: Vec::new(),
            index: FxHashMap::default(),
            regimes: providers.iter().map(|p| (p.id.clone(), p.regime)).collect(),
            regime_of: Vec::new(),
        }
    }

    /// The index of a provider id, interned on first sight.
    pub fn provider(&mut self, id: &str) -> u32 {
        if let Some(i) = self.index.get(id) {
            return *i;
        }
        let i = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), i);
        self.regime_of.push(self.regime(id));
        i
    }

    pub fn id(&self, p: u32) -> &str {
        &self.ids[p as usize]
    }

    /// The regime of an interned provider ([`NO_VALUE`] when providers.csv
    /// does not list it).
    pub fn regime_at(&self, p: u32) -> u16 {
        self.regime_of[p as usize]
    }

    pub fn regime(&self, id: &str) -> u16 {
        self.regimes.get(id).copied().unwrap_or(NO_VALUE)
    }

    /// Whether providers.csv lists the provider.
    pub fn listed(&self, id: &str) -> bool {
        self.regimes.contains_key(id)
    }
}
