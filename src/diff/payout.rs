//! What a new version costs: the same data paid under both versions, each
//! provider's payout per term under each and the difference in kronor and
//! per cent, totals per provider and overall. Amounts are the statements'
//! own rounded lines, summed; nothing is recomputed here.

use rust_decimal::Decimal;

use crate::eval::{PayRun, Reconciliation};

/// One term's payout under both versions (0 where a version has no line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermPayout {
    pub term: String,
    pub label: String,
    pub old: Decimal,
    pub new: Decimal,
}

impl TermPayout {
    pub fn delta(&self) -> Decimal {
        self.new - self.old
    }
    pub fn percent(&self) -> Option<Decimal> {
        percent(self.old, self.new)
    }
}

/// `(new - old) / |old| × 100` to two decimals; none when `old` is zero.
/// Against the size of `old`, so the sign says which way the amount moved
/// even for a cap's negative line (a deeper cut is a negative per cent).
pub fn percent(old: Decimal, new: Decimal) -> Option<Decimal> {
    (!old.is_zero()).then(|| ((new - old) * Decimal::ONE_HUNDRED / old.abs()).round_dp(2))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderPayout {
    pub provider: String,
    pub name: Option<String>,
    pub terms: Vec<TermPayout>,
    pub old: Decimal,
    pub new: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    /// The months paid (under either version), ascending, as `YYYY-MM`.
    pub periods: Vec<String>,
    /// Sorted by provider id.
    pub providers: Vec<ProviderPayout>,
    /// Every term over all providers, in the new file's order (terms only
    /// the old file has after them).
    pub terms: Vec<TermPayout>,
    pub old: Decimal,
    pub new: Decimal,
    pub old_reconciliation: Reconciliation,
    pub new_reconciliation: Reconciliation,
}

/// `order`: term names in the order to show them (the new file's, then the
/// old file's own).
pub fn compare(old: &PayRun, new: &PayRun, order: &[String]) -> Payout {
    let mut periods: Vec<String> = old
        .statements
        .iter()
        .chain(&new.statements)
        .map(|s| s.period.to_string())
        .collect();
    periods.sort();
    periods.dedup();
    let mut ids: Vec<&str> = old
        .statements
        .iter()
        .chain(&new.statements)
        .map(|s| s.provider.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    let sum = |run: &PayRun, provider: Option<&str>, term: &str| -> Decimal {
        run.statements
            .iter()
            .filter(|s| provider.is_none_or(|p| s.provider == p))
            .flat_map(|s| &s.lines)
            .filter(|l| l.term == term)
            .map(|l| l.amount)
            .sum()
    };
    let label = |term: &str| {
        [new, old]
            .iter()
            .flat_map(|r| &r.statements)
            .flat_map(|s| &s.lines)
            .find(|l| l.term == term)
            .map(|l| l.label.clone())
            .unwrap_or_default()
    };
    let row = |provider: Option<&str>, term: &String| TermPayout {
        term: term.clone(),
        label: label(term),
        old: sum(old, provider, term),
        new: sum(new, provider, term),
    };
    let shown = |t: &TermPayout| !(t.old.is_zero() && t.new.is_zero());
    let providers = ids
        .iter()
        .map(|&p| {
            let terms: Vec<TermPayout> = order
                .iter()
                .map(|t| row(Some(p), t))
                .filter(shown)
                .collect();
            let name = [new, old]
                .iter()
                .flat_map(|r| &r.statements)
                .find(|s| s.provider == p)
                .and_then(|s| s.provider_name.clone());
            ProviderPayout {
                provider: p.to_string(),
                name,
                old: terms.iter().map(|t| t.old).sum(),
                new: terms.iter().map(|t| t.new).sum(),
                terms,
            }
        })
        .collect::<Vec<_>>();
    let terms: Vec<TermPayout> = order.iter().map(|t| row(None, t)).filter(shown).collect();
    Payout {
        periods,
        old: providers.iter().map(|p| p.old).sum(),
        new: providers.iter().map(|p| p.new).sum(),
        providers,
        terms,
        old_reconciliation: old.reconciliation,
        new_reconciliation: new.reconciliation,
    }
}
