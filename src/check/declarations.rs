//! Declarations other terms build on: the header and its validity, `kod`
//! (the values of a data code column), `klass` (a code derived from each
//! visit), and the dates and clock times they are written with (`kalender`
//! and `tidsband` are in `bands.rs`).

use chrono::NaiveDate;

use crate::data::{Code, ColumnKind};
use crate::syntax::{self as ast, Span, Spanned};

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::types::Ctx;

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Checker<'_> {
    pub(super) fn date(&mut self, d: &Spanned<String>) -> Option<NaiveDate> {
        let parsed = parse_date(&d.node);
        if parsed.is_none() {
            self.err(
                d.span,
                Error::NotADate {
                    text: d.node.clone(),
                },
            );
        }
        parsed
    }

    pub(super) fn header(&mut self, h: &ast::Header) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let from = self.date(&h.valid_from);
        let to = self.date(&h.valid_to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            self.err(
                Span::new(h.valid_from.span.start, h.valid_to.span.end),
                Error::InvertedValidity { from: f, to: t },
            );
        }
        (from, to)
    }

    /// Code values as written, each once; a repeated one is an error.
    pub(super) fn distinct_codes(&mut self, written: &[ast::Ident]) -> Vec<String> {
        let mut codes: Vec<String> = Vec::new();
        for v in written {
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
        codes
    }

    /// `kod NAME: v1, v2, …`: the values of a declared `kod` or `koder`
    /// field (a standard one such as `zone`, or the rule file's own).
    pub(super) fn code_decl(&mut self, d: &ast::CodeDecl) {
        let name = &d.column.node;
        let Some(at) = self.fields.iter().position(|f| {
            f.column.name == *name
                && matches!(f.column.kind, ColumnKind::Code(_) | ColumnKind::Codes(_))
        }) else {
            let names: Vec<String> = self
                .fields
                .iter()
                .filter(|f| matches!(f.column.kind, ColumnKind::Code(_) | ColumnKind::Codes(_)))
                .map(|f| f.column.name.clone())
                .collect();
            let suggestion = suggest(name, names.iter().map(String::as_str));
            self.err(
                d.column.span,
                Error::UnknownCodeColumn {
                    name: name.clone(),
                    names,
                    suggestion,
                },
            );
            return;
        };
        if self.fields[at].codes_given {
            self.err(
                d.column.span,
                Error::DuplicateCodeColumn {
                    column: name.clone(),
                },
            );
            return;
        }
        let values = self.distinct_codes(&d.values);
        let field = &mut self.fields[at];
        let set = matches!(field.column.kind, ColumnKind::Codes(_));
        if set && values.len() > 128 {
            self.err(d.span, Error::TooManyActivityCodes);
            return;
        }
        field.column.kind = if set {
            ColumnKind::Codes(values)
        } else {
            ColumnKind::Code(values)
        };
        field.codes_given = true;
        self.resolve_empty_code(at);
    }

    pub(super) fn class_decl(&mut self, d: &ast::ClassDecl) {
        let mut values: Vec<String> = Vec::new();
        let mut cases = Vec::new();
        for (v, _) in &d.cases {
            if !values.contains(&v.node) {
                values.push(v.node.clone());
            }
        }
        if !values.contains(&d.otherwise.node) {
            values.push(d.otherwise.node.clone());
        }
        for (v, c) in &d.cases {
            let code = values
                .iter()
                .position(|x| *x == v.node)
                .expect("just added") as Code;
            if let Some(cond) = self.cond(c, Ctx::Rows(RowSource::Visits)) {
                cases.push((code, cond));
            }
        }
        if self.classes.iter().any(|c| c.name == d.name.node)
            || self.bands.iter().any(|b| b.name == d.name.node)
            || self.declared_field(&d.name.node).is_some()
        {
            self.err(
                d.name.span,
                Error::ClassNameTaken {
                    name: d.name.node.clone(),
                },
            );
            return;
        }
        if self.classes.len() >= super::contract::MAX_CLASSES {
            self.err(d.name.span, Error::TooManyClasses);
            return;
        }
        let otherwise = values
            .iter()
            .position(|x| *x == d.otherwise.node)
            .expect("added") as Code;
        self.classes.push(Class {
            name: d.name.node.clone(),
            values,
            cases,
            otherwise,
        });
    }

    pub(super) fn clock(&mut self, t: &Spanned<String>) -> Option<chrono::NaiveTime> {
        let parsed = chrono::NaiveTime::parse_from_str(&t.node, "%H:%M").ok();
        if parsed.is_none() && t.node != "24:00" {
            self.err(
                t.span,
                Error::NotATime {
                    text: t.node.clone(),
                },
            );
        }
        parsed.or_else(|| (t.node == "24:00").then_some(chrono::NaiveTime::MIN))
    }
}
