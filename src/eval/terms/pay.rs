//! A paying term's line: Σ quantity × rate of one key, rounded once.

use rust_decimal::Decimal;

use crate::check::{Contract, Exact, Measure, PayTerm, Term, units::Unit};
use crate::data::Cell;

use super::super::ctx::{KeyCtx, KeyVals};
use super::super::overflow;
use super::super::round::round_half_away;
use super::super::statement::{KeyPart, Line, Working};
use super::super::value::num;

/// The term's rate for one key of a provider's line.
pub fn rate(pt: &PayTerm, k: KeyVals, provider: &[Cell]) -> Exact {
    num(
        &pt.rate,
        &KeyCtx {
            key: &pt.key,
            vals: k,
            numeric: pt.numeric_keys,
            provider,
        },
    )
}

/// The line of `term` for key `k`: quantity `q` at `rate`, `amount` the
/// rounded product; `None` when it rounds to nothing.
pub fn line(
    contract: &Contract,
    term: &Term,
    pt: &PayTerm,
    k: &KeyVals,
    q: Exact,
    rate: Exact,
) -> (Decimal, Option<Line>) {
    let product = overflow::mul(q, rate);
    let amount = round_half_away(product, 2);
    if amount.is_zero() {
        return (amount, None);
    }
    (
        amount,
        Some(line_of(contract, term, pt, k, q, rate, product, amount)),
    )
}

/// A line of a paying term's shape (also a per-customer cap's, which is
/// priced at the capped term's rate).
#[allow(clippy::too_many_arguments)]
pub fn line_of(
    contract: &Contract,
    term: &Term,
    pt: &PayTerm,
    k: &KeyVals,
    q: Exact,
    rate: Exact,
    product: Exact,
    amount: Decimal,
) -> Line {
    let key = pt
        .key
        .iter()
        .zip(k)
        .map(|(f, v)| KeyPart {
            field: *f,
            name: contract.field_name(*f),
            value: contract.value_name(*f, *v),
        })
        .collect();
    let seconds = match pt.quantity.measure() {
        Some(Measure::PaidTime | Measure::Duration) if pt.quantity_unit == Unit::H => {
            Some(overflow::mul(q, Exact::from_integer(3600)))
        }
        _ => None,
    };
    Line {
        term: term.name.clone(),
        label: term.label.clone(),
        key,
        quantity: round_half_away(q, 4).normalize(),
        unit: pt.quantity_unit.to_string(),
        rate: round_half_away(rate, 2),
        rate_unit: pt.rate_unit.to_string(),
        amount,
        source: term.source.clone(),
        working: Working::Product {
            quantity: q,
            unit: pt.quantity_unit.to_string(),
            rate,
            rate_unit: pt.rate_unit.to_string(),
            seconds,
            product,
        },
        details: Vec::new(),
    }
}
