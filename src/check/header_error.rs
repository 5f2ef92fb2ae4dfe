//! The words of a `rubriker` or `kolumn` mapping that cannot hold (kept
//! apart from the checks in `headers`, which the checker imports).

use super::error::CheckKind;
use super::words::Words;

/// A header mapping that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum HeaderError {
    /// `rubriker i FILE: NAME = "…"`: NAME is not a column of FILE's layout.
    UnknownColumn {
        name: String,
        file: String,
        columns: Vec<&'static str>,
        suggestion: Option<String>,
    },
    /// A column mapped twice.
    ColumnMappedTwice { column: String },
    /// Two columns of one file mapped to one header.
    HeaderMappedTwice {
        header: String,
        column: String,
        other: String,
    },
}

impl HeaderError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            HeaderError::UnknownColumn { .. } => CheckKind::UnknownName,
            HeaderError::ColumnMappedTwice { .. } | HeaderError::HeaderMappedTwice { .. } => {
                CheckKind::Duplicate
            }
        }
    }

    pub(super) fn words(&self) -> Words {
        match self {
            HeaderError::UnknownColumn {
                name,
                file,
                columns,
                suggestion,
            } => Words::new(format!("`{name}` is not a column of {file}"))
                .label("unknown column")
                .did_you_mean(
                    name,
                    suggestion,
                    format!(
                        "`rubriker` maps the columns of the data layout: {}; a field the rule \
                         file declares takes `kolumn \"…\"` in its `fält`",
                        columns.join(", ")
                    ),
                ),
            HeaderError::ColumnMappedTwice { column } => {
                Words::new(format!("the header of `{column}` is given twice"))
                    .label("mapped again")
                    .help("map each column to one header")
            }
            HeaderError::HeaderMappedTwice {
                header,
                column,
                other,
            } => Words::new(format!(
                "`{column}` and `{other}` are both mapped to the header \"{header}\""
            ))
            .label("header already taken")
            .help("a header holds one column: map each column to a header of its own"),
        }
    }
}
