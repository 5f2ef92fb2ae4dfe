//! The term gate: whether a term takes a row, in the one order every row
//! kind follows — selection (`för … där`, `i TERM`), the engine's checks a
//! term asks for, requirements (`kräver … annars`), the time window, the
//! count limits. Visits, activities, customer-days and events all pass
//! through [`gate`]; only the steps a row kind has are filled in.

use std::sync::Arc;

use crate::check::{EngineCheck, PayTerm};

use super::statement::{Reason, SourceRef};
use super::value::{RowCtx, holds};

/// Which step refused a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Engine,
    Requirement,
    Window,
    Limit,
}

/// Why a term refused a row: the rule's words (borrowed from the contract,
/// so a refusal costs no allocation) or an engine reason, and the rule.
#[derive(Debug, Clone, Copy)]
pub struct Refusal<'t> {
    pub step: Step,
    pub words: Words<'t>,
    pub source: &'t SourceRef,
}

#[derive(Debug, Clone, Copy)]
pub enum Words<'t> {
    Rule(&'t str),
    Engine(EngineReason<'t>),
}

/// The engine reasons a term's own step can give (a subset of [`Reason`]
/// that is `Copy`).
#[derive(Debug, Clone, Copy)]
pub enum EngineReason<'t> {
    /// A customer check (`kontrollera kund`), in the words the visits'
    /// declaration gives it, if any.
    Check(EngineCheck, Option<&'t Arc<str>>),
    UnknownProvider,
}

impl Refusal<'_> {
    pub fn rule<'t>(step: Step, words: &'t str, source: &'t SourceRef) -> Refusal<'t> {
        Refusal {
            step,
            words: Words::Rule(words),
            source,
        }
    }

    /// The reason and rule, owned, for a not-paid entry.
    pub fn owned(&self) -> (Reason, SourceRef) {
        let reason = match self.words {
            Words::Rule(w) => Reason::Rule(w.to_string()),
            Words::Engine(e) => e.reason(),
        };
        (reason, self.source.clone())
    }
}

impl EngineReason<'_> {
    pub fn reason(self) -> Reason {
        match self {
            EngineReason::Check(check, words) => Reason::Check {
                check,
                words: words.cloned(),
            },
            EngineReason::UnknownProvider => Reason::UnknownProvider,
        }
    }
}

/// What the gate says.
#[derive(Debug, Clone, Copy)]
pub enum Verdict<'t> {
    /// The term does not look at this row at all.
    NotSelected,
    Refused(Refusal<'t>),
    Admitted,
}

/// Whether the term selects the row (`för … där`, `i TERM`).
pub fn selected(term: &PayTerm, row: &dyn RowCtx) -> bool {
    term.within.is_none_or(|w| row.paid_by(w)) && term.filter.as_ref().is_none_or(|f| holds(f, row))
}

/// The row through the term's steps, in order; each step closure is asked
/// only when the earlier ones let the row through.
pub fn gate<'t>(
    term: &'t PayTerm,
    row: &dyn RowCtx,
    engine: impl FnOnce() -> Option<Refusal<'t>>,
    window: impl FnOnce() -> Option<Refusal<'t>>,
    limit: impl FnOnce() -> Option<Refusal<'t>>,
) -> Verdict<'t> {
    if !selected(term, row) {
        return Verdict::NotSelected;
    }
    if let Some(r) = engine() {
        return Verdict::Refused(r);
    }
    if let Some(r) = term.requires.iter().find(|r| !holds(&r.cond, row)) {
        return Verdict::Refused(Refusal::rule(Step::Requirement, &r.reason, &r.source));
    }
    if let Some(r) = window() {
        return Verdict::Refused(r);
    }
    if let Some(r) = limit() {
        return Verdict::Refused(r);
    }
    Verdict::Admitted
}

/// No such step for this row kind.
pub fn none<'t>() -> Option<Refusal<'t>> {
    None
}
