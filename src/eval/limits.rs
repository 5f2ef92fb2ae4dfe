//! Count limits (`gräns N per … ordnat efter …`) for visits, activities and
//! events alike: one scope key, one ordering rule, one decision — per limit
//! and scope the first `N` occurrences in order are paid, the rest are over
//! the limit. An occurrence costs a fixed 64 bytes, never its strings.

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;

use crate::check::{Field, Limit, Scope};
use crate::data::{CustomerId, ProviderId};

use super::month::Month;

/// The values that place an occurrence in a limit's count, one slot per
/// kind of scope (unused slots 0), so equal keys are the same scope
/// whatever order the `per` clause names them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeKey([i32; 6]);

/// Where an occurrence happened: what a scope can count per.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub provider: ProviderId,
    /// `None`: an event that names no customer (all such events of a
    /// provider share one scope per customer).
    pub customer: Option<CustomerId>,
    pub month: Month,
    pub date: NaiveDate,
    pub activity: u16,
}

impl ScopeKey {
    pub fn of(limit: &Limit, at: &Place) -> ScopeKey {
        let mut k = [0i32; 6];
        for s in &limit.per {
            let (slot, v) = match s {
                Scope::Provider => (0, at.provider.0 as i32),
                Scope::Month => (1, at.month.index()),
                // No customer is -1, which no id below 2^31 is.
                Scope::Customer => (2, at.customer.map_or(-1, |c| c.0 as i32)),
                Scope::IsoWeek => {
                    let w = at.date.iso_week();
                    (3, w.year() * 100 + w.week() as i32)
                }
                Scope::Day => (4, at.date.num_days_from_ce()),
                Scope::Activity => (5, at.activity as i32),
            };
            k[slot] = v;
        }
        ScopeKey(k)
    }
}

/// The time a row is ordered by before its id: the visit's start when the
/// limit orders by `start` first; the event's date when it orders by `date`
/// first or names no order (events come by date, then id); otherwise none,
/// and the id decides.
pub fn order_time(limit: &Limit, start_or_date: i64, events: bool) -> i64 {
    match limit.order.first() {
        Some(Field::Start) | Some(Field::Date) => start_or_date,
        None if events => start_or_date,
        _ => 0,
    }
}

/// A row's id as a number that sorts as the id does: its first 16 bytes,
/// big-endian, zero-padded. Ids that share 16 bytes compare equal here and
/// are told apart by [`decide`]'s caller (see [`Undecided`]).
pub fn id_key(id: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = id.len().min(16);
    b[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(b)
}

/// One row (or activity of a visit) reaching one limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// The limit, as an index into the contract's limits in term and
    /// clause order; limits apply in this order.
    pub limit: u16,
    pub scope: ScopeKey,
    pub time: i64,
    pub id: u128,
    pub activity: u16,
    /// The row's place in its pass, which identifies it.
    pub row: u32,
    /// The term the limit belongs to.
    pub term: u16,
}

/// The occurrences over a limit: (row, term, activity) → the limit broken.
pub type Losers = FxHashMap<(u32, u16, u16), u16>;

/// Two different rows whose ids agree in their first 16 bytes tie in an
/// order that decides who is paid: the caller must give exact id keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undecided;

