//! The views of `taxa explain`: a line and the rows behind it, or a row
//! and the lines it fed (or why it was not paid), as Swedish text and as
//! JSON. Exact figures are shown to four decimals with the sum they make.

use serde::Serialize;

use crate::check::Exact;
use crate::eval::Detail;
use crate::eval::trace::{Contribution, Row};
use crate::explain::{Body, Explanation, LineRows, Share};

use super::format::{exact, hms, money, month, swedish};
use super::printable::printable;
use super::words::{self, Lang};

/// A row as a person names it.
pub fn row(r: &Row, lang: Lang) -> String {
    let (visit, customer_w, days_w, event) = match lang {
        Lang::Sv => ("besök", "kund", "dagar", "händelse"),
        Lang::En => ("visit", "customer", "days", "event"),
    };
    match r {
        Row::Visit { id, customer } => format!("{visit} {id} ({customer_w} {customer})"),
        Row::Days { customer, from, to } if from == to => {
            format!("{customer_w} {customer}, {from}")
        }
        Row::Days { customer, from, to } => {
            let days = (*to - *from).num_days() + 1;
            format!("{customer_w} {customer}, {from} – {to} ({days} {days_w})")
        }
        Row::Event {
            id,
            customer: Some(c),
        } => format!("{event} {id} ({customer_w} {c})"),
        Row::Event { id, customer: None } => format!("{event} {id}"),
        Row::ProviderMonth => lang
            .pick("utföraren, månaden", "the provider, the month")
            .to_string(),
        Row::Replaced { customer } => match lang {
            Lang::Sv => format!("kund {customer}, ersatt av ett annat moment"),
            Lang::En => format!("customer {customer}, replaced by another term"),
        },
    }
}

