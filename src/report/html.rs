//! `taxa pay --format html`: the statement as one self-contained page a
//! provider opens from an e-mail attachment — no network, no external
//! script, font or style. Per provider and month the lines (label, key,
//! quantity × rate = amount, the rule's citation), each a `<details>` that
//! opens on the rows behind it (the run's trace, as `taxa explain` shows
//! them); the not-paid lists with a filter by reason; the reconciliation.
//! Swedish by default; prints on A4 with every line open.
//!
//! A line's rows are plain HTML up to [`INLINE_ROWS`], so a small page
//! needs no script to expand; a larger line's rows are embedded as compact
//! JSON (`<script type="application/json">`) and put in the table by the
//! page's inline script when the line is first opened, so a month of a
//! million visits stays a page the browser opens at once (docs/VIEWS.md
//! has the bytes per visit). Every text from the data or the rule file is
//! escaped (`html_escape`); figures carry data attributes in canonical form
//! (`data-amount="5103.00"`) for tools and tests.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::check::Exact;
use crate::eval::trace::Contribution;
use crate::eval::{
    Line, Month, NotPaid, NotPaidPart, PayRun, Reconciliation, SourceRef, Statement,
};

use super::explain::row as row_words;
use super::format::{exact, group_thousands, hms, kr, money, month, quantity, swedish};
use super::html_escape::{json, text};
use super::words::{self, Lang};

/// Lines with more rows than this embed them as JSON, rendered on opening.
pub const INLINE_ROWS: usize = 200;

pub(crate) const STYLE: &str = "\
*{box-sizing:border-box}\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:64em;padding:0 1.5em;color:#1d232a;background:#fff}\
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.2em;margin:0 0 .4em}h3{font-size:1.05em;margin:1.6em 0 .4em}\
.meta{color:#5b6570;margin:0 0 1.2em}nav{margin:0 0 1.5em}nav a{margin-right:1em}\
section.statement{border:1px solid #d5dbe1;border-radius:6px;padding:1em 1.2em;margin:0 0 1.5em}\
.grid,summary{display:grid;grid-template-columns:3.2em minmax(12em,1fr) 8.5em 9.5em 9.5em;gap:0 .8em;align-items:baseline}\
.grid.head{font-weight:600;color:#5b6570;border-bottom:2px solid #d5dbe1;padding:.2em 0 .3em 1.2em}.grid.head>span{font-size:.9em}\
details.line{border-bottom:1px solid #e6eaee}\
summary{cursor:pointer;padding:.35em 0 .35em 1.2em;list-style:none;position:relative}\
summary::-webkit-details-marker{display:none}\
summary::before{content:'▸';position:absolute;left:.1em;color:#7a8691}details[open]>summary::before{content:'▾'}\
summary:hover{background:#f3f6f9}\
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.key{color:#5b6570;font-size:.9em}.cite{color:#7a8691;font-size:.82em}\
.body{padding:.1em 0 .8em 4.4em}.body p{margin:.25em 0}.working{color:#333}\
table{border-collapse:collapse;margin:.3em 0}td,th{border-bottom:1px solid #e6eaee;padding:.2em .7em;text-align:left;vertical-align:top}\
th{font-size:.9em;color:#5b6570}tfoot td{font-weight:600;border-top:2px solid #d5dbe1}\
.total{display:flex;justify-content:space-between;font-weight:700;padding:.5em 0 0 1.2em;border-top:2px solid #1d232a;margin-top:.2em}\
.bad{color:#a31515;font-weight:600}.ok{color:#0a5c2b}\
tr[hidden]{display:none}label{margin-right:.5em}select{font:inherit;padding:.1em .3em}\
@media print{@page{size:A4;margin:15mm 12mm}body{margin:0;max-width:none;padding:0;font-size:10pt}\
nav,.filter,summary::before{display:none}section.statement{border:none;padding:0;break-before:page}\
section.statement:first-of-type{break-before:auto}summary,tr,.total{break-inside:avoid}\
details.line::details-content{content-visibility:visible;display:block}a{color:inherit;text-decoration:none}}";

