//! Fields of the data as rules name them: the declared fields (standard
//! and the rule file's own) and the engine's few names (`datum`, ids,
//! `activity`, classes and bands); which are at hand in which context,
//! which a run must read, and which can key a table or a statement line.

use crate::data::{ColumnKind, DataFile};
use crate::syntax as ast;

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::types::Ctx;

impl Checker<'_> {
    /// A field used as a table key: a declared code field, a whole-number
    /// field (`level`), `activity`, a class or the band.
    pub(super) fn key_field(&mut self, id: &ast::Ident) -> Option<(Field, usize)> {
        if id.node == "activity" {
            return match self.activities {
                Some(slot) if self.codes_given(DataFile::Visits, slot) => {
                    self.used_fields.insert((DataFile::Visits, slot));
                    Some((Field::Activity, self.code_values(Field::Activity).len()))
                }
                _ => {
                    self.err(id.span, Error::ActivitiesNotDeclared);
                    None
                }
            };
        }
        if let Some(i) = self.classes.iter().position(|c| c.name == id.node) {
            return Some((Field::Class(i as u8), self.classes[i].values.len()));
        }
        if let Some(i) = self.bands.iter().position(|b| b.name == id.node) {
            return Some((Field::Band(i as u8), self.bands[i].values.len()));
        }
        if let Some(d) = self.declared_field(&id.node) {
            let f = Field::Declared(d.column.file, d.slot);
            let size = match &d.column.kind {
                ColumnKind::Code(values) if d.codes_given => Some(values.len()),
                ColumnKind::Code(_) => {
                    self.err(
                        id.span,
                        Error::KeyCodesNotDeclared {
                            column: id.node.clone(),
                        },
                    );
                    return None;
                }
                ColumnKind::Codes(_) => {
                    self.err(id.span, Error::ActivitiesAsKey);
                    return None;
                }
                // A line key holds the number itself.
                ColumnKind::Integer { max, .. } => Some(*max as usize + 1),
                _ => None,
            };
            if let Some(size) = size {
                self.used_fields.insert((d.column.file, d.slot));
                return Some((f, size));
            }
        }
        let mut declared: Vec<String> = self
            .fields
            .iter()
            .filter(|f| match f.column.kind {
                ColumnKind::Code(_) => f.codes_given,
                ColumnKind::Integer { .. } => true,
                _ => false,
            })
            .map(|f| f.column.name.clone())
            .collect();
        declared.extend(self.classes.iter().map(|c| c.name.clone()));
        declared.extend(self.bands.iter().map(|b| b.name.clone()));
        let suggestion = suggest(&id.node, declared.iter().map(String::as_str));
        self.err(
            id.span,
            Error::UnknownKey {
                name: id.node.clone(),
                declared,
                suggestion,
            },
        );
        None
    }

    /// A field's name as the rule file writes it (a class or band by its
    /// declared name).
    pub(super) fn fname(&self, f: Field) -> String {
        match f {
            Field::Class(i) => self
                .classes
                .get(i as usize)
                .map_or("klass".into(), |c| c.name.clone()),
            Field::Band(i) => self
                .bands
                .get(i as usize)
                .map_or("tidsband".into(), |b| b.name.clone()),
            Field::Declared(file, slot) => self
                .declared_at(file, slot)
                .map_or("fält".into(), |d| d.column.name.clone()),
            Field::Attached(k) => self
                .files
                .get(k as usize)
                .map_or("fil".into(), |f| f.name.clone()),
            _ => f.name().to_string(),
        }
    }

    /// The code values of a code field, `activity`, a class or the band.
    pub(super) fn code_values(&self, f: Field) -> Vec<String> {
        match f {
            Field::Activity => self
                .activities
                .map(|slot| self.code_values(Field::Declared(DataFile::Visits, slot)))
                .unwrap_or_default(),
            Field::Declared(file, slot) => self
                .declared_at(file, slot)
                .map(|d| d.column.kind.codes().to_vec())
                .unwrap_or_default(),
            Field::Class(i) => self
                .classes
                .get(i as usize)
                .map(|c| c.values.clone())
                .unwrap_or_default(),
            Field::Band(i) => self
                .bands
                .get(i as usize)
                .map(|b| b.values.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn codes_given(&self, file: DataFile, slot: u16) -> bool {
        self.declared_at(file, slot).is_some_and(|d| d.codes_given)
    }

    /// A field of the data, if it is at hand in this context.
    pub(super) fn field(&mut self, id: &ast::Ident, ctx: Ctx) -> Option<Field> {
        if let Some(attached) = self.attached_field(id, ctx) {
            return attached;
        }
        let f = if let Some(d) = self.declared_field(&id.node) {
            Field::Declared(d.column.file, d.slot)
        } else {
            match id.node.as_str() {
                "datum" | "date" => Field::Date,
                "visit_id" => Field::VisitId,
                "event_id" => Field::EventId,
                "start" => Field::Start,
                "activity" => match self.activities {
                    Some(_) => Field::Activity,
                    None => {
                        self.err(id.span, Error::ActivitiesNotDeclared);
                        return None;
                    }
                },
                other => {
                    if let Some(i) = self.classes.iter().position(|c| c.name == other) {
                        Field::Class(i as u8)
                    } else if let Some(i) = self.bands.iter().position(|b| b.name == other) {
                        Field::Band(i as u8)
                    } else {
                        self.unknown_name(id, ctx);
                        return None;
                    }
                }
            }
        };
        if !self.available(id, f, ctx) {
            return None;
        }
        let codes_missing = match f {
            Field::Declared(file, slot) => self.declared_at(file, slot).is_some_and(|d| {
                matches!(d.column.kind, ColumnKind::Code(_) | ColumnKind::Codes(_))
                    && !d.codes_given
            }),
            Field::Activity => !self
                .activities
                .is_some_and(|s| self.codes_given(DataFile::Visits, s)),
            _ => false,
        };
        if codes_missing {
            self.err(
                id.span,
                Error::CodesNotDeclared {
                    column: id.node.clone(),
                },
            );
            return None;
        }
        self.require_field(f);
        Some(f)
    }

    /// Whether a field is at hand in this context; says so when not.
    fn available(&mut self, id: &ast::Ident, f: Field, ctx: Ctx) -> bool {
        use RowSource::*;
        let available = match (f, ctx) {
            // providers.csv's fields are the provider's, known wherever a
            // provider is: every row, a line's key, a supplement's filter.
            (Field::Declared(DataFile::Providers, _), _) => {
                !matches!(ctx, Ctx::Cap | Ctx::Replace(_))
            }
            (Field::Declared(DataFile::Customers, _), _) => matches!(
                ctx,
                Ctx::Rows(Visits | Activities | CustomerDays) | Ctx::Customer
            ),
            (Field::Declared(DataFile::Visits, _), _) => {
                matches!(ctx, Ctx::Rows(Visits | Activities))
            }
            (Field::Declared(DataFile::Events, _), _) => ctx == Ctx::Rows(Events),
            // A band is of a visit's time: of a second where a term splits
            // the visit's time by it (`rad per band`), else of its start.
            (Field::Band(_), _) => matches!(ctx, Ctx::Rows(Visits | Activities)),
            (Field::Activity, _) => ctx == Ctx::Rows(Activities),
            (Field::EventId, _) => ctx == Ctx::Rows(Events),
            (Field::VisitId | Field::Start | Field::Class(_), _) => {
                matches!(ctx, Ctx::Rows(Visits | Activities))
            }
            (Field::Date, _) => matches!(ctx, Ctx::Rows(_) | Ctx::Customer),
            // A file the rule file declares, or a field of it: where its
            // rows attach.
            (Field::Attached(k) | Field::Declared(DataFile::Own(k), _), _) => {
                return self.attaches(id, k, ctx);
            }
        };
        if !available {
            self.err(
                id.span,
                Error::NotAField {
                    name: id.node.clone(),
                    ctx,
                    band: matches!(f, Field::Band(_)),
                },
            );
        }
        available
    }

    /// Marks a declared field as read by the run (and `activity`'s set).
    pub(super) fn require_field(&mut self, f: Field) {
        match f {
            Field::Declared(file, slot) => {
                self.used_fields.insert((file, slot));
            }
            Field::Activity => {
                if let Some(slot) = self.activities {
                    self.used_fields.insert((DataFile::Visits, slot));
                }
            }
            _ => {}
        }
    }

    pub(super) fn unknown_name(&mut self, id: &ast::Ident, _ctx: Ctx) {
        let mut names: Vec<String> = ["betald_tid", "tid", "antal", "dagsandel", "datum"]
            .into_iter()
            .map(String::from)
            .collect();
        names.extend(self.rates.keys().cloned());
        names.extend(self.files.iter().map(|f| f.name.clone()));
        names.extend(self.conditions.keys().cloned());
        for f in &self.fields {
            names.push(f.column.name.clone());
            names.extend(f.column.kind.codes().iter().cloned());
        }
        self.err(
            id.span,
            Error::UnknownName {
                name: id.node.clone(),
                suggestion: suggest(&id.node, names.iter().map(String::as_str)),
            },
        );
    }
}
