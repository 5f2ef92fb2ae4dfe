//! Warnings that need the whole file or a whole filter: declarations
//! nothing uses, and terms whose filter can never select a row. (A band
//! after `övrig tid` and a fund outside the validity are warned of where
//! they are declared.) A warning does not stop the contract from being used.

use crate::data::Code;
use crate::syntax::{self as ast, Span};

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::CheckKind;

impl Checker<'_> {
    /// Declarations nothing refers to are likely mistakes: a misspelt use
    /// elsewhere, or a term left out.
    pub(super) fn unused_warnings(&mut self, tree: &ast::File) {
        // A condition too deep or too large was left half read: what lies
        // below where it stopped is used but was never reached.
        if self
            .errors
            .iter()
            .any(|e| matches!(e.kind, CheckKind::TooDeep | CheckKind::TooLarge))
        {
            return;
        }
        for item in &tree.items {
            if let ast::Item::Condition(d) = item
                && !self.used.contains(&d.name.node)
            {
                self.err(
                    d.name.span,
                    Error::UnusedCondition {
                        name: d.name.node.clone(),
                    },
                );
            }
        }
        let mut unused: Vec<(Span, String)> = self
            .rates
            .iter()
            .filter(|(name, _)| !self.used.contains(*name))
            .map(|(name, r)| (r.span, name.clone()))
            .collect();
        unused.sort();
        for (span, name) in unused {
            self.err(span, Error::UnusedRate { name });
        }
        self.unused_values();
    }

    /// A filter that joins two values of one code with `och` selects
    /// nothing; `eller` was likely meant.
    pub(super) fn never_selects(&mut self, term: &ast::Ident, filter: &Cond, span: Span) {
        let Some((column, a, b)) = contradiction(filter) else {
            return;
        };
        let values = self.code_values(column);
        let name = |v: Code| values.get(v as usize).cloned().unwrap_or_default();
        let (first, second) = (name(a), name(b));
        let column = self.fname(column);
        self.err(
            span,
            Error::NeverSelects {
                term: term.node.clone(),
                column,
                first,
                second,
            },
        );
    }
}

/// Two equalities on one code field joined by `och` that cannot both hold:
/// `staff = omsorg och staff = rehab`.
fn contradiction(c: &Cond) -> Option<(Field, Code, Code)> {
    let Cond::And(parts) = c else { return None };
    let mut seen: Vec<(Field, Code)> = Vec::new();
    for p in parts {
        if let Cond::Compare(Expr::Field(col @ Field::Declared(..)), Cmp::Eq, Expr::Code(v)) = p {
            if let Some((_, w)) = seen.iter().find(|(c2, w)| c2 == col && w != v) {
                return Some((*col, *w, *v));
            }
            // Once each: a filter may repeat one equality thousands of
            // times, and the search above would grow with every copy.
            if !seen.contains(&(*col, *v)) {
                seen.push((*col, *v));
            }
        }
    }
    None
}
