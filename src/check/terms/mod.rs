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

use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::error::{CheckError, CheckKind};

impl Checker<'_> {
    pub(in crate::check) fn declare_term(
        &mut self,
        name: &ast::Ident,
        rows: Option<RowSource>,
    ) -> bool {
        if self.terms.iter().any(|(n, _)| *n == name.node) {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    name.span,
                    format!("the term `{}` is declared twice", name.node),
                )
                .help("give each term its own name, e.g. the tender's paragraph number"),
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
        if self.all_terms.contains(&id.node) {
            self.err(
                CheckError::new(
                    CheckKind::Order,
                    id.span,
                    format!("`{}` is declared below this term", id.node),
                )
                .label("refers forward")
                .help("a term can refer only to terms above it (this also rules out circular references); move this term below it"),
            );
            return None;
        }
        let names: Vec<String> = self.terms.iter().map(|(n, _)| n.clone()).collect();
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            id.span,
            format!("no term `{}` is declared", id.node),
        )
        .label("unknown term");
        e = e.suggest_or(
            &id.node,
            names.iter().map(String::as_str),
            "a term can refer only to terms listed above it",
        );
        self.err(e);
        None
    }
}
