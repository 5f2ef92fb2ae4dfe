//! The engine's own checks on a visit, before any term is asked, in the
//! settled order (domain.md, "Order of not-paid reasons"): duplicate, end
//! not after start, longer than 24 hours, outside validity, unknown
//! customer, overlapping customer rows, provider differs — and, when the
//! contract prices by regime, a provider providers.csv does not list. A
//! visit in the last days of year 9999 (where local time cannot be placed)
//! is refused after the validity check, never paid nothing.
//! Ids are interned integers here: no string is compared or hashed.

use chrono::NaiveDate;

use crate::data::{CustomerRow, Visit};

use super::clock;
use super::customers::{Customers, OnDate};
use super::parties::Parties;
use super::statement::Reason;

const DAY_SECONDS: i64 = 24 * 3600;

/// What the engine checks a visit against: the version's validity and
/// whether it prices by regime.
pub struct Engine {
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The contract prices by the provider's regime.
    pub uses_regime: bool,
}

impl Engine {
    /// The customer row of the visit's start date and the customer's index,
    /// or the first reason the visit cannot be paid.
    pub fn check<'c>(
        &self,
        v: &Visit,
        duplicate: bool,
        customers: &'c Customers,
        parties: &Parties,
    ) -> Result<(&'c CustomerRow, u32), Reason> {
        if duplicate {
            return Err(Reason::Duplicate);
        }
        if v.end <= v.start {
            return Err(Reason::EndNotAfterStart);
        }
        if v.duration() > DAY_SECONDS {
            return Err(Reason::Over24Hours);
        }
        let d = v.date();
        if d < self.valid_from || self.valid_to < d {
            return Err(Reason::OutsideValidity);
        }
        if !clock::placeable(v.start, v.end) {
            return Err(Reason::OutsideTimeRange);
        }
        let Some(c) = customers.index_of(v.customer) else {
            return Err(Reason::UnknownCustomer);
        };
        let row = match customers.on_index(c, d) {
            OnDate::Unknown => return Err(Reason::UnknownCustomer),
            OnDate::Overlap => return Err(Reason::CustomerRowsOverlap),
            OnDate::One(r) => r,
        };
        if row.provider != v.provider {
            return Err(Reason::ProviderDiffers);
        }
        if self.uses_regime && !parties.listed(v.provider) {
            return Err(Reason::UnknownProvider);
        }
        Ok((row, c))
    }
}