/// Opens a line's JSON rows into its table (once), filters the not-paid
/// lists by reason, opens every line for printing; the test hooks:
/// `#alla` opens every line, `#skäl=REASON` filters on load.
pub(crate) const SCRIPT: &str = r#"(function(){
function fill(d){var t=d.querySelector('table[data-rows]');if(!t||t.dataset.filled)return;
t.dataset.filled='1';var rows=JSON.parse(document.getElementById(t.dataset.rows).textContent);
var b=t.tBodies[0],f=document.createDocumentFragment();
rows.forEach(function(r){var tr=document.createElement('tr');
[r[0],r[1]].forEach(function(v,i){var td=document.createElement('td');td.textContent=v;if(i)td.className='n';tr.appendChild(td);});
f.appendChild(tr);});b.appendChild(f);}
var lines=document.querySelectorAll('details.line');
lines.forEach(function(d){d.addEventListener('toggle',function(){if(d.open)fill(d);});});
var sel=document.getElementById('skal');
function filter(){if(!sel)return;var v=sel.value;
document.querySelectorAll('tr[data-reason]').forEach(function(tr){tr.hidden=v!==''&&tr.dataset.reason!==v;});}
if(sel)sel.addEventListener('change',filter);
var closed=[];
window.addEventListener('beforeprint',function(){closed=[];lines.forEach(function(d){if(!d.open){closed.push(d);d.open=true;fill(d);}});});
window.addEventListener('afterprint',function(){closed.forEach(function(d){d.open=false;});});
var h=decodeURIComponent(location.hash.slice(1));
if(h==='alla')lines.forEach(function(d){d.open=true;fill(d);});
if(sel&&h.indexOf('skäl=')===0){sel.value=h.slice(5);filter();}
})();"#;

/// The page's opening up to `<body>`.
pub(crate) fn head(out: &mut String, title: &str, lang: Lang) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.pick("sv", "en"),
        text(title)
    );
}

/// The run as one HTML page.
pub fn to_html(run: &PayRun, lang: Lang) -> String {
    let mut out = String::new();
    let c = &run.contract;
    let heading = lang.pick("Ersättningsunderlag", "Payment statement");
    head(&mut out, &format!("{heading} – {}", c.name), lang);
    let valid = lang.pick("giltigt", "valid");
    let _ = writeln!(out, "<h1>{heading}</h1>");
    out.push_str("<p class=\"meta\">");
    for (i, v) in std::iter::once(c)
        .chain(run.versions.iter().skip(1))
        .enumerate()
    {
        if i > 0 {
            out.push_str("<br>");
        }
        let _ = write!(
            out,
            "{} <span class=\"cite\">({}, {valid} {} – {})</span>",
            text(&v.name),
            text(&v.file),
            v.valid_from,
            v.valid_to
        );
    }
    out.push_str("</p>\n");
    if !run.uncovered_months.is_empty() {
        let months: Vec<String> = run.uncovered_months.iter().copied().map(month).collect();
        let _ = writeln!(
            out,
            "<p class=\"bad\">{} {}{}</p>",
            lang.pick("Ingen avtalsversion täcker", "No contract version covers"),
            months.join(", "),
            lang.pick(
                ": de raderna listas som ej ersatta.",
                ": those rows are listed as not paid."
            )
        );
    }
    let rows = RowIndex::of(&run.contributions);
    if run.statements.len() > 1 {
        out.push_str("<nav>");
        for (i, s) in run.statements.iter().enumerate() {
            let _ = write!(
                out,
                "<a href=\"#u{i}\">{} {}</a>",
                text(&s.provider),
                month(s.period)
            );
        }
        out.push_str("</nav>\n");
    }
    if run.statements.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick("Underlag: inga", "Statements: none")
        );
    }
    for (i, s) in run.statements.iter().enumerate() {
        statement(&mut out, i, s, &rows, lang);
    }
    lists(&mut out, &run.not_paid, &run.not_paid_parts, lang);
    reconciliation(&mut out, &run.reconciliation, lang);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// A line by provider, month, term, the term's citation and key values.
type LineKey<'a> = (&'a str, Month, &'a str, &'a SourceRef, Vec<&'a str>);

/// The traced rows by statement and line key, in the trace's order.
struct RowIndex<'a> {
    by_line: HashMap<LineKey<'a>, Vec<&'a Contribution>>,
}

