//! The views of `taxa diff`: the terms of two versions side by side and,
//! with data, what the new version pays each provider against the old —
//! as text for people (Swedish) and JSON for tools. The HTML page is in
//! [`super::diff_html`].

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diff::{Change, Diff, Payout, Subject, TermPayout, What};

use super::format::{money, swedish};
use super::printable::printable;

/// `+12,50` / `-3,00` / `0,00`: a signed amount in Swedish form.
pub fn signed(d: Decimal) -> String {
    let s = swedish(&money(d));
    if d > Decimal::ZERO {
        format!("+{s}")
    } else {
        s
    }
}

/// `+2,10 %`, or `–` when there is no base to compare with.
pub fn signed_percent(p: Option<Decimal>) -> String {
    match p {
        Some(p) => format!("{} %", signed(p)),
        None => "–".to_string(),
    }
}

/// What a change is about, as a heading word and a name.
pub fn subject(s: &Subject) -> String {
    match s {
        Subject::Name => "avtalets namn".to_string(),
        Subject::Validity => "giltighet".to_string(),
        Subject::Rate(id) => id.clone(),
        Subject::Term { name, kind, clause } => match clause {
            Some(c) => format!("{kind} {name}, {c}"),
            None => format!("{kind} {name}"),
        },
        Subject::Declaration { kind, name } if name.is_empty() => kind.to_string(),
        Subject::Declaration { kind, name } => format!("{kind} {name}"),
    }
}

pub fn what(w: What) -> &'static str {
    match w {
        What::Added => "ny",
        What::Removed => "borttagen",
        What::Changed => "ändrad",
    }
}

/// Which section of the text a change belongs in.
fn section(s: &Subject) -> usize {
    match s {
        Subject::Name | Subject::Validity => 0,
        Subject::Rate(_) => 1,
        Subject::Term { .. } => 2,
        Subject::Declaration { .. } => 3,
    }
}

const SECTIONS: [&str; 4] = [
    "Avtal",
    "Ersättningsnivåer",
    "Moment",
    "Övriga deklarationer",
];

/// The diff as text: one block per section, each change with both
/// citations; then the payout, if computed.
pub fn to_text(d: &Diff) -> String {
    let mut out = format!(
        "Jämförelse av villkor\n  före:  {} ({})\n  efter: {} ({})\n",
        printable(&d.old_file),
        printable(&d.old_name),
        printable(&d.new_file),
        printable(&d.new_name)
    );
    if d.equivalent() {
        out.push_str(
            "\nVillkoren är likvärdiga: inga skillnader utöver kommentarer och radbrytningar.\n",
        );
    }
    for (i, title) in SECTIONS.iter().enumerate() {
        let changes: Vec<&Change> = d
            .changes
            .iter()
            .filter(|c| section(&c.subject) == i)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}\n"));
        for c in changes {
            change_text(c, &mut out);
        }
    }
    if !d.equivalent() {
        let n = d.changes.len();
        out.push_str(&format!(
            "\n{n} {}.\n",
            if n == 1 { "skillnad" } else { "skillnader" }
        ));
    }
    if let Some(p) = &d.payout {
        payout_text(p, &mut out);
    }
    out
}

fn change_text(c: &Change, out: &mut String) {
    out.push_str(&format!(
        "  {} ({})\n",
        printable(&subject(&c.subject)),
        what(c.what)
    ));
    if let Some(r) = &c.rate {
        let delta = r
            .delta
            .map(|d| format!("{} {}", signed(d), r.new_unit))
            .unwrap_or_else(|| "annan enhet".to_string());
        out.push_str(&format!(
            "    {} {} → {} {}   {delta}   {}\n",
            swedish(&r.old.normalize().to_string()),
            r.old_unit,
            swedish(&r.new.normalize().to_string()),
            r.new_unit,
            signed_percent(r.percent)
        ));
        if !r.used_by.is_empty() {
            out.push_str(&format!("    används av {}\n", r.used_by.join(", ")));
        }
    }
    if let Some(o) = &c.old {
        out.push_str(&format!(
            "    före:  {}   ({})\n",
            printable(&o.text),
            o.source
        ));
    }
    if let Some(n) = &c.new {
        out.push_str(&format!(
            "    efter: {}   ({})\n",
            printable(&n.text),
            n.source
        ));
    }
}

fn payout_text(p: &Payout, out: &mut String) {
    out.push_str(&format!(
        "\nUtbetalning på samma underlag ({}), per utförare och moment\n",
        if p.periods.is_empty() {
            "inga månader".to_string()
        } else {
            p.periods.join(", ")
        }
    ));
    let row = |name: &str, old: Decimal, new: Decimal, pct: Option<Decimal>| {
        format!(
            "    {:<44} {:>16} {:>16} {:>14} {:>10}\n",
            name,
            swedish(&money(old)),
            swedish(&money(new)),
            signed(new - old),
            signed_percent(pct)
        )
    };
    out.push_str(&format!(
        "    {:<44} {:>16} {:>16} {:>14} {:>10}\n",
        "", "före, kr", "efter, kr", "skillnad, kr", "%"
    ));
    for pr in &p.providers {
        let who = match &pr.name {
            Some(n) => format!("{} {}", pr.provider, n),
            None => pr.provider.clone(),
        };
        out.push_str(&format!("  {}\n", printable(&who)));
        for t in &pr.terms {
            out.push_str(&row(&term_name(t), t.old, t.new, t.percent()));
        }
        out.push_str(&row(
            "Summa",
            pr.old,
            pr.new,
            crate::diff::payout::percent(pr.old, pr.new),
        ));
    }
    out.push_str("  Alla utförare, per moment\n");
    for t in &p.terms {
        out.push_str(&row(&term_name(t), t.old, t.new, t.percent()));
    }
    out.push_str(&row(
        "Totalt",
        p.old,
        p.new,
        crate::diff::payout::percent(p.old, p.new),
    ));
    let (o, n) = (&p.old_reconciliation, &p.new_reconciliation);
    out.push_str(&format!(
        "  Besök ersatta {} → {}, ej ersatta {} → {}; händelser ersatta {} → {}, ej ersatta {} → {}\n",
        o.visits_paid,
        n.visits_paid,
        o.visits_not_paid,
        n.visits_not_paid,
        o.events_paid,
        n.events_paid,
        o.events_not_paid,
        n.events_not_paid
    ));
}

