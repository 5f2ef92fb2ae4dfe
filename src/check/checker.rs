//! The checker's core: its state, the entry point [`check`] that walks a
//! rule file in the order declarations depend on each other, and the
//! gathering of errors (all of a file's errors are reported, not the first).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::data::{ColumnKind, DataFile, Reading, Schema};
use crate::syntax::{self as ast, MAX_DEPTH, Span};
use crate::syntax::{SourceRef, source_ref};

use super::contract::*;
use super::diagnostics::Error;
use super::error::CheckError;
use super::types::Rate;
use super::units::Unit;

pub(super) struct Checker<'a> {
    pub(super) src: &'a str,
    pub(super) file: &'a str,
    pub(super) errors: Vec<CheckError>,
    pub(super) rates: HashMap<String, Rate>,
    pub(super) conditions: HashMap<String, &'a ast::ConditionDecl>,
    /// Names of terms already declared, with their row source (None for caps
    /// and allocations).
    pub(super) terms: Vec<(String, Option<RowSource>)>,
    /// Guards against a condition that refers to itself.
    pub(super) resolving: Vec<String>,
    /// The contract's validity, once the header is read.
    pub(super) validity: Option<(NaiveDate, NaiveDate)>,
    /// Every term name of the file, to tell a forward reference from a typo.
    pub(super) all_terms: Vec<String>,
    /// The term being checked, to tell a reference to itself from one to a
    /// later term.
    pub(super) current_term: Option<String>,
    /// Rates and conditions used somewhere (the others get a warning).
    pub(super) used: HashSet<String>,
    /// Declared fields a rule reads, by file and slot: the ones a run reads.
    pub(super) used_fields: HashSet<(DataFile, u16)>,
    /// How many `summa för kunddagar` have been numbered.
    pub(super) day_sums: usize,
    /// Quantity unit and line key of each paying term, by index.
    pub(super) term_info: HashMap<usize, (Unit, Vec<Field>)>,
    pub(super) classes: Vec<Class>,
    pub(super) bands: Vec<Bands>,
    /// The declared fields (standard, then the file's `fält`), in
    /// declaration order.
    pub(super) fields: Vec<DeclaredField>,
    /// Declaring the standard fields (`rules/prelude/standard.taxa`).
    pub(super) standard: bool,
    /// A code field's `tomt = CODE` waiting for its `kod` line.
    pub(super) pending_empty: Vec<(usize, crate::syntax::Spanned<ast::EmptyValue>)>,
    /// Fields of the file declared `kod` without values, for a `kod` line.
    pub(super) codes_later: Vec<(usize, Span)>,
    /// The visits.csv slot `betald_tid` multiplies time by.
    pub(super) staff: Option<u16>,
    /// The visits.csv slot activity rows come from (its one `koder` field).
    pub(super) activities: Option<u16>,
    /// The data files the file declares of its own (`fil`), in order.
    pub(super) files: Vec<crate::data::OwnFile>,
    /// The headers columns are read from (`rubriker`, `fält … kolumn`).
    pub(super) headers: Vec<crate::data::HeaderMapping>,
    /// Where each of `headers` is written.
    pub(super) header_spans: Vec<Span>,
    pub(super) calendars: Vec<String>,
    /// Where `besök ersätts inte` is said, if it is.
    pub(super) visits_not_priced: Option<Span>,
    /// The `värde` declarations and their checked values.
    pub(super) values: super::types::Values<'a>,
    /// How many expressions and conditions enclose the one being checked,
    /// with each named `villkor` written out where it is used.
    pub(super) depth: usize,
    /// Expression and condition nodes checked so far (at most
    /// [`MAX_NODES`]).
    pub(super) nodes: usize,
}