impl<'a> RowIndex<'a> {
    fn of(contributions: &'a [Contribution]) -> Self {
        let mut by_line: HashMap<_, Vec<&Contribution>> = HashMap::new();
        for c in contributions {
            let key: Vec<&str> = c.key.iter().map(|k| k.value.as_str()).collect();
            by_line
                .entry((&*c.provider, c.period, &*c.term, &*c.source, key))
                .or_default()
                .push(c);
        }
        RowIndex { by_line }
    }

    fn of_line(&self, s: &'a Statement, l: &'a Line) -> &[&'a Contribution] {
        let key: Vec<&str> = l.key.iter().map(|k| k.value.as_str()).collect();
        self.by_line
            .get(&(
                s.provider.as_str(),
                s.period,
                l.term.as_str(),
                &l.source,
                key,
            ))
            .map_or(&[], Vec::as_slice)
    }
}

fn statement<'a>(out: &mut String, i: usize, s: &'a Statement, rows: &RowIndex<'a>, lang: Lang) {
    let who = match &s.provider_name {
        Some(name) => format!("{} {}", text(&s.provider), text(name)),
        None => text(&s.provider),
    };
    let _ = writeln!(
        out,
        "<section class=\"statement\" id=\"u{i}\" data-provider=\"{}\" data-period=\"{}\" data-total=\"{}\">\n<h2>{who} — {}</h2>",
        text(&s.provider),
        month(s.period),
        money(s.total),
        month(s.period)
    );
    let (what, qty, rate, amount) = lang.pick(
        ("Moment", "Mängd", "× pris", "= belopp"),
        ("Term", "Quantity", "× rate", "= amount"),
    );
    let _ = writeln!(
        out,
        "<div class=\"grid head\"><span></span><span>{what}</span><span class=\"n\">{qty}</span><span class=\"n\">{rate}</span><span class=\"n\">{amount}</span></div>"
    );
    if s.lines.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", lang.pick("(inga rader)", "(no lines)"));
    }
    for (n, l) in s.lines.iter().enumerate() {
        line(out, (i, n), l, rows.of_line(s, l), lang);
    }
    let _ = writeln!(
        out,
        "<div class=\"total\"><span>{}</span><span class=\"n\">{}</span></div>\n</section>",
        lang.pick("Summa", "Total"),
        kr(s.total)
    );
}

/// A line's key as the pages show it, `[zone: tätort]` (`sep` between a
/// field and its value); nothing for a line without key.
pub(crate) fn key_span(key: &[crate::eval::KeyPart], sep: &str) -> String {
    if key.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = key
        .iter()
        .map(|k| format!("{}{sep}{}", text(&k.name), text(&k.value)))
        .collect();
    format!(" <span class=\"key\">[{}]</span>", parts.join(", "))
}

fn line(out: &mut String, (s, n): (usize, usize), l: &Line, rows: &[&Contribution], lang: Lang) {
    let key = key_span(&l.key, ": ");
    let _ = writeln!(
        out,
        "<details class=\"line\" data-term=\"{}\" data-amount=\"{}\"><summary>\
         <span>{}</span><span>{}{key}<br><span class=\"cite\">{}</span></span>\
         <span class=\"n\">{} {}</span><span class=\"n\">{} {}</span><span class=\"n\">{}</span></summary>",
        text(&l.term),
        money(l.amount),
        text(&l.term),
        text(&l.label),
        text(&l.source.to_string()),
        swedish(&quantity(l.quantity)),
        text(&l.unit),
        swedish(&money(l.rate)),
        text(&l.rate_unit),
        kr(l.amount),
    );
    let _ = write!(
        out,
        "<div class=\"body\"><p class=\"working\">{}: {}</p>",
        lang.pick("Uträkning", "Working"),
        text(&words::working(l, lang, true))
    );
    if !l.details.is_empty() {
        let d: Vec<String> = l.details.iter().map(|d| text(d)).collect();
        let _ = write!(
            out,
            "<p>{} {}</p>",
            lang.pick("Gäller", "Applies to"),
            d.join(", ")
        );
    }
    if !rows.is_empty() {
        behind(out, (s, n), l, rows, lang);
    }
    out.push_str("</div></details>\n");
}

