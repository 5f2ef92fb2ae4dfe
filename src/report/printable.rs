//! Text from the data and the rule files made safe for a terminal before
//! the text view prints it: a control character (ESC, NUL, a bell, a
//! carriage return inside a quoted cell …) or a bidirectional override in a
//! provider name or an id could otherwise move the cursor, recolour the
//! screen or make a line read backwards. Each is shown as `\u{…}` instead.
//! The JSON view needs none of this: serde escapes control characters.

use std::borrow::Cow;

use crate::eval::{KeyPart, Line, NotPaid, NotPaidPart, PayRun, Reason, Statement, Working};

/// Whether a character is shown escaped: Unicode controls (C0, DEL, C1)
/// and the bidirectional embeddings, overrides and isolates.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character as `\u{1b}`; borrowed when clean.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn clean(s: &mut String) {
    if let Cow::Owned(o) = printable(s) {
        *s = o;
    }
}

fn clean_reason(r: &mut Reason) {
    match r {
        Reason::Rule(w) => clean(w),
        Reason::Check { words: Some(w), .. } => {
            if let Cow::Owned(o) = printable(w) {
                *w = o.into();
            }
        }
        Reason::Unreadable {
            column,
            message,
            text,
        } => {
            clean(column);
            clean(message);
            clean(text);
        }
        _ => {}
    }
}

fn clean_line(l: &mut Line) {
    clean(&mut l.term);
    clean(&mut l.label);
    for KeyPart { name, value, .. } in &mut l.key {
        clean(name);
        clean(value);
    }
    clean(&mut l.unit);
    clean(&mut l.rate_unit);
    clean(&mut l.source.file);
    l.details.iter_mut().for_each(clean);
    match &mut l.working {
        Working::Product {
            unit, rate_unit, ..
        } => {
            clean(unit);
            clean(rate_unit);
        }
        Working::CapPerCustomer {
            unit,
            rate_unit,
            customers,
            ..
        } => {
            clean(unit);
            clean(rate_unit);
            customers.iter_mut().for_each(|c| clean(&mut c.customer));
        }
        Working::Cap { over, .. } => over.iter_mut().for_each(clean),
        Working::Allocation { customers, .. } => customers.iter_mut().for_each(clean),
        Working::Share { .. } => {}
    }
}

fn clean_statement(s: &mut Statement) {
    clean(&mut s.provider);
    if let Some(n) = &mut s.provider_name {
        clean(n);
    }
    s.lines.iter_mut().for_each(clean_line);
}

fn clean_not_paid(n: &mut NotPaid) {
    clean(&mut n.id);
    clean_reason(&mut n.reason);
    if let Some(s) = &mut n.source {
        clean(&mut s.file);
    }
    if let Some(p) = &mut n.provider {
        clean(p);
    }
}

fn clean_part(p: &mut NotPaidPart) {
    clean(&mut p.id);
    if let Some(a) = &mut p.activity {
        clean(a);
    }
    clean_reason(&mut p.reason);
    if let Some(s) = &mut p.source {
        clean(&mut s.file);
    }
    if let Some(pr) = &mut p.provider {
        clean(pr);
    }
}

/// The run with every text a person reads made printable; borrowed when
/// nothing needed it (the usual case). A copy is cheap next to the text a
/// person can read.
pub fn printable_run(run: &PayRun) -> Cow<'_, PayRun> {
    let mut owned = run.clone();
    for c in std::iter::once(&mut owned.contract).chain(&mut owned.versions) {
        clean(&mut c.name);
        clean(&mut c.file);
    }
    owned.statements.iter_mut().for_each(clean_statement);
    owned.not_paid.iter_mut().for_each(clean_not_paid);
    owned.not_paid_parts.iter_mut().for_each(clean_part);
    if owned == *run {
        Cow::Borrowed(run)
    } else {
        Cow::Owned(owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_run;

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        assert_eq!(printable("Omsorg AB"), "Omsorg AB");
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(printable("x\0y\r\n"), "x\\u{0}y\\u{d}\\u{a}");
        assert_eq!(printable("\u{202E}evil"), "\\u{202e}evil");
        assert_eq!(printable("tätort × – å"), "tätort × – å");
    }

    #[test]
    fn a_run_is_cleaned_in_every_text_it_prints() {
        let mut run = sample_run();
        assert!(matches!(printable_run(&run), Cow::Borrowed(_)));
        run.statements[0].provider_name = Some("Bad\u{1b}]0;pwned\u{7}AB".into());
        run.not_paid[0].id = "V\u{0}1".into();
        run.not_paid_parts[1].activity = Some("ink\u{9b}öp".into());
        let clean = printable_run(&run).into_owned();
        assert_eq!(
            clean.statements[0].provider_name.as_deref(),
            Some("Bad\\u{1b}]0;pwned\\u{7}AB")
        );
        assert_eq!(clean.not_paid[0].id, "V\\u{0}1");
        assert_eq!(
            clean.not_paid_parts[1].activity.as_deref(),
            Some("ink\\u{9b}öp")
        );
    }
}
