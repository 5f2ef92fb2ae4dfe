//! pest glue: the grammar in `grammar/taxa.pest` and the walk from pest pairs
//! to the AST. No pest type leaves this file and its parts: `grammar.rs`
//! (the generated parser), `pairs.rs` (the readers every part shares) and
//! `exprs.rs` (conditions, expressions, `värde`).

use pest::Parser as _;
use pest::iterators::{Pair, Pairs};

use super::ast::*;
#[cfg(test)]
use super::depth::MAX_DEPTH;
use super::depth::too_deep_parentheses;
use super::error::{Expected, SyntaxError, found_at, keyword};
use super::recover::{Piece, recover};

mod exprs;
mod grammar;
mod pairs;
mod times;
use exprs::{build_cond, build_expr, build_value};
use grammar::{Rule, TaxaParser};
use pairs::*;
use times::build_bands;

/// Parses a rule file into its syntax tree, or every syntax error it has.
/// Parentheses nested deeper than [`MAX_DEPTH`](super::depth::MAX_DEPTH) are refused before pest
/// sees them (pest recurses once per pair); every other level is counted
/// while the tree is built, so no tree deeper than the limit exists.
pub fn parse(src: &str) -> Result<File, Vec<SyntaxError>> {
    if let Some(span) = too_deep_parentheses(src) {
        return Err(vec![SyntaxError::too_deep(span)]);
    }
    match TaxaParser::parse(Rule::file, src) {
        Ok(mut pairs) => {
            let file = pairs.next().expect("the file rule always yields one pair");
            build_file(file).map_err(|e| vec![e])
        }
        Err(first) => Err(recover(src, syntax_error(first, 0), |piece, text, at| {
            let rule = match piece {
                Piece::Preamble => Rule::preamble_only,
                Piece::Header => Rule::header_only,
                Piece::Item => Rule::item_only,
            };
            TaxaParser::parse(rule, text)
                .map(|_| ())
                .map_err(|e| syntax_error(e, at))
        })),
    }
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
    // pest's own guard: less than 64 KiB of stack left (nesting the scan
    // does not count, e.g. `summa för kunddagar av summa för kunddagar …`).
    if let pest::error::ErrorVariant::CustomError { message } = &e.variant
        && (message == "stack limit reached" || message == "call limit reached")
    {
        return SyntaxError::too_deep(Span::new(pos, pos));
    }
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
        Rule::clock => Expected::ClockTime,
        Rule::month => Expected::Month,
        Rule::quantity | Rule::number => Expected::Number,
        Rule::unit => Expected::Unit,
        Rule::cmp_op => Expected::Comparison,
        Rule::add_op | Rule::mul_op | Rule::bound_op => Expected::Operator,
        Rule::expr | Rule::arith | Rule::product | Rule::negated | Rule::constant => {
            Expected::Value
        }
        Rule::cond | Rule::cond_and | Rule::cond_not => Expected::Condition,
        Rule::code_decl
        | Rule::value_decl
        | Rule::staff_decl
        | Rule::file_decl
        | Rule::field_decl
        | Rule::headers_decl
        | Rule::table
        | Rule::condition_decl
        | Rule::unpriced_decl
        | Rule::checks_decl
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

fn build_file(p: Pair<Rule>) -> Built<File> {
    let mut header = None;
    let mut items = Vec::new();
    for c in children(p) {
        match c.as_rule() {
            Rule::header => header = Some(build_header(c)),
            Rule::value_decl => items.push(Item::Value(build_value(c)?)),
            Rule::file_decl => items.push(Item::File(build_file_decl(c))),
            Rule::field_decl => items.push(Item::Field(build_field(c))),
            Rule::staff_decl => {
                let sp = span(&c);
                let field = ident(children(c).last().unwrap());
                items.push(Item::Staff(StaffDecl { field, span: sp }))
            }
            Rule::headers_decl => items.push(Item::Headers(build_headers(c))),
            Rule::code_decl => items.push(Item::Code(build_code(c))),
            Rule::table => items.push(Item::Table(build_table(c))),
            Rule::condition_decl => items.push(Item::Condition(build_condition_decl(c)?)),
            Rule::unpriced_decl => items.push(Item::VisitsNotPriced(span(&c))),
            Rule::checks_decl => items.push(Item::Checks(build_checks(c))),
            Rule::pay_term => items.push(Item::Pay(Box::new(build_pay(c)?))),
            Rule::cap_term => items.push(Item::Cap(build_cap(c)?)),
            Rule::supplement => items.push(Item::Supplement(build_supplement(c)?)),
            Rule::class_decl => items.push(Item::Class(build_class(c)?)),
            Rule::calendar_decl => {
                let sp = span(&c);
                let name = ident(children(c).next().unwrap());
                items.push(Item::Calendar(CalendarDecl { name, span: sp }))
            }
            Rule::band_decl => items.push(Item::Bands(build_bands(c))),
            Rule::allocation => items.push(Item::Allocation(build_allocation(c)?)),
            _ => {}
        }
    }
    Ok(File {
        header: header.unwrap_or(Header {
            name: Spanned::new(String::new(), Span::new(0, 0)),
            valid_from: Spanned::new(String::new(), Span::new(0, 0)),
            valid_to: Spanned::new(String::new(), Span::new(0, 0)),
            span: Span::new(0, 0),
        }),
        items,
    })
}

/// Parses the declarations of the standard fields (no contract header).
/// The text is bundled; an error in it is the crate's own bug, and is
/// returned like any other so a test can show it.
pub fn parse_prelude(src: &str) -> Result<Vec<Item>, Vec<SyntaxError>> {
    match TaxaParser::parse(Rule::prelude, src) {
        Ok(mut pairs) => {
            let file = pairs
                .next()
                .expect("the prelude rule always yields one pair");
            build_file(file).map(|f| f.items).map_err(|e| vec![e])
        }
        Err(first) => Err(vec![syntax_error(first, 0)]),
    }
}

/// `kontroller för besök: …`: each check's name kept as its words.
fn build_checks(p: Pair<Rule>) -> ChecksDecl {
    let sp = span(&p);
    let mut it = children(p);
    let rows = text(it.next().expect("the grammar gives the row kind"));
    let checks = it.map(|entry| {
        let esp = span(&entry);
        let mut parts = children(entry);
        let words = parts
            .next()
            .map_or_else(Vec::new, |n| children(n).map(|w| text(w)).collect());
        let reason = parts.next().map(otherwise);
        CheckEntry {
            words,
            reason,
            span: esp,
        }
    });
    ChecksDecl {
        rows,
        checks: checks.collect(),
        span: sp,
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

fn build_headers(p: Pair<Rule>) -> HeadersDecl {
    let sp = span(&p);
    let mut it = children(p);
    let file = text(it.next().unwrap());
    let pair = |mut m: Pairs<Rule>| (ident(m.next().unwrap()), string(m.next().unwrap()));
    let map = it.map(|m| pair(m.into_inner())).collect();
    HeadersDecl {
        file,
        map,
        span: sp,
    }
}

fn build_file_decl(p: Pair<Rule>) -> FileDecl {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let file = string(it.next().unwrap());
    let per = text(it.next().unwrap());
    FileDecl {
        name,
        file,
        per,
        span: sp,
    }
}

fn build_field(p: Pair<Rule>) -> FieldDecl {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let file = text(it.next().unwrap());
    let mut ty_pair = it.next().unwrap();
    let mut column = None;
    if ty_pair.as_rule() == Rule::field_column {
        column = Some(string(children(ty_pair).next().unwrap()));
        ty_pair = it.next().unwrap();
    }
    let tsp = span(&ty_pair);
    let kind = inner(ty_pair).next().unwrap();
    let ty = match kind.as_rule() {
        Rule::field_flag => FieldType::Flag,
        Rule::field_code => FieldType::Code(children(kind).map(ident).collect()),
        Rule::field_codes => FieldType::Codes(children(kind).map(ident).collect()),
        Rule::field_integer => {
            let mut bounds = children(kind).map(|n| n.as_str().parse::<u32>().unwrap_or(u32::MAX));
            let min = bounds.next().unwrap_or(0);
            let max = bounds.next().unwrap_or(0);
            FieldType::Integer { min, max }
        }
        Rule::field_number => FieldType::Number(text(children(kind).next().unwrap())),
        _ => FieldType::Date,
    };
    let mut rest: Vec<Pair<Rule>> = it.collect();
    let optional = rest
        .last()
        .is_some_and(|p| p.as_rule() == Rule::field_optional);
    if optional {
        rest.pop();
    }
    let empty = rest.into_iter().next().map(|e| {
        let v = children(e).next().unwrap();
        let vsp = span(&v);
        let value = match v.as_rule() {
            Rule::field_none => EmptyValue::Nothing,
            Rule::yes => EmptyValue::Bool(true),
            Rule::no => EmptyValue::Bool(false),
            Rule::quantity => EmptyValue::Number(quantity(v)),
            Rule::date => EmptyValue::Date(v.as_str().to_string()),
            _ => EmptyValue::Name(v.as_str().to_string()),
        };
        Spanned::new(value, vsp)
    });
    FieldDecl {
        name,
        file,
        column,
        ty: Spanned::new(ty, tsp),
        empty,
        optional,
        span: sp,
    }
}

/// A literal or a `värde`'s name where no expression stands.
fn constant(p: Pair<Rule>) -> Spanned<Constant> {
    let sp = span(&p);
    let c = inner(p).next().expect("a quantity or a name");
    let node = match c.as_rule() {
        Rule::quantity => Constant::Literal(quantity(c)),
        _ => Constant::Value(c.as_str().to_string()),
    };
    Spanned::new(node, sp)
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

fn build_condition_decl(p: Pair<Rule>) -> Built<ConditionDecl> {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let cond = build_cond(it.next().unwrap(), 1)?;
    let reason = otherwise(it.next().unwrap());
    Ok(ConditionDecl {
        name,
        cond,
        reason,
        span: sp,
    })
}

fn otherwise(p: Pair<Rule>) -> Spanned<String> {
    string(children(p).next().unwrap())
}

fn build_pay(p: Pair<Rule>) -> Built<PayTerm> {
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
                    Rule::kw_utforarmanader => SourceKind::ProviderMonths,
                    _ => SourceKind::Events,
                };
                source = Some(Spanned::new(kind, s));
            }
            Rule::within => within = children(c).next().map(ident),
            Rule::cond => filter = Some(build_cond(c, 1)?),
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
        staff_cap: None,
        repeated: Vec::new(),
        span: sp,
    };
    for c in it {
        let once = match c.as_rule() {
            Rule::pay if term.pay.is_some() => Some("betala"),
            Rule::line_key if !term.key.is_empty() => Some("rad per"),
            Rule::window if term.window.is_some() => Some("fönster"),
            Rule::replaces if term.replaces.is_some() => Some("ersätter"),
            Rule::staff_cap if term.staff_cap.is_some() => Some("personal högst"),
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
                    let cond = build_cond(ri.next().unwrap(), 1)?;
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
                let count = constant(li.next().unwrap());
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
            Rule::pay => term.pay = Some(build_expr(children(c).next().unwrap(), 1)?),
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
            Rule::staff_cap => {
                let csp = span(&c);
                let mut ci = children(c);
                let most = constant(ci.next().unwrap());
                let mut unless = None;
                let mut reason = None;
                for x in ci {
                    match x.as_rule() {
                        Rule::cond => unless = Some(build_cond(x, 1)?),
                        Rule::otherwise => reason = Some(otherwise(x)),
                        _ => {}
                    }
                }
                term.staff_cap = Some(StaffCap {
                    most,
                    unless,
                    reason: reason.unwrap(),
                    span: csp,
                });
            }
            Rule::replaces => {
                let rsp = span(&c);
                let mut ri = children(c);
                let target = ident(ri.next().unwrap());
                let cond = build_cond(ri.next().unwrap(), 1)?;
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
    Ok(term)
}

fn build_cap(p: Pair<Rule>) -> Built<CapTerm> {
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
            Rule::expr => bound = Some(build_expr(c, 1)?),
            _ => {}
        }
    }
    Ok(CapTerm {
        name,
        label,
        over,
        per,
        bound: bound.unwrap(),
        span: sp,
    })
}

fn build_supplement(p: Pair<Rule>) -> Built<Supplement> {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let label = string(it.next().unwrap());
    let mut filter = None;
    let mut pay = None;
    for c in it {
        match c.as_rule() {
            Rule::cond => filter = Some(build_cond(c, 1)?),
            Rule::expr => pay = Some(build_expr(c, 1)?),
            _ => {}
        }
    }
    Ok(Supplement {
        name,
        label,
        filter,
        pay: pay.unwrap(),
        span: sp,
    })
}

fn build_class(p: Pair<Rule>) -> Built<ClassDecl> {
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
                let cond = build_cond(ci.next().unwrap(), 1)?;
                cases.push((value, cond));
            }
            Rule::ident => otherwise = Some(ident(c)),
            _ => {}
        }
    }
    Ok(ClassDecl {
        name,
        cases,
        otherwise: otherwise.unwrap(),
        span: sp,
    })
}

