//! Which band of a `tidsband` set a moment falls in: its local date and
//! clock time against each band's days and clock range, first match wins.
//! A visit's seconds are cut where bands change (`clock::pieces`), so each
//! piece has one band per set.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

use crate::check::{BandRule, Bands, DaySet, Eve};

use super::clock;

/// Whether clock time `x` is in `[from, to)`, wrapping midnight when
/// `to <= from`.
#[inline]
pub fn in_clock(x: NaiveTime, from: NaiveTime, to: NaiveTime) -> bool {
    if from < to {
        from <= x && x < to
    } else {
        x >= from || x < to
    }
}

/// The band (its index in the set) of a moment at local `date` and `time`.
/// Every set ends with `övrig tid` (the checker insists), so some band
/// matches; an empty set (after errors) gives none.
pub fn band_of(bands: &Bands, date: NaiveDate, time: NaiveTime) -> Option<u16> {
    bands
        .rules
        .iter()
        .position(|r| matches(r, date, time))
        .map(|i| i as u16)
}

/// The band of set `bands` at the instant `unix` (a visit's start or end).
pub fn band_at(bands: &Bands, unix: i64) -> Option<u16> {
    let local = clock::local_time(unix);
    band_of(bands, local.date(), local.time())
}

fn matches(rule: &BandRule, date: NaiveDate, time: NaiveTime) -> bool {
    let mut day = date;
    if let Some((from, to)) = rule.clock {
        if !in_clock(time, from, to) {
            return false;
        }
        // A range over midnight belongs to the day it began on: with
        // `dagar lördag klockan 22:00 till 07:00`, Sunday 03:00 is
        // Saturday's night.
        if to <= from && time < to {
            match date.checked_sub_days(Days::new(1)) {
                Some(d) => day = d,
                None => return false,
            }
        }
    }
    rule.days.as_ref().is_none_or(|days| on_day(days, day))
}

/// Whether `date` is one of the days a band lists.
fn on_day(days: &DaySet, date: NaiveDate) -> bool {
    days.weekdays[date.weekday().num_days_from_monday() as usize]
        || (days.holidays && clock::is_swedish_holiday(date))
        || (days.eves != 0 && eve_of(date).is_some_and(|e| days.eves & (1 << e as u8) != 0))
}

/// The eve `date` is, if any.
fn eve_of(date: NaiveDate) -> Option<Eve> {
    let (month, day) = (date.month(), date.day());
    match (month, day) {
        (12, 24) => Some(Eve::Christmas),
        (12, 31) => Some(Eve::NewYear),
        (6, 19..=25) if date.weekday() == Weekday::Fri => Some(Eve::Midsummer),
        (3 | 4, _) => clock::easter_sunday(date.year())
            .and_then(|e| e.checked_sub_days(Days::new(1)))
            .filter(|eve| *eve == date)
            .map(|_| Eve::Easter),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn eves() {
        assert_eq!(eve_of(date(2024, 3, 30)), Some(Eve::Easter));
        assert_eq!(eve_of(date(2025, 4, 19)), Some(Eve::Easter));
        assert_eq!(eve_of(date(2024, 3, 31)), None);
        assert_eq!(eve_of(date(2024, 6, 21)), Some(Eve::Midsummer));
        assert_eq!(eve_of(date(2024, 6, 22)), None);
        assert_eq!(eve_of(date(2024, 12, 24)), Some(Eve::Christmas));
        assert_eq!(eve_of(date(2024, 12, 31)), Some(Eve::NewYear));
    }

    #[test]
    fn a_night_over_midnight_is_the_day_it_began() {
        let saturday_night = BandRule {
            days: Some(DaySet {
                weekdays: [false, false, false, false, false, true, false],
                ..DaySet::default()
            }),
            clock: Some((hm(22, 0), hm(7, 0))),
        };
        // Saturday 2024-03-23 23:00 and Sunday 03:00: Saturday's night.
        assert!(matches(&saturday_night, date(2024, 3, 23), hm(23, 0)));
        assert!(matches(&saturday_night, date(2024, 3, 24), hm(3, 0)));
        // Saturday 03:00 is Friday's night; Sunday 23:00 is Sunday's.
        assert!(!matches(&saturday_night, date(2024, 3, 23), hm(3, 0)));
        assert!(!matches(&saturday_night, date(2024, 3, 24), hm(23, 0)));
        // Sunday 07:00 is after the night.
        assert!(!matches(&saturday_night, date(2024, 3, 24), hm(7, 0)));
    }
}
