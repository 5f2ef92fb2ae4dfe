//! Test fixtures shared by the reader's modules: a code book like the
//! bundled rule files', a data folder written to a temporary directory, and
//! the parts of an error a user needs to find the cell.

use chrono::{NaiveDate, NaiveDateTime};

use super::error::{DataErrors, RowError};
use super::model::{CodeBook, CodeColumn, CustomerRow, Ids, Visit};
use super::read::{CUSTOMERS, DataDir, RowResult, VISITS};
use super::time;

pub(super) fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

pub(super) fn codes() -> CodeBook {
    let mut codes = CodeBook::default();
    codes.declare(
        CodeColumn::Staff,
        strings(&["omsorg", "sjuksköterska", "rehab"]),
    );
    codes.declare(
        CodeColumn::Activities,
        strings(&[
            "dusch",
            "inköp",
            "städning",
            "tvätt",
            "delegering_läkemedel",
        ]),
    );
    codes.declare(CodeColumn::Status, strings(&["bom", "utförd"]));
    codes.declare(
        CodeColumn::Zone,
        strings(&["tätort", "landsbygd", "skärgård"]),
    );
    codes.declare(CodeColumn::Kind, strings(&["sip_leda", "teamkonferens"]));
    codes.declare(CodeColumn::Regime, strings(&["privat", "kommunal"]));
    codes
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
    codes: &CodeBook,
    required: &[&str],
    ids: &mut Ids,
) -> Result<Vec<RowResult<Visit>>, DataErrors> {
    let file = data.open_visits()?;
    let rows = file.rows(codes, required, ids)?.collect();
    Ok(rows)
}

pub(super) fn visits(content: &str) -> Vec<First<Visit>> {
    visits_with(content.as_bytes(), &codes())
}

/// The rows of a visits.csv, and the ids they were read into.
pub(super) fn visits_and_ids(content: &str) -> (Vec<First<Visit>>, Ids) {
    let (_tmp, data) = dir(&[(VISITS, content.as_bytes())]);
    let mut ids = Ids::default();
    let rows = visit_rows(&data, &codes(), &[], &mut ids).unwrap();
    (first_errors(rows), ids)
}

pub(super) fn visits_with(content: &[u8], codes: &CodeBook) -> Vec<First<Visit>> {
    let (_tmp, data) = dir(&[(VISITS, content)]);
    first_errors(visit_rows(&data, codes, &[], &mut Ids::default()).unwrap())
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
    let rows = data.customers(&codes(), &[], &mut ids, &mut Vec::new());
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
