//! What one provider receives: its statements, its own not-paid rows and
//! parts, its own counts — nothing of another provider's (customer ids can
//! be personal data, and amounts are business secrets between providers).

use super::statement::{PayRun, Reconciliation};

impl PayRun {
    /// The run as provider `name` may see it. Rows whose provider could not
    /// be read (a lenient run's unreadable rows) belong to no provider and
    /// are left out; the months no version covers are the contract's, not
    /// a provider's, and stay.
    pub fn of_provider(&self, name: &str) -> PayRun {
        let mine = |p: &Option<String>| p.as_deref() == Some(name);
        let reconciliation =
            self.provider_reconciliations
                .get(name)
                .copied()
                .unwrap_or(Reconciliation {
                    visits_not_priced: self.reconciliation.visits_not_priced.map(|_| 0),
                    ..Reconciliation::default()
                });
        PayRun {
            contract: self.contract.clone(),
            versions: self.versions.clone(),
            statements: self
                .statements
                .iter()
                .filter(|s| s.provider == name)
                .cloned()
                .collect(),
            not_paid: self
                .not_paid
                .iter()
                .filter(|n| mine(&n.provider))
                .cloned()
                .collect(),
            not_paid_parts: self
                .not_paid_parts
                .iter()
                .filter(|p| mine(&p.provider))
                .cloned()
                .collect(),
            reconciliation,
            provider_reconciliations: self
                .provider_reconciliations
                .iter()
                .filter(|(p, _)| p.as_str() == name)
                .map(|(p, r)| (p.clone(), *r))
                .collect(),
            uncovered_months: self.uncovered_months.clone(),
            warnings: Vec::new(),
            contributions: self
                .contributions
                .iter()
                .filter(|c| &*c.provider == name)
                .cloned()
                .collect(),
            // Recorded only for the traced provider's own visits.
            details: self.details.clone(),
        }
    }

    /// Every provider the run has a statement or a row for, sorted.
    pub fn providers(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .statements
            .iter()
            .map(|s| s.provider.clone())
            .chain(self.not_paid.iter().filter_map(|n| n.provider.clone()))
            .chain(
                self.not_paid_parts
                    .iter()
                    .filter_map(|p| p.provider.clone()),
            )
            .chain(self.provider_reconciliations.keys().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
