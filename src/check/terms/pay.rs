//! `moment`: a paying term. Which rows it selects, what it requires of
//! them, how its lines are kept and what `betala` pays per line.

use crate::data::{ColumnKind, DataFile};
use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::{Error, Want};
use crate::check::types::Ctx;
use crate::check::types::Ty;
use crate::check::units::Unit;

impl Checker<'_> {
    pub(in crate::check) fn pay_term(&mut self, t: &ast::PayTerm) -> Option<Term> {
        let rows = match t.source.node {
            ast::SourceKind::Visits => RowSource::Visits,
            ast::SourceKind::CustomerDays => RowSource::CustomerDays,
            ast::SourceKind::Events => RowSource::Events,
            ast::SourceKind::Activities => RowSource::Activities,
            ast::SourceKind::ProviderMonths => RowSource::ProviderMonths,
        };
        let errors_before = self.error_count();
        let ctx = Ctx::Rows(rows);
        if rows == RowSource::Activities {
            // Activity rows come from the set of codes of each visit.
            match self.activities {
                Some(slot) => self.require_field(Field::Declared(DataFile::Visits, slot)),
                None => self.err(t.source.span, Error::ActivitiesNotDeclared),
            }
        }
        for (word, span) in &t.repeated {
            self.err(
                *span,
                Error::RepeatedClause {
                    word: word.to_string(),
                    term: t.name.node.clone(),
                },
            );
        }
        let within = t.within.as_ref().and_then(|w| {
            let (i, src) = self.term_ref(w)?;
            // A visit is "in" an activity term when one of its activities is.
            let compatible = src == Some(rows)
                || (rows == RowSource::Visits && src == Some(RowSource::Activities));
            if !compatible {
                self.err(
                    w.span,
                    Error::WithinOtherRows {
                        term: w.node.clone(),
                    },
                );
                return None;
            }
            Some(i)
        });
        let filter = t.filter.as_ref().and_then(|c| self.cond(c, ctx));
        if let (Some(f), Some(ast_f)) = (&filter, &t.filter) {
            self.never_selects(&t.name, f, ast_f.span);
        }
        let mut requires = Vec::new();
        for r in &t.requires {
            if let Some(req) = self.requirement(r, ctx) {
                requires.extend(req);
            }
        }
        let limits: Vec<Limit> = t
            .limits
            .iter()
            .filter_map(|l| self.limit(l, rows))
            .collect();
        let window = t.window.as_ref().and_then(|w| {
            if rows != RowSource::Visits {
                self.err(w.span, Error::WindowNotOnVisits);
                return None;
            }
            let (from, to) = (self.clock(&w.from)?, self.clock(&w.to)?);
            Some(Window {
                from,
                to,
                reason: self.cited(&w.reason),
                source: self.sref(w.span),
            })
        });
        let staff_cap = t.staff_cap.as_ref().and_then(|c| {
            if rows != RowSource::Visits {
                self.err(c.span, Error::StaffCapNotOnVisits);
                return None;
            }
            let (n, unit) = self.constant(&c.most)?;
            let most = (n.is_integer() && (unit.is_none() || unit == Unit::ST))
                .then(|| u32::try_from(n.to_integer()).ok())
                .flatten()
                .filter(|m| *m >= 1);
            let Some(most) = most else {
                self.err(c.most.span, Error::StaffCapNotWholeCount);
                return None;
            };
            let unless = match &c.unless {
                Some(u) => Some(self.cond(u, ctx)?),
                None => None,
            };
            Some(StaffCap {
                most,
                unless,
                reason: self.cited(&c.reason),
                source: self.sref(c.span),
            })
        });
        if let Some(sp) = t.check_customer
            && rows != RowSource::Events
        {
            self.err(sp, Error::CheckCustomerNotOnEvents);
        }
        let key: Vec<Field> = t
            .key
            .iter()
            .filter_map(|k| {
                let (f, _) = self.key_field(k)?;
                if !key_available(f, rows) {
                    self.err(
                        k.span,
                        Error::KeyNotInRows {
                            key: k.node.clone(),
                        },
                    );
                    return None;
                }
                Some(f)
            })
            .collect();
        if t.key.len() > 4 {
            self.err(t.key[4].span, Error::TooManyKeyFields);
        }
        for k in &key {
            self.require_field(*k);
        }
        let numeric_keys = key
            .iter()
            .enumerate()
            .filter(|(_, f)| self.is_whole_number(**f))
            .fold(0u8, |bits, (i, _)| bits | 1 << i);
        let pay = match &t.pay {
            Some(p) => self.pay_expr(p, ctx, &key),
            None => {
                self.err(
                    t.name.span,
                    Error::NoPay {
                        term: t.name.node.clone(),
                    },
                );
                None
            }
        };
        let replaces = match &t.replaces {
            None => None,
            Some(r) => self.replaces(r, rows, pay.as_ref().map(|p| &p.0)),
        };
        if !self.declare_checked(&t.name, Some(rows), errors_before) {
            return None;
        }
        let (quantity, quantity_unit, rate, rate_unit) = pay?;
        self.term_info
            .insert(self.terms.len() - 1, (quantity_unit, key.clone()));
        Some(self.term(
            &t.name,
            &t.label,
            t.span,
            TermKind::Pay(Box::new(PayTerm {
                rows,
                within,
                filter,
                requires,
                limits,
                window,
                check_customer: t.check_customer.is_some(),
                replaces,
                staff_cap,
                quantity,
                quantity_unit,
                rate,
                rate_unit,
                key,
                numeric_keys,
            })),
        ))
    }

    /// A whole-number field (`heltal`): a line keyed by it prices by the
    /// number itself.
    fn is_whole_number(&self, f: Field) -> bool {
        match f {
            Field::Declared(file, slot) => self
                .declared_at(file, slot)
                .is_some_and(|d| matches!(d.column.kind, ColumnKind::Integer { .. })),
            _ => false,
        }
    }

    /// Splits `betala` into what each row contributes (the quantity) and the
    /// price, which must be fixed per line.
    pub(in crate::check) fn pay_expr(
        &mut self,
        e: &ast::Expr,
        ctx: Ctx,
        key: &[Field],
    ) -> Option<(Expr, Unit, Expr, Unit)> {
        let mut factors = Vec::new();
        flatten_product(e, &mut factors);
        let mut quantity: Option<(Expr, Unit)> = None;
        let mut rate: Option<(Expr, Unit)> = None;
        let mut measures = 0;
        let mut row_numbers = Vec::new();
        for (f, inverse) in factors {
            let (expr, ty) = self.expr(f, ctx)?;
            let Ty::Num(mut unit) = ty else {
                self.type_error(f.span, ty, Want::Number);
                return None;
            };
            let (has_measure, row_number, row_fields) = row_dependence(&expr, key);
            if row_number && !has_measure {
                row_numbers.push((f.span, inverse));
            }
            if has_measure {
                measures += 1;
                if inverse {
                    self.err(f.span, Error::QuantityDivides);
                    return None;
                }
            }
            // A rate cell chosen by a field the line key lacks would vary
            // within one line.
            if !has_measure
                && !row_fields
                && let Some(missing) = lookup_key_missing(&expr, key)
            {
                self.err(
                    f.span,
                    Error::PriceVariesWithinLine {
                        field: self.fname(missing),
                    },
                );
                return None;
            }
            let expr = if inverse {
                unit = unit.inverse();
                Expr::Binary(
                    Op::Div,
                    Box::new(Expr::Num(Exact::from_integer(1))),
                    Box::new(expr),
                )
            } else {
                expr
            };
            let slot = if has_measure || row_fields {
                &mut quantity
            } else {
                &mut rate
            };
            *slot = Some(match slot.take() {
                None => (expr, unit),
                Some((e0, u0)) => (
                    Expr::Binary(Op::Mul, Box::new(e0), Box::new(expr)),
                    (u0 * unit),
                ),
            });
        }
        // A declared number of a visit or event (`planerad_tid`) is the
        // row's quantity when no measure is named; on customer-days a
        // monthly number is scaled by `dagsandel`, which must be written.
        let rows_counted = matches!(
            ctx,
            Ctx::Rows(RowSource::Visits | RowSource::Activities | RowSource::Events)
        );
        if measures == 0 && rows_counted {
            for (span, inverse) in &row_numbers {
                if *inverse {
                    self.err(*span, Error::QuantityDivides);
                    return None;
                }
            }
            measures = row_numbers.len();
        }
        if measures != 1 {
            self.err(
                e.span,
                if measures == 0 {
                    Error::PayCountsNothing
                } else {
                    Error::PayCountsMany
                },
            );
            return None;
        }
        let (q, qu) = quantity.expect("one measure");
        let (r, ru) = rate.unwrap_or((Expr::Num(Exact::from_integer(1)), Unit::NONE));
        if (qu * ru) != Unit::KR {
            self.err(
                e.span,
                Error::PayNotKr {
                    quantity: qu,
                    rate: ru,
                },
            );
            return None;
        }
        Some((q, qu, r, ru))
    }
}

