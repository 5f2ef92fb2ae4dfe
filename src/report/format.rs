//! Every number and date a view prints, in one place: canonical decimal
//! strings (the JSON contract's), their Swedish form for people, months,
//! seconds. Both views print the same digits; the text view only localises.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::check::Exact;
use crate::eval::Month;
use crate::eval::round::round_half_away;

/// An amount, total or rate: exactly two decimals, rounded half away from
/// zero, never `-0.00` (`-0.5` → `-0.50`, `1463144` → `1463144.00`).
pub fn money(d: Decimal) -> String {
    fixed(
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        2,
    )
}

/// A quantity: two decimals when it has at most two significant ones,
/// otherwise as many as it has, up to four (`12` → `12.00`,
/// `254.25` → `254.25`, `3.22580` → `3.2258`).
pub fn quantity(d: Decimal) -> String {
    let d = d
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let scale = d.scale().max(2);
    fixed(d, scale)
}

/// An exact figure of a line's working: at most four decimals, no trailing
/// zeros (`915300`, `3.2258`, `0.25`).
pub fn exact(x: Exact) -> String {
    round_half_away(x, 4).normalize().to_string()
}

/// `d` (already rounded to at most `scale` decimals) with exactly `scale`
/// decimals.
fn fixed(mut d: Decimal, scale: u32) -> String {
    if d.is_zero() {
        // Drop the sign of a negative zero.
        d = Decimal::ZERO;
    }
    d.rescale(scale);
    d.to_string()
}

/// A month as the contract writes it: `2025-03`.
pub fn month(m: Month) -> String {
    m.to_string()
}

/// A canonical decimal string (`-1234567.80`) in Swedish form (`-1 234 567,80`).
pub fn swedish(canonical: &str) -> String {
    let (sign, digits) = match canonical.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", canonical),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    let mut s = String::from(sign);
    s.push_str(&group_thousands(int));
    if let Some(frac) = frac {
        s.push(',');
        s.push_str(frac);
    }
    s
}

/// `1234567` → `1 234 567`.
pub fn group_thousands(int: &str) -> String {
    let mut s = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            s.push(' ');
        }
        s.push(ch);
    }
    s
}

/// An amount in kronor: `-23 247,70 kr`.
pub fn kr(d: Decimal) -> String {
    format!("{} kr", swedish(&money(d)))
}

/// Seconds as `h:mm:ss` (hours unbounded): 1800 → `0:30:00`.
pub fn hms(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn money_has_exactly_two_decimals() {
        assert_eq!(money(dec("-0.5")), "-0.50");
        assert_eq!(money(dec("1463144")), "1463144.00");
        assert_eq!(money(dec("123565.5")), "123565.50");
        assert_eq!(money(dec("-23247.70")), "-23247.70");
        assert_eq!(money(dec("1234567.8")), "1234567.80");
        assert_eq!(money(dec("0")), "0.00");
        assert_eq!(money(dec("-0.001")), "0.00");
        assert_eq!(money(dec("0.005")), "0.01");
        assert_eq!(money(dec("-0.005")), "-0.01");
        assert_eq!(money(dec("2.675")), "2.68");
        assert_eq!(money(dec("1.0000")), "1.00");
    }

    #[test]
    fn quantity_has_two_to_four_decimals() {
        assert_eq!(quantity(dec("12")), "12.00");
        assert_eq!(quantity(dec("254.25")), "254.25");
        assert_eq!(quantity(dec("254.2500")), "254.25");
        assert_eq!(quantity(dec("3.2258")), "3.2258");
        assert_eq!(quantity(dec("3.22580")), "3.2258");
        assert_eq!(quantity(dec("2.125")), "2.125");
        assert_eq!(quantity(dec("0.5")), "0.50");
        assert_eq!(quantity(dec("-0.5")), "-0.50");
        assert_eq!(quantity(dec("0.0000")), "0.00");
        // Defensive: more than four decimals are rounded to four.
        assert_eq!(quantity(dec("1.23456")), "1.2346");
    }

    #[test]
    fn exact_figures_have_at_most_four_decimals() {
        assert_eq!(exact(Exact::new(915300, 1)), "915300");
        assert_eq!(exact(Exact::new(1, 3)), "0.3333");
        assert_eq!(exact(Exact::new(1, 4)), "0.25");
        assert_eq!(exact(Exact::new(-5, 2)), "-2.5");
    }

    #[test]
    fn amounts_in_swedish_format() {
        assert_eq!(kr(dec("-0.5")), "-0,50 kr");
        assert_eq!(kr(dec("1234567.8")), "1 234 567,80 kr");
        assert_eq!(kr(dec("-1234567.8")), "-1 234 567,80 kr");
        assert_eq!(kr(dec("123565.5")), "123 565,50 kr");
        assert_eq!(kr(dec("-23247.70")), "-23 247,70 kr");
        assert_eq!(kr(dec("1463144")), "1 463 144,00 kr");
        assert_eq!(kr(dec("999.999")), "1 000,00 kr");
        assert_eq!(kr(dec("100")), "100,00 kr");
        assert_eq!(kr(dec("0")), "0,00 kr");
        assert_eq!(kr(dec("-0.001")), "0,00 kr");
    }

    #[test]
    fn quantities_in_swedish_format() {
        assert_eq!(swedish(&quantity(dec("254.25"))), "254,25");
        assert_eq!(swedish(&quantity(dec("3.2258"))), "3,2258");
        assert_eq!(swedish(&quantity(dec("2286.2367"))), "2 286,2367");
        assert_eq!(swedish(&quantity(dec("12"))), "12,00");
    }

    #[test]
    fn thousands_and_seconds() {
        assert_eq!(group_thousands("1"), "1");
        assert_eq!(group_thousands("123"), "123");
        assert_eq!(group_thousands("1234"), "1 234");
        assert_eq!(group_thousands("123456"), "123 456");
        assert_eq!(group_thousands("1234567"), "1 234 567");
        assert_eq!(hms(0), "0:00:00");
        assert_eq!(hms(1800), "0:30:00");
        assert_eq!(hms(90061), "25:01:01");
        assert_eq!(hms(-59), "-0:00:59");
    }
}
