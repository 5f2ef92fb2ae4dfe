//! The walk from pest pairs to conditions and expressions (`a × b`,
//! `A högst B`, `-x`, sums), which nest in each other, and `värde`
//! declarations. A part of `parser.rs` (with `grammar.rs` and `pairs.rs`,
//! the only files that see pest), split off to keep each file small.

use pest::iterators::Pair;

use super::super::ast::*;
use super::super::depth::MAX_DEPTH;
use super::super::error::SyntaxError;
use super::grammar::Rule;
use super::pairs::{Built, children, ident, ident_list, inner, quantity, span};
use super::times::at_time;

// The two walks below recurse once per level, up to `MAX_DEPTH` levels, on
// whatever stack the caller has (a `cargo test` thread has 2 MiB). In a
// debug build a function's frame holds the locals of all its arms, so the
// recursive functions only dispatch, and each kind of node is built by a
// function of its own whose frame is on the stack only for that node.

/// The condition `p`, whose root sits at `level` (1 for a declaration's
/// whole condition); each node checks its own level, so the walk never
/// recurses deeper than [`MAX_DEPTH`].
pub(super) fn build_cond(mut p: Pair<Rule>, level: usize) -> Built<Cond> {
    // `a` alone is no `eller` or `och` list: no level of its own.
    while matches!(p.as_rule(), Rule::cond | Rule::cond_and) && children(p.clone()).count() == 1 {
        p = children(p).next().expect("one part");
    }
    if level > MAX_DEPTH {
        return Err(SyntaxError::too_deep(span(&p)));
    }
    match p.as_rule() {
        Rule::cond | Rule::cond_and => cond_list(p, level),
        Rule::cond_not => cond_not(p, level),
        Rule::has => Ok(has(p)),
        Rule::within_dates | Rule::comparison | Rule::exists => cond_of_values(p, level),
        Rule::at_time => Ok(at_time(p)),
        Rule::in_term => Ok(Spanned::new(
            CondKind::InTerm(ident(children(p.clone()).next().unwrap())),
            span(&p),
        )),
        Rule::cond_ref => Ok(Spanned::new(
            CondKind::Ref(ident(inner(p.clone()).next().unwrap())),
            span(&p),
        )),
        Rule::no_rows => Ok(Spanned::new(
            CondKind::NoRows(ident(children(p.clone()).next().unwrap())),
            span(&p),
        )),
        r => unreachable!("not a condition rule: {r:?}"),
    }
}

/// `a eller b eller …`, `a och b och …`: one level over its parts.
fn cond_list(p: Pair<Rule>, level: usize) -> Built<Cond> {
    let sp = span(&p);
    let is_or = p.as_rule() == Rule::cond;
    let parts = children(p)
        .map(|c| build_cond(c, level + 1))
        .collect::<Built<Vec<Cond>>>()?;
    Ok(if is_or {
        Spanned::new(CondKind::Or(parts), sp)
    } else {
        Spanned::new(CondKind::And(parts), sp)
    })
}

/// `inte inte … atom`: the i-th `inte` sits at `level + i`, the atom below
/// them all; refused before the atom is built when that is too deep.
fn cond_not(p: Pair<Rule>, level: usize) -> Built<Cond> {
    let sp = span(&p);
    let mut nots = Vec::new();
    let mut atom = None;
    for c in inner(p) {
        if c.as_rule() == Rule::not_op {
            nots.push(span(&c));
        } else {
            atom = Some(c);
        }
    }
    let atom = atom.unwrap();
    let atom_level = level + nots.len();
    if atom_level > MAX_DEPTH {
        let first_too_deep = MAX_DEPTH + 1 - level;
        let start = nots
            .get(first_too_deep)
            .map_or(span(&atom).start, |s| s.start);
        return Err(SyntaxError::too_deep(Span::new(start, sp.end)));
    }
    let mut c = match atom.as_rule() {
        // `( … )`: the parentheses are a level.
        Rule::cond => build_cond(atom, atom_level + 1)?,
        _ => build_cond(atom, atom_level)?,
    };
    for _ in nots {
        c = Spanned::new(CondKind::Not(Box::new(c)), sp);
    }
    Ok(c)
}

