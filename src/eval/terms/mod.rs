//! One home per kind of term, for the step from exact sums to lines: a
//! paying term's line (`pay`), a cap (`cap`), a supplement (`supplement`),
//! a fund shared by largest remainder (`allocation`), and a term that
//! replaces another per customer (`replace`). `super::statements` asks
//! each in tender order.

pub mod allocation;
pub mod cap;
pub mod pay;
pub mod replace;
pub mod supplement;

use std::collections::HashMap;

use crate::check::Exact;

/// The rounded sums of the terms priced so far in a provider-month: what a
/// cap or supplement reads.
pub type TermSums = HashMap<usize, Exact>;

pub fn zero() -> Exact {
    Exact::from_integer(0)
}

/// Adds a line's rounded amount to its term's sum.
pub fn add_to(sums: &mut TermSums, t: usize, amount: rust_decimal::Decimal) {
    let s = sums.entry(t).or_insert(zero());
    *s = super::overflow::add(*s, super::round::exact_of(amount));
}
