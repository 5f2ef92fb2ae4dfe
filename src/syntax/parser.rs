//! pest glue: the grammar in `grammar/taxa.pest` and the walk from pest pairs
//! to the AST. No pest type leaves this file.

use pest::Parser as _;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::error::{Expected, SyntaxError};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/taxa.pest"]
struct TaxaParser;

/// Parses a rule file into its syntax tree, or every syntax error it has.
pub fn parse(src: &str) -> Result<File, Vec<SyntaxError>> {
    match TaxaParser::parse(Rule::file, src) {
        Ok(mut pairs) => {
            let file = pairs.next().expect("the file rule always yields one pair");
            Ok(build_file(file))
        }
        Err(first) => Err(recover(src, syntax_error(first, 0))),
    }
}

/// Words that start a declaration at the beginning of a line.
const DECLARATIONS: [&str; 11] = [
    "avtal",
    "kod",
    "tabell",
    "villkor",
    "moment",
    "tak",
    "tillägg",
    "fördelning",
    "klass",
    "kalender",
    "tidsband",
];

/// After a first error: parse each declaration on its own and gather the
/// errors of all of them.
fn recover(src: &str, first: SyntaxError) -> Vec<SyntaxError> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let word: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
        if DECLARATIONS.contains(&word.as_str()) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut errors = Vec::new();
    let mut pieces = vec![(
        0,
        starts.first().copied().unwrap_or(src.len()),
        Rule::preamble_only,
    )];
    for (i, &a) in starts.iter().enumerate() {
        let b = starts.get(i + 1).copied().unwrap_or(src.len());
        let rule = if src[a..].starts_with("avtal") {
            Rule::header_only
        } else {
            Rule::item_only
        };
        pieces.push((a, b, rule));
    }
    for (a, b, rule) in pieces {
        if let Err(e) = TaxaParser::parse(rule, &src[a..b]) {
            errors.push(syntax_error(e, a).at_piece_end(rule == Rule::preamble_only));
        }
    }
    if !starts.iter().any(|&a| src[a..].starts_with("avtal")) {
        errors.insert(0, first.clone());
    }
    if errors.is_empty() {
        errors.push(first);
    }
    errors.sort_by_key(|e| e.span.start);
    errors.dedup_by_key(|e| e.span.start);
    errors
}

/// A pest error as plain data for [`SyntaxError`]: where, the word found
/// there, and what was expected. `offset`: where the parsed text starts in
/// the file.
fn syntax_error(e: pest::error::Error<Rule>, offset: usize) -> SyntaxError {
    let pos = offset
        + match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
    let expected: Vec<Expected> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| expected(*r)).collect()
        }
        pest::error::ErrorVariant::CustomError { message } => {
            vec![Expected::Other(message.clone())]
        }
    };
    let col = match e.line_col {
        pest::error::LineColLocation::Pos((_, c)) => c,
        pest::error::LineColLocation::Span((_, c), _) => c,
    };
    SyntaxError::unexpected(pos, found_at(e.line(), col), &expected)
}

/// The word at column `col` (1-based) of `line`, for the message.
fn found_at(line: &str, col: usize) -> Option<String> {
    let rest: String = line.chars().skip(col.saturating_sub(1)).collect();
    let rest = rest.trim_end();
    if rest.is_empty() {
        return None;
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    Some(if word.is_empty() {
        rest.chars().next().unwrap().to_string()
    } else {
        word
    })
}

/// What a grammar rule stands for in an error message; `None` for rules a
/// reader need not hear of.
fn expected(r: Rule) -> Option<Expected> {
    let name = format!("{r:?}");
    if let Some(kw) = name.strip_prefix("kw_") {
        return Some(Expected::Keyword(keyword(kw).to_string()));
    }
    Some(match r {
        Rule::ident | Rule::name | Rule::cond_ref | Rule::table_name => Expected::Name,
        Rule::string => Expected::QuotedText,
        Rule::date => Expected::Date,
        Rule::month => Expected::Month,
        Rule::quantity | Rule::number => Expected::Number,
        Rule::unit => Expected::Unit,
        Rule::cmp_op => Expected::Comparison,
        Rule::add_op | Rule::mul_op => Expected::Operator,
        Rule::expr | Rule::product => Expected::Value,
        Rule::cond | Rule::cond_and | Rule::cond_not => Expected::Condition,
        Rule::code_decl
        | Rule::table
        | Rule::condition_decl
        | Rule::pay_term
        | Rule::cap_term
        | Rule::allocation => Expected::Declaration,
        Rule::header => Expected::Header,
        Rule::EOI => Expected::EndOfFile,
        Rule::colon => Expected::Colon,
        Rule::comma => Expected::Comma,
        Rule::lbracket => Expected::LBracket,
        Rule::rbracket => Expected::RBracket,
        Rule::lparen => Expected::LParen,
        Rule::rparen => Expected::RParen,
        Rule::cell | Rule::dash => Expected::Cell,
        Rule::requires | Rule::limit | Rule::pay | Rule::line_key => Expected::Clause,
        Rule::otherwise => Expected::Otherwise,
        _ => return None,
    })
}

/// The keyword a `kw_` rule matches, from the rule's name: rule names are
/// ASCII, the keywords are not. (Tested against the grammar below.)
fn keyword(rule: &str) -> &str {
    match rule {
        "galler" => "gäller",
        "over" => "över",
        "hogst" => "högst",
        "for" => "för",
        "besok" => "besök",
        "handelser" => "händelser",
        "dar" => "där",
        "kraver" => "kräver",
        "grans" => "gräns",
        "fordelning" => "fördelning",
        "fordela" => "fördela",
        "storsta" => "största",
        "nagon" => "någon",
        "fonster" => "fönster",
        "ersatter" => "ersätter",
        "nar" => "när",
        "ovrig" => "övrig",
        "tillagg" => "tillägg",
        "utforare" => "utförare",
        other => other,
    }
}

/// A pair's span without the whitespace pest may have taken after it, so
/// underlines end at the last character of the construct.
fn span(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.start() + p.as_str().trim_end().len())
}

