//! The customers' situations over time, indexed for "which row covers this
//! customer on this date". Memory grows with customers, not with visits.
//!
//! A customer has an index, its place among the customers of customers.csv
//! in order of their names: every walk over customers (the ledger's
//! per-customer sums, the customers a line names) goes in that order, so
//! the output does not depend on file order. Looking a customer id up is
//! one array access.

use chrono::NaiveDate;

use crate::data::{CustomerId, CustomerRow, Ids};

/// What customers.csv says about a customer on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDate<'a> {
    /// No row covers the date (or the customer was never seen).
    Unknown,
    One(&'a CustomerRow),
    /// Two or more rows cover the date; none can be trusted.
    Overlap,
}

const NOT_LISTED: u32 = u32::MAX;

pub struct Customers {
    rows: Vec<CustomerRow>,
    /// The customer index of each customer id ([`NOT_LISTED`] for an id
    /// customers.csv does not name; ids read after it are past the end).
    index: Vec<u32>,
    /// Where each customer's rows start in `rows`, by customer index, and
    /// where the last one's end: a customer's rows are side by side.
    starts: Vec<usize>,
    /// Customer ids by customer index, so in order of their names.
    ids: Vec<CustomerId>,
    /// The customer index of each row.
    row_customer: Vec<u32>,
    /// Each row's `[from, to]`, apart from the rows: finding the row of a
    /// date (once per visit) reads these few bytes, not the rows' cells.
    spans: Vec<(Option<NaiveDate>, Option<NaiveDate>)>,
}

impl Customers {
    pub fn new(mut rows: Vec<CustomerRow>, names: &Ids) -> Customers {
        // A fixed order makes every walk over rows independent of file
        // order: by customer, start, end and provider, names compared as
        // text.
        rows.sort_by(|a, b| {
            let key = |r: &CustomerRow| {
                (
                    names.customer_name(r.customer),
                    r.from,
                    r.to,
                    names.provider_name(r.provider),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut index = Vec::new();
        let mut starts = Vec::new();
        let mut ids: Vec<CustomerId> = Vec::new();
        let mut row_customer = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            if ids.last() != Some(&r.customer) {
                let c = r.customer.index();
                if index.len() <= c {
                    index.resize(c + 1, NOT_LISTED);
                }
                index[c] = ids.len() as u32;
                ids.push(r.customer);
                starts.push(i);
            }
            row_customer.push(ids.len() as u32 - 1);
        }
        starts.push(rows.len());
        let spans = rows.iter().map(|r| (r.from, r.to)).collect();
        Customers {
            rows,
            index,
            starts,
            ids,
            row_customer,
            spans,
        }
    }

    /// The index of the customer a row belongs to.
    pub fn customer_index(&self, row: usize) -> u32 {
        self.row_customer[row]
    }

    /// The customer's index, when customers.csv names the customer.
    pub fn index_of(&self, customer: CustomerId) -> Option<u32> {
        self.index
            .get(customer.index())
            .copied()
            .filter(|&c| c != NOT_LISTED)
    }

    pub fn customer_id(&self, index: u32) -> CustomerId {
        self.ids[index as usize]
    }

    /// All rows, sorted by customer, then start.
    pub fn rows(&self) -> &[CustomerRow] {
        &self.rows
    }

    /// The rows of a customer (by index).
    fn rows_of(&self, customer: u32) -> &[CustomerRow] {
        let c = customer as usize;
        &self.rows[self.starts[c]..self.starts[c + 1]]
    }

    pub fn on(&self, customer: CustomerId, date: NaiveDate) -> OnDate<'_> {
        match self.index_of(customer) {
            Some(c) => self.on_index(c, date),
            None => OnDate::Unknown,
        }
    }

    /// [`Customers::on`] for a customer already looked up.
    pub fn on_index(&self, customer: u32, date: NaiveDate) -> OnDate<'_> {
        let c = customer as usize;
        let (lo, hi) = (self.starts[c], self.starts[c + 1]);
        let mut found = None;
        for (i, (from, to)) in self.spans[lo..hi].iter().enumerate() {
            if from.is_none_or(|f| f <= date) && to.is_none_or(|t| date <= t) {
                if found.is_some() {
                    return OnDate::Overlap;
                }
                found = Some(lo + i);
            }
        }
        found.map_or(OnDate::Unknown, |i| OnDate::One(&self.rows[i]))
    }

    /// Where the rows of `row`'s customer begin and end: each `from` and the
    /// day after each `to`, so that between two of these dates whether a
    /// day is overlapped cannot change.
    pub fn row_bounds(&self, row: &CustomerRow, out: &mut Vec<NaiveDate>) {
        if let Some(c) = self.index_of(row.customer) {
            for r in self.rows_of(c) {
                out.extend(r.from);
                out.extend(r.to.and_then(|t| t.succ_opt()));
            }
        }
    }

    /// Whether another row of the same customer also covers `date`
    /// (overlap days count for no row when amounts are pro-rated).
    pub fn overlapped(&self, row: &CustomerRow, date: NaiveDate) -> bool {
        self.index_of(row.customer)
            .is_some_and(|c| self.rows_of(c).iter().filter(|r| r.covers(date)).count() > 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ids: &mut Ids, c: &str, p: &str, from: &str, to: &str) -> CustomerRow {
        let d = |s: &str| (!s.is_empty()).then(|| s.parse().unwrap());
        CustomerRow {
            customer: ids.customer(c),
            provider: ids.provider(p),
            from: d(from),
            to: d(to),
            values: Default::default(),
        }
    }

    #[test]
    fn finds_the_row_of_a_date_and_reports_overlaps() {
        let mut ids = Ids::default();
        let rows = vec![
            row(&mut ids, "K2", "P1", "2025-03-01", "2025-03-10"),
            row(&mut ids, "K1", "P2", "2025-03-16", ""),
            row(&mut ids, "K1", "P1", "", "2025-03-15"),
            row(&mut ids, "K2", "P1", "2025-03-10", "2025-03-31"),
        ];
        let k9 = ids.customer("K9");
        let c = Customers::new(rows, &ids);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let k = |name: &str| ids.find_customer(name).unwrap();
        let provider = |r: &CustomerRow| ids.provider_name(r.provider);
        assert!(matches!(c.on(k("K1"), d("2025-03-15")), OnDate::One(r) if provider(r) == "P1"));
        assert!(matches!(c.on(k("K1"), d("2025-03-16")), OnDate::One(r) if provider(r) == "P2"));
        assert_eq!(c.on(k("K2"), d("2025-03-10")), OnDate::Overlap);
        assert_eq!(c.on(k("K2"), d("2025-04-01")), OnDate::Unknown);
        assert_eq!(c.on(k9, d("2025-03-01")), OnDate::Unknown);
        assert!(c.overlapped(&c.rows()[2], d("2025-03-10")));
        assert!(!c.overlapped(&c.rows()[2], d("2025-03-09")));
        // Indices follow the names, not the order ids were read in.
        assert_eq!(ids.customer_name(c.customer_id(0)), "K1");
        assert_eq!(c.index_of(k("K2")), Some(1));
    }
}
