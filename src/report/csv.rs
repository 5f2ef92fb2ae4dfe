//! The CSV view (`--format csv`): one record per statement line, then one
//! per not-paid row and one per not-paid part, told apart by the first
//! column, so one file opens as one sheet and filters by record type.
//!
//! Columns (always all of them, empty where a record has no value):
//! `record` (`line`, `not_paid`, `not_paid_part`), `provider`,
//! `provider_name`, `period`, `term`, `label`, `key` (`zone=tätort;
//! band=natt`), `quantity`, `unit`, `rate`, `rate_unit`, `amount`, `kind`,
//! `id`, `activity`, `seconds`, `reason`, `source`.
//!
//! [`Dialect::Excel`] is what Swedish Excel opens as numbers: `;` between
//! cells, decimal commas, a UTF-8 byte order mark and CRLF line ends. In
//! both dialects a text cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'`, so a spreadsheet shows it as text and
//! never runs it as a formula (ids, names and reasons come from the data);
//! numbers are written by taxa and never neutralised.

use crate::eval::{Line, NotPaid, NotPaidPart, PayRun, Statement};

use super::format::{money, month, quantity};
use super::words::{self, Lang};

/// How the file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 4180: `,`, decimal points, LF.
    Standard,
    /// Swedish Excel: `;`, decimal commas, BOM, CRLF.
    Excel,
}

pub const COLUMNS: [&str; 18] = [
    "record",
    "provider",
    "provider_name",
    "period",
    "term",
    "label",
    "key",
    "quantity",
    "unit",
    "rate",
    "rate_unit",
    "amount",
    "kind",
    "id",
    "activity",
    "seconds",
    "reason",
    "source",
];

/// One cell: text from the data or the rules, or a number taxa wrote.
enum Cell<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(String),
    Empty,
}

fn text<'a>(s: impl Into<std::borrow::Cow<'a, str>>) -> Cell<'a> {
    Cell::Text(s.into())
}

struct Writer {
    out: String,
    dialect: Dialect,
}

impl Writer {
    fn sep(&self) -> char {
        match self.dialect {
            Dialect::Standard => ',',
            Dialect::Excel => ';',
        }
    }

    fn record(&mut self, cells: [Cell; 18]) {
        let sep = self.sep();
        for (i, c) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.push(sep);
            }
            match c {
                Cell::Empty => {}
                Cell::Number(n) => {
                    let n = match self.dialect {
                        Dialect::Standard => n,
                        Dialect::Excel => n.replace('.', ","),
                    };
                    self.out.push_str(&n);
                }
                Cell::Text(t) => self.push_text(&t),
            }
        }
        self.out.push_str(match self.dialect {
            Dialect::Standard => "\n",
            Dialect::Excel => "\r\n",
        });
    }

    fn push_text(&mut self, t: &str) {
        let neutral = match t.chars().next() {
            Some('=' | '+' | '-' | '@' | '\t' | '\r') => "'",
            _ => "",
        };
        let sep = self.sep();
        let quote = t.contains([sep, '"', '\n', '\r']) || !neutral.is_empty();
        if quote {
            self.out.push('"');
        }
        self.out.push_str(neutral);
        for ch in t.chars() {
            if ch == '"' {
                self.out.push('"');
            }
            self.out.push(ch);
        }
        if quote {
            self.out.push('"');
        }
    }
}

/// The run as CSV in the given dialect.
pub fn to_csv(run: &PayRun, dialect: Dialect, lang: Lang) -> String {
    let mut w = Writer {
        out: String::new(),
        dialect,
    };
    if dialect == Dialect::Excel {
        w.out.push('\u{feff}');
    }
    w.record(COLUMNS.map(text));
    for s in &run.statements {
        for l in &s.lines {
            w.record(line(s, l));
        }
    }
    for n in &run.not_paid {
        w.record(not_paid(n, lang));
    }
    for p in &run.not_paid_parts {
        w.record(part(p, lang));
    }
    w.out
}

fn line<'a>(s: &'a Statement, l: &'a Line) -> [Cell<'a>; 18] {
    let key = l
        .key
        .iter()
        .map(|k| format!("{}={}", k.name, k.value))
        .collect::<Vec<_>>()
        .join(";");
    [
        text("line"),
        text(s.provider.as_str()),
        s.provider_name.as_deref().map_or(Cell::Empty, text),
        text(month(s.period)),
        text(l.term.as_str()),
        text(l.label.as_str()),
        text(key),
        Cell::Number(quantity(l.quantity)),
        text(l.unit.as_str()),
        Cell::Number(money(l.rate)),
        text(l.rate_unit.as_str()),
        Cell::Number(money(l.amount)),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        text(l.source.to_string()),
    ]
}

fn not_paid(n: &NotPaid, lang: Lang) -> [Cell<'_>; 18] {
    [
        text("not_paid"),
        n.provider.as_deref().map_or(Cell::Empty, text),
        Cell::Empty,
        n.period.map_or(Cell::Empty, |m| text(month(m))),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        text(words::not_paid_kind(n.kind, lang)),
        text(n.id.as_str()),
        Cell::Empty,
        Cell::Empty,
        text(words::reason(&n.reason, lang)),
        n.source
            .as_ref()
            .map_or(Cell::Empty, |s| text(s.to_string())),
    ]
}

fn part(p: &NotPaidPart, lang: Lang) -> [Cell<'_>; 18] {
    [
        text("not_paid_part"),
        p.provider.as_deref().map_or(Cell::Empty, text),
        Cell::Empty,
        p.period.map_or(Cell::Empty, |m| text(month(m))),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        text(words::part_kind(&p.kind)),
        text(p.id.as_str()),
        p.activity.as_deref().map_or(Cell::Empty, text),
        p.seconds
            .map_or(Cell::Empty, |s| Cell::Number(s.to_string())),
        text(words::reason(&p.reason, lang)),
        p.source
            .as_ref()
            .map_or(Cell::Empty, |s| text(s.to_string())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: &str, d: Dialect) -> String {
        let mut w = Writer {
            out: String::new(),
            dialect: d,
        };
        w.push_text(t);
        w.out
    }

    #[test]
    fn a_formula_from_the_data_is_text_and_a_separator_is_quoted() {
        for f in ["=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx"] {
            let c = cell(f, Dialect::Standard);
            assert!(c.starts_with("\"'"), "{f:?} → {c}");
        }
        assert_eq!(cell("a,b", Dialect::Standard), "\"a,b\"");
        assert_eq!(cell("a,b", Dialect::Excel), "a,b");
        assert_eq!(cell("a;b", Dialect::Excel), "\"a;b\"");
        assert_eq!(cell("say \"hi\"", Dialect::Standard), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("C12", Dialect::Standard), "C12");
    }
}
