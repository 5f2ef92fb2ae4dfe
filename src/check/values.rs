//! `värde`: named values, declared once and used wherever a number stands
//! (`värde timpris = 455 kr/h`), and derived values with an explicit
//! rounding (`värde nattpris = (a + b) × 99 %, avrundat till hela kronor`).
//! Each is computed exactly when the rule file is checked, from literals
//! and other values, in any order of declaration; a term then holds the
//! number itself, so the evaluator never sees a value's name.

use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Zero};
use rust_decimal::Decimal;

use crate::syntax::{self as ast, Span};

use super::checker::Checker;
use super::contract::Exact;
use super::diagnostics::Error;
use super::error::suggest;
use super::types::NamedValue;
use super::units::Unit;
use super::values_error::ValueError;

impl<'a> Checker<'a> {
    /// Every `värde` of the file, resolved before any term reads one.
    pub(super) fn value_decls(&mut self, tree: &'a ast::File) {
        let mut order = Vec::new();
        for item in &tree.items {
            let ast::Item::Value(d) = item else { continue };
            let name = &d.name.node;
            if self.values.decls.contains_key(name) {
                self.err(
                    d.name.span,
                    Error::Value(ValueError::Duplicate { name: name.clone() }),
                );
                continue;
            }
            if let Some(what) = self.name_taken(name) {
                self.err(
                    d.name.span,
                    Error::Value(ValueError::NameTaken {
                        name: name.clone(),
                        what,
                    }),
                );
                self.values.failed.insert(name.clone());
            }
            self.values.decls.insert(name.clone(), d);
            order.push(d);
        }
        for d in order {
            self.resolve_value(&d.name.node, d.name.span);
        }
    }

