//! Writes `data-xlsx/`: the export of `data/` as Excel workbooks, one per
//! file, as a municipality's system would write them — dates and times as
//! date cells, counts, minutes and hours as number cells, everything else
//! as text, an empty cell left out.
//!
//!     cargo run --example make-xlsx
//!
//! The workbooks are checked in; `tests/xlsx.rs` pays them and compares the
//! result with `data/`'s byte for byte, and builds its broken workbooks
//! with the functions below.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, XlsxError};

/// The four files and their sheets' names.
pub const FILES: [(&str, &str); 4] = [
    ("visits", "Besök"),
    ("customers", "Kunder"),
    ("events", "Händelser"),
    ("providers", "Utförare"),
];

/// How a column is typed in the workbook, by its header.
enum Kind {
    Text,
    Number,
    Date,
    DateTime,
}

fn kind(header: &str) -> Kind {
    match header {
        "Starttid" | "Sluttid" => Kind::DateTime,
        "Från" | "Till" => Kind::Date,
        h if h.ends_with("datum") || h.ends_with("Datum") => Kind::Date,
        "Antal personal" | "Planerad tid" => Kind::Number,
        h if h.starts_with("Beviljad tid") => Kind::Number,
        _ => Kind::Text,
    }
}

/// `2025-03-03 08:00[:SS]` or `2025-03-03` as an Excel date.
fn datetime(text: &str) -> Result<ExcelDateTime, XlsxError> {
    let number = |s: &str| s.parse::<u16>().map_err(|_| bad(text));
    let (date, time) = text.split_once(' ').unwrap_or((text, ""));
    let d: Vec<u16> = date.split('-').map(number).collect::<Result<_, _>>()?;
    let [y, m, day] = d[..] else {
        return Err(bad(text));
    };
    let date = ExcelDateTime::from_ymd(y, m as u8, day as u8)?;
    if time.is_empty() {
        return Ok(date);
    }
    let t: Vec<u16> = time.split(':').map(number).collect::<Result<_, _>>()?;
    match t[..] {
        [h, min] => date.and_hms(h, min as u8, 0),
        [h, min, s] => date.and_hms(h, min as u8, s),
        _ => Err(bad(text)),
    }
}

fn bad(text: &str) -> XlsxError {
    XlsxError::ParameterError(format!("not a date: {text}"))
}

/// A workbook of one sheet holding a `;`-separated CSV text (no quoted
/// cells): the header as text, the rows typed by their column's header. A
/// cell `#N/A` or `#DIV/0!` becomes a formula whose result is that error,
/// as Excel saves it.
pub fn workbook(sheet: &str, csv: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time keeps the file the same from run to run.
    let created = ExcelDateTime::from_ymd(2025, 4, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
    for (c, name) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *name)?;
    }
    for (r, line) in lines.enumerate() {
        let row = r as u32 + 1;
        for (c, cell) in line.split(';').enumerate() {
            let col = c as u16;
            let column = header.get(c).copied().unwrap_or_default();
            match (cell, kind(column)) {
                ("", _) => continue,
                ("#N/A", _) => {
                    ws.write_formula(row, col, Formula::new("=NA()").set_result("#N/A"))?
                }
                ("#DIV/0!", _) => {
                    ws.write_formula(row, col, Formula::new("=1/0").set_result("#DIV/0!"))?
                }
                (text, Kind::Text) => ws.write_string(row, col, text)?,
                (text, Kind::Number) => match text.replace(',', ".").parse::<f64>() {
                    Ok(n) => ws.write_number(row, col, n)?,
                    Err(_) => ws.write_string(row, col, text)?,
                },
                (text, Kind::Date) => match datetime(text) {
                    Ok(d) => ws.write_datetime_with_format(row, col, &d, &date)?,
                    Err(_) => ws.write_string(row, col, text)?,
                },
                (text, Kind::DateTime) => match datetime(text) {
                    Ok(d) => ws.write_datetime_with_format(row, col, &d, &date_time)?,
                    Err(_) => ws.write_string(row, col, text)?,
                },
            };
        }
    }
    book.save_to_buffer()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kommunexport");
    for (file, sheet) in FILES {
        let csv = std::fs::read_to_string(dir.join("data").join(format!("{file}.csv")))?;
        let out = dir.join("data-xlsx").join(format!("{file}.xlsx"));
        std::fs::write(&out, workbook(sheet, &csv)?)?;
    }
    Ok(())
}
