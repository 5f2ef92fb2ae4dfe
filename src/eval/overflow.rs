//! Exact arithmetic that notices when a value outgrows its integers.
//!
//! Quantities, rates and amounts are exact fractions of `i128` ([`Exact`]),
//! and amounts become [`Decimal`]s of at most 96 bits. A contract with absurd
//! numbers (a rate of 10^25 kr/h, a product of large literals) or data of
//! absurd precision (hours with 18 decimals times a rate with 12) can outgrow
//! them, and the plain operators then panic (debug builds, `Decimal`) or wrap
//! into wrong amounts (release builds). The evaluator's arithmetic goes
//! through these functions instead: an overflow is noted and the operation
//! yields zero, and a pay run that noted one stops with
//! [`super::EvalError::Overflow`] rather than pay a wrong amount.

use std::cell::Cell;

use num_traits::{CheckedAdd, CheckedMul, CheckedSub};
use rust_decimal::Decimal;

use crate::check::Exact;

thread_local! {
    static OVERFLOWED: Cell<bool> = const { Cell::new(false) };
}

/// Notes an overflow; the pay run under [`watch`] will fail.
pub fn note() {
    OVERFLOWED.set(true);
}

fn ok(r: Option<Exact>) -> Exact {
    r.unwrap_or_else(|| {
        note();
        Exact::from_integer(0)
    })
}

pub fn add(a: Exact, b: Exact) -> Exact {
    ok(a.checked_add(&b))
}

pub fn sub(a: Exact, b: Exact) -> Exact {
    ok(a.checked_sub(&b))
}

pub fn mul(a: Exact, b: Exact) -> Exact {
    ok(a.checked_mul(&b))
}

/// `a / b`; the caller decides what dividing by zero means.
pub fn div(a: Exact, b: Exact) -> Exact {
    ok(num_traits::CheckedDiv::checked_div(&a, &b))
}

pub fn sum(values: impl IntoIterator<Item = Exact>) -> Exact {
    values.into_iter().fold(Exact::from_integer(0), add)
}

/// `a + b` for money already rounded.
pub fn add_dec(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or_else(|| {
        note();
        Decimal::ZERO
    })
}

pub fn sub_dec(a: Decimal, b: Decimal) -> Decimal {
    a.checked_sub(b).unwrap_or_else(|| {
        note();
        Decimal::ZERO
    })
}

/// Runs `f` and tells whether any arithmetic in it overflowed.
pub fn watch<T>(f: impl FnOnce() -> T) -> (T, bool) {
    let outer = OVERFLOWED.replace(false);
    let r = f();
    (r, OVERFLOWED.replace(outer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_noted_and_yields_zero() {
        let big = Exact::from_integer(i128::MAX / 2);
        let (v, overflowed) = watch(|| mul(big, Exact::from_integer(3)));
        assert!(overflowed);
        assert_eq!(v, Exact::from_integer(0));
        let (v, overflowed) = watch(|| add(big, Exact::new(1, 3)));
        assert!(overflowed, "the common denominator overflows");
        assert_eq!(v, Exact::from_integer(0));
    }

    #[test]
    fn exact_results_are_unchanged() {
        let (v, overflowed) = watch(|| {
            sub(
                add(Exact::new(1, 3), Exact::new(1, 6)),
                mul(Exact::new(1, 4), div(Exact::new(2, 1), Exact::new(4, 1))),
            )
        });
        assert!(!overflowed);
        assert_eq!(v, Exact::new(3, 8));
        assert_eq!(
            sum([Exact::new(1, 2), Exact::new(1, 2)]),
            Exact::from_integer(1)
        );
    }

    #[test]
    fn watch_restores_an_outer_overflow() {
        let ((_, inner), outer) = watch(|| {
            note();
            watch(|| add(Exact::from_integer(1), Exact::from_integer(1)))
        });
        assert!(!inner);
        assert!(outer);
    }
}
