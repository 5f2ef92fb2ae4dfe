//! Texts that cite values: a term's label or a reason (`annars "…"`) may
//! write `{NAME}` for a declared `värde`, which the contract holds as the
//! value is shown (`13 %`), so the text cannot contradict the number the
//! term uses. A label that states a number with a unit by hand gets a
//! warning (`taxa::number_by_hand`).

use crate::syntax::{Span, Spanned};

use super::checker::Checker;
use super::diagnostics::Error;
use super::error::suggest;
use super::values_error::ValueError;

impl Checker<'_> {
    /// A label as the contract holds it: each `{NAME}` replaced, and a
    /// warning for each number written by hand.
    pub(super) fn label(&mut self, text: &Spanned<String>) -> String {
        let at = text.span.start + 1;
        for (start, end) in by_hand(&text.node) {
            let number = text.node[start..end].to_string();
            self.err(
                Span::new(at + start, at + end),
                Error::Value(ValueError::NumberByHand { number }),
            );
        }
        self.cited(text)
    }

    /// A label or reason with each `{NAME}` replaced by the value as shown.
    pub(super) fn cited(&mut self, text: &Spanned<String>) -> String {
        let s = &text.node;
        if !s.contains('{') {
            return s.clone();
        }
        // The text inside the quotes starts one byte after the span.
        let at = text.span.start + 1;
        let mut out = String::with_capacity(s.len());
        let mut rest = 0;
        while let Some(open) = s[rest..].find('{').map(|i| rest + i) {
            out.push_str(&s[rest..open]);
            let Some(close) = s[open..].find('}').map(|i| open + i) else {
                self.err(
                    Span::new(at + open, at + open + 1),
                    Error::Value(ValueError::UnclosedCitation),
                );
                return s.clone();
            };
            let name = s[open + 1..close].trim();
            let span = Span::new(at + open, at + close + 1);
            match self.values.decls.contains_key(name) {
                true => {
                    self.used.insert(name.to_string());
                    let id = Spanned::new(name.to_string(), span);
                    if let Some(Some(_)) = self.value_use(&id) {
                        out.push_str(&self.values.checked[name].shown);
                    }
                }
                false => {
                    let mut names: Vec<&str> =
                        self.values.decls.keys().map(String::as_str).collect();
                    names.sort();
                    let suggestion = suggest(name, names);
                    if let Some(s) = &suggestion {
                        self.used.insert(s.clone());
                    }
                    self.err(
                        span,
                        Error::Value(ValueError::UnknownCitation {
                            name: name.to_string(),
                            suggestion,
                        }),
                    );
                }
            }
            rest = close + 1;
        }
        out.push_str(&s[rest..]);
        out
    }
}

/// The numbers with a unit a text writes by hand (`13 %`, `455 kr/h`,
/// `6 642 095 kr`), as byte ranges; a year, a date, a clock time or a
/// name's digits (`T4`) are no such number, and citations are skipped.
fn by_hand(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut found = Vec::new();
    let mut i = 0;
    let mut in_citation = false;
    while i < b.len() {
        match b[i] {
            b'{' => in_citation = true,
            b'}' => in_citation = false,
            _ => {}
        }
        let starts = digit(i) && !in_citation && !s[..i].chars().next_back().is_some_and(is_word);
        if !starts {
            i += 1;
            continue;
        }
        let start = i;
        while digit(i) {
            i += 1;
        }
        // Thousands: `6 642 095`.
        while b.get(i) == Some(&b' ') && (1..=3).all(|k| digit(i + k)) && !digit(i + 4) {
            i += 4;
        }
        if matches!(b.get(i), Some(b',' | b'.')) && digit(i + 1) {
            i += 1;
            while digit(i) {
                i += 1;
            }
        }
        let after = if b.get(i) == Some(&b' ') { i + 1 } else { i };
        if let Some(end) = unit_at(s, after) {
            found.push((start, end));
            i = end;
        }
    }
    found
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The end of a unit (`%`, `kr`, `kr/h`, `h/mån`, …) written at `i`.
fn unit_at(s: &str, i: usize) -> Option<usize> {
    let atom = |i: usize| -> Option<usize> {
        let rest = s.get(i..)?;
        if rest.starts_with('%') {
            return Some(i + 1);
        }
        let a = ["kr", "min", "mån", "st", "h"]
            .into_iter()
            .find(|a| rest.starts_with(a))?;
        let end = i + a.len();
        (!s[end..].chars().next().is_some_and(is_word)).then_some(end)
    };
    let end = atom(i)?;
    if s[end..].starts_with('/')
        && let Some(end2) = atom(end + 1)
    {
        return Some(end2);
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::by_hand;

    fn numbers(s: &str) -> Vec<&str> {
        by_hand(s).into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn numbers_with_a_unit_are_written_by_hand() {
        assert_eq!(
            numbers("Tak 13 % av utförd tid, 455 kr/h, 6 642 095 kr och 4 h/mån"),
            ["13 %", "455 kr/h", "6 642 095 kr", "4 h/mån"]
        );
        assert_eq!(numbers("Momskompensation 3 %"), ["3 %"]);
        assert_eq!(numbers("1,5 %"), ["1,5 %"]);
    }

    #[test]
    fn years_clock_times_names_and_citations_are_not() {
        assert!(numbers("Stimulansmedel juni 2024").is_empty());
        assert!(numbers("mellan 07:00 och 22:30").is_empty());
        assert!(numbers("T4-tak över T1 och 2 stycken").is_empty());
        assert!(numbers("Tak {andel} av 40 krukor").is_empty());
        assert!(numbers("{13 %}").is_empty());
    }
}
