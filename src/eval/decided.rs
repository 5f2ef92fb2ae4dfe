//! What a rule's condition read of a refused visit, for an explanation:
//! each declared field the condition names, with the visit's value of it
//! ("status = bom", "hsl_from = 2025-04-01"), so a provider sees why the
//! condition did not hold without opening the data.

use crate::check::{Cond, Contract, Expr, Field};
use crate::data::{Cell, CustomerRow, DataFile, Visit};

/// The fields `cond` reads, in the order it names them, with the visit's
/// values (the customer row's and the provider's for their files).
pub fn values(
    contract: &Contract,
    cond: &Cond,
    visit: &Visit,
    row: Option<&CustomerRow>,
    provider: &[Cell],
) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    cond_fields(cond, &mut fields);
    let mut out: Vec<(String, String)> = Vec::new();
    for f in fields {
        let cell = match f {
            Field::Declared(DataFile::Visits, slot) => visit.values.get(slot as usize),
            Field::Declared(DataFile::Customers, slot) => {
                row.and_then(|r| r.values.get(slot as usize))
            }
            Field::Declared(DataFile::Providers, slot) => provider.get(slot as usize),
            Field::Date => {
                push(&mut out, "datum".to_string(), visit.date().to_string());
                continue;
            }
            _ => continue,
        };
        let name = contract.field_name(f);
        let value = match cell {
            None | Some(Cell::Empty) => "tomt".to_string(),
            Some(Cell::Flag(b)) => if *b { "ja" } else { "nej" }.to_string(),
            Some(Cell::Code(c)) => contract.value_name(f, *c),
            Some(Cell::Set(s)) => s
                .iter()
                .map(|c| contract.value_name(f, c))
                .collect::<Vec<_>>()
                .join("|"),
            Some(Cell::Number(n)) => n.written().normalize().to_string(),
            Some(Cell::Date(d)) => d.to_string(),
        };
        push(&mut out, name, value);
    }
    out
}

fn push(out: &mut Vec<(String, String)>, name: String, value: String) {
    if !out.iter().any(|(n, _)| *n == name) {
        out.push((name, value));
    }
}

fn cond_fields(c: &Cond, out: &mut Vec<Field>) {
    match c {
        Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| cond_fields(c, out)),
        Cond::Not(c) => cond_fields(c, out),
        Cond::HasAny(f, _) | Cond::HasOnly(f, _) => out.push(*f),
        Cond::Within(a, b, d) => [a, b, d].into_iter().for_each(|e| expr_fields(e, out)),
        Cond::Compare(a, _, b) => [a, b].into_iter().for_each(|e| expr_fields(e, out)),
        Cond::Exists(e) => expr_fields(e, out),
        Cond::InTerm(_) | Cond::At { .. } => {}
    }
}

fn expr_fields(e: &Expr, out: &mut Vec<Field>) {
    match e {
        Expr::Field(f) => out.push(*f),
        Expr::Lookup(t) => out.extend(t.keys.iter().copied()),
        Expr::Binary(_, a, b) => {
            expr_fields(a, out);
            expr_fields(b, out);
        }
        Expr::SumDays { .. }
        | Expr::SumTerms(_)
        | Expr::Num(_)
        | Expr::Date(_)
        | Expr::Bool(_)
        | Expr::Code(_)
        | Expr::Measure(_) => {}
    }
}
