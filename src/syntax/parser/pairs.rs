//! The small readers of pest pairs every part of the walk shares: a
//! pair's span and text, its children without keywords and punctuation,
//! names, numbers and lists of names.

use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::super::ast::*;
use super::super::error::SyntaxError;
use super::grammar::Rule;

/// A pair's span without the whitespace pest may have taken after it, so
/// underlines end at the last character of the construct.
pub(super) fn span(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.start() + p.as_str().trim_end().len())
}

pub(super) fn ident(p: Pair<Rule>) -> Ident {
    Spanned::new(p.as_str().to_string(), span(&p))
}

pub(super) fn string(p: Pair<Rule>) -> Spanned<String> {
    let sp = span(&p);
    let inner = inner(p).next().map(|i| i.as_str()).unwrap_or("");
    Spanned::new(inner.to_string(), sp)
}

pub(super) fn text(p: Pair<Rule>) -> Spanned<String> {
    Spanned::new(p.as_str().to_string(), span(&p))
}

/// Keywords are their own rules so that error messages can name them; the
/// walk skips them.
pub(super) fn is_keyword(r: Rule) -> bool {
    format!("{r:?}").starts_with("kw_")
}

pub(super) fn children(p: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    inner(p).filter(|c| !is_keyword(c.as_rule()))
}

/// Punctuation is a rule only so that errors can name it.
pub(super) fn is_punctuation(r: Rule) -> bool {
    matches!(
        r,
        Rule::colon | Rule::comma | Rule::lbracket | Rule::rbracket | Rule::lparen | Rule::rparen
    )
}

pub(super) fn inner(p: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    p.into_inner().filter(|c| !is_punctuation(c.as_rule()))
}

/// A tree walk that may find a level deeper than [`MAX_DEPTH`].
pub(super) type Built<T> = Result<T, SyntaxError>;

pub(super) fn parse_number(s: &str) -> Decimal {
    let clean: String = s
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    // The grammar admits only digits with one decimal mark; a value too large
    // for a Decimal saturates, and the checker's range checks report it.
    clean.parse().unwrap_or(Decimal::MAX)
}

pub(super) fn quantity(p: Pair<Rule>) -> QuantityLit {
    let mut value = Decimal::ZERO;
    let mut unit = None;
    for c in inner(p) {
        match c.as_rule() {
            Rule::number => value = parse_number(c.as_str()),
            Rule::unit => unit = Some(text(c)),
            _ => {}
        }
    }
    QuantityLit { value, unit }
}

pub(super) fn ident_list(p: Pair<Rule>) -> Vec<Ident> {
    children(p).map(ident).collect()
}
