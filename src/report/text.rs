//! The text view: statements for a provider's controller to read.
//!
//! Its words are Swedish by default, English on request ([`Lang`]); labels,
//! the rule file's reasons and data are printed as given. Numbers use the
//! Swedish format (`123 565,50 kr`: thousands separated by a space, decimal
//! comma) with the same digits as the JSON view, in either language. Columns are aligned across
//! the whole run, counting characters (not bytes), so `å`, `×` and `–` take
//! one column each.

use std::fmt::Write as _;

use crate::eval::{Line, NotPaid, NotPaidPart, PayRun, Reconciliation, SourceRef, Statement};

use super::format::{group_thousands, hms, kr, money, month, quantity, swedish};
use super::words::{self, Lang};

/// The run as a plain-text document, ending in a newline.
pub fn to_text(run: &PayRun, lang: Lang) -> String {
    let run = &*super::printable::printable_run(run);
    let mut out = String::new();
    let c = &run.contract;
    let valid = lang.pick("giltigt", "valid");
    let _ = writeln!(
        out,
        "{}  ({}, {valid} {} – {})",
        c.name, c.file, c.valid_from, c.valid_to
    );
    for v in run.versions.iter().skip(1) {
        let _ = writeln!(
            out,
            "{}  ({}, {valid} {} – {})",
            v.name, v.file, v.valid_from, v.valid_to
        );
    }
    if !run.uncovered_months.is_empty() {
        let months: Vec<String> = run.uncovered_months.iter().copied().map(month).collect();
        let _ = writeln!(
            out,
            "{} {}{}",
            lang.pick("Ingen avtalsversion täcker", "No contract version covers"),
            months.join(", "),
            lang.pick(
                ": de raderna listas som ej ersatta.",
                ": those rows are listed as not paid."
            )
        );
    }
    out.push('\n');
    statements(&mut out, &run.statements, lang);
    out.push('\n');
    not_paid(&mut out, &run.not_paid, lang);
    out.push('\n');
    partly_paid(&mut out, &run.not_paid_parts, lang);
    out.push('\n');
    reconciliation(&mut out, &run.reconciliation, lang);
    out
}

// ---------------------------------------------------------------- layout

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// Rows of left-aligned cells, two spaces apart; columns empty in every row
/// are left out and trailing blanks trimmed.
fn table(out: &mut String, indent: &str, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .filter(|(_, w)| **w > 0)
            .map(|(c, w)| pad_right(c, *w))
            .collect();
        let _ = writeln!(out, "{indent}{}", cells.join("  ").trim_end());
    }
}

