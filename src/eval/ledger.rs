//! The ledger of exact sums a version accumulates while the rows stream
//! past: line quantities per provider × month × term × key, the same per
//! customer where a cap or a replacement needs them, and customer-day sums.
//! Grows with providers, customers and keys, never with visits. Fields are
//! private: every change is a named operation.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::check::Exact;
use crate::data::ProviderId;

use super::ctx::KeyVals;
use super::month::Month;
use super::overflow;
use super::trace::{Row, Trace};

/// Provider, month, term, key: one line.
pub type LineId = (ProviderId, Month, usize, KeyVals);
/// Provider, customer (index, see `customers`), month, term, key.
pub type CustomerLineId = (ProviderId, u32, Month, usize, KeyVals);
/// Provider, month, day-sum id.
pub type DaySumId = (ProviderId, Month, usize);
/// Provider, customer (index), month, day-sum id, key.
pub type CustomerDaySumId = (ProviderId, u32, Month, usize, KeyVals);

#[derive(Default)]
pub struct Ledger {
    /// Line quantities while rows stream past; moved into `quantities` by
    /// [`Ledger::close`].
    streaming: FxHashMap<LineId, Sum>,
    quantities: HashMap<LineId, Exact>,
    customer_quantities: HashMap<CustomerLineId, Exact>,
    day_sums: HashMap<DaySumId, Exact>,
    customer_day_sums: HashMap<CustomerDaySumId, Exact>,
    /// The rows behind the lines of one provider-month, when explaining.
    trace: Trace,
}

fn zero() -> Exact {
    Exact::from_integer(0)
}

fn add_to<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Exact>, k: K, q: Exact) {
    let e = map.entry(k).or_insert(zero());
    *e = overflow::add(*e, q);
}

impl Ledger {
    /// Adds a row's quantity to its line; `row` names the row when the
    /// line's provider-month is being traced.
    pub fn add(&mut self, id: LineId, q: Exact, row: impl FnOnce() -> Row) {
        self.trace.note(id, q, row);
        self.streaming.entry(id).or_default().add(q);
    }

    /// Traces the rows behind the lines of the provider-months in `scope`
    /// from here on.
    pub fn trace(&mut self, scope: Option<super::trace::Scope>) {
        self.trace = Trace::new(scope);
    }

    /// Whether `p`'s statement for `m` is traced.
    pub fn traces(&self, p: ProviderId, m: Month) -> bool {
        self.trace.covers(p, m)
    }

    /// What was traced.
    pub fn take_trace(&mut self) -> Trace {
        std::mem::take(&mut self.trace)
    }

    /// Adds a row's quantity to its customer's share of a line.
    pub fn add_customer(&mut self, id: CustomerLineId, q: Exact) {
        add_to(&mut self.customer_quantities, id, q);
    }

    pub fn add_day_sum(&mut self, id: DaySumId, v: Exact) {
        add_to(&mut self.day_sums, id, v);
    }

    pub fn add_customer_day_sum(&mut self, id: CustomerDaySumId, v: Exact) {
        add_to(&mut self.customer_day_sums, id, v);
    }

    /// Ends the streaming: the line quantities become exact values.
    pub fn close(&mut self) {
        for (id, s) in self.streaming.drain() {
            add_to(&mut self.quantities, id, s.value());
        }
    }

    /// Every line quantity (after [`Ledger::close`]), in no order.
    pub fn lines(&self) -> impl Iterator<Item = (&LineId, &Exact)> {
        self.quantities.iter()
    }

    /// Every customer's share of a line, in no order.
    pub fn customer_lines(&self) -> impl Iterator<Item = (&CustomerLineId, &Exact)> {
        self.customer_quantities.iter()
    }

    /// The provider-months that have a customer-day sum.
    pub fn day_sum_months(&self) -> impl Iterator<Item = (ProviderId, Month)> + '_ {
        self.day_sums.keys().map(|&(p, m, _)| (p, m))
    }

    pub fn day_sum(&self, id: DaySumId) -> Exact {
        self.day_sums.get(&id).copied().unwrap_or(zero())
    }

    pub fn customer_day_sum(&self, id: CustomerDaySumId) -> Exact {
        self.customer_day_sums.get(&id).copied().unwrap_or(zero())
    }

    /// Replaces a customer's quantities: takes the customer's share `q` out
    /// of the line total (an `ersätter` moved the customer to another term).
    pub fn withdraw(&mut self, line: LineId, q: Exact, row: impl FnOnce() -> Row) {
        self.trace.note(line, -q, row);
        if let Some(total) = self.quantities.get_mut(&line) {
            *total = overflow::sub(*total, q);
        }
    }
}

/// An exact sum that adds quantities of one denominator (seconds / 3600,
/// days / D) as integers, and falls back to rational arithmetic otherwise:
/// the hot loop adds millions of visits without a gcd each.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    num: i128,
    den: i128,
}

impl Sum {
    fn add(&mut self, q: Exact) {
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

    fn value(self) -> Exact {
        if self.den == 0 {
            zero()
        } else {
            Exact::new(self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_quantities_of_mixed_denominators_are_exact() {
        let mut l = Ledger::default();
        let m = Month::new(2025, 3).unwrap();
        let id = (ProviderId(0), m, 1, [0; 4]);
        let row = || Row::ProviderMonth;
        l.add(id, Exact::new_raw(1800, 3600), row);
        l.add(id, Exact::new_raw(1800, 3600), row);
        l.add(id, Exact::new(1, 31), row);
        l.close();
        let total: Vec<Exact> = l.lines().map(|(_, q)| *q).collect();
        assert_eq!(total, vec![Exact::new(32, 31)]);
        l.withdraw(id, Exact::from_integer(1), row);
        assert_eq!(l.lines().next().unwrap().1, &Exact::new(1, 31));
    }
}
