//! Excel workbooks as input: `visits.xlsx`, `customers.xlsx`, `events.xlsx`
//! and `providers.xlsx` read in place of the CSV file of the same name.
//!
//! The workbook is read with `calamine` (we do not write an xlsx reader of
//! our own). Its first visible worksheet is the one read; its first row with
//! a value is the header, as in CSV. Every row then goes through the same
//! code as a CSV record: the sheet is written out once as an RFC 4180 CSV
//! file (an anonymous temporary file, removed by the system when closed),
//! and that file is read by `csv`'s tokenizer, `layout`, `cells` and
//! `values` like any export — header mapping (`rubriker`), required
//! columns, the cell parsers and their messages are the CSV ones, not a copy.
//! visits.xlsx is written out when it is opened, so the run's passes
//! (`open`: every pass re-reads visits) read that one file, as they read a
//! CSV file.
//!
//! A cell becomes the text a CSV export would hold:
//! - a string as it is; an integer as an integer; `TRUE`/`FALSE` as
//!   `ja`/`nej`; an empty cell as empty;
//! - a number by Rust's shortest round-trip `Display` of the f64 Excel
//!   stores: for a number typed with at most 15 significant digits that is
//!   the decimal that was typed (`12.5`, `0.1`), which the cell parsers then
//!   read exactly. It is parsing, not arithmetic: no float reaches an amount
//!   any other way;
//! - a date or date-time cell as `YYYY-MM-DD` when its time is 0 and its
//!   column is a date column (`from`, `to`, `hsl_from`, `hsl_to`, `date`, a
//!   `datum` field), else as the local time `YYYY-MM-DDTHH:MM:SS`, rounded
//!   to the nearest second ([`serial_text`]); a time of day alone (the
//!   1900 system's day 0) as `HH:MM:SS` and a duration as `H:MM:SS`, which
//!   no column reads;
//! - an error value (`#N/A`, `#DIV/0!`, …) as no text at all: it is a data
//!   error of its row, naming the cell, when its column is read (a bad cell
//!   in a column nobody reads is not, as with CSV's bad UTF-8).
//!
//! A number cell is read with `,` and `.` both decimal marks, as in a
//! `;`-separated Swedish export, since text cells of a Swedish workbook
//! write `7,5`.
//!
//! The written-out CSV has a record per row with a value (empty rows are
//! skipped, as blank lines are), with a field for every column from A to
//! the header's last, so a field's place is its column's number; cells
//! right of the header's last column have no name and are not read. A
//! [`Sheet`] remembers where each record's row is, and its unreadable
//! cells; every error of the file is then placed in the sheet by it
//! (`visits.xlsx:Besök!E3`, see `error`).
//!
//! Memory: calamine holds the workbook's shared strings (every distinct
//! text) while the sheet's cells are streamed into the temporary file, so
//! memory grows with the distinct texts, not with the cells. A workbook is
//! for exports up to Excel's 1 048 576 rows; CSV is the streaming path for
//! anything larger.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use calamine::{CellErrorType, DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx};
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};

use super::csv::RawRecord;
use super::error::{
    DataErrors, DataWarning, DataWarningKind, FileError, FileErrorKind, RowError, RowErrors,
    shorten,
};
use super::layout::{CUSTOMERS, EVENTS, Header, Layout, PROVIDERS, VISITS};
use super::model::{ColumnKind, Schema};

/// The workbook that may stand for each CSV file of the layout.
const WORKBOOKS: [(&str, &str); 4] = [
    (VISITS, "visits.xlsx"),
    (CUSTOMERS, "customers.xlsx"),
    (EVENTS, "events.xlsx"),
    (PROVIDERS, "providers.xlsx"),
];

/// The workbook that may stand for `csv` (visits.csv → visits.xlsx).
pub(super) fn workbook_name(csv: &str) -> Option<&'static str> {
    WORKBOOKS.iter().find(|(c, _)| *c == csv).map(|(_, x)| *x)
}

/// The engine's date columns (with the declared `datum` fields, e.g. the
/// standard `hsl_from`): an Excel date in one of
/// them, at midnight, is a date; elsewhere it is a date-time.
const DATE_COLUMNS: [&str; 3] = ["from", "to", "date"];

/// Excel's last row and column (1 048 576 rows, columns A … XFD): a cell
/// past them is not from Excel, and bounds what one row may allocate.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;

/// The first day Excel cannot show, as a serial: 10000-01-01.
const END_OF_CALENDAR: i128 = 2_958_466;

/// An open workbook: its first visible worksheet, to be written out.
pub(super) struct Workbook {
    /// visits.xlsx, …
    file: &'static str,
    book: Xlsx<BufReader<File>>,
    /// The sheet read.
    sheet: String,
    /// The other visible worksheets that hold a value (a warning).
    others: Vec<String>,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("file", &self.file)
            .field("sheet", &self.sheet)
            .finish_non_exhaustive()
    }
}