/// `provider period`, whichever of them is known.
fn whereabouts(provider: Option<&str>, period: Option<crate::eval::Month>) -> String {
    let period = period.map(month);
    [provider, period.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rule a row was refused by, or, for the engine's own checks the rule
/// file does not declare, that it was the engine.
fn source_or_check(source: Option<&SourceRef>, lang: Lang) -> String {
    source.map_or_else(
        || {
            lang.pick("(motorns kontroll)", "(engine check)")
                .to_string()
        },
        SourceRef::to_string,
    )
}

// ---------------------------------------------------------------- statements

/// The figures of one line, formatted for its calculation row.
struct Figures {
    quantity: String,
    unit: String,
    rate: String,
    rate_unit: String,
    amount: String,
}

impl Figures {
    fn of(l: &Line) -> Self {
        Figures {
            quantity: swedish(&quantity(l.quantity)),
            unit: l.unit.clone(),
            rate: swedish(&money(l.rate)),
            rate_unit: l.rate_unit.clone(),
            amount: kr(l.amount),
        }
    }
}

/// Column widths shared by every statement of the run.
#[derive(Default)]
struct Columns {
    term: usize,
    quantity: usize,
    unit: usize,
    rate: usize,
    rate_unit: usize,
    amount: usize,
}

impl Columns {
    fn of(statements: &[Statement]) -> Self {
        let mut c = Columns::default();
        for st in statements {
            c.amount = c.amount.max(width(&kr(st.total)));
            for l in &st.lines {
                let f = Figures::of(l);
                c.term = c.term.max(width(&l.term));
                c.quantity = c.quantity.max(width(&f.quantity));
                c.unit = c.unit.max(width(&f.unit));
                c.rate = c.rate.max(width(&f.rate));
                c.rate_unit = c.rate_unit.max(width(&f.rate_unit));
                c.amount = c.amount.max(width(&f.amount));
            }
        }
        c
    }

    /// Where a line's calculation row starts: under the label.
    fn indent(&self) -> usize {
        2 + self.term + 2
    }

    /// Where the amount column starts.
    fn amount_at(&self) -> usize {
        self.indent() + self.quantity + 1 + self.unit + 3 + self.rate + 1 + self.rate_unit + 3
    }
}

fn statements(out: &mut String, statements: &[Statement], lang: Lang) {
    if statements.is_empty() {
        out.push_str(lang.pick("Underlag: inga\n", "Statements: none\n"));
        return;
    }
    let cols = Columns::of(statements);
    for (i, st) in statements.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        statement(out, st, &cols, lang);
    }
}

fn statement(out: &mut String, st: &Statement, cols: &Columns, lang: Lang) {
    let who = match &st.provider_name {
        Some(name) => format!("{} {name}", st.provider),
        None => st.provider.clone(),
    };
    let _ = writeln!(out, "{who} — {}", month(st.period));
    let indent = " ".repeat(cols.indent());
    if st.lines.is_empty() {
        let _ = writeln!(out, "{indent}{}", lang.pick("(inga rader)", "(no lines)"));
    }
    for l in &st.lines {
        line(out, l, cols, &indent, lang);
    }
    let _ = writeln!(
        out,
        "{}{}",
        pad_right(lang.pick("  Summa", "  Total"), cols.amount_at()),
        pad_left(&kr(st.total), cols.amount)
    );
}

fn line(out: &mut String, l: &Line, cols: &Columns, indent: &str, lang: Lang) {
    let mut head = format!("  {}  {}", pad_right(&l.term, cols.term), l.label);
    if !l.key.is_empty() {
        let key: Vec<String> = l
            .key
            .iter()
            .map(|p| format!("{}: {}", p.name, p.value))
            .collect();
        let _ = write!(head, "  [{}]", key.join(", "));
    }
    let _ = writeln!(out, "{}", head.trim_end());

    let f = Figures::of(l);
    let _ = writeln!(
        out,
        "{indent}{} {} × {} {} = {}   {}",
        pad_left(&f.quantity, cols.quantity),
        pad_right(&f.unit, cols.unit),
        pad_left(&f.rate, cols.rate),
        pad_right(&f.rate_unit, cols.rate_unit),
        pad_left(&f.amount, cols.amount),
        l.source
    );
    let _ = writeln!(out, "{indent}  {}", words::working(l, lang, true));
    for d in &l.details {
        let _ = writeln!(out, "{indent}  · {d}");
    }
}

// ---------------------------------------------------------------- not paid

fn not_paid(out: &mut String, entries: &[NotPaid], lang: Lang) {
    let _ = writeln!(
        out,
        "{} ({})",
        lang.pick("Ej ersatt", "Not paid"),
        entries.len()
    );
    if entries.is_empty() {
        out.push_str(lang.pick("  inga\n", "  none\n"));
        return;
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|n| {
            vec![
                words::not_paid_kind(n.kind, lang).to_string(),
                n.id.clone(),
                whereabouts(n.provider.as_deref(), n.period),
                words::reason(&n.reason, lang).into_owned(),
                source_or_check(n.source.as_ref(), lang),
            ]
        })
        .collect();
    table(out, "  ", &rows);
}

fn partly_paid(out: &mut String, parts: &[NotPaidPart], lang: Lang) {
    let _ = writeln!(
        out,
        "{} ({})",
        lang.pick("Delvis ersatt", "Partly paid"),
        parts.len()
    );
    if parts.is_empty() {
        out.push_str(lang.pick("  inga\n", "  none\n"));
        return;
    }
    let rows: Vec<Vec<String>> = parts
        .iter()
        .map(|p| {
            let what: Vec<String> = [
                p.seconds.map(|s| format!("{} ({s} s)", hms(s))),
                p.activity.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            vec![
                words::part_word(&p.kind, lang).to_string(),
                p.id.clone(),
                whereabouts(p.provider.as_deref(), p.period),
                what.join(", "),
                words::reason(&p.reason, lang).into_owned(),
                source_or_check(p.source.as_ref(), lang),
            ]
        })
        .collect();
    table(out, "  ", &rows);
}

// ---------------------------------------------------------------- reconciliation

fn reconciliation(out: &mut String, r: &Reconciliation, lang: Lang) {
    out.push_str(lang.pick("Avstämning\n", "Reconciliation\n"));
    let rows = [
        (
            lang.pick("besök", "visits"),
            r.visits_in,
            r.visits_paid,
            r.visits_not_paid,
            r.visits_not_priced,
        ),
        (
            lang.pick("händelser", "events"),
            r.events_in,
            r.events_paid,
            r.events_not_paid,
            None,
        ),
    ];
    let n = |v: u64| group_thousands(&v.to_string());
    let w = rows
        .iter()
        .flat_map(|(_, a, b, c, d)| [Some(*a), Some(*b), Some(*c), *d])
        .flatten()
        .map(|v| width(&n(v)))
        .max()
        .unwrap_or(1);
    let label = rows.iter().map(|r| width(r.0)).max().unwrap_or(0);
    for (what, input, paid, unpaid, not_priced) in rows {
        let difference = i128::from(input)
            - i128::from(paid)
            - i128::from(unpaid)
            - i128::from(not_priced.unwrap_or(0));
        let verdict = match (difference, lang) {
            (0, _) => lang.pick("stämmer", "balanced").to_string(),
            (_, Lang::Sv) => format!("STÄMMER INTE (skillnad {difference:+})"),
            (_, Lang::En) => format!("NOT BALANCED (difference {difference:+})"),
        };
        let not_priced = not_priced
            .map(|v| format!(" + {} {}", pad_left(&n(v), w), words::not_priced(lang)))
            .unwrap_or_default();
        let (paid_word, unpaid_word) = lang.pick(("ersatta", "ej ersatta"), ("paid", "not paid"));
        let _ = writeln!(
            out,
            "  {}  {} in = {} {paid_word} + {} {unpaid_word}{not_priced}   {verdict}",
            pad_right(what, label),
            pad_left(&n(input), w),
            pad_left(&n(paid), w),
            pad_left(&n(unpaid), w),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{empty_run, sample_run};

    #[test]
    fn sample_run_snapshot() {
        insta::assert_snapshot!("sample_run_text", to_text(&sample_run(), Lang::En));
    }

    #[test]
    fn sample_run_snapshot_in_swedish() {
        insta::assert_snapshot!("sample_run_text_sv", to_text(&sample_run(), Lang::Sv));
    }

    #[test]
    fn empty_run_snapshot() {
        insta::assert_snapshot!("empty_run_text", to_text(&empty_run(), Lang::En));
    }

    #[test]
    fn negative_line_and_total_in_the_text() {
        let text = to_text(&sample_run(), Lang::En);
        let capped = text.lines().find(|l| l.ends_with(":40:3")).unwrap();
        assert!(capped.contains("1,00 st  × -23 247,70 kr "), "{capped}");
        assert!(capped.contains("=   -23 247,70 kr "), "{capped}");
        assert!(text.contains("= 1 234 567,80 kr "), "{text}");
        assert!(text.contains("  Total                                      106 169,41 kr\n"));
    }

    #[test]
    fn amounts_right_aligned_in_one_column() {
        let text = to_text(&sample_run(), Lang::En);
        // Every amount (after `= ` on a line, or on a Total row) ends in the
        // same character column.
        let columns: Vec<usize> = text
            .lines()
            .filter_map(|l| {
                if l.starts_with("  Total") {
                    Some(width(l))
                } else if !l.contains("rules/norrtalje-2025.taxa:") {
                    // Not a calculation row (a working, a detail).
                    None
                } else {
                    let at = l.find(" = ")?;
                    let rest = &l[at..];
                    let end = at + rest.find(" kr")? + " kr".len();
                    Some(width(&l[..end]))
                }
            })
            .collect();
        assert_eq!(columns.len(), 6 + 2, "{text}");
        assert!(
            columns.iter().all(|c| *c == columns[0]),
            "{columns:?}\n{text}"
        );
    }

    #[test]
    fn unbalanced_reconciliation_is_flagged() {
        let mut run = empty_run();
        run.reconciliation = Reconciliation {
            visits_in: 10,
            visits_paid: 7,
            visits_not_paid: 2,
            visits_not_priced: None,
            events_in: 3,
            events_paid: 1,
            events_not_paid: 2,
        };
        let text = to_text(&run, Lang::En);
        assert!(
            text.contains(
                "  visits  10 in =  7 paid +  2 not paid   NOT BALANCED (difference +1)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("  events   3 in =  1 paid +  2 not paid   balanced\n"),
            "{text}"
        );
    }

    #[test]
    fn no_trailing_whitespace() {
        let text = to_text(&sample_run(), Lang::En);
        assert!(text.ends_with("balanced\n"), "{text}");
        for l in text.lines() {
            assert_eq!(l, l.trim_end());
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(
            to_text(&sample_run(), Lang::En),
            to_text(&sample_run(), Lang::En)
        );
    }
}