fn has(p: Pair<Rule>) -> Cond {
    let sp = span(&p);
    let mut it = children(p);
    let field = ident(it.next().unwrap());
    let t = it.next().unwrap();
    let test = match t.as_rule() {
        Rule::has_any => HasKind::Any(children(t).map(ident).collect()),
        Rule::has_only => HasKind::Only(children(t).map(ident).collect()),
        _ => HasKind::One(ident(t)),
    };
    Spanned::new(CondKind::Has { field, test }, sp)
}

/// A comparison, `inom … till …` or `finns`: one level over its values.
fn cond_of_values(p: Pair<Rule>, level: usize) -> Built<Cond> {
    let sp = span(&p);
    let rule = p.as_rule();
    let mut it = children(p);
    let kind = match rule {
        Rule::within_dates => {
            let mut value = || build_expr(it.next().unwrap(), level + 1);
            CondKind::Within {
                value: value()?,
                from: value()?,
                to: value()?,
            }
        }
        Rule::exists => CondKind::Exists(build_expr(it.next().unwrap(), level + 1)?),
        _ => {
            let left = build_expr(it.next().unwrap(), level + 1)?;
            let op = match it.next().unwrap().as_str() {
                "=" => CmpOp::Eq,
                "!=" | "≠" => CmpOp::Ne,
                "<" => CmpOp::Lt,
                "<=" | "≤" => CmpOp::Le,
                ">" => CmpOp::Gt,
                _ => CmpOp::Ge,
            };
            let right = build_expr(it.next().unwrap(), level + 1)?;
            CondKind::Compare { left, op, right }
        }
    };
    Ok(Spanned::new(kind, sp))
}

/// `värde NAME = EXPR [, avrundat till hela kronor | öre]`.
pub(super) fn build_value(p: Pair<Rule>) -> Built<ValueDecl> {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let expr = build_expr(it.next().unwrap(), 1)?;
    let rounding = it.next().map(|r| {
        // From `avrundat`, without the comma before it.
        let end = span(&r).end;
        let start = inner(r.clone()).next().map_or(end, |w| span(&w).start);
        let rsp = Span::new(start, end);
        let how = match children(r).next().map(|c| c.as_rule()) {
            Some(Rule::round_ore) => Rounding::Ore,
            _ => Rounding::Kronor,
        };
        Spanned::new(how, rsp)
    });
    Ok(ValueDecl {
        name,
        expr,
        rounding,
        span: sp,
    })
}

/// The expression `p`, whose root sits at `level`; see [`build_cond`].
pub(super) fn build_expr(mut p: Pair<Rule>, level: usize) -> Built<Expr> {
    // A sum of one product, a product of one factor: no level of its own.
    while matches!(p.as_rule(), Rule::expr | Rule::arith | Rule::product)
        && inner(p.clone()).count() == 1
    {
        let only = inner(p.clone()).next().expect("one operand");
        if p.as_rule() == Rule::product && only.as_rule() == Rule::expr {
            // `( … )` alone: the parentheses are a level.
            return build_expr(only, level + 1);
        }
        p = only;
    }
    if level > MAX_DEPTH {
        return Err(SyntaxError::too_deep(span(&p)));
    }
    match p.as_rule() {
        Rule::expr | Rule::arith | Rule::product => chain(p, level),
        Rule::sum_days => sum_days(p, level),
        Rule::negated => negated(p, level),
        _ => Ok(leaf(p)),
    }
}

