//! A rule file as the diff reads it: the contract's name and validity,
//! every rate cell, every term as its clauses, every other declaration —
//! each as the text the officer wrote (comments dropped, white space made
//! single) with its citation, so two versions compare by what they say and
//! not by how they are laid out.

use rust_decimal::Decimal;

use crate::syntax::{self, CondKind, Expr, ExprKind, File, Item, PayTerm, SourceRef, Span, Table};

/// A piece of the rule file: its text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    pub text: String,
    pub source: SourceRef,
}

/// One cell of a rate table: `omsorg_timpris[tätort]`, `grundpris[kommunal, service]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub id: String,
    /// The name terms look the rate up by (`omsorg_timpris`, `grundpris`).
    pub name: String,
    pub value: Decimal,
    pub unit: String,
    pub source: SourceRef,
}

/// A term: its kind word, its label and its clauses in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermText {
    pub name: String,
    /// `moment`, `tak`, `tillägg`, `fördelning`.
    pub kind: &'static str,
    pub clauses: Vec<(&'static str, Cited)>,
    /// The rate names its expressions look up.
    pub reads: Vec<String>,
    pub source: SourceRef,
}

/// Any other declaration, keyed by its kind word and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub kind: &'static str,
    pub name: String,
    pub text: Cited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub name: Cited,
    pub validity: Cited,
    pub rates: Vec<Rate>,
    pub terms: Vec<TermText>,
    pub declarations: Vec<Declaration>,
}

impl Rules {
    /// `tree` parsed from `src`, named `file` in citations.
    pub fn read(tree: &File, src: &str, file: &str) -> Rules {
        let r = Reader { src, file };
        let h = &tree.header;
        let mut rules = Rules {
            name: r.cited(h.name.span),
            validity: Cited {
                text: format!("{} till {}", h.valid_from.node, h.valid_to.node),
                source: r.at(h.valid_from.span),
            },
            rates: Vec::new(),
            terms: Vec::new(),
            declarations: Vec::new(),
        };
        for item in &tree.items {
            r.item(item, &mut rules);
        }
        rules
    }
}

struct Reader<'a> {
    src: &'a str,
    file: &'a str,
}

