//! Finding duplicate ids without remembering every id: a Bloom filter over
//! the ids of a pass flags the few ids that may have been seen before; only
//! rows with those ids are held back and settled once all are known. Memory
//! is about ten bits per visit row plus the flagged rows.

use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};

/// A blocked Bloom filter of ids: all probes of an id fall in one 512-bit
/// block (one cache line), so a lookup costs one memory access, not seven.
pub struct IdFilter {
    blocks: Vec<[u64; 8]>,
}

const PROBES: u32 = 7;

impl IdFilter {
    /// Sized for about `rows` ids at a false-positive rate near 1 %.
    pub fn with_capacity(rows: u64) -> IdFilter {
        let bits = (rows.max(1024) * 10).next_power_of_two();
        IdFilter {
            blocks: vec![[0; 8]; (bits / 512) as usize],
        }
    }

    /// Records `id`; true when it may have been recorded before.
    pub fn check_and_insert(&mut self, id: &str) -> bool {
        let (h1, h2) = hashes(id);
        let n = self.blocks.len() as u64;
        let block = &mut self.blocks[(h1 % n) as usize];
        let mut seen = true;
        for i in 0..PROBES {
            // Nine bits of `h2` per probe pick a bit of the block.
            let bit = (h2 >> (9 * i)) & 511;
            let (word, b) = ((bit / 64) as usize, 1u64 << (bit % 64));
            seen &= block[word] & b != 0;
            block[word] |= b;
        }
        seen
    }
}

/// Two probe hashes from one pass over the id (FxHash, the same on every
/// run and machine, mixed by splitmix64 so the probes spread).
fn hashes(id: &str) -> (u64, u64) {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    };
    let a = mix(h.finish());
    (a, mix(a) | 1)
}

/// Rows whose id may repeat, held back until the pass has seen them all,
/// each with its place in the file (which plays no part in telling
/// identical rows).
pub struct HeldBack<T> {
    suspects: FxHashSet<String>,
    rows: FxHashMap<String, Vec<(T, u32)>>,
}

impl<T: PartialEq> HeldBack<T> {
    pub fn new(suspects: FxHashSet<String>) -> Self {
        HeldBack {
            suspects,
            rows: FxHashMap::default(),
        }
    }

    /// Holds the row back when its id is a suspect; otherwise gives it back.
    pub fn hold(&mut self, id: &str, row: T, place: u32) -> Option<T> {
        if self.suspects.contains(id) {
            self.rows
                .entry(id.to_string())
                .or_default()
                .push((row, place));
            None
        } else {
            Some(row)
        }
    }

    /// Whether rows with this id are held back.
    pub fn suspects(&self, id: &str) -> bool {
        self.suspects.contains(id)
    }

    /// The held rows by id (in id order), each with whether it is a
    /// duplicate: of identical rows the first is kept, of rows that differ
    /// none is.
    pub fn settle(self) -> Vec<(T, u32, bool)> {
        let mut groups: Vec<(String, Vec<(T, u32)>)> = self.rows.into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::new();
        for (_, rows) in groups {
            let identical = rows.iter().all(|r| r.0 == rows[0].0);
            let single = rows.len() == 1;
            for (i, (r, place)) in rows.into_iter().enumerate() {
                let duplicate = !single && (!identical || i > 0);
                out.push((r, place, duplicate));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_every_repeated_id_and_few_others() {
        let mut f = IdFilter::with_capacity(10_000);
        let mut false_alarms = 0;
        for i in 0..10_000 {
            if f.check_and_insert(&format!("V{i}")) {
                false_alarms += 1;
            }
        }
        assert!(false_alarms < 300, "{false_alarms} false alarms in 10 000");
        for i in (0..10_000).step_by(7) {
            assert!(f.check_and_insert(&format!("V{i}")), "V{i} was seen");
        }
    }

    #[test]
    fn identical_rows_pay_once_differing_rows_never() {
        let mut h = HeldBack::new(
            ["A".to_string(), "B".to_string(), "C".to_string()]
                .into_iter()
                .collect(),
        );
        assert_eq!(h.hold("Z", ("Z", 9), 0), Some(("Z", 9)));
        for (place, row) in [("A", 1), ("B", 2), ("A", 1), ("B", 3), ("C", 4)]
            .into_iter()
            .enumerate()
        {
            assert_eq!(h.hold(row.0, row, place as u32 + 1), None);
        }
        let settled = h.settle();
        assert_eq!(
            settled,
            vec![
                (("A", 1), 1, false),
                (("A", 1), 3, true),
                (("B", 2), 2, true),
                (("B", 3), 4, true),
                (("C", 4), 5, false),
            ]
        );
    }
}