/// `a × b × c` is `(a × b) × c`: the k-th operator's node sits at
/// `level + n − 1 − k`, the first operand at `level + n − 1`. Refused before
/// anything is built, so a chain of 70 000 factors never becomes a tree
/// (whose drop alone would recurse 70 000 times).
fn chain(p: Pair<Rule>, level: usize) -> Built<Expr> {
    let in_product = p.as_rule() == Rule::product;
    // operand, operator, operand, …
    let pairs: Vec<Pair<Rule>> = inner(p).collect();
    let n = pairs.len().div_ceil(2);
    if level + n - 1 > MAX_DEPTH {
        // The deepest operator node past the limit (the first one when
        // only the first operand is).
        let k = (level + n - 2 - MAX_DEPTH).max(1);
        let s = Span::new(span(&pairs[0]).start, span(&pairs[2 * k]).end);
        return Err(SyntaxError::too_deep(s));
    }
    let operand = |k: usize, p: Pair<Rule>| {
        let at = level + n - k.max(1);
        if in_product && p.as_rule() == Rule::expr {
            // `( … )`: the parentheses are a level.
            build_expr(p, at + 1)
        } else {
            build_expr(p, at)
        }
    };
    let mut it = pairs.into_iter();
    let mut left = operand(0, it.next().unwrap())?;
    let mut k = 1;
    while let Some(op) = it.next() {
        let op = match op.as_str() {
            "+" => BinOp::Add,
            "−" | "-" => BinOp::Sub,
            "×" | "*" => BinOp::Mul,
            "högst" => BinOp::Min,
            "minst" => BinOp::Max,
            _ => BinOp::Div,
        };
        let right = operand(k, it.next().unwrap())?;
        k += 1;
        let s = Span::new(left.span.start, right.span.end);
        left = Spanned::new(
            ExprKind::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            s,
        );
    }
    Ok(left)
}

/// `-x`: one level over `x` (and one more for `-( … )`'s parentheses).
fn negated(p: Pair<Rule>, level: usize) -> Built<Expr> {
    let sp = span(&p);
    let operand = inner(p).nth(1).expect("an operand after the sign");
    let at = if operand.as_rule() == Rule::expr {
        level + 2
    } else {
        level + 1
    };
    let x = build_expr(operand, at)?;
    Ok(Spanned::new(ExprKind::Neg(Box::new(x)), sp))
}

/// `summa för kunddagar [där C] av P`: one level over C and P.
fn sum_days(p: Pair<Rule>, level: usize) -> Built<Expr> {
    let sp = span(&p);
    let mut filter = None;
    let mut expr = None;
    for c in children(p) {
        match c.as_rule() {
            Rule::cond => filter = Some(Box::new(build_cond(c, level + 1)?)),
            _ => expr = Some(Box::new(build_expr(c, level + 1)?)),
        }
    }
    Ok(Spanned::new(
        ExprKind::SumDays {
            filter,
            expr: expr.unwrap(),
        },
        sp,
    ))
}