/// What decided an engine check, in words.
pub fn detail(d: &Detail, lang: Lang) -> String {
    match (d, lang) {
        (
            Detail::CustomerProvider {
                customer,
                provider,
                date,
            },
            Lang::Sv,
        ) => {
            format!("kunden {customer} har utföraren {provider} den {date}")
        }
        (
            Detail::CustomerProvider {
                customer,
                provider,
                date,
            },
            Lang::En,
        ) => {
            format!("customer {customer} has provider {provider} on {date}")
        }
        (Detail::NoCustomerRow { customer, date }, Lang::Sv) => {
            format!("ingen rad i customers.csv för kunden {customer} gäller {date}")
        }
        (Detail::NoCustomerRow { customer, date }, Lang::En) => {
            format!("no row of customers.csv for customer {customer} covers {date}")
        }
        (Detail::RowsOverlap { customer, date }, Lang::Sv) => {
            format!("två rader för kunden {customer} gäller {date}")
        }
        (Detail::RowsOverlap { customer, date }, Lang::En) => {
            format!("two rows for customer {customer} cover {date}")
        }
        (
            Detail::Duration {
                seconds,
                limit_hours,
            },
            Lang::Sv,
        ) => {
            format!(
                "besöket varar {} (gränsen är {limit_hours} h)",
                hms(*seconds)
            )
        }
        (
            Detail::Duration {
                seconds,
                limit_hours,
            },
            Lang::En,
        ) => {
            format!(
                "the visit lasts {} (the limit is {limit_hours} h)",
                hms(*seconds)
            )
        }
        (Detail::NotAfterStart { seconds }, Lang::Sv) => {
            format!("slut minus start är {} s", seconds)
        }
        (Detail::NotAfterStart { seconds }, Lang::En) => {
            format!("end minus start is {} s", seconds)
        }
        (Detail::Values(values), _) => values
            .iter()
            .map(|(f, v)| format!("{f} = {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        (Detail::Outside { date, from, to }, Lang::Sv) => {
            format!("{date} ligger utanför avtalstiden {from} – {to}")
        }
        (Detail::Outside { date, from, to }, Lang::En) => {
            format!("{date} is outside the validity {from} – {to}")
        }
    }
}

/// `   (file:line:col)` after a reason, or nothing for the engine's own.
fn cite(source: Option<&crate::eval::SourceRef>) -> String {
    source.map(|s| format!("   ({s})")).unwrap_or_default()
}

fn figure(x: Exact) -> String {
    swedish(&exact(x))
}

fn line_head(l: &LineRows, lang: Lang) -> String {
    let key = l
        .line
        .key
        .iter()
        .map(|k| format!("{}={}", k.name, k.value))
        .collect::<Vec<_>>()
        .join(", ");
    let key = if key.is_empty() {
        String::new()
    } else {
        format!(" [{key}]")
    };
    format!(
        "{} {}: {} {}{key} — {} {} × {} {} = {} kr   ({})\n",
        lang.pick("Rad", "Line"),
        l.number,
        l.line.term,
        l.line.label,
        swedish(&l.line.quantity.to_string()),
        l.line.unit,
        swedish(&money(l.line.rate)),
        l.line.rate_unit,
        swedish(&money(l.line.amount)),
        l.line.source
    )
}

fn share_line(s: &Share, lang: Lang) -> String {
    let amount = s
        .amount
        .map(|a| {
            format!(
                " = {} kr {}",
                figure(a),
                lang.pick("före avrundning", "before rounding")
            )
        })
        .unwrap_or_default();
    format!(
        "  {} {}: {} {} — {} {}{amount}\n",
        lang.pick("rad", "line"),
        s.number,
        s.term,
        s.label,
        figure(s.quantity),
        s.unit
    )
}

pub fn to_text(e: &Explanation, lang: Lang) -> String {
    let who = match &e.provider_name {
        Some(n) => format!("{} {n}", e.provider),
        None => e.provider.clone(),
    };
    let mut out = format!("{} — {}, {}\n\n", e.contract, who, month(e.period));
    match &e.body {
        Body::Lines(lines) => {
            for l in lines {
                out.push_str(&line_head(l, lang));
                out.push_str(&format!(
                    "  {}: {}\n",
                    lang.pick("uträkning", "working"),
                    words::working(&l.line, lang, true)
                ));
                if !l.from_lines.is_empty() {
                    let n: Vec<String> = l.from_lines.iter().map(|n| n.to_string()).collect();
                    out.push_str(&format!(
                        "  {} {}\n",
                        lang.pick("beräknad ur raderna", "computed from lines"),
                        n.join(", ")
                    ));
                }
                if let crate::eval::Working::CapPerCustomer {
                    customers, unit, ..
                } = &l.line.working
                {
                    out.push_str(lang.pick(
                        "  per kund (utfört, tak, över taket):\n",
                        "  per customer (performed, bound, over the bound):\n",
                    ));
                    for c in customers {
                        out.push_str(&format!(
                            "    {} {:<20} {:>12} {unit} {:>12} {unit} {:>12} {unit}\n",
                            lang.pick("kund", "customer"),
                            c.customer,
                            figure(c.performed),
                            figure(c.bound),
                            figure(c.excess)
                        ));
                    }
                } else if let crate::eval::Working::Allocation { customers, .. } = &l.line.working {
                    out.push_str(&format!(
                        "  {} {}: {}\n",
                        customers.len(),
                        lang.pick("kunder räknade", "customers counted"),
                        customers.join(", ")
                    ));
                } else if !l.line.details.is_empty() {
                    out.push_str(&format!(
                        "  {} {}\n",
                        lang.pick("gäller", "for"),
                        l.line.details.join(", ")
                    ));
                }
                if !l.rows.is_empty() {
                    out.push_str(&format!(
                        "  {} {}:\n",
                        l.rows.len(),
                        lang.pick("underlag", "rows")
                    ));
                    for c in &l.rows {
                        out.push_str(&format!(
                            "    {:<56} {:>14} {}\n",
                            row(&c.row, lang),
                            figure(c.quantity),
                            l.line.unit
                        ));
                    }
                    out.push_str(&format!(
                        "    {:<56} {:>14} {}\n",
                        lang.pick(
                            "summa (radens mängd före avrundning)",
                            "sum (the line's quantity before rounding)",
                        ),
                        figure(l.sum),
                        l.line.unit
                    ));
                }
                out.push('\n');
            }
        }
        Body::Row {
            id,
            shares,
            not_paid,
            detail,
            parts,
            kind,
        } => {
            out.push_str(&format!("{} {id}\n", words::not_paid_kind(*kind, lang)));
            if shares.is_empty() {
                out.push_str(lang.pick(
                    "  bidrar inte till någon rad\n",
                    "  contributes to no line\n",
                ));
            }
            for s in shares {
                out.push_str(&share_line(s, lang));
            }
            if let Some(n) = not_paid {
                let source = cite(n.source.as_ref());
                out.push_str(&format!(
                    "  {}: {}{source}\n",
                    lang.pick("ej ersatt", "not paid"),
                    words::reason(&n.reason, lang)
                ));
            }
            if let Some(d) = detail {
                out.push_str(&format!(
                    "  {}: {}\n",
                    lang.pick("avgjordes av", "decided by"),
                    self::detail(d, lang)
                ));
            }
            for p in parts {
                let what = match (&p.activity, p.seconds) {
                    (Some(a), _) => a.clone(),
                    (None, Some(s)) => format!("{s} s"),
                    (None, None) => String::new(),
                };
                let source = cite(p.source.as_ref());
                out.push_str(&format!(
                    "  {}: {} {what}: {}{source}\n",
                    lang.pick("ej ersatt del", "part not paid"),
                    words::part_kind(&p.kind),
                    words::reason(&p.reason, lang)
                ));
            }
        }
        Body::Customer {
            id,
            shares,
            not_paid,
        } => {
            out.push_str(&format!("{} {id}\n", lang.pick("kund", "customer")));
            for s in shares {
                out.push_str(&format!("  {}\n", row(&s.row, lang)));
                out.push_str(&format!("  {}", share_line(s, lang)));
            }
            let mut terms: Vec<(&str, &str, Exact)> = Vec::new();
            for s in shares {
                let Some(a) = s.amount else { continue };
                match terms.iter_mut().find(|t| t.0 == s.term) {
                    Some(t) => t.2 = num_traits::CheckedAdd::checked_add(&t.2, &a).unwrap_or(t.2),
                    None => terms.push((&s.term, &s.label, a)),
                }
            }
            if !terms.is_empty() {
                out.push_str(lang.pick(
                    "  per moment, före avrundning:\n",
                    "  per term, before rounding:\n",
                ));
                for (t, label, a) in terms {
                    out.push_str(&format!("    {t} {label}: {} kr\n", figure(a)));
                }
            }
            for n in not_paid {
                let source = cite(n.source.as_ref());
                out.push_str(&format!(
                    "  {} {}: {}{source}\n",
                    lang.pick("ej ersatt", "not paid"),
                    n.id,
                    words::reason(&n.reason, lang)
                ));
            }
        }
    }
    // Ids and names come from the data: each line is made safe for a
    // terminal, the line ends kept.
    out.split_inclusive('\n')
        .map(|l| match l.strip_suffix('\n') {
            Some(l) => format!("{}\n", printable(l)),
            None => printable(l).into_owned(),
        })
        .collect()
}

// ---- JSON ------------------------------------------------------------------

#[derive(Serialize)]
struct JsonExplanation<'a> {
    contract: &'a str,
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_name: Option<&'a str>,
    period: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lines: Vec<JsonLine<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    number: usize,
    term: &'a str,
    label: &'a str,
    quantity: String,
    unit: &'a str,
    rate: String,
    amount: String,
    source: String,
    explanation: String,
    exact_quantity: String,
    rows: Vec<JsonContribution<'a>>,
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    from_lines: &'a [usize],
    /// A per-customer cap: each customer over their bound.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    customers: Vec<JsonExcess<'a>>,
}

