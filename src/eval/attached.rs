//! The rows of the files a rule file declares of its own (`fil`), indexed
//! for "which row attaches to this customer (or provider) on this date".
//!
//! A row attaches to a visit (and its activities) when its customer (or
//! provider) is the visit's and its interval covers the visit's local start
//! date; to a customer-day when it covers that day; to an event by the
//! event's customer (none when the event names none) or provider and its
//! date; to a customer row on a fund's basis date; and — a per-provider
//! file only — to a provider-month (caps, supplements, `ersätter`) on the
//! month's first day.
//!
//! Rows of one key that overlap are a problem of meaning, not a stop: a
//! warning names both, and on the dates both cover the row that starts
//! first is read (of two that start the same day, the one that ends first;
//! then the one whose cells come first). So the answer never depends on the
//! file's row order. The index resolves that once, into disjoint date
//! segments per key sorted by start: a lookup is one array access and a
//! binary search over the key's segments, never a scan. Memory grows with
//! the files' rows, like customers'.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::check::Contract;
use crate::data::{
    Cell, CustomerId, DataDir, DataErrors, DataWarning, DataWarningKind, Ids, OwnFile, OwnRow, Per,
    ProviderId, Schema,
};

use super::input::unreadable;
use super::statement::{NotPaid, NotPaidKind};

/// The rows of every own file of a run, indexed.
#[derive(Debug, Default)]
pub struct OwnFiles {
    files: Vec<Index>,
}

/// One own file's rows.
#[derive(Debug)]
struct Index {
    per: Per,
    rows: Vec<OwnRow>,
    /// Disjoint date intervals, grouped by key and sorted by start, each
    /// with the row read there.
    segments: Vec<Segment>,
    /// Where each key id's segments start in `segments` (by id), the next
    /// entry where they end; ids past the end have none.
    starts: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    from: NaiveDate,
    to: NaiveDate,
    row: u32,
}

/// An open start or end as the first or last date there is.
fn span(row: &OwnRow) -> (NaiveDate, NaiveDate) {
    (
        row.from.unwrap_or(NaiveDate::MIN),
        row.to.unwrap_or(NaiveDate::MAX),
    )
}

/// An order of cells that does not depend on the file (for rows of one key
/// and interval): cells order by kind, then value.
fn cmp_cells(a: &[Cell], b: &[Cell]) -> Ordering {
    a.cmp(b)
}

/// `2025-03-01 – 2025-03-10`, an open end as `…`.
fn interval(row: &OwnRow) -> String {
    let d = |d: Option<NaiveDate>| d.map_or("…".to_string(), |d| d.to_string());
    format!("{} – {}", d(row.from), d(row.to))
}

