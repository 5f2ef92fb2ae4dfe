//! Fields of the data as rules name them: which are at hand in which
//! context, which data columns they make required, and which can key a table
//! or a statement line.

use crate::data::{CodeColumn, ColumnKind, DataFile};
use crate::syntax as ast;

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::types::Ctx;

impl Checker<'_> {
    /// A field used as a table key: a declared code column (or `level`).
    pub(super) fn key_field(&mut self, id: &ast::Ident) -> Option<(Field, usize)> {
        if id.node == "activity" {
            return match self.codes.values(CodeColumn::Activities) {
                Some(vals) => Some((Field::Activity, vals.len())),
                None => {
                    self.err(id.span, Error::ActivitiesNotDeclared);
                    None
                }
            };
        }
        if id.node == "level" {
            // Levels 1–29 of the data layout; the key value is the level.
            return Some((Field::Level, 30));
        }
        if let Some(i) = self.classes.iter().position(|c| c.name == id.node) {
            return Some((Field::Class(i as u8), self.classes[i].values.len()));
        }
        if let Some(b) = &self.bands
            && b.name == id.node
        {
            return Some((Field::Band, b.values.len()));
        }
        if let Some(d) = self.declared_field(&id.node)
            && let ColumnKind::Code(values) = &d.column.kind
        {
            return Some((Field::Declared(d.column.file, d.slot), values.len()));
        }
        if id.node == "activities" {
            self.err(id.span, Error::ActivitiesAsKey);
            return None;
        }
        if let Some(col) = CodeColumn::from_column(&id.node) {
            if let Some(vals) = self.codes.values(col) {
                return Some((Field::Code(col), vals.len()));
            }
            self.err(
                id.span,
                Error::KeyCodesNotDeclared {
                    column: id.node.clone(),
                },
            );
            return None;
        }
        let mut declared: Vec<String> = CodeColumn::ALL
            .iter()
            .filter(|c| self.codes.values(**c).is_some())
            .map(|c| c.column().to_string())
            .collect();
        declared.extend(self.classes.iter().map(|c| c.name.clone()));
        declared.extend(self.bands.iter().map(|b| b.name.clone()));
        declared.push("level".into());
        declared.extend(
            self.fields
                .iter()
                .filter(|f| matches!(f.column.kind, ColumnKind::Code(_)))
                .map(|f| f.column.name.clone()),
        );
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
            Field::Band => self
                .bands
                .as_ref()
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

    pub(super) fn code_index(&self, col: CodeColumn, name: &str) -> Option<usize> {
        self.codes
            .values(col)
            .and_then(|v| v.iter().position(|x| x == name))
    }

    /// A field of the data, if it is at hand in this context.
    pub(super) fn field(&mut self, id: &ast::Ident, ctx: Ctx) -> Option<Field> {
        if let Some(attached) = self.attached_field(id, ctx) {
            return attached;
        }
        if let Some(d) = self.declared_field(&id.node) {
            let f = Field::Declared(d.column.file, d.slot);
            return self.available(id, f, ctx).then_some(f);
        }
        let f = match id.node.as_str() {
            "granted_hours" => Field::GrantedHours,
            "approved_extra_hours" => Field::ApprovedExtraHours,
            "relief_hours" => Field::ReliefHours,
            "level" => Field::Level,
            "alarm" => Field::Alarm,
            "referral" => Field::Referral,
            "hsl_from" => Field::HslFrom,
            "hsl_to" => Field::HslTo,
            "datum" | "date" => Field::Date,
            "visit_id" => Field::VisitId,
            "event_id" => Field::EventId,
            "start" => Field::Start,
            "activity" => Field::Activity,
            other => match CodeColumn::from_column(other) {
                Some(c) => Field::Code(c),
                None => {
                    if let Some(i) = self.classes.iter().position(|c| c.name == other) {
                        Field::Class(i as u8)
                    } else if self.bands.as_ref().is_some_and(|b| b.name == other) {
                        Field::Band
                    } else {
                        self.unknown_name(id, ctx);
                        return None;
                    }
                }
            },
        };
        if !self.available(id, f, ctx) {
            return None;
        }
        if matches!(f, Field::Code(c) if self.codes.values(c).is_none()) {
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
        // A field of a file the rule file declares: where its rows attach.
        if let Field::Declared(DataFile::Own(k), _) = f {
            return self.attaches(id, k, ctx);
        }
        let customer = matches!(
            f,
            Field::GrantedHours
                | Field::ApprovedExtraHours
                | Field::ReliefHours
                | Field::Level
                | Field::Alarm
                | Field::Referral
                | Field::HslFrom
                | Field::HslTo
                | Field::Code(CodeColumn::Zone)
                | Field::Declared(DataFile::Customers, _)
        );
        let visit_only = matches!(
            f,
            Field::Code(CodeColumn::Kind) | Field::EventId | Field::Activity
        );
        // A declared field of visits.csv is read on visit and activity rows,
        // one of events.csv on events; providers.csv's are not read yet.
        let declared = match f {
            Field::Declared(DataFile::Visits, _) => Some(matches!(
                ctx,
                Ctx::Rows(RowSource::Visits | RowSource::Activities)
            )),
            Field::Declared(DataFile::Events, _) => Some(ctx == Ctx::Rows(RowSource::Events)),
            Field::Declared(DataFile::Providers, _) => Some(false),
            _ => None,
        };
        let available = match (ctx, f) {
            _ if declared.is_some() => declared == Some(true),
            (_, Field::Code(CodeColumn::Regime)) => !matches!(ctx, Ctx::Cap | Ctx::Replace(_)),
            // A band is a property of a second: it keys visit lines and
            // prices them (`rad per band` is then required).
            (_, Field::Band) => ctx == Ctx::Rows(RowSource::Visits),
            (Ctx::Rows(RowSource::Visits), _) => !visit_only,
            (Ctx::Rows(RowSource::Activities), f) => {
                !matches!(f, Field::Code(CodeColumn::Kind) | Field::EventId)
            }
            (Ctx::Rows(RowSource::CustomerDays), _) => customer || f == Field::Date,
            (Ctx::Rows(RowSource::Events), _) => {
                matches!(
                    f,
                    Field::Code(CodeColumn::Kind) | Field::Date | Field::EventId
                )
            }
            (Ctx::Customer, _) => customer || f == Field::Date,
            (Ctx::Cap | Ctx::Replace(_), _) => false,
            (Ctx::Provider, _) => false,
        };
        if !available {
            self.err(
                id.span,
                Error::NotAField {
                    name: id.node.clone(),
                    ctx,
                    band: f == Field::Band,
                },
            );
        }
        available
    }

    pub(super) fn require_field(&mut self, f: Field) {
        let (list, col): (&mut Vec<&'static str>, &'static str) = match f {
            Field::GrantedHours => (&mut self.required.customers, "granted_hours"),
            Field::ApprovedExtraHours => (&mut self.required.customers, "approved_extra_hours"),
            Field::ReliefHours => (&mut self.required.customers, "relief_hours"),
            Field::Level => (&mut self.required.customers, "level"),
            Field::Alarm => (&mut self.required.customers, "alarm"),
            Field::Referral => (&mut self.required.customers, "referral"),
            Field::HslFrom => (&mut self.required.customers, "hsl_from"),
            Field::HslTo => (&mut self.required.customers, "hsl_to"),
            Field::Code(CodeColumn::Regime) => (&mut self.required.providers, "regime"),
            _ => return,
        };
        if !list.contains(&col) {
            list.push(col);
        }
    }

    pub(super) fn unknown_name(&mut self, id: &ast::Ident, _ctx: Ctx) {
        let mut names: Vec<String> = vec![
            "betald_tid",
            "tid",
            "antal",
            "dagsandel",
            "datum",
            "granted_hours",
            "approved_extra_hours",
            "relief_hours",
            "level",
            "alarm",
            "referral",
            "hsl_from",
            "hsl_to",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        names.extend(self.rates.keys().cloned());
        names.extend(self.fields.iter().map(|f| f.column.name.clone()));
        names.extend(self.files.iter().map(|f| f.name.clone()));
        names.extend(self.conditions.keys().cloned());
        for c in CodeColumn::ALL {
            names.push(c.column().to_string());
            if let Some(v) = self.codes.values(c) {
                names.extend(v.iter().cloned());
            }
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
