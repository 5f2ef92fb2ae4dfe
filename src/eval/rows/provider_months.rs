//! Provider-months: each provider listed in providers.csv, once in each
//! billing month the version answers for, through each `för
//! utförarmånader` term's gate (fixed fees per provider and month). A
//! provider-month a requirement refuses is one `provider-month` entry per
//! provider, month and reason, as a refused customer-day is one
//! `customer-month` entry.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::check::{Exact, Field, Measure};
use crate::data::{DataFile, Ids, Provider, ProviderId};
use crate::plan::Plan;

use super::super::ctx::{cell, key_vals};
use super::super::gate::{Verdict, gate, none};
use super::super::ledger::Ledger;
use super::super::month::Month;
use super::super::statement::{NotPaid, NotPaidKind, Reason};
use super::super::value::{RowCtx, Value, num};
use super::visits::pay_term;

/// One provider in one month: its providers.csv row and the month's date.
struct ProviderMonthCtx<'a> {
    provider: &'a Provider,
    /// `datum`: the month's first day inside the validity.
    date: NaiveDate,
    /// Terms that have paid this provider-month (for `i TERM`).
    paid: u128,
}

impl RowCtx for ProviderMonthCtx<'_> {
    fn field(&self, f: Field) -> Value {
        match f {
            Field::Date => Value::Date(Some(self.date)),
            Field::Declared(DataFile::Providers, slot) => cell(&self.provider.values, slot),
            _ => Value::Nothing,
        }
    }
    fn measure(&self, m: Measure) -> Exact {
        match m {
            Measure::Count => Exact::from_integer(1),
            _ => Exact::from_integer(0),
        }
    }
    fn paid_by(&self, term: usize) -> bool {
        term < 128 && self.paid & (1u128 << term) != 0
    }
}

/// Adds each provider-month's quantities to the ledger and lists the
/// refused ones in `not_paid`. `months`: the billing months whose
/// provider-months this version answers for (a month two versions share
/// is the earlier one's, so a fixed fee is paid once).
pub fn walk_provider_months(
    plan: &Plan,
    ids: &Ids,
    ledger: &mut Ledger,
    not_paid: &mut Vec<NotPaid>,
    providers: &[Provider],
    months: &[Month],
) {
    if plan.provider_month_terms.is_empty() {
        return;
    }
    let contract = plan.contract;
    // A provider listed twice is one provider, read from its last row (as
    // its regime is, `parties`).
    let mut listed: BTreeMap<ProviderId, &Provider> = BTreeMap::new();
    for p in providers {
        listed.insert(p.id, p);
    }
    let mut refused: BTreeMap<(ProviderId, Month, Reason), NotPaid> = BTreeMap::new();
    for &m in months {
        let date = m.first().max(contract.valid_from);
        for (&p, &provider) in &listed {
            let mut ctx = ProviderMonthCtx {
                provider,
                date,
                paid: 0,
            };
            for &t in &plan.provider_month_terms {
                let term = pay_term(&contract.terms[t]);
                match gate(term, &ctx, none, none, none) {
                    Verdict::NotSelected => continue,
                    Verdict::Refused(r) => {
                        let (reason, source) = r.owned();
                        let phrase = reason.clone();
                        let name = ids.provider_name(p);
                        refused.entry((p, m, phrase)).or_insert_with(|| NotPaid {
                            kind: NotPaidKind::ProviderMonth,
                            id: format!("{name}:{m}"),
                            reason,
                            source: Some(source),
                            provider: Some(name.to_string()),
                            period: Some(m),
                        });
                        continue;
                    }
                    Verdict::Admitted => {}
                }
                let q = num(&term.quantity, &ctx);
                let k = key_vals(&term.key, &ctx);
                ledger.add((p, m, t, k), q, || super::super::trace::Row::ProviderMonth);
                if t < 128 {
                    ctx.paid |= 1u128 << t;
                }
            }
        }
    }
    not_paid.extend(refused.into_values());
}
