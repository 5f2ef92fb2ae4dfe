//! `fält`: the data columns a rule file declares (and the standard ones of
//! `rules/prelude/standard.taxa`), each with its file, its type and what an
//! empty cell is, resolved into the contract's
//! [`DeclaredField`]s (and the data-level [`DeclaredColumn`] the reader
//! reads them by).

use crate::data::{Cell, ColumnKind, DataFile, DeclaredColumn, Reading, layout_columns};
use crate::syntax as ast;

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::field_error::FieldError;
use super::units::Unit;

/// The files a `fält` can be in, as the rule file names them.
const FILES: [(&str, DataFile); 4] = [
    ("besök", DataFile::Visits),
    ("kunder", DataFile::Customers),
    ("händelser", DataFile::Events),
    ("utförare", DataFile::Providers),
];

/// Names rules read rows by that are not columns of a file; with the
/// engine's own columns (data-format.md: ids, provider, customer, times,
/// dates), the names a declared field cannot take.
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

    /// `fält NAME i FILE[, kolumn "HEADER"]: TYPE[, tomt = VALUE]`. A
    /// field of the rule file named like a standard field of the same file
    /// replaces it (keeping its slot), so a municipality can restate how its
    /// export writes `zone` or `level`.
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
        let replaces = self
            .fields
            .iter()
            .position(|f| f.column.name == *name && f.standard && !self.standard);
        if let Some(at) = replaces
            && self.fields[at].column.file != file
        {
            self.err(
                d.name.span,
                Error::DuplicateField {
                    name: name.clone(),
                    built_in: true,
                },
            );
            return;
        }
        let built_in = built_in(name.as_str());
        if built_in || (replaces.is_none() && self.declared_field(name).is_some()) {
            self.err(
                d.name.span,
                Error::DuplicateField {
                    name: name.clone(),
                    built_in,
                },
            );
            return;
        }
        let (kind, unit, codes_given) = match &d.ty.node {
            ast::FieldType::Flag => (ColumnKind::Flag, Unit::NONE, true),
            ast::FieldType::Date => (ColumnKind::Date, Unit::NONE, true),
            ast::FieldType::Code(values) => (
                ColumnKind::Code(self.distinct_codes(values)),
                Unit::NONE,
                !values.is_empty(),
            ),
            ast::FieldType::Codes(values) => {
                let set = self.distinct_codes(values);
                if set.len() > 128 {
                    self.err(d.ty.span, Error::TooManyActivityCodes);
                    return;
                }
                (ColumnKind::Codes(set), Unit::NONE, !values.is_empty())
            }
            ast::FieldType::Integer { min, max } => {
                if min > max || *max > u16::MAX as u32 - 1 {
                    self.err(
                        d.ty.span,
                        Error::Field(FieldError::BadIntegerRange {
                            min: *min,
                            max: *max,
                        }),
                    );
                    return;
                }
                (
                    ColumnKind::Integer {
                        min: *min,
                        max: *max,
                    },
                    Unit::NONE,
                    true,
                )
            }
            ast::FieldType::Number(u) => match Unit::parse(&u.node) {
                Some((unit, factor)) => (
                    ColumnKind::Number {
                        factor,
                        unit: u.node.clone(),
                    },
                    unit,
                    true,
                ),
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
        let mut pending = None;
        let empty = match &d.empty {
            None => None,
            // A code's `tomt` waits for its `kod` line when the values are
            // given there.
            Some(e) if !codes_given && matches!(kind, ColumnKind::Code(_)) => {
                pending = Some(e.clone());
                None
            }
            Some(e) => match self.empty_value(name, e, &kind, unit) {
                Some(cell) => Some(cell),
                None => return,
            },
        };
        if let Some(header) = &d.column {
            self.map_header(file, name, header);
        }
        let slot = match replaces {
            Some(at) => self.fields[at].slot,
            None => self.fields.iter().filter(|f| f.column.file == file).count() as u16,
        };
        let field = DeclaredField {
            column: DeclaredColumn {
                name: name.clone(),
                file,
                kind,
                empty,
                undeclared_empty: None,
                reading: Reading::Unread,
            },
            unit,
            slot,
            standard: self.standard,
            codes_given,
            optional: d.optional,
        };
        let at = match replaces {
            Some(at) => {
                self.fields[at] = field;
                at
            }
            None => {
                self.fields.push(field);
                self.fields.len() - 1
            }
        };
        self.pending_empty.retain(|(i, _)| *i != at);
        if let Some(e) = pending {
            self.pending_empty.push((at, e));
        }
        if !codes_given && !self.standard {
            self.codes_later.push((at, d.name.span));
        }
    }

    /// A code field's `tomt = CODE`, once its `kod` line has given the
    /// values. A standard field's default that the rule file does not
    /// declare (`status`'s `utförd`) is no error here: an empty cell is one,
    /// saying so.
    pub(super) fn resolve_empty_code(&mut self, at: usize) {
        let Some(i) = self.pending_empty.iter().position(|(f, _)| *f == at) else {
            return;
        };
        let (_, e) = self.pending_empty.remove(i);
        let field = &self.fields[at];
        let name = field.column.name.clone();
        let kind = field.column.kind.clone();
        if field.standard
            && let ast::EmptyValue::Name(code) = &e.node
            && !kind.codes().contains(code)
        {
            self.fields[at].column.undeclared_empty = Some(code.clone());
            return;
        }
        if let Some(cell) = self.empty_value(&name, &e, &kind, Unit::NONE) {
            self.fields[at].column.empty = Some(cell);
        }
    }

    /// After the `kod` lines: a field of the rule file declared `kod`
    /// without values that no `kod` line gave them.
    pub(super) fn codes_given_later(&mut self) {
        for (at, span) in std::mem::take(&mut self.codes_later) {
            if !self.fields[at].codes_given {
                let column = self.fields[at].column.name.clone();
                self.err(span, Error::CodesNotDeclared { column });
            }
        }
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
                match crate::data::Number::new(v) {
                    Some(n) => Cell::Number(n),
                    None => return wrong(self, "a number taxa can hold".into()),
                }
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
            (ast::EmptyValue::Number(q), ColumnKind::Integer { min, max }) => {
                let (v, u) = self.quantity(q, e.span)?;
                let whole =
                    v.is_integer() && (*min as i128..=*max as i128).contains(&v.to_integer());
                if !u.is_none() || !whole {
                    return wrong(self, format!("a whole number from {min} to {max}"));
                }
                match crate::data::Number::new(v) {
                    Some(n) => Cell::Number(n),
                    None => return wrong(self, "a number taxa can hold".into()),
                }
            }
            (_, ColumnKind::Integer { min, max }) => {
                return wrong(self, format!("a whole number from {min} to {max}"));
            }
            (_, ColumnKind::Codes(_)) => {
                return wrong(self, "nothing: an empty cell is no codes".into());
            }
            (_, ColumnKind::Code(_)) => return wrong(self, format!("a declared `{field}` code")),
        };
        Some(cell)
    }

    /// `betald_tid = tid × FIELD`: the whole-number field of visits.csv
    /// that counts a visit's staff. The rule file's replaces the standard
    /// one.
    pub(super) fn staff_decl(&mut self, d: &ast::StaffDecl) {
        let name = &d.field.node;
        let Some(field) = self.declared_field(name) else {
            let names: Vec<&str> = self
                .fields
                .iter()
                .filter(|f| f.column.file == DataFile::Visits)
                .map(|f| f.column.name.as_str())
                .collect();
            let suggestion = suggest(name, names);
            self.err(
                d.field.span,
                Error::Field(FieldError::StaffNotACount {
                    name: name.clone(),
                    suggestion,
                }),
            );
            return;
        };
        if field.column.file != DataFile::Visits
            || !matches!(field.column.kind, ColumnKind::Integer { .. })
        {
            self.err(
                d.field.span,
                Error::Field(FieldError::StaffNotACount {
                    name: name.clone(),
                    suggestion: None,
                }),
            );
            return;
        }
        self.staff = Some(field.slot);
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