impl Index {
    fn new(
        own: &OwnFile,
        mut rows: Vec<OwnRow>,
        ids: &Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Index {
        rows.sort_by(|a, b| {
            (a.key, span(a))
                .cmp(&(b.key, span(b)))
                .then_with(|| cmp_cells(&a.cells, &b.cells))
        });
        let name = |key: u32| match own.per {
            Per::Customer => format!("customer {}", ids.customer_name(CustomerId(key))),
            Per::Provider => format!("provider {}", ids.provider_name(ProviderId(key))),
        };
        let warning = |kind, row: &OwnRow, message: String| DataWarning {
            kind,
            file: own.file.clone(),
            line: row.line,
            column: 0,
            message,
        };
        let mut found = Vec::new();
        let mut segments: Vec<(u32, Segment)> = Vec::new();
        // The last date a row of the current key covers, and that row.
        let mut covered: Option<(u32, NaiveDate, usize)> = None;
        for (i, row) in rows.iter().enumerate() {
            let (from, to) = span(row);
            if from > to {
                let message = format!(
                    "the row of {} ends before it starts ({}): it attaches to no date",
                    name(row.key),
                    interval(row)
                );
                found.push(warning(DataWarningKind::EmptyInterval, row, message));
                continue;
            }
            let start = match covered {
                Some((key, until, by)) if key == row.key && until >= from => {
                    let first = &rows[by];
                    let message = format!(
                        "the row of {} ({}) overlaps the one on line {} ({}): on the dates \
                         both cover, line {} is read (the row that starts first)",
                        name(row.key),
                        interval(row),
                        first.line,
                        interval(first),
                        first.line
                    );
                    found.push(warning(DataWarningKind::OverlappingRows, row, message));
                    match until.succ_opt() {
                        Some(next) if next <= to => next,
                        _ => continue,
                    }
                }
                _ => from,
            };
            segments.push((
                row.key,
                Segment {
                    from: start,
                    to,
                    row: i as u32,
                },
            ));
            let later = covered.is_none_or(|(key, until, _)| key != row.key || to > until);
            if later {
                covered = Some((row.key, to, i));
            }
        }
        found.sort_by_key(|w| w.line);
        warnings.extend(found);
        let ids_seen = segments.last().map_or(0, |(key, _)| *key as usize + 1);
        let mut starts = vec![0u32; ids_seen + 1];
        for (key, _) in &segments {
            starts[*key as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        Index {
            per: own.per,
            rows,
            segments: segments.into_iter().map(|(_, s)| s).collect(),
            starts,
        }
    }

    /// The row of `key` that attaches on `date`.
    fn on(&self, key: u32, date: NaiveDate) -> Option<&OwnRow> {
        let k = key as usize;
        let (a, b) = (
            *self.starts.get(k)? as usize,
            *self.starts.get(k + 1)? as usize,
        );
        let segments = &self.segments[a..b];
        let after = segments.partition_point(|s| s.from <= date);
        let s = segments.get(after.checked_sub(1)?)?;
        (date <= s.to).then(|| &self.rows[s.row as usize])
    }
}

impl OwnFiles {
    /// Reads the own files the first version declares (versions paid in
    /// one run declare the same; `pay` checks it), interning their ids into
    /// `ids`. Read errors are added to `errors` (a strict run stops on
    /// any); a lenient run lists an unreadable row as not paid instead and
    /// reads the others. Warnings (overlapping rows, a row that ends before
    /// it starts) are added to `warnings`.
    pub fn read(
        data: &DataDir,
        contract: &Contract,
        codes: &Schema,
        lenient: bool,
        ids: &mut Ids,
        errors: &mut DataErrors,
        warnings: &mut Vec<DataWarning>,
    ) -> (OwnFiles, Vec<NotPaid>) {
        let mut files = Vec::new();
        let mut skipped = Vec::new();
        for (k, own) in contract.files.iter().enumerate() {
            let rows = match data.own_rows(k as u8, own, codes, ids, warnings) {
                Ok((rows, bad)) if lenient => {
                    skipped.extend(bad.iter().map(|e| unreadable(NotPaidKind::FileRow, e)));
                    rows
                }
                Ok((rows, bad)) => {
                    for e in bad {
                        errors.push(e);
                    }
                    rows
                }
                Err(e) => {
                    errors.extend(e);
                    Vec::new()
                }
            };
            files.push(Index::new(own, rows, ids, warnings));
        }
        (OwnFiles { files }, skipped)
    }
}

/// Who and when a row a term reads is about: what the own files' rows
/// attach to. Cheap to copy; a lookup happens only when a term reads a
/// field of an own file.
#[derive(Debug, Clone, Copy)]
pub struct Attach<'a> {
    files: &'a OwnFiles,
    customer: Option<CustomerId>,
    provider: Option<ProviderId>,
    date: NaiveDate,
}

impl<'a> Attach<'a> {
    /// A visit, a customer-day, an event or a customer row on a date.
    pub fn new(
        files: &'a OwnFiles,
        customer: Option<CustomerId>,
        provider: ProviderId,
        date: NaiveDate,
    ) -> Attach<'a> {
        Attach {
            files,
            customer,
            provider: Some(provider),
            date,
        }
    }

    /// A provider-month: per-provider rows on the month's first day.
    pub fn provider_month(
        files: &'a OwnFiles,
        provider: ProviderId,
        first: NaiveDate,
    ) -> Attach<'a> {
        Attach::new(files, None, provider, first)
    }

