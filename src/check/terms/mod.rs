//! Terms, one module per kind of term: `moment` (paying terms, [`pay`]),
//! `tak` ([`cap`]), `tillägg` ([`supplement`]) and `fördelning`
//! ([`allocation`]), with the clauses of a paying term that need more than a
//! few lines: `gräns` ([`limit`]) and `ersätter` ([`replaces`]). This file
//! holds what all terms share: their names and references between them.

mod allocation;
mod cap;
mod limit;
mod pay;
mod replaces;
mod supplement;

use crate::syntax::{self as ast, Span};

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::Error;
use crate::check::error::suggest;

impl Checker<'_> {
    /// Declares a term once its clauses are checked, and says whether it
    /// goes into the contract: not when it has errors since
    /// `errors_before`, but its name stays declared either way, so terms
    /// below that refer to it are not also told it is unknown.
    pub(in crate::check) fn declare_checked(
        &mut self,
        name: &ast::Ident,
        rows: Option<RowSource>,
        errors_before: usize,
    ) -> bool {
        let declared = self.declare_term(name, rows);
        declared && self.error_count() <= errors_before
    }

    /// A checked term as the contract holds it, citing the term's keyword.
    /// Its label is held with each `{NAME}` replaced (`cite.rs`).
    pub(in crate::check) fn term(
        &mut self,
        name: &ast::Ident,
        label: &ast::Spanned<String>,
        span: Span,
        kind: TermKind,
    ) -> Term {
        Term {
            name: name.node.clone(),
            label: self.label(label),
            source: self.sref(span),
            kind,
        }
    }

    fn declare_term(&mut self, name: &ast::Ident, rows: Option<RowSource>) -> bool {
        if self.terms.iter().any(|(n, _)| *n == name.node) {
            self.err(
                name.span,
                Error::DuplicateTerm {
                    name: name.node.clone(),
                },
            );
            return false;
        }
        self.terms.push((name.node.clone(), rows));
        true
    }

    /// An earlier term by name.
    pub(in crate::check) fn term_ref(
        &mut self,
        id: &ast::Ident,
    ) -> Option<(usize, Option<RowSource>)> {
        if let Some(i) = self.terms.iter().position(|(n, _)| *n == id.node) {
            return Some((i, self.terms[i].1));
        }
        if self.current_term.as_ref() == Some(&id.node) {
            let name = id.node.clone();
            self.err(id.span, Error::SelfReference { name, term: true });
            return None;
        }
        if self.all_terms.contains(&id.node) {
            self.err(
                id.span,
                Error::ForwardReference {
                    name: id.node.clone(),
                },
            );
            return None;
        }
        let names: Vec<String> = self.terms.iter().map(|(n, _)| n.clone()).collect();
        let suggestion = suggest(&id.node, names.iter().map(String::as_str));
        self.err(
            id.span,
            Error::UnknownTerm {
                name: id.node.clone(),
                suggestion,
            },
        );
        None
    }
}
