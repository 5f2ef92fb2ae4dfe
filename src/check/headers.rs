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
        // The file's own columns and its declared fields.
        let mut columns: Vec<String> = self
            .file_columns(file)
            .into_iter()
            .map(String::from)
            .collect();
        columns.extend(
            self.fields
                .iter()
                .filter(|f| f.column.file == file)
                .map(|f| f.column.name.clone()),
        );
        for (column, header) in &d.map {
            if !columns.contains(&column.node) {
                let suggestion = suggest(&column.node, columns.iter().map(String::as_str));
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
        self.header_spans.push(header.span);
    }

    /// After every mapping: a header that is the name of another column of
    /// the same file, read under that name (not mapped elsewhere), would
    /// make two columns read one. The engine's own columns count always; a
    /// declared field when the run reads it.
    pub(super) fn header_collisions(&mut self, schema: &crate::data::Schema) {
        let mut found = Vec::new();
        for (h, span) in self.headers.iter().zip(&self.header_spans) {
            if h.header == h.column {
                continue;
            }
            let remapped = self
                .headers
                .iter()
                .any(|o| o.file == h.file && o.column == h.header);
            let engine = self.file_columns(h.file).contains(&h.header.as_str());
            let declared = schema
                .columns_of(h.file)
                .any(|c| c.name == h.header && c.reading != crate::data::Reading::Unread);
            if !remapped && (engine || declared) {
                found.push((
                    *span,
                    HeaderError::HeaderIsAnotherColumn {
                        header: h.header.clone(),
                        column: h.column.clone(),
                    },
                ));
            }
        }
        for (span, e) in found {
            self.err(span, Error::Header(e));
        }
    }
}
