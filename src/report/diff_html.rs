//! `taxa diff --format html`: one self-contained page for a board — the
//! changed terms with both citations, and with data the payout per provider
//! and term under both versions, with inline SVG bar charts (old and new
//! payout per provider; the difference per term). No script, no external
//! font, style or image; every text from a rule file or the data escaped.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::diff::{Diff, Payout, payout::percent};

use super::diff::{signed, signed_percent, subject, what};
use super::format::{money, swedish};
pub use super::html_escape::escape;

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\
table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.cite{color:#666;font-size:.85em}.up{color:#0a5c2b}.down{color:#a31515}\
code{font-size:.95em}svg text{font:12px system-ui,sans-serif}\
@media print{body{margin:1cm}@page{size:A4}}";

/// The page.
pub fn to_html(d: &Diff) -> String {
    let mut h = String::new();
    let title = format!("{} → {}", d.old_name, d.new_name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Jämförelse av villkor: {}</h1>\n<p>Före: <code>{}</code> — efter: <code>{}</code></p>\n",
        escape(&title),
        escape(&title),
        escape(&d.old_file),
        escape(&d.new_file)
    );
    if d.equivalent() {
        h.push_str("<p>Villkoren är likvärdiga: inga skillnader utöver kommentarer och radbrytningar.</p>\n");
    } else {
        changes(d, &mut h);
    }
    if let Some(p) = &d.payout {
        payout(p, &mut h);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn changes(d: &Diff, h: &mut String) {
    let _ = write!(
        h,
        "<h2>Ändrade villkor ({})</h2>\n<table>\n<tr><th>Vad</th><th>Ändring</th><th>Före</th><th>Efter</th></tr>\n",
        d.changes.len()
    );
    for c in &d.changes {
        let side = |x: &Option<crate::diff::Cited>| match x {
            Some(x) => format!(
                "<code>{}</code><br><span class=\"cite\">{}</span>",
                escape(&x.text),
                escape(&x.source.to_string())
            ),
            None => "—".to_string(),
        };
        let mut what_cell = escape(what(c.what));
        if let Some(r) = &c.rate {
            if let Some(delta) = r.delta {
                let _ = write!(
                    what_cell,
                    "<br>{} {} ({})",
                    escape(&signed(delta)),
                    escape(&r.new_unit),
                    escape(&signed_percent(r.percent))
                );
            }
            if !r.used_by.is_empty() {
                let _ = write!(
                    what_cell,
                    "<br><span class=\"cite\">används av {}</span>",
                    escape(&r.used_by.join(", "))
                );
            }
        }
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{what_cell}</td><td>{}</td><td>{}</td></tr>",
            escape(&subject(&c.subject)),
            side(&c.old),
            side(&c.new)
        );
    }
    h.push_str("</table>\n");
}

fn amount_cells(old: Decimal, new: Decimal) -> String {
    let delta = new - old;
    let class = if delta > Decimal::ZERO {
        "n up"
    } else if delta < Decimal::ZERO {
        "n down"
    } else {
        "n"
    };
    format!(
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{class}\">{}</td><td class=\"{class}\">{}</td>",
        escape(&swedish(&money(old))),
        escape(&swedish(&money(new))),
        escape(&signed(delta)),
        escape(&signed_percent(percent(old, new)))
    )
}

fn payout(p: &Payout, h: &mut String) {
    let _ = writeln!(
        h,
        "<h2>Utbetalning på samma underlag ({})</h2>",
        escape(&p.periods.join(", "))
    );
    let _ = writeln!(
        h,
        "<p>Totalt: {} kr före, {} kr efter, skillnad {} kr ({}).</p>",
        escape(&swedish(&money(p.old))),
        escape(&swedish(&money(p.new))),
        escape(&signed(p.new - p.old)),
        escape(&signed_percent(percent(p.old, p.new)))
    );
    let bars: Vec<(String, Decimal, Decimal)> = p
        .providers
        .iter()
        .map(|pr| (pr.provider.clone(), pr.old, pr.new))
        .collect();
    h.push_str("<h3>Per utförare, före och efter</h3>\n");
    h.push_str(&pair_chart(&bars));
    let deltas: Vec<(String, Decimal)> = p
        .terms
        .iter()
        .map(|t| (t.term.clone(), t.delta()))
        .collect();
    h.push_str("<h3>Skillnad per moment</h3>\n");
    h.push_str(&delta_chart(&deltas));
    h.push_str("<table>\n<tr><th>Utförare</th><th>Moment</th><th class=\"n\">Före, kr</th><th class=\"n\">Efter, kr</th><th class=\"n\">Skillnad, kr</th><th class=\"n\">%</th></tr>\n");
    for pr in &p.providers {
        let who = match &pr.name {
            Some(n) => format!("{} {n}", pr.provider),
            None => pr.provider.clone(),
        };
        for t in &pr.terms {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{} {}</td>{}</tr>",
                escape(&who),
                escape(&t.term),
                escape(&t.label),
                amount_cells(t.old, t.new)
            );
        }
        let _ = writeln!(
            h,
            "<tr><th>{}</th><th>Summa</th>{}</tr>",
            escape(&who),
            amount_cells(pr.old, pr.new)
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>Alla</th><th>Totalt</th>{}</tr>\n</table>",
        amount_cells(p.old, p.new)
    );
}

/// A value's share of `max` in pixels of `width`, to a tenth of a pixel
/// (for drawing only; the figures printed are the exact ones). Decimal, as
/// every figure here: no float stands between an amount and its bar.
fn px(v: Decimal, max: Decimal, width: u32) -> Decimal {
    if max.is_zero() {
        return Decimal::ZERO;
    }
    (v.abs() / max * Decimal::from(width)).round_dp(1)
}

/// Two bars per row (old grey, new blue), labelled with the amounts.
fn pair_chart(rows: &[(String, Decimal, Decimal)]) -> String {
    let max = rows
        .iter()
        .flat_map(|(_, a, b)| [a.abs(), b.abs()])
        .max()
        .unwrap_or(Decimal::ZERO);
    let (label_w, bar_w, row_h) = (120u32, 420u32, 34u32);
    let height = row_h * rows.len() as u32 + 24;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"Utbetalning per utförare före och efter\">\n",
        label_w + bar_w + 280
    );
    for (i, (name, old, new)) in rows.iter().enumerate() {
        let y = i as u32 * row_h + 4;
        let (old_s, new_s) = (
            escape(&swedish(&money(*old))),
            escape(&swedish(&money(*new))),
        );
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{}\" height=\"12\" fill=\"#aaa\"><title>före {old_s}</title></rect>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"#2b6cb0\"><title>efter {new_s}</title></rect>\
             <text x=\"{}\" y=\"{}\">{old_s} → {new_s}</text>",
            y + 18,
            escape(name),
            px(*old, max, bar_w),
            y + 14,
            px(*new, max, bar_w),
            label_w + bar_w + 6,
            y + 18,
        );
    }
    let _ = write!(
        s,
        "<text x=\"{label_w}\" y=\"{}\"><tspan fill=\"#888\">■</tspan> före  <tspan fill=\"#2b6cb0\">■</tspan> efter</text>\n</svg>\n",
        height - 4
    );
    s
}