/// `a × b ÷ c` → `[(a, false), (b, false), (c, true)]`.
fn flatten_product<'e>(e: &'e ast::Expr, out: &mut Vec<(&'e ast::Expr, bool)>) {
    match &e.node {
        ast::ExprKind::Binary {
            op: ast::BinOp::Mul,
            left,
            right,
        } => {
            flatten_product(left, out);
            flatten_product(right, out);
        }
        ast::ExprKind::Binary {
            op: ast::BinOp::Div,
            left,
            right,
        } => {
            flatten_product(left, out);
            out.push((right, true));
        }
        _ => out.push((e, false)),
    }
}

/// How a factor of `betala` depends on the row: whether it holds a measure,
/// whether it reads a declared number of the row outside the line key
/// (`planerad_tid`, which on visit and event rows is what the row
/// contributes when no measure is named), and whether it reads any row
/// field outside the line key (so it varies from row to row within a line).
fn row_dependence(e: &Expr, key: &[Field]) -> (bool, bool, bool) {
    match e {
        Expr::Measure(_) => (true, false, false),
        Expr::Field(f) if key.contains(f) || is_provider_field(*f) => (false, false, false),
        Expr::Field(Field::Declared(..)) => (false, true, true),
        Expr::Field(_) => (false, false, true),
        Expr::Lookup(_) => (false, false, false),
        Expr::Binary(_, l, r) => {
            let (a, b, c) = row_dependence(l, key);
            let (d, e, f) = row_dependence(r, key);
            (a || d, b || e, c || f)
        }
        _ => (false, false, false),
    }
}

