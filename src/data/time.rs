//! Dates and timestamps of the data layout, read as Europe/Stockholm civil
//! time (data-format.md; domain.md, "Local times").
//!
//! Visits are paid in real seconds (a night visit across a clock change lasts
//! what the clock on the wall did not show), but dated by the local calendar.
//! So every timestamp is read into both: the instant as Unix seconds and the
//! local civil date-time.
//!
//! The parsers are hand-written rather than chrono format strings because the
//! accepted forms are narrow on purpose (whole seconds only, one optional
//! space for `T`, exact `±HH:MM` offsets) and each way of failing gets its own
//! message.

use std::cell::Cell;

use chrono::{
    Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
};
use chrono_tz::Europe::Stockholm;

/// Why a date or timestamp cell cannot be read. The `Display` text is what the
/// data error shows after the offending cell, so it says what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text does not have the shape `YYYY-MM-DD`.
    #[error("not a date: expected YYYY-MM-DD")]
    NotADate,
    /// The shape is right but the calendar has no such day (2025-02-30).
    #[error("no such date in the calendar: expected a real date as YYYY-MM-DD")]
    NoSuchDate,
    /// The text does not have the shape of a local or RFC 3339 timestamp.
    #[error(
        "not a date-time: expected YYYY-MM-DDTHH:MM[:SS] (Europe/Stockholm time) or RFC 3339 with an offset, e.g. 2025-03-01T08:00:00+01:00"
    )]
    NotADateTime,
    /// Fractions of a second: the layout has whole seconds only, and silently
    /// dropping the fraction would change durations.
    #[error("fractional seconds are not supported: timestamps have whole seconds (HH:MM:SS)")]
    FractionalSeconds,
    /// Hour, minute or second out of range (24:00, 12:60, a leap second).
    #[error("no such time of day: expected hours 00-23, minutes and seconds 00-59")]
    NoSuchTime,
    /// An offset that is not `Z` or `±HH:MM` with HH ≤ 23 and MM ≤ 59.
    #[error("not a UTC offset: expected Z or ±HH:MM, e.g. +01:00")]
    BadOffset,
    /// A local time inside the spring gap (last Sunday of March, 02:00-03:00):
    /// no instant carries that name, so guessing one would invent time.
    #[error(
        "does not exist in Europe/Stockholm (clocks jump forward); give the time with its offset or correct it"
    )]
    Nonexistent,
    /// Outside the range chrono can represent (not reachable from four-digit
    /// years, kept so conversion can never panic).
    #[error("date-time out of range")]
    OutOfRange,
}

/// Reads a strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, TimeError> {
    let b = text.as_bytes();
    if b.len() != 10 {
        return Err(TimeError::NotADate);
    }
    date_from_bytes(b).ok_or(TimeError::NotADate)?
}

/// Reads a timestamp cell into (Unix seconds, Europe/Stockholm local time).
///
/// Accepted: `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` (local time), either
/// followed by `Z` or `±HH:MM` (an exact instant); a single space may stand
/// for `T`. A local time repeated in autumn is its first occurrence (summer
/// time), one in the spring gap is an error (domain.md, "Local times").
pub fn parse_timestamp(text: &str) -> Result<(i64, NaiveDateTime), TimeError> {
    let b = text.as_bytes();
    if b.len() < 16 {
        return Err(TimeError::NotADateTime);
    }
    let date = match date_from_bytes(&b[..10]) {
        None => return Err(TimeError::NotADateTime),
        Some(date) => date?,
    };
    if !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' {
        return Err(TimeError::NotADateTime);
    }
    let (Some(hour), Some(minute)) = (two_digits(&b[11..13]), two_digits(&b[14..16])) else {
        return Err(TimeError::NotADateTime);
    };
    let mut rest = &b[16..];
    let mut second = 0;
    if let Some(after) = rest.strip_prefix(b":") {
        second = after
            .get(..2)
            .and_then(two_digits)
            .ok_or(TimeError::NotADateTime)?;
        rest = &after[2..];
    }
    if let [b'.' | b',', d, ..] = rest
        && d.is_ascii_digit()
    {
        return Err(TimeError::FractionalSeconds);
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or(TimeError::NoSuchTime)?;
    let naive = date.and_time(time);
    match rest {
        [] => Ok((from_local(naive)?, naive)),
        [b'Z' | b'z'] => with_offset(naive, 0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(h), Some(m)) = (two_digits(&[*h1, *h2]), two_digits(&[*m1, *m2])) else {
                return Err(TimeError::BadOffset);
            };
            if h > 23 || m > 59 {
                return Err(TimeError::BadOffset);
            }
            let seconds = (h * 3600 + m * 60) as i32;
            with_offset(naive, if *sign == b'-' { -seconds } else { seconds })
        }
        [b'+' | b'-', ..] => Err(TimeError::BadOffset),
        _ => Err(TimeError::NotADateTime),
    }
}