impl Reader<'_> {
    fn at(&self, span: Span) -> SourceRef {
        syntax::source_ref(self.src, self.file, span.start)
    }

    fn cited(&self, span: Span) -> Cited {
        self.cited_from(span.start, span.end, "")
    }

    /// The text from `start` to `end`, after `prefix` (a clause's keyword
    /// where the tree keeps no span for it).
    fn cited_from(&self, start: usize, end: usize, prefix: &str) -> Cited {
        let raw = self.src.get(start..end.max(start)).unwrap_or("");
        Cited {
            text: format!("{prefix}{}", plain(raw)),
            source: syntax::source_ref(self.src, self.file, start),
        }
    }

    fn declare(&self, rules: &mut Rules, kind: &'static str, name: &str, span: Span) {
        rules.declarations.push(Declaration {
            kind,
            name: name.to_string(),
            text: self.cited(span),
        });
    }

    fn item(&self, item: &Item, rules: &mut Rules) {
        match item {
            Item::Staff(s) => self.declare(rules, "betald_tid", "", s.span),
            Item::File(f) => self.declare(rules, "fil", &f.name.node, f.span),
            Item::Field(f) => self.declare(rules, "fält", &f.name.node, f.span),
            Item::Headers(h) => self.declare(rules, "rubriker", &h.file.node, h.span),
            Item::Code(c) => self.declare(rules, "kod", &c.column.node, c.span),
            Item::Condition(c) => self.declare(rules, "villkor", &c.name.node, c.span),
            Item::Class(c) => self.declare(rules, "klass", &c.name.node, c.span),
            Item::Calendar(c) => self.declare(rules, "kalender", &c.name.node, c.span),
            Item::Bands(b) => self.declare(rules, "tidsband", &b.name.node, b.span),
            Item::Checks(c) => self.declare(rules, "kontroller", &c.rows.node, c.span),
            Item::VisitsNotPriced(span) => self.declare(rules, "besök ersätts inte", "", *span),
            Item::Table(t) => self.table(t, rules),
            // A value that is a number as written compares as a rate (old →
            // new, in its unit and per cent); a derived one by its text.
            Item::Value(v) => match &v.expr.node {
                ExprKind::Number(q) if v.rounding.is_none() => rules.rates.push(Rate {
                    id: v.name.node.clone(),
                    name: v.name.node.clone(),
                    value: q.value,
                    unit: q.unit.as_ref().map(|u| u.node.clone()).unwrap_or_default(),
                    source: self.at(v.expr.span),
                }),
                _ => self.declare(rules, "värde", &v.name.node, v.span),
            },
            Item::Pay(p) => rules.terms.push(self.pay(p)),
            Item::Cap(c) => {
                let mut clauses = vec![("etikett", self.cited(c.label.span))];
                let over_end = c
                    .per
                    .last()
                    .or(c.over.last())
                    .map_or(c.span.end, |i| i.span.end);
                let over_start = c.over.first().map_or(c.span.start, |i| i.span.start);
                clauses.push(("över", self.cited_from(over_start, over_end, "över ")));
                clauses.push((
                    "högst",
                    self.cited_from(c.bound.span.start, c.bound.span.end, "högst "),
                ));
                rules.terms.push(TermText {
                    name: c.name.node.clone(),
                    kind: "tak",
                    clauses,
                    reads: lookups(&c.bound),
                    source: self.at(c.span),
                });
            }
            Item::Supplement(s) => {
                let mut clauses = vec![("etikett", self.cited(s.label.span))];
                if let Some(f) = &s.filter {
                    clauses.push(("där", self.cited_from(f.span.start, f.span.end, "där ")));
                }
                clauses.push((
                    "betala",
                    self.cited_from(s.pay.span.start, s.pay.span.end, "betala "),
                ));
                rules.terms.push(TermText {
                    name: s.name.node.clone(),
                    kind: "tillägg",
                    clauses,
                    reads: lookups(&s.pay),
                    source: self.at(s.span),
                });
            }
            Item::Allocation(a) => {
                let clauses = vec![
                    ("etikett", self.cited(a.label.span)),
                    (
                        "fördela",
                        self.cited_from(a.amount.span.start, a.span.end, "fördela "),
                    ),
                ];
                rules.terms.push(TermText {
                    name: a.name.node.clone(),
                    kind: "fördelning",
                    clauses,
                    reads: Vec::new(),
                    source: self.at(a.span),
                });
            }
        }
    }

    fn table(&self, t: &Table, rules: &mut Rules) {
        for row in &t.rows {
            for (j, cell) in row.cells.iter().enumerate() {
                let Some(q) = &cell.node else { continue };
                let column = t.header.get(j).map(|h| h.node.as_str());
                let (name, keys) = match &t.name {
                    Some(n) => (n.node.clone(), [Some(row.label.node.as_str()), column]),
                    None => (row.label.node.clone(), [column, None]),
                };
                let keys: Vec<&str> = keys.into_iter().flatten().collect();
                let id = if keys.is_empty() {
                    name.clone()
                } else {
                    format!("{name}[{}]", keys.join(", "))
                };
                rules.rates.push(Rate {
                    id,
                    name,
                    value: q.value,
                    unit: q.unit.as_ref().map(|u| u.node.clone()).unwrap_or_default(),
                    source: self.at(cell.span),
                });
            }
        }
    }

    fn pay(&self, p: &PayTerm) -> TermText {
        let mut clauses = vec![("etikett", self.cited(p.label.span))];
        let sel_end = [
            Some(p.source.span.end),
            p.within.as_ref().map(|w| w.span.end),
            p.filter.as_ref().map(|f| f.span.end),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(p.source.span.end);
        clauses.push(("för", self.cited_from(p.source.span.start, sel_end, "för ")));
        let mut list = |name: &'static str, spans: Vec<Span>| {
            if let (Some(first), Some(last)) = (spans.first(), spans.last()) {
                let prefix = if name == "gräns" { "" } else { "kräver " };
                clauses.push((name, self.cited_from(first.start, last.end, prefix)));
            }
        };
        list("kräver", p.requires.iter().map(|r| r.span).collect());
        list("gräns", p.limits.iter().map(|l| l.span).collect());
        if let Some(c) = &p.staff_cap {
            clauses.push(("personal", self.cited(c.span)));
        }
        if let Some(w) = &p.window {
            clauses.push(("fönster", self.cited(w.span)));
        }
        if let Some(s) = p.check_customer {
            clauses.push(("kontrollera kund", self.cited(s)));
        }
        if let Some(r) = &p.replaces {
            clauses.push(("ersätter", self.cited(r.span)));
        }
        if let Some(e) = &p.pay {
            clauses.push((
                "betala",
                self.cited_from(e.span.start, e.span.end, "betala "),
            ));
        }
        if let (Some(first), Some(last)) = (p.key.first(), p.key.last()) {
            clauses.push((
                "rad per",
                self.cited_from(first.span.start, last.span.end, "rad per "),
            ));
        }
        let mut reads = p.pay.as_ref().map(lookups).unwrap_or_default();
        for c in p.filter.iter().chain(p.requires.iter().map(|r| &r.cond)) {
            cond_lookups(c, &mut reads);
        }
        reads.sort();
        reads.dedup();
        TermText {
            name: p.name.node.clone(),
            kind: "moment",
            clauses,
            reads,
            source: self.at(p.span),
        }
    }
}

