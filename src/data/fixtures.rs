//! Test fixtures shared by the reader's modules: a schema like the
//! standard fields', a data folder written to a temporary directory, and
//! the parts of an error a user needs to find the cell.

use chrono::{NaiveDate, NaiveDateTime};

use super::error::{DataErrors, RowError};
use num_rational::Ratio;

use super::model::{
    Cell, ColumnKind, CustomerRow, DataFile, DeclaredColumn, Ids, Reading, Schema, Visit,
};
use super::read::{CUSTOMERS, DataDir, RowResult, VISITS};
use super::time;

pub(super) fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn column(name: &str, file: DataFile, kind: ColumnKind, empty: Option<Cell>) -> DeclaredColumn {
    let reading = if empty.is_some() || matches!(kind, ColumnKind::Codes(_)) {
        Reading::IfPresent
    } else {
        Reading::Required
    };
    DeclaredColumn {
        name: name.to_string(),
        file,
        kind,
        empty,
        undeclared_empty: None,
        reading,
    }
}

fn hours() -> ColumnKind {
    ColumnKind::Number {
        factor: Ratio::from_integer(1),
        unit: "h/mån".into(),
    }
}

/// A schema like the standard fields' (`rules/prelude/standard.taxa`) with
/// codes like the bundled rule files', every field read. Slots: visits
/// `staff` 0, `staff_count` 1, `activities` 2, `status` 3; customers
/// `zone` 0, `granted_hours` 1, `approved_extra_hours` 2, `hsl_from` 3,
/// `hsl_to` 4, `referral` 5, `level` 6, `alarm` 7, `relief_hours` 8;
/// events `kind` 0; providers `regime` 0.
pub(super) fn codes() -> Schema {
    use DataFile::*;
    let zero = Some(Cell::Number(crate::data::Number::integer(0)));
    let mut codes = Schema::default();
    codes.declare_columns(vec![
        column(
            "staff",
            Visits,
            ColumnKind::Code(strings(&["omsorg", "sjuksköterska", "rehab"])),
            None,
        ),
        column(
            "staff_count",
            Visits,
            ColumnKind::Integer { min: 1, max: 20 },
            Some(Cell::Number(crate::data::Number::integer(1))),
        ),
        column(
            "activities",
            Visits,
            ColumnKind::Codes(strings(&[
                "dusch",
                "inköp",
                "städning",
                "tvätt",
                "delegering_läkemedel",
            ])),
            None,
        ),
        column(
            "status",
            Visits,
            ColumnKind::Code(strings(&["bom", "utförd"])),
            Some(Cell::Code(1)),
        ),
        column(
            "zone",
            Customers,
            ColumnKind::Code(strings(&["tätort", "landsbygd", "skärgård"])),
            None,
        ),
        column("granted_hours", Customers, hours(), zero),
        column("approved_extra_hours", Customers, hours(), zero),
        column("hsl_from", Customers, ColumnKind::Date, Some(Cell::Empty)),
        column("hsl_to", Customers, ColumnKind::Date, Some(Cell::Empty)),
        column(
            "referral",
            Customers,
            ColumnKind::Flag,
            Some(Cell::Flag(false)),
        ),
        column(
            "level",
            Customers,
            ColumnKind::Integer { min: 1, max: 29 },
            Some(Cell::Empty),
        ),
        column(
            "alarm",
            Customers,
            ColumnKind::Flag,
            Some(Cell::Flag(false)),
        ),
        column("relief_hours", Customers, hours(), zero),
        column(
            "kind",
            Events,
            ColumnKind::Code(strings(&["sip_leda", "teamkonferens"])),
            None,
        ),
        column(
            "regime",
            Providers,
            ColumnKind::Code(strings(&["privat", "kommunal"])),
            None,
        ),
    ]);
    codes
}

/// A code cell's index (tests read cells by slot).
pub(super) fn code(values: &[Cell], slot: usize) -> u16 {
    match values[slot] {
        Cell::Code(c) => c,
        other => panic!("slot {slot} is {other:?}, not a code"),
    }
}

/// A number cell as an exact value (tests read cells by slot).
pub(super) fn number(values: &[Cell], slot: usize) -> Option<Ratio<i128>> {
    match values[slot] {
        Cell::Number(n) => Some(n.exact()),
        _ => None,
    }
}

pub(super) fn dir(files: &[(&str, &[u8])]) -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(tmp.path().join(name), content).unwrap();
    }
    let data = DataDir::new(tmp.path());
    (tmp, data)
}

/// A row read, or the error of its first bad cell (most tests break one).
pub(super) type First<T> = Result<T, RowError>;

/// One pass over visits.csv of `data`, opened for it.
pub(super) fn visit_rows(
    data: &DataDir,
    codes: &Schema,
    ids: &mut Ids,
) -> Result<Vec<RowResult<Visit>>, DataErrors> {
    let file = data.open_visits()?;
    let rows = file.rows(codes, ids)?.collect();
    Ok(rows)
}

pub(super) fn visits(content: &str) -> Vec<First<Visit>> {
    visits_with(content.as_bytes(), &codes())
}

/// The rows of a visits.csv, and the ids they were read into.
pub(super) fn visits_and_ids(content: &str) -> (Vec<First<Visit>>, Ids) {
    let (_tmp, data) = dir(&[(VISITS, content.as_bytes())]);
    let mut ids = Ids::default();
    let rows = visit_rows(&data, &codes(), &mut ids).unwrap();
    (first_errors(rows), ids)
}

pub(super) fn visits_with(content: &[u8], codes: &Schema) -> Vec<First<Visit>> {
    let (_tmp, data) = dir(&[(VISITS, content)]);
    first_errors(visit_rows(&data, codes, &mut Ids::default()).unwrap())
}

// Tests only: the reader itself yields `RowErrors`, a vector.
#[allow(clippy::result_large_err)]
pub(super) fn first_errors<T>(rows: Vec<RowResult<T>>) -> Vec<First<T>> {
    rows.into_iter()
        .map(|r| r.map_err(|e| e.first().clone()))
        .collect()
}

pub(super) fn customers(content: &str) -> Result<Vec<CustomerRow>, DataErrors> {
    customers_and_ids(content).0
}

/// The rows of a customers.csv, and the ids they were read into.
pub(super) fn customers_and_ids(content: &str) -> (Result<Vec<CustomerRow>, DataErrors>, Ids) {
    let (_tmp, data) = dir(&[(CUSTOMERS, content.as_bytes())]);
    let mut ids = Ids::default();
    let rows = data.customers(&codes(), &mut ids, &mut Vec::new());
    (rows, ids)
}

pub(super) fn customer_errors(content: &str) -> Vec<RowError> {
    let errors = customers(content).unwrap_err();
    assert!(errors.file_errors.is_empty(), "{:?}", errors.file_errors);
    errors.errors
}

/// (line, column, column name, text) of each error, the parts a user needs
/// to find the cell.
pub(super) fn places(errors: &[RowError]) -> Vec<(u64, usize, &str, &str)> {
    errors
        .iter()
        .map(|e| (e.line, e.column, e.column_name.as_str(), e.text.as_str()))
        .collect()
}

pub(super) fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
}

pub(super) fn date(text: &str) -> NaiveDate {
    time::parse_date(text).unwrap()
}

pub(super) const VISIT_HEADER: &str =
    "visit_id,provider,customer,staff,start,end,staff_count,activities,status\n";