/// Runs a call into calamine, turning a panic in it into an error of the
/// file: a damaged workbook must not bring taxa down (bad input never
/// panics), and calamine is not ours to audit.
fn guarded<T>(
    file: &'static str,
    call: impl FnOnce() -> Result<T, DataErrors>,
) -> Result<T, DataErrors> {
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|_| {
        Err(unreadable(
            file,
            "cannot be read: the workbook reader failed on it (is the file damaged?)".into(),
        ))
    })
}

fn unreadable(file: &'static str, message: String) -> DataErrors {
    FileError::new(file, FileErrorKind::Workbook, message).into()
}

impl Workbook {
    /// Opens the workbook `file` (named `name`): its sheets listed, the one
    /// to read chosen. A pipe is copied into a temporary file first, since a
    /// workbook is a zip archive, read from its end.
    pub(super) fn open(mut file: File, name: &'static str) -> Result<Workbook, DataErrors> {
        let io_error = |what: &str, e: &io::Error| {
            DataErrors::from(FileError::new(
                name,
                FileErrorKind::Unreadable,
                format!("cannot be read ({what}): {e}"),
            ))
        };
        let meta = file.metadata().map_err(|e| io_error("its metadata", &e))?;
        if !meta.is_file() {
            let mut spool =
                tempfile::tempfile().map_err(|e| io_error("a temporary copy of the pipe", &e))?;
            io::copy(&mut file, &mut spool)
                .map_err(|e| io_error("copying it from the pipe", &e))?;
            file = spool;
        }
        file.seek(SeekFrom::Start(0))
            .map_err(|e| io_error("its start", &e))?;
        let mut magic = [0u8; 4];
        let got = read_up_to(&mut file, &mut magic).map_err(|e| io_error("its start", &e))?;
        if let Some(what) = not_a_workbook(&magic[..got]) {
            return Err(unreadable(name, what));
        }
        file.seek(SeekFrom::Start(0))
            .map_err(|e| io_error("its start", &e))?;
        guarded(name, || {
            let book: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(|e| {
                unreadable(name, format!("cannot be read as an Excel workbook: {e}"))
            })?;
            Workbook::choose(name, book)
        })
    }

    fn choose(file: &'static str, mut book: Xlsx<BufReader<File>>) -> Result<Workbook, DataErrors> {
        let visible: Vec<String> = book
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect();
        let Some((sheet, rest)) = visible.split_first() else {
            return Err(unreadable(
                file,
                "the workbook has no visible worksheet to read".into(),
            ));
        };
        let others = rest
            .iter()
            .filter(|name| has_value(&mut book, name))
            .cloned()
            .collect();
        Ok(Workbook {
            file,
            book,
            sheet: sheet.clone(),
            others,
        })
    }

    /// Writes the sheet out as CSV (see the module doc). `dates` says, from
    /// the header's names, which columns are date columns.
    pub(super) fn spool(
        &mut self,
        dates: impl FnOnce(&[String]) -> Vec<bool>,
    ) -> Result<Spool, DataErrors> {
        let file = self.file;
        let out = tempfile::tempfile().map_err(|e| {
            DataErrors::from(FileError::new(
                file,
                FileErrorKind::Unreadable,
                format!("cannot be written out for reading (a temporary file): {e}"),
            ))
        })?;
        guarded(file, || self.write_out(out, dates))
    }

