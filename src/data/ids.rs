//! Provider and customer ids as small integers, interned as the cells are
//! read.
//!
//! The passes over visits.csv run once per visit for millions of visits,
//! and each visit is checked against its customer's rows and its provider
//! (domain.md, "Order of not-paid reasons"), keyed into the ledger by
//! provider and customer, and placed in the scope of its limits. With ids
//! as integers that is array indexing and integer comparison; a visit costs
//! one hash per id cell when its row is read, and no allocation for either
//! id. Names are looked up only where they are written out (not-paid
//! entries, statements, the customers a line names) or where an order by
//! name is part of the output.
//!
//! The files are read in a fixed order into one [`Ids`]: providers.csv
//! first, so the providers it lists are ids `0..k`, then customers.csv,
//! events.csv and visits.csv. An id's number says nothing else: every
//! order that reaches the output compares names, not numbers.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

/// A provider id (visits.csv, customers.csv, events.csv, providers.csv
/// `provider`), interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProviderId(pub u32);

/// A customer id (visits.csv, customers.csv, events.csv `customer`),
/// interned; customers.csv need not know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub u32);

impl ProviderId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl CustomerId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The ids of one data set, providers and customers apart (the same text
/// may name both).
#[derive(Debug, Default)]
pub struct Ids {
    providers: Interner,
    customers: Interner,
}

impl Ids {
    pub fn provider(&mut self, name: &str) -> ProviderId {
        ProviderId(self.providers.intern(name))
    }

    pub fn customer(&mut self, name: &str) -> CustomerId {
        CustomerId(self.customers.intern(name))
    }

    /// The id of a provider name already read, if any.
    pub fn find_provider(&self, name: &str) -> Option<ProviderId> {
        self.providers.get(name).map(ProviderId)
    }

    /// The id of a customer name already read, if any.
    pub fn find_customer(&self, name: &str) -> Option<CustomerId> {
        self.customers.get(name).map(CustomerId)
    }

    pub fn provider_name(&self, p: ProviderId) -> &str {
        self.providers.name(p.0)
    }

    pub fn customer_name(&self, c: CustomerId) -> &str {
        self.customers.name(c.0)
    }
}

const EMPTY: u32 = u32::MAX;

/// Strings to the integers `0..len`, in order of first sight. Each name is
/// stored once, in one buffer; the table is open addressing over the ids
/// (FxHash, linear probing, at most half full), with each id's hash kept so
/// that growing never hashes a name again.
#[derive(Debug, Default)]
pub struct Interner {
    text: String,
    /// Where each name ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
    hashes: Vec<u64>,
    /// An id or [`EMPTY`]; the length is zero or a power of two.
    slots: Vec<u32>,
    /// 64 minus log2 of the table's length: a hash's top bits pick its slot
    /// (FxHash mixes the top bits best).
    shift: u32,
}

impl Interner {
    /// The id of `name`, given on first sight.
    pub fn intern(&mut self, name: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(name);
        let slot = match self.find(hash, name) {
            Ok(id) => return id,
            Err(slot) => slot,
        };
        let id = u32::try_from(self.ends.len())
            .ok()
            .filter(|&id| id != EMPTY)
            .expect("fewer than 2^32 - 1 distinct ids");
        self.text.push_str(name);
        self.ends.push(self.text.len());
        self.hashes.push(hash);
        match slot {
            Some(slot) if 2 * self.ends.len() <= self.slots.len() => self.slots[slot] = id,
            _ => self.grow(),
        }
        id
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.find(FxBuildHasher.hash_one(name), name).ok()
    }

    pub fn name(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn first_slot(&self, hash: u64) -> usize {
        // `shift` is below 64 once the table has slots.
        (hash >> self.shift) as usize
    }

    /// The id of `name`, or the empty slot it would take (none when the
    /// table has no slots yet).
    fn find(&self, hash: u64, name: &str) -> Result<u32, Option<usize>> {
        if self.slots.is_empty() {
            return Err(None);
        }
        let mask = self.slots.len() - 1;
        let mut i = self.first_slot(hash);
        loop {
            let id = self.slots[i];
            if id == EMPTY {
                return Err(Some(i));
            }
            if self.hashes[id as usize] == hash && self.name(id) == name {
                return Ok(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Doubles the table (16 slots at first) and places every id again.
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(16);
        self.slots = vec![EMPTY; len];
        self.shift = 64 - len.trailing_zeros();
        let mask = len - 1;
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut i = (hash >> self.shift) as usize;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = id as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_in_order_of_first_sight() {
        let mut ids = Interner::default();
        let names: Vec<String> = (0..1000).map(|i| format!("K{}", i % 300)).collect();
        let got: Vec<u32> = names.iter().map(|n| ids.intern(n)).collect();
        assert_eq!(ids.len(), 300);
        for (n, id) in names.iter().zip(&got) {
            assert_eq!(*id, (n[1..].parse::<u32>().unwrap()));
            assert_eq!(ids.name(*id), n);
            assert_eq!(ids.get(n), Some(*id));
        }
        assert_eq!(ids.get("K300"), None);
        assert_eq!(ids.get(""), None);
    }

    #[test]
    fn empty_and_unicode_names_are_names() {
        let mut ids = Interner::default();
        assert_eq!(ids.intern(""), 0);
        assert_eq!(ids.intern("Ö"), 1);
        assert_eq!(ids.intern(""), 0);
        assert_eq!((ids.name(0), ids.name(1)), ("", "Ö"));
    }

    #[test]
    fn providers_and_customers_apart() {
        let mut ids = Ids::default();
        let p = ids.provider("X");
        ids.provider("Y");
        let c = ids.customer("Y");
        assert_eq!((p, c), (ProviderId(0), CustomerId(0)));
        assert_eq!(ids.find_provider("Y"), Some(ProviderId(1)));
        assert_eq!(ids.find_customer("X"), None);
        assert_eq!(ids.customer_name(c), "Y");
    }
}