fn term_name(t: &TermPayout) -> String {
    let s = format!("{} {}", t.term, t.label);
    let s = printable(&s).into_owned();
    if s.chars().count() > 44 {
        let mut cut: String = s.chars().take(43).collect();
        cut.push('…');
        cut
    } else {
        s
    }
}

// ---- JSON ------------------------------------------------------------------

#[derive(Serialize)]
struct JsonDiff<'a> {
    old: JsonSide<'a>,
    new: JsonSide<'a>,
    equivalent: bool,
    changes: Vec<JsonChange<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payout: Option<JsonPayout<'a>>,
}

#[derive(Serialize)]
struct JsonSide<'a> {
    file: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    subject: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    clause: Option<&'static str>,
    change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<JsonCited<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<JsonCited<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<JsonRate<'a>>,
}

#[derive(Serialize)]
struct JsonCited<'a> {
    text: &'a str,
    source: String,
}

#[derive(Serialize)]
struct JsonRate<'a> {
    old: String,
    old_unit: &'a str,
    new: String,
    new_unit: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    delta: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<String>,
    used_by: &'a [String],
}

#[derive(Serialize)]
struct JsonPayout<'a> {
    periods: &'a [String],
    providers: Vec<JsonProvider<'a>>,
    terms: Vec<JsonTerm<'a>>,
    old: String,
    new: String,
    delta: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<String>,
}

#[derive(Serialize)]
struct JsonProvider<'a> {
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    terms: Vec<JsonTerm<'a>>,
    old: String,
    new: String,
    delta: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<String>,
}

#[derive(Serialize)]
struct JsonTerm<'a> {
    term: &'a str,
    label: &'a str,
    old: String,
    new: String,
    delta: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<String>,
}

fn json_term(t: &TermPayout) -> JsonTerm<'_> {
    JsonTerm {
        term: &t.term,
        label: &t.label,
        old: money(t.old),
        new: money(t.new),
        delta: money(t.delta()),
        percent: t.percent().map(money),
    }
}

fn json_cited(c: &crate::diff::Cited) -> JsonCited<'_> {
    JsonCited {
        text: &c.text,
        source: c.source.to_string(),
    }
}

fn json_change(c: &Change) -> JsonChange<'_> {
    let (subject, name, clause) = match &c.subject {
        Subject::Name => ("name", None, None),
        Subject::Validity => ("validity", None, None),
        Subject::Rate(id) => ("rate", Some(id.as_str()), None),
        Subject::Term { name, clause, .. } => ("term", Some(name.as_str()), *clause),
        Subject::Declaration { kind, name } => ("declaration", Some(name.as_str()), Some(*kind)),
    };
    JsonChange {
        subject,
        name,
        clause,
        change: match c.what {
            What::Added => "added",
            What::Removed => "removed",
            What::Changed => "changed",
        },
        old: c.old.as_ref().map(json_cited),
        new: c.new.as_ref().map(json_cited),
        rate: c.rate.as_ref().map(|r| JsonRate {
            old: r.old.normalize().to_string(),
            old_unit: &r.old_unit,
            new: r.new.normalize().to_string(),
            new_unit: &r.new_unit,
            delta: r.delta.map(|d| d.normalize().to_string()),
            percent: r.percent.map(money),
            used_by: &r.used_by,
        }),
    }
}

/// The diff as pretty-printed JSON with a trailing newline. Field names are
/// English like the pay run's; amounts are decimal strings with two
/// decimals.
pub fn to_json(d: &Diff) -> String {
    let payout = d.payout.as_ref().map(|p| JsonPayout {
        periods: &p.periods,
        providers: p
            .providers
            .iter()
            .map(|pr| JsonProvider {
                provider: &pr.provider,
                name: pr.name.as_deref(),
                terms: pr.terms.iter().map(json_term).collect(),
                old: money(pr.old),
                new: money(pr.new),
                delta: money(pr.new - pr.old),
                percent: crate::diff::payout::percent(pr.old, pr.new).map(money),
            })
            .collect(),
        terms: p.terms.iter().map(json_term).collect(),
        old: money(p.old),
        new: money(p.new),
        delta: money(p.new - p.old),
        percent: crate::diff::payout::percent(p.old, p.new).map(money),
    });
    let json = JsonDiff {
        old: JsonSide {
            file: &d.old_file,
            name: &d.old_name,
        },
        new: JsonSide {
            file: &d.new_file,
            name: &d.new_name,
        },
        equivalent: d.equivalent(),
        changes: d.changes.iter().map(json_change).collect(),
        payout,
    };
    let mut out = serde_json::to_string_pretty(&json)
        .expect("serialising plain structs of strings cannot fail");
    out.push('\n');
    out
}
