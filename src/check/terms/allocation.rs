//! `fördelning`: a fund shared out among providers by their customers on a
//! basis date.

use chrono::{Datelike, NaiveDate};

use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::Error;
use crate::check::types::Ctx;
use crate::check::units::Unit;

impl Checker<'_> {
    pub(in crate::check) fn allocation(&mut self, a: &ast::Allocation) -> Option<Term> {
        let errors_before = self.error_count();
        let amount = self.constant(&a.amount);
        if let Some((v, u)) = amount
            && (u != Unit::KR || !v.is_integer() || v < Exact::from_integer(0))
        {
            self.err(a.amount.span, Error::FundNotWholeKronor);
        }
        let month = NaiveDate::parse_from_str(&format!("{}-01", a.month.node), "%Y-%m-%d").ok();
        if month.is_none() {
            self.err(
                a.month.span,
                Error::NotAMonth {
                    text: a.month.node.clone(),
                },
            );
        }
        let basis = self.date(&a.basis_date);
        if let (Some(m), Some(v)) = (month, self.validity)
            && (m < v.0.with_day(1).unwrap_or(v.0) || m > v.1)
        {
            self.err(
                a.month.span,
                Error::FundOutsideValidity {
                    month: a.month.node.clone(),
                    from: v.0,
                    to: v.1,
                },
            );
        }
        let filter = a.filter.as_ref().and_then(|c| self.cond(c, Ctx::Customer));
        if a.tie_break.node != "utförare" {
            self.err(
                a.tie_break.span,
                Error::UnknownTieBreak {
                    written: a.tie_break.node.clone(),
                },
            );
        }
        if !self.declare_checked(&a.name, None, errors_before) {
            return None;
        }
        let month = month?;
        Some(self.term(
            &a.name,
            &a.label,
            a.span,
            TermKind::Allocation(Allocation {
                amount: amount?.0.to_integer(),
                year: chrono::Datelike::year(&month),
                month: chrono::Datelike::month(&month),
                basis_date: basis?,
                filter,
            }),
        ))
    }
}
