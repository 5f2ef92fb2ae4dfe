//! The words of a declared field's type or of `betald_tid = tid × FIELD`
//! that cannot hold, kept apart from `diagnostics.rs` as `header_error.rs`
//! is.

use super::error::CheckKind;
use super::words::Words;

/// A `fält` type or a `betald_tid` line that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FieldError {
    /// `heltal MIN till MAX` with MIN above MAX, or MAX past what a line
    /// key can hold.
    BadIntegerRange { min: u32, max: u32 },
    /// `betald_tid = tid × FIELD` where FIELD is not a whole-number field
    /// of visits.csv.
    StaffNotACount {
        name: String,
        suggestion: Option<String>,
    },
}

impl FieldError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            FieldError::BadIntegerRange { .. } => CheckKind::Misplaced,
            FieldError::StaffNotACount { .. } => CheckKind::TypeMismatch,
        }
    }

    pub(super) fn words(&self) -> Words {
        match self {
            FieldError::BadIntegerRange { min, max } => Words::new(format!(
                "`heltal {min} till {max}` is not a range taxa can read"
            ))
            .label("no such range")
            .help("write the smallest value first, and at most 65534"),
            FieldError::StaffNotACount { name, suggestion } => {
                Words::new(format!("`{name}` is not a whole-number field of besök"))
                    .label("not a staff count")
                    .did_you_mean(
                        name,
                        suggestion,
                        "`betald_tid = tid × FIELD` multiplies a visit's time by a field declared \
                         `fält FIELD i besök: heltal 1 till N`",
                    )
            }
        }
    }
}
