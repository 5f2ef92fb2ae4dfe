//! Expressions: literal numbers, names, rate lookups, arithmetic and sums,
//! each resolved to a checked [`Expr`] with its type and unit.

use num_rational::Ratio;
use rust_decimal::Decimal;

use crate::data::CodeColumn;
use crate::syntax::{self as ast, Span, Spanned};

use super::checker::{Checker, Ctx};
use super::contract::*;
use super::error::{CheckError, CheckKind, suggest};
use super::units::Unit;

/// The type of a value in a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Num(Unit),
    Date,
    Bool,
    Code(CodeColumn),
    /// A `klass` code, by index.
    Class(u8),
    Set,
    Text,
}

impl Ty {
    pub(super) fn describe(self) -> String {
        match self {
            Ty::Num(u) if u.is_none() => "a number".into(),
            Ty::Num(u) => format!("an amount in {u}"),
            Ty::Date => "a date".into(),
            Ty::Bool => "ja/nej".into(),
            Ty::Code(c) => format!("a `{}` code", c.column()),
            Ty::Class(_) => "a class code".into(),
            Ty::Set => "a set of activities".into(),
            Ty::Text => "a text".into(),
        }
    }
}

fn decimal_to_exact(d: Decimal) -> Exact {
    Ratio::new(d.mantissa(), 10i128.pow(d.scale()))
}