/// One bar per row from a zero line: right and green for more, left and red
/// for less.
fn delta_chart(rows: &[(String, Decimal)]) -> String {
    let max = rows
        .iter()
        .map(|(_, d)| d.abs())
        .max()
        .unwrap_or(Decimal::ZERO);
    let (label_w, half, row_h) = (120u32, 220u32, 22u32);
    let zero = label_w + half;
    let height = row_h * rows.len() as u32 + 8;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"Skillnad per moment\">\n<line x1=\"{zero}\" y1=\"0\" x2=\"{zero}\" y2=\"{height}\" stroke=\"#444\"/>\n",
        label_w + 2 * half + 120
    );
    for (i, (name, d)) in rows.iter().enumerate() {
        let y = i as u32 * row_h + 4;
        let w = px(*d, max, half);
        let (x, fill) = if *d < Decimal::ZERO {
            (Decimal::from(zero) - w, "#a31515")
        } else {
            (Decimal::from(zero), "#0a5c2b")
        };
        let delta = escape(&signed(*d));
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"14\" fill=\"{fill}\"><title>{delta}</title></rect><text x=\"{}\" y=\"{}\">{delta}</text>",
            y + 12,
            escape(name),
            label_w + 2 * half + 6,
            y + 12,
        );
    }
    s.push_str("</svg>\n");
    s
}
