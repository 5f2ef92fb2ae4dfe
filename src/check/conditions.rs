//! Conditions (`där`, `kräver`, `villkor`, `ersätter … när`): comparisons,
//! set tests, named conditions and the reasons a failed one gives.

use crate::data::{ActivitySet, Code};
use crate::syntax::{self as ast, Spanned};

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::{Error, Want};
use super::error::suggest;
use super::types::Ctx;
use super::types::Ty;

impl Checker<'_> {
    pub(super) fn requirement(
        &mut self,
        r: &ast::Requirement,
        ctx: Ctx,
    ) -> Option<Vec<Requirement>> {
        let source = self.sref(r.span);
        match (&r.reason, &r.cond.node) {
            (Some(reason), _) => Some(vec![Requirement {
                cond: self.cond(&r.cond, ctx)?,
                reason: self.cited(reason),
                source,
            }]),
            (None, ast::CondKind::Ref(name)) => {
                let decl = match self.conditions.get(&name.node) {
                    Some(d) => *d,
                    None => {
                        self.unknown_condition(name);
                        return None;
                    }
                };
                let cond = self.named_condition(decl, ctx)?;
                Some(vec![Requirement {
                    cond,
                    reason: self.cited(&decl.reason),
                    source: self.sref(decl.span),
                }])
            }
            (None, _) => {
                self.err(r.span, Error::NoReason);
                None
            }
        }
    }

    pub(super) fn unknown_condition(&mut self, name: &ast::Ident) {
        let names: Vec<String> = self.conditions.keys().cloned().collect();
        let suggestion = suggest(&name.node, names.iter().map(String::as_str));
        self.err(
            name.span,
            Error::UnknownCondition {
                name: name.node.clone(),
                suggestion,
            },
        );
    }

    pub(super) fn named_condition(&mut self, decl: &ast::ConditionDecl, ctx: Ctx) -> Option<Cond> {
        if self.resolving.contains(&decl.name.node) {
            self.err(
                decl.name.span,
                Error::SelfReference {
                    name: decl.name.node.clone(),
                    term: false,
                },
            );
            return None;
        }
        self.used.insert(decl.name.node.clone());
        self.resolving.push(decl.name.node.clone());
        let c = self.cond(&decl.cond, ctx);
        self.resolving.pop();
        c
    }

    /// A condition, one level below the one that holds it; a named
    /// condition (`Ref`) is no level of its own, its definition is.
    pub(super) fn cond(&mut self, c: &ast::Cond, ctx: Ctx) -> Option<Cond> {
        if matches!(c.node, ast::CondKind::Ref(_)) {
            return self.cond_here(c, ctx);
        }
        self.nested(c.span, |this| this.cond_here(c, ctx))
    }

    fn cond_here(&mut self, c: &ast::Cond, ctx: Ctx) -> Option<Cond> {
        Some(match &c.node {
            ast::CondKind::Or(parts) => Cond::Or(
                parts
                    .iter()
                    .map(|p| self.cond(p, ctx))
                    .collect::<Option<_>>()?,
            ),
            ast::CondKind::And(parts) => Cond::And(
                parts
                    .iter()
                    .map(|p| self.cond(p, ctx))
                    .collect::<Option<_>>()?,
            ),
            ast::CondKind::Not(inner) => Cond::Not(Box::new(self.cond(inner, ctx)?)),
            ast::CondKind::Has { field, test } => {
                let f = self.field(field, ctx)?;
                let Field::Declared(file, slot) = f else {
                    self.err(
                        field.span,
                        Error::NotASet {
                            name: field.node.clone(),
                        },
                    );
                    return None;
                };
                if !matches!(
                    self.declared_at(file, slot).map(|d| &d.column.kind),
                    Some(crate::data::ColumnKind::Codes(_))
                ) {
                    self.err(
                        field.span,
                        Error::NotASet {
                            name: field.node.clone(),
                        },
                    );
                    return None;
                }
                let set = |this: &mut Self, ids: &[ast::Ident]| -> Option<ActivitySet> {
                    let mut s = ActivitySet::default();
                    for id in ids {
                        s.insert(this.code_value(f, id)?);
                    }
                    Some(s)
                };
                match test {
                    ast::HasKind::One(id) => Cond::HasAny(f, set(self, std::slice::from_ref(id))?),
                    ast::HasKind::Any(ids) => Cond::HasAny(f, set(self, ids)?),
                    ast::HasKind::Only(ids) => Cond::HasOnly(f, set(self, ids)?),
                }
            }
            ast::CondKind::Within { value, from, to } => {
                let (v, tv) = self.expr(value, ctx)?;
                let (f, tf) = self.expr(from, ctx)?;
                let (t, tt) = self.expr(to, ctx)?;
                for (ty, e) in [(tv, value), (tf, from), (tt, to)] {
                    if ty != Ty::Date {
                        self.type_error(e.span, ty, Want::Date);
                        return None;
                    }
                }
                Cond::Within(v, f, t)
            }
            ast::CondKind::Compare { left, op, right } => {
                let (l, tl) = self.expr(left, ctx)?;
                // A bare name on the right of a code is one of its values.
                let (r, tr) = match (&tl, &right.node) {
                    (Ty::Field(file, slot), ast::ExprKind::Name(id))
                        if self.declared_field(&id.node).is_none() =>
                    {
                        let of = Field::Declared(*file, *slot);
                        let code = self.code_value(of, id)?;
                        (Expr::Code(code), tl)
                    }
                    // `band = natt`: a band of that set (the start's, or
                    // a second's where the term splits time by the set).
                    (Ty::Text, ast::ExprKind::Name(id))
                        if matches!(l, Expr::Field(Field::Band(_))) =>
                    {
                        let Expr::Field(f) = l else { unreachable!() };
                        let code = self.code_value(f, id)?;
                        (Expr::Code(code), tl)
                    }
                    (Ty::Class(i), ast::ExprKind::Name(id)) => {
                        let class = &self.classes[*i as usize];
                        match class.values.iter().position(|v| *v == id.node) {
                            Some(code) => (Expr::Code(code as Code), Ty::Class(*i)),
                            None => {
                                let error = Error::UnknownClassValue {
                                    value: id.node.clone(),
                                    class: class.name.clone(),
                                    values: class.values.clone(),
                                    suggestion: suggest(
                                        &id.node,
                                        class.values.iter().map(String::as_str),
                                    ),
                                };
                                self.err(id.span, error);
                                return None;
                            }
                        }
                    }
                    _ => self.expr(right, ctx)?,
                };
                let op = match op {
                    ast::CmpOp::Eq => Cmp::Eq,
                    ast::CmpOp::Ne => Cmp::Ne,
                    ast::CmpOp::Lt => Cmp::Lt,
                    ast::CmpOp::Le => Cmp::Le,
                    ast::CmpOp::Gt => Cmp::Gt,
                    ast::CmpOp::Ge => Cmp::Ge,
                };
                let zero_literal = matches!(&r, Expr::Num(n) if *n == Exact::from_integer(0));
                let compatible = tl == tr
                    || (matches!((tl, tr), (Ty::Num(_), Ty::Num(u)) if u.is_none() && zero_literal));
                if !compatible {
                    let error = match (tl, tr) {
                        (Ty::Num(left), Ty::Num(right)) => {
                            Error::CannotCompareUnits { left, right }
                        }
                        (left, right) => Error::CannotCompare {
                            left: self.describe(left),
                            right: self.describe(right),
                        },
                    };
                    self.err(c.span, error);
                    return None;
                }
                if matches!(
                    tl,
                    Ty::Class(_) | Ty::Field(..) | Ty::Bool | Ty::Set(..) | Ty::Text
                ) && !matches!(op, Cmp::Eq | Cmp::Ne)
                {
                    let ty = self.describe(tl);
                    self.err(c.span, Error::NoOrder { ty });
                    return None;
                }
                Cond::Compare(l, op, r)
            }
            ast::CondKind::Exists(e) => {
                let (x, _) = self.expr(e, ctx)?;
                // `frånvaro finns`: a row of the rule file's own file attaches.
                if let Expr::Field(f @ Field::Attached(_)) = x {
                    return Some(Cond::Compare(Expr::Field(f), Cmp::Eq, Expr::Bool(true)));
                }
                if !matches!(x, Expr::Lookup(_) | Expr::Field(Field::Declared(..))) {
                    self.err(e.span, Error::FinnsNotLookup);
                    return None;
                }
                Cond::Exists(x)
            }
            ast::CondKind::NoRows(id) => return self.no_rows(id, ctx),
            ast::CondKind::At { end, test } => return self.at_cond(c, *end, test, ctx),
            ast::CondKind::InTerm(id) => {
                if !self.all_terms.contains(&id.node)
                    && self.bands.iter().any(|b| b.values.contains(&id.node))
                {
                    let value = id.node.clone();
                    self.err(
                        id.span,
                        Error::Band(super::band_error::BandError::BandNotTerm { value }),
                    );
                    return None;
                }
                let (i, _) = self.term_ref(id)?;
                Cond::InTerm(i)
            }
            ast::CondKind::Ref(id) => {
                if let Some(decl) = self.conditions.get(&id.node).copied() {
                    return self.named_condition(decl, ctx);
                }
                let (e, ty) =
                    self.expr(&Spanned::new(ast::ExprKind::Name(id.clone()), id.span), ctx)?;
                if ty != Ty::Bool {
                    self.type_error(id.span, ty, Want::BoolOrCondition);
                    return None;
                }
                Cond::Compare(e, Cmp::Eq, Expr::Bool(true))
            }
        })
    }

    /// A code of field `f` by name (a code field, the set activity rows
    /// come from, or `activity`), or an error naming its values.
    pub(super) fn code_value(&mut self, f: Field, id: &ast::Ident) -> Option<Code> {
        let values = self.code_values(f);
        if let Some(i) = values.iter().position(|v| *v == id.node) {
            return Some(i as Code);
        }
        let suggestion = suggest(&id.node, values.iter().map(String::as_str));
        self.err(
            id.span,
            Error::UnknownCode {
                value: id.node.clone(),
                column: self.fname(f),
                values,
                suggestion,
            },
        );
        None
    }
}
