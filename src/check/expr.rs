//! Expressions: literal numbers, names, rate lookups, arithmetic and sums,
//! each resolved to a checked [`Expr`] with its type and unit.

use num_rational::Ratio;
use rust_decimal::Decimal;

use crate::data::{ColumnKind, DataFile};
use crate::syntax::{self as ast, Span, Spanned};

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::{AmountOf, Error, Want};
use super::error::suggest;
use super::types::{Ctx, Ty};
use super::units::Unit;

fn decimal_to_exact(d: Decimal) -> Exact {
    Ratio::new(d.mantissa(), 10i128.pow(d.scale()))
}

impl Checker<'_> {
    /// A literal number in base units.
    pub(super) fn quantity(&mut self, q: &ast::QuantityLit, span: Span) -> Option<(Exact, Unit)> {
        if q.value == Decimal::MAX || q.value.scale() > 12 {
            self.err(span, Error::NumberTooLarge);
            return None;
        }
        let v = decimal_to_exact(q.value);
        match &q.unit {
            None => Some((v, Unit::NONE)),
            Some(u) => match Unit::parse(&u.node) {
                Some((unit, factor)) => Some((v * factor, unit)),
                None => {
                    self.err(
                        u.span,
                        Error::UnknownUnit {
                            unit: u.node.clone(),
                        },
                    );
                    None
                }
            },
        }
    }

    pub(super) fn type_error(&mut self, span: Span, got: Ty, want: Want) {
        let found = self.describe(got);
        self.err(span, Error::Expected { want, found });
    }

    /// A type in words, with the name of the field a code is of.
    pub(super) fn describe(&self, ty: Ty) -> String {
        let field = match ty {
            Ty::Class(i) => self.fname(Field::Class(i)),
            Ty::Field(file, slot) | Ty::Set(file, slot) => self.fname(Field::Declared(file, slot)),
            _ => String::new(),
        };
        super::words::describe(ty, &field)
    }

    /// An amount that must be in kr (a cap's bound, a supplement).
    pub(super) fn amount_in_kr(&mut self, span: Span, amount: &Option<(Expr, Ty)>, of: AmountOf) {
        if let Some((_, ty)) = amount
            && *ty != Ty::Num(Unit::KR)
        {
            self.unit_or_type(span, *ty, Unit::KR, of);
        }
    }

    pub(super) fn unit_or_type(&mut self, span: Span, got: Ty, want: Unit, why: AmountOf) {
        match got {
            Ty::Num(u) => self.err(
                span,
                Error::WrongUnit {
                    found: u,
                    want,
                    of: why,
                },
            ),
            other => self.type_error(span, other, Want::AmountIn(want)),
        }
    }

    /// An expression, one level below the one that holds it.
    pub(super) fn expr(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<(Expr, Ty)> {
        self.nested(e.span, |this| this.expr_here(e, ctx))
    }

    fn expr_here(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<(Expr, Ty)> {
        Some(match &e.node {
            ast::ExprKind::Number(q) => {
                let (v, u) = self.quantity(q, e.span)?;
                (Expr::Num(v), Ty::Num(u))
            }
            ast::ExprKind::Date(s) => {
                let d = self.date(&Spanned::new(s.clone(), e.span))?;
                (Expr::Date(d), Ty::Date)
            }
            ast::ExprKind::Bool(b) => (Expr::Bool(*b), Ty::Bool),
            ast::ExprKind::Neg(x) => {
                let (x, ty) = self.expr(x, ctx)?;
                if !matches!(ty, Ty::Num(_)) {
                    self.type_error(e.span, ty, Want::Number);
                    return None;
                }
                // `-1,5 %` is the number −0,015 (a supplement's share).
                let negated = match x {
                    Expr::Num(v) if *v.numer() != i128::MIN => Expr::Num(-v),
                    x => Expr::Binary(
                        Op::Sub,
                        Box::new(Expr::Num(Exact::from_integer(0))),
                        Box::new(x),
                    ),
                };
                (negated, ty)
            }
            ast::ExprKind::Name(id) => {
                if let Some(v) = self.value_use(id) {
                    let (v, unit) = v?;
                    return Some((Expr::Num(v), Ty::Num(unit)));
                }
                let measure = match id.node.as_str() {
                    "betald_tid" => Some((Measure::PaidTime, Unit::H, RowSource::Visits)),
                    "tid" => Some((Measure::Duration, Unit::H, RowSource::Visits)),
                    "antal" => Some((Measure::Count, Unit::ST, RowSource::Events)),
                    "dagsandel" => Some((Measure::DayShare, Unit::MONTH, RowSource::CustomerDays)),
                    _ => None,
                };
                if let Some((m, unit, home)) = measure {
                    if m == Measure::PaidTime
                        && let Some(slot) = self.staff
                    {
                        self.require_field(Field::Declared(DataFile::Visits, slot));
                    }
                    let ok = match ctx {
                        Ctx::Rows(r) => m == Measure::Count || r == home,
                        // In `ersätter … när`, the term's own measure is its
                        // quantity for the customer.
                        Ctx::Replace(own) => m == own,
                        _ => false,
                    };
                    if !ok {
                        self.err(
                            id.span,
                            Error::MeasureMisplaced {
                                name: id.node.clone(),
                                measure: m,
                            },
                        );
                        return None;
                    }
                    return Some((Expr::Measure(m), Ty::Num(unit)));
                }
                if self.rates.contains_key(&id.node) {
                    self.err(
                        id.span,
                        Error::RateNeedsKey {
                            rate: id.node.clone(),
                            keys: self.rates[&id.node]
                                .keys
                                .iter()
                                .map(|(f, _)| self.fname(*f))
                                .collect(),
                        },
                    );
                    return None;
                }
                let f = self.field(id, ctx)?;
                let ty = match f {
                    Field::Date => Ty::Date,
                    Field::VisitId | Field::EventId | Field::Start => Ty::Text,
                    Field::Activity => Ty::Field(DataFile::Visits, self.activities?),
                    Field::Class(i) => Ty::Class(i),
                    Field::Band(_) => Ty::Text,
                    Field::Attached(_) => Ty::Bool,
                    Field::Declared(file, slot) => {
                        let d = self.declared_at(file, slot)?;
                        match d.column.kind {
                            ColumnKind::Flag => Ty::Bool,
                            ColumnKind::Code(_) => Ty::Field(file, slot),
                            ColumnKind::Codes(_) => Ty::Set(file, slot),
                            ColumnKind::Integer { .. } => Ty::Num(Unit::NONE),
                            ColumnKind::Number { .. } => Ty::Num(d.unit),
                            ColumnKind::Date => Ty::Date,
                        }
                    }
                };
                (Expr::Field(f), ty)
            }
            ast::ExprKind::Lookup { table, keys } => {
                self.used.insert(table.node.clone());
                let Some(rate) = self.rates.get(&table.node) else {
                    let names: Vec<String> = self.rates.keys().cloned().collect();
                    let suggestion = suggest(&table.node, names.iter().map(String::as_str));
                    if let Some(s) = &suggestion {
                        // The misspelt use is the rate's use: no "unused"
                        // warning on top.
                        self.used.insert(s.clone());
                    }
                    self.err(
                        table.span,
                        Error::UnknownRate {
                            name: table.node.clone(),
                            suggestion,
                        },
                    );
                    return None;
                };
                let want: Vec<Field> = rate.keys.iter().map(|(f, _)| *f).collect();
                let (sizes, cells, unit) = (rate.sizes.clone(), rate.cells.clone(), rate.unit);
                let mut got = Vec::new();
                for k in keys {
                    got.push(self.field(k, ctx)?);
                }
                if got != want {
                    self.err(
                        e.span,
                        Error::WrongKeys {
                            rate: table.node.clone(),
                            keys: want.iter().map(|f| self.fname(*f)).collect(),
                        },
                    );
                    return None;
                }
                (
                    Expr::Lookup(Box::new(LookupTable {
                        keys: want,
                        sizes,
                        cells,
                    })),
                    Ty::Num(unit),
                )
            }
            ast::ExprKind::Binary { op, left, right } => {
                let (l, tl) = self.expr(left, ctx)?;
                let (r, tr) = self.expr(right, ctx)?;
                let (Ty::Num(ul), Ty::Num(ur)) = (tl, tr) else {
                    let (span, ty) = if matches!(tl, Ty::Num(_)) {
                        (right.span, tr)
                    } else {
                        (left.span, tl)
                    };
                    self.type_error(span, ty, Want::Number);
                    return None;
                };
                let unit = self.binary_unit(*op, ul, ur, e.span)?;
                let op = match op {
                    ast::BinOp::Add => Op::Add,
                    ast::BinOp::Sub => Op::Sub,
                    ast::BinOp::Mul => Op::Mul,
                    ast::BinOp::Div => Op::Div,
                    ast::BinOp::Min => Op::Min,
                    ast::BinOp::Max => Op::Max,
                };
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Num(unit))
            }
            ast::ExprKind::SumDays { filter, expr } => {
                if !matches!(ctx, Ctx::Cap | Ctx::Replace(_)) {
                    self.err(e.span, Error::DaySumMisplaced);
                    return None;
                }
                let inner = Ctx::Rows(RowSource::CustomerDays);
                let filter = match filter {
                    Some(c) => Some(Box::new(self.cond(c, inner)?)),
                    None => None,
                };
                let (x, ty) = self.expr(expr, inner)?;
                self.day_sums += 1;
                (
                    Expr::SumDays {
                        id: self.day_sums - 1,
                        filter,
                        expr: Box::new(x),
                    },
                    ty,
                )
            }
            ast::ExprKind::SumTerms(ids) => {
                if ctx != Ctx::Cap {
                    self.err(e.span, Error::TermSumMisplaced);
                    return None;
                }
                let mut idx = Vec::new();
                for id in ids {
                    idx.push(self.term_ref(id)?.0);
                }
                (Expr::SumTerms(idx), Ty::Num(Unit::KR))
            }
        })
    }
}