#[derive(Serialize)]
struct JsonExcess<'a> {
    customer: &'a str,
    performed: String,
    bound: String,
    excess: String,
}

#[derive(Serialize)]
struct JsonContribution<'a> {
    row: JsonRowRef<'a>,
    /// Exact, as a fraction `p/q` when it is not a whole number.
    quantity: String,
}

#[derive(Serialize)]
struct JsonRowRef<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    kind: &'static str,
    id: &'a str,
    shares: Vec<JsonShare<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_paid_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_paid_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<String>,
}

#[derive(Serialize)]
struct JsonShare<'a> {
    line: usize,
    term: &'a str,
    row: JsonRowRef<'a>,
    quantity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<String>,
}

/// An exact number as JSON text: `12`, `-3/7`.
fn ratio(x: Exact) -> String {
    if x.is_integer() {
        x.to_integer().to_string()
    } else {
        format!("{}/{}", x.numer(), x.denom())
    }
}

fn row_ref(r: &Row) -> JsonRowRef<'_> {
    let (kind, id, customer, from, to) = match r {
        Row::Visit { id, customer } => (
            "visit",
            Some(id.as_str()),
            Some(customer.as_str()),
            None,
            None,
        ),
        Row::Days { customer, from, to } => (
            "customer_days",
            None,
            Some(customer.as_str()),
            Some(from.to_string()),
            Some(to.to_string()),
        ),
        Row::Event { id, customer } => {
            ("event", Some(id.as_str()), customer.as_deref(), None, None)
        }
        Row::ProviderMonth => ("provider_month", None, None, None, None),
        Row::Replaced { customer } => ("replaced", None, Some(customer.as_str()), None, None),
    };
    JsonRowRef {
        kind,
        id,
        customer,
        from,
        to,
    }
}

