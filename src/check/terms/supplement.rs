//! `tillägg`: a line computed from other terms' lines (e.g. a VAT
//! compensation on a private provider's month).

use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::{AmountOf, Error};
use crate::check::types::Ctx;

impl Checker<'_> {
    pub(in crate::check) fn supplement(&mut self, t: &ast::Supplement) -> Option<Term> {
        let errors_before = self.error_count();
        let filter = t.filter.as_ref().and_then(|c| self.cond(c, Ctx::Provider));
        let amount = self.expr(&t.pay, Ctx::Cap);
        if let Some((e, _)) = &amount
            && has_day_sum(e)
        {
            self.err(t.pay.span, Error::SupplementFromDaySums);
        }
        self.amount_in_kr(t.pay.span, &amount, AmountOf::Supplement);
        if !self.declare_checked(&t.name, None, errors_before) {
            return None;
        }
        Some(self.term(
            &t.name,
            &t.label,
            t.span,
            TermKind::Supplement(Supplement {
                filter,
                amount: amount?.0,
            }),
        ))
    }
}

fn has_day_sum(e: &Expr) -> bool {
    match e {
        Expr::SumDays { .. } => true,
        Expr::Binary(_, l, r) => has_day_sum(l) || has_day_sum(r),
        _ => false,
    }
}
