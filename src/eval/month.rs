//! Billing months and the periods a run is asked for. A month is a count of
//! months since year 0, so months sort, step and index simply.

use chrono::{Datelike, NaiveDate};

/// A calendar month (`2025-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// The month of a date.
    pub fn of(d: NaiveDate) -> Month {
        Month(d.year() * 12 + d.month0() as i32)
    }

    /// `month` counts from 1; `None` for a month that is not 1–12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then(|| Month(year * 12 + month as i32 - 1))
    }

    /// Months since year 0: a plain number for keys that only group.
    pub fn index(self) -> i32 {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1–12.
    pub fn number(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.number(), 1).expect("a month of a real date")
    }

    pub fn last(self) -> NaiveDate {
        self.next()
            .first()
            .pred_opt()
            .expect("a month has a last day")
    }

    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }

    /// Days in the month (28–31).
    pub fn days(self) -> i64 {
        (self.last() - self.first()).num_days() + 1
    }
}

/// ISO 8601 `YYYY-MM`: the month's identity in the output contract and in
/// not-paid ids, not a wording.
impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.number())
    }
}

/// The months a run is asked for, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

/// Why a `--period` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// Neither `YYYY-MM` nor `YYYY-MM..YYYY-MM`.
    Shape,
    /// A range whose first month is after its last.
    Reversed { from: Month, to: Month },
}

impl Period {
    /// `2025-03` or `2025-01..2025-03`.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let one = |t: &str| {
            let t = t.trim();
            NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| t.len() == 7)
                .map(Month::of)
                .ok_or(PeriodError::Shape)
        };
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (one(a)?, one(b)?),
            None => (one(s)?, one(s)?),
        };
        if a > b {
            return Err(PeriodError::Reversed { from: a, to: b });
        }
        Ok(Period { from: a, to: b })
    }

    pub fn contains(&self, m: Month) -> bool {
        self.from <= m && m <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_step_across_years() {
        let dec = Month::of(d("2024-12-31"));
        assert_eq!(dec.to_string(), "2024-12");
        assert_eq!(dec.next().to_string(), "2025-01");
        assert_eq!(dec.next().first(), d("2025-01-01"));
        assert_eq!(Month::new(2024, 2).unwrap().last(), d("2024-02-29"));
        assert_eq!(Month::new(2025, 2).unwrap().days(), 28);
        assert_eq!(Month::new(2025, 13), None);
    }

    #[test]
    fn periods_parse_one_month_or_a_range() {
        let p = Period::parse("2025-01..2025-03").unwrap();
        assert_eq!(Period::parse(" 2025-01 .. 2025-03 "), Ok(p));
        assert!(p.contains(Month::new(2025, 2).unwrap()));
        assert!(!p.contains(Month::new(2025, 4).unwrap()));
        assert_eq!(Period::parse("2025-03"), Period::parse("2025-03..2025-03"));
        assert_eq!(
            Period::parse("2025-03..2025-01"),
            Err(PeriodError::Reversed {
                from: Month::new(2025, 3).unwrap(),
                to: Month::new(2025, 1).unwrap()
            })
        );
        assert_eq!(Period::parse("2025-3"), Err(PeriodError::Shape));
        assert_eq!(Period::parse("2025-13"), Err(PeriodError::Shape));
    }
}
