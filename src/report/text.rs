//! The text view: statements for a provider's controller to read.
//!
//! UI words are English; labels and data are printed as given. Numbers use the
//! Swedish format (`123 565,50 kr`: thousands separated by a space, decimal
//! comma) with the same digits as the JSON view. Columns are aligned across
//! the whole run, counting characters (not bytes), so `å`, `×` and `–` take
//! one column each.

use std::fmt::Write as _;

use crate::eval::{Line, NotPaid, NotPaidPart, PayRun, Reconciliation, SourceRef, Statement};

use super::format::{group_thousands, hms, kr, money, month, quantity, swedish};
use super::words;

/// Shown in place of a source for the engine's own integrity checks.
const NO_SOURCE: &str = "(engine check)";

/// The run as a plain-text document, ending in a newline.
pub fn to_text(run: &PayRun) -> String {
    let run = &*super::printable::printable_run(run);
    let mut out = String::new();
    let c = &run.contract;
    let _ = writeln!(
        out,
        "{}  ({}, valid {} – {})",
        c.name, c.file, c.valid_from, c.valid_to
    );
    for v in run.versions.iter().skip(1) {
        let _ = writeln!(
            out,
            "{}  ({}, valid {} – {})",
            v.name, v.file, v.valid_from, v.valid_to
        );
    }
    if !run.uncovered_months.is_empty() {
        let months: Vec<String> = run.uncovered_months.iter().copied().map(month).collect();
        let _ = writeln!(
            out,
            "No contract version covers {}: those rows are listed as not paid.",
            months.join(", ")
        );
    }
    out.push('\n');
    statements(&mut out, &run.statements);
    out.push('\n');
    not_paid(&mut out, &run.not_paid);
    out.push('\n');
    partly_paid(&mut out, &run.not_paid_parts);
    out.push('\n');
    reconciliation(&mut out, &run.reconciliation);
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

fn source_or_check(source: Option<&SourceRef>) -> String {
    source.map_or_else(|| NO_SOURCE.to_string(), SourceRef::to_string)
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

fn statements(out: &mut String, statements: &[Statement]) {
    if statements.is_empty() {
        out.push_str("Statements: none\n");
        return;
    }
    let cols = Columns::of(statements);
    for (i, st) in statements.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        statement(out, st, &cols);
    }
}

fn statement(out: &mut String, st: &Statement, cols: &Columns) {
    let who = match &st.provider_name {
        Some(name) => format!("{} {name}", st.provider),
        None => st.provider.clone(),
    };
    let _ = writeln!(out, "{who} — {}", month(st.period));
    let indent = " ".repeat(cols.indent());
    if st.lines.is_empty() {
        let _ = writeln!(out, "{indent}(no lines)");
    }
    for l in &st.lines {
        line(out, l, cols, &indent);
    }
    let _ = writeln!(
        out,
        "{}{}",
        pad_right("  Total", cols.amount_at()),
        pad_left(&kr(st.total), cols.amount)
    );
}

fn line(out: &mut String, l: &Line, cols: &Columns, indent: &str) {
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
    let _ = writeln!(out, "{indent}  {}", words::working(l));
    for d in &l.details {
        let _ = writeln!(out, "{indent}  · {d}");
    }
}

// ---------------------------------------------------------------- not paid

fn not_paid(out: &mut String, entries: &[NotPaid]) {
    let _ = writeln!(out, "Not paid ({})", entries.len());
    if entries.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|n| {
            vec![
                words::not_paid_kind(n.kind).to_string(),
                n.id.clone(),
                whereabouts(n.provider.as_deref(), n.period),
                words::reason(&n.reason).into_owned(),
                source_or_check(n.source.as_ref()),
            ]
        })
        .collect();
    table(out, "  ", &rows);
}

fn partly_paid(out: &mut String, parts: &[NotPaidPart]) {
    let _ = writeln!(out, "Partly paid ({})", parts.len());
    if parts.is_empty() {
        out.push_str("  none\n");
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
                words::part_kind(&p.kind).to_string(),
                p.id.clone(),
                whereabouts(p.provider.as_deref(), p.period),
                what.join(", "),
                words::reason(&p.reason).into_owned(),
                source_or_check(p.source.as_ref()),
            ]
        })
        .collect();
    table(out, "  ", &rows);
}

// ---------------------------------------------------------------- reconciliation

fn reconciliation(out: &mut String, r: &Reconciliation) {
    out.push_str("Reconciliation\n");
    let rows = [
        (
            "visits",
            r.visits_in,
            r.visits_paid,
            r.visits_not_paid,
            r.visits_not_priced,
        ),
        (
            "events",
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
    for (what, input, paid, unpaid, not_priced) in rows {
        let difference = i128::from(input)
            - i128::from(paid)
            - i128::from(unpaid)
            - i128::from(not_priced.unwrap_or(0));
        let verdict = if difference == 0 {
            "balanced".to_string()
        } else {
            format!("NOT BALANCED (difference {difference:+})")
        };
        let not_priced = not_priced
            .map(|v| format!(" + {} {}", pad_left(&n(v), w), words::NOT_PRICED))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {what}  {} in = {} paid + {} not paid{not_priced}   {verdict}",
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
        insta::assert_snapshot!("sample_run_text", to_text(&sample_run()));
    }

    #[test]
    fn empty_run_snapshot() {
        insta::assert_snapshot!("empty_run_text", to_text(&empty_run()));
    }

    #[test]
    fn negative_line_and_total_in_the_text() {
        let text = to_text(&sample_run());
        let capped = text.lines().find(|l| l.ends_with(":40:3")).unwrap();
        assert!(capped.contains("1,00 st  × -23 247,70 kr "), "{capped}");
        assert!(capped.contains("=   -23 247,70 kr "), "{capped}");
        assert!(text.contains("= 1 234 567,80 kr "), "{text}");
        assert!(text.contains("  Total                                      106 169,41 kr\n"));
    }

    #[test]
    fn amounts_right_aligned_in_one_column() {
        let text = to_text(&sample_run());
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
        let text = to_text(&run);
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
        let text = to_text(&sample_run());
        assert!(text.ends_with("balanced\n"), "{text}");
        for l in text.lines() {
            assert_eq!(l, l.trim_end());
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(to_text(&sample_run()), to_text(&sample_run()));
    }
}
