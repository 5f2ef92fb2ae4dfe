//! `besök ersätts inte`: a contract that prices no visits (granted time
//! only, fixed fees only) says so, and its visits are counted in the
//! reconciliation instead of each being listed as not paid. Said in a file
//! that has a term over visits or activities, it is an error; a file with
//! terms but none over visits that does not say it gets a warning (once it
//! has no errors), since its every visit would be listed as not paid.

use crate::syntax::{self as ast, Span};

use super::checker::Checker;
use super::diagnostics::Error;
use super::month_error::MonthError;

impl Checker<'_> {
    /// Notes `besök ersätts inte`; said again, it is an error.
    pub(super) fn not_priced_decl(&mut self, span: Span) {
        if self.visits_not_priced.is_some() {
            self.err(span, Error::Month(MonthError::NotPricedTwice));
        } else {
            self.visits_not_priced = Some(span);
        }
    }

    /// The declaration against the file's terms, as written (a visit term
    /// with an error of its own still pays visits).
    pub(super) fn visits_priced_or_said(&mut self, tree: &ast::File) {
        let visit_term = tree.items.iter().find_map(|i| match i {
            ast::Item::Pay(t)
                if matches!(
                    t.source.node,
                    ast::SourceKind::Visits | ast::SourceKind::Activities
                ) =>
            {
                Some(t.name.node.clone())
            }
            _ => None,
        });
        let has_terms = tree.items.iter().any(|i| {
            matches!(
                i,
                ast::Item::Pay(_)
                    | ast::Item::Cap(_)
                    | ast::Item::Supplement(_)
                    | ast::Item::Allocation(_)
            )
        });
        match (self.visits_not_priced, visit_term) {
            (Some(span), Some(term)) => {
                self.err(span, Error::Month(MonthError::NotPricedButPaid { term }))
            }
            // A word about the contract as a whole: once its terms check (a
            // file without terms pays nothing yet).
            (None, None) if has_terms && self.error_count() == 0 => {
                self.err(tree.header.span, Error::Month(MonthError::VisitsUnpriced))
            }
            _ => {}
        }
    }
}
