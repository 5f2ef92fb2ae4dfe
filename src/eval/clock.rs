//! Where a visit's real seconds fall on the Swedish calendar and wall clock.
//!
//! Contracts price time by local date (holidays, the date a visit counts
//! on) and by local clock time (evening and night windows), but visits are
//! paid in real seconds. The functions here cut real time at the local
//! boundaries, so callers never reason about clock changes themselves: a
//! spring night is an hour shorter and an autumn night an hour longer, and
//! both show up only as the lengths of the pieces.
//!
//! Everything is pure and total: inputs outside the supported range give an
//! empty result or `false` rather than a panic, because these run per visit
//! on data nobody has vetted.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Weekday,
};
use chrono_tz::Europe::Stockholm;

/// The Gregorian computus is only meaningful from 1583, and the data layout
/// writes four-digit years.
const FIRST_YEAR: i32 = 1583;
const LAST_YEAR: i32 = 9999;

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher),
/// which needs no tables and is exact for every Gregorian year.
pub(super) fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The first `weekday` on or after `date`; the movable midsummer and All
/// Saints' days are defined as "the Friday/Saturday in this week of dates".
fn on_or_after(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (weekday.num_days_from_monday() + 7 - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(ahead.into()))
}

/// The days the bundled contracts call "helgdag", for `year`, sorted by date
/// (a stable sort, so coinciding days keep the order listed here).
///
/// Every year gives all 16 names, but not always 16 distinct dates:
/// Kristi himmelsfärdsdag falls on första maj when Easter is on March 23
/// (2008), and pingstdagen on the national day when Easter is on April 18
/// (2049). Both names are kept, so a caller that only asks "is it a holiday"
/// is unaffected and one that shows names can show both.
///
/// Years outside 1583..=9999 give an empty list.
pub fn swedish_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let Some(easter) = easter_sunday(year) else {
        return Vec::new();
    };
    let ymd = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let before_easter = |days| easter.checked_sub_days(Days::new(days));
    let after_easter = |days| easter.checked_add_days(Days::new(days));
    let days = [
        (ymd(1, 1), "nyårsdagen"),
        (ymd(1, 6), "trettondedag jul"),
        (before_easter(2), "långfredagen"),
        (Some(easter), "påskdagen"),
        (after_easter(1), "annandag påsk"),
        (ymd(5, 1), "första maj"),
        (after_easter(39), "Kristi himmelsfärdsdag"),
        (after_easter(49), "pingstdagen"),
        (ymd(6, 6), "Sveriges nationaldag"),
        (
            ymd(6, 19).and_then(|d| on_or_after(d, Weekday::Fri)),
            "midsommarafton",
        ),
        (
            ymd(6, 20).and_then(|d| on_or_after(d, Weekday::Sat)),
            "midsommardagen",
        ),
        (
            ymd(10, 31).and_then(|d| on_or_after(d, Weekday::Sat)),
            "alla helgons dag",
        ),
        (ymd(12, 24), "julafton"),
        (ymd(12, 25), "juldagen"),
        (ymd(12, 26), "annandag jul"),
        (ymd(12, 31), "nyårsafton"),
    ];
    let mut out: Vec<_> = days
        .into_iter()
        .filter_map(|(date, name)| date.map(|d| (d, name)))
        .collect();
    out.sort_by_key(|&(date, _)| date);
    out
}

/// Whether `date` is one of [`swedish_holidays`] of its year, without
/// building the list: this is asked once per visit.
pub fn is_swedish_holiday(date: NaiveDate) -> bool {
    let year = date.year();
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return false;
    }
    let (month, day) = (date.month(), date.day());
    if matches!(
        (month, day),
        (1, 1) | (1, 6) | (5, 1) | (6, 6) | (12, 24) | (12, 25) | (12, 26) | (12, 31)
    ) {
        return true;
    }
    match date.weekday() {
        Weekday::Fri if month == 6 && (19..=25).contains(&day) => return true,
        Weekday::Sat if month == 6 && (20..=26).contains(&day) => return true,
        Weekday::Sat if (month == 10 && day == 31) || (month == 11 && day <= 6) => return true,
        _ => {}
    }
    // Easter-bound days lie between March 20 and June 13.
    if !(3..=6).contains(&month) {
        return false;
    }
    easter_sunday(year).is_some_and(|easter| {
        matches!(
            date.signed_duration_since(easter).num_days(),
            -2 | 0 | 1 | 39 | 49
        )
    })
}

