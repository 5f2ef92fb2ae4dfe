//! `fördelning`: a fund shared out among providers by their customers on a
//! basis date.

use chrono::{Datelike, NaiveDate};

use crate::syntax as ast;

use crate::check::checker::{Checker, Ctx};
use crate::check::contract::*;
use crate::check::error::{CheckError, CheckKind};
use crate::check::units::Unit;

impl Checker<'_> {
    pub(in crate::check) fn allocation(&mut self, a: &ast::Allocation) -> Option<Term> {
        let errors_before = self.error_count();
        let amount = self.quantity(&a.amount.node, a.amount.span);
        if let Some((v, u)) = amount
            && (u != Unit::KR || !v.is_integer() || v < Exact::from_integer(0))
        {
            self.err(
                CheckError::new(
                    CheckKind::UnitMismatch,
                    a.amount.span,
                    "a fund is a whole number of kronor",
                )
                .help("write e.g. `fördela 6 642 095 kr`"),
            );
        }
        let month = NaiveDate::parse_from_str(&format!("{}-01", a.month.node), "%Y-%m-%d").ok();
        if month.is_none() {
            self.err(
                CheckError::new(
                    CheckKind::InvalidDate,
                    a.month.span,
                    format!("`{}` is not a month", a.month.node),
                )
                .help("write the month as YYYY-MM, e.g. 2024-06"),
            );
        }
        let basis = self.date(&a.basis_date);
        if let (Some(m), Some(v)) = (month, self.validity)
            && (m < v.0.with_day(1).unwrap_or(v.0) || m > v.1)
        {
            self.err(
                CheckError::new(
                    CheckKind::Unreachable,
                    a.month.span,
                    format!("{} is outside the contract's validity ({} – {}): the fund is never paid", a.month.node, v.0, v.1),
                )
                .label("never paid")
                .help("pay the fund in a month of the validity, or move it to the contract version valid then")
                .warning(),
            );
        }
        let filter = a.filter.as_ref().and_then(|c| self.cond(c, Ctx::Customer));
        if a.tie_break.node != "utförare" {
            self.err(
                CheckError::new(
                    CheckKind::UnknownName,
                    a.tie_break.span,
                    format!(
                        "remainder ties can be broken by `utförare`, not `{}`",
                        a.tie_break.node
                    ),
                )
                .help("write `lika rest efter utförare`"),
            );
        }
        let declared = self.declare_term(&a.name, None);
        if self.error_count() > errors_before || !declared {
            return None;
        }
        let month = month?;
        Some(Term {
            name: a.name.node.clone(),
            label: a.label.node.clone(),
            source: self.sref(a.span),
            kind: TermKind::Allocation(Allocation {
                amount: amount?.0.to_integer(),
                year: chrono::Datelike::year(&month),
                month: chrono::Datelike::month(&month),
                basis_date: basis?,
                filter,
            }),
        })
    }
}