fn build_allocation(p: Pair<Rule>) -> Built<Allocation> {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let label = string(it.next().unwrap());
    let amount = constant(it.next().unwrap());
    let month = text(it.next().unwrap());
    let basis_date = text(it.next().unwrap());
    let mut filter = None;
    let mut tie_break = None;
    for c in it {
        match c.as_rule() {
            Rule::cond => filter = Some(build_cond(c, 1)?),
            Rule::rounding => tie_break = children(c).next().map(ident),
            _ => {}
        }
    }
    Ok(Allocation {
        name,
        label,
        amount,
        month,
        basis_date,
        filter,
        tie_break: tie_break.unwrap(),
        span: sp,
    })
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

    const HEADER: &str = "avtal \"X\" gäller 2025-01-01 till 2025-12-31\n";

    fn pays(expr: &str) -> Result<File, Vec<SyntaxError>> {
        parse(&format!(
            "{HEADER}moment T1 \"x\" för besök betala {expr}\n"
        ))
    }

    fn requires(cond: &str) -> Result<File, Vec<SyntaxError>> {
        parse(&format!(
            "{HEADER}villkor v: {cond} annars \"r\"\nmoment T1 \"x\" för besök kräver v betala tid × 1 kr/h\n"
        ))
    }

    /// The one error, which must be `too_deep`; the text it underlines.
    fn too_deep(r: Result<File, Vec<SyntaxError>>, src_of: impl Fn(Span) -> String) -> String {
        let errors = r.expect_err("too deep");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].kind,
            super::super::SyntaxKind::TooDeep,
            "{errors:?}"
        );
        src_of(errors[0].span)
    }

    #[test]
    fn a_chain_of_max_depth_operands_is_the_limit() {
        let chain = |n: usize| format!("tid{}", " × 1".repeat(n - 1));
        assert!(pays(&chain(MAX_DEPTH)).is_ok());
        let src = format!(
            "{HEADER}moment T1 \"x\" för besök betala {}\n",
            chain(MAX_DEPTH + 1)
        );
        let under = too_deep(parse(&src), |s| src[s.start..s.end].to_string());
        // The first operand is at level 65: the first operator's node
        // holds it.
        assert_eq!(under, "tid × 1");
        // Far beyond the limit, nothing is built: no stack is at risk.
        assert!(pays(&chain(70_000)).is_err());
    }

    #[test]
    fn parentheses_and_inte_count_one_level_each() {
        let parens = |n: usize| format!("{}tid{} × 1 kr/h", "(".repeat(n), ")".repeat(n));
        // `betala (…(tid)…) × 1 kr/h`: the product is level 1, so 62 pairs
        // put `tid` at level 64.
        assert!(pays(&parens(MAX_DEPTH - 2)).is_ok());
        assert!(pays(&parens(MAX_DEPTH - 1)).is_err());
        // The scan refuses 64 pairs before pest is called.
        assert!(pays(&parens(MAX_DEPTH)).is_err());
        let nots = |n: usize| format!("{}status = utförd", "inte ".repeat(n));
        // n × `inte` and the comparison below them: n + 1 levels, with its
        // operands one more.
        assert!(requires(&nots(MAX_DEPTH - 2)).is_ok());
        let src = nots(MAX_DEPTH - 1);
        let under = too_deep(requires(&src), |_| String::new());
        assert!(under.is_empty());
        assert!(requires(&nots(10_000)).is_err());
    }

    #[test]
    fn nested_day_sums_count_one_level_each() {
        let sums = |n: usize| {
            format!(
                "{HEADER}tak K \"k\" över T1 högst {}1 kr\n",
                "summa för kunddagar av ".repeat(n)
            )
        };
        assert!(parse(&sums(MAX_DEPTH - 1)).is_ok());
        let errors = parse(&sums(MAX_DEPTH)).unwrap_err();
        assert_eq!(errors[0].kind, super::super::SyntaxKind::TooDeep);
        // Deeper than pest can go on this thread: pest's own guard stops
        // it, and the error is the same kind.
        let errors = parse(&sums(20_000)).unwrap_err();
        assert_eq!(
            errors[0].kind,
            super::super::SyntaxKind::TooDeep,
            "{errors:?}"
        );
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
