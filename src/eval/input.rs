//! The small inputs of a run, read once for every contract version:
//! providers, customers and events (they grow with customers, not visits),
//! with the columns any version needs, and — in a lenient run — the rows
//! that could not be read, as not-paid entries. providers.csv is read
//! first, so that its providers are the first ids (`parties`).

use crate::check::{Contract, Required};
use crate::data::{CustomerRow, DataDir, DataErrors, DataWarning, Event, Ids, Provider, RowError};

use super::month::{Month, Period};
use super::statement::{NotPaid, NotPaidKind, Reason, SourceRef};

/// The columns every version of the run reads, in first-use order.
pub fn required(versions: &[Contract]) -> Required {
    let mut all = Required::default();
    for c in versions {
        let r = &c.required;
        for (into, from) in [
            (&mut all.visits, &r.visits),
            (&mut all.customers, &r.customers),
            (&mut all.events, &r.events),
            (&mut all.providers, &r.providers),
        ] {
            for col in from {
                if !into.contains(col) {
                    into.push(*col);
                }
            }
        }
    }
    all
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
        codes: &crate::data::CodeBook,
        req: &Required,
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
            let (providers, bad_p) = partly(
                errors,
                data.providers_lenient(codes, &req.providers, ids, warnings),
            );
            let (customers, bad_c) = partly(
                errors,
                data.customers_lenient(codes, &req.customers, ids, warnings),
            );
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
            let providers = take(errors, data.providers(codes, &req.providers, ids, warnings));
            let customers = take(errors, data.customers(codes, &req.customers, ids, warnings));
            (providers, customers)
        };
        let mut events = Vec::new();
        let mut bad_events = 0;
        for r in take(errors, data.events(codes, &req.events, ids, warnings)) {
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
