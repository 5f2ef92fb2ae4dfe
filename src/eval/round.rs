//! The two places where exact values become money: rounding a line to öre,
//! and sharing a fund by largest remainder.

use rust_decimal::Decimal;

use crate::check::Exact;

use super::overflow;

/// Rounds to `places` decimals, half away from zero (a negative value rounds
/// its magnitude), as domain.md prescribes for every line. A value a
/// `Decimal` cannot hold (2^96 units of the last place and more) is noted as
/// an overflow and rounds to zero.
pub fn round_half_away(x: Exact, places: u32) -> Decimal {
    let scale = 10u128.pow(places);
    let (num, den) = (*x.numer(), *x.denom());
    let neg = (num < 0) != (den < 0);
    let d = den.unsigned_abs();
    let Some(n) = num.unsigned_abs().checked_mul(scale) else {
        overflow::note();
        return Decimal::ZERO;
    };
    let mut q = n / d;
    // n % d < d ≤ 2^127, so twice it fits.
    if 2 * (n % d) >= d {
        q += 1;
    }
    if q >= 1 << 96 {
        overflow::note();
        return Decimal::ZERO;
    }
    let q = q as i128;
    Decimal::from_i128_with_scale(if neg { -q } else { q }, places)
}

/// Money in öre as an exact value.
pub fn exact_of(d: Decimal) -> Exact {
    Exact::new(d.mantissa(), 10i128.pow(d.scale()))
}

/// Shares `total` whole kronor in proportion to `weights`: floor each share,
/// then give the remaining kronor one by one to the largest remainders, ties
/// to the earlier entry (callers pass entries sorted by their tie-break).
pub fn largest_remainder(total: i128, weights: &[u64]) -> Vec<i128> {
    let sum: i128 = weights.iter().map(|w| *w as i128).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = weights.iter().map(|w| total * *w as i128 / sum).collect();
    let mut left = total - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Remainders compared exactly as numerators over the common `sum`.
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] as i128 % sum), i));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(n: i128, d: i128) -> Exact {
        Exact::new(n, d)
    }

    #[test]
    fn half_rounds_away_from_zero() {
        assert_eq!(round_half_away(ex(1, 200), 2).to_string(), "0.01");
        assert_eq!(round_half_away(ex(-1, 200), 2).to_string(), "-0.01");
        assert_eq!(round_half_away(ex(1, 201), 2).to_string(), "0.00");
        assert_eq!(round_half_away(ex(2, 3), 2).to_string(), "0.67");
        // 1 s at 486 kr/h = 0.135 kr exactly → 0.14
        assert_eq!(round_half_away(ex(486, 3600), 2).to_string(), "0.14");
    }

    /// A value a `Decimal` cannot hold is an overflow, not a panic (a rate
    /// of 10^25 kr/h panicked in `Decimal::from_i128_with_scale`).
    #[test]
    fn too_large_to_round_is_an_overflow() {
        let largest = (1i128 << 96) - 1;
        let (d, overflowed) = overflow::watch(|| round_half_away(ex(largest, 100), 2));
        assert!(!overflowed);
        assert_eq!(d.mantissa(), largest);
        for x in [ex(1 << 96, 100), ex(i128::MAX, 1), ex(i128::MIN + 1, 3)] {
            let (d, overflowed) = overflow::watch(|| round_half_away(x, 2));
            assert!(overflowed, "{x}");
            assert!(d.is_zero());
        }
    }

    /// The municipality's real June 2024 stimulus allocation (KSON report,
    /// 2025-02-13): 6 642 095 kr by customers with granted home care.
    #[test]
    fn june_2024_stimulus_matches_the_municipality() {
        let shares = largest_remainder(6_642_095, &[404, 297, 168, 369, 596]);
        assert_eq!(
            shares,
            vec![1_463_144, 1_075_628, 608_436, 1_336_387, 2_158_500]
        );
        assert_eq!(shares.iter().sum::<i128>(), 6_642_095);
    }

    #[test]
    fn remainder_ties_go_to_the_earlier_entry() {
        assert_eq!(largest_remainder(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(largest_remainder(5, &[0, 0]), vec![0, 0]);
    }
}
