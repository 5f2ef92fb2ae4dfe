//! Two versions of a rule file compared: their terms side by side
//! ([`terms`]: rates, terms clause by clause, declarations, validity) and,
//! on a data set, what the new version pays each provider against the old
//! ([`payout`]). The views are in `report::diff`.

pub mod payout;
pub mod read;
pub mod terms;

pub use payout::{Payout, ProviderPayout, TermPayout};
pub use read::{Cited, Rules};
pub use terms::{Change, RateChange, Subject, What};

use crate::check::Contract;

/// Everything `taxa diff` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub old_file: String,
    pub new_file: String,
    pub old_name: String,
    pub new_name: String,
    /// Empty: the versions say the same.
    pub changes: Vec<Change>,
    pub payout: Option<Payout>,
}

impl Diff {
    pub fn equivalent(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The terms of two read rule files compared.
pub fn compare(old: &Rules, new: &Rules, old_file: &str, new_file: &str) -> Diff {
    Diff {
        old_file: old_file.to_string(),
        new_file: new_file.to_string(),
        old_name: unquote(&old.name.text),
        new_name: unquote(&new.name.text),
        changes: terms::compare(old, new),
        payout: None,
    }
}

fn unquote(s: &str) -> String {
    s.trim_matches('"').to_string()
}

/// The term names of both versions in the order a payout shows them: the
/// new file's, then those only the old file has.
pub fn term_order(old: &Rules, new: &Rules) -> Vec<String> {
    let mut order: Vec<String> = new.terms.iter().map(|t| t.name.clone()).collect();
    for t in &old.terms {
        if !order.contains(&t.name) {
            order.push(t.name.clone());
        }
    }
    order
}

/// Both versions made valid over the same dates — from the earlier start
/// to the later end of the two — so one month of data is paid by both
/// (next year's file against this year's month).
pub fn over_common_dates(old: &Contract, new: &Contract) -> (Contract, Contract) {
    let from = old.valid_from.min(new.valid_from);
    let to = old.valid_to.max(new.valid_to);
    let widen = |c: &Contract| {
        let mut c = c.clone();
        c.valid_from = from;
        c.valid_to = to;
        c
    };
    (widen(old), widen(new))
}