/// The rows behind a line with their exact quantities and their sum.
fn behind(out: &mut String, (s, n): (usize, usize), l: &Line, rows: &[&Contribution], lang: Lang) {
    let unit = text(&l.unit);
    let sum = rows.iter().try_fold(Exact::from_integer(0), |a, c| {
        num_traits::CheckedAdd::checked_add(&a, &c.quantity)
    });
    let _ = write!(
        out,
        "<p>{} {} ({unit}):</p>",
        group_thousands(&rows.len().to_string()),
        lang.pick("underlag", "rows behind it")
    );
    let figure = |c: &Contribution| swedish(&exact(c.quantity));
    let inline = rows.len() <= INLINE_ROWS;
    if inline {
        out.push_str("<table class=\"rows\"><tbody>");
        for c in rows {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                text(&row_words(&c.row, lang)),
                figure(c)
            );
        }
    } else {
        let _ = write!(out, "<table class=\"rows\" data-rows=\"r{s}-{n}\"><tbody>");
    }
    out.push_str("</tbody>");
    if let Some(sum) = sum {
        let _ = write!(
            out,
            "<tfoot><tr><td>{}</td><td class=\"n\">{}</td></tr></tfoot>",
            lang.pick(
                "summa (radens mängd före avrundning)",
                "sum (the line's quantity before rounding)"
            ),
            swedish(&exact(sum))
        );
    }
    out.push_str("</table>");
    if !inline {
        let data: Vec<[String; 2]> = rows
            .iter()
            .map(|c| [printable_row(c, lang), figure(c)])
            .collect();
        let _ = write!(
            out,
            "<script type=\"application/json\" id=\"r{s}-{n}\">{}</script>",
            json(&data)
        );
    }
}

fn printable_row(c: &Contribution, lang: Lang) -> String {
    super::printable::printable(&row_words(&c.row, lang)).into_owned()
}

fn source_or_check(source: Option<&SourceRef>, lang: Lang) -> String {
    source.map_or_else(
        || {
            lang.pick("(motorns kontroll)", "(engine check)")
                .to_string()
        },
        |s| text(&s.to_string()),
    )
}

