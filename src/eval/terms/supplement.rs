//! A supplement (`tillägg`): an amount computed from other terms' rounded
//! lines, such as VAT on the provider-month's lines.

use rust_decimal::Decimal;

use crate::check::{Contract, Exact, Expr, Op, Supplement, Term};
use crate::data::Cell;

use super::super::attached::Attach;
use super::super::ctx::SumCtx;
use super::super::round::{exact_of, round_half_away};
use super::super::statement::{Line, Working};
use super::super::value::{holds, num};
use super::{TermSums, zero};

/// The supplement's rounded amount and line (none when it does not apply
/// or rounds to nothing).
pub fn line(
    contract: &Contract,
    term: &Term,
    s: &Supplement,
    sums: &TermSums,
    provider: &[Cell],
    attach: Attach,
) -> Option<(Decimal, Option<Line>)> {
    let day_sums = |_: usize| zero();
    let ctx = SumCtx {
        term_sums: sums,
        day_sums: &day_sums,
        own: zero(),
        provider,
        attach,
    };
    if !s.filter.as_ref().is_none_or(|f| holds(f, &ctx)) {
        return None;
    }
    let amount = round_half_away(num(&s.amount, &ctx), 2);
    if amount.is_zero() {
        return Some((amount, None));
    }
    // Shown as base × share when the tender's form is `share × summa …`.
    let (base, share) = match &s.amount {
        Expr::Binary(Op::Mul, a, b) => match (a.as_ref(), b.as_ref()) {
            (Expr::Num(f), x) | (x, Expr::Num(f)) => (num(x, &ctx), *f),
            _ => (exact_of(amount), Exact::from_integer(1)),
        },
        _ => (exact_of(amount), Exact::from_integer(1)),
    };
    Some((
        amount,
        Some(Line {
            term: term.name.clone(),
            label: term.label.clone(),
            key: Vec::new(),
            quantity: round_half_away(base, 4).normalize(),
            unit: "kr".into(),
            rate: round_half_away(share, 4).normalize(),
            rate_unit: String::new(),
            amount,
            source: term.source.clone(),
            working: Working::Share {
                base,
                share,
                over: summed(&s.amount)
                    .into_iter()
                    .filter_map(|t| contract.terms.get(t).map(|t| t.name.clone()))
                    .collect(),
            },
            details: Vec::new(),
        }),
    ))
}

/// The terms an amount sums the lines of, in the order it names them.
fn summed(e: &Expr) -> Vec<usize> {
    match e {
        Expr::SumTerms(t) => t.clone(),
        Expr::Binary(_, a, b) => {
            let mut out = summed(a);
            out.extend(summed(b));
            out
        }
        _ => Vec::new(),
    }
}
