//! From syntax tree to [`Contract`]: resolve every name, infer every unit,
//! complete every table. All errors of a file are gathered before it fails.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use num_rational::Ratio;
use rust_decimal::Decimal;

use crate::data::{ActivitySet, Code, CodeBook, CodeColumn};
use crate::syntax::{self as ast, Span, Spanned};
use crate::syntax::{SourceRef, source_ref};

use super::contract::*;
use super::error::{CheckError, CheckKind, suggest};
use super::units::Unit;

/// A table cell whose key is unknown or repeated (reported; not stored).
const SKIP: usize = usize::MAX;

/// The type of a value in a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num(Unit),
    Date,
    Bool,
    Code(CodeColumn),
    /// A `klass` code, by index.
    Class(u8),
    Set,
    Text,
}

impl Ty {
    fn describe(self) -> String {
        match self {
            Ty::Num(u) if u.is_none() => "a number".into(),
            Ty::Num(u) => format!("an amount in {u}"),
            Ty::Date => "a date".into(),
            Ty::Bool => "ja/nej".into(),
            Ty::Code(c) => format!("a `{}` code", c.column()),
            Ty::Class(_) => "a class code".into(),
            Ty::Set => "a set of activities".into(),
            Ty::Text => "a text".into(),
        }
    }
}

/// Where an expression is evaluated: which row's fields are at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Rows(RowSource),
    /// A cap's bound: only sums and constants.
    Cap,
    /// An allocation's filter: the customer row on the basis date.
    Customer,
    /// An `ersätter … när` condition: the term's own quantity for one
    /// customer and that customer's day sums.
    Replace(Measure),
    /// A supplement's filter: the provider's fields.
    Provider,
}

/// A named rate: a column (or grid) of a table.
struct Rate {
    /// Where the rate is named, for the unused-rate warning.
    span: Span,
    keys: Vec<(Field, Span)>,
    sizes: Vec<usize>,
    cells: Vec<Option<Exact>>,
    unit: Unit,
}

struct Checker<'a> {
    src: &'a str,
    file: &'a str,
    errors: Vec<CheckError>,
    codes: CodeBook,
    rates: HashMap<String, Rate>,
    conditions: HashMap<String, &'a ast::ConditionDecl>,
    /// Names of terms already declared, with their row source (None for caps
    /// and allocations).
    terms: Vec<(String, Option<RowSource>)>,
    /// Guards against a condition that refers to itself.
    resolving: Vec<String>,
    /// The contract's validity, once the header is read.
    validity: Option<(NaiveDate, NaiveDate)>,
    /// Every term name of the file, to tell a forward reference from a typo.
    all_terms: Vec<String>,
    /// Rates and conditions used somewhere (the others get a warning).
    used: std::collections::HashSet<String>,
    required: Required,
    /// How many `summa för kunddagar` have been numbered.
    day_sums: usize,
    /// Quantity unit and line key of each paying term, by index.
    term_info: HashMap<usize, (Unit, Vec<Field>)>,
    classes: Vec<Class>,
    bands: Option<Bands>,
    calendars: Vec<String>,
}

/// Checks a parsed rule file. `file` is the name used in `SourceRef`s.
pub fn check(tree: &ast::File, src: &str, file: &str) -> Result<Contract, Vec<CheckError>> {
    let mut c = Checker {
        src,
        file,
        errors: Vec::new(),
        codes: CodeBook::default(),
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
        validity: None,
        required: Required::default(),
        day_sums: 0,
        term_info: HashMap::new(),
        classes: Vec::new(),
        bands: None,
        calendars: Vec::new(),
    };
    let (valid_from, valid_to) = c.header(&tree.header);
    c.validity = valid_from.zip(valid_to);
    // Declarations first, in any order, so terms can use them.
    for item in &tree.items {
        if let ast::Item::Code(d) = item {
            c.code_decl(d);
        }
    }
    for item in &tree.items {
        match item {
            ast::Item::Calendar(d) => c.calendars.push(d.name.node.clone()),
            ast::Item::Bands(b) => c.band_decl(b),
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
                CheckError::new(
                    CheckKind::Duplicate,
                    d.name.span,
                    format!("the condition `{}` is declared twice", d.name.node),
                )
                .help("give each `villkor` its own name"),
            );
        }
    }
    for item in &tree.items {
        if let ast::Item::Class(d) = item {
            c.class_decl(d);
        }
    }
    for item in &tree.items {
        if let ast::Item::Table(t) = item {
            c.table(t);
        }
    }
    let mut terms = Vec::new();
    for item in &tree.items {
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
    c.unused_warnings(tree);
    if terms.len() > 128 {
        c.err(
            CheckError::new(
                CheckKind::Misplaced,
                tree.header.span,
                "a contract has at most 128 terms",
            )
            .help("split the contract into versions or files"),
        );
    }
    // A shared declaration can fail the same way at each use; say it once.
    let mut seen = std::collections::HashSet::new();
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
            codes: c.codes,
            classes: c.classes,
            bands: c.bands,
            terms,
            required: c.required,
            day_sums: c.day_sums,
        })
    } else {
        c.errors.extend(warnings);
        c.errors.sort_by_key(|e| e.span.start);
        Err(c.errors)
    }
}

