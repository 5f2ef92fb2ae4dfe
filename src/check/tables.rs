//! `tabell`: rates as a column or a grid of cells keyed by declared codes;
//! every key value exactly once, every cell in one unit.

use crate::syntax::{self as ast, Span, Spanned};

use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::units::Unit;

/// A table cell whose key is unknown or repeated (reported; not stored).
pub(super) const SKIP: usize = usize::MAX;

pub(super) use super::types::Rate;

impl Checker<'_> {
    pub(super) fn table(&mut self, t: &ast::Table) {
        let mut dims = Vec::new();
        for d in &t.dims {
            match self.key_field(d) {
                Some((f, n)) => dims.push((f, n, d.span)),
                None => return,
            }
        }
        let values_of = |c: &Checker, f: Field| -> Vec<String> { c.code_values(f) };
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
                        positions.push(if r == SKIP || c == SKIP {
                            SKIP
                        } else {
                            r * n2 + c
                        });
                        flat.push(cell);
                    }
                }
                self.add_rate(
                    name,
                    vec![(*f1, *s1), (*f2, *s2)],
                    vec![*n1, *n2],
                    &positions,
                    &flat,
                );
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
            _ => self.err(t.span, Error::TableShape),
        }
    }

    pub(super) fn cell_count(&mut self, row: &ast::TableRow, want: usize) {
        self.err(
            row.span,
            Error::CellCount {
                row: row.label.node.clone(),
                cells: row.cells.len(),
                columns: want,
            },
        );
    }

    /// Checks that a table axis lists every value of a key exactly once;
    /// returns each cell's position in declaration order.
    pub(super) fn axis(
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
                        c.span,
                        Error::DuplicateKey {
                            value: c.node.clone(),
                        },
                    );
                    ok = false;
                }
                Some(i) => {
                    seen[i] = true;
                    order.push(i);
                }
                None => {
                    order.push(SKIP);
                    self.err(
                        c.span,
                        Error::UnknownKeyValue {
                            value: c.node.clone(),
                            field: fname.clone(),
                            values: values.to_vec(),
                            suggestion: suggest(&c.node, values.iter().map(String::as_str)),
                        },
                    );
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
                table,
                Error::IncompleteTable {
                    field: fname,
                    missing: missing.iter().map(|m| m.to_string()).collect(),
                },
            );
        }
        // The rates exist even when the axis has faults (without those
        // cells), so their uses are checked instead of each reporting
        // "no rate".
        Some(order)
    }

    pub(super) fn add_rate(
        &mut self,
        name: &ast::Ident,
        keys: Vec<(Field, Span)>,
        sizes: Vec<usize>,
        order: &[usize],
        cells: &[&Spanned<Option<ast::QuantityLit>>],
    ) {
        let total: usize = sizes.iter().product();
        let mut values = vec![None; total];
        let mut read: Vec<(usize, Exact, Unit, Span)> = Vec::new();
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
            read.push((*pos, v, u, cell.span));
        }
        // The row's unit is the one most of its cells have (the first of
        // equally many): one odd cell is the one blamed, and the rate is
        // still declared, so its uses are checked rather than each saying
        // "no rate".
        let count = |u: Unit| read.iter().filter(|(_, _, w, _)| *w == u).count();
        let unit =
            read.iter()
                .map(|(_, _, u, _)| *u)
                .fold(None, |best: Option<Unit>, u| match best {
                    Some(b) if count(b) >= count(u) => Some(b),
                    _ => Some(u),
                });
        for (pos, v, u, span) in read.iter().copied() {
            if Some(u) != unit {
                self.err(
                    span,
                    Error::MixedCellUnits {
                        rate: name.node.clone(),
                        unit: u,
                        others: unit.unwrap_or(Unit::NONE),
                    },
                );
                continue;
            }
            values[pos] = Some(v);
        }
        if self.rates.contains_key(&name.node) {
            self.err(
                name.span,
                Error::DuplicateRate {
                    name: name.node.clone(),
                },
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
                unit: unit.unwrap_or(Unit::NONE),
            },
        );
    }
}