/// A value that holds no expression: a number, date, ja/nej, name, rate
/// cell or `summa TERM, …`.
fn leaf(p: Pair<Rule>) -> Expr {
    let sp = span(&p);
    match p.as_rule() {
        Rule::quantity => Spanned::new(ExprKind::Number(quantity(p)), sp),
        Rule::date => Spanned::new(ExprKind::Date(p.as_str().to_string()), sp),
        Rule::yes => Spanned::new(ExprKind::Bool(true), sp),
        Rule::no => Spanned::new(ExprKind::Bool(false), sp),
        Rule::name => Spanned::new(ExprKind::Name(ident(inner(p).next().unwrap())), sp),
        Rule::lookup => {
            let mut it = inner(p);
            let table = ident(it.next().unwrap());
            Spanned::new(
                ExprKind::Lookup {
                    table,
                    keys: it.map(ident).collect(),
                },
                sp,
            )
        }
        Rule::sum_terms => Spanned::new(
            ExprKind::SumTerms(ident_list(children(p).next().unwrap())),
            sp,
        ),
        r => unreachable!("not an expression rule: {r:?}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::ast::*;
    use crate::syntax::parse;

    const HEAD: &str = "avtal \"A\" gäller 2025-01-01 till 2025-12-31\n";

    /// An expression's shape: `(a högst b)`, `-x`, names and numbers.
    fn shape(e: &Expr) -> String {
        match &e.node {
            ExprKind::Binary { op, left, right } => {
                let op = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "×",
                    BinOp::Div => "÷",
                    BinOp::Min => "högst",
                    BinOp::Max => "minst",
                };
                format!("({} {op} {})", shape(left), shape(right))
            }
            ExprKind::Neg(x) => format!("-{}", shape(x)),
            ExprKind::Number(q) => q.value.to_string(),
            ExprKind::Name(n) => n.node.clone(),
            ExprKind::SumTerms(t) => format!("summa {}", t[0].node),
            other => format!("{other:?}"),
        }
    }

    fn items(src: &str) -> Vec<Item> {
        parse(&format!("{HEAD}{src}")).unwrap().items
    }

    #[test]
    fn hogst_and_minst_bind_loosest_and_left_to_right() {
        let Item::Value(v) = &items("värde x = a × b högst c + d minst e")[0] else {
            panic!("a value");
        };
        assert_eq!(shape(&v.expr), "(((a × b) högst (c + d)) minst e)");
    }

    #[test]
    fn a_caps_first_hogst_is_its_own_word_and_the_rest_is_the_bound() {
        let Item::Cap(c) = &items("tak T2 \"T\" över T1 högst a högst b")[0] else {
            panic!("a cap");
        };
        assert_eq!(shape(&c.bound), "(a högst b)");
    }

    #[test]
    fn unary_minus_binds_tighter_than_a_product() {
        let Item::Value(v) = &items("värde x = -1,5 % × summa T1 - −(a + b)")[0] else {
            panic!("a value");
        };
        assert_eq!(shape(&v.expr), "((-1.5 × summa T1) - -(a + b))");
    }

    #[test]
    fn a_value_may_say_how_it_is_rounded() {
        let parsed = items(
            "värde a = 1 kr, avrundat till hela kronor\nvärde b = 1 kr, avrundat till öre\nvärde c = 1 kr",
        );
        let rounding: Vec<Option<Rounding>> = parsed
            .iter()
            .map(|i| match i {
                Item::Value(v) => v.rounding.as_ref().map(|r| r.node),
                _ => panic!("a value"),
            })
            .collect();
        assert_eq!(
            rounding,
            [Some(Rounding::Kronor), Some(Rounding::Ore), None]
        );
    }

    #[test]
    fn a_limit_a_staff_cap_and_a_fund_take_a_value_by_name() {
        let parsed = items(
            "moment T1 \"T\" för besök personal högst max_personal annars \"x\" \
             gräns max_besök per utförare och månad, ordnat efter start annars \"y\" \
             betala tid × 1 kr/h\n\
             fördelning F \"F\" fördela fonden i 2025-06 efter antal kunder den 2025-06-01 \
             avrunda till hela kronor, största rest, lika rest efter utförare",
        );
        let Item::Pay(t) = &parsed[0] else {
            panic!("a term")
        };
        let name = |c: &Spanned<Constant>| match &c.node {
            Constant::Value(n) => n.clone(),
            Constant::Literal(_) => "a literal".into(),
        };
        assert_eq!(name(&t.staff_cap.as_ref().unwrap().most), "max_personal");
        assert_eq!(name(&t.limits[0].count), "max_besök");
        let Item::Allocation(a) = &parsed[1] else {
            panic!("a fund")
        };
        assert_eq!(name(&a.amount), "fonden");
    }

    #[test]
    fn varde_and_minst_are_reserved() {
        assert!(parse(&format!("{HEAD}villkor minst: a = 1 annars \"x\"")).is_err());
        assert!(parse(&format!("{HEAD}villkor värde: a = 1 annars \"x\"")).is_err());
    }
}