/// A stretch of real time [start, end) (Unix seconds) that lies within one
/// local (Europe/Stockholm) date and between two consecutive cut times of
/// that date.
///
/// A piece may contain a clock change (the spring gap or the autumn repeat)
/// when no cut falls there: its length is real seconds, not the difference
/// of the wall-clock readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub start: i64,
    pub end: i64,
    /// The local date that the whole piece lies on.
    pub date: NaiveDate,
    /// The local clock time at `start`; in the autumn repeat both hours read
    /// 02:xx, as the contracts' windows see them.
    pub from: NaiveTime,
}

/// Years 1..=9999 in UTC, three days inside each end so that the local
/// dates next to a visit, their midnights and their offsets all stay
/// representable.
const MIN_UNIX: i64 = -62_135_596_800 + 3 * 86_400;
const MAX_UNIX: i64 = 253_402_300_800 - 3 * 86_400;

/// The Europe/Stockholm wall-clock reading at `unix`. Instants that chrono
/// cannot represent saturate to `NaiveDateTime::MIN`/`MAX` rather than fail,
/// so a caller holding a garbage timestamp still gets an ordered answer.
pub fn local_time(unix: i64) -> NaiveDateTime {
    let saturated = if unix < 0 {
        NaiveDateTime::MIN
    } else {
        NaiveDateTime::MAX
    };
    let Some(utc) = DateTime::from_timestamp(unix, 0) else {
        return saturated;
    };
    let utc = utc.naive_utc();
    let offset = Stockholm.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(saturated)
}

/// Seconds east of UTC at `unix`; only compared for change, so an
/// unrepresentable instant may read as 0.
fn offset_at(unix: i64) -> i32 {
    DateTime::from_timestamp(unix, 0).map_or(0, |utc| {
        Stockholm
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc()
    })
}

/// Cuts are real seconds, so sub-second parts (and a leap second's
/// 23:59:60) are dropped to keep every boundary on a whole second.
fn whole(t: NaiveTime) -> NaiveTime {
    t.with_nanosecond(0).unwrap_or(t)
}