/// The rate names an expression looks up.
fn lookups(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    expr_lookups(e, &mut out);
    out.sort();
    out.dedup();
    out
}

fn expr_lookups(e: &Expr, out: &mut Vec<String>) {
    match &e.node {
        ExprKind::Lookup { table, .. } => out.push(table.node.clone()),
        ExprKind::Binary { left, right, .. } => {
            expr_lookups(left, out);
            expr_lookups(right, out);
        }
        ExprKind::Neg(e) => expr_lookups(e, out),
        // A named value is read like a rate: its change lists this term.
        ExprKind::Name(n) => out.push(n.node.clone()),
        ExprKind::SumDays { filter, expr } => {
            if let Some(c) = filter {
                cond_lookups(c, out);
            }
            expr_lookups(expr, out);
        }
        ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::Bool(_) | ExprKind::SumTerms(_) => {}
    }
}

fn cond_lookups(c: &syntax::Cond, out: &mut Vec<String>) {
    match &c.node {
        CondKind::Or(cs) | CondKind::And(cs) => cs.iter().for_each(|c| cond_lookups(c, out)),
        CondKind::Not(c) => cond_lookups(c, out),
        CondKind::Within { value, from, to } => [value, from, to]
            .into_iter()
            .for_each(|e| expr_lookups(e, out)),
        CondKind::Compare { left, right, .. } => {
            expr_lookups(left, out);
            expr_lookups(right, out);
        }
        CondKind::Exists(e) => expr_lookups(e, out),
        CondKind::Has { .. }
        | CondKind::InTerm(_)
        | CondKind::Ref(_)
        | CondKind::NoRows(_)
        | CondKind::At { .. } => {}
    }
}

/// Source text as compared: comments (outside quotes) dropped, every run of
/// white space one space.
pub fn plain(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quoted = false;
    let mut comment = false;
    let mut space = false;
    for ch in raw.chars() {
        if comment {
            if ch == '\n' {
                comment = false;
                space = true;
            }
            continue;
        }
        match ch {
            '#' if !quoted => comment = true,
            c if c.is_whitespace() && !quoted => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                if c == '"' {
                    quoted = !quoted;
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_compares_without_comments_and_layout() {
        assert_eq!(
            plain("betala  dagsandel\n   × 2075 kr/mån   # (illustr.)\n"),
            "betala dagsandel × 2075 kr/mån"
        );
        assert_eq!(plain("annars \"a  # b\""), "annars \"a  # b\"");
    }
}
