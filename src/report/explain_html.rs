//! `taxa explain --format html`: the explanation as a small page in the
//! statement page's style (`report::html`): for a line, its figures, its
//! working and every row behind it with its exact quantity and their sum;
//! for a visit, an event or a customer, the text view's account in the
//! page. Self-contained, every text from the data or the rule file escaped.

use std::fmt::Write as _;

use crate::explain::{Body, Explanation};

use super::explain::row;
use super::format::{exact, kr, money, month, quantity, swedish};
use super::html::{SCRIPT, head, key_span};
use super::html_escape::text;
use super::words::{self, Lang};

/// The explanation as one HTML page.
pub fn to_html(e: &Explanation, lang: Lang) -> String {
    let mut out = String::new();
    let who = match &e.provider_name {
        Some(n) => format!("{} {n}", e.provider),
        None => e.provider.clone(),
    };
    let title = format!("{} — {who}, {}", e.contract, month(e.period));
    head(&mut out, &title, lang);
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>",
        lang.pick("Förklaring", "Explanation"),
        text(&title)
    );
    match &e.body {
        Body::Lines(lines) => {
            for l in lines {
                let key = key_span(&l.line.key, "=");
                let _ = writeln!(
                    out,
                    "<section class=\"statement\" data-term=\"{}\" data-amount=\"{}\">\n<h2>{} {}: {} {}{key}</h2>\n<p>{} {} × {} {} = {} <span class=\"cite\">({})</span></p>\n<p class=\"working\">{}: {}</p>",
                    text(&l.line.term),
                    money(l.line.amount),
                    lang.pick("Rad", "Line"),
                    l.number,
                    text(&l.line.term),
                    text(&l.line.label),
                    swedish(&quantity(l.line.quantity)),
                    text(&l.line.unit),
                    swedish(&money(l.line.rate)),
                    text(&l.line.rate_unit),
                    kr(l.line.amount),
                    text(&l.line.source.to_string()),
                    lang.pick("Uträkning", "Working"),
                    text(&words::working(&l.line, lang, true))
                );
                if !l.from_lines.is_empty() {
                    let n: Vec<String> = l.from_lines.iter().map(|n| n.to_string()).collect();
                    let _ = writeln!(
                        out,
                        "<p>{} {}</p>",
                        lang.pick("Beräknad ur raderna", "Computed from lines"),
                        n.join(", ")
                    );
                }
                if !l.rows.is_empty() {
                    let _ = write!(
                        out,
                        "<table class=\"rows\"><thead><tr><th>{} ({})</th><th class=\"n\">{}</th></tr></thead><tbody>",
                        lang.pick("Underlag", "Rows"),
                        l.rows.len(),
                        text(&l.line.unit)
                    );
                    for c in &l.rows {
                        let _ = write!(
                            out,
                            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                            text(&row(&c.row, lang)),
                            swedish(&exact(c.quantity))
                        );
                    }
                    let _ = writeln!(
                        out,
                        "</tbody><tfoot><tr><td>{}</td><td class=\"n\">{}</td></tr></tfoot></table>",
                        lang.pick(
                            "summa (radens mängd före avrundning)",
                            "sum (the line's quantity before rounding)"
                        ),
                        swedish(&exact(l.sum))
                    );
                }
                out.push_str("</section>\n");
            }
        }
        // A row's or a customer's account is short: the text view's words,
        // in the page.
        Body::Row { .. } | Body::Customer { .. } => {
            let _ = writeln!(
                out,
                "<section class=\"statement\"><pre>{}</pre></section>",
                text(&super::explain::to_text(e, lang))
            );
        }
    }
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}
