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
        columns: Vec<String>,
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
    /// A column mapped to the header another column of the file is read
    /// under by its own name: both would read one column.
    HeaderIsAnotherColumn { header: String, column: String },
}

impl HeaderError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            HeaderError::UnknownColumn { .. } => CheckKind::UnknownName,
            HeaderError::ColumnMappedTwice { .. }
            | HeaderError::HeaderMappedTwice { .. }
            | HeaderError::HeaderIsAnotherColumn { .. } => CheckKind::Duplicate,
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
                        "the columns of this file: {}; a field the rule file declares may also \
                         take `kolumn \"…\"` in its `fält`",
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
            HeaderError::HeaderIsAnotherColumn { header, column } => Words::new(format!(
                "\"{header}\" is the column `{header}` of this file: `{column}` would be read from it too"
            ))
            .label("another column's header")
            .help(format!(
                "map `{column}` to the header the export gives it, or map `{header}` to another \
                 header first (`rubriker i …: {header} = \"…\"`)"
            )),
        }
    }
}
