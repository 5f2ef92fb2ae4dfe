//! Warnings: declarations nothing uses and terms that can never select a
//! row. A warning does not stop the contract from being used.

use crate::data::{Code, CodeColumn};
use crate::syntax::{self as ast, Span};

use super::checker::Checker;
use super::contract::*;
use super::error::{CheckError, CheckKind};

impl Checker<'_> {
    /// Declarations nothing refers to are likely mistakes: a misspelt use
    /// elsewhere, or a term left out.
    pub(super) fn unused_warnings(&mut self, tree: &ast::File) {
        for item in &tree.items {
            if let ast::Item::Condition(d) = item
                && !self.used.contains(&d.name.node)
            {
                self.err(
                    CheckError::new(
                        CheckKind::Unused,
                        d.name.span,
                        format!("the condition `{}` is not used by any term", d.name.node),
                    )
                    .label("unused")
                    .help(format!(
                        "require it in a term (`kräver {}`), or remove it",
                        d.name.node
                    ))
                    .warning(),
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
            self.err(
                CheckError::new(
                    CheckKind::Unused,
                    span,
                    format!("the rate `{name}` is not used by any term"),
                )
                .label("unused")
                .help(format!(
                    "price a term with it (`{name}[…]`), or remove the row"
                ))
                .warning(),
            );
        }
    }
}

/// Two equalities on one code field joined by `och` that cannot both hold:
/// `staff = omsorg och staff = rehab`.
pub(super) fn contradiction(c: &Cond) -> Option<(CodeColumn, Code, Code)> {
    let Cond::And(parts) = c else { return None };
    let mut seen: Vec<(CodeColumn, Code)> = Vec::new();
    for p in parts {
        if let Cond::Compare(Expr::Field(Field::Code(col)), Cmp::Eq, Expr::Code(_, v)) = p {
            if let Some((_, w)) = seen.iter().find(|(c2, w)| c2 == col && w != v) {
                return Some((*col, *w, *v));
            }
            seen.push((*col, *v));
        }
    }
    None
}