fn json_contribution(c: &Contribution) -> JsonContribution<'_> {
    JsonContribution {
        row: row_ref(&c.row),
        quantity: ratio(c.quantity),
    }
}

fn json_share(s: &Share) -> JsonShare<'_> {
    JsonShare {
        line: s.number,
        term: &s.term,
        row: row_ref(&s.row),
        quantity: ratio(s.quantity),
        amount: s.amount.map(ratio),
    }
}

pub fn to_json(e: &Explanation, lang: Lang) -> String {
    let mut json = JsonExplanation {
        contract: &e.contract,
        provider: &e.provider,
        provider_name: e.provider_name.as_deref(),
        period: month(e.period),
        lines: Vec::new(),
        row: None,
    };
    match &e.body {
        Body::Lines(lines) => {
            json.lines = lines
                .iter()
                .map(|l| JsonLine {
                    number: l.number,
                    term: &l.line.term,
                    label: &l.line.label,
                    quantity: l.line.quantity.to_string(),
                    unit: &l.line.unit,
                    rate: money(l.line.rate),
                    amount: money(l.line.amount),
                    source: l.line.source.to_string(),
                    explanation: words::working(&l.line, lang, false),
                    exact_quantity: ratio(l.sum),
                    rows: l.rows.iter().map(json_contribution).collect(),
                    from_lines: &l.from_lines,
                    customers: match &l.line.working {
                        crate::eval::Working::CapPerCustomer { customers, .. } => customers
                            .iter()
                            .map(|c| JsonExcess {
                                customer: &c.customer,
                                performed: ratio(c.performed),
                                bound: ratio(c.bound),
                                excess: ratio(c.excess),
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                })
                .collect()
        }
        Body::Row {
            kind,
            id,
            shares,
            not_paid,
            detail,
            parts,
        } => {
            json.row = Some(JsonRow {
                detail: detail.as_ref().map(|d| self::detail(d, lang)),
                kind: words::not_paid_kind(*kind, lang),
                id,
                shares: shares.iter().map(json_share).collect(),
                not_paid_reason: not_paid
                    .as_ref()
                    .map(|n| words::reason(&n.reason, lang).into_owned()),
                not_paid_source: not_paid
                    .as_ref()
                    .and_then(|n| n.source.as_ref().map(|s| s.to_string())),
                parts: parts
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {}",
                            words::part_kind(&p.kind),
                            words::reason(&p.reason, lang)
                        )
                    })
                    .collect(),
            })
        }
        Body::Customer {
            id,
            shares,
            not_paid,
        } => {
            json.row = Some(JsonRow {
                detail: None,
                kind: "customer",
                id,
                shares: shares.iter().map(json_share).collect(),
                not_paid_reason: None,
                not_paid_source: None,
                parts: not_paid
                    .iter()
                    .map(|n| format!("{}: {}", n.id, words::reason(&n.reason, lang)))
                    .collect(),
            })
        }
    }
    let mut out = serde_json::to_string_pretty(&json).expect("plain structs serialise");
    out.push('\n');
    out
}