    /// The cells of own file `k`'s row that attaches, if one does.
    #[inline]
    pub fn row(&self, k: u8) -> Option<&'a [Cell]> {
        let file = self.files.files.get(k as usize)?;
        let key = match file.per {
            Per::Customer => self.customer?.0,
            Per::Provider => self.provider?.0,
        };
        file.on(key, self.date).map(|r| &*r.cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(ids: &mut Ids, c: &str, from: &str, to: &str, code: u16, line: u64) -> OwnRow {
        let date = |s: &str| (!s.is_empty()).then(|| d(s));
        OwnRow {
            key: ids.customer(c).0,
            from: date(from),
            to: date(to),
            cells: [Cell::Code(code)].into_iter().collect(),
            line,
        }
    }

    fn absence() -> OwnFile {
        OwnFile {
            name: "frånvaro".into(),
            file: "frånvaro.csv".into(),
            per: Per::Customer,
        }
    }

    #[test]
    fn the_row_covering_the_date_attaches_and_overlaps_go_to_the_first() {
        let mut ids = Ids::default();
        let rows = vec![
            row(&mut ids, "K2", "2025-03-08", "2025-03-12", 1, 3),
            row(&mut ids, "K1", "2025-03-20", "", 0, 4),
            row(&mut ids, "K2", "2025-03-01", "2025-03-10", 0, 2),
            row(&mut ids, "K1", "2025-03-05", "2025-03-01", 0, 5),
        ];
        let k3 = ids.customer("K3");
        let mut warnings = Vec::new();
        let files = OwnFiles {
            files: vec![Index::new(&absence(), rows, &ids, &mut warnings)],
        };
        let at = |c: &str, date: &str| {
            let c = ids.find_customer(c).unwrap();
            let a = Attach::new(&files, Some(c), ProviderId(0), d(date));
            a.row(0).map(|cells| cells[0])
        };
        assert_eq!(at("K2", "2025-02-28"), None);
        assert_eq!(at("K2", "2025-03-01"), Some(Cell::Code(0)));
        assert_eq!(
            at("K2", "2025-03-10"),
            Some(Cell::Code(0)),
            "the first by start"
        );
        assert_eq!(at("K2", "2025-03-11"), Some(Cell::Code(1)));
        assert_eq!(at("K2", "2025-03-12"), Some(Cell::Code(1)));
        assert_eq!(at("K2", "2025-03-13"), None);
        assert_eq!(at("K1", "2025-03-19"), None);
        assert_eq!(at("K1", "9999-12-31"), Some(Cell::Code(0)), "open end");
        assert_eq!(
            at("K1", "2025-03-03"),
            None,
            "an inverted row covers nothing"
        );
        assert_eq!(
            Attach::new(&files, Some(k3), ProviderId(0), d("2025-03-10")).row(0),
            None
        );
        assert_eq!(
            Attach::new(&files, None, ProviderId(0), d("2025-03-10")).row(0),
            None,
            "an event without a customer"
        );
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            shown,
            [
                "frånvaro.csv:3: the row of customer K2 (2025-03-08 – 2025-03-12) overlaps the \
                 one on line 2 (2025-03-01 – 2025-03-10): on the dates both cover, line 2 is \
                 read (the row that starts first)",
                "frånvaro.csv:5: the row of customer K1 ends before it starts (2025-03-05 – \
                 2025-03-01): it attaches to no date",
            ]
        );
    }

    #[test]
    fn a_row_inside_an_earlier_one_is_never_read_and_the_order_of_rows_does_not_matter() {
        let mut ids = Ids::default();
        let mut rows = vec![
            row(&mut ids, "K1", "", "2025-03-31", 0, 2),
            row(&mut ids, "K1", "2025-03-10", "2025-03-12", 1, 3),
            row(&mut ids, "K1", "2025-03-10", "2025-03-12", 2, 4),
            row(&mut ids, "K1", "2025-04-02", "2025-04-03", 3, 5),
        ];
        let mut seen = Vec::new();
        for _ in 0..2 {
            let files = OwnFiles {
                files: vec![Index::new(&absence(), rows.clone(), &ids, &mut Vec::new())],
            };
            let k1 = ids.find_customer("K1").unwrap();
            let at = |date: &str| {
                Attach::new(&files, Some(k1), ProviderId(0), d(date))
                    .row(0)
                    .map(|c| c[0])
            };
            seen.push([
                at("2025-03-11"),
                at("2025-04-01"),
                at("2025-04-02"),
                at("1900-01-01"),
            ]);
            rows.reverse();
        }
        assert_eq!(seen[0], seen[1]);
        assert_eq!(
            seen[0],
            [
                Some(Cell::Code(0)),
                None,
                Some(Cell::Code(3)),
                Some(Cell::Code(0))
            ]
        );
    }
}
