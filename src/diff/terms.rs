//! Two versions' terms side by side: what was added, removed or changed —
//! the name and validity, each rate cell (old → new, in kronor and per
//! cent), each term clause by clause, each other declaration — in the new
//! file's order, removed things after what they stood beside.

use rust_decimal::Decimal;

use super::read::{Cited, Rules};

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The contract's name (`avtal "…"`).
    Name,
    /// `gäller FROM till TO`.
    Validity,
    /// A rate cell, by its id (`omsorg_timpris[tätort]`).
    Rate(String),
    /// A whole term (added or removed), or one of its clauses.
    Term {
        name: String,
        kind: &'static str,
        clause: Option<&'static str>,
    },
    /// A declaration by its kind word and name (`kod zone`).
    Declaration { kind: &'static str, name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Added,
    Removed,
    Changed,
}

/// A rate's change in figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateChange {
    pub old: Decimal,
    pub old_unit: String,
    pub new: Decimal,
    pub new_unit: String,
    /// `new - old`, when both are in one unit.
    pub delta: Option<Decimal>,
    /// `delta / old × 100`, two decimals, when `old` is not zero.
    pub percent: Option<Decimal>,
    /// The terms (of the new version, or the old for a removed rate) that
    /// look the rate up.
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: Subject,
    pub what: What,
    pub old: Option<Cited>,
    pub new: Option<Cited>,
    pub rate: Option<RateChange>,
}

/// Every difference between two versions' terms; empty when they say the
/// same (comments and layout aside).
pub fn compare(old: &Rules, new: &Rules) -> Vec<Change> {
    let mut out = Vec::new();
    let pair = |subject, what, o: Option<&Cited>, n: Option<&Cited>| Change {
        subject,
        what,
        old: o.cloned(),
        new: n.cloned(),
        rate: None,
    };
    if old.name.text != new.name.text {
        out.push(pair(
            Subject::Name,
            What::Changed,
            Some(&old.name),
            Some(&new.name),
        ));
    }
    if old.validity.text != new.validity.text {
        out.push(pair(
            Subject::Validity,
            What::Changed,
            Some(&old.validity),
            Some(&new.validity),
        ));
    }
    rates(old, new, &mut out);
    terms(old, new, &mut out);
    for d in &new.declarations {
        let before = old
            .declarations
            .iter()
            .find(|o| o.kind == d.kind && o.name == d.name);
        let subject = Subject::Declaration {
            kind: d.kind,
            name: d.name.clone(),
        };
        match before {
            None => out.push(pair(subject, What::Added, None, Some(&d.text))),
            Some(o) if o.text.text != d.text.text => {
                out.push(pair(subject, What::Changed, Some(&o.text), Some(&d.text)))
            }
            Some(_) => {}
        }
    }
    for o in &old.declarations {
        if !new
            .declarations
            .iter()
            .any(|d| d.kind == o.kind && d.name == o.name)
        {
            let subject = Subject::Declaration {
                kind: o.kind,
                name: o.name.clone(),
            };
            out.push(pair(subject, What::Removed, Some(&o.text), None));
        }
    }
    out
}

fn cite(text: String, source: &crate::syntax::SourceRef) -> Cited {
    Cited {
        text,
        source: source.clone(),
    }
}

fn users(rules: &Rules, name: &str) -> Vec<String> {
    rules
        .terms
        .iter()
        .filter(|t| t.reads.iter().any(|r| r == name))
        .map(|t| t.name.clone())
        .collect()
}

fn rates(old: &Rules, new: &Rules, out: &mut Vec<Change>) {
    let shown = |v: Decimal, unit: &str| format!("{} {unit}", v.normalize());
    for n in &new.rates {
        let before = old.rates.iter().find(|o| o.id == n.id);
        if before.is_some_and(|o| o.value == n.value && o.unit == n.unit) {
            continue;
        }
        let (what, old_cited, rate) = match before {
            Some(o) => {
                let same_unit = o.unit == n.unit;
                let delta = same_unit.then(|| n.value - o.value);
                let percent = delta
                    .filter(|_| !o.value.is_zero())
                    .map(|d| (d * Decimal::ONE_HUNDRED / o.value).round_dp(2));
                let rate = RateChange {
                    old: o.value,
                    old_unit: o.unit.clone(),
                    new: n.value,
                    new_unit: n.unit.clone(),
                    delta,
                    percent,
                    used_by: users(new, &n.name),
                };
                (
                    What::Changed,
                    Some(cite(shown(o.value, &o.unit), &o.source)),
                    Some(rate),
                )
            }
            None => (What::Added, None, None),
        };
        out.push(Change {
            subject: Subject::Rate(n.id.clone()),
            what,
            old: old_cited,
            new: Some(cite(shown(n.value, &n.unit), &n.source)),
            rate,
        });
    }
    for o in &old.rates {
        if !new.rates.iter().any(|n| n.id == o.id) {
            out.push(Change {
                subject: Subject::Rate(o.id.clone()),
                what: What::Removed,
                old: Some(cite(shown(o.value, &o.unit), &o.source)),
                new: None,
                rate: None,
            });
        }
    }
}

fn terms(old: &Rules, new: &Rules, out: &mut Vec<Change>) {
    let whole = |t: &super::read::TermText| {
        let text = t
            .clauses
            .iter()
            .map(|(_, c)| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        cite(format!("{} {} {text}", t.kind, t.name), &t.source)
    };
    for n in &new.terms {
        let Some(o) = old.terms.iter().find(|o| o.name == n.name) else {
            out.push(Change {
                subject: Subject::Term {
                    name: n.name.clone(),
                    kind: n.kind,
                    clause: None,
                },
                what: What::Added,
                old: None,
                new: Some(whole(n)),
                rate: None,
            });
            continue;
        };
        if o.kind != n.kind {
            out.push(Change {
                subject: Subject::Term {
                    name: n.name.clone(),
                    kind: n.kind,
                    clause: None,
                },
                what: What::Changed,
                old: Some(whole(o)),
                new: Some(whole(n)),
                rate: None,
            });
            continue;
        }
        let clause = |c: &'static str| Subject::Term {
            name: n.name.clone(),
            kind: n.kind,
            clause: Some(c),
        };
        for (name, nc) in &n.clauses {
            match o.clauses.iter().find(|(k, _)| k == name) {
                None => out.push(Change {
                    subject: clause(name),
                    what: What::Added,
                    old: None,
                    new: Some(nc.clone()),
                    rate: None,
                }),
                Some((_, oc)) if oc.text != nc.text => out.push(Change {
                    subject: clause(name),
                    what: What::Changed,
                    old: Some(oc.clone()),
                    new: Some(nc.clone()),
                    rate: None,
                }),
                Some(_) => {}
            }
        }
        for (name, oc) in &o.clauses {
            if !n.clauses.iter().any(|(k, _)| k == name) {
                out.push(Change {
                    subject: clause(name),
                    what: What::Removed,
                    old: Some(oc.clone()),
                    new: None,
                    rate: None,
                });
            }
        }
    }
    for o in &old.terms {
        if !new.terms.iter().any(|n| n.name == o.name) {
            out.push(Change {
                subject: Subject::Term {
                    name: o.name.clone(),
                    kind: o.kind,
                    clause: None,
                },
                what: What::Removed,
                old: Some(whole(o)),
                new: None,
                rate: None,
            });
        }
    }
}
