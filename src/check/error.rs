//! Check errors: a location plus a kind (Cedar's model). The words of each
//! kind are in `diagnostics.rs`; a [`CheckError`] renders them once, when
//! the checker reports it.

use miette::Diagnostic;

use crate::syntax::Span;

/// What went wrong, one variant per diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// A name that is not declared (table, condition, term, field, code value).
    UnknownName,
    /// Units that do not fit: `h + kr`, a price that is not kr, …
    UnitMismatch,
    /// A value of the wrong kind (a date where a number belongs, …).
    TypeMismatch,
    /// A date that is not a date, or a validity that is empty or inverted.
    InvalidDate,
    /// A table with missing, extra or duplicate cells.
    Table,
    /// A name declared twice.
    Duplicate,
    /// A construct used where it has no meaning (a measure in a cap, …).
    Misplaced,
    /// A reference that points forward or at itself.
    Order,
    /// A condition that nests deeper than `syntax::MAX_DEPTH` once the
    /// `villkor` it names are written out.
    TooDeep,
    /// More expression and condition nodes than `check::MAX_NODES` once
    /// each `villkor` is written out where it is used.
    TooLarge,
    /// A `villkor` or rate that nothing uses (warning).
    Unused,
    /// A term, band or fund that can never pay anything (warning).
    Unreachable,
    /// A label that states a number by hand instead of citing a `värde`
    /// (warning).
    NumberByHand,
    /// `kontroller` leaves out a check the engine cannot do without.
    RequiredCheck,
}

impl CheckKind {
    pub fn code(self) -> &'static str {
        match self {
            CheckKind::UnknownName => "taxa::unknown_name",
            CheckKind::UnitMismatch => "taxa::unit_mismatch",
            CheckKind::TypeMismatch => "taxa::type_mismatch",
            CheckKind::InvalidDate => "taxa::invalid_date",
            CheckKind::Table => "taxa::table",
            CheckKind::Duplicate => "taxa::duplicate_name",
            CheckKind::Misplaced => "taxa::misplaced",
            CheckKind::Order => "taxa::order",
            CheckKind::TooDeep => "taxa::too_deep",
            CheckKind::TooLarge => "taxa::too_large",
            CheckKind::Unused => "taxa::unused",
            CheckKind::Unreachable => "taxa::unreachable",
            CheckKind::NumberByHand => "taxa::number_by_hand",
            CheckKind::RequiredCheck => "taxa::required_check",
        }
    }

    /// Something unused or unreachable is likely a mistake, but the contract
    /// still pays what it says.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            CheckKind::Unused | CheckKind::Unreachable | CheckKind::NumberByHand
        )
    }
}

/// One problem in a rule file, with its words rendered once from an
/// [`Error`](super::diagnostics::Error) (`CheckError::new`, beside the
/// words in `diagnostics.rs`, so this type needs nothing of them).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{message}")]
pub struct CheckError {
    pub kind: CheckKind,
    /// A warning does not stop the contract from being used.
    pub warning: bool,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
}

impl Diagnostic for CheckError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let label = if self.label.is_empty() {
            None
        } else {
            Some(self.label.clone())
        };
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(label, self.span),
        )))
    }
}

/// The near miss of `name` among `candidates`, for "did you mean".
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    crate::suggest::closest(name, candidates, crate::suggest::Tolerance::Name).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::diagnostics::Error;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["omsorg_timpris", "hsl_timpris", "listningsavgift"];
        assert_eq!(
            suggest("omsorg_timpri", names).as_deref(),
            Some("omsorg_timpris")
        );
        assert_eq!(suggest("xyz", names), None);
    }

    #[test]
    fn warnings_are_the_unused_and_the_unreachable() {
        let e = CheckError::new(
            Span::new(0, 1),
            Error::UnusedRate {
                name: "pris".into(),
            },
        );
        assert!(e.warning);
        assert_eq!(e.kind.code(), "taxa::unused");
        let e = CheckError::new(Span::new(0, 1), Error::TooManyTerms);
        assert!(!e.warning);
        assert_eq!(e.label, "");
    }

    #[test]
    fn a_near_miss_replaces_the_list_of_what_is_declared() {
        let unknown = |suggestion: Option<&str>| {
            CheckError::new(
                Span::new(0, 1),
                Error::UnknownTerm {
                    name: "T9".into(),
                    suggestion: suggestion.map(str::to_string),
                },
            )
            .help
        };
        assert_eq!(unknown(Some("T1")).as_deref(), Some("did you mean `T1`?"));
        assert_eq!(
            unknown(None).as_deref(),
            Some("a term can refer only to terms listed above it")
        );
    }
}
