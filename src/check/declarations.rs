//! Declarations other terms build on: the header and its validity, `kod`
//! (the values of a data code column), `klass` (a code derived from each
//! visit), `kalender` and `tidsband` (time bands), and the dates and clock
//! times they are written with.

use chrono::NaiveDate;

use crate::data::{Code, CodeColumn};
use crate::syntax::{self as ast, Span, Spanned};

use super::checker::{Checker, Ctx};
use super::contract::*;
use super::error::{CheckError, CheckKind, suggest};

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Checker<'_> {
    pub(super) fn date(&mut self, d: &Spanned<String>) -> Option<NaiveDate> {
        let parsed = parse_date(&d.node);
        if parsed.is_none() {
            self.err(
                CheckError::new(
                    CheckKind::InvalidDate,
                    d.span,
                    format!("`{}` is not a date in the calendar", d.node),
                )
                .label("no such date")
                .help("write a real date as YYYY-MM-DD, e.g. 2025-02-28"),
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
                CheckError::new(
                    CheckKind::InvalidDate,
                    Span::new(h.valid_from.span.start, h.valid_to.span.end),
                    format!("the contract ends ({t}) before it starts ({f})"),
                )
                .label("empty validity")
                .help("`gäller FROM till TO` needs FROM on or before TO"),
            );
        }
        (from, to)
    }

    pub(super) fn code_decl(&mut self, d: &ast::CodeDecl) {
        let Some(column) = CodeColumn::from_column(&d.column.node) else {
            let names = CodeColumn::ALL.map(|c| c.column());
            let mut e = CheckError::new(
                CheckKind::UnknownName,
                d.column.span,
                format!("`{}` is not a code column of the data", d.column.node),
            )
            .label("unknown column");
            e = match suggest(&d.column.node, names) {
                Some(s) => e.help(format!(
                    "did you mean `{s}`? Code columns: {}",
                    names.join(", ")
                )),
                None => e.help(format!("code columns: {}", names.join(", "))),
            };
            self.err(e);
            return;
        };
        if self.codes.values(column).is_some() {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    d.column.span,
                    format!("the codes of `{}` are declared twice", column.column()),
                )
                .help("list all of a column's codes in one `kod` line"),
            );
            return;
        }
        let mut values: Vec<String> = Vec::new();
        for v in &d.values {
            if values.contains(&v.node) {
                self.err(
                    CheckError::new(
                        CheckKind::Duplicate,
                        v.span,
                        format!("`{}` is listed twice", v.node),
                    )
                    .help("remove the second one"),
                );
            } else {
                values.push(v.node.clone());
            }
        }
        if column == CodeColumn::Activities && values.len() > 128 {
            self.err(CheckError::new(
                CheckKind::Misplaced,
                d.span,
                "at most 128 activity codes can be declared",
            ));
            return;
        }
        self.codes.declare(column, values);
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
            || CodeColumn::from_column(&d.name.node).is_some()
        {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    d.name.span,
                    format!("`{}` is already a code column or class", d.name.node),
                )
                .help("give the class a name of its own"),
            );
            return;
        }
        if self.classes.len() >= super::contract::MAX_CLASSES {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    d.name.span,
                    format!(
                        "at most {} `klass` declarations",
                        super::contract::MAX_CLASSES
                    ),
                )
                .help("combine classes, or ask for the limit to be raised"),
            );
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
                CheckError::new(
                    CheckKind::InvalidDate,
                    t.span,
                    format!("`{}` is not a time of day", t.node),
                )
                .help("write a local clock time as HH:MM, 00:00–23:59"),
            );
        }
        parsed.or_else(|| (t.node == "24:00").then_some(chrono::NaiveTime::MIN))
    }

    pub(super) fn band_decl(&mut self, d: &ast::BandDecl) {
        if self.bands.is_some() {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    d.name.span,
                    "a contract has one `tidsband`",
                )
                .help("list every band in one declaration"),
            );
            return;
        }
        let mut values = Vec::new();
        let mut rules = Vec::new();
        for b in &d.bands {
            if rules.contains(&BandRule::Rest) {
                self.err(
                    CheckError::new(
                        CheckKind::Unreachable,
                        b.span,
                        format!(
                            "the band `{}` comes after `övrig tid` and gets no seconds",
                            b.value.node
                        ),
                    )
                    .label("never matches")
                    .help("bands match in order; move `övrig tid` last")
                    .warning(),
                );
            }
            if values.contains(&b.value.node) {
                self.err(
                    CheckError::new(
                        CheckKind::Duplicate,
                        b.value.span,
                        format!("the band `{}` is declared twice", b.value.node),
                    )
                    .help("each band once; the first that matches a second takes it"),
                );
                continue;
            }
            values.push(b.value.node.clone());
            let rule = match &b.kind {
                ast::BandKind::Clock(from, to) => match (self.clock(from), self.clock(to)) {
                    (Some(f), Some(t)) => BandRule::Clock(f, t),
                    _ => continue,
                },
                ast::BandKind::Rest => BandRule::Rest,
                ast::BandKind::Days(days) => {
                    const WEEKDAYS: [&str; 7] = [
                        "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
                    ];
                    let mut weekdays = [false; 7];
                    let mut holidays = false;
                    for day in days {
                        if let Some(i) = WEEKDAYS.iter().position(|w| *w == day.node) {
                            weekdays[i] = true;
                        } else if self.calendars.contains(&day.node) {
                            holidays = true;
                        } else {
                            let mut names: Vec<&str> = WEEKDAYS.to_vec();
                            names.extend(self.calendars.iter().map(String::as_str));
                            let mut e = CheckError::new(
                                CheckKind::UnknownName,
                                day.span,
                                format!("`{}` is not a weekday or a declared calendar", day.node),
                            );
                            e = e.suggest_or(&day.node, names.iter().copied(), "use måndag … söndag, or declare the calendar: `kalender helgdag: svenska helgdagar`");
                            self.err(e);
                        }
                    }
                    BandRule::Days { weekdays, holidays }
                }
            };
            rules.push(rule);
        }
        if !rules.contains(&BandRule::Rest) {
            self.err(
                CheckError::new(
                    CheckKind::Table,
                    d.span,
                    "some seconds would fall in no band",
                )
                .label("no band for the rest")
                .help("end the list with a band for `övrig tid`"),
            );
        }
        self.bands = Some(Bands {
            name: d.name.node.clone(),
            values,
            rules,
        });
    }
}
