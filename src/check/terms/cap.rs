//! `tak`: a cap on other terms, per provider and month or per customer.

use crate::syntax as ast;

use crate::check::checker::{Checker, Ctx};
use crate::check::contract::*;
use crate::check::error::{CheckError, CheckKind};
use crate::check::expr::Ty;
use crate::check::units::Unit;

impl Checker<'_> {
    pub(in crate::check) fn cap_term(&mut self, t: &ast::CapTerm) -> Option<Term> {
        let errors_before = self.error_count();
        let mut over = Vec::new();
        for o in &t.over {
            if let Some((i, src)) = self.term_ref(o) {
                if src.is_none() {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            o.span,
                            format!("`{}` is not a paying term", o.node),
                        )
                        .help("a cap applies to `moment` terms"),
                    );
                }
                over.push(i);
            }
        }
        let bound = self.expr(&t.bound, Ctx::Cap);
        let per_customer = if t.per.is_empty() {
            if let Some((_, ty)) = &bound
                && *ty != Ty::Num(Unit::KR)
            {
                self.unit_or_type(
                    t.bound.span,
                    *ty,
                    Unit::KR,
                    "a cap's bound is an amount in kr",
                );
            }
            None
        } else {
            self.cap_per_customer(t, &over, bound.as_ref().map(|b| b.1))
        };
        let declared = self.declare_term(&t.name, None);
        if self.error_count() > errors_before || !declared {
            return None;
        }
        Some(Term {
            name: t.name.node.clone(),
            label: t.label.node.clone(),
            source: self.sref(t.span),
            kind: TermKind::Cap(Cap {
                over,
                bound: bound?.0,
                per_customer,
            }),
        })
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
            self.err(
                CheckError::new(CheckKind::Misplaced, t.per[0].span, "a cap is per provider and month, or `per kund`")
                    .help("write `per kund` (and the fields its lines are kept by, e.g. `per kund och zone`)"),
            );
            return None;
        }
        let [term] = over else {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    t.span,
                    "a cap per customer caps one term",
                )
                .help("name one term after `över`"),
            );
            return None;
        };
        let (unit, key) = self.term_info.get(term).cloned()?;
        let mut fields = Vec::new();
        for f in &t.per[1..] {
            fields.push(self.key_field(f)?.0);
        }
        if fields != key {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    t.per[0].span,
                    "a cap per customer keeps its lines by the same fields as the term it caps",
                )
                .help(format!(
                    "write `per kund{}`",
                    key.iter()
                        .map(|f| format!(" och {}", self.fname(*f)))
                        .collect::<String>()
                )),
            );
            return None;
        }
        match bound {
            Some(Ty::Num(u)) if u == unit => Some(fields),
            Some(ty) => {
                self.unit_or_type(
                    t.bound.span,
                    ty,
                    unit,
                    "a cap per customer bounds the capped term's quantity (e.g. hours), whose excess is priced at its rate",
                );
                None
            }
            None => None,
        }
    }
}
