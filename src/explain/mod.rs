//! `taxa explain`: one provider-month of a traced run
//! ([`crate::eval::Options::trace`]) read back from a line to the rows
//! behind it, or from a row (a visit, an event, a customer) to the lines it
//! fed — or why it was not paid. Only the asked provider's rows are looked
//! at, so an explanation holds nothing of another provider's.

use num_traits::{CheckedAdd, CheckedMul};

use crate::check::Exact;
use crate::eval::trace::{Contribution, Row};
use crate::eval::{
    Detail, Line, Month, NotPaid, NotPaidKind, NotPaidPart, PayRun, Statement, Working,
};

/// What to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// The statement's line by its number (from 1, as the statement shows).
    Line(usize),
    /// Every line of a term, or those whose key has these `field=value` pairs.
    Term {
        term: String,
        key: Vec<(String, String)>,
    },
    Visit(String),
    Event(String),
    Customer(String),
}

/// One line with the rows behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRows {
    /// From 1, in statement order.
    pub number: usize,
    pub line: Line,
    pub rows: Vec<Contribution>,
    /// Σ of the rows' quantities: the line's exact quantity (a paying term;
    /// caps, supplements and allocations say in their working what they
    /// were computed from).
    pub sum: Exact,
    /// The statement's lines this one was computed from: a cap's capped
    /// terms, a supplement's base (by number).
    pub from_lines: Vec<usize>,
}

/// One row's share of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub number: usize,
    pub term: String,
    pub label: String,
    pub row: Row,
    pub quantity: Exact,
    pub unit: String,
    /// `quantity × rate`, exact (before the line's one rounding), when the
    /// line has a rate.
    pub amount: Option<Exact>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Lines(Vec<LineRows>),
    /// A visit or an event: the lines it fed, or why it was not paid, and
    /// its unpaid parts.
    Row {
        kind: NotPaidKind,
        id: String,
        shares: Vec<Share>,
        not_paid: Option<Box<NotPaid>>,
        /// What decided an engine check's refusal.
        detail: Option<Detail>,
        parts: Vec<NotPaidPart>,
    },
    /// What was paid for a customer that month, row by row and term by term,
    /// and what of theirs was not paid.
    Customer {
        id: String,
        shares: Vec<Share>,
        not_paid: Vec<NotPaid>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub provider: String,
    pub provider_name: Option<String>,
    pub period: Month,
    pub contract: String,
    pub body: Body,
}

/// Why an explanation cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("{provider} has no statement for {period}")]
    NoStatement { provider: String, period: Month },
    #[error(
        "the statement of {provider} for {period} has {count} lines; there is no line {number}"
    )]
    NoLine {
        provider: String,
        period: Month,
        number: usize,
        count: usize,
    },
    #[error("the statement of {provider} for {period} has no line of {term}{key}")]
    NoTermLine {
        provider: String,
        period: Month,
        term: String,
        key: String,
    },
    #[error("{what} {id} is neither paid nor listed as not paid for {provider} in {period}")]
    NoRow {
        what: &'static str,
        id: String,
        provider: String,
        period: Month,
    },
}

/// Whether `c` is a row behind line `l` of statement `s`.
pub fn same_key(c: &Contribution, s: &Statement, l: &Line) -> bool {
    *c.provider == *s.provider
        && c.period == s.period
        && *c.term == *l.term
        && *c.source == l.source
        && c.key.len() == l.key.len()
        && c.key
            .iter()
            .zip(&l.key)
            .all(|(a, b)| a.value == b.value && a.name == b.name)
}

fn rate(l: &Line) -> Option<Exact> {
    match &l.working {
        Working::Product { rate, .. } => Some(*rate),
        _ => None,
    }
}

/// The statement's line numbers of the terms a cap or supplement reads.
fn sources(s: &Statement, l: &Line) -> Vec<usize> {
    let over: Vec<&str> = match &l.working {
        Working::Cap { over, .. } | Working::Share { over, .. } => {
            over.iter().map(String::as_str).collect()
        }
        _ => Vec::new(),
    };
    s.lines
        .iter()
        .enumerate()
        .filter(|(_, o)| over.contains(&o.term.as_str()))
        .map(|(i, _)| i + 1)
        .collect()
}

fn line_rows(s: &Statement, run: &PayRun, number: usize) -> LineRows {
    let line = &s.lines[number - 1];
    let rows: Vec<Contribution> = run
        .contributions
        .iter()
        .filter(|c| same_key(c, s, line))
        .cloned()
        .collect();
    // The ledger summed these same quantities without overflow; should a
    // different order overflow here, the line's own exact quantity stands.
    let sum = rows
        .iter()
        .try_fold(Exact::from_integer(0), |a, c| a.checked_add(&c.quantity))
        .or(match &line.working {
            Working::Product { quantity, .. } => Some(*quantity),
            _ => None,
        })
        .unwrap_or_default();
    LineRows {
        number,
        line: line.clone(),
        rows,
        sum,
        from_lines: sources(s, line),
    }
}