fn decimal_to_exact(d: Decimal) -> Exact {
    Ratio::new(d.mantissa(), 10i128.pow(d.scale()))
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl<'a> Checker<'a> {
    fn err(&mut self, e: CheckError) {
        self.errors.push(e);
    }

    /// Errors so far, not counting warnings: a term with only warnings is
    /// still a term of the contract.
    fn error_count(&self) -> usize {
        self.errors.iter().filter(|e| !e.warning).count()
    }

    fn sref(&self, span: Span) -> SourceRef {
        source_ref(self.src, self.file, span.start)
    }

    fn date(&mut self, d: &Spanned<String>) -> Option<NaiveDate> {
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

    fn header(&mut self, h: &ast::Header) -> (Option<NaiveDate>, Option<NaiveDate>) {
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

    fn code_decl(&mut self, d: &ast::CodeDecl) {
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

    /// A field used as a table key: a declared code column (or `level`).
    fn key_field(&mut self, id: &ast::Ident) -> Option<(Field, usize)> {
        if id.node == "activity" {
            return match self.codes.values(CodeColumn::Activities) {
                Some(vals) => Some((Field::Activity, vals.len())),
                None => {
                    self.err(
                        CheckError::new(
                            CheckKind::UnknownName,
                            id.span,
                            "the activity codes are not declared",
                        )
                        .help("declare them: `kod activities: dusch, inköp, …`"),
                    );
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
        if id.node == "activities" {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    id.span,
                    "a visit's `activities` are a set of codes, not one key",
                )
                .label("a set")
                .help("key by one activity: `per activity` (with `för aktiviteter` rows)"),
            );
            return None;
        }
        if let Some(col) = CodeColumn::from_column(&id.node) {
            if let Some(vals) = self.codes.values(col) {
                return Some((Field::Code(col), vals.len()));
            }
            self.err(
                CheckError::new(
                    CheckKind::UnknownName,
                    id.span,
                    format!("`{}` has no declared codes", id.node),
                )
                .help(format!(
                    "declare them first: `kod {}: value, value, …`",
                    id.node
                )),
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
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            id.span,
            format!("`{}` is not a declared code column", id.node),
        )
        .label("unknown key");
        e = e.suggest_or(
            &id.node,
            declared.iter().map(String::as_str),
            format!(
                "a table is keyed by declared codes: {}",
                declared.join(", ")
            ),
        );
        self.err(e);
        None
    }

    /// A field's name as the rule file writes it (a class or band by its
    /// declared name).
    fn fname(&self, f: Field) -> String {
        match f {
            Field::Class(i) => self
                .classes
                .get(i as usize)
                .map_or("klass".into(), |c| c.name.clone()),
            Field::Band => self
                .bands
                .as_ref()
                .map_or("tidsband".into(), |b| b.name.clone()),
            _ => f.name().to_string(),
        }
    }

    fn code_index(&self, col: CodeColumn, name: &str) -> Option<usize> {
        self.codes
            .values(col)
            .and_then(|v| v.iter().position(|x| x == name))
    }

    fn table(&mut self, t: &ast::Table) {
        let mut dims = Vec::new();
        for d in &t.dims {
            match self.key_field(d) {
                Some((f, n)) => dims.push((f, n, d.span)),
                None => return,
            }
        }
        let values_of = |c: &Checker, f: Field| -> Vec<String> {
            match f {
                Field::Code(col) => c.codes.values(col).map(|v| v.to_vec()).unwrap_or_default(),
                Field::Activity => c
                    .codes
                    .values(CodeColumn::Activities)
                    .map(|v| v.to_vec())
                    .unwrap_or_default(),
                Field::Class(i) => c.classes[i as usize].values.clone(),
                Field::Band => c
                    .bands
                    .as_ref()
                    .map(|b| b.values.clone())
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        };
        match (&t.name, dims.as_slice()) {
            (None, [(field, n, dspan)]) => {
                let values = values_of(self, *field);
                let header_are_values = t.header.iter().all(|h| values.contains(&h.node));
                let rows_are_values = t.rows.iter().all(|r| values.contains(&r.label.node));
                if header_are_values || !rows_are_values {
                    // Rates as rows, key values across the top.
                    let Some(order) = self.axis(&t.header, *field, &values, t.span) else {
                        return;
                    };
                    for row in &t.rows {
                        if row.cells.len() != t.header.len() {
                            self.cell_count(row, t.header.len());
                            continue;
                        }
                        let cells: Vec<_> = row.cells.iter().collect();
                        self.add_rate(&row.label, vec![(*field, *dspan)], vec![*n], &order, &cells);
                    }
                } else {
                    // Key values down the side, one rate per header cell.
                    let labels: Vec<ast::Ident> = t.rows.iter().map(|r| r.label.clone()).collect();
                    let Some(order) = self.axis(&labels, *field, &values, t.span) else {
                        return;
                    };
                    for (j, name) in t.header.iter().enumerate() {
                        let mut cells = Vec::new();
                        for row in &t.rows {
                            match row.cells.get(j) {
                                Some(c) if row.cells.len() == t.header.len() => cells.push(c),
                                _ => {
                                    self.cell_count(row, t.header.len());
                                    return;
                                }
                            }
                        }
                        self.add_rate(name, vec![(*field, *dspan)], vec![*n], &order, &cells);
                    }
                }
            }
            (Some(name), [(f1, n1, s1), (f2, n2, s2)]) => {
                let v1 = values_of(self, *f1);
                let v2 = values_of(self, *f2);
                let labels: Vec<ast::Ident> = t.rows.iter().map(|r| r.label.clone()).collect();
                let (Some(o1), Some(o2)) = (
                    self.axis(&labels, *f1, &v1, t.span),
                    self.axis(&t.header, *f2, &v2, t.span),
                ) else {
                    return;
                };
                // Flatten row-major in declaration order of both keys.
                                // Flatten row-major in declaration order of both keys; cells
                // of unknown or repeated keys are left out (already reported).
                let mut flat = Vec::new();
                let mut positions = Vec::new();
                for (ri, row) in t.rows.iter().enumerate() {
                    if row.cells.len() != t.header.len() {
                        self.cell_count(row, t.header.len());
                        return;
                    }
                    for (ci, cell) in row.cells.iter().enumerate() {
                        let (r, c) = (o1[ri], o2[ci]);
                        positions.push(if r == SKIP || c == SKIP { SKIP } else { r * n2 + c });
                        flat.push(cell);
                    }
                }
                self.add_rate(name, vec![(*f1, *s1), (*f2, *s2)], vec![*n1, *n2], &positions, &flat);
            }
            (Some(name), [(field, n, dspan)]) => {
                // A named one-key table: values down the side, one cell each.
                let values = values_of(self, *field);
                let labels: Vec<ast::Ident> = t.rows.iter().map(|r| r.label.clone()).collect();
                let Some(order) = self.axis(&labels, *field, &values, t.span) else {
                    return;
                };
                let mut cells = Vec::new();
                for row in &t.rows {
                    if row.cells.len() != 1 {
                        self.cell_count(row, 1);
                        return;
                    }
                    cells.push(&row.cells[0]);
                }
                self.add_rate(name, vec![(*field, *dspan)], vec![*n], &order, &cells);
            }
            _ => self.err(
                CheckError::new(
                    CheckKind::Table,
                    t.span,
                    "a table has one key (`tabell per zone:`) or is named with two (`tabell pris per regime och typ:`)",
                )
                .help("name the table when it is keyed by two codes"),
            ),
        }
    }

    fn cell_count(&mut self, row: &ast::TableRow, want: usize) {
        self.err(
            CheckError::new(
                CheckKind::Table,
                row.span,
                format!(
                    "the row `{}` has {} cells, the table has {} columns",
                    row.label.node,
                    row.cells.len(),
                    want
                ),
            )
            .label("wrong number of cells")
            .help("give every row one cell per column; write — for a cell without a value"),
        );
    }

    /// Checks that a table axis lists every value of a key exactly once;
    /// returns each cell's position in declaration order.
    fn axis(
        &mut self,
        cells: &[ast::Ident],
        field: Field,
        values: &[String],
        table: Span,
    ) -> Option<Vec<usize>> {
        let fname = self.fname(field);
        let mut order = Vec::new();
        let mut seen = vec![false; values.len()];
        let mut ok = true;
        for c in cells {
            match values.iter().position(|v| *v == c.node) {
                Some(i) if seen[i] => {
                    order.push(SKIP);
                    self.err(
                        CheckError::new(
                            CheckKind::Table,
                            c.span,
                            format!("`{}` appears twice in the table", c.node),
                        )
                        .label("duplicate key")
                        .help("each value gets exactly one column or row"),
                    );
                    ok = false;
                }
                Some(i) => {
                    seen[i] = true;
                    order.push(i);
                }
                None => {
                    order.push(SKIP);
                    let mut e = CheckError::new(
                        CheckKind::UnknownName,
                        c.span,
                        format!("`{}` is not a declared `{}` code", c.node, fname),
                    )
                    .label("not declared");
                    e = e.suggest_or(
                        &c.node,
                        values.iter().map(String::as_str),
                        format!("declared `{}` codes: {}", fname, values.join(", ")),
                    );
                    self.err(e);
                    ok = false;
                }
            }
        }
        let missing: Vec<&str> = values
            .iter()
            .zip(&seen)
            .filter(|(_, s)| !**s)
            .map(|(v, _)| v.as_str())
            .collect();
        if ok && !missing.is_empty() {
            self.err(
                CheckError::new(
                    CheckKind::Table,
                    table,
                    format!(
                        "the table has no value for {} {}",
                        fname,
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .label("incomplete table")
                .help(format!(
                    "add a column for {}; every declared `{}` code needs a rate",
                    missing.join(", "),
                    fname
                )),
            );
        }
        // The rates exist even when the axis has faults (without those
        // cells), so their uses are checked instead of each reporting
        // "no rate".
        Some(order)
    }

    fn add_rate(
        &mut self,
        name: &ast::Ident,
        keys: Vec<(Field, Span)>,
        sizes: Vec<usize>,
        order: &[usize],
        cells: &[&Spanned<Option<ast::QuantityLit>>],
    ) {
        let total: usize = sizes.iter().product();
        let mut values = vec![None; total];
        let mut unit: Option<(Unit, Span)> = None;
        for (pos, cell) in order.iter().zip(cells) {
            if *pos == SKIP {
                continue;
            } // A dash: no value here (`finns` tells; a lookup reads 0).
            let Some(q) = &cell.node else {
                continue;
            };
            let Some((v, u)) = self.quantity(q, cell.span) else {
                return;
            };
            match unit {
                None => unit = Some((u, cell.span)),
                Some((u0, _)) if u0 != u => {
                    self.err(
                        CheckError::new(
                            CheckKind::UnitMismatch,
                            cell.span,
                            format!(
                                "this cell is in {u}, the other cells of `{}` are in {u0}",
                                name.node
                            ),
                        )
                        .label(format!("{u}"))
                        .help(format!("write every cell of `{}` in {u0}", name.node)),
                    );
                    return;
                }
                _ => {}
            }
            values[*pos] = Some(v);
        }
        if self.rates.contains_key(&name.node) {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    name.span,
                    format!("the rate `{}` is declared twice", name.node),
                )
                .help("give each rate its own name"),
            );
            return;
        }
        self.rates.insert(
            name.node.clone(),
            Rate {
                span: name.span,
                keys,
                sizes,
                cells: values,
                unit: unit.map_or(Unit::NONE, |(u, _)| u),
            },
        );
    }

    /// A literal number in base units.
    fn quantity(&mut self, q: &ast::QuantityLit, span: Span) -> Option<(Exact, Unit)> {
        if q.value == Decimal::MAX || q.value.scale() > 12 {
            self.err(
                CheckError::new(
                    CheckKind::TypeMismatch,
                    span,
                    "this number is too large or too precise",
                )
                .help("write amounts with at most 12 decimals and fewer than 28 digits"),
            );
            return None;
        }
        let v = decimal_to_exact(q.value);
        match &q.unit {
            None => Some((v, Unit::NONE)),
            Some(u) => match Unit::parse(&u.node) {
                Some((unit, factor)) => Some((v * factor, unit)),
                None => {
                    self.err(
                        CheckError::new(
                            CheckKind::UnknownName,
                            u.span,
                            format!("`{}` is not a unit", u.node),
                        )
                        .help("units: kr, h, min, mån, st, %, and quotients like kr/h"),
                    );
                    None
                }
            },
        }
    }

    /// Declarations nothing refers to are likely mistakes: a misspelt use
    /// elsewhere, or a term left out.
    fn unused_warnings(&mut self, tree: &ast::File) {
        for item in &tree.items {
            if let ast::Item::Condition(d) = item
                && !self.used.contains(&d.name.node)
            {
                self.err(
                    CheckError::new(
                        CheckKind::Unused,
                        d.name.span,
                        format!("the condition `{}` is not used by any term", d.name.node),
                    )
                    .label("unused")
                    .help(format!(
                        "require it in a term (`kräver {}`), or remove it",
                        d.name.node
                    ))
                    .warning(),
                );
            }
        }
        let mut unused: Vec<(Span, String)> = self
            .rates
            .iter()
            .filter(|(name, _)| !self.used.contains(*name))
            .map(|(name, r)| (r.span, name.clone()))
            .collect();
        unused.sort();
        for (span, name) in unused {
            self.err(
                CheckError::new(
                    CheckKind::Unused,
                    span,
                    format!("the rate `{name}` is not used by any term"),
                )
                .label("unused")
                .help(format!(
                    "price a term with it (`{name}[…]`), or remove the row"
                ))
                .warning(),
            );
        }
    }

    fn class_decl(&mut self, d: &ast::ClassDecl) {
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

    fn clock(&mut self, t: &Spanned<String>) -> Option<chrono::NaiveTime> {
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

    fn band_decl(&mut self, d: &ast::BandDecl) {
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

    fn supplement(&mut self, t: &ast::Supplement) -> Option<Term> {
        let errors_before = self.error_count();
        let filter = t.filter.as_ref().and_then(|c| self.cond(c, Ctx::Provider));
        let amount = self.expr(&t.pay, Ctx::Cap);
        if let Some((e, _)) = &amount
            && has_day_sum(e)
        {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    t.pay.span,
                    "a supplement is priced from other terms' lines, not from customer-days",
                )
                .help("write it from `summa TERM, …`, or make a `moment … för kunddagar` term"),
            );
        }
        if let Some((_, ty)) = &amount
            && *ty != Ty::Num(Unit::KR)
        {
            self.unit_or_type(
                t.pay.span,
                *ty,
                Unit::KR,
                "a supplement pays an amount in kr, e.g. `3 % × summa A1, A2`",
            );
        }
        let declared = self.declare_term(&t.name, None);
        if self.error_count() > errors_before || !declared {
            return None;
        }
        Some(Term {
            name: t.name.node.clone(),
            label: t.label.node.clone(),
            source: self.sref(t.span),
            kind: TermKind::Supplement(Supplement {
                filter,
                amount: amount?.0,
            }),
        })
    }

    // ---- terms -------------------------------------------------------------------

    fn declare_term(&mut self, name: &ast::Ident, rows: Option<RowSource>) -> bool {
        if self.terms.iter().any(|(n, _)| *n == name.node) {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    name.span,
                    format!("the term `{}` is declared twice", name.node),
                )
                .help("give each term its own name, e.g. the tender's paragraph number"),
            );
            return false;
        }
        self.terms.push((name.node.clone(), rows));
        true
    }

    /// An earlier term by name.
    fn term_ref(&mut self, id: &ast::Ident) -> Option<(usize, Option<RowSource>)> {
        if let Some(i) = self.terms.iter().position(|(n, _)| *n == id.node) {
            return Some((i, self.terms[i].1));
        }
        if self.all_terms.contains(&id.node) {
            self.err(
                CheckError::new(
                    CheckKind::Order,
                    id.span,
                    format!("`{}` is declared below this term", id.node),
                )
                .label("refers forward")
                .help("a term can refer only to terms above it (this also rules out circular references); move this term below it"),
            );
            return None;
        }
        let names: Vec<String> = self.terms.iter().map(|(n, _)| n.clone()).collect();
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            id.span,
            format!("no term `{}` is declared", id.node),
        )
        .label("unknown term");
        e = e.suggest_or(
            &id.node,
            names.iter().map(String::as_str),
            "a term can refer only to terms listed above it",
        );
        self.err(e);
        None
    }

    fn pay_term(&mut self, t: &ast::PayTerm) -> Option<Term> {
        let rows = match t.source.node {
            ast::SourceKind::Visits => RowSource::Visits,
            ast::SourceKind::CustomerDays => RowSource::CustomerDays,
            ast::SourceKind::Events => RowSource::Events,
            ast::SourceKind::Activities => RowSource::Activities,
        };
        let errors_before = self.error_count();
        let ctx = Ctx::Rows(rows);
        for (word, span) in &t.repeated {
            self.err(
                CheckError::new(
                    CheckKind::Duplicate,
                    *span,
                    format!("`{word}` appears twice in the term `{}`", t.name.node),
                )
                .label("second time")
                .help(format!(
                    "a term has one `{word}`; merge the two, or split the term"
                )),
            );
        }
        let within = t.within.as_ref().and_then(|w| {
            let (i, src) = self.term_ref(w)?;
            // A visit is "in" an activity term when one of its activities is.
            let compatible = src == Some(rows)
                || (rows == RowSource::Visits && src == Some(RowSource::Activities));
            if !compatible {
                self.err(
                    CheckError::new(
                        CheckKind::Misplaced,
                        w.span,
                        format!("`{}` does not pay the same kind of rows as this term", w.node),
                    )
                    .help("`i TERM` narrows to rows another term pays; both must select the same rows"),
                );
                return None;
            }
            Some(i)
        });
        let filter = t.filter.as_ref().and_then(|c| self.cond(c, ctx));
        if let (Some(f), Some(ast_f)) = (&filter, &t.filter)
            && let Some((field, a, b)) = contradiction(f)
        {
            let name = |v: Code| {
                self.codes
                    .values(field)
                    .and_then(|vals| vals.get(v as usize))
                    .cloned()
                    .unwrap_or_default()
            };
            self.err(
                CheckError::new(
                    CheckKind::Unreachable,
                    ast_f.span,
                    format!(
                        "the term `{}` can never select a row: `{}` cannot be both `{}` and `{}`",
                        t.name.node,
                        field.column(),
                        name(a),
                        name(b)
                    ),
                )
                .label("never true")
                .help("did you mean `eller` (or) instead of `och` (and)?")
                .warning(),
            );
        }
        let mut requires = Vec::new();
        for r in &t.requires {
            if let Some(req) = self.requirement(r, ctx) {
                requires.extend(req);
            }
        }
        let limits: Vec<Limit> = t
            .limits
            .iter()
            .filter_map(|l| self.limit(l, rows))
            .collect();
        let window = t.window.as_ref().and_then(|w| {
            if rows != RowSource::Visits {
                self.err(
                    CheckError::new(
                        CheckKind::Misplaced,
                        w.span,
                        "a time window applies to visits",
                    )
                    .help("use `fönster` in a `för besök` term"),
                );
                return None;
            }
            let (from, to) = (self.clock(&w.from)?, self.clock(&w.to)?);
            Some(Window {
                from,
                to,
                reason: w.reason.node.clone(),
                source: self.sref(w.span),
            })
        });
        if let Some(sp) = t.check_customer
            && rows != RowSource::Events
        {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    sp,
                    "`kontrollera kund` applies to events",
                )
                .help("visits always get the customer checks"),
            );
        }
        let key: Vec<Field> = t
            .key
            .iter()
            .filter_map(|k| {
                let (f, _) = self.key_field(k)?;
                if !key_available(f, rows) {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            k.span,
                            format!("these rows have no `{}` to keep lines by", k.node),
                        )
                        .label("not a field of these rows")
                        .help("keep lines by a field the selected rows have, e.g. `zone` for visits and customer-days, `activity` for activities, `level` for customer-days"),
                    );
                    return None;
                }
                Some(f)
            })
            .collect();
        if t.key.len() > 4 {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    t.key[4].span,
                    "a line is kept by at most four fields",
                )
                .help("split the term, or drop a field from `rad per`"),
            );
        }
        for k in &key {
            self.require_field(*k);
        }
        let pay = match &t.pay {
            Some(p) => self.pay_expr(p, ctx, &key),
            None => {
                self.err(
                    CheckError::new(
                        CheckKind::Misplaced,
                        t.name.span,
                        format!("the term `{}` does not say what it pays", t.name.node),
                    )
                    .help("add `betala QUANTITY × RATE`, e.g. `betala betald_tid × omsorg_timpris[zone]`"),
                );
                None
            }
        };
        let replaces = match &t.replaces {
            None => None,
            Some(r) => self.replaces(r, rows, pay.as_ref().map(|p| &p.0)),
        };
        let declared = self.declare_term(&t.name, Some(rows));
        if self.error_count() > errors_before || !declared {
            return None;
        }
        let (quantity, quantity_unit, rate, rate_unit) = pay?;
        self.term_info
            .insert(self.terms.len() - 1, (quantity_unit, key.clone()));
        Some(Term {
            name: t.name.node.clone(),
            label: t.label.node.clone(),
            source: self.sref(t.span),
            kind: TermKind::Pay(Box::new(PayTerm {
                rows,
                within,
                filter,
                requires,
                limits,
                window,
                check_customer: t.check_customer.is_some(),
                replaces,
                quantity,
                quantity_unit,
                rate,
                rate_unit,
                key,
            })),
        })
    }

    fn replaces(
        &mut self,
        r: &ast::Replaces,
        rows: RowSource,
        quantity: Option<&Expr>,
    ) -> Option<Replaces> {
        let (term, src) = self.term_ref(&r.term)?;
        let measure = quantity.and_then(Expr::measure);
        if rows != RowSource::Visits || src != Some(RowSource::CustomerDays) || measure.is_none() {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    r.span,
                    "`ersätter` lets a visit term stand in for a customer-day term, per customer",
                )
                .help("write it in a `för besök` term, naming a `för kunddagar` term above it"),
            );
            return None;
        }
        let cond = self.cond(&r.cond, Ctx::Replace(measure?))?;
        Some(Replaces { term, cond })
    }

    fn requirement(&mut self, r: &ast::Requirement, ctx: Ctx) -> Option<Vec<Requirement>> {
        let source = self.sref(r.span);
        match (&r.reason, &r.cond.node) {
            (Some(reason), _) => Some(vec![Requirement {
                cond: self.cond(&r.cond, ctx)?,
                reason: reason.node.clone(),
                source,
            }]),
            (None, ast::CondKind::Ref(name)) => {
                let decl = match self.conditions.get(&name.node) {
                    Some(d) => *d,
                    None => {
                        self.unknown_condition(name);
                        return None;
                    }
                };
                let cond = self.named_condition(decl, ctx)?;
                Some(vec![Requirement {
                    cond,
                    reason: decl.reason.node.clone(),
                    source: self.sref(decl.span),
                }])
            }
            (None, _) => {
                self.err(
                    CheckError::new(
                        CheckKind::Misplaced,
                        r.span,
                        "say why a row that fails this is not paid",
                    )
                    .label("no reason")
                    .help("add `annars \"reason\"`, or name a `villkor` that has one"),
                );
                None
            }
        }
    }

    fn unknown_condition(&mut self, name: &ast::Ident) {
        let names: Vec<String> = self.conditions.keys().cloned().collect();
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            name.span,
            format!("no condition `{}` is declared", name.node),
        )
        .label("unknown condition");
        e = e.suggest_or(
            &name.node,
            names.iter().map(String::as_str),
            format!("declare it: `villkor {}: … annars \"reason\"`", name.node),
        );
        self.err(e);
    }

    fn named_condition(&mut self, decl: &ast::ConditionDecl, ctx: Ctx) -> Option<Cond> {
        if self.resolving.contains(&decl.name.node) {
            self.err(
                CheckError::new(
                    CheckKind::Order,
                    decl.name.span,
                    format!("the condition `{}` refers to itself", decl.name.node),
                )
                .help("a condition cannot be defined by itself; break the circle"),
            );
            return None;
        }
        self.used.insert(decl.name.node.clone());
        self.resolving.push(decl.name.node.clone());
        let c = self.cond(&decl.cond, ctx);
        self.resolving.pop();
        c
    }

    fn limit(&mut self, l: &ast::Limit, rows: RowSource) -> Option<Limit> {
        if rows == RowSource::CustomerDays {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    l.span,
                    "count limits apply to visits, activities and events, not to customer-days",
                )
                .help(
                    "move the `gräns` to a `för besök`, `för aktiviteter` or `för händelser` term",
                ),
            );
            return None;
        }
        let (n, unit) = self.quantity(&l.count.node, l.count.span)?;
        if !(unit.is_none() || unit == Unit::ST) || !n.is_integer() || n < Exact::from_integer(1) {
            self.err(
                CheckError::new(
                    CheckKind::TypeMismatch,
                    l.count.span,
                    "a limit is a whole count",
                )
                .help("write e.g. `gräns 4 per utförare och månad`"),
            );
            return None;
        }
        const SCOPES: [&str; 6] = ["utförare", "månad", "kund", "iso-vecka", "dag", "aktivitet"];
        let mut per = Vec::new();
        for p in &l.per {
            let scope = match p.node.as_str() {
                "utförare" => Scope::Provider,
                "månad" => Scope::Month,
                "kund" => Scope::Customer,
                "iso-vecka" => Scope::IsoWeek,
                "dag" => Scope::Day,
                "aktivitet" if rows == RowSource::Activities => Scope::Activity,
                _ => {
                    let mut e = CheckError::new(
                        CheckKind::UnknownName,
                        p.span,
                        format!(
                            "`{}` is not a period or party a limit can count per",
                            p.node
                        ),
                    );
                    e = e.suggest_or(&p.node, SCOPES, format!("count per {}", SCOPES.join(", ")));
                    self.err(e);
                    return None;
                }
            };
            per.push(scope);
        }
        let only = if l.only.is_empty() {
            None
        } else if rows != RowSource::Activities {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    l.only[0].span,
                    "`för …` in a limit names activities",
                )
                .help("use it in a `för aktiviteter` term"),
            );
            return None;
        } else {
            let mut set = ActivitySet::default();
            for a in &l.only {
                set.insert(self.code_value(CodeColumn::Activities, a)?);
            }
            Some(set)
        };
        let allowed: &[&str] = match rows {
            RowSource::Events => &["date", "datum", "event_id"],
            _ => &["start", "visit_id"],
        };
        let mut order = Vec::new();
        for o in &l.order {
            let f = match o.node.as_str() {
                "date" | "datum" if rows == RowSource::Events => Field::Date,
                "event_id" if rows == RowSource::Events => Field::EventId,
                "start" if rows != RowSource::Events => Field::Start,
                "visit_id" if rows != RowSource::Events => Field::VisitId,
                _ => {
                    let mut e = CheckError::new(
                        CheckKind::UnknownName,
                        o.span,
                        format!("these rows cannot be ordered by `{}`", o.node),
                    );
                    e = e.suggest_or(
                        &o.node,
                        allowed.iter().copied(),
                        format!("order by {}", allowed.join(", ")),
                    );
                    self.err(e);
                    return None;
                }
            };
            order.push(f);
        }
        Some(Limit {
            count: n.to_integer() as u64,
            per,
            only,
            order,
            reason: l.reason.node.clone(),
            source: self.sref(l.span),
        })
    }

    /// Splits `betala` into what each row contributes (the quantity) and the
    /// price, which must be fixed per line.
    fn pay_expr(
        &mut self,
        e: &ast::Expr,
        ctx: Ctx,
        key: &[Field],
    ) -> Option<(Expr, Unit, Expr, Unit)> {
        let mut factors = Vec::new();
        flatten_product(e, &mut factors);
        let mut quantity: Option<(Expr, Unit)> = None;
        let mut rate: Option<(Expr, Unit)> = None;
        let mut measures = 0;
        for (f, inverse) in factors {
            let (expr, ty) = self.expr(f, ctx)?;
            let Ty::Num(mut unit) = ty else {
                self.type_error(f.span, ty, "a number");
                return None;
            };
            let (has_measure, row_fields) = row_dependence(&expr, key);
            if has_measure {
                measures += 1;
                if inverse {
                    self.err(
                        CheckError::new(CheckKind::Misplaced, f.span, "a quantity cannot divide")
                            .help("multiply by the quantity: `betald_tid × rate`"),
                    );
                    return None;
                }
            }
            // A rate cell chosen by a field the line key lacks would vary
            // within one line.
            if !has_measure
                && !row_fields
                && let Some(missing) = lookup_key_missing(&expr, key)
            {
                self.err(
                    CheckError::new(
                        CheckKind::Misplaced,
                        f.span,
                        format!(
                            "the price depends on `{}`, but the lines are not kept per `{}`",
                            self.fname(missing),
                            self.fname(missing)
                        ),
                    )
                    .label("price varies within a line")
                    .help(format!("add `rad per {}` to the term", self.fname(missing))),
                );
                return None;
            }
            let expr = if inverse {
                unit = unit.inverse();
                Expr::Binary(
                    Op::Div,
                    Box::new(Expr::Num(Exact::from_integer(1))),
                    Box::new(expr),
                )
            } else {
                expr
            };
            let slot = if has_measure || row_fields {
                &mut quantity
            } else {
                &mut rate
            };
            *slot = Some(match slot.take() {
                None => (expr, unit),
                Some((e0, u0)) => (
                    Expr::Binary(Op::Mul, Box::new(e0), Box::new(expr)),
                    (u0 * unit),
                ),
            });
        }
        if measures != 1 {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    e.span,
                    if measures == 0 {
                        "`betala` does not say what is counted".to_string()
                    } else {
                        "`betala` counts more than one quantity".to_string()
                    },
                )
                .help("multiply one quantity (betald_tid, tid, antal or dagsandel) by a price, e.g. `betald_tid × 486 kr/h`"),
            );
            return None;
        }
        let (q, qu) = quantity.expect("one measure");
        let (r, ru) = rate.unwrap_or((Expr::Num(Exact::from_integer(1)), Unit::NONE));
        if (qu * ru) != Unit::KR {
            self.err(
                CheckError::new(
                    CheckKind::UnitMismatch,
                    e.span,
                    format!("this pays {} × {} = {}, not kr", qu, ru, (qu * ru)),
                )
                .label(format!("{}", (qu * ru)))
                .help(format!(
                    "a payment is in kr: with a quantity in {qu}, the price must be in kr/{qu}"
                )),
            );
            return None;
        }
        Some((q, qu, r, ru))
    }

    fn cap_term(&mut self, t: &ast::CapTerm) -> Option<Term> {
        let errors_before = self.error_count();
        let mut over = Vec::new();
        for o in &t.over {
            if let Some((i, src)) = self.term_ref(o) {
                if src.is_none() {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            o.span,
                            format!("`{}` is not a paying term", o.node),
                        )
                        .help("a cap applies to `moment` terms"),
                    );
                }
                over.push(i);
            }
        }
        let bound = self.expr(&t.bound, Ctx::Cap);
        let per_customer = if t.per.is_empty() {
            if let Some((_, ty)) = &bound
                && *ty != Ty::Num(Unit::KR)
            {
                self.unit_or_type(
                    t.bound.span,
                    *ty,
                    Unit::KR,
                    "a cap's bound is an amount in kr",
                );
            }
            None
        } else {
            self.cap_per_customer(t, &over, bound.as_ref().map(|b| b.1))
        };
        let declared = self.declare_term(&t.name, None);
        if self.error_count() > errors_before || !declared {
            return None;
        }
        Some(Term {
            name: t.name.node.clone(),
            label: t.label.node.clone(),
            source: self.sref(t.span),
            kind: TermKind::Cap(Cap {
                over,
                bound: bound?.0,
                per_customer,
            }),
        })
    }

    /// `per kund och zone`: one capped term, lines kept by the same fields,
    /// a bound in the term's quantity unit.
    fn cap_per_customer(
        &mut self,
        t: &ast::CapTerm,
        over: &[usize],
        bound: Option<Ty>,
    ) -> Option<Vec<Field>> {
        if t.per[0].node != "kund" {
            self.err(
                CheckError::new(CheckKind::Misplaced, t.per[0].span, "a cap is per provider and month, or `per kund`")
                    .help("write `per kund` (and the fields its lines are kept by, e.g. `per kund och zone`)"),
            );
            return None;
        }
        let [term] = over else {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    t.span,
                    "a cap per customer caps one term",
                )
                .help("name one term after `över`"),
            );
            return None;
        };
        let (unit, key) = self.term_info.get(term).cloned()?;
        let mut fields = Vec::new();
        for f in &t.per[1..] {
            fields.push(self.key_field(f)?.0);
        }
        if fields != key {
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    t.per[0].span,
                    "a cap per customer keeps its lines by the same fields as the term it caps",
                )
                .help(format!(
                    "write `per kund{}`",
                    key.iter()
                        .map(|f| format!(" och {}", self.fname(*f)))
                        .collect::<String>()
                )),
            );
            return None;
        }
        match bound {
            Some(Ty::Num(u)) if u == unit => Some(fields),
            Some(ty) => {
                self.unit_or_type(
                    t.bound.span,
                    ty,
                    unit,
                    "a cap per customer bounds the capped term's quantity (e.g. hours), whose excess is priced at its rate",
                );
                None
            }
            None => None,
        }
    }

    fn allocation(&mut self, a: &ast::Allocation) -> Option<Term> {
        let errors_before = self.error_count();
        let amount = self.quantity(&a.amount.node, a.amount.span);
        if let Some((v, u)) = amount
            && (u != Unit::KR || !v.is_integer() || v < Exact::from_integer(0))
        {
            self.err(
                CheckError::new(
                    CheckKind::UnitMismatch,
                    a.amount.span,
                    "a fund is a whole number of kronor",
                )
                .help("write e.g. `fördela 6 642 095 kr`"),
            );
        }
        let month = NaiveDate::parse_from_str(&format!("{}-01", a.month.node), "%Y-%m-%d").ok();
        if month.is_none() {
            self.err(
                CheckError::new(
                    CheckKind::InvalidDate,
                    a.month.span,
                    format!("`{}` is not a month", a.month.node),
                )
                .help("write the month as YYYY-MM, e.g. 2024-06"),
            );
        }
        let basis = self.date(&a.basis_date);
        if let (Some(m), Some(v)) = (month, self.validity)
            && (m < v.0.with_day(1).unwrap_or(v.0) || m > v.1)
        {
            self.err(
                CheckError::new(
                    CheckKind::Unreachable,
                    a.month.span,
                    format!("{} is outside the contract's validity ({} – {}): the fund is never paid", a.month.node, v.0, v.1),
                )
                .label("never paid")
                .help("pay the fund in a month of the validity, or move it to the contract version valid then")
                .warning(),
            );
        }
        let filter = a.filter.as_ref().and_then(|c| self.cond(c, Ctx::Customer));
        if a.tie_break.node != "utförare" {
            self.err(
                CheckError::new(
                    CheckKind::UnknownName,
                    a.tie_break.span,
                    format!(
                        "remainder ties can be broken by `utförare`, not `{}`",
                        a.tie_break.node
                    ),
                )
                .help("write `lika rest efter utförare`"),
            );
        }
        let declared = self.declare_term(&a.name, None);
        if self.error_count() > errors_before || !declared {
            return None;
        }
        let month = month?;
        Some(Term {
            name: a.name.node.clone(),
            label: a.label.node.clone(),
            source: self.sref(a.span),
            kind: TermKind::Allocation(Allocation {
                amount: amount?.0.to_integer(),
                year: chrono::Datelike::year(&month),
                month: chrono::Datelike::month(&month),
                basis_date: basis?,
                filter,
            }),
        })
    }

    // ---- conditions and expressions --------------------------------------------------

    fn cond(&mut self, c: &ast::Cond, ctx: Ctx) -> Option<Cond> {
        Some(match &c.node {
            ast::CondKind::Or(parts) => Cond::Or(
                parts
                    .iter()
                    .map(|p| self.cond(p, ctx))
                    .collect::<Option<_>>()?,
            ),
            ast::CondKind::And(parts) => Cond::And(
                parts
                    .iter()
                    .map(|p| self.cond(p, ctx))
                    .collect::<Option<_>>()?,
            ),
            ast::CondKind::Not(inner) => Cond::Not(Box::new(self.cond(inner, ctx)?)),
            ast::CondKind::Has { field, test } => {
                let f = self.field(field, ctx)?;
                if f != Field::Code(CodeColumn::Activities) {
                    self.err(
                        CheckError::new(
                            CheckKind::TypeMismatch,
                            field.span,
                            format!("`{}` is not a set of codes", field.node),
                        )
                        .help("`har` tests the visit's `activities`"),
                    );
                    return None;
                }
                let set = |this: &mut Self, ids: &[ast::Ident]| -> Option<ActivitySet> {
                    let mut s = ActivitySet::default();
                    for id in ids {
                        s.insert(this.code_value(CodeColumn::Activities, id)?);
                    }
                    Some(s)
                };
                match test {
                    ast::HasKind::One(id) => Cond::HasAny(set(self, std::slice::from_ref(id))?),
                    ast::HasKind::Any(ids) => Cond::HasAny(set(self, ids)?),
                    ast::HasKind::Only(ids) => Cond::HasOnly(set(self, ids)?),
                }
            }
            ast::CondKind::Within { value, from, to } => {
                let (v, tv) = self.expr(value, ctx)?;
                let (f, tf) = self.expr(from, ctx)?;
                let (t, tt) = self.expr(to, ctx)?;
                for (ty, e) in [(tv, value), (tf, from), (tt, to)] {
                    if ty != Ty::Date {
                        self.type_error(e.span, ty, "a date");
                        return None;
                    }
                }
                Cond::Within(v, f, t)
            }
            ast::CondKind::Compare { left, op, right } => {
                let (l, tl) = self.expr(left, ctx)?;
                // A bare name on the right of a code is one of its values.
                let (r, tr) = match (&tl, &right.node) {
                    (Ty::Code(col), ast::ExprKind::Name(id))
                        if CodeColumn::from_column(&id.node).is_none() =>
                    {
                        let code = self.code_value(*col, id)?;
                        (Expr::Code(*col, code), Ty::Code(*col))
                    }
                    (Ty::Class(i), ast::ExprKind::Name(id)) => {
                        let class = &self.classes[*i as usize];
                        match class.values.iter().position(|v| *v == id.node) {
                            Some(code) => {
                                (Expr::Code(CodeColumn::Kind, code as Code), Ty::Class(*i))
                            }
                            None => {
                                let values = class.values.clone();
                                let mut e = CheckError::new(
                                    CheckKind::UnknownName,
                                    id.span,
                                    format!(
                                        "`{}` is not a value of the class `{}`",
                                        id.node, class.name
                                    ),
                                );
                                e = e.suggest_or(
                                    &id.node,
                                    values.iter().map(String::as_str),
                                    format!("its values: {}", values.join(", ")),
                                );
                                self.err(e);
                                return None;
                            }
                        }
                    }
                    _ => self.expr(right, ctx)?,
                };
                let op = match op {
                    ast::CmpOp::Eq => Cmp::Eq,
                    ast::CmpOp::Ne => Cmp::Ne,
                    ast::CmpOp::Lt => Cmp::Lt,
                    ast::CmpOp::Le => Cmp::Le,
                    ast::CmpOp::Gt => Cmp::Gt,
                    ast::CmpOp::Ge => Cmp::Ge,
                };
                let zero_literal = matches!(&r, Expr::Num(n) if *n == Exact::from_integer(0));
                let compatible = tl == tr
                    || (matches!((tl, tr), (Ty::Num(_), Ty::Num(u)) if u.is_none() && zero_literal));
                if !compatible {
                    let (msg, kind) = match (tl, tr) {
                        (Ty::Num(a), Ty::Num(b)) => (
                            format!("cannot compare {a} with {b}"),
                            CheckKind::UnitMismatch,
                        ),
                        _ => (
                            format!("cannot compare {} with {}", tl.describe(), tr.describe()),
                            CheckKind::TypeMismatch,
                        ),
                    };
                    self.err(
                        CheckError::new(kind, c.span, msg)
                            .label("different kinds")
                            .help("compare like with like: a code with one of its values, a date with a date, hours with hours"),
                    );
                    return None;
                }
                if matches!(
                    tl,
                    Ty::Code(_) | Ty::Class(_) | Ty::Bool | Ty::Set | Ty::Text
                ) && !matches!(op, Cmp::Eq | Cmp::Ne)
                {
                    self.err(
                        CheckError::new(
                            CheckKind::TypeMismatch,
                            c.span,
                            format!("{} has no order", tl.describe()),
                        )
                        .help("use = or ≠"),
                    );
                    return None;
                }
                Cond::Compare(l, op, r)
            }
            ast::CondKind::Exists(e) => {
                let (x, _) = self.expr(e, ctx)?;
                if !matches!(x, Expr::Lookup(_)) {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            e.span,
                            "`finns` asks whether a table has a value",
                        )
                        .help("write e.g. `standardtid[activity] finns`"),
                    );
                    return None;
                }
                Cond::Exists(x)
            }
            ast::CondKind::InTerm(id) => {
                let (i, _) = self.term_ref(id)?;
                Cond::InTerm(i)
            }
            ast::CondKind::Ref(id) => {
                if let Some(decl) = self.conditions.get(&id.node).copied() {
                    return self.named_condition(decl, ctx);
                }
                let (e, ty) =
                    self.expr(&Spanned::new(ast::ExprKind::Name(id.clone()), id.span), ctx)?;
                if ty != Ty::Bool {
                    self.type_error(id.span, ty, "ja/nej or a condition");
                    return None;
                }
                Cond::Compare(e, Cmp::Eq, Expr::Bool(true))
            }
        })
    }

    fn code_value(&mut self, col: CodeColumn, id: &ast::Ident) -> Option<Code> {
        if let Some(i) = self.code_index(col, &id.node) {
            return Some(i as Code);
        }
        let values = self
            .codes
            .values(col)
            .map(|v| v.to_vec())
            .unwrap_or_default();
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            id.span,
            format!("`{}` is not a declared `{}` code", id.node, col.column()),
        )
        .label("not declared");
        e = e.suggest_or(
            &id.node,
            values.iter().map(String::as_str),
            format!(
                "declared `{}` codes: {}; add it to `kod {}` if the tender has it",
                col.column(),
                values.join(", "),
                col.column()
            ),
        );
        self.err(e);
        None
    }

    fn type_error(&mut self, span: Span, got: Ty, want: &str) {
        self.err(
            CheckError::new(
                CheckKind::TypeMismatch,
                span,
                format!("expected {want}, found {}", got.describe()),
            )
            .label(got.describe()),
        );
    }

    fn unit_or_type(&mut self, span: Span, got: Ty, want: Unit, why: &str) {
        match got {
            Ty::Num(u) => self.err(
                CheckError::new(
                    CheckKind::UnitMismatch,
                    span,
                    format!("this is in {u}, expected {want}"),
                )
                .label(format!("{u}"))
                .help(why.to_string()),
            ),
            other => self.type_error(span, other, &format!("an amount in {want}")),
        }
    }

    /// A field of the data, if it is at hand in this context.
    fn field(&mut self, id: &ast::Ident, ctx: Ctx) -> Option<Field> {
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
        );
        let visit_only = matches!(
            f,
            Field::Code(CodeColumn::Kind) | Field::EventId | Field::Activity
        );
        let available = match (ctx, f) {
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
            let place = match ctx {
                _ if f == Field::Band => "a visit as a whole (a band keys lines: `rad per …`)",
                Ctx::Rows(RowSource::Visits) => "a visit",
                Ctx::Rows(RowSource::Activities) => "an activity",
                Ctx::Rows(RowSource::CustomerDays) => "a customer-day",
                Ctx::Rows(RowSource::Events) => "an event",
                Ctx::Customer => "a customer row",
                Ctx::Provider => "a provider (only `regime`)",
                Ctx::Cap | Ctx::Replace(_) => {
                    "a sum over lines (use `summa för kunddagar av …` to read customer rows)"
                }
            };
            self.err(
                CheckError::new(
                    CheckKind::Misplaced,
                    id.span,
                    format!("`{}` is not a field of {place}", id.node),
                )
                .label("not available here"),
            );
            return None;
        }
        if matches!(f, Field::Code(c) if self.codes.values(c).is_none()) {
            self.err(
                CheckError::new(
                    CheckKind::UnknownName,
                    id.span,
                    format!("the codes of `{}` are not declared", id.node),
                )
                .help(format!("declare them: `kod {}: value, value, …`", id.node)),
            );
            return None;
        }
        self.require_field(f);
        Some(f)
    }

    fn require_field(&mut self, f: Field) {
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

    fn unknown_name(&mut self, id: &ast::Ident, _ctx: Ctx) {
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
        names.extend(self.conditions.keys().cloned());
        for c in CodeColumn::ALL {
            names.push(c.column().to_string());
            if let Some(v) = self.codes.values(c) {
                names.extend(v.iter().cloned());
            }
        }
        let mut e = CheckError::new(
            CheckKind::UnknownName,
            id.span,
            format!("`{}` is not declared", id.node),
        )
        .label("unknown name");
        e = e.suggest_or(&id.node, names.iter().map(String::as_str), "a name is a field of the data, a quantity (betald_tid, tid, antal, dagsandel), a rate from a `tabell`, or a `villkor`");
        self.err(e);
    }

    fn expr(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<(Expr, Ty)> {
        Some(match &e.node {
            ast::ExprKind::Number(q) => {
                let (v, u) = self.quantity(q, e.span)?;
                (Expr::Num(v), Ty::Num(u))
            }
            ast::ExprKind::Date(s) => {
                let d = self.date(&Spanned::new(s.clone(), e.span))?;
                (Expr::Date(d), Ty::Date)
            }
            ast::ExprKind::Bool(b) => (Expr::Bool(*b), Ty::Bool),
            ast::ExprKind::Name(id) => {
                let measure = match id.node.as_str() {
                    "betald_tid" => Some((Measure::PaidTime, Unit::H, RowSource::Visits)),
                    "tid" => Some((Measure::Duration, Unit::H, RowSource::Visits)),
                    "antal" => Some((Measure::Count, Unit::ST, RowSource::Events)),
                    "dagsandel" => Some((Measure::DayShare, Unit::MONTH, RowSource::CustomerDays)),
                    _ => None,
                };
                if let Some((m, unit, home)) = measure {
                    let ok = match ctx {
                        Ctx::Rows(r) => m == Measure::Count || r == home,
                        // In `ersätter … när`, the term's own measure is its
                        // quantity for the customer.
                        Ctx::Replace(own) => m == own,
                        _ => false,
                    };
                    if !ok {
                        self.err(
                            CheckError::new(
                                CheckKind::Misplaced,
                                id.span,
                                format!("`{}` cannot be measured here", id.node),
                            )
                            .help(match m {
                                Measure::PaidTime | Measure::Duration => "time is measured on visits (`för besök`)",
                                Measure::DayShare => "`dagsandel` is measured on customer-days (`för kunddagar`, or `summa för kunddagar av …`)",
                                Measure::Count => "`antal` counts the rows a term selects",
                            }),
                        );
                        return None;
                    }
                    return Some((Expr::Measure(m), Ty::Num(unit)));
                }
                if self.rates.contains_key(&id.node) {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            id.span,
                            format!("the rate `{}` needs its key", id.node),
                        )
                        .help(format!(
                            "pick the cell: `{}[{}]`",
                            id.node,
                            self.rates[&id.node]
                                .keys
                                .iter()
                                .map(|(f, _)| self.fname(*f))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    return None;
                }
                let f = self.field(id, ctx)?;
                let ty = match f {
                    Field::Code(CodeColumn::Activities) => Ty::Set,
                    Field::Code(c) => Ty::Code(c),
                    Field::GrantedHours | Field::ApprovedExtraHours | Field::ReliefHours => {
                        Ty::Num(Unit::H / Unit::MONTH)
                    }
                    Field::Level => Ty::Num(Unit::NONE),
                    Field::Alarm | Field::Referral => Ty::Bool,
                    Field::HslFrom | Field::HslTo | Field::Date => Ty::Date,
                    Field::VisitId | Field::EventId | Field::Start => Ty::Text,
                    Field::Activity => Ty::Code(CodeColumn::Activities),
                    Field::Class(i) => Ty::Class(i),
                    Field::Band => Ty::Text,
                };
                (Expr::Field(f), ty)
            }
            ast::ExprKind::Lookup { table, keys } => {
                self.used.insert(table.node.clone());
                let Some(rate) = self.rates.get(&table.node) else {
                    let names: Vec<String> = self.rates.keys().cloned().collect();
                    let mut err = CheckError::new(
                        CheckKind::UnknownName,
                        table.span,
                        format!("no rate `{}` is declared", table.node),
                    )
                    .label("unknown rate");
                    err = match suggest(&table.node, names.iter().map(String::as_str)) {
                        Some(s) => {
                            // The misspelt use is the rate's use: no
                            // "unused" warning on top.
                            self.used.insert(s.clone());
                            err.help(format!("did you mean `{s}`?"))
                        }
                        None => err.help("declare it in a `tabell`"),
                    };
                    self.err(err);
                    return None;
                };
                let want: Vec<Field> = rate.keys.iter().map(|(f, _)| *f).collect();
                let (sizes, cells, unit) = (rate.sizes.clone(), rate.cells.clone(), rate.unit);
                let mut got = Vec::new();
                for k in keys {
                    got.push(self.field(k, ctx)?);
                }
                if got != want {
                    self.err(
                        CheckError::new(
                            CheckKind::Misplaced,
                            e.span,
                            format!(
                                "`{}` is keyed by {}",
                                table.node,
                                want.iter()
                                    .map(|f| self.fname(*f))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .help(format!(
                            "write `{}[{}]`",
                            table.node,
                            want.iter()
                                .map(|f| self.fname(*f))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    return None;
                }
                (
                    Expr::Lookup(Box::new(LookupTable {
                        keys: want,
                        sizes,
                        cells,
                    })),
                    Ty::Num(unit),
                )
            }
            ast::ExprKind::Binary { op, left, right } => {
                let (l, tl) = self.expr(left, ctx)?;
                let (r, tr) = self.expr(right, ctx)?;
                let (Ty::Num(ul), Ty::Num(ur)) = (tl, tr) else {
                    let (span, ty) = if matches!(tl, Ty::Num(_)) {
                        (right.span, tr)
                    } else {
                        (left.span, tl)
                    };
                    self.type_error(span, ty, "a number");
                    return None;
                };
                let (op, unit) = match op {
                    ast::BinOp::Add | ast::BinOp::Sub => {
                        if ul != ur {
                            self.err(
                                CheckError::new(
                                    CheckKind::UnitMismatch,
                                    e.span,
                                    format!("cannot add {ul} and {ur}"),
                                )
                                .label(format!("{ul} {} {ur}", if *op == ast::BinOp::Add { "+" } else { "−" }))
                                .help("only amounts of the same unit add up; did you forget a rate (× kr/h)?"),
                            );
                            return None;
                        }
                        (
                            if *op == ast::BinOp::Add {
                                Op::Add
                            } else {
                                Op::Sub
                            },
                            ul,
                        )
                    }
                    ast::BinOp::Mul => (Op::Mul, (ul * ur)),
                    ast::BinOp::Div => (Op::Div, (ul / ur)),
                };
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Num(unit))
            }
            ast::ExprKind::SumDays { filter, expr } => {
                if !matches!(ctx, Ctx::Cap | Ctx::Replace(_)) {
                    self.err(CheckError::new(
                        CheckKind::Misplaced,
                        e.span,
                        "`summa för kunddagar` belongs in a cap's bound",
                    ));
                    return None;
                }
                let inner = Ctx::Rows(RowSource::CustomerDays);
                let filter = match filter {
                    Some(c) => Some(Box::new(self.cond(c, inner)?)),
                    None => None,
                };
                let (x, ty) = self.expr(expr, inner)?;
                self.day_sums += 1;
                (
                    Expr::SumDays {
                        id: self.day_sums - 1,
                        filter,
                        expr: Box::new(x),
                    },
                    ty,
                )
            }
            ast::ExprKind::SumTerms(ids) => {
                if ctx != Ctx::Cap {
                    self.err(CheckError::new(
                        CheckKind::Misplaced,
                        e.span,
                        "`summa TERM` belongs in a cap's bound",
                    ));
                    return None;
                }
                let mut idx = Vec::new();
                for id in ids {
                    idx.push(self.term_ref(id)?.0);
                }
                (Expr::SumTerms(idx), Ty::Num(Unit::KR))
            }
        })
    }
}

/// `a × b ÷ c` → `[(a, false), (b, false), (c, true)]`.
fn flatten_product<'e>(e: &'e ast::Expr, out: &mut Vec<(&'e ast::Expr, bool)>) {
    match &e.node {
        ast::ExprKind::Binary {
            op: ast::BinOp::Mul,
            left,
            right,
        } => {
            flatten_product(left, out);
            flatten_product(right, out);
        }
        ast::ExprKind::Binary {
            op: ast::BinOp::Div,
            left,
            right,
        } => {
            flatten_product(left, out);
            out.push((right, true));
        }
        _ => out.push((e, false)),
    }
}

/// Whether an expression holds a measure, and whether it reads a row field
/// outside the line key (so it varies from row to row within a line).
fn row_dependence(e: &Expr, key: &[Field]) -> (bool, bool) {
    match e {
        Expr::Measure(_) => (true, false),
        Expr::Field(f) => (false, !key.contains(f) && !is_provider_field(*f)),
        Expr::Lookup(_) => (false, false),
        Expr::Binary(_, l, r) => {
            let (a, b) = row_dependence(l, key);
            let (c, d) = row_dependence(r, key);
            (a || c, b || d)
        }
        _ => (false, false),
    }
}

fn is_provider_field(f: Field) -> bool {
    f == Field::Code(CodeColumn::Regime)
}

/// A key field a lookup needs that the line key does not have.
fn lookup_key_missing(e: &Expr, key: &[Field]) -> Option<Field> {
    match e {
        Expr::Lookup(t) => t
            .keys
            .iter()
            .find(|f| !key.contains(f) && !is_provider_field(**f))
            .copied(),
        Expr::Binary(_, l, r) => lookup_key_missing(l, key).or_else(|| lookup_key_missing(r, key)),
        _ => None,
    }
}

/// Two equalities on one code field joined by `och` that cannot both hold:
/// `staff = omsorg och staff = rehab`.
fn contradiction(c: &Cond) -> Option<(CodeColumn, Code, Code)> {
    let Cond::And(parts) = c else { return None };
    let mut seen: Vec<(CodeColumn, Code)> = Vec::new();
    for p in parts {
        if let Cond::Compare(Expr::Field(Field::Code(col)), Cmp::Eq, Expr::Code(_, v)) = p {
            if let Some((_, w)) = seen.iter().find(|(c2, w)| c2 == col && w != v) {
                return Some((*col, *w, *v));
            }
            seen.push((*col, *v));
        }
    }
    None
}

/// Whether a `rad per` field is a field of the rows a term selects.
fn key_available(f: Field, rows: RowSource) -> bool {
    use RowSource::*;
    match f {
        Field::Code(CodeColumn::Regime) => true,
        Field::Code(CodeColumn::Zone) | Field::Level => {
            matches!(rows, Visits | Activities | CustomerDays)
        }
        Field::Code(CodeColumn::Staff | CodeColumn::Status) | Field::Class(_) => {
            matches!(rows, Visits | Activities)
        }
        Field::Code(CodeColumn::Kind) => rows == Events,
        Field::Activity => rows == Activities,
        Field::Band => rows == Visits,
        _ => false,
    }
}

fn has_day_sum(e: &Expr) -> bool {
    match e {
        Expr::SumDays { .. } => true,
        Expr::Binary(_, l, r) => has_day_sum(l) || has_day_sum(r),
        _ => false,
    }
}
