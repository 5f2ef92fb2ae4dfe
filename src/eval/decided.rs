//! What decided a refused visit, for an explanation: the engine check's
//! facts (the customer's row and its provider on the date, the duration
//! against the limit, …), or each declared field a rule's condition names
//! with the visit's value of it ("status = bom", "hsl_from = 2025-04-01"),
//! so a provider sees why without opening the data. Asked only for the
//! provider-month a run traces.

use crate::check::{Cond, Contract, Expr, Field};
use crate::data::{Cell, CustomerRow, DataFile, Ids, Visit};

use super::customers::{Customers, OnDate};
use super::parties::Parties;
use super::statement::{Detail, Reason, SourceRef};

/// The values a rule's requirement read of `v`, when `source` is one.
pub fn rule_values(
    contract: &Contract,
    source: &SourceRef,
    v: &Visit,
    customers: &Customers,
    parties: &Parties,
) -> Option<Detail> {
    let cond = contract.terms.iter().find_map(|t| match &t.kind {
        crate::check::TermKind::Pay(p) => p
            .requires
            .iter()
            .find(|r| &r.source == source)
            .map(|r| &r.cond),
        _ => None,
    })?;
    let row = match customers.on(v.customer, v.date()) {
        OnDate::One(row) => Some(row),
        _ => None,
    };
    let values = values(contract, cond, v, row, parties.values(v.provider));
    (!values.is_empty()).then_some(Detail::Values(values))
}

/// What decided an engine check's refusal of `v`.
pub fn engine_check(
    contract: &Contract,
    r: &Reason,
    v: &Visit,
    ids: &Ids,
    customers: &Customers,
) -> Option<Detail> {
    use crate::check::EngineCheck as C;
    let Reason::Check { check, .. } = r else {
        return None;
    };
    let customer = || ids.customer_name(v.customer).to_string();
    let date = v.date();
    Some(match check {
        C::ProviderDiffers => match customers.on(v.customer, date) {
            OnDate::One(row) => Detail::CustomerProvider {
                customer: customer(),
                provider: ids.provider_name(row.provider).to_string(),
                date,
            },
            _ => return None,
        },
        C::UnknownCustomer => Detail::NoCustomerRow {
            customer: customer(),
            date,
        },
        C::CustomerRowsOverlap => Detail::RowsOverlap {
            customer: customer(),
            date,
        },
        C::LongerThan { hours } => Detail::Duration {
            seconds: v.duration(),
            limit_hours: *hours,
        },
        C::EndNotAfterStart => Detail::NotAfterStart {
            seconds: v.duration(),
        },
        C::OutsideValidity => Detail::Outside {
            date,
            from: contract.valid_from,
            to: contract.valid_to,
        },
        C::Duplicate => return None,
    })
}

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