    /// What else a name already names, if anything.
    fn name_taken(&self, name: &str) -> Option<&'static str> {
        if matches!(name, "tid" | "betald_tid" | "antal" | "dagsandel") {
            Some("a measure")
        } else if self.declared_field(name).is_some()
            || matches!(name, "datum" | "date" | "visit_id" | "event_id" | "start")
        {
            Some("a field")
        } else if self.rates.contains_key(name) {
            Some("a rate")
        } else if self.conditions.contains_key(name) {
            Some("a `villkor`")
        } else if self.classes.iter().any(|c| c.name == name) {
            Some("a `klass`")
        } else if self.bands.iter().any(|b| b.name == name) {
            Some("a `tidsband`")
        } else {
            None
        }
    }

    /// The value `name`, used at `span`; `None` after an error (said once).
    pub(super) fn resolve_value(&mut self, name: &str, span: Span) -> Option<(Exact, Unit)> {
        if let Some(v) = self.values.checked.get(name) {
            return Some((v.value, v.unit));
        }
        if self.values.failed.contains(name) {
            return None;
        }
        if let Some(at) = self.values.resolving.iter().position(|n| n == name) {
            let mut names = self.values.resolving[at..].to_vec();
            names.push(name.to_string());
            self.err(span, Error::Value(ValueError::Cycle { names }));
            for n in &self.values.resolving[at..] {
                self.values.failed.insert(n.clone());
            }
            return None;
        }
        let d = *self.values.decls.get(name)?;
        self.values.resolving.push(name.to_string());
        let computed = self.const_expr(&d.expr);
        self.values.resolving.pop();
        let rounded = computed.and_then(|(v, unit)| match &d.rounding {
            None => Some((v, unit)),
            Some(r) if unit.kr == 1 => {
                let places = match r.node {
                    ast::Rounding::Kronor => 0,
                    ast::Rounding::Ore => 2,
                };
                Some((round_half_away(v, places)?, unit))
            }
            Some(r) => {
                self.err(r.span, Error::Value(ValueError::RoundingNotKr { unit }));
                None
            }
        });
        let Some((value, unit)) = rounded else {
            self.values.failed.insert(name.to_string());
            return None;
        };
        let shown = match (&d.expr.node, &d.rounding) {
            (ast::ExprKind::Number(_), None) => self.src[d.expr.span.start..d.expr.span.end]
                .trim()
                .to_string(),
            (ast::ExprKind::Neg(x), None) if matches!(x.node, ast::ExprKind::Number(_)) => self.src
                [d.expr.span.start..d.expr.span.end]
                .trim()
                .to_string(),
            (ast::ExprKind::Name(other), None) => self
                .values
                .checked
                .get(&other.node)
                .map_or_else(|| shown(value, unit), |v| v.shown.clone()),
            _ => shown(value, unit),
        };
        self.values.checked.insert(
            name.to_string(),
            NamedValue {
                value,
                unit,
                shown,
                span: d.name.span,
            },
        );
        Some((value, unit))
    }

    /// A value's expression: literals, other values and arithmetic.
    fn const_expr(&mut self, e: &ast::Expr) -> Option<(Exact, Unit)> {
        self.nested(e.span, |this| this.const_here(e))
    }

    fn const_here(&mut self, e: &ast::Expr) -> Option<(Exact, Unit)> {
        match &e.node {
            ast::ExprKind::Number(q) => self.quantity(q, e.span),
            ast::ExprKind::Neg(x) => {
                let (v, u) = self.const_expr(x)?;
                let Some(negated) = Exact::zero().checked_sub(&v) else {
                    self.err(e.span, Error::NumberTooLarge);
                    return None;
                };
                Some((negated, u))
            }
            ast::ExprKind::Name(id) => {
                if self.values.decls.contains_key(&id.node) {
                    self.used.insert(id.node.clone());
                    return self.resolve_value(&id.node, id.span);
                }
                if self.name_taken(&id.node).is_some() {
                    let name = id.node.clone();
                    self.err(id.span, Error::Value(ValueError::ReadsData { name }));
                } else {
                    self.unknown_value(id);
                }
                None
            }
            ast::ExprKind::Binary { op, left, right } => {
                let (a, ul) = self.const_expr(left)?;
                let (b, ur) = self.const_expr(right)?;
                let unit = self.binary_unit(*op, ul, ur, e.span)?;
                let v = match op {
                    ast::BinOp::Add => a.checked_add(&b),
                    ast::BinOp::Sub => a.checked_sub(&b),
                    ast::BinOp::Mul => a.checked_mul(&b),
                    ast::BinOp::Div if b.is_zero() => {
                        self.err(right.span, Error::Value(ValueError::DividesByZero));
                        return None;
                    }
                    ast::BinOp::Div => a.checked_div(&b),
                    ast::BinOp::Min => Some(a.min(b)),
                    ast::BinOp::Max => Some(a.max(b)),
                };
                if v.is_none() {
                    self.err(e.span, Error::NumberTooLarge);
                }
                Some((v?, unit))
            }
            ast::ExprKind::Lookup { table, .. } => {
                // Used, if wrongly: no "unused rate" on top.
                self.used.insert(table.node.clone());
                self.err(e.span, Error::Value(ValueError::NotConstant));
                None
            }
            ast::ExprKind::SumDays { .. }
            | ast::ExprKind::SumTerms(_)
            | ast::ExprKind::Date(_)
            | ast::ExprKind::Bool(_) => {
                self.err(e.span, Error::Value(ValueError::NotConstant));
                None
            }
        }
    }

    /// The unit of `l op r`, or the error that they do not fit.
    pub(super) fn binary_unit(
        &mut self,
        op: ast::BinOp,
        ul: Unit,
        ur: Unit,
        span: Span,
    ) -> Option<Unit> {
        match op {
            ast::BinOp::Mul => Some(ul * ur),
            ast::BinOp::Div => Some(ul / ur),
            _ if ul == ur => Some(ul),
            ast::BinOp::Add | ast::BinOp::Sub => {
                self.err(
                    span,
                    Error::CannotAdd {
                        left: ul,
                        right: ur,
                        subtract: op == ast::BinOp::Sub,
                    },
                );
                None
            }
            ast::BinOp::Min | ast::BinOp::Max => {
                self.err(
                    span,
                    Error::Value(ValueError::BoundUnits {
                        left: ul,
                        right: ur,
                        max: op == ast::BinOp::Max,
                    }),
                );
                None
            }
        }
    }

    fn unknown_value(&mut self, id: &ast::Ident) {
        let mut values: Vec<String> = self.values.decls.keys().cloned().collect();
        values.sort();
        let suggestion = suggest(&id.node, values.iter().map(String::as_str));
        if let Some(s) = &suggestion {
            // The misspelt use is the value's use: no "unused" on top.
            self.used.insert(s.clone());
        }
        self.err(
            id.span,
            Error::Value(ValueError::Unknown {
                name: id.node.clone(),
                values,
                suggestion,
            }),
        );
    }

    /// A value used in a term's expression, if `name` is one: its number
    /// and unit, or `Some(None)` when its declaration has an error.
    pub(super) fn value_use(&mut self, id: &ast::Ident) -> Option<Option<(Exact, Unit)>> {
        if !self.values.decls.contains_key(&id.node) {
            return None;
        }
        self.used.insert(id.node.clone());
        Some(self.resolve_value(&id.node, id.span))
    }

    /// `gräns N`, `personal högst N`, `fördela N`: a literal or a value.
    pub(super) fn constant(&mut self, c: &ast::Spanned<ast::Constant>) -> Option<(Exact, Unit)> {
        match &c.node {
            ast::Constant::Literal(q) => self.quantity(q, c.span),
            ast::Constant::Value(name) => {
                let id = ast::Spanned::new(name.clone(), c.span);
                match self.value_use(&id) {
                    Some(v) => v,
                    None => {
                        self.unknown_value(&id);
                        None
                    }
                }
            }
        }
    }

    /// Values nothing uses (a warning, like an unused rate).
    pub(super) fn unused_values(&mut self) {
        let mut unused: Vec<(Span, String)> = self
            .values
            .checked
            .iter()
            .filter(|(name, _)| !self.used.contains(*name))
            .map(|(name, v)| (v.span, name.clone()))
            .collect();
        unused.sort();
        for (span, name) in unused {
            self.err(span, Error::Value(ValueError::Unused { name }));
        }
    }
}