    fn write_out(
        &mut self,
        out: File,
        dates: impl FnOnce(&[String]) -> Vec<bool>,
    ) -> Result<Spool, DataErrors> {
        let file = self.file;
        let name: Arc<str> = Arc::from(self.sheet.as_str());
        let in_sheet = |message: String| {
            let mut e = FileError::new(file, FileErrorKind::Workbook, message);
            e.sheet = Some(name.clone());
            DataErrors::from(e)
        };
        let is_1904 = self.book.has_1904_epoch();
        let mut reader = self
            .book
            .worksheet_cells_reader(&self.sheet)
            .map_err(|e| in_sheet(format!("the sheet cannot be read: {e}")))?;
        let mut spooler = Spooler::new(BufWriter::new(out));
        let write_error = |e: &io::Error| {
            DataErrors::from(FileError::new(
                file,
                FileErrorKind::Unreadable,
                format!("cannot be written out for reading (a temporary file): {e}"),
            ))
        };
        let mut dates = Some(dates);
        let mut columns: Option<Columns> = None;
        let mut row = Row::default();
        loop {
            let cell = reader
                .next_cell()
                .map_err(|e| in_sheet(format!("the sheet cannot be read: {e}")))?;
            let Some(cell) = cell else { break };
            let value = cell.get_value();
            if *value == DataRef::Empty {
                continue;
            }
            let (r, c) = cell.get_position();
            if r >= MAX_ROWS || c >= MAX_COLUMNS {
                return Err(in_sheet(format!(
                    "the sheet has a cell beyond Excel's last row or column ({}{}): not a \
                     workbook Excel wrote",
                    super::error::column_letters(c as usize + 1),
                    u64::from(r) + 1
                )));
            }
            if row
                .at
                .is_some_and(|(pr, pc)| r < pr || (r == pr && c <= pc))
            {
                return Err(in_sheet(format!(
                    "the sheet's cells are out of order at {}{}: not a workbook Excel wrote",
                    super::error::column_letters(c as usize + 1),
                    u64::from(r) + 1
                )));
            }
            if row.at.is_some_and(|(pr, _)| pr != r) {
                row.finish(&mut columns, &mut spooler, &mut dates)
                    .map_err(|e| write_error(&e))?;
            }
            row.at = Some((r, c));
            row.push(c as usize, value, columns.as_ref(), is_1904);
        }
        row.finish(&mut columns, &mut spooler, &mut dates)
            .map_err(|e| write_error(&e))?;
        drop(reader);
        let Some(columns) = columns else {
            return Err(in_sheet(
                "the sheet is empty: expected a header row naming the columns".into(),
            ));
        };
        let mut out = spooler
            .out
            .into_inner()
            .map_err(|e| write_error(e.error()))?;
        out.seek(SeekFrom::Start(0)).map_err(|e| write_error(&e))?;
        let warnings = if self.others.is_empty() {
            Vec::new()
        } else {
            vec![other_sheets(file, &self.sheet, &self.others)]
        };
        Ok(Spool {
            file: out,
            sheet: Sheet {
                file,
                name,
                rows: spooler.rows,
                bad: spooler.bad,
                names: columns.names,
                dates: columns.dates,
                warnings,
            },
        })
    }
}

/// Whether a sheet holds any value; a sheet that cannot be read holds none
/// worth a warning (the sheet read is what matters).
fn has_value(book: &mut Xlsx<BufReader<File>>, name: &str) -> bool {
    let Ok(mut reader) = book.worksheet_cells_reader(name) else {
        return false;
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) if *cell.get_value() != DataRef::Empty => return true,
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return false,
        }
    }
}

fn other_sheets(file: &'static str, sheet: &str, others: &[String]) -> DataWarning {
    let quoted: Vec<String> = others.iter().map(|o| format!("'{}'", shorten(o))).collect();
    let (n, them) = match quoted.len() {
        1 => ("another sheet".to_string(), "it is"),
        n => (format!("{n} other sheets"), "they are"),
    };
    DataWarning {
        kind: DataWarningKind::OtherSheets,
        file: file.to_string(),
        line: 0,
        column: 0,
        message: format!(
            "the workbook has {n} with values ({}) besides '{}', the first, which is the one \
             read: {them} not read",
            quoted.join(", "),
            shorten(sheet)
        ),
    }
}

/// Reads as much of `buf` as the file has.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// What a file that is not an xlsx workbook (a zip archive) is, by its
/// first bytes, so the message can say what to do.
fn not_a_workbook(start: &[u8]) -> Option<String> {
    if start.starts_with(b"PK") {
        return None;
    }
    Some(if start.is_empty() {
        "the file is empty: expected an Excel workbook".into()
    } else if start.starts_with(b"\xD0\xCF\x11\xE0") {
        "is an Excel 97–2003 workbook (.xls) or an encrypted workbook, not an .xlsx one: taxa \
         reads .xlsx"
            .into()
    } else if start
        .iter()
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0x80)
    {
        "is a text file, not an Excel workbook: if it is CSV, name it .csv".into()
    } else {
        "is not an Excel workbook (.xlsx): it is not a zip archive".into()
    })
}

/// The header once read: how wide a record is and which columns are dates.
struct Columns {
    /// The header's texts, column A first.
    names: Vec<String>,
    dates: Vec<bool>,
}

/// The row being gathered, cell by cell.
#[derive(Default)]
struct Row {
    /// Row and column of the last cell read (0-based).
    at: Option<(u32, u32)>,
    texts: Vec<String>,
    /// Cells without a value: (0-based column, shown text, message).
    bad: Vec<(usize, String, String)>,
}

impl Row {
    fn push(
        &mut self,
        column: usize,
        value: &DataRef<'_>,
        columns: Option<&Columns>,
        is_1904: bool,
    ) {
        let date_column = match columns {
            // The header: as wide as it is written.
            None => {
                if self.texts.len() <= column {
                    self.texts.resize(column + 1, String::new());
                }
                false
            }
            Some(_) if column >= self.texts.len() => return,
            Some(c) => c.dates.get(column).copied().unwrap_or(false),
        };
        let text = &mut self.texts[column];
        text.clear();
        if let Err((shown, message)) = cell_text(value, date_column, is_1904, text) {
            if columns.is_none() {
                // A header cell is a name: shown as it is, so a missing
                // column's "nearest" can point at it.
                *text = shown;
            } else {
                self.bad.push((column, shown, message));
            }
        }
    }