/// Checks a parsed rule file. `file` is the name used in `SourceRef`s.
pub fn check(tree: &ast::File, src: &str, file: &str) -> Result<Contract, Vec<CheckError>> {
    let mut c = Checker {
        src,
        file,
        errors: Vec::new(),
        rates: HashMap::new(),
        conditions: HashMap::new(),
        terms: Vec::new(),
        resolving: Vec::new(),
        all_terms: tree
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Pay(t) => Some(t.name.node.clone()),
                ast::Item::Cap(t) => Some(t.name.node.clone()),
                ast::Item::Supplement(t) => Some(t.name.node.clone()),
                ast::Item::Allocation(t) => Some(t.name.node.clone()),
                _ => None,
            })
            .collect(),
        used: Default::default(),
        current_term: None,
        validity: None,
        used_fields: HashSet::new(),
        standard: false,
        pending_empty: Vec::new(),
        codes_later: Vec::new(),
        staff: None,
        activities: None,
        day_sums: 0,
        term_info: HashMap::new(),
        classes: Vec::new(),
        bands: Vec::new(),
        fields: Vec::new(),
        files: Vec::new(),
        headers: Vec::new(),
        header_spans: Vec::new(),
        calendars: Vec::new(),
        visits_not_priced: None,
        values: Default::default(),
        depth: 0,
        nodes: 0,
    };
    let (valid_from, valid_to) = c.header(&tree.header);
    c.validity = valid_from.zip(valid_to);
    // The standard fields, then the file's own (which may replace them),
    // then the `kod` lines that give code fields their values: every
    // declaration before anything that reads a field.
    c.standard = true;
    for item in super::prelude::items() {
        c.declaration_of_data(item);
    }
    c.standard = false;
    // The rule file's own files before the fields declared in them.
    for item in &tree.items {
        if let ast::Item::File(d) = item {
            c.file_decl(d);
        }
    }
    for item in &tree.items {
        c.declaration_of_data(item);
    }
    for item in &tree.items {
        if let ast::Item::Code(d) = item {
            c.code_decl(d);
        }
    }
    c.codes_given_later();
    c.activities = c.activity_set();
    for item in &tree.items {
        match item {
            ast::Item::Calendar(d) => c.calendar_decl(d),
            ast::Item::Bands(b) => c.band_decl(b),
            ast::Item::VisitsNotPriced(span) => c.not_priced_decl(*span),
            _ => {}
        }
    }
    // Conditions first (classes may use them), then classes (tables may be
    // keyed by them), then tables.
    for item in &tree.items {
        if let ast::Item::Condition(d) = item
            && c.conditions.insert(d.name.node.clone(), d).is_some()
        {
            c.err(
                d.name.span,
                Error::DuplicateCondition {
                    name: d.name.node.clone(),
                },
            );
        }
    }
    for item in &tree.items {
        if let ast::Item::Class(d) = item {
            c.class_decl(d);
        }
    }
    c.file_names_taken(tree);
    for item in &tree.items {
        if let ast::Item::Table(t) = item {
            c.table(t);
        }
    }
    c.value_decls(tree);
    let mut terms = Vec::new();
    for item in &tree.items {
        c.current_term = match item {
            ast::Item::Pay(t) => Some(t.name.node.clone()),
            ast::Item::Cap(t) => Some(t.name.node.clone()),
            ast::Item::Supplement(t) => Some(t.name.node.clone()),
            ast::Item::Allocation(t) => Some(t.name.node.clone()),
            _ => None,
        };
        let term = match item {
            ast::Item::Pay(t) => c.pay_term(t),
            ast::Item::Cap(t) => c.cap_term(t),
            ast::Item::Supplement(t) => c.supplement(t),
            ast::Item::Allocation(a) => c.allocation(a),
            _ => continue,
        };
        if let Some(t) = term {
            terms.push(t);
        }
    }
    c.visits_priced_or_said(tree);
    let checks = c.checks(tree);
    c.unused_warnings(tree);
    let schema = c.schema();
    c.header_collisions(&schema);
    if terms.len() > 128 {
        c.err(tree.header.span, Error::TooManyTerms);
    }
    // A shared declaration can fail the same way at each use; say it once.
    let mut seen = HashSet::new();
    c.errors
        .retain(|e| seen.insert((e.span, e.message.clone())));
    let (warnings, errors): (Vec<CheckError>, Vec<CheckError>) = std::mem::take(&mut c.errors)
        .into_iter()
        .partition(|e| e.warning);
    c.errors = errors;
    if c.errors.is_empty() {
        Ok(Contract {
            warnings,
            name: tree.header.name.node.clone(),
            file: file.to_string(),
            valid_from: valid_from.expect("no errors"),
            valid_to: valid_to.expect("no errors"),
            validity_span: Span::new(
                tree.header.valid_from.span.start,
                tree.header.valid_to.span.end,
            ),
            codes: schema,
            staff: c.staff,
            activities: c.activities,
            classes: c.classes,
            bands: c.bands,
            terms,
            day_sums: c.day_sums,
            fields: c.fields,
            files: c.files,
            headers: c.headers,
            visits_not_priced: c.visits_not_priced.is_some(),
            checks,
        })
    } else {
        c.errors.extend(warnings);
        c.errors.sort_by_key(|e| e.span.start);
        Err(c.errors)
    }
}