/// Unix seconds of a Europe/Stockholm civil time; the autumn repeat resolves
/// to its first occurrence (summer time), the spring gap is an error.
pub fn from_local(local: NaiveDateTime) -> Result<i64, TimeError> {
    let day = local.date().num_days_from_ce();
    // In range by construction: rem_euclid of a positive modulus.
    let index = day.rem_euclid(CACHED_DAYS as i32) as usize;
    if let Some((cached_day, offset)) = DAY_OFFSETS.with(|slots| slots[index].get())
        && cached_day == day
    {
        return Ok(local.and_utc().timestamp() - i64::from(offset));
    }
    let result = match Stockholm.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.timestamp()),
        LocalResult::Ambiguous(first, _) => Ok(first.timestamp()),
        LocalResult::None => Err(TimeError::Nonexistent),
    };
    if let Some(offset) = whole_day_offset(local.date()) {
        DAY_OFFSETS.with(|slots| slots[index].set(Some((day, offset))));
    }
    result
}

// Looking up the time zone is a third of the cost of reading a visit, and a
// data set spans few dates, so the offset of each date without a clock
// change is remembered. Direct-mapped by day number: a month fits without
// collisions.
const CACHED_DAYS: usize = 64;

thread_local! {
    static DAY_OFFSETS: [Cell<Option<(i32, i32)>>; CACHED_DAYS] =
        const { [const { Cell::new(None) }; CACHED_DAYS] };
}

/// The UTC offset (seconds east) of a local date on which the clocks do not
/// change: the same unambiguous offset at its first and last second. Clocks
/// change at most once a day, so that offset holds all day.
fn whole_day_offset(date: NaiveDate) -> Option<i32> {
    let offset = |h, m, s| {
        let local = date.and_hms_opt(h, m, s)?;
        let t = Stockholm.from_local_datetime(&local).single()?;
        Some(t.offset().fix().local_minus_utc())
    };
    let first = offset(0, 0, 0)?;
    (offset(23, 59, 59)? == first).then_some(first)
}

/// Europe/Stockholm civil time of an instant. `None` only far outside any
/// plausible data (beyond chrono's ±262 000 years).
pub fn to_local(unix: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp(unix, 0).map(|t| t.with_timezone(&Stockholm).naive_local())
}

fn with_offset(
    naive: NaiveDateTime,
    offset_seconds: i32,
) -> Result<(i64, NaiveDateTime), TimeError> {
    let offset = FixedOffset::east_opt(offset_seconds).ok_or(TimeError::BadOffset)?;
    let instant = offset
        .from_local_datetime(&naive)
        .single()
        .ok_or(TimeError::OutOfRange)?
        .timestamp();
    let local = to_local(instant).ok_or(TimeError::OutOfRange)?;
    Ok((instant, local))
}

