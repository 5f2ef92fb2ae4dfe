//! `rubriker` and `fält … kolumn`: the headers a real export writes columns
//! under, resolved into the contract's [`HeaderMapping`]s for the readers.

use crate::data::{DataFile, HeaderMapping};
use crate::syntax as ast;

use super::checker::Checker;
use super::diagnostics::Error;
use super::error::suggest;
use super::header_error::HeaderError;

impl Checker<'_> {
    /// `rubriker i FILE: column = "Header", …`: the headers a real export
    /// writes the layout's columns under.
    pub(super) fn headers_decl(&mut self, d: &ast::HeadersDecl) {
        let Some(file) = self.data_file(&d.file) else {
            return;
        };
        let columns: Vec<&'static str> = self.file_columns(file);
        for (column, header) in &d.map {
            if !columns.contains(&column.node.as_str()) {
                let suggestion = suggest(&column.node, columns.iter().copied());
                self.err(
                    column.span,
                    Error::Header(HeaderError::UnknownColumn {
                        name: column.node.clone(),
                        file: self.file_label(file),
                        columns: columns.clone(),
                        suggestion,
                    }),
                );
                continue;
            }
            if self
                .headers
                .iter()
                .any(|h| h.file == file && h.column == column.node)
            {
                self.err(
                    column.span,
                    Error::Header(HeaderError::ColumnMappedTwice {
                        column: column.node.clone(),
                    }),
                );
                continue;
            }
            self.map_header(file, &column.node, header);
        }
    }

    /// Reads `column` of `file` from `header`, unless another column is
    /// read from it.
    pub(super) fn map_header(
        &mut self,
        file: DataFile,
        column: &str,
        header: &crate::syntax::Spanned<String>,
    ) {
        if let Some(other) = self
            .headers
            .iter()
            .find(|h| h.file == file && h.header == header.node)
        {
            let other = other.column.clone();
            self.err(
                header.span,
                Error::Header(HeaderError::HeaderMappedTwice {
                    header: header.node.clone(),
                    column: column.to_string(),
                    other,
                }),
            );
            return;
        }
        self.headers.push(HeaderMapping {
            file,
            column: column.to_string(),
            header: header.node.clone(),
        });
    }
}