/// `x` rounded to `places` decimals, half away from zero (as every line
/// is, domain.md); `None` if it does not fit.
fn round_half_away(x: Exact, places: u32) -> Option<Exact> {
    let scale = 10i128.checked_pow(places)?;
    let scaled = x.checked_mul(&Exact::from_integer(scale))?;
    let (n, d) = (*scaled.numer(), *scaled.denom());
    let (q, r) = (n / d, n % d);
    let up = 2 * r.unsigned_abs() >= d.unsigned_abs();
    let q = if up { q + n.signum() * d.signum() } else { q };
    Some(Exact::new(q, scale))
}

/// A value in Swedish form in its base unit: `1 234,5 kr/h`, at most four
/// decimals (as a line's working shows a figure).
pub(super) fn shown(value: Exact, unit: Unit) -> String {
    let d = round_half_away(value, 4)
        .and_then(|x| i128::checked_mul(*x.numer(), 10_000 / x.denom()))
        .and_then(|n| Decimal::try_from_i128_with_scale(n, 4).ok())
        .map_or_else(|| value.to_string(), |d| d.normalize().to_string());
    let (sign, digits) = match d.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", d.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut s = String::from(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            s.push(' ');
        }
        s.push(ch);
    }
    if !frac.is_empty() {
        s.push(',');
        s.push_str(frac);
    }
    if !unit.is_none() {
        s.push(' ');
        s.push_str(&unit.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        let r = |n, d, p| round_half_away(Exact::new(n, d), p).unwrap();
        assert_eq!(r(5, 2, 0), Exact::from_integer(3));
        assert_eq!(r(-5, 2, 0), Exact::from_integer(-3));
        assert_eq!(r(12345, 1000, 2), Exact::new(1235, 100));
        assert_eq!(r(-12344, 1000, 2), Exact::new(-1234, 100));
        assert_eq!(r(49, 100, 0), Exact::from_integer(0));
    }

    #[test]
    fn a_derived_value_shows_in_swedish_form() {
        let kr_h = Unit::KR / Unit::H;
        assert_eq!(shown(Exact::from_integer(1234), kr_h), "1 234 kr/h");
        assert_eq!(shown(Exact::new(-4505, 10), Unit::KR), "-450,5 kr");
        assert_eq!(shown(Exact::new(1, 3), Unit::NONE), "0,3333");
        // Too large for four decimals: the exact fraction, not a panic.
        assert!(shown(Exact::new(i128::MAX, 3), Unit::NONE).len() > 30);
    }
}