fn is_provider_field(f: Field) -> bool {
    matches!(f, Field::Declared(DataFile::Providers, _))
}

/// A key field a lookup needs that the line key does not have.
fn lookup_key_missing(e: &Expr, key: &[Field]) -> Option<Field> {
    match e {
        Expr::Lookup(t) => t
            .keys
            .iter()
            .find(|f| !key.contains(f) && !is_provider_field(**f))
            .copied(),
        Expr::Binary(_, l, r) => lookup_key_missing(l, key).or_else(|| lookup_key_missing(r, key)),
        _ => None,
    }
}

/// Whether a `rad per` field is a field of the rows a term selects.
fn key_available(f: Field, rows: RowSource) -> bool {
    use RowSource::*;
    match f {
        Field::Declared(DataFile::Providers, _) => true,
        Field::Declared(DataFile::Customers, _) => {
            matches!(rows, Visits | Activities | CustomerDays)
        }
        Field::Declared(DataFile::Visits, _) | Field::Class(_) => {
            matches!(rows, Visits | Activities)
        }
        Field::Declared(DataFile::Events, _) => rows == Events,
        Field::Activity => rows == Activities,
        Field::Band(_) => matches!(rows, Visits | Activities),
        // A file of the rule file's own attaches to every kind of row.
        Field::Declared(DataFile::Own(_), _) => true,
        _ => false,
    }
}