fn ident(p: Pair<Rule>) -> Ident {
    Spanned::new(p.as_str().to_string(), span(&p))
}

fn string(p: Pair<Rule>) -> Spanned<String> {
    let sp = span(&p);
    let inner = inner(p).next().map(|i| i.as_str()).unwrap_or("");
    Spanned::new(inner.to_string(), sp)
}

fn text(p: Pair<Rule>) -> Spanned<String> {
    Spanned::new(p.as_str().to_string(), span(&p))
}

/// Keywords are their own rules so that error messages can name them; the
/// walk skips them.
fn is_keyword(r: Rule) -> bool {
    format!("{r:?}").starts_with("kw_")
}

fn children(p: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    inner(p).filter(|c| !is_keyword(c.as_rule()))
}

/// Punctuation is a rule only so that errors can name it.
fn is_punctuation(r: Rule) -> bool {
    matches!(
        r,
        Rule::colon | Rule::comma | Rule::lbracket | Rule::rbracket | Rule::lparen | Rule::rparen
    )
}

fn inner(p: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    p.into_inner().filter(|c| !is_punctuation(c.as_rule()))
}

fn build_file(p: Pair<Rule>) -> File {
    let mut header = None;
    let mut items = Vec::new();
    for c in children(p) {
        match c.as_rule() {
            Rule::header => header = Some(build_header(c)),
            Rule::code_decl => items.push(Item::Code(build_code(c))),
            Rule::table => items.push(Item::Table(build_table(c))),
            Rule::condition_decl => items.push(Item::Condition(build_condition_decl(c))),
            Rule::pay_term => items.push(Item::Pay(Box::new(build_pay(c)))),
            Rule::cap_term => items.push(Item::Cap(build_cap(c))),
            Rule::supplement => items.push(Item::Supplement(build_supplement(c))),
            Rule::class_decl => items.push(Item::Class(build_class(c))),
            Rule::calendar_decl => {
                let sp = span(&c);
                let name = ident(children(c).next().unwrap());
                items.push(Item::Calendar(CalendarDecl { name, span: sp }))
            }
            Rule::band_decl => items.push(Item::Bands(build_bands(c))),
            Rule::allocation => items.push(Item::Allocation(build_allocation(c))),
            _ => {}
        }
    }
    File {
        header: header.expect("grammar requires a header"),
        items,
    }
}

fn build_header(p: Pair<Rule>) -> Header {
    let sp = span(&p);
    let mut it = children(p);
    let name = string(it.next().unwrap());
    let valid_from = text(it.next().unwrap());
    let valid_to = text(it.next().unwrap());
    Header {
        name,
        valid_from,
        valid_to,
        span: sp,
    }
}

fn build_code(p: Pair<Rule>) -> CodeDecl {
    let sp = span(&p);
    let mut it = children(p);
    let column = ident(it.next().unwrap());
    CodeDecl {
        column,
        values: it.map(ident).collect(),
        span: sp,
    }
}

pub(crate) fn parse_number(s: &str) -> Decimal {
    let clean: String = s
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    // The grammar admits only digits with one decimal mark; a value too large
    // for a Decimal saturates, and the checker's range checks report it.
    clean.parse().unwrap_or(Decimal::MAX)
}