    /// Ends the row: the header (once; `dates` is then asked which of its
    /// columns are dates), or a record. A row with no value is skipped.
    fn finish<W: Write, F: FnOnce(&[String]) -> Vec<bool>>(
        &mut self,
        columns: &mut Option<Columns>,
        spooler: &mut Spooler<W>,
        dates: &mut Option<F>,
    ) -> io::Result<()> {
        let Some((r, _)) = self.at else {
            return Ok(());
        };
        let row = u64::from(r) + 1;
        let blank = self.texts.iter().all(|t| t.trim().is_empty()) && self.bad.is_empty();
        if !blank {
            if columns.is_none() {
                let width = self
                    .texts
                    .iter()
                    .rposition(|t| !t.trim().is_empty())
                    .map_or(0, |i| i + 1);
                self.texts.truncate(width);
                let mut is_date = dates.take().map_or_else(Vec::new, |f| f(&self.texts));
                is_date.resize(width, false);
                spooler.record(row, &self.texts)?;
                *columns = Some(Columns {
                    names: self.texts.clone(),
                    dates: is_date,
                });
            } else {
                spooler.record(row, &self.texts)?;
                for (column, text, message) in self.bad.drain(..) {
                    spooler.bad.push(BadCell {
                        row,
                        column: column + 1,
                        text,
                        message,
                    });
                }
            }
        }
        self.bad.clear();
        match columns {
            None => self.texts.clear(),
            Some(c) => {
                self.texts.resize(c.names.len(), String::new());
                self.texts.iter_mut().for_each(String::clear);
            }
        }
        Ok(())
    }
}

/// The CSV text of a cell (see the module doc), or why it has none: the
/// text to show and the message.
fn cell_text(
    value: &DataRef<'_>,
    date_column: bool,
    is_1904: bool,
    out: &mut String,
) -> Result<(), (String, String)> {
    use std::fmt::Write as _;
    match value {
        DataRef::Empty => {}
        DataRef::String(s) => out.push_str(s),
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::Int(i) => {
            let _ = write!(out, "{i}");
        }
        // `0.0` and `-0.0` alike are 0 (a formula can give -0.0, which
        // Display writes as "-0").
        DataRef::Float(x) if *x == 0.0 => out.push('0'),
        // Shortest round-trip: the decimal typed, for ≤ 15 significant digits.
        DataRef::Float(x) => {
            let _ = write!(out, "{x}");
        }
        DataRef::Bool(b) => out.push_str(if *b { "ja" } else { "nej" }),
        DataRef::DateTime(dt) => serial_text(*dt, date_column, is_1904, out)?,
        DataRef::DateTimeIso(s) => iso_text(s, date_column, out),
        DataRef::DurationIso(s) => out.push_str(s),
        DataRef::Error(e) => return Err((e.to_string(), error_message(e))),
    }
    Ok(())
}

fn error_message(e: &CellErrorType) -> String {
    let why = match e {
        CellErrorType::NA => "a lookup found no value",
        CellErrorType::Div0 => "a formula divides by zero",
        CellErrorType::Ref => "a formula refers to a cell that is gone",
        CellErrorType::Name => "a formula uses an unknown name",
        CellErrorType::Value | CellErrorType::Num | CellErrorType::Null => "a formula failed",
        CellErrorType::GettingData => "the data was still being fetched",
    };
    format!(
        "the cell holds the Excel error {e} ({why}), not a value: correct it in the workbook \
         (or paste the column as values)"
    )
}

