//! The small inputs of a run, read once for every contract version:
//! providers, customers and events (they grow with customers, not visits),
//! with the columns any version needs, and — in a lenient run — the rows
//! that could not be read, as not-paid entries. providers.csv is read
//! first, so that its providers are the first ids (`parties`).

use crate::check::Contract;
use crate::data::{
    CustomerRow, DataDir, DataErrors, DataWarning, DeclaredColumn, Event, Ids, Provider, Reading,
    RowError, Schema,
};

use super::month::{Month, Period};
use super::statement::{NotPaid, NotPaidKind, Reason, SourceRef};

/// The schema the run reads with: the first version's declared fields
/// (every version declares the same, `pay::pay_with` checks), each read as
/// the version that reads it most needs (required over if-present over
/// unread).
pub fn run_schema(versions: &[Contract]) -> Schema {
    let rank = |r: Reading| match r {
        Reading::Unread => 0,
        Reading::IfPresent => 1,
        Reading::Required => 2,
    };
    let mut columns: Vec<DeclaredColumn> = versions
        .first()
        .map(|c| c.codes.columns().to_vec())
        .unwrap_or_default();
    for c in versions.iter().skip(1) {
        for (into, from) in columns.iter_mut().zip(c.codes.columns()) {
            if rank(from.reading) > rank(into.reading) {
                into.reading = from.reading;
            }
        }
    }
    let mut schema = versions
        .first()
        .map(|c| c.codes.clone())
        .unwrap_or_default();
    schema.declare_columns(columns);
    schema
}

pub struct Input {
    pub providers: Vec<Provider>,
    pub customers: Vec<CustomerRow>,
    pub events: Vec<Event>,
    /// Unreadable rows of a lenient run (providers, customers, events).
    pub skipped: Vec<NotPaid>,
    pub bad_events: u64,
}

/// A row that cannot be read, as a not-paid entry of a lenient run.
pub fn unreadable(kind: NotPaidKind, e: &RowError) -> NotPaid {
    NotPaid {
        kind,
        id: e
            .id
            .clone()
            .unwrap_or_else(|| format!("{}:{}", e.file, e.line)),
        reason: Reason::Unreadable {
            column: e.column_name.clone(),
            message: e.message.clone(),
            text: e.text.clone(),
        },
        source: Some(SourceRef {
            file: e.file.clone(),
            line: e.line as u32,
            col: e.column as u32,
        }),
        provider: None,
        period: None,
    }
}

impl Input {
    /// Reads the small files, interning their ids into `ids`; read errors
    /// are added to `errors` (a strict run stops on any, after visits.csv
    /// has been checked too), warnings to `warnings`.
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        data: &DataDir,
        codes: &crate::data::Schema,
        lenient: bool,
        period: Option<Period>,
        ids: &mut Ids,
        errors: &mut DataErrors,
        warnings: &mut Vec<DataWarning>,
    ) -> Input {
        fn take<T>(errors: &mut DataErrors, r: Result<Vec<T>, DataErrors>) -> Vec<T> {
            r.unwrap_or_else(|e| {
                errors.extend(e);
                Vec::new()
            })
        }
        fn partly<T>(
            errors: &mut DataErrors,
            r: Result<(Vec<T>, Vec<RowError>), DataErrors>,
        ) -> (Vec<T>, Vec<RowError>) {
            r.unwrap_or_else(|e| {
                errors.extend(e);
                (Vec::new(), Vec::new())
            })
        }
        let mut skipped = Vec::new();
        let (providers, customers) = if lenient {
            let (providers, bad_p) = partly(errors, data.providers_lenient(codes, ids, warnings));
            let (customers, bad_c) = partly(errors, data.customers_lenient(codes, ids, warnings));
            skipped.extend(
                bad_p
                    .iter()
                    .map(|e| unreadable(NotPaidKind::ProviderRow, e)),
            );
            skipped.extend(
                bad_c
                    .iter()
                    .map(|e| unreadable(NotPaidKind::CustomerRow, e)),
            );
            (providers, customers)
        } else {
            let providers = take(errors, data.providers(codes, ids, warnings));
            let customers = take(errors, data.customers(codes, ids, warnings));
            (providers, customers)
        };
        let mut events = Vec::new();
        let mut bad_events = 0;
        for r in take(errors, data.events(codes, ids, warnings)) {
            match r {
                Ok(e) => events.push(e),
                // A lenient run lists the row under its first bad cell, if
                // it may be of the months asked for (its date unknown, or
                // inside them).
                Err(e) if lenient => {
                    if e.date
                        .is_none_or(|d| period.is_none_or(|p| p.contains(Month::of(d))))
                    {
                        bad_events += 1;
                        skipped.push(unreadable(NotPaidKind::Event, e.first()));
                    }
                }
                Err(e) => errors.push_row(e),
            }
        }
        Input {
            providers,
            customers,
            events,
            skipped,
            bad_events,
        }
    }
}