fn quantity(p: Pair<Rule>) -> QuantityLit {
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

fn spanned_quantity(p: Pair<Rule>) -> Spanned<QuantityLit> {
    let sp = span(&p);
    Spanned::new(quantity(p), sp)
}

fn build_table(p: Pair<Rule>) -> Table {
    let sp = span(&p);
    let mut name = None;
    let mut dims = Vec::new();
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for c in children(p) {
        match c.as_rule() {
            Rule::table_name => name = inner(c).next().map(ident),
            Rule::ident => dims.push(ident(c)),
            Rule::table_header => {
                header = c
                    .into_inner()
                    .filter_map(|h| inner(h).next().map(ident))
                    .collect()
            }
            Rule::table_row => {
                let rsp = span(&c);
                let mut it = inner(c);
                let label = ident(it.next().unwrap());
                let cells = it
                    .map(|cell| {
                        let csp = span(&cell);
                        let inner = inner(cell).next().unwrap();
                        let v = match inner.as_rule() {
                            Rule::quantity => Some(quantity(inner)),
                            _ => None,
                        };
                        Spanned::new(v, csp)
                    })
                    .collect();
                rows.push(TableRow {
                    label,
                    cells,
                    span: rsp,
                });
            }
            _ => {}
        }
    }
    Table {
        name,
        dims,
        header,
        rows,
        span: sp,
    }
}

fn build_condition_decl(p: Pair<Rule>) -> ConditionDecl {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let cond = build_cond(it.next().unwrap());
    let reason = otherwise(it.next().unwrap());
    ConditionDecl {
        name,
        cond,
        reason,
        span: sp,
    }
}

fn otherwise(p: Pair<Rule>) -> Spanned<String> {
    string(children(p).next().unwrap())
}

fn ident_list(p: Pair<Rule>) -> Vec<Ident> {
    children(p).map(ident).collect()
}

fn build_pay(p: Pair<Rule>) -> PayTerm {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let label = string(it.next().unwrap());
    let sel = it.next().unwrap();
    let mut source = None;
    let mut within = None;
    let mut filter = None;
    for c in children(sel) {
        match c.as_rule() {
            Rule::source => {
                let s = span(&c);
                let kw = inner(c).next().unwrap();
                let kind = match kw.as_rule() {
                    Rule::kw_besok => SourceKind::Visits,
                    Rule::kw_kunddagar => SourceKind::CustomerDays,
                    Rule::kw_aktiviteter => SourceKind::Activities,
                    _ => SourceKind::Events,
                };
                source = Some(Spanned::new(kind, s));
            }
            Rule::within => within = children(c).next().map(ident),
            Rule::cond => filter = Some(build_cond(c)),
            _ => {}
        }
    }
    let mut term = PayTerm {
        name,
        label,
        source: source.unwrap(),
        within,
        filter,
        requires: Vec::new(),
        limits: Vec::new(),
        pay: None,
        key: Vec::new(),
        window: None,
        check_customer: None,
        replaces: None,
        repeated: Vec::new(),
        span: sp,
    };
    for c in it {
        let once = match c.as_rule() {
            Rule::pay if term.pay.is_some() => Some("betala"),
            Rule::line_key if !term.key.is_empty() => Some("rad per"),
            Rule::window if term.window.is_some() => Some("fönster"),
            Rule::replaces if term.replaces.is_some() => Some("ersätter"),
            _ => None,
        };
        if let Some(word) = once {
            term.repeated.push((word, span(&c)));
        }
        match c.as_rule() {
            Rule::requires => {
                for r in children(c) {
                    let rsp = span(&r);
                    let mut ri = children(r);
                    let cond = build_cond(ri.next().unwrap());
                    let reason = ri.next().map(otherwise);
                    term.requires.push(Requirement {
                        cond,
                        reason,
                        span: rsp,
                    });
                }
            }
            Rule::limit => {
                let lsp = span(&c);
                let mut li = children(c);
                let count = spanned_quantity(li.next().unwrap());
                let per = ident_list(li.next().unwrap());
                let mut order = Vec::new();
                let mut only = Vec::new();
                let mut reason = None;
                for x in li {
                    match x.as_rule() {
                        Rule::ident => order.push(ident(x)),
                        Rule::limit_for => only = children(x).map(ident).collect(),
                        Rule::otherwise => reason = Some(otherwise(x)),
                        _ => {}
                    }
                }
                term.limits.push(Limit {
                    count,
                    per,
                    only,
                    order,
                    reason: reason.unwrap(),
                    span: lsp,
                });
            }
            Rule::pay => term.pay = Some(build_expr(children(c).next().unwrap())),
            Rule::window => {
                let wsp = span(&c);
                let mut wi = children(c);
                let from = text(wi.next().unwrap());
                let to = text(wi.next().unwrap());
                let reason = otherwise(wi.next().unwrap());
                term.window = Some(Window {
                    from,
                    to,
                    reason,
                    span: wsp,
                });
            }
            Rule::check_customer => term.check_customer = Some(span(&c)),
            Rule::replaces => {
                let rsp = span(&c);
                let mut ri = children(c);
                let target = ident(ri.next().unwrap());
                let cond = build_cond(ri.next().unwrap());
                term.replaces = Some(Replaces {
                    term: target,
                    cond,
                    span: rsp,
                });
            }
            Rule::line_key => term.key = ident_list(children(c).next().unwrap()),
            _ => {}
        }
    }
    term
}

fn build_cap(p: Pair<Rule>) -> CapTerm {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let label = string(it.next().unwrap());
    let over = ident_list(it.next().unwrap());
    let mut per = Vec::new();
    let mut bound = None;
    for c in it {
        match c.as_rule() {
            Rule::cap_per => per = ident_list(children(c).next().unwrap()),
            Rule::expr => bound = Some(build_expr(c)),
            _ => {}
        }
    }
    CapTerm {
        name,
        label,
        over,
        per,
        bound: bound.unwrap(),
        span: sp,
    }
}

fn build_supplement(p: Pair<Rule>) -> Supplement {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let label = string(it.next().unwrap());
    let mut filter = None;
    let mut pay = None;
    for c in it {
        match c.as_rule() {
            Rule::cond => filter = Some(build_cond(c)),
            Rule::expr => pay = Some(build_expr(c)),
            _ => {}
        }
    }
    Supplement {
        name,
        label,
        filter,
        pay: pay.unwrap(),
        span: sp,
    }
}

fn build_class(p: Pair<Rule>) -> ClassDecl {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let mut cases = Vec::new();
    let mut otherwise = None;
    for c in it {
        match c.as_rule() {
            Rule::class_case => {
                let mut ci = children(c);
                let value = ident(ci.next().unwrap());
                let cond = build_cond(ci.next().unwrap());
                cases.push((value, cond));
            }
            Rule::ident => otherwise = Some(ident(c)),
            _ => {}
        }
    }
    ClassDecl {
        name,
        cases,
        otherwise: otherwise.unwrap(),
        span: sp,
    }
}

fn build_bands(p: Pair<Rule>) -> BandDecl {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let bands = it
        .map(|b| {
            let bsp = span(&b);
            let mut bi = children(b);
            let value = ident(bi.next().unwrap());
            let k = bi.next().unwrap();
            let kind = match k.as_rule() {
                Rule::band_clock => {
                    let mut ki = children(k);
                    BandKind::Clock(text(ki.next().unwrap()), text(ki.next().unwrap()))
                }
                Rule::band_days => BandKind::Days(children(k).map(ident).collect()),
                _ => BandKind::Rest,
            };
            Band {
                value,
                kind,
                span: bsp,
            }
        })
        .collect();
    BandDecl {
        name,
        bands,
        span: sp,
    }
}

fn build_allocation(p: Pair<Rule>) -> Allocation {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let label = string(it.next().unwrap());
    let amount = spanned_quantity(it.next().unwrap());
    let month = text(it.next().unwrap());
    let basis_date = text(it.next().unwrap());
    let mut filter = None;
    let mut tie_break = None;
    for c in it {
        match c.as_rule() {
            Rule::cond => filter = Some(build_cond(c)),
            Rule::rounding => tie_break = children(c).next().map(ident),
            _ => {}
        }
    }
    Allocation {
        name,
        label,
        amount,
        month,
        basis_date,
        filter,
        tie_break: tie_break.unwrap(),
        span: sp,
    }
}

fn build_cond(p: Pair<Rule>) -> Cond {
    let sp = span(&p);
    match p.as_rule() {
        Rule::cond | Rule::cond_and => {
            let is_or = p.as_rule() == Rule::cond;
            let mut parts: Vec<Cond> = children(p).map(build_cond).collect();
            if parts.len() == 1 {
                parts.pop().unwrap()
            } else if is_or {
                Spanned::new(CondKind::Or(parts), sp)
            } else {
                Spanned::new(CondKind::And(parts), sp)
            }
        }
        Rule::cond_not => {
            let mut nots = 0;
            let mut atom = None;
            for c in inner(p) {
                if c.as_rule() == Rule::not_op {
                    nots += 1;
                } else {
                    atom = Some(build_cond(c));
                }
            }
            let mut c = atom.unwrap();
            for _ in 0..nots {
                c = Spanned::new(CondKind::Not(Box::new(c)), sp);
            }
            c
        }
        Rule::has => {
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
        Rule::within_dates => {
            let mut it = children(p);
            let value = build_expr(it.next().unwrap());
            let from = build_expr(it.next().unwrap());
            let to = build_expr(it.next().unwrap());
            Spanned::new(CondKind::Within { value, from, to }, sp)
        }
        Rule::comparison => {
            let mut it = children(p);
            let left = build_expr(it.next().unwrap());
            let op = match it.next().unwrap().as_str() {
                "=" => CmpOp::Eq,
                "!=" | "≠" => CmpOp::Ne,
                "<" => CmpOp::Lt,
                "<=" | "≤" => CmpOp::Le,
                ">" => CmpOp::Gt,
                _ => CmpOp::Ge,
            };
            let right = build_expr(it.next().unwrap());
            Spanned::new(CondKind::Compare { left, op, right }, sp)
        }
        Rule::in_term => Spanned::new(CondKind::InTerm(ident(children(p).next().unwrap())), sp),
        Rule::exists => Spanned::new(
            CondKind::Exists(build_expr(children(p).next().unwrap())),
            sp,
        ),
        Rule::cond_ref => Spanned::new(CondKind::Ref(ident(inner(p).next().unwrap())), sp),
        r => unreachable!("not a condition rule: {r:?}"),
    }
}

fn build_expr(p: Pair<Rule>) -> Expr {
    let sp = span(&p);
    match p.as_rule() {
        Rule::expr | Rule::product => {
            let mut it = inner(p);
            let mut left = build_expr(it.next().unwrap());
            while let Some(op) = it.next() {
                let op = match op.as_str() {
                    "+" => BinOp::Add,
                    "−" | "-" => BinOp::Sub,
                    "×" | "*" => BinOp::Mul,
                    _ => BinOp::Div,
                };
                let right = build_expr(it.next().unwrap());
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
            left
        }
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
        Rule::sum_days => {
            let mut filter = None;
            let mut expr = None;
            for c in children(p) {
                match c.as_rule() {
                    Rule::cond => filter = Some(Box::new(build_cond(c))),
                    _ => expr = Some(Box::new(build_expr(c))),
                }
            }
            Spanned::new(
                ExprKind::SumDays {
                    filter,
                    expr: expr.unwrap(),
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
    use std::collections::BTreeSet;

    use super::*;
    use crate::syntax::error::RESERVED;

    const GRAMMAR: &str = include_str!("../../grammar/taxa.pest");

    /// Every `kw_NAME = @{ "word" ~ !ident_char }` of the grammar.
    fn kw_rules() -> Vec<(&'static str, &'static str)> {
        GRAMMAR
            .lines()
            .filter_map(|l| {
                let (name, body) = l.strip_prefix("kw_")?.split_once(" = @{ \"")?;
                let (word, _) = body.split_once('"')?;
                Some((name, word))
            })
            .collect()
    }

    /// The alternatives of the grammar's `keyword` rule.
    fn keyword_rule() -> Vec<&'static str> {
        let start = GRAMMAR.find("\nkeyword = {").expect("a keyword rule");
        let body = &GRAMMAR[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
        body.split('|').map(str::trim).collect()
    }

    #[test]
    fn every_kw_rule_spells_its_keyword() {
        let rules = kw_rules();
        assert!(
            rules.len() >= RESERVED.len(),
            "the grammar's kw_ rules were read"
        );
        for (name, word) in rules {
            assert_eq!(keyword(name), word, "kw_{name} matches `{word}`");
        }
    }

    #[test]
    fn reserved_words_are_the_grammars_keywords() {
        let spelled: std::collections::HashMap<_, _> = kw_rules().into_iter().collect();
        let grammar: BTreeSet<&str> = keyword_rule()
            .into_iter()
            .map(|alt| {
                let name = alt
                    .strip_prefix("kw_")
                    .expect("keyword alternatives are kw_ rules");
                *spelled
                    .get(name)
                    .unwrap_or_else(|| panic!("no rule kw_{name}"))
            })
            .collect();
        let reserved: BTreeSet<&str> = RESERVED.into_iter().collect();
        assert_eq!(
            reserved.len(),
            RESERVED.len(),
            "RESERVED lists a word twice"
        );
        assert_eq!(reserved, grammar);
    }
}
