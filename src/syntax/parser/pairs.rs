//! The grammar (`grammar/taxa.pest`, derived into `Rule`) and the small
//! helpers the walk reads pest pairs with. A child of `parser.rs`, so pest
//! types stay inside the parser.

use pest::iterators::Pair;

use super::super::ast::{Ident, Span, Spanned};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/taxa.pest"]
pub(super) struct TaxaParser;

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