/// `None` when the ten bytes are not shaped `YYYY-MM-DD`, `Some(Err)` when
/// they are but name no calendar day: the two get different messages.
fn date_from_bytes(b: &[u8]) -> Option<Result<NaiveDate, TimeError>> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *b else {
        return None;
    };
    let year = two_digits(&[y1, y2])? * 100 + two_digits(&[y3, y4])?;
    let month = two_digits(&[m1, m2])?;
    let day = two_digits(&[d1, d2])?;
    // A four-digit year always fits chrono's range, so `None` means the day
    // does not exist.
    Some(NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(TimeError::NoSuchDate))
}

fn two_digits(b: &[u8]) -> Option<u32> {
    match *b {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    fn unix(text: &str) -> i64 {
        parse_timestamp(text).unwrap().0
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2025-03-01"),
            Ok(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap())
        );
        assert_eq!(
            parse_date("2024-02-29").map(|d| d.to_string()).as_deref(),
            Ok("2024-02-29")
        );
        assert_eq!(parse_date("2025-02-30"), Err(TimeError::NoSuchDate));
        assert_eq!(parse_date("2025-13-01"), Err(TimeError::NoSuchDate));
        assert_eq!(parse_date("2025-00-10"), Err(TimeError::NoSuchDate));
        for bad in [
            "",
            "2025-3-1",
            "2025/03/01",
            "25-03-01",
            "2025-03-01T08:00",
            "2025-03-0a",
            " 2025-03-01",
            "2025-03-01 ",
            "+025-03-01",
            "2025-03-1é",
            "åäö-03-01",
        ] {
            assert_eq!(parse_date(bad), Err(TimeError::NotADate), "{bad:?}");
        }
    }

    #[test]
    fn local_forms() {
        let expected = local("2025-03-01T08:00:00");
        for text in [
            "2025-03-01T08:00",
            "2025-03-01T08:00:00",
            "2025-03-01 08:00",
            "2025-03-01 08:00:00",
        ] {
            assert_eq!(parse_timestamp(text).unwrap().1, expected, "{text}");
        }
        // Winter time is UTC+1.
        assert_eq!(unix("2025-03-01T08:00"), 1_740_812_400);
        assert_eq!(
            parse_timestamp("2025-03-01T08:00:59").unwrap().1,
            local("2025-03-01T08:00:59")
        );
    }

    #[test]
    fn rfc3339_is_an_exact_instant_dated_in_stockholm() {
        assert_eq!(
            parse_timestamp("2025-03-01T08:00:00+01:00"),
            parse_timestamp("2025-03-01 08:00")
        );
        assert_eq!(unix("2025-03-01T07:00:00Z"), unix("2025-03-01T08:00"));
        assert_eq!(unix("2025-03-01 07:00:00Z"), unix("2025-03-01T08:00"));
        assert_eq!(unix("2025-03-01T07:00Z"), unix("2025-03-01T08:00"));
        // 23:30 UTC on the last day of the month is already the next day in
        // Stockholm: the local date decides the billing month.
        let (_, l) = parse_timestamp("2025-03-31T23:30:00Z").unwrap();
        assert_eq!(l, local("2025-04-01T01:30:00"));
        let (_, l) = parse_timestamp("2025-03-01T08:00:00-05:00").unwrap();
        assert_eq!(l, local("2025-03-01T14:00:00"));
    }

    #[test]
    fn spring_forward() {
        // The hour 02:00-03:00 does not exist: 01:30 to 03:30 is one real hour.
        assert_eq!(unix("2025-03-30T03:30") - unix("2025-03-30T01:30"), 3600);
        assert_eq!(
            parse_timestamp("2025-03-30T02:30"),
            Err(TimeError::Nonexistent)
        );
        assert_eq!(
            parse_timestamp("2025-03-30T02:00:00"),
            Err(TimeError::Nonexistent)
        );
        assert!(parse_timestamp("2025-03-30T03:00").is_ok());
        // With an offset the instant is exact, and its local name is 03:30.
        let (_, l) = parse_timestamp("2025-03-30T02:30:00+01:00").unwrap();
        assert_eq!(l, local("2025-03-30T03:30:00"));
    }

    #[test]
    fn autumn_repeat_is_the_first_occurrence() {
        assert_eq!(unix("2025-10-26T02:30"), unix("2025-10-26T02:30:00+02:00"));
        assert_eq!(
            unix("2025-10-26T03:30") - unix("2025-10-26T01:30"),
            3 * 3600
        );
        // The second 02:30 (winter time) is still readable with its offset,
        // and is named 02:30 locally.
        let (t, l) = parse_timestamp("2025-10-26T02:30:00+01:00").unwrap();
        assert_eq!(t - unix("2025-10-26T02:30"), 3600);
        assert_eq!(l, local("2025-10-26T02:30:00"));
    }

    #[test]
    fn unreadable_timestamps() {
        use TimeError::*;
        let cases = [
            ("", NotADateTime),
            ("2025-03-01", NotADateTime),
            ("2025-03-01T8:00", NotADateTime),
            ("2025-03-01T08:00:0", NotADateTime),
            ("2025-03-01T08.00", NotADateTime),
            ("2025-03-01  08:00", NotADateTime),
            ("2025-03-01T08:00 +01:00", NotADateTime),
            ("2025-03-01X08:00", NotADateTime),
            ("01/03/2025 08:00", NotADateTime),
            ("2025-02-30T08:00", NoSuchDate),
            ("2025-03-01T24:00", NoSuchTime),
            ("2025-03-01T23:60", NoSuchTime),
            ("2025-03-01T23:59:60", NoSuchTime),
            ("2025-03-01T08:00:00.5", FractionalSeconds),
            ("2025-03-01T08:00:00,500", FractionalSeconds),
            ("2025-03-01T08:00:00.000Z", FractionalSeconds),
            ("2025-03-01T08:00:00+0100", BadOffset),
            ("2025-03-01T08:00:00+01", BadOffset),
            ("2025-03-01T08:00:00+24:00", BadOffset),
            ("2025-03-01T08:00:00+01:60", BadOffset),
            ("2025-03-01T08:00:00+01:00:00", BadOffset),
            ("2025-03-01T08:00:00ZZ", NotADateTime),
            ("2025-03-01T08:00:00 CET", NotADateTime),
            ("2025-03-01T08:00:ééé", NotADateTime),
            ("2025-03-01T08:00é", NotADateTime),
        ];
        for (text, err) in cases {
            assert_eq!(parse_timestamp(text), Err(err), "{text:?}");
        }
    }

    #[test]
    fn extreme_years_do_not_panic() {
        assert!(parse_timestamp("0000-01-01T00:00").is_ok());
        assert!(parse_timestamp("9999-12-31T23:59:59").is_ok());
        assert!(parse_timestamp("9999-12-31T23:59:59-23:59").is_ok());
        assert!(parse_timestamp("0000-01-01T00:00:00+23:59").is_ok());
        assert_eq!(to_local(i64::MAX), None);
    }

    #[test]
    fn remembered_offsets_agree_with_the_time_zone() {
        let direct = |local: NaiveDateTime| match Stockholm.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.timestamp()),
            LocalResult::None => Err(TimeError::Nonexistent),
        };
        for start in [
            "2025-03-28T00:00:00",
            "2025-10-24T00:00:00",
            "1980-04-04T00:00:00",
            "2025-06-01T00:00:00",
        ] {
            let mut t = local(start);
            for _ in 0..(4 * 24 * 4) {
                // Twice: the second call is answered from the cache.
                assert_eq!(from_local(t), direct(t), "{t}");
                assert_eq!(from_local(t), direct(t), "{t}");
                t += chrono::Duration::minutes(15);
            }
        }
    }

    #[test]
    fn round_trip_through_local() {
        let (t, l) = parse_timestamp("2025-07-01T12:00").unwrap();
        assert_eq!(to_local(t), Some(l));
        assert_eq!(from_local(l), Ok(t));
    }
}