/// An Excel date-time (a serial: days since the epoch, the time of day as
/// the fraction) as text, rounded to the nearest whole second.
///
/// The seconds are computed exactly from the double the file holds
/// ([`seconds_of`]), with no float arithmetic: a time typed in whole
/// seconds is stored as the double nearest to s/86 400, which is within far
/// less than half a second of s, so it rounds back to s; the carry into the
/// next day (23:59:59.6) is plain integer division.
fn serial_text(
    dt: ExcelDateTime,
    date_column: bool,
    is_1904: bool,
    out: &mut String,
) -> Result<(), (String, String)> {
    use std::fmt::Write as _;
    let serial = dt.as_f64();
    let negative = serial.is_sign_negative() && serial != 0.0;
    if dt.is_duration() {
        // Durations of Excel are far inside i64 seconds; saturate if not.
        let seconds = i64::try_from(seconds_of(serial).abs()).unwrap_or(i64::MAX);
        let sign = if negative { "-" } else { "" };
        let _ = write!(
            out,
            "{sign}{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
        return Ok(());
    }
    let exact = seconds_of(serial);
    if negative || exact >= END_OF_CALENDAR * 86_400 {
        return Err((
            format!("{serial}"),
            "a date outside Excel's calendar (1900-01-01 … 9999-12-31)".into(),
        ));
    }
    // Inside the calendar, so well inside i64.
    let seconds = exact as i64;
    let (day, second) = (seconds / 86_400, seconds % 86_400);
    let time = |out: &mut String| {
        let _ = write!(
            out,
            "{:02}:{:02}:{:02}",
            second / 3600,
            second / 60 % 60,
            second % 60
        );
    };
    // The 1900 system counts 1900-01-01 as day 1 and, like Lotus 1-2-3,
    // has a 1900-02-29 (day 60): days after it are one more than the
    // calendar's. Day 0 is no date (Excel shows 1900-01-00): a time alone.
    let date = match (is_1904, day) {
        (false, 0) => {
            time(out);
            return Ok(());
        }
        (false, 60) => {
            // Written as Excel shows it; the date parsers refuse it.
            out.push_str("1900-02-29");
            None
        }
        (false, 1..=59) => NaiveDate::from_ymd_opt(1899, 12, 31),
        (false, _) => NaiveDate::from_ymd_opt(1899, 12, 30),
        (true, _) => NaiveDate::from_ymd_opt(1904, 1, 1),
    };
    if let Some(epoch) = date {
        match epoch.checked_add_signed(Duration::days(day)) {
            Some(d) => {
                let _ = write!(out, "{}", d.format("%Y-%m-%d"));
            }
            None => return Err((format!("{serial}"), "not a date".into())),
        }
    }
    if !(date_column && second == 0) {
        out.push('T');
        time(out);
    }
    Ok(())
}

/// `days` (a serial as the file holds it) as whole seconds, computed
/// exactly: a finite double is m·2^e for integers m and e, so days ×
/// 86 400 000 is (m · 86 400 000)·2^e, an integer shifted by a power of
/// two. It is rounded to the millisecond first (the resolution of Excel's
/// times: a typed 00:00:00.5 is stored a hair under half a second), then
/// half away from zero to the second. Not finite: saturated (no Excel cell
/// is).
fn seconds_of(days: f64) -> i128 {
    let bits = days.abs().to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = (bits & ((1u64 << 52) - 1)) as i128;
    if exponent == 0x7ff {
        return if days.is_sign_negative() {
            i128::MIN
        } else {
            i128::MAX
        };
    }
    // Subnormals have no hidden bit and the smallest exponent.
    let (m, e) = match exponent {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, exponent - 1075),
    };
    let n = m * 86_400_000; // below 2^80
    let millis = if e >= 0 {
        1i128
            .checked_shl(e as u32)
            .and_then(|p| n.checked_mul(p))
            .unwrap_or(i128::MAX / 2)
    } else if -e >= 82 {
        0 // below a quarter of a millisecond
    } else {
        let d = 1i128 << -e;
        (2 * n + d) / (2 * d)
    };
    let seconds = (millis + 500) / 1000;
    if days.is_sign_negative() {
        -seconds
    } else {
        seconds
    }
}

/// An ISO 8601 date-time cell (`t="d"`, strict Open XML) by the same rule
/// as a serial; one that does not parse as written.
fn iso_text(text: &str, date_column: bool, out: &mut String) {
    use std::fmt::Write as _;
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        if !date_column {
            out.push_str("T00:00:00");
        }
        return;
    }
    let Ok(dt) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") else {
        out.push_str(text);
        return;
    };
    // Nearest second, in integers: the fraction is a count of nanoseconds.
    let round_up = dt.nanosecond() >= 500_000_000;
    let Some(dt) = dt
        .with_nanosecond(0)
        .and_then(|dt| dt.checked_add_signed(Duration::seconds(i64::from(round_up))))
    else {
        out.push_str(text);
        return;
    };
    if date_column && dt.time() == chrono::NaiveTime::MIN {
        let _ = write!(out, "{}", dt.format("%Y-%m-%d"));
    } else {
        let _ = write!(out, "{}", dt.format("%Y-%m-%dT%H:%M:%S"));
    }
}

/// Writes records, noting where each starts.
struct Spooler<W> {
    out: W,
    record: Vec<u8>,
    /// The CSV line the next record starts on.
    line: u64,
    /// From each of these CSV lines on, the Excel row is the line plus the
    /// offset (until the next entry): an entry where a row was skipped or a
    /// cell held line breaks, so one entry for a plain sheet.
    rows: Vec<(u64, i64)>,
    bad: Vec<BadCell>,
}

impl<W: Write> Spooler<W> {
    fn new(out: W) -> Self {
        Spooler {
            out,
            record: Vec::new(),
            line: 1,
            rows: Vec::new(),
            bad: Vec::new(),
        }
    }

    fn record(&mut self, row: u64, cells: &[String]) -> io::Result<()> {
        self.record.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.record.push(b',');
            }
            push_field(&mut self.record, cell);
        }
        self.record.push(b'\n');
        // Rows and lines are both far below 2^63.
        let offset = row as i64 - self.line as i64;
        if self.rows.last().is_none_or(|&(_, o)| o != offset) {
            self.rows.push((self.line, offset));
        }
        self.line += line_breaks(&self.record);
        self.out.write_all(&self.record)
    }
}

