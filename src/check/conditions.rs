//! Conditions (`där`, `kräver`, `villkor`, `ersätter … när`): comparisons,
//! set tests, named conditions and the reasons a failed one gives.

use crate::data::{ActivitySet, Code, CodeColumn};
use crate::syntax::{self as ast, Spanned};

use super::checker::{Checker, Ctx};
use super::contract::*;
use super::error::{CheckError, CheckKind};
use super::expr::Ty;

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
                reason: reason.node.clone(),
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
                    reason: decl.reason.node.clone(),
                    source: self.sref(decl.span),
                }])
            }
            (None, _) => {
                self.err(
                    CheckError::new(
                        CheckKind::Misplaced,
                        r.span,
                        "say why a row that fails this is not paid",
                    )
                    .label("no reason")
                    .help("add `annars \"reason\"`, or name a `villkor` that has one"),
                );
                None
            }
        }
    }

    pub(super) fn unknown_condition(&mut self, name: &ast::Ident) {
        let names: Vec<String> = self.conditions.keys().cloned().collect();
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            name.span,
            format!("no condition `{}` is declared", name.node),
        )
        .label("unknown condition");
        e = e.suggest_or(
            &name.node,
            names.iter().map(String::as_str),
            format!("declare it: `villkor {}: … annars \"reason\"`", name.node),
        );
        self.err(e);
    }

    pub(super) fn named_condition(&mut self, decl: &ast::ConditionDecl, ctx: Ctx) -> Option<Cond> {
        if self.resolving.contains(&decl.name.node) {
            self.err(
                CheckError::new(
                    CheckKind::Order,
                    decl.name.span,
                    format!("the condition `{}` refers to itself", decl.name.node),
                )
                .help("a condition cannot be defined by itself; break the circle"),
            );
            return None;
        }
        self.used.insert(decl.name.node.clone());
        self.resolving.push(decl.name.node.clone());
        let c = self.cond(&decl.cond, ctx);
        self.resolving.pop();
        c
    }

    pub(super) fn cond(&mut self, c: &ast::Cond, ctx: Ctx) -> Option<Cond> {
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
                if f != Field::Code(CodeColumn::Activities) {
                    self.err(
                        CheckError::new(
                            CheckKind::TypeMismatch,
                            field.span,
                            format!("`{}` is not a set of codes", field.node),
                        )
                        .help("`har` tests the visit's `activities`"),
                    );
                    return None;
                }
                let set = |this: &mut Self, ids: &[ast::Ident]| -> Option<ActivitySet> {
                    let mut s = ActivitySet::default();
                    for id in ids {
                        s.insert(this.code_value(CodeColumn::Activities, id)?);
                    }
                    Some(s)
                };
                match test {
                    ast::HasKind::One(id) => Cond::HasAny(set(self, std::slice::from_ref(id))?),
                    ast::HasKind::Any(ids) => Cond::HasAny(set(self, ids)?),
                    ast::HasKind::Only(ids) => Cond::HasOnly(set(self, ids)?),
                }
            }
            ast::CondKind::Within { value, from, to } => {
                let (v, tv) = self.expr(value, ctx)?;
                let (f, tf) = self.expr(from, ctx)?;
                let (t, tt) = self.expr(to, ctx)?;
                for (ty, e) in [(tv, value), (tf, from), (tt, to)] {
                    if ty != Ty::Date {
                        self.type_error(e.span, ty, "a date");
                        return None;
                    }
                }
                Cond::Within(v, f, t)
            }
            ast::CondKind::Compare { left, op, right } => {
                let (l, tl) = self.expr(left, ctx)?;
                // A bare name on the right of a code is one of its values.
                let (r, tr) = match (&tl, &right.node) {
                    (Ty::Code(col), ast::ExprKind::Name(id))
                        if CodeColumn::from_column(&id.node).is_none() =>
                    {
                        let code = self.code_value(*col, id)?;
                        (Expr::Code(*col, code), Ty::Code(*col))
                    }
                    (Ty::Class(i), ast::ExprKind::Name(id)) => {
                        let class = &self.classes[*i as usize];
                        match class.values.iter().position(|v| *v == id.node) {
                            Some(code) => {
                                (Expr::Code(CodeColumn::Kind, code as Code), Ty::Class(*i))
                            }
                            None => {
                                let values = class.values.clone();
                                let mut e = CheckError::new(
                                    CheckKind::UnknownName,
                                    id.span,
                                    format!(
                                        "`{}` is not a value of the class `{}`",
                                        id.node, class.name
                                    ),
                                );
                                e = e.suggest_or(
                                    &id.node,
                                    values.iter().map(String::as_str),
                                    format!("its values: {}", values.join(", ")),
                                );
                                self.err(e);
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
                    let (msg, kind) = match (tl, tr) {
                        (Ty::Num(a), Ty::Num(b)) => (
                            format!("cannot compare {a} with {b}"),
                            CheckKind::UnitMismatch,
                        ),
                        _ => (
                            format!("cannot compare {} with {}", tl.describe(), tr.describe()),
                            CheckKind::TypeMismatch,
                        ),
                    };
                    self.err(
                        CheckError::new(kind, c.span, msg)
                            .label("different kinds")
                            .help("compare like with like: a code with one of its values, a date with a date, hours with hours"),
                    );
                    return None;
                }
                if matches!(
                    tl,
                    Ty::Code(_) | Ty::Class(_) | Ty::Bool | Ty::Set | Ty::Text
                ) && !matches!(op, Cmp::Eq | Cmp::Ne)
                {
                    self.err(
                        CheckError::new(
                            CheckKind::TypeMismatch,
                            c.span,
                            format!("{} has no order", tl.describe()),
                        )
                        .help("use = or ≠"),
                    );
                    return None;
                }
                Cond::Compare(l, op, r)
            }
            ast::CondKind::Exists(e) => {
                let (x, _) = self.expr(e, ctx)?;
                if !matches!(x, Expr::Lookup(_)) {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            e.span,
                            "`finns` asks whether a table has a value",
                        )
                        .help("write e.g. `standardtid[activity] finns`"),
                    );
                    return None;
                }
                Cond::Exists(x)
            }
            ast::CondKind::InTerm(id) => {
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
                    self.type_error(id.span, ty, "ja/nej or a condition");
                    return None;
                }
                Cond::Compare(e, Cmp::Eq, Expr::Bool(true))
            }
        })
    }

    pub(super) fn code_value(&mut self, col: CodeColumn, id: &ast::Ident) -> Option<Code> {
        if let Some(i) = self.code_index(col, &id.node) {
            return Some(i as Code);
        }
        let values = self
            .codes
            .values(col)
            .map(|v| v.to_vec())
            .unwrap_or_default();
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            id.span,
            format!("`{}` is not a declared `{}` code", id.node, col.column()),
        )
        .label("not declared");
        e = e.suggest_or(
            &id.node,
            values.iter().map(String::as_str),
            format!(
                "declared `{}` codes: {}; add it to `kod {}` if the tender has it",
                col.column(),
                values.join(", "),
                col.column()
            ),
        );
        self.err(e);
        None
    }
}
