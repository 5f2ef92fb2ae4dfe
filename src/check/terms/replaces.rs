//! `ersätter`: a visit term standing in for a customer-day term, per
//! customer, when a condition on the customer's month holds.

use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::Error;
use crate::check::types::Ctx;

impl Checker<'_> {
    pub(in crate::check) fn replaces(
        &mut self,
        r: &ast::Replaces,
        rows: RowSource,
        quantity: Option<&Expr>,
    ) -> Option<Replaces> {
        let (term, src) = self.term_ref(&r.term)?;
        let measure = quantity.and_then(Expr::measure);
        if rows != RowSource::Visits || src != Some(RowSource::CustomerDays) || measure.is_none() {
            self.err(r.span, Error::ReplacesMisplaced);
            return None;
        }
        let cond = self.cond(&r.cond, Ctx::Replace(measure?))?;
        Some(Replaces { term, cond })
    }
}