impl Checker<'_> {
    /// A literal number in base units.
    pub(super) fn quantity(&mut self, q: &ast::QuantityLit, span: Span) -> Option<(Exact, Unit)> {
        if q.value == Decimal::MAX || q.value.scale() > 12 {
            self.err(
                CheckError::new(
                    CheckKind::TypeMismatch,
                    span,
                    "this number is too large or too precise",
                )
                .help("write amounts with at most 12 decimals and fewer than 28 digits"),
            );
            return None;
        }
        let v = decimal_to_exact(q.value);
        match &q.unit {
            None => Some((v, Unit::NONE)),
            Some(u) => match Unit::parse(&u.node) {
                Some((unit, factor)) => Some((v * factor, unit)),
                None => {
                    self.err(
                        CheckError::new(
                            CheckKind::UnknownName,
                            u.span,
                            format!("`{}` is not a unit", u.node),
                        )
                        .help("units: kr, h, min, mån, st, %, and quotients like kr/h"),
                    );
                    None
                }
            },
        }
    }

    pub(super) fn type_error(&mut self, span: Span, got: Ty, want: &str) {
        self.err(
            CheckError::new(
                CheckKind::TypeMismatch,
                span,
                format!("expected {want}, found {}", got.describe()),
            )
            .label(got.describe()),
        );
    }

    pub(super) fn unit_or_type(&mut self, span: Span, got: Ty, want: Unit, why: &str) {
        match got {
            Ty::Num(u) => self.err(
                CheckError::new(
                    CheckKind::UnitMismatch,
                    span,
                    format!("this is in {u}, expected {want}"),
                )
                .label(format!("{u}"))
                .help(why.to_string()),
            ),
            other => self.type_error(span, other, &format!("an amount in {want}")),
        }
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<(Expr, Ty)> {
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
            ast::ExprKind::Name(id) => {
                let measure = match id.node.as_str() {
                    "betald_tid" => Some((Measure::PaidTime, Unit::H, RowSource::Visits)),
                    "tid" => Some((Measure::Duration, Unit::H, RowSource::Visits)),
                    "antal" => Some((Measure::Count, Unit::ST, RowSource::Events)),
                    "dagsandel" => Some((Measure::DayShare, Unit::MONTH, RowSource::CustomerDays)),
                    _ => None,
                };
                if let Some((m, unit, home)) = measure {
                    let ok = match ctx {
                        Ctx::Rows(r) => m == Measure::Count || r == home,
                        // In `ersätter … när`, the term's own measure is its
                        // quantity for the customer.
                        Ctx::Replace(own) => m == own,
                        _ => false,
                    };
                    if !ok {
                        self.err(
                            CheckError::new(
                                CheckKind::Misplaced,
                                id.span,
                                format!("`{}` cannot be measured here", id.node),
                            )
                            .help(match m {
                                Measure::PaidTime | Measure::Duration => "time is measured on visits (`för besök`)",
                                Measure::DayShare => "`dagsandel` is measured on customer-days (`för kunddagar`, or `summa för kunddagar av …`)",
                                Measure::Count => "`antal` counts the rows a term selects",
                            }),
                        );
                        return None;
                    }
                    return Some((Expr::Measure(m), Ty::Num(unit)));
                }
                if self.rates.contains_key(&id.node) {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            id.span,
                            format!("the rate `{}` needs its key", id.node),
                        )
                        .help(format!(
                            "pick the cell: `{}[{}]`",
                            id.node,
                            self.rates[&id.node]
                                .keys
                                .iter()
                                .map(|(f, _)| self.fname(*f))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    return None;
                }
                let f = self.field(id, ctx)?;
                let ty = match f {
                    Field::Code(CodeColumn::Activities) => Ty::Set,
                    Field::Code(c) => Ty::Code(c),
                    Field::GrantedHours | Field::ApprovedExtraHours | Field::ReliefHours => {
                        Ty::Num(Unit::H / Unit::MONTH)
                    }
                    Field::Level => Ty::Num(Unit::NONE),
                    Field::Alarm | Field::Referral => Ty::Bool,
                    Field::HslFrom | Field::HslTo | Field::Date => Ty::Date,
                    Field::VisitId | Field::EventId | Field::Start => Ty::Text,
                    Field::Activity => Ty::Code(CodeColumn::Activities),
                    Field::Class(i) => Ty::Class(i),
                    Field::Band => Ty::Text,
                };
                (Expr::Field(f), ty)
            }
            ast::ExprKind::Lookup { table, keys } => {
                self.used.insert(table.node.clone());
                let Some(rate) = self.rates.get(&table.node) else {
                    let names: Vec<String> = self.rates.keys().cloned().collect();
                    let mut err = CheckError::new(
                        CheckKind::UnknownName,
                        table.span,
                        format!("no rate `{}` is declared", table.node),
                    )
                    .label("unknown rate");
                    err = match suggest(&table.node, names.iter().map(String::as_str)) {
                        Some(s) => {
                            // The misspelt use is the rate's use: no
                            // "unused" warning on top.
                            self.used.insert(s.clone());
                            err.help(format!("did you mean `{s}`?"))
                        }
                        None => err.help("declare it in a `tabell`"),
                    };
                    self.err(err);
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
                        CheckError::new(
                            CheckKind::Misplaced,
                            e.span,
                            format!(
                                "`{}` is keyed by {}",
                                table.node,
                                want.iter()
                                    .map(|f| self.fname(*f))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .help(format!(
                            "write `{}[{}]`",
                            table.node,
                            want.iter()
                                .map(|f| self.fname(*f))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
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
                    self.type_error(span, ty, "a number");
                    return None;
                };
                let (op, unit) = match op {
                    ast::BinOp::Add | ast::BinOp::Sub => {
                        if ul != ur {
                            self.err(
                                CheckError::new(
                                    CheckKind::UnitMismatch,
                                    e.span,
                                    format!("cannot add {ul} and {ur}"),
                                )
                                .label(format!("{ul} {} {ur}", if *op == ast::BinOp::Add { "+" } else { "−" }))
                                .help("only amounts of the same unit add up; did you forget a rate (× kr/h)?"),
                            );
                            return None;
                        }
                        (
                            if *op == ast::BinOp::Add {
                                Op::Add
                            } else {
                                Op::Sub
                            },
                            ul,
                        )
                    }
                    ast::BinOp::Mul => (Op::Mul, (ul * ur)),
                    ast::BinOp::Div => (Op::Div, (ul / ur)),
                };
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Num(unit))
            }
            ast::ExprKind::SumDays { filter, expr } => {
                if !matches!(ctx, Ctx::Cap | Ctx::Replace(_)) {
                    self.err(CheckError::new(
                        CheckKind::Misplaced,
                        e.span,
                        "`summa för kunddagar` belongs in a cap's bound",
                    ));
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
                    self.err(CheckError::new(
                        CheckKind::Misplaced,
                        e.span,
                        "`summa TERM` belongs in a cap's bound",
                    ));
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
