//! `ersätter`: per provider × customer × month, either the customer leaves
//! the replaced term (and is paid by the replacing one), or the replacing
//! term pays nothing for the customer.

use std::collections::{BTreeSet, HashMap};

use crate::check::{Exact, TermKind};
use crate::data::{Ids, ProviderId};
use crate::plan::Plan;

use super::super::attached::{Attach, OwnFiles};
use super::super::ctx::{KeyVals, NO_VALUE, SumCtx};
use super::super::customers::Customers;
use super::super::ledger::Ledger;
use super::super::month::Month;
use super::super::overflow;
use super::super::parties::Parties;
use super::super::value::holds;

/// Per provider-month and replacing term: the customers it applied to
/// (named on its line), sorted.
pub type Replaced = HashMap<(ProviderId, Month, usize), Vec<String>>;

/// Decides every replacement and takes the losing term's quantities out of
/// the ledger.
pub fn replace(
    plan: &Plan,
    files: &OwnFiles,
    ledger: &mut Ledger,
    ids: &Ids,
    parties: &Parties,
    customers: &Customers,
) -> Replaced {
    let mut named: Replaced = HashMap::new();
    for (r, term) in plan.contract.terms.iter().enumerate() {
        let TermKind::Pay(pt) = &term.kind else {
            continue;
        };
        let Some(rep) = &pt.replaces else { continue };
        // Every provider × customer × month either term touched.
        let mut who: BTreeSet<(ProviderId, u32, Month)> = BTreeSet::new();
        let mut own: HashMap<(ProviderId, u32, Month), Vec<(KeyVals, Exact)>> = HashMap::new();
        let mut theirs: HashMap<(ProviderId, u32, Month), Vec<(KeyVals, Exact)>> = HashMap::new();
        for (&(p, c, m, t, k), &q) in ledger.customer_lines() {
            if t == r {
                who.insert((p, c, m));
                own.entry((p, c, m)).or_default().push((k, q));
            } else if t == rep.term {
                who.insert((p, c, m));
                theirs.entry((p, c, m)).or_default().push((k, q));
            }
        }
        for (p, c, m) in who {
            let mine = own.remove(&(p, c, m)).unwrap_or_default();
            let quantity = overflow::sum(mine.iter().map(|(_, q)| *q));
            let day_sums = |id: usize| ledger.customer_day_sum((p, c, m, id, [NO_VALUE; 4]));
            let sums = HashMap::new();
            let ctx = SumCtx {
                term_sums: &sums,
                day_sums: &day_sums,
                own: quantity,
                provider: parties.values(p),
                attach: Attach::provider_month(files, p, m.first()),
            };
            let (drop_term, drop) = if holds(&rep.cond, &ctx) {
                named
                    .entry((p, m, r))
                    .or_default()
                    .push(ids.customer_name(customers.customer_id(c)).to_string());
                (rep.term, theirs.remove(&(p, c, m)).unwrap_or_default())
            } else {
                (r, mine)
            };
            for (k, q) in drop {
                ledger.withdraw((p, m, drop_term, k), q, || {
                    super::super::trace::Row::Replaced {
                        customer: ids.customer_name(customers.customer_id(c)).to_string(),
                    }
                });
            }
        }
    }
    for v in named.values_mut() {
        v.sort();
    }
    named
}