fn whereabouts(provider: Option<&str>, period: Option<Month>) -> String {
    let period = period.map(month);
    [provider.map(text), period]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The not-paid entries and the unpaid parts, with one filter by reason.
fn lists(out: &mut String, entries: &[NotPaid], parts: &[NotPaidPart], lang: Lang) {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for r in entries
        .iter()
        .map(|n| &n.reason)
        .chain(parts.iter().map(|p| &p.reason))
    {
        *reasons
            .entry(words::reason(r, lang).into_owned())
            .or_default() += 1;
    }
    let _ = writeln!(
        out,
        "<h3 id=\"ej-ersatt\">{} ({})</h3>",
        lang.pick("Ej ersatt", "Not paid"),
        group_thousands(&entries.len().to_string())
    );
    if !reasons.is_empty() {
        let _ = write!(
            out,
            "<p class=\"filter\"><label for=\"skal\">{}</label><select id=\"skal\"><option value=\"\">{}</option>",
            lang.pick("Visa skäl:", "Show reason:"),
            lang.pick("alla skäl", "every reason")
        );
        for (r, n) in &reasons {
            let _ = write!(
                out,
                "<option value=\"{}\">{} ({n})</option>",
                text(r),
                text(r)
            );
        }
        out.push_str("</select></p>\n");
    }
    let (kind, id, whom, reason, rule) = lang.pick(
        ("Slag", "Id", "Utförare, månad", "Skäl", "Regel"),
        ("Kind", "Id", "Provider, month", "Reason", "Rule"),
    );
    if entries.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", lang.pick("inga", "none"));
    } else {
        let _ = writeln!(
            out,
            "<table class=\"not-paid\"><thead><tr><th>{kind}</th><th>{id}</th><th>{whom}</th><th>{reason}</th><th>{rule}</th></tr></thead><tbody>"
        );
        for n in entries {
            let r = words::reason(&n.reason, lang);
            let _ = writeln!(
                out,
                "<tr data-reason=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"cite\">{}</td></tr>",
                text(&r),
                words::not_paid_kind(n.kind, lang),
                text(&n.id),
                whereabouts(n.provider.as_deref(), n.period),
                text(&r),
                source_or_check(n.source.as_ref(), lang)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let _ = writeln!(
        out,
        "<h3>{} ({})</h3>",
        lang.pick("Delvis ersatt", "Partly paid"),
        group_thousands(&parts.len().to_string())
    );
    if parts.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", lang.pick("inga", "none"));
        return;
    }
    let what = lang.pick("Vad", "What");
    let _ = writeln!(
        out,
        "<table class=\"parts\"><thead><tr><th>{kind}</th><th>{id}</th><th>{whom}</th><th>{what}</th><th>{reason}</th><th>{rule}</th></tr></thead><tbody>"
    );
    for p in parts {
        let r = words::reason(&p.reason, lang);
        let w: Vec<String> = [
            p.seconds.map(|s| format!("{} ({s} s)", hms(s))),
            p.activity.as_deref().map(text),
        ]
        .into_iter()
        .flatten()
        .collect();
        let _ = writeln!(
            out,
            "<tr data-reason=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"cite\">{}</td></tr>",
            text(&r),
            words::part_word(&p.kind, lang),
            text(&p.id),
            whereabouts(p.provider.as_deref(), p.period),
            w.join(", "),
            text(&r),
            source_or_check(p.source.as_ref(), lang)
        );
    }
    out.push_str("</tbody></table>\n");
}

fn reconciliation(out: &mut String, r: &Reconciliation, lang: Lang) {
    let n = |v: u64| group_thousands(&v.to_string());
    let (inn, paid, unpaid) =
        lang.pick(("in", "ersatta", "ej ersatta"), ("in", "paid", "not paid"));
    let not_priced = r.visits_not_priced.is_some();
    let _ = write!(
        out,
        "<h3>{}</h3>\n<table class=\"reconciliation\"><thead><tr><th></th><th class=\"n\">{inn}</th><th class=\"n\">{paid}</th><th class=\"n\">{unpaid}</th>",
        lang.pick("Avstämning", "Reconciliation")
    );
    if not_priced {
        let _ = write!(out, "<th class=\"n\">{}</th>", words::not_priced(lang));
    }
    out.push_str("<th></th></tr></thead><tbody>\n");
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
    for (what, input, p, u, np) in rows {
        let difference =
            i128::from(input) - i128::from(p) - i128::from(u) - i128::from(np.unwrap_or(0));
        let verdict = match (difference, lang) {
            (0, _) => format!(
                "<span class=\"ok\">{}</span>",
                lang.pick("stämmer", "balanced")
            ),
            (_, Lang::Sv) => {
                format!("<span class=\"bad\">STÄMMER INTE (skillnad {difference:+})</span>")
            }
            (_, Lang::En) => {
                format!("<span class=\"bad\">NOT BALANCED (difference {difference:+})</span>")
            }
        };
        let _ = write!(
            out,
            "<tr><td>{what}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            n(input),
            n(p),
            n(u)
        );
        if not_priced {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                np.map(n).unwrap_or_default()
            );
        }
        let _ = writeln!(out, "<td>{verdict}</td></tr>");
    }
    out.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_run;

    #[test]
    fn every_line_and_statement_carries_its_figures() {
        let run = sample_run();
        let page = to_html(&run, Lang::Sv);
        for s in &run.statements {
            assert!(page.contains(&format!("data-total=\"{}\"", money(s.total))));
            for l in &s.lines {
                assert!(page.contains(&format!("data-amount=\"{}\"", money(l.amount))));
            }
        }
        assert!(page.contains("<html lang=\"sv\">"));
        assert!(page.contains("Ej ersatt ("));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "no network"
        );
    }

    #[test]
    fn english_on_request() {
        let page = to_html(&sample_run(), Lang::En);
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("<h1>Payment statement</h1>"));
        assert!(page.contains("Not paid (") && page.contains("Reconciliation"));
        assert!(!page.contains("Ej ersatt"));
    }

    #[test]
    fn text_from_the_data_is_escaped() {
        let mut run = sample_run();
        run.statements[0].provider_name = Some("<script>alert(1)</script>".into());
        run.statements[0].lines[0].label = "a\"><img src=x onerror=alert(1)>".into();
        run.not_paid[0].id = "</td><b>".into();
        let page = to_html(&run, Lang::Sv);
        assert!(!page.contains("<script>alert"), "a name is text");
        assert!(!page.contains("<img"), "a label is text");
        assert!(!page.contains("</td><b>"), "an id is text");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