/// A field, quoted when it holds a separator, a quote or a line break
/// (`;` too, so the header's separator is sniffed as `,`).
fn push_field(out: &mut Vec<u8>, text: &str) {
    let quote = text
        .bytes()
        .any(|b| matches!(b, b',' | b';' | b'"' | b'\n' | b'\r'));
    if !quote {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    out.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Line breaks as the tokenizer counts them: `\r\n`, `\n` or `\r` alone.
fn line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    let mut after_cr = false;
    for &b in bytes {
        if b == b'\r' || (b == b'\n' && !after_cr) {
            n += 1;
        }
        after_cr = b == b'\r';
    }
    n
}

/// A cell of the sheet that has no text: an error value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BadCell {
    /// Row as Excel numbers it.
    row: u64,
    /// 1-based column.
    column: usize,
    text: String,
    message: String,
}

/// A sheet written out: the temporary CSV file, and where its records are.
#[derive(Debug)]
pub(super) struct Spool {
    pub(super) file: File,
    pub(super) sheet: Sheet,
}

/// Where the records of a written-out sheet are in the workbook, and its
/// cells without a value: what turns the CSV reader's lines into rows of
/// the sheet and its errors into errors of the workbook.
#[derive(Debug)]
pub(super) struct Sheet {
    /// The workbook, e.g. `visits.xlsx`.
    pub(super) file: &'static str,
    name: Arc<str>,
    rows: Vec<(u64, i64)>,
    /// By row and column.
    bad: Vec<BadCell>,
    /// The header's texts, column A first.
    names: Vec<String>,
    /// Which columns were written out as date columns.
    dates: Vec<bool>,
    pub(super) warnings: Vec<DataWarning>,
}

impl Sheet {
    /// The row, as Excel numbers it, of the record at CSV line `line`.
    pub(super) fn row(&self, line: u64) -> u64 {
        let at = self.rows.partition_point(|&(l, _)| l <= line);
        let offset = at.checked_sub(1).map_or(0, |i| self.rows[i].1);
        line.saturating_add_signed(offset)
    }

    /// Whether the sheet was written out with the date columns `dates`
    /// asks for, given its header.
    pub(super) fn written_with(&self, dates: impl FnOnce(&[String]) -> Vec<bool>) -> bool {
        let mut wanted = dates(&self.names);
        wanted.resize(self.dates.len(), false);
        wanted == self.dates
    }

    /// A file's errors, placed in this sheet.
    pub(super) fn place_all(&self, mut errors: DataErrors) -> DataErrors {
        for e in &mut errors.file_errors {
            self.place_file_error(e);
        }
        for e in &mut errors.errors {
            self.place(e);
        }
        errors
    }

    pub(super) fn place_file_error(&self, e: &mut FileError) {
        e.file = self.file.to_string();
        e.sheet = Some(self.name.clone());
    }

    /// An error of a record, placed in this sheet (its line is already the
    /// row).
    pub(super) fn place(&self, e: &mut RowError) {
        e.file = self.file.to_string();
        e.sheet = Some(self.name.clone());
    }

    /// A row as read from its record, with the errors of its cells that
    /// have no value (in the columns read) in place of what the reader
    /// made of their empty text, and every error placed in the sheet.
    pub(super) fn place_row<T>(
        &self,
        read: Result<T, RowErrors>,
        record: &RawRecord,
        header: &Header,
        layout: &Layout,
        columns: &[usize],
    ) -> Result<T, RowErrors> {
        let row = record.line;
        let from = self.bad.partition_point(|b| b.row < row);
        let bad: Vec<&BadCell> = self.bad[from..]
            .iter()
            .take_while(|b| b.row == row)
            .filter(|b| columns.contains(&b.column))
            .collect();
        let (mut errors, date) = match read {
            Ok(value) if bad.is_empty() => return Ok(value),
            Ok(_) => (Vec::new(), None),
            Err(e) => {
                let date = e.date;
                (e.into_iter().collect::<Vec<_>>(), date)
            }
        };
        let id = errors
            .iter()
            .find_map(|e| e.id.clone())
            .or_else(|| row_id(record, header, layout));
        errors.retain(|e| !bad.iter().any(|b| b.column == e.column));
        errors.extend(bad.iter().map(|b| RowError {
            file: String::new(),
            line: row,
            column: b.column,
            column_name: header.names.get(b.column - 1).cloned().unwrap_or_default(),
            text: b.text.clone(),
            message: b.message.clone(),
            id: id.clone(),
            sheet: None,
        }));
        errors.sort_by_key(|e| e.column);
        for e in &mut errors {
            self.place(e);
        }
        let fallback = || {
            let mut e = RowError::whole_row(self.file, row, "the row could not be read");
            e.id.clone_from(&id);
            e.sheet = Some(self.name.clone());
            RowErrors::from(e)
        };
        Err(RowErrors::new(errors, date).unwrap_or_else(fallback))
    }
}

