//! `fält`: the data columns a rule file declares, each with its file, its
//! type and what an empty cell is, resolved into the contract's
//! [`DeclaredField`]s (and the data-level [`DeclaredColumn`] the reader
//! reads them by).

use crate::data::{Cell, ColumnKind, DataFile, DeclaredColumn, layout_columns};
use crate::syntax as ast;

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::units::Unit;

/// The files a `fält` can be in, as the rule file names them.
const FILES: [(&str, DataFile); 4] = [
    ("besök", DataFile::Visits),
    ("kunder", DataFile::Customers),
    ("händelser", DataFile::Events),
    ("utförare", DataFile::Providers),
];

/// Names rules read rows by that are not columns of a file; with the
/// columns of the data layout (data-format.md), the names a declared field
/// cannot take.
const RULE_NAMES: [&str; 8] = [
    "activity",
    "datum",
    "betald_tid",
    "tid",
    "antal",
    "dagsandel",
    "klass",
    "tidsband",
];

pub(super) fn built_in(name: &str) -> bool {
    RULE_NAMES.contains(&name)
        || FILES
            .iter()
            .any(|(_, file)| layout_columns(*file).any(|c| c == name))
}

impl Checker<'_> {
    /// The data file a `fält` or `rubriker` names.
    pub(super) fn data_file(&mut self, written: &ast::Ident) -> Option<DataFile> {
        let file = FILES
            .iter()
            .find(|(n, _)| *n == written.node)
            .map(|(_, f)| *f);
        // Not one of the four: a file the rule file declares (`fil`), or
        // an error naming the files it could have meant.
        file.or_else(|| self.other_data_file(written))
    }

    pub(super) fn field_decl(&mut self, d: &ast::FieldDecl) {
        let name = &d.name.node;
        let Some(file) = self.data_file(&d.file) else {
            return;
        };
        if self.own_file(name).is_some() {
            let taken_by = "a file the rule file declares (`fil`)";
            let error = super::file_error::FileError::NameTaken {
                name: name.clone(),
                taken_by,
            };
            self.err(d.name.span, Error::File(error));
            return;
        }
        let built_in = built_in(name.as_str())
            || self.classes.iter().any(|c| c.name == *name)
            || self.bands.as_ref().is_some_and(|b| b.name == *name);
        if built_in || self.fields.iter().any(|f| f.column.name == *name) {
            self.err(
                d.name.span,
                Error::DuplicateField {
                    name: name.clone(),
                    built_in,
                },
            );
            return;
        }
        let (kind, unit) = match &d.ty.node {
            ast::FieldType::Flag => (ColumnKind::Flag, Unit::NONE),
            ast::FieldType::Date => (ColumnKind::Date, Unit::NONE),
            ast::FieldType::Code(values) => {
                let mut codes: Vec<String> = Vec::new();
                for v in values {
                    if codes.contains(&v.node) {
                        self.err(
                            v.span,
                            Error::DuplicateCode {
                                value: v.node.clone(),
                            },
                        );
                    } else {
                        codes.push(v.node.clone());
                    }
                }
                (ColumnKind::Code(codes), Unit::NONE)
            }
            ast::FieldType::Number(u) => match Unit::parse(&u.node) {
                Some((unit, factor)) => (ColumnKind::Number { factor }, unit),
                None => {
                    self.err(
                        u.span,
                        Error::UnknownUnit {
                            unit: u.node.clone(),
                        },
                    );
                    return;
                }
            },
        };
        let empty = match &d.empty {
            None => None,
            Some(e) => match self.empty_value(name, e, &kind, unit) {
                Some(cell) => Some(cell),
                None => return,
            },
        };
        if let Some(header) = &d.column {
            self.map_header(file, name, header);
        }
        let slot = self.fields.iter().filter(|f| f.column.file == file).count() as u16;
        self.fields.push(DeclaredField {
            column: DeclaredColumn {
                name: name.clone(),
                file,
                kind,
                empty,
            },
            unit,
            slot,
        });
    }

    /// What `tomt = VALUE` makes an empty cell, checked against the type.
    fn empty_value(
        &mut self,
        field: &str,
        e: &crate::syntax::Spanned<ast::EmptyValue>,
        kind: &ColumnKind,
        unit: Unit,
    ) -> Option<Cell> {
        let wrong = |this: &mut Self, want: String| {
            this.err(
                e.span,
                Error::EmptyWrongType {
                    field: field.to_string(),
                    want,
                },
            );
            None
        };
        let cell = match (&e.node, kind) {
            (ast::EmptyValue::Nothing, _) => Cell::Empty,
            (ast::EmptyValue::Bool(b), ColumnKind::Flag) => Cell::Flag(*b),
            (ast::EmptyValue::Date(s), ColumnKind::Date) => {
                Cell::Date(self.date(&crate::syntax::Spanned::new(s.clone(), e.span))?)
            }
            (ast::EmptyValue::Number(q), ColumnKind::Number { .. }) => {
                let (v, u) = self.quantity(q, e.span)?;
                if u != unit && !(u.is_none() && *v.numer() == 0) {
                    self.err(
                        e.span,
                        Error::WrongUnit {
                            found: u,
                            want: unit,
                            of: super::diagnostics::AmountOf::EmptyCell,
                        },
                    );
                    return None;
                }
                Cell::Number(v)
            }
            (ast::EmptyValue::Name(v), ColumnKind::Code(values)) => {
                match values.iter().position(|x| x == v) {
                    Some(i) => Cell::Code(i as u16),
                    None => {
                        self.err(
                            e.span,
                            Error::UnknownKeyValue {
                                value: v.clone(),
                                field: field.to_string(),
                                values: values.clone(),
                                suggestion: suggest(v, values.iter().map(String::as_str)),
                            },
                        );
                        return None;
                    }
                }
            }
            (_, ColumnKind::Flag) => return wrong(self, "`ja` or `nej`".into()),
            (_, ColumnKind::Date) => return wrong(self, "a date".into()),
            (_, ColumnKind::Number { .. }) => return wrong(self, format!("an amount in {unit}")),
            (_, ColumnKind::Code(_)) => return wrong(self, format!("a declared `{field}` code")),
        };
        Some(cell)
    }

    /// A declared field by name, with its file and slot.
    pub(super) fn declared_field(&self, name: &str) -> Option<&DeclaredField> {
        self.fields.iter().find(|f| f.column.name == name)
    }

    /// A declared field by file and slot.
    pub(super) fn declared_at(&self, file: DataFile, slot: u16) -> Option<&DeclaredField> {
        self.fields
            .iter()
            .find(|f| f.column.file == file && f.slot == slot)
    }
}