/// The first instant whose local reading is `local` or later. Since 1893
/// every midnight in the zone table exists; the search below serves
/// 1893-04-01, which the move from local mean time to CET skipped (tzdata's
/// Europe/Stockholm shares Berlin's history before 1970).
fn first_instant_from(local: NaiveDateTime) -> i64 {
    match Stockholm.from_local_datetime(&local) {
        LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => x.timestamp(),
        LocalResult::None => {
            // Offsets stay within ±26 h, so the instant is in this range;
            // `lo` reads before `local`, `hi` at or after it.
            let naive = local.and_utc().timestamp();
            let (mut lo, mut hi) = (naive - 26 * 3600, naive + 26 * 3600);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if local_time(mid) < local {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        }
    }
}

/// The instant in (lo, hi] where the offset stops being `before`. A Swedish
/// date has at most one clock change, so the offset is monotone in between.
fn first_change(mut lo: i64, mut hi: i64, before: i32) -> i64 {
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset_at(mid) == before {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Cut times in increasing order without duplicates, without sorting into a
/// new buffer: callers pass a handful of times, usually already sorted, and
/// this runs once per visit and date.
struct SortedCuts<'a> {
    cuts: &'a [NaiveTime],
    sorted: bool,
    next: usize,
    prev: Option<NaiveTime>,
}

impl<'a> SortedCuts<'a> {
    fn new(cuts: &'a [NaiveTime], sorted: bool) -> Self {
        SortedCuts {
            cuts,
            sorted,
            next: 0,
            prev: None,
        }
    }
}

impl Iterator for SortedCuts<'_> {
    type Item = NaiveTime;

    fn next(&mut self) -> Option<NaiveTime> {
        if self.sorted {
            let cut = self.cuts.get(self.next)?;
            self.next += 1;
            return Some(whole(*cut));
        }
        let prev = self.prev;
        let cut = self
            .cuts
            .iter()
            .map(|&c| whole(c))
            .filter(|&c| prev.is_none_or(|p| c > p))
            .min()?;
        self.prev = Some(cut);
        Some(cut)
    }
}

/// Calls `put` with the instants of the cut times on `date`, in increasing
/// real order, each with its local reading.
///
/// A date of exactly 24 hours has no clock change (the zone changes at most
/// once a day, and a change makes the day shorter or longer), so its cuts
/// are plain offsets from midnight; that spares a zone lookup per cut on
/// all but a few dates a year.
///
/// Increasing local time is increasing real time for first occurrences,
/// and again for second occurrences, but the autumn repeat interleaves the
/// two: every first 02:xx comes before every second one. So second
/// occurrences are held back and replayed (by converting those cuts again,
/// which happens on one date a year) before the next cut after the repeat.
fn cut_instants(
    date: NaiveDate,
    day_start: i64,
    day_end: i64,
    cuts: &[NaiveTime],
    sorted: bool,
    put: &mut impl FnMut(i64, NaiveTime),
) {
    if day_end - day_start == 86_400 {
        for cut in SortedCuts::new(cuts, sorted) {
            put(day_start + i64::from(cut.num_seconds_from_midnight()), cut);
        }
        return;
    }
    let mut repeated: Option<(NaiveTime, NaiveTime)> = None;
    let replay = |(lo, hi): (NaiveTime, NaiveTime), put: &mut dyn FnMut(i64, NaiveTime)| {
        for cut in SortedCuts::new(cuts, sorted)
            .skip_while(|&c| c < lo)
            .take_while(|&c| c <= hi)
        {
            if let LocalResult::Ambiguous(_, second) =
                Stockholm.from_local_datetime(&date.and_time(cut))
            {
                put(second.timestamp(), cut);
            }
        }
    };
    for cut in SortedCuts::new(cuts, sorted) {
        match Stockholm.from_local_datetime(&date.and_time(cut)) {
            LocalResult::Single(x) => {
                if let Some(range) = repeated.take() {
                    replay(range, put);
                }
                put(x.timestamp(), cut);
            }
            LocalResult::Ambiguous(first, _) => {
                put(first.timestamp(), cut);
                repeated = Some((repeated.map_or(cut, |(lo, _)| lo), cut));
            }
            // In the spring gap: the wall clock never shows it that day.
            LocalResult::None => {}
        }
    }
    if let Some(range) = repeated {
        replay(range, put);
    }
}

/// The walk behind [`pieces`] and [`seconds_between`], feeding pieces to
/// `sink` so that the sum needs no buffer at all.
///
/// With `at_clock_change` it also cuts where the UTC offset changes, so that
/// within each piece the wall clock runs without a jump and every second of
/// it reads between `from` and the next cut.
fn split(
    start: i64,
    end: i64,
    cuts: &[NaiveTime],
    at_clock_change: bool,
    mut sink: impl FnMut(Piece),
) {
    if end <= start || start < MIN_UNIX || end > MAX_UNIX {
        return;
    }
    let sorted = cuts.windows(2).all(|w| whole(w[0]) < whole(w[1]));
    let first = local_time(start);
    let mut date = first.date();
    let mut day_start = first_instant_from(date.and_time(NaiveTime::MIN));
    let mut cur = start;
    let mut cur_from = first.time();
    loop {
        let next_date = date.succ_opt();
        let day_end = next_date.map_or(end, |d| first_instant_from(d.and_time(NaiveTime::MIN)));
        let stop = day_end.min(end);
        {
            let mut cut_at = |x: i64, from: NaiveTime| {
                if x > cur && x < stop {
                    sink(Piece {
                        start: cur,
                        end: x,
                        date,
                        from: cur_from,
                    });
                    cur = x;
                    cur_from = from;
                }
            };
            // The clock change is put in order among the cut instants.
            let mut change = None;
            if at_clock_change && day_end - day_start != 86_400 {
                let before = offset_at(day_start);
                if before != offset_at(day_end) && day_start < day_end {
                    change = Some(first_change(day_start, day_end, before));
                }
            }
            let mut put = |x: i64, from: NaiveTime| {
                if let Some(t) = change.filter(|&t| t <= x) {
                    cut_at(t, local_time(t).time());
                    change = None;
                }
                cut_at(x, from);
            };
            cut_instants(date, day_start, day_end, cuts, sorted, &mut put);
            if let Some(t) = change {
                cut_at(t, local_time(t).time());
            }
        }
        if stop > cur {
            sink(Piece {
                start: cur,
                end: stop,
                date,
                from: cur_from,
            });
            cur = stop;
        }
        match next_date {
            Some(next) if cur < end => {
                date = next;
                day_start = day_end;
                if cur == day_end {
                    cur_from = local_time(cur).time();
                }
            }
            _ => break,
        }
    }
    if cur < end {
        // Only reachable past chrono's last date, which the range check
        // excludes; kept so the pieces always add up.
        sink(Piece {
            start: cur,
            end,
            date,
            from: cur_from,
        });
    }
}

/// Whether real time from `start` to `end` lies where local time can be
/// placed (years 1..=9999, three days inside each end); outside it a visit
/// has no pieces, so the engine refuses it rather than pay it nothing.
pub fn placeable(start: i64, end: i64) -> bool {
    MIN_UNIX <= start && end <= MAX_UNIX
}

/// Splits a visit's real time at every local midnight and at every `cuts`
/// clock time on each local date it touches, because contract rates change
/// at those wall-clock moments while pay is for real seconds.
///
/// A cut time that the spring gap skips cuts nothing that day; one that the
/// autumn repeat shows twice cuts at both occurrences. The pieces are in
/// order, contiguous, and their lengths add up to exactly `end - start`.
/// Empty when `end <= start` or either end is outside years 1..=9999.
pub fn pieces(start: i64, end: i64, cuts: &[NaiveTime]) -> Vec<Piece> {
    let mut out = Vec::new();
    split(start, end, cuts, false, |piece| out.push(piece));
    out
}

/// The real seconds of [start, end) whose wall-clock reading `t` lies in the
/// daily window from `from` to `to` (`from <= t < to`; when `from > to` the
/// window wraps midnight, `t >= from || t < to`; `from == to` is empty), as
/// an evening or night supplement is paid.
///
/// The split is the one [`pieces`] makes with the window's ends as cuts,
/// plus a cut at any clock change: the autumn repeat turns the clock back
/// inside a piece, and a window end in the repeated hour or at 03:00 would
/// otherwise be crossed without a cut. In the autumn repeat both 02:xx hours
/// count.
pub fn seconds_between(start: i64, end: i64, from: NaiveTime, to: NaiveTime) -> i64 {
    let (from, to) = (whole(from), whole(to));
    let inside = |t: NaiveTime| {
        if from <= to {
            from <= t && t < to
        } else {
            t >= from || t < to
        }
    };
    let mut total = 0;
    split(start, end, &[from, to], true, |piece| {
        if inside(piece.from) {
            total += piece.end - piece.start;
        }
    });
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// Unix seconds of a Stockholm wall-clock time, its first occurrence.
    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        Stockholm
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
            .timestamp()
    }

    fn holiday_named(year: i32, name: &str) -> NaiveDate {
        swedish_holidays(year)
            .into_iter()
            .find(|&(_, n)| n == name)
            .unwrap()
            .0
    }

    #[test]
    fn easter_sundays() {
        for (y, m, d) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2019, 4, 21),
            (2038, 4, 25),
            (2285, 3, 22),
            (2008, 3, 23),
            (2049, 4, 18),
        ] {
            assert_eq!(easter_sunday(y), Some(date(y, m, d)));
            assert_eq!(holiday_named(y, "påskdagen"), date(y, m, d));
        }
    }

    #[test]
    fn movable_days() {
        assert_eq!(holiday_named(2024, "midsommarafton"), date(2024, 6, 21));
        assert_eq!(holiday_named(2025, "midsommarafton"), date(2025, 6, 20));
        assert_eq!(holiday_named(2024, "midsommardagen"), date(2024, 6, 22));
        assert_eq!(holiday_named(2024, "alla helgons dag"), date(2024, 11, 2));
        assert_eq!(holiday_named(2025, "alla helgons dag"), date(2025, 11, 1));
        assert_eq!(
            holiday_named(2024, "Kristi himmelsfärdsdag"),
            date(2024, 5, 9)
        );
        assert_eq!(holiday_named(2025, "pingstdagen"), date(2025, 6, 8));
        assert_eq!(holiday_named(2024, "långfredagen"), date(2024, 3, 29));
        assert_eq!(holiday_named(2024, "annandag påsk"), date(2024, 4, 1));
    }

    #[test]
    fn year_2024() {
        let days = swedish_holidays(2024);
        assert_eq!(days.len(), 16);
        assert!(days.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(days[0], (date(2024, 1, 1), "nyårsdagen"));
        assert_eq!(days[15], (date(2024, 12, 31), "nyårsafton"));
        let count = date(2024, 1, 1)
            .iter_days()
            .take_while(|d| d.year() == 2024)
            .filter(|&d| is_swedish_holiday(d))
            .count();
        assert_eq!(count, 16);
        assert!(!is_swedish_holiday(date(2024, 6, 24)));
        assert!(!is_swedish_holiday(date(2024, 11, 1)));
    }

    #[test]
    fn coinciding_holidays_keep_both_names() {
        let days = swedish_holidays(2008);
        assert_eq!(days.len(), 16);
        let may1: Vec<_> = days.iter().filter(|d| d.0 == date(2008, 5, 1)).collect();
        assert_eq!(
            may1,
            [
                &(date(2008, 5, 1), "första maj"),
                &(date(2008, 5, 1), "Kristi himmelsfärdsdag")
            ]
        );
        assert_eq!(holiday_named(2049, "pingstdagen"), date(2049, 6, 6));
    }

    #[test]
    fn out_of_range_years() {
        assert!(swedish_holidays(1582).is_empty());
        assert!(swedish_holidays(10_000).is_empty());
        assert!(swedish_holidays(i32::MIN).is_empty());
        assert!(!is_swedish_holiday(date(1500, 1, 1)));
        assert!(!is_swedish_holiday(NaiveDate::MAX));
        assert!(!is_swedish_holiday(NaiveDate::MIN));
        assert!(is_swedish_holiday(date(1583, 1, 1)));
        assert!(is_swedish_holiday(date(9999, 12, 31)));
    }

    fn lengths(ps: &[Piece]) -> Vec<i64> {
        ps.iter().map(|p| p.end - p.start).collect()
    }

    #[test]
    fn spring_gap_inside_one_piece() {
        let (a, b) = (at(2025, 3, 30, 1, 30), at(2025, 3, 30, 3, 30));
        assert_eq!(b - a, 3600);
        let ps = pieces(a, b, &[hm(7, 0)]);
        assert_eq!(
            ps,
            [Piece {
                start: a,
                end: b,
                date: date(2025, 3, 30),
                from: hm(1, 30)
            }]
        );
        // A cut in the gap cuts nothing.
        assert_eq!(pieces(a, b, &[hm(2, 30)]).len(), 1);
    }

    #[test]
    fn autumn_repeat_cuts_twice() {
        let (a, b) = (at(2025, 10, 26, 1, 30), at(2025, 10, 26, 3, 30));
        assert_eq!(b - a, 10_800);
        let ps = pieces(a, b, &[hm(2, 30)]);
        assert_eq!(lengths(&ps), [3600, 3600, 3600]);
        assert_eq!(
            ps.iter().map(|p| p.from).collect::<Vec<_>>(),
            [hm(1, 30), hm(2, 30), hm(2, 30)]
        );
        assert!(ps.iter().all(|p| p.date == date(2025, 10, 26)));
        // 02:30 CEST is 00:30 UTC; 02:30 CET is 01:30 UTC.
        assert_eq!(ps[1].start, 1_761_438_600);
        assert_eq!(ps[2].start, 1_761_442_200);
        assert_eq!(
            local_time(ps[2].start),
            date(2025, 10, 26).and_time(hm(2, 30))
        );
    }

    #[test]
    fn autumn_repeat_with_several_cuts_in_order() {
        let (a, b) = (at(2025, 10, 26, 0, 0), at(2025, 10, 27, 0, 0));
        assert_eq!(b - a, 25 * 3600);
        let ps = pieces(a, b, &[hm(3, 0), hm(2, 50), hm(2, 10), hm(2, 10)]);
        assert_eq!(
            ps.iter().map(|p| p.from).collect::<Vec<_>>(),
            [
                hm(0, 0),
                hm(2, 10),
                hm(2, 50),
                hm(2, 10),
                hm(2, 50),
                hm(3, 0)
            ]
        );
        assert_eq!(lengths(&ps), [7800, 2400, 1200, 2400, 600, 21 * 3600]);
    }

    #[test]
    fn midnight_split() {
        let (a, b) = (at(2025, 3, 31, 22, 0), at(2025, 4, 1, 1, 0));
        let ps = pieces(a, b, &[]);
        assert_eq!(lengths(&ps), [7200, 3600]);
        assert_eq!(ps[0].date, date(2025, 3, 31));
        assert_eq!((ps[1].date, ps[1].from), (date(2025, 4, 1), hm(0, 0)));
    }

    #[test]
    fn empty_and_out_of_range() {
        let a = at(2025, 1, 1, 8, 0);
        assert!(pieces(a, a, &[hm(7, 0)]).is_empty());
        assert!(pieces(a, a - 1, &[]).is_empty());
        assert!(pieces(i64::MIN, i64::MAX, &[]).is_empty());
        assert_eq!(seconds_between(i64::MIN, i64::MAX, hm(1, 0), hm(2, 0)), 0);
        assert_eq!(local_time(i64::MIN), NaiveDateTime::MIN);
        assert_eq!(local_time(i64::MAX), NaiveDateTime::MAX);
    }

    #[test]
    fn windows() {
        let d = |h| at(2025, 2, 3, h, 0);
        assert_eq!(seconds_between(d(6), d(8), hm(7, 0), hm(22, 30)), 3600);
        assert_eq!(
            seconds_between(d(21), at(2025, 2, 3, 23, 30), hm(7, 0), hm(22, 30)),
            5400
        );
        assert_eq!(
            seconds_between(d(21), at(2025, 2, 4, 8, 0), hm(22, 0), hm(7, 0)),
            9 * 3600
        );
        assert_eq!(seconds_between(d(6), d(8), hm(7, 0), hm(7, 0)), 0);
    }

    #[test]
    fn windows_across_clock_changes() {
        // The night of the spring change is an hour short.
        let (a, b) = (at(2025, 3, 29, 21, 0), at(2025, 3, 30, 8, 0));
        assert_eq!(seconds_between(a, b, hm(22, 0), hm(7, 0)), 8 * 3600);
        // A window starting in the gap starts at 03:00.
        assert_eq!(seconds_between(a, b, hm(2, 30), hm(7, 0)), 4 * 3600);
        // The autumn night is an hour long; both 02:xx hours count.
        let (a, b) = (at(2025, 10, 25, 21, 0), at(2025, 10, 26, 8, 0));
        assert_eq!(seconds_between(a, b, hm(22, 0), hm(7, 0)), 10 * 3600);
        assert_eq!(seconds_between(a, b, hm(2, 50), hm(3, 0)), 1200);
        assert_eq!(
            seconds_between(a, b, hm(2, 30), hm(7, 0)),
            1800 + 1800 + 4 * 3600
        );
    }

    /// Unix seconds 2024-01-01 .. 2027-01-01.
    const Y2024: i64 = 1_704_063_600;
    const Y2027: i64 = 1_798_758_000;
    /// Spring and autumn changes of 2024 and 2025, in UTC.
    const CHANGES: [i64; 4] = [1_711_846_800, 1_729_990_800, 1_743_296_400, 1_761_440_400];

    fn any_start() -> impl Strategy<Value = i64> {
        prop_oneof![
            Y2024..Y2027,
            (0..4usize, -3 * 86_400..3 * 86_400i64).prop_map(|(i, d)| CHANGES[i] + d),
        ]
    }

    fn any_time() -> impl Strategy<Value = NaiveTime> {
        prop_oneof![
            (0..86_400u32)
                .prop_map(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0).unwrap()),
            (0..24u32, 0..4u32).prop_map(|(h, q)| hm(h, q * 15)),
        ]
    }

    /// Every instant on `date` at which the wall clock reads `t`.
    fn occurrences(date: NaiveDate, t: NaiveTime) -> Vec<i64> {
        match Stockholm.from_local_datetime(&date.and_time(t)) {
            LocalResult::Single(x) => vec![x.timestamp()],
            LocalResult::Ambiguous(x, y) => vec![x.timestamp(), y.timestamp()],
            LocalResult::None => vec![],
        }
    }

    proptest! {
        #[test]
        fn holidays_of_any_year(year in FIRST_YEAR..=LAST_YEAR) {
            let days = swedish_holidays(year);
            prop_assert_eq!(days.len(), 16);
            prop_assert!(days.windows(2).all(|w| w[0].0 <= w[1].0));
            prop_assert!(days.iter().all(|d| d.0.year() == year && is_swedish_holiday(d.0)));
            // Dates are distinct but for the two possible coincidences.
            for w in days.windows(2).filter(|w| w[0].0 == w[1].0) {
                prop_assert!(matches!(
                    (w[0].1, w[1].1),
                    ("första maj", "Kristi himmelsfärdsdag") | ("pingstdagen", "Sveriges nationaldag")
                ));
            }
            let easter = easter_sunday(year).unwrap();
            prop_assert_eq!(easter.weekday(), Weekday::Sun);
            prop_assert!(date(year, 3, 22) <= easter && easter <= date(year, 4, 25));
            prop_assert!(days.contains(&(easter, "påskdagen")));
        }

        #[test]
        fn is_holiday_matches_list(year in FIRST_YEAR..=LAST_YEAR, ordinal in 1..=366u32) {
            if let Some(d) = NaiveDate::from_yo_opt(year, ordinal) {
                let listed = swedish_holidays(year).iter().any(|h| h.0 == d);
                prop_assert_eq!(is_swedish_holiday(d), listed);
            }
        }

        #[test]
        fn never_panics(a in any::<i64>(), len in 0..200_000i64, t in any_time(), u in any_time(), y in any::<i32>(), o in any::<u32>()) {
            let b = a.saturating_add(len);
            let ps = pieces(a, b, &[t, u]);
            if !ps.is_empty() {
                prop_assert_eq!(lengths(&ps).iter().sum::<i64>(), b - a);
            }
            let _ = seconds_between(a, b, t, u);
            let _ = local_time(a);
            let _ = swedish_holidays(y);
            if let Some(d) = NaiveDate::from_yo_opt(y, o % 367) {
                let _ = is_swedish_holiday(d);
            }
        }

        #[test]
        fn pieces_tile_the_visit(
            a in any_start(),
            len in 0..=48 * 3600i64,
            cuts in proptest::collection::vec(any_time(), 0..6),
        ) {
            let b = a + len;
            let ps = pieces(a, b, &cuts);
            prop_assert_eq!(ps.is_empty(), len == 0);
            prop_assert_eq!(lengths(&ps).iter().sum::<i64>(), len);
            let mut cur = a;
            for p in &ps {
                prop_assert_eq!(p.start, cur);
                prop_assert!(p.end > p.start);
                cur = p.end;
                let local = local_time(p.start);
                prop_assert_eq!(p.date, local.date());
                prop_assert_eq!(p.from, local.time());
                prop_assert_eq!(local_time(p.end - 1).date(), p.date);
                // No midnight or cut falls strictly inside a piece, and
                // every cut inside the visit starts one.
                for &c in cuts.iter().chain([&NaiveTime::MIN]) {
                    for x in occurrences(p.date, c).into_iter().chain(occurrences(p.date.succ_opt().unwrap(), c)) {
                        prop_assert!(!(p.start < x && x < p.end));
                        if a < x && x < b {
                            prop_assert!(ps.iter().any(|q| q.start == x));
                        }
                    }
                }
            }
            prop_assert_eq!(cur, if len == 0 { a } else { b });
        }

        #[test]
        fn window_and_its_complement(
            a in any_start(),
            len in 0..=48 * 3600i64,
            x in any_time(),
            y in any_time(),
        ) {
            prop_assume!(x != y);
            let b = a + len;
            prop_assert_eq!(seconds_between(a, b, x, y) + seconds_between(a, b, y, x), len);
        }

        /// Against counting minute by minute, where every boundary is on a
        /// whole minute.
        #[test]
        fn window_by_minutes(
            a in any_start().prop_map(|s| s / 60 * 60),
            minutes in 0..=48 * 60i64,
            x in (0..24 * 60u32).prop_map(|m| hm(m / 60, m % 60)),
            y in (0..24 * 60u32).prop_map(|m| hm(m / 60, m % 60)),
        ) {
            let inside = |t: NaiveTime| if x <= y { x <= t && t < y } else { t >= x || t < y };
            let expected = (0..minutes)
                .filter(|m| inside(local_time(a + m * 60).time()))
                .count() as i64 * 60;
            prop_assert_eq!(seconds_between(a, a + minutes * 60, x, y), expected);
        }
    }

    #[test]
    fn every_midnight_but_one_exists() {
        let mut missing = Vec::new();
        let mut d = date(1583, 1, 1);
        while d.year() <= LAST_YEAR {
            let midnight = Stockholm.from_local_datetime(&d.and_time(NaiveTime::MIN));
            if matches!(midnight, LocalResult::None) {
                missing.push(d);
            }
            d = d.succ_opt().unwrap();
        }
        assert_eq!(missing, [date(1893, 4, 1)]);
        // That date starts when its clocks jumped from 23:53:28 to 00:06:32.
        let a = first_instant_from(date(1893, 3, 31).and_time(hm(12, 0)));
        let ps = pieces(a, a + 86_400, &[hm(0, 3)]);
        assert_eq!(lengths(&ps).iter().sum::<i64>(), 86_400);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[1].date, date(1893, 4, 1));
        assert_eq!(ps[1].from, NaiveTime::from_hms_opt(0, 6, 32).unwrap());
        assert_eq!(local_time(ps[1].start - 1).date(), date(1893, 3, 31));
    }
}
