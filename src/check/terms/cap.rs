//! `tak`: a cap on other terms, per provider and month or per customer.

use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::{AmountOf, Error};
use crate::check::month_error::MonthError;
use crate::check::types::Ctx;
use crate::check::types::Ty;

impl Checker<'_> {
    pub(in crate::check) fn cap_term(&mut self, t: &ast::CapTerm) -> Option<Term> {
        let errors_before = self.error_count();
        let mut over = Vec::new();
        for o in &t.over {
            if let Some((i, src)) = self.term_ref(o) {
                if src.is_none() {
                    self.err(
                        o.span,
                        Error::CapOverNonPaying {
                            term: o.node.clone(),
                        },
                    );
                }
                over.push(i);
            }
        }
        let bound = self.expr(&t.bound, Ctx::Cap);
        let per_customer = if t.per.is_empty() {
            self.amount_in_kr(t.bound.span, &bound, AmountOf::CapBound);
            None
        } else {
            self.cap_per_customer(t, &over, bound.as_ref().map(|b| b.1))
        };
        if !self.declare_checked(&t.name, None, errors_before) {
            return None;
        }
        Some(self.term(
            &t.name,
            &t.label,
            t.span,
            TermKind::Cap(Cap {
                over,
                bound: bound?.0,
                per_customer,
            }),
        ))
    }

    /// `per kund och zone`: one capped term, lines kept by the same fields,
    /// a bound in the term's quantity unit.
    pub(in crate::check) fn cap_per_customer(
        &mut self,
        t: &ast::CapTerm,
        over: &[usize],
        bound: Option<Ty>,
    ) -> Option<Vec<Field>> {
        if t.per[0].node != "kund" {
            self.err(t.per[0].span, Error::CapPerNotCustomer);
            return None;
        }
        let [term] = over else {
            self.err(t.span, Error::CapPerCustomerTerms);
            return None;
        };
        if self.terms[*term].1 == Some(RowSource::ProviderMonths) {
            let name = self.terms[*term].0.clone();
            self.err(
                t.per[0].span,
                Error::Month(MonthError::CapPerCustomerOverProviderMonths { term: name }),
            );
            return None;
        }
        let (unit, key) = self.term_info.get(term).cloned()?;
        let mut fields = Vec::new();
        for f in &t.per[1..] {
            fields.push(self.key_field(f)?.0);
        }
        if fields != key {
            self.err(
                t.per[0].span,
                Error::CapPerCustomerKey {
                    key: key.iter().map(|f| self.fname(*f)).collect(),
                },
            );
            return None;
        }
        match bound {
            Some(Ty::Num(u)) if u == unit => Some(fields),
            Some(ty) => {
                self.unit_or_type(t.bound.span, ty, unit, AmountOf::CapPerCustomer);
                None
            }
            None => None,
        }
    }
}