impl<'a> Checker<'a> {
    /// `fält`, `rubriker` and `betald_tid = …`: what the data holds.
    fn declaration_of_data(&mut self, item: &'a ast::Item) {
        match item {
            ast::Item::Field(d) => self.field_decl(d),
            ast::Item::Headers(d) => self.headers_decl(d),
            ast::Item::Staff(d) => self.staff_decl(d),
            _ => {}
        }
    }

    /// The one `koder` field of visits.csv, which activity rows come from.
    fn activity_set(&self) -> Option<u16> {
        let mut sets = self
            .fields
            .iter()
            .filter(|f| f.column.file == DataFile::Visits)
            .filter(|f| matches!(f.column.kind, ColumnKind::Codes(_)));
        let first = sets.next()?;
        sets.next().is_none().then_some(first.slot)
    }

    /// The declared fields as the readers are told them. A standard field
    /// is read wherever its column is (a bad cell is an error even if no
    /// rule reads it, as the data layout has always been checked), and must
    /// be there when a rule reads it, unless it `får saknas` and its header
    /// is not mapped; a code field whose codes the rule file does not give is
    /// not read. The rule file's own fields are always read and must be
    /// there.
    fn schema(&self) -> Schema {
        let mut schema = Schema::default();
        let columns = self
            .fields
            .iter()
            .map(|f| {
                let mut column = f.column.clone();
                let mapped = self
                    .headers
                    .iter()
                    .any(|h| h.file == f.column.file && h.column == f.column.name);
                let used = self.used_fields.contains(&(f.column.file, f.slot));
                let codes = matches!(column.kind, ColumnKind::Code(_) | ColumnKind::Codes(_));
                column.reading = if codes && !f.codes_given {
                    // Unread whatever maps it: no value could be read.
                    Reading::Unread
                } else if !f.standard || mapped || (used && !f.optional) {
                    Reading::Required
                } else {
                    Reading::IfPresent
                };
                column
            })
            .collect();
        schema.declare_columns(columns);
        schema.map_headers(self.headers.clone());
        schema
    }

    pub(super) fn err(&mut self, span: Span, e: Error) {
        self.errors.push(CheckError::new(span, e));
    }

    /// Errors so far, not counting warnings: a term with only warnings is
    /// still a term of the contract.
    pub(super) fn error_count(&self) -> usize {
        self.errors.iter().filter(|e| !e.warning).count()
    }

    /// Checks what `f` checks one level deeper, unless that is deeper than
    /// [`MAX_DEPTH`] or the contract already has [`MAX_NODES`] nodes: the
    /// syntax tree is no deeper, but a condition grows by the `villkor` it
    /// names, which the checked contract holds written out (and the
    /// evaluator walks by recursion).
    pub(super) fn nested<T>(
        &mut self,
        span: Span,
        f: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        if self.depth >= MAX_DEPTH {
            let through = self.resolving.clone();
            self.err(span, Error::TooDeep { through });
            return None;
        }
        if self.nodes >= MAX_NODES {
            // Said once, at the use that crossed the limit.
            if self.nodes == MAX_NODES {
                let through = self.resolving.clone();
                self.err(span, Error::TooLarge { through });
                self.nodes += 1;
            }
            return None;
        }
        self.nodes += 1;
        self.depth += 1;
        let checked = f(self);
        self.depth -= 1;
        checked
    }

    pub(super) fn sref(&self, span: Span) -> SourceRef {
        source_ref(self.src, self.file, span.start)
    }
}
