//! Several versions of one contract paid together: ordered by the day each
//! starts, they must not both claim a day, and must read the data alike.

use std::sync::Arc;

use chrono::NaiveDate;
use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use super::Loaded;

/// Why versions of a contract cannot be paid together.
#[derive(Debug, Error, Diagnostic)]
pub enum VersionError {
    /// A version starts on or before the last day of the version before it,
    /// so both would pay the days between. Points at the later version's
    /// validity.
    #[error(
        "{later} ({later_from} – {later_to}) overlaps {earlier} ({earlier_from} – {earlier_to})"
    )]
    #[diagnostic(
        code(taxa::overlapping_versions),
        help("make {later} start after {earlier} ends ({earlier_to}), or pay them separately")
    )]
    Overlapping {
        /// The later version's file and text (shared, to keep the error
        /// small).
        #[source_code]
        src: Arc<NamedSource<String>>,
        /// The later version's `FROM till TO` after `gäller`.
        #[label("starts before the other version ends")]
        validity: SourceSpan,
        /// The files as named (`Contract::file`) and their validities.
        earlier: String,
        earlier_from: NaiveDate,
        earlier_to: NaiveDate,
        later: String,
        later_from: NaiveDate,
        later_to: NaiveDate,
    },
    /// Two consecutive versions declare different `kod` lines (values or
    /// their order). One data set is read for all versions, and code columns
    /// are read as indices into the declared values, so they must agree.
    #[error("{earlier} and {later} declare different codes for the data")]
    #[diagnostic(
        code(taxa::versions_differ_in_codes),
        help(
            "declare the same `kod` lines (values and order) in every version paid together; a code a version does not pay can still be declared"
        )
    )]
    DifferentCodes { earlier: String, later: String },
}

/// Orders `versions` by the day each starts (a stable sort: versions
/// starting the same day keep their order) and checks each against the next:
/// the first overlap or difference in codes found is the error.
pub fn order_versions(versions: &mut [Loaded]) -> Result<(), VersionError> {
    versions.sort_by_key(|v| v.contract.valid_from);
    for pair in versions.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ca, cb) = (&a.contract, &b.contract);
        if cb.valid_from <= ca.valid_to {
            return Err(VersionError::Overlapping {
                src: Arc::new(b.source()),
                validity: cb.validity_span.into(),
                earlier: ca.file.clone(),
                earlier_from: ca.valid_from,
                earlier_to: ca.valid_to,
                later: cb.file.clone(),
                later_from: cb.valid_from,
                later_to: cb.valid_to,
            });
        }
        if ca.codes != cb.codes {
            return Err(VersionError::DifferentCodes {
                earlier: ca.file.clone(),
                later: cb.file.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(file: &str, edit: impl Fn(String) -> String) -> Loaded {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let src = edit(std::fs::read_to_string(path).unwrap());
        let contract = super::super::load(&src, file).unwrap();
        Loaded { contract, src }
    }

    #[test]
    fn versions_are_ordered_by_start() {
        let mut v = vec![
            loaded("rules/norrtalje-2025.taxa", |s| s),
            loaded("rules/norrtalje-2024.taxa", |s| s),
        ];
        order_versions(&mut v).unwrap();
        let files: Vec<&str> = v.iter().map(|l| l.contract.file.as_str()).collect();
        assert_eq!(
            files,
            ["rules/norrtalje-2024.taxa", "rules/norrtalje-2025.taxa"]
        );
    }

    #[test]
    fn an_overlap_points_at_the_later_validity() {
        let mut v = vec![
            loaded("rules/norrtalje-2025.taxa", |s| s),
            loaded("rules/norrtalje-2025.taxa", |s| s),
        ];
        let err = order_versions(&mut v).unwrap_err();
        let VersionError::Overlapping { src, validity, .. } = &err else {
            panic!("{err:?}");
        };
        let text = src.inner();
        let underlined = &text[validity.offset()..validity.offset() + validity.len()];
        assert_eq!(underlined, "2025-01-01 till 2025-12-31");
        assert_eq!(
            err.code().unwrap().to_string(),
            "taxa::overlapping_versions"
        );
    }

    #[test]
    fn different_codes_are_named_by_both_files() {
        let mut v = vec![
            loaded("rules/norrtalje-2025.taxa", |s| s),
            loaded("rules/norrtalje-2024.taxa", |s| {
                s.replace("kod status: utförd, bom", "kod status: bom, utförd")
            }),
        ];
        let err = order_versions(&mut v).unwrap_err();
        assert!(
            matches!(err, VersionError::DifferentCodes { .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "rules/norrtalje-2024.taxa and rules/norrtalje-2025.taxa declare different codes for the data"
        );
        assert_eq!(
            err.code().unwrap().to_string(),
            "taxa::versions_differ_in_codes"
        );
    }
}
