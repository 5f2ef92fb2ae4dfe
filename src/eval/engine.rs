//! The engine's own checks on a visit, before any term is asked, in the
//! order the contract declares them (`kontroller för besök:`; the prelude's
//! default is domain.md's settled order): duplicate, end not after start,
//! longer than 24 hours, outside validity, unknown customer, overlapping
//! customer rows, provider differs. Two checks stay the engine's own,
//! whatever the declaration says: a visit in the first or last days of
//! years 1–9999 (where local time cannot be placed) is refused right after
//! the validity check, never paid nothing; and, when the contract prices
//! by regime, a visit of a provider providers.csv does not list is refused
//! after every declared check (its price has no cell).
//! Ids are interned integers here: no string is compared or hashed.

use chrono::NaiveDate;

use crate::check::{DeclaredCheck, EngineCheck};
use crate::data::{CustomerRow, Visit};

use super::clock;
use super::customers::{Customers, OnDate};
use super::parties::Parties;
use super::statement::{Reason, SourceRef};

/// What the engine checks a visit against: the version's validity, its
/// declared checks and whether it prices by regime.
pub struct Engine<'c> {
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The contract prices by the provider's regime.
    pub uses_regime: bool,
    /// In the order they apply; the checker made sure the ones the engine
    /// needs are there.
    pub checks: &'c [DeclaredCheck],
}

/// Why the engine refuses a visit, and the declaration that says so (none
/// for the prelude's default and the engine's own two).
pub type Refused = (Reason, Option<SourceRef>);

impl Engine<'_> {
    /// The customer row of the visit's start date and the customer's index,
    /// or the first reason the visit cannot be paid.
    pub fn check<'r>(
        &self,
        v: &Visit,
        duplicate: bool,
        customers: &'r Customers,
        parties: &Parties,
    ) -> Result<(&'r CustomerRow, u32), Refused> {
        let d = v.date();
        // The customer's row on the date, looked up once, when a check first
        // needs it.
        let mut found: Option<(Option<u32>, OnDate<'r>)> = None;
        let mut lookup = || {
            *found.get_or_insert_with(|| match customers.index_of(v.customer) {
                None => (None, OnDate::Unknown),
                Some(c) => (Some(c), customers.on_index(c, d)),
            })
        };
        for c in self.checks {
            let fails = match c.check {
                EngineCheck::Duplicate => duplicate,
                EngineCheck::EndNotAfterStart => v.end <= v.start,
                EngineCheck::LongerThan { hours } => v.duration() > i64::from(hours) * 3600,
                EngineCheck::OutsideValidity => {
                    if d < self.valid_from || self.valid_to < d {
                        true
                    } else if !clock::placeable(v.start, v.end) {
                        return Err((Reason::OutsideTimeRange, None));
                    } else {
                        false
                    }
                }
                EngineCheck::UnknownCustomer => matches!(lookup().1, OnDate::Unknown),
                EngineCheck::CustomerRowsOverlap => matches!(lookup().1, OnDate::Overlap),
                // Without a row (a check after this one refuses the visit)
                // there is no provider to differ from.
                EngineCheck::ProviderDiffers => {
                    matches!(lookup().1, OnDate::One(r) if r.provider != v.provider)
                }
            };
            if fails {
                return Err((Reason::declared(c), c.source.clone()));
            }
        }
        let (Some(c), OnDate::One(row)) = lookup() else {
            // The checker keeps `okänd kund` and `kundrader överlappar` in
            // every declaration, so this is only reached without them.
            return Err((Reason::check(EngineCheck::UnknownCustomer), None));
        };
        if self.uses_regime && !parties.listed(v.provider) {
            return Err((Reason::UnknownProvider, None));
        }
        Ok((row, c))
    }
}
