//! The customers' situations over time, indexed for "which row covers this
//! customer on this date". Memory grows with customers, not with visits.

use rustc_hash::FxHashMap;

use chrono::NaiveDate;

use crate::data::CustomerRow;

/// What customers.csv says about a customer on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDate<'a> {
    /// No row covers the date (or the customer was never seen).
    Unknown,
    One(&'a CustomerRow),
    /// Two or more rows cover the date; none can be trusted.
    Overlap,
}

pub struct Customers {
    rows: Vec<CustomerRow>,
    by_customer: FxHashMap<String, u32>,
    /// The rows of each customer (by customer index).
    rows_of: Vec<Vec<usize>>,
    /// Customer ids in sorted order; a customer's index is its place here.
    ids: Vec<String>,
    /// The customer index of each row.
    row_customer: Vec<u32>,
}

impl Customers {
    pub fn new(mut rows: Vec<CustomerRow>) -> Customers {
        // A fixed order makes every walk over rows independent of file order.
        rows.sort_by(|a, b| {
            (&a.customer, a.from, a.to, &a.provider).cmp(&(&b.customer, b.from, b.to, &b.provider))
        });
        let mut by_customer: FxHashMap<String, u32> = FxHashMap::default();
        let mut rows_of: Vec<Vec<usize>> = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut row_customer = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            if ids.last() != Some(&r.customer) {
                by_customer.insert(r.customer.clone(), ids.len() as u32);
                ids.push(r.customer.clone());
                rows_of.push(Vec::new());
            }
            rows_of.last_mut().expect("pushed above").push(i);
            row_customer.push(ids.len() as u32 - 1);
        }
        Customers {
            rows,
            by_customer,
            rows_of,
            ids,
            row_customer,
        }
    }

    /// The index of the customer a row belongs to.
    pub fn customer_index(&self, row: usize) -> u32 {
        self.row_customer[row]
    }

    pub fn index_of(&self, customer: &str) -> Option<u32> {
        self.by_customer.get(customer).copied()
    }

    pub fn customer_id(&self, index: u32) -> &str {
        &self.ids[index as usize]
    }

    /// All rows, sorted by customer, then start.
    pub fn rows(&self) -> &[CustomerRow] {
        &self.rows
    }

    pub fn on(&self, customer: &str, date: NaiveDate) -> OnDate<'_> {
        match self.index_of(customer) {
            Some(c) => self.on_index(c, date),
            None => OnDate::Unknown,
        }
    }

    /// [`Customers::on`] for a customer already looked up.
    pub fn on_index(&self, customer: u32, date: NaiveDate) -> OnDate<'_> {
        let mut found = None;
        for &i in &self.rows_of[customer as usize] {
            if self.rows[i].covers(date) {
                if found.is_some() {
                    return OnDate::Overlap;
                }
                found = Some(&self.rows[i]);
            }
        }
        found.map_or(OnDate::Unknown, OnDate::One)
    }

    /// Whether another row of the same customer also covers `date`
    /// (overlap days count for no row when amounts are pro-rated).
    pub fn overlapped(&self, row: &CustomerRow, date: NaiveDate) -> bool {
        self.index_of(&row.customer).is_some_and(|c| {
            self.rows_of[c as usize]
                .iter()
                .filter(|&&i| self.rows[i].covers(date))
                .count()
                > 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn row(c: &str, p: &str, from: &str, to: &str) -> CustomerRow {
        let d = |s: &str| (!s.is_empty()).then(|| s.parse().unwrap());
        CustomerRow {
            customer: c.into(),
            provider: p.into(),
            from: d(from),
            to: d(to),
            zone: 0,
            granted_hours: Decimal::ZERO,
            approved_extra_hours: Decimal::ZERO,
            hsl_from: None,
            hsl_to: None,
            referral: false,
            level: None,
            alarm: false,
            relief_hours: Decimal::ZERO,
        }
    }

    #[test]
    fn finds_the_row_of_a_date_and_reports_overlaps() {
        let c = Customers::new(vec![
            row("K1", "P2", "2025-03-16", ""),
            row("K1", "P1", "", "2025-03-15"),
            row("K2", "P1", "2025-03-01", "2025-03-10"),
            row("K2", "P1", "2025-03-10", "2025-03-31"),
        ]);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(matches!(c.on("K1", d("2025-03-15")), OnDate::One(r) if r.provider == "P1"));
        assert!(matches!(c.on("K1", d("2025-03-16")), OnDate::One(r) if r.provider == "P2"));
        assert_eq!(c.on("K2", d("2025-03-10")), OnDate::Overlap);
        assert_eq!(c.on("K2", d("2025-04-01")), OnDate::Unknown);
        assert_eq!(c.on("K9", d("2025-03-01")), OnDate::Unknown);
        assert!(c.overlapped(&c.rows()[2], d("2025-03-10")));
        assert!(!c.overlapped(&c.rows()[2], d("2025-03-09")));
    }
}