/// The row's id (visit_id / event_id), as `cells` finds it, for a row whose
/// only errors are cells without a value.
fn row_id(record: &RawRecord, header: &Header, layout: &Layout) -> Option<String> {
    let bytes = record.field(header.index(layout.id?)?)?;
    let text = std::str::from_utf8(bytes).ok()?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Which columns of a header are date columns (see the module doc): the
/// layout's date columns and the rule file's `datum` fields of `layout`'s
/// file, under the headers the rule file maps them to.
pub(super) fn date_columns(names: &[String], layout: &Layout, codes: &Schema) -> Vec<bool> {
    let mut header = Header {
        names: names.iter().map(|n| n.trim().to_string()).collect(),
        line: 0,
        mapped: Vec::new(),
    };
    let file = layout.data_file();
    header.map(codes.headers_of(file));
    let known = layout.always.iter().chain(layout.optional);
    let layout_dates = known.filter(|c| DATE_COLUMNS.contains(c)).copied();
    let declared = codes
        .columns_of(file)
        .filter(|c| c.kind == ColumnKind::Date)
        .map(|c| c.name.as_str());
    let mut dates = vec![false; names.len()];
    for name in layout_dates.chain(declared) {
        if let Some(i) = header.index(name) {
            dates[i] = true;
        }
    }
    dates
}

/// The 1-based columns a file's rows are read from: the layout's and the
/// rule file's own, found in the header.
pub(super) fn read_columns(layout: &Layout, header: &Header, wanted: &[&str]) -> Vec<usize> {
    let names = layout.always.iter().chain(layout.optional).copied();
    let mut columns: Vec<usize> = names
        .chain(wanted.iter().copied())
        .filter_map(|n| header.index(n))
        .map(|i| i + 1)
        .collect();
    columns.sort_unstable();
    columns.dedup();
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    fn serial(value: f64, date_column: bool) -> String {
        let mut out = String::new();
        let dt = ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false);
        match serial_text(dt, date_column, false, &mut out) {
            Ok(()) => out,
            Err((text, message)) => format!("error {text}: {message}"),
        }
    }

    #[test]
    fn serials_are_dates_and_times_rounded_to_the_second() {
        // 2025-03-03 is serial 45 719.
        assert_eq!(serial(45_719.0, true), "2025-03-03");
        assert_eq!(serial(45_719.0, false), "2025-03-03T00:00:00");
        // 08:00 is 1/3 of a day, not exactly representable.
        assert_eq!(serial(45_719.0 + 1.0 / 3.0, true), "2025-03-03T08:00:00");
        assert_eq!(serial(45_719.0 + 1.0 / 3.0, false), "2025-03-03T08:00:00");
        // Every whole second of a day comes back exactly.
        for s in (0..86_400).step_by(7) {
            let text = serial(45_719.0 + f64::from(s) / 86_400.0, false);
            let want = format!(
                "2025-03-03T{:02}:{:02}:{:02}",
                s / 3600,
                s / 60 % 60,
                s % 60
            );
            assert_eq!(text, want);
        }
        // Half a second rounds up; just under half rounds down; the carry
        // reaches the next day.
        assert_eq!(
            serial(45_719.0 + 0.5 / 86_400.0, false),
            "2025-03-03T00:00:01"
        );
        assert_eq!(
            serial(45_719.0 + 0.49 / 86_400.0, false),
            "2025-03-03T00:00:00"
        );
        assert_eq!(serial(45_719.0 + 86_399.6 / 86_400.0, true), "2025-03-04");
        // The 1900 system's first days and its 1900-02-29.
        assert_eq!(serial(1.0, true), "1900-01-01");
        assert_eq!(serial(59.0, true), "1900-02-28");
        assert_eq!(serial(60.0, true), "1900-02-29");
        assert_eq!(serial(61.0, true), "1900-03-01");
        assert_eq!(serial(0.75, true), "18:00:00");
        assert_eq!(serial(2_958_465.0, true), "9999-12-31");
        assert!(serial(-1.0, true).starts_with("error -1: a date outside"));
        assert!(serial(2_958_466.0, true).starts_with("error"));
        // The 1904 system starts at 1904-01-01.
        let mut out = String::new();
        let dt = ExcelDateTime::new(1.5, ExcelDateTimeType::DateTime, true);
        serial_text(dt, false, true, &mut out).unwrap();
        assert_eq!(out, "1904-01-02T12:00:00");
        let mut out = String::new();
        let dt = ExcelDateTime::new(1.0 + 1.0 / 48.0, ExcelDateTimeType::TimeDelta, false);
        serial_text(dt, false, false, &mut out).unwrap();
        assert_eq!(out, "24:30:00");
    }

    fn text(value: DataRef<'_>, date_column: bool) -> Result<String, (String, String)> {
        let mut out = String::new();
        cell_text(&value, date_column, false, &mut out).map(|()| out)
    }

    #[test]
    fn cells_become_the_text_a_csv_export_writes() {
        assert_eq!(text(DataRef::Float(12.5), false).unwrap(), "12.5");
        assert_eq!(text(DataRef::Float(0.1), false).unwrap(), "0.1");
        assert_eq!(text(DataRef::Float(7.3), false).unwrap(), "7.3");
        assert_eq!(text(DataRef::Float(2.0), false).unwrap(), "2");
        assert_eq!(text(DataRef::Float(-0.0), false).unwrap(), "0");
        assert_eq!(
            text(DataRef::Float(1e21), false).unwrap(),
            "1000000000000000000000"
        );
        assert_eq!(
            text(DataRef::Float(123.456789012345), false).unwrap(),
            "123.456789012345"
        );
        assert_eq!(text(DataRef::Int(-3), false).unwrap(), "-3");
        assert_eq!(text(DataRef::Bool(true), false).unwrap(), "ja");
        assert_eq!(text(DataRef::Bool(false), false).unwrap(), "nej");
        assert_eq!(
            text(DataRef::SharedString(" Kund 1 "), false).unwrap(),
            " Kund 1 "
        );
        assert_eq!(text(DataRef::Empty, true).unwrap(), "");
        assert_eq!(
            text(DataRef::DateTimeIso("2025-03-03T00:00:00.6".into()), false).unwrap(),
            "2025-03-03T00:00:01"
        );
        assert_eq!(
            text(DataRef::DateTimeIso("2025-03-03T00:00:00".into()), true).unwrap(),
            "2025-03-03"
        );
        assert_eq!(
            text(DataRef::DateTimeIso("2025-03-03".into()), false).unwrap(),
            "2025-03-03T00:00:00"
        );
        assert_eq!(
            text(DataRef::DateTimeIso("igår".into()), false).unwrap(),
            "igår"
        );
        let (shown, message) = text(DataRef::Error(CellErrorType::NA), false).unwrap_err();
        assert_eq!(shown, "#N/A");
        assert!(message.contains("a lookup found no value"), "{message}");
        let (shown, _) = text(DataRef::Error(CellErrorType::Div0), false).unwrap_err();
        assert_eq!(shown, "#DIV/0!");
    }

    #[test]
    fn records_map_back_to_rows() {
        let mut spooler = Spooler::new(Vec::new());
        let cells = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        spooler.record(2, &cells(&["a", "b"])).unwrap();
        spooler.record(3, &cells(&["two\nlines", "x;y"])).unwrap();
        spooler.record(4, &cells(&["c", "say \"hi\""])).unwrap();
        spooler.record(9, &cells(&["\r\n", "d"])).unwrap();
        spooler.record(10, &cells(&["e", ""])).unwrap();
        assert_eq!(
            String::from_utf8(spooler.out.clone()).unwrap(),
            "a,b\n\"two\nlines\",\"x;y\"\nc,\"say \"\"hi\"\"\"\n\"\r\n\",d\ne,\n"
        );
        let sheet = Sheet {
            file: "visits.xlsx",
            name: "Blad1".into(),
            rows: spooler.rows,
            bad: Vec::new(),
            names: Vec::new(),
            dates: Vec::new(),
            warnings: Vec::new(),
        };
        // Records start on CSV lines 1, 2, 4, 5, 7.
        let rows: Vec<u64> = [1, 2, 4, 5, 7].iter().map(|&l| sheet.row(l)).collect();
        assert_eq!(rows, [2, 3, 4, 9, 10]);
    }

    #[test]
    fn what_a_file_that_is_no_workbook_is() {
        assert_eq!(not_a_workbook(b"PK\x03\x04"), None);
        assert!(not_a_workbook(b"").unwrap().contains("empty"));
        assert!(
            not_a_workbook(b"\xD0\xCF\x11\xE0")
                .unwrap()
                .contains(".xls")
        );
        assert!(not_a_workbook(b"visi").unwrap().contains("text file"));
        assert!(not_a_workbook(b"\x00\x01\x02\x03").unwrap().contains("zip"));
    }

    #[test]
    fn date_columns_are_layout_columns() {
        let all: Vec<&str> = [
            super::super::model::DataFile::Visits,
            super::super::model::DataFile::Customers,
            super::super::model::DataFile::Events,
            super::super::model::DataFile::Providers,
        ]
        .into_iter()
        .flat_map(super::super::layout::layout_columns)
        .collect();
        for d in DATE_COLUMNS {
            assert!(all.contains(&d), "{d}");
        }
        for (csv, book) in WORKBOOKS {
            assert_eq!(csv.strip_suffix(".csv"), book.strip_suffix(".xlsx"));
        }
    }
}