/// Decides which occurrences are over their limits: per limit and scope the
/// first `count(limit)` in order (time, id, activity) win. Limits apply one
/// after the other: an occurrence over an earlier limit of its term takes
/// no slot in a later one.
pub fn decide(
    mut occurrences: Vec<Occurrence>,
    count: impl Fn(u16) -> u64,
) -> Result<Losers, Undecided> {
    occurrences.sort_unstable();
    let mut losers = Losers::default();
    let mut i = 0;
    while i < occurrences.len() {
        let first = occurrences[i];
        let j = occurrences[i..]
            .iter()
            .position(|o| o.limit != first.limit || o.scope != first.scope)
            .map_or(occurrences.len(), |n| i + n);
        let group = &occurrences[i..j];
        let allowed = count(first.limit);
        if group.len() as u64 > allowed {
            for pair in group.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if a.time == b.time && a.id == b.id && a.row != b.row {
                    return Err(Undecided);
                }
            }
        }
        let mut taken = 0;
        for o in group {
            if losers.contains_key(&(o.row, o.term, o.activity)) {
                continue;
            }
            if taken < allowed {
                taken += 1;
            } else {
                losers.insert((o.row, o.term, o.activity), o.limit);
            }
        }
        i = j;
    }
    Ok(losers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::SourceRef;

    fn limit(count: u64, per: Vec<Scope>, order: Vec<Field>) -> Limit {
        Limit {
            count,
            per,
            only: None,
            order,
            reason: "over".into(),
            source: SourceRef {
                file: "f".into(),
                line: 1,
                col: 1,
            },
        }
    }

    fn occ(limit: u16, scope: ScopeKey, time: i64, id: &str, row: u32) -> Occurrence {
        Occurrence {
            limit,
            scope,
            time,
            id: id_key(id),
            activity: 0,
            row,
            term: 0,
        }
    }

    #[test]
    fn an_occurrence_costs_64_bytes_and_holds_no_strings() {
        // A visit under a limit is kept until the limits are decided: its
        // cost is this, whatever its ids (no String, no Vec inside).
        assert_eq!(std::mem::size_of::<Occurrence>(), 64);
    }

    #[test]
    fn ids_sort_as_their_keys() {
        let mut ids = ["V10", "V2", "V1", "", "V1\u{0}", "Ö", "abc"];
        let mut keys: Vec<u128> = ids.iter().map(|i| id_key(i)).collect();
        ids.sort();
        keys.sort();
        assert_eq!(keys, ids.iter().map(|i| id_key(i)).collect::<Vec<_>>());
    }

    #[test]
    fn scope_keys_ignore_the_order_of_the_per_clause() {
        let at = Place {
            provider: ProviderId(3),
            customer: Some(CustomerId(7)),
            month: Month::new(2025, 3).unwrap(),
            date: "2025-03-30".parse().unwrap(),
            activity: 2,
        };
        let a = limit(1, vec![Scope::Customer, Scope::IsoWeek], vec![]);
        let b = limit(1, vec![Scope::IsoWeek, Scope::Customer], vec![]);
        assert_eq!(ScopeKey::of(&a, &at), ScopeKey::of(&b, &at));
        let next_week = Place {
            date: "2025-03-31".parse().unwrap(),
            ..at
        };
        assert_ne!(ScopeKey::of(&a, &at), ScopeKey::of(&a, &next_week));
    }

    #[test]
    fn first_count_in_order_win_per_scope() {
        let s1 = ScopeKey([1, 0, 0, 0, 0, 0]);
        let s2 = ScopeKey([2, 0, 0, 0, 0, 0]);
        let losers = decide(
            vec![
                occ(0, s1, 30, "V3", 0),
                occ(0, s1, 10, "V9", 1),
                occ(0, s1, 10, "V1", 2),
                occ(0, s2, 50, "V5", 3),
            ],
            |_| 2,
        )
        .unwrap();
        assert_eq!(losers.len(), 1);
        assert_eq!(losers.get(&(0, 0, 0)), Some(&0), "V3 starts last");
    }

    #[test]
    fn an_occurrence_over_an_earlier_limit_takes_no_later_slot() {
        let s = ScopeKey([1, 0, 0, 0, 0, 0]);
        let losers = decide(
            vec![
                occ(0, s, 1, "A", 0),
                occ(0, s, 2, "B", 1),
                occ(1, s, 1, "A", 0),
                occ(1, s, 2, "B", 1),
                occ(1, s, 3, "C", 2),
            ],
            |l| if l == 0 { 1 } else { 2 },
        )
        .unwrap();
        assert_eq!(losers.get(&(1, 0, 0)), Some(&0), "B over the first limit");
        assert_eq!(
            losers.get(&(2, 0, 0)),
            None,
            "C takes B's slot in the second"
        );
    }

    #[test]
    fn ids_alike_in_sixteen_bytes_at_the_boundary_are_undecided() {
        let s = ScopeKey([1, 0, 0, 0, 0, 0]);
        let long = |tail: &str| format!("VISIT-2025-03-30-{tail}");
        let tie = vec![occ(0, s, 5, &long("b"), 0), occ(0, s, 5, &long("a"), 1)];
        assert_eq!(decide(tie.clone(), |_| 1), Err(Undecided));
        assert!(decide(tie, |_| 2).is_ok(), "both are paid: no tie to break");
        let order = limit(1, vec![], vec![Field::Start, Field::VisitId]);
        assert_eq!(order_time(&order, 42, false), 42);
        let by_id = limit(1, vec![], vec![Field::VisitId]);
        assert_eq!(order_time(&by_id, 42, false), 0);
        assert_eq!(order_time(&limit(1, vec![], vec![]), 42, true), 42);
    }
}