fn shares(s: &Statement, run: &PayRun, keep: impl Fn(&Row) -> bool) -> Vec<Share> {
    let mut out = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        for c in run
            .contributions
            .iter()
            .filter(|c| keep(&c.row) && same_key(c, s, l))
        {
            out.push(Share {
                number: i + 1,
                term: l.term.clone(),
                label: l.label.clone(),
                row: c.row.clone(),
                quantity: c.quantity,
                unit: l.unit.clone(),
                amount: rate(l).and_then(|r| c.quantity.checked_mul(&r)),
            });
        }
    }
    out
}

/// The explanation of `query` in `run`, which was traced for `provider`
/// and `period`.
pub fn explain(
    run: &PayRun,
    provider: &str,
    period: Month,
    query: &Query,
) -> Result<Explanation, ExplainError> {
    let statement = run
        .statements
        .iter()
        .find(|s| s.provider == provider && s.period == period);
    let mine = |n: &&NotPaid| n.provider.as_deref() == Some(provider) && n.period == Some(period);
    let need = || {
        statement.ok_or(ExplainError::NoStatement {
            provider: provider.to_string(),
            period,
        })
    };
    let body = match query {
        Query::Line(number) => {
            let s = need()?;
            if *number == 0 || *number > s.lines.len() {
                return Err(ExplainError::NoLine {
                    provider: provider.to_string(),
                    period,
                    number: *number,
                    count: s.lines.len(),
                });
            }
            Body::Lines(vec![line_rows(s, run, *number)])
        }
        Query::Term { term, key } => {
            let s = need()?;
            let lines: Vec<LineRows> = (1..=s.lines.len())
                .filter(|&n| {
                    let l = &s.lines[n - 1];
                    &l.term == term
                        && key
                            .iter()
                            .all(|(f, v)| l.key.iter().any(|k| &k.name == f && &k.value == v))
                })
                .map(|n| line_rows(s, run, n))
                .collect();
            if lines.is_empty() {
                let key = key
                    .iter()
                    .map(|(f, v)| format!(" {f}={v}"))
                    .collect::<String>();
                return Err(ExplainError::NoTermLine {
                    provider: provider.to_string(),
                    period,
                    term: term.clone(),
                    key,
                });
            }
            Body::Lines(lines)
        }
        Query::Visit(id) | Query::Event(id) => {
            let (kind, what) = match query {
                Query::Visit(_) => (NotPaidKind::Visit, "visit"),
                _ => (NotPaidKind::Event, "event"),
            };
            let is_row = |r: &Row| match r {
                Row::Visit { id: v, .. } => kind == NotPaidKind::Visit && v == id,
                Row::Event { id: e, .. } => kind == NotPaidKind::Event && e == id,
                _ => false,
            };
            let shares = statement
                .map(|s| shares(s, run, is_row))
                .unwrap_or_default();
            let not_paid = run
                .not_paid
                .iter()
                .filter(mine)
                .find(|n| n.kind == kind && &n.id == id)
                .cloned()
                .map(Box::new);
            let parts: Vec<NotPaidPart> = run
                .not_paid_parts
                .iter()
                .filter(|p| {
                    kind == NotPaidKind::Visit
                        && &p.id == id
                        && p.provider.as_deref() == Some(provider)
                        && p.period == Some(period)
                })
                .cloned()
                .collect();
            if shares.is_empty() && not_paid.is_none() {
                return Err(ExplainError::NoRow {
                    what,
                    id: id.clone(),
                    provider: provider.to_string(),
                    period,
                });
            }
            let detail = not_paid.as_ref().and_then(|_| run.details.get(id).cloned());
            Body::Row {
                kind,
                id: id.clone(),
                shares,
                not_paid,
                detail,
                parts,
            }
        }
        Query::Customer(id) => {
            let shares = statement
                .map(|s| shares(s, run, |r| r.customer() == Some(id.as_str())))
                .unwrap_or_default();
            let prefix = format!("{id}:");
            let not_paid: Vec<NotPaid> = run
                .not_paid
                .iter()
                .filter(mine)
                .filter(|n| n.kind == NotPaidKind::CustomerMonth && n.id.starts_with(&prefix))
                .cloned()
                .collect();
            if shares.is_empty() && not_paid.is_empty() {
                return Err(ExplainError::NoRow {
                    what: "customer",
                    id: id.clone(),
                    provider: provider.to_string(),
                    period,
                });
            }
            Body::Customer {
                id: id.clone(),
                shares,
                not_paid,
            }
        }
    };
    Ok(Explanation {
        provider: provider.to_string(),
        provider_name: statement.and_then(|s| s.provider_name.clone()),
        period,
        contract: run.contract.name.clone(),
        body,
    })
}
