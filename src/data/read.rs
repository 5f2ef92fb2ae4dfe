//! Reading the four CSV files of a data set into typed records
//! (data-format.md).
//!
//! Every unreadable cell of a file is reported, not only the first, with the
//! file, the physical line and the 1-based column, so the user can fix a whole
//! export in one go. visits.csv can hold millions of rows, so it is read as a
//! stream ([`VisitReader`]); the other files are small and read whole.
//!
//! The CSV records are split by a small tokenizer of our own rather than the
//! `csv` crate: `csv` reports as a record's line the line where its reader
//! stopped after the previous record, which is one too low on every row of a
//! CRLF file and ignores blank lines skipped before the record. Line numbers
//! are the product here, so the tokenizer counts them itself.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::error::{DataErrors, FileError, FileErrorKind, RowError};
use super::model::{ActivitySet, Code, CodeBook, CodeColumn, CustomerRow, Event, Provider, Visit};
use super::time;

/// One data row read, or why it cannot be.
pub type RowResult<T> = Result<T, RowError>;

pub const VISITS: &str = "visits.csv";
pub const CUSTOMERS: &str = "customers.csv";
pub const EVENTS: &str = "events.csv";
pub const PROVIDERS: &str = "providers.csv";

const VISIT_COLUMNS: [&str; 6] = ["visit_id", "provider", "customer", "staff", "start", "end"];
const VISIT_OPTIONAL: [&str; 3] = ["staff_count", "activities", "status"];
const CUSTOMER_COLUMNS: [&str; 5] = ["customer", "provider", "from", "to", "zone"];
const CUSTOMER_OPTIONAL: [&str; 8] = [
    "granted_hours",
    "approved_extra_hours",
    "hsl_from",
    "hsl_to",
    "referral",
    "level",
    "alarm",
    "relief_hours",
];
const EVENT_COLUMNS: [&str; 4] = ["event_id", "provider", "date", "kind"];
const EVENT_OPTIONAL: [&str; 1] = ["customer"];
const PROVIDER_COLUMNS: [&str; 1] = ["provider"];
const PROVIDER_OPTIONAL: [&str; 2] = ["name", "regime"];

/// The status an empty `status` cell stands for (data-format.md).
const DEFAULT_STATUS: &str = "utförd";

/// A data folder: the four files of one billing source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    path: PathBuf,
}

impl DataDir {
    pub fn new(path: impl Into<PathBuf>) -> DataDir {
        DataDir { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// customers.csv (required file). All rows, or every error of the file.
    /// `required` names columns beyond the layout's own that the contract uses.
    pub fn customers(
        &self,
        codes: &CodeBook,
        required: &[&str],
    ) -> Result<Vec<CustomerRow>, DataErrors> {
        strict(self.customers_lenient(codes, required))
    }

    /// customers.csv for a lenient run: the readable rows, and the errors of
    /// the rows that cannot be read.
    pub fn customers_lenient(
        &self,
        codes: &CodeBook,
        required: &[&str],
    ) -> Result<(Vec<CustomerRow>, Vec<RowError>), DataErrors> {
        let layout = Layout {
            file: CUSTOMERS,
            always: &CUSTOMER_COLUMNS,
            optional: &CUSTOMER_OPTIONAL,
        };
        let Some(mut csv) = CsvFile::open(&self.path, layout, true, required)? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let columns = CustomerColumns::new(&csv.header);
        collect_lenient(&mut csv, |cells| cells.customer(&columns, codes))
    }

    /// providers.csv for a lenient run.
    pub fn providers_lenient(
        &self,
        codes: &CodeBook,
        required: &[&str],
    ) -> Result<(Vec<Provider>, Vec<RowError>), DataErrors> {
        let layout = Layout {
            file: PROVIDERS,
            always: &PROVIDER_COLUMNS,
            optional: &PROVIDER_OPTIONAL,
        };
        let Some(mut csv) = CsvFile::open(&self.path, layout, false, required)? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let columns = ProviderColumns::new(&csv.header);
        collect_lenient(&mut csv, |cells| cells.provider(&columns, codes))
    }

    /// providers.csv: optional file (a missing file gives no providers).
    pub fn providers(
        &self,
        codes: &CodeBook,
        required: &[&str],
    ) -> Result<Vec<Provider>, DataErrors> {
        strict(self.providers_lenient(codes, required))
    }

    /// events.csv: optional file (a missing file gives no events). Each row
    /// comes with its own outcome, because in lenient mode an unreadable
    /// event is a not-paid row rather than a stop.
    pub fn events(
        &self,
        codes: &CodeBook,
        required: &[&str],
    ) -> Result<Vec<RowResult<Event>>, DataErrors> {
        let layout = Layout {
            file: EVENTS,
            always: &EVENT_COLUMNS,
            optional: &EVENT_OPTIONAL,
        };
        let Some(mut csv) = CsvFile::open(&self.path, layout, false, required)? else {
            return Ok(Vec::new());
        };
        let columns = EventColumns::new(&csv.header);
        let mut rows = Vec::new();
        let mut errors = DataErrors::default();
        loop {
            match csv.next_row() {
                Next::End => break,
                Next::Failed(error) => errors.file_errors.push(error),
                Next::Unreadable(error) => rows.push(Err(error)),
                Next::Row(mut cells) => {
                    let event = cells.event(&columns, codes);
                    rows.push(cells.finish(event).map_err(first_error));
                }
            }
        }
        if errors.is_empty() {
            Ok(rows)
        } else {
            Err(errors)
        }
    }

    /// visits.csv (required file), as a stream: the file is read as the
    /// iterator advances, one row at a time, so memory does not grow with
    /// the number of visits. Header problems are reported here; row
    /// problems come out of the iterator.
    pub fn visits(&self, codes: &CodeBook, required: &[&str]) -> Result<VisitReader, DataErrors> {
        let layout = Layout {
            file: VISITS,
            always: &VISIT_COLUMNS,
            optional: &VISIT_OPTIONAL,
        };
        let Some(csv) = CsvFile::open(&self.path, layout, true, required)? else {
            return Err(FileError::new(VISITS, FileErrorKind::Missing, "file not found").into());
        };
        let columns = VisitColumns::new(&csv.header);
        Ok(VisitReader {
            csv,
            columns,
            codes: codes.clone(),
        })
    }
}

/// The rows of visits.csv, read lazily. Yields one `Err` per unreadable row
/// (its first bad cell, by column); a read failure part-way through the file
/// is yielded as an error of the row where it happened and ends the stream.
pub struct VisitReader {
    csv: CsvFile,
    columns: VisitColumns,
    codes: CodeBook,
}

impl VisitReader {
    /// Whether the file uses `;` as separator and `,` as decimal mark.
    pub fn semicolon_separated(&self) -> bool {
        self.csv.decimal_comma
    }
}

impl std::fmt::Debug for VisitReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VisitReader")
            .field("file", &self.csv.layout.file)
            .field("line", &self.csv.tokenizer.line())
            .finish_non_exhaustive()
    }
}

impl Iterator for VisitReader {
    type Item = RowResult<Visit>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.csv.next_row() {
            Next::End => None,
            Next::Failed(error) => Some(Err(RowError {
                file: error.file,
                line: error.line.unwrap_or(0),
                column: 0,
                column_name: String::new(),
                text: String::new(),
                message: error.message,
                id: None,
            })),
            Next::Unreadable(error) => Some(Err(error)),
            Next::Row(mut cells) => {
                let visit = cells.visit(&self.columns, &self.codes);
                Some(cells.finish(visit).map_err(first_error))
            }
        }
    }
}

/// Reads every row of a small file, gathering all row errors before failing.
/// A strict read: any unreadable row makes the file's errors the result.
fn strict<T>(read: Result<(Vec<T>, Vec<RowError>), DataErrors>) -> Result<Vec<T>, DataErrors> {
    let (rows, row_errors) = read?;
    if row_errors.is_empty() {
        return Ok(rows);
    }
    let mut errors = DataErrors::default();
    for e in row_errors {
        errors.push(e);
    }
    Err(errors)
}

/// The readable rows and the errors of the others; only file-level problems
/// (a missing column, bad UTF-8 in the header) are an `Err`.
fn collect_lenient<T>(
    csv: &mut CsvFile,
    mut parse: impl FnMut(&mut Cells<'_>) -> Option<T>,
) -> Result<(Vec<T>, Vec<RowError>), DataErrors> {
    let mut rows = Vec::new();
    let mut row_errors = Vec::new();
    let mut errors = DataErrors::default();
    loop {
        match csv.next_row() {
            Next::End => break,
            Next::Failed(error) => errors.file_errors.push(error),
            Next::Unreadable(error) => row_errors.push(error),
            Next::Row(mut cells) => {
                let row = parse(&mut cells);
                match cells.finish(row) {
                    Ok(row) => rows.push(row),
                    Err(e) => row_errors.extend(e),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((rows, row_errors))
    } else {
        Err(errors)
    }
}

/// `finish` never returns an empty list; the fallback keeps that a
/// non-panicking promise.
fn first_error(mut errors: Vec<RowError>) -> RowError {
    if errors.is_empty() {
        return RowError {
            file: String::new(),
            line: 0,
            column: 0,
            column_name: String::new(),
            text: String::new(),
            message: "row could not be read".into(),
            id: None,
        };
    }
    errors.swap_remove(0)
}

// ---------------------------------------------------------------------------
// Files and headers

/// The columns a file's layout knows: `always` must be in the header,
/// `optional` take their empty default when absent.
#[derive(Debug, Clone, Copy)]
struct Layout {
    file: &'static str,
    always: &'static [&'static str],
    optional: &'static [&'static str],
}

#[derive(Debug)]
struct Header {
    names: Vec<String>,
    line: u64,
}

impl Header {
    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// One layout column, located in this file's header (or absent).
#[derive(Debug, Clone, Copy)]
struct Col {
    index: Option<usize>,
    name: &'static str,
}

impl Col {
    fn find(header: &Header, name: &'static str) -> Col {
        Col {
            index: header.index(name),
            name,
        }
    }
}

/// Rows longer than this are not kept in memory: no real row comes close,
/// and the usual cause is a quote that is never closed, which would otherwise
/// pull the rest of a large file into one cell.
const MAX_ROW_BYTES: usize = 1 << 20;

/// Error texts are shortened to this many characters: enough to recognise
/// the cell, without flooding the terminal with a runaway field.
const MAX_TEXT_CHARS: usize = 200;

const BOM: &[u8] = b"\xEF\xBB\xBF";

struct CsvFile {
    layout: Layout,
    tokenizer: Tokenizer<BufReader<File>>,
    header: Header,
    /// `;`-separated files come from Swedish spreadsheets, which write `,`
    /// as decimal mark.
    decimal_comma: bool,
    record: RawRecord,
    failed: bool,
}

/// What the next data row of a file is.
enum Next<'a> {
    End,
    Row(Cells<'a>),
    /// The row's shape is wrong (width, unclosed quote), before any cell.
    Unreadable(RowError),
    /// Reading stopped part-way (I/O error); no rows follow.
    Failed(FileError),
}

impl CsvFile {
    /// `Ok(None)`: an optional file that is not there.
    fn open(
        dir: &Path,
        layout: Layout,
        required_file: bool,
        required: &[&str],
    ) -> Result<Option<CsvFile>, DataErrors> {
        let file_name = layout.file;
        let path = dir.join(file_name);
        let unreadable = |e: &io::Error| {
            FileError::new(
                file_name,
                FileErrorKind::Unreadable,
                format!("cannot be read ({}): {e}", path.display()),
            )
        };
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if !required_file {
                    return Ok(None);
                }
                return Err(FileError::new(
                    file_name,
                    FileErrorKind::Missing,
                    format!("file not found: {}", path.display()),
                )
                .into());
            }
            Err(e) => return Err(unreadable(&e).into()),
        };
        let mut input = BufReader::with_capacity(64 * 1024, file);
        let start = input.fill_buf().map_err(|e| unreadable(&e))?;
        let delimiter = sniff_delimiter(start);
        let bom = start.starts_with(BOM);
        if bom {
            input.consume(BOM.len());
        }
        let mut tokenizer = Tokenizer::new(input, delimiter);
        let mut record = RawRecord::default();
        match tokenizer.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return Err(FileError::new(
                    file_name,
                    FileErrorKind::Unreadable,
                    "the file is empty: expected a header row naming the columns",
                )
                .into());
            }
            Err(e) => return Err(unreadable(&e).into()),
        }
        let header = read_header(file_name, &record)?;
        check_columns(layout, &header, required)?;
        Ok(Some(CsvFile {
            layout,
            tokenizer,
            header,
            decimal_comma: delimiter == b';',
            record,
            failed: false,
        }))
    }

    fn next_row(&mut self) -> Next<'_> {
        if self.failed {
            return Next::End;
        }
        loop {
            match self.tokenizer.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Next::End,
                Err(e) => {
                    self.failed = true;
                    return Next::Failed(
                        FileError::new(
                            self.layout.file,
                            FileErrorKind::Unreadable,
                            format!("reading stopped part-way through the file: {e}"),
                        )
                        .at_line(self.tokenizer.line()),
                    );
                }
            }
            // A line of nothing but spaces is as empty as an empty line.
            let blank = self.record.len() == 1
                && self
                    .record
                    .field(0)
                    .is_some_and(|f| f.trim_ascii().is_empty());
            if !blank {
                break;
            }
        }
        let cells = Cells {
            layout: self.layout,
            header: &self.header,
            record: &self.record,
            whole: std::str::from_utf8(&self.record.buf).ok(),
            decimal_comma: self.decimal_comma,
            errors: Vec::new(),
        };
        match cells.shape_error() {
            Some(error) => Next::Unreadable(error),
            None => Next::Row(cells),
        }
    }
}

/// Chooses the separator from the header line, counting `;` and `,` outside
/// quotes: the header names themselves never contain either, so whichever
/// separates more names is the separator (a `;` file may well have an extra
/// column whose name has a comma in it).
fn sniff_delimiter(start: &[u8]) -> u8 {
    let start = start.strip_prefix(BOM).unwrap_or(start);
    let (mut semicolons, mut commas) = (0usize, 0usize);
    let mut in_quotes = false;
    let mut started = false;
    for &b in start {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => {
                if started {
                    break;
                }
                continue;
            }
            b';' if !in_quotes => semicolons += 1,
            b',' if !in_quotes => commas += 1,
            _ => {}
        }
        started = true;
    }
    if semicolons > commas { b';' } else { b',' }
}

fn read_header(file: &'static str, record: &RawRecord) -> Result<Header, DataErrors> {
    let error = |message: String| {
        DataErrors::from(
            FileError::new(file, FileErrorKind::Unreadable, message).at_line(record.line),
        )
    };
    if record.unclosed_quote || record.too_long {
        return Err(error(
            "the header row has a quote that is not closed (or is implausibly long)".into(),
        ));
    }
    let mut names = Vec::with_capacity(record.len());
    for i in 0..record.len() {
        let bytes = record.field(i).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(name) => names.push(name.trim().to_string()),
            Err(_) => {
                return Err(error(format!(
                    "the header row is not valid UTF-8 (column {}: {}); save the file as UTF-8",
                    i + 1,
                    shorten(&String::from_utf8_lossy(bytes))
                )));
            }
        }
    }
    Ok(Header {
        names,
        line: record.line,
    })
}

fn check_columns(layout: Layout, header: &Header, required: &[&str]) -> Result<(), DataErrors> {
    let mut errors = DataErrors::default();
    let wanted = layout.always.iter().map(|c| (*c, true));
    let wanted = wanted.chain(required.iter().map(|c| (*c, false)));
    let mut seen: Vec<&str> = Vec::new();
    for (name, by_layout) in wanted {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        if header.index(name).is_some() {
            continue;
        }
        let why = if by_layout {
            "which the data layout requires"
        } else {
            "which the rule file uses"
        };
        let mut message = format!("has no column '{name}', {why}");
        if let Some(near) = header
            .names
            .iter()
            .find(|n| n.to_lowercase() == name.to_lowercase())
        {
            message.push_str(&format!(
                " (there is '{near}'; column names are case-sensitive)"
            ));
        }
        errors.file_errors.push(
            FileError::new(layout.file, FileErrorKind::MissingColumn, message).at_line(header.line),
        );
    }
    let known = layout.always.iter().chain(layout.optional).copied();
    let mut checked: Vec<&str> = Vec::new();
    for name in known.chain(required.iter().copied()) {
        if checked.contains(&name) {
            continue;
        }
        checked.push(name);
        let count = header.names.iter().filter(|n| *n == name).count();
        if count > 1 {
            errors.file_errors.push(
                FileError::new(
                    layout.file,
                    FileErrorKind::DuplicateColumn,
                    format!("the column '{name}' appears {count} times in the header"),
                )
                .at_line(header.line),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------
// Rows and cells

#[derive(Debug, Clone, Copy)]
struct VisitColumns {
    visit_id: Col,
    provider: Col,
    customer: Col,
    staff: Col,
    start: Col,
    end: Col,
    staff_count: Col,
    activities: Col,
    status: Col,
}

impl VisitColumns {
    fn new(header: &Header) -> Self {
        VisitColumns {
            visit_id: Col::find(header, "visit_id"),
            provider: Col::find(header, "provider"),
            customer: Col::find(header, "customer"),
            staff: Col::find(header, "staff"),
            start: Col::find(header, "start"),
            end: Col::find(header, "end"),
            staff_count: Col::find(header, "staff_count"),
            activities: Col::find(header, "activities"),
            status: Col::find(header, "status"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct CustomerColumns {
    customer: Col,
    provider: Col,
    from: Col,
    to: Col,
    zone: Col,
    granted_hours: Col,
    approved_extra_hours: Col,
    hsl_from: Col,
    hsl_to: Col,
    referral: Col,
    level: Col,
    alarm: Col,
    relief_hours: Col,
}

impl CustomerColumns {
    fn new(header: &Header) -> Self {
        CustomerColumns {
            customer: Col::find(header, "customer"),
            provider: Col::find(header, "provider"),
            from: Col::find(header, "from"),
            to: Col::find(header, "to"),
            zone: Col::find(header, "zone"),
            granted_hours: Col::find(header, "granted_hours"),
            approved_extra_hours: Col::find(header, "approved_extra_hours"),
            hsl_from: Col::find(header, "hsl_from"),
            hsl_to: Col::find(header, "hsl_to"),
            referral: Col::find(header, "referral"),
            level: Col::find(header, "level"),
            alarm: Col::find(header, "alarm"),
            relief_hours: Col::find(header, "relief_hours"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct EventColumns {
    event_id: Col,
    provider: Col,
    customer: Col,
    date: Col,
    kind: Col,
}

impl EventColumns {
    fn new(header: &Header) -> Self {
        EventColumns {
            event_id: Col::find(header, "event_id"),
            provider: Col::find(header, "provider"),
            customer: Col::find(header, "customer"),
            date: Col::find(header, "date"),
            kind: Col::find(header, "kind"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct ProviderColumns {
    provider: Col,
    name: Col,
    regime: Col,
}

impl ProviderColumns {
    fn new(header: &Header) -> Self {
        ProviderColumns {
            provider: Col::find(header, "provider"),
            name: Col::find(header, "name"),
            regime: Col::find(header, "regime"),
        }
    }
}

/// The cells of one data row, gathering an error for each unreadable one.
struct Cells<'a> {
    layout: Layout,
    header: &'a Header,
    record: &'a RawRecord,
    /// The whole record as text when it is valid UTF-8: one validation per
    /// row instead of one per cell.
    whole: Option<&'a str>,
    decimal_comma: bool,
    errors: Vec<RowError>,
}

impl<'a> Cells<'a> {
    fn error(&self, column: usize, column_name: &str, text: &str, message: String) -> RowError {
        RowError {
            file: self.layout.file.to_string(),
            line: self.record.line,
            column,
            column_name: column_name.to_string(),
            text: shorten(text),
            message,
            id: None,
        }
    }

    /// A row that cannot be split into the header's columns; checked before
    /// any cell, since its cells would be read under the wrong names.
    fn shape_error(&self) -> Option<RowError> {
        let width = self.header.names.len();
        let fields = self.record.len();
        let last_text = || {
            let bytes = fields
                .checked_sub(1)
                .and_then(|i| self.record.field(i))
                .unwrap_or_default();
            String::from_utf8_lossy(bytes).trim().to_string()
        };
        let name = |i: usize| self.header.names.get(i).cloned().unwrap_or_default();
        let mut error = if self.record.too_long {
            self.error(
                0,
                "",
                "",
                format!(
                    "the row is longer than {} bytes; a quote is probably not closed",
                    MAX_ROW_BYTES
                ),
            )
        } else if self.record.unclosed_quote {
            self.error(
                fields,
                &name(fields.saturating_sub(1)),
                &last_text(),
                "a quoted cell is not closed before the end of the file (a \" is missing)".into(),
            )
        } else if fields < width {
            self.error(
                fields + 1,
                &name(fields),
                "",
                format!("the row has {fields} cells but the header has {width} columns"),
            )
        } else if fields > width {
            let extra = self.record.field(width).unwrap_or_default();
            self.error(
                width + 1,
                "",
                String::from_utf8_lossy(extra).trim(),
                format!(
                    "the row has {fields} cells but the header has {width} columns (a separator inside a value must be quoted)"
                ),
            )
        } else {
            return None;
        };
        error.id = self.id();
        Some(error)
    }

    /// The row's id (visit_id / event_id), for lenient mode to list it under.
    fn id(&self) -> Option<String> {
        let name = match self.layout.file {
            VISITS => "visit_id",
            EVENTS => "event_id",
            _ => return None,
        };
        let bytes = self.record.field(self.header.index(name)?)?;
        let text = std::str::from_utf8(bytes).ok()?.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Reads one cell with `parse`; an absent column reads as empty. On
    /// failure, records an error and returns `None`.
    fn read<T>(&mut self, col: Col, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let (text, column) = match col.index {
            None => ("", 0),
            Some(i) => {
                let range = self.record.range(i).unwrap_or_default();
                // A cell is valid UTF-8 exactly when the valid whole record
                // can be cut at its bounds; otherwise check it alone, so a
                // bad byte in a column nobody reads does not matter.
                let valid = self.whole.and_then(|whole| whole.get(range.clone()));
                let bytes = self.record.buf.get(range).unwrap_or_default();
                match valid.map(Ok).unwrap_or_else(|| std::str::from_utf8(bytes)) {
                    Ok(text) => (trim(text), i + 1),
                    Err(e) => {
                        let message = format!(
                            "not valid UTF-8 (byte {} of the cell); save the file as UTF-8 (in Excel: \"CSV UTF-8\")",
                            e.valid_up_to() + 1
                        );
                        let text = String::from_utf8_lossy(bytes);
                        let error = self.error(i + 1, col.name, text.trim(), message);
                        self.errors.push(error);
                        return None;
                    }
                }
            }
        };
        match parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                let error = self.error(column, col.name, text, message);
                self.errors.push(error);
                None
            }
        }
    }

    fn text(&mut self, col: Col) -> Option<String> {
        self.read(col, |t| Ok(t.to_string()))
    }

    fn id_text(&mut self, col: Col) -> Option<String> {
        self.read(col, |t| non_empty(col.name, t))
    }

    fn code(&mut self, col: Col, codes: &CodeBook, column: CodeColumn) -> Option<Code> {
        self.read(col, |t| parse_code(codes, column, t))
    }

    /// The row's value, or all its errors (by column) carrying the row's id.
    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<RowError>> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => {
                let id = self.id();
                let mut errors = self.errors;
                if errors.is_empty() {
                    errors.push(RowError {
                        file: self.layout.file.to_string(),
                        line: self.record.line,
                        column: 0,
                        column_name: String::new(),
                        text: String::new(),
                        message: "the row could not be read".into(),
                        id: None,
                    });
                }
                for error in &mut errors {
                    error.id.clone_from(&id);
                }
                errors.sort_by_key(|e| e.column);
                Err(errors)
            }
        }
    }

    fn visit(&mut self, c: &VisitColumns, codes: &CodeBook) -> Option<Visit> {
        let id = self.id_text(c.visit_id);
        let provider = self.id_text(c.provider);
        let customer = self.id_text(c.customer);
        let staff = self.code(c.staff, codes, CodeColumn::Staff);
        let start = self.read(c.start, parse_timestamp);
        let end = self.read(c.end, parse_timestamp);
        let staff_count = self.read(c.staff_count, parse_staff_count);
        let activities = self.read(c.activities, |t| parse_activities(codes, t));
        let status = self.read(c.status, |t| parse_status(codes, t));
        let (
            Some(id),
            Some(provider),
            Some(customer),
            Some(staff),
            Some((start, start_local)),
            Some((end, _)),
            Some(staff_count),
            Some(activities),
            Some(status),
        ) = (
            id,
            provider,
            customer,
            staff,
            start,
            end,
            staff_count,
            activities,
            status,
        )
        else {
            return None;
        };
        Some(Visit {
            id,
            provider,
            customer,
            staff,
            start,
            end,
            start_local,
            staff_count,
            activities,
            status,
        })
    }

    fn customer(&mut self, c: &CustomerColumns, codes: &CodeBook) -> Option<CustomerRow> {
        let decimal_comma = self.decimal_comma;
        let customer = self.id_text(c.customer);
        let provider = self.id_text(c.provider);
        let from = self.read(c.from, parse_optional_date);
        let to = self.read(c.to, parse_optional_date);
        let zone = self.code(c.zone, codes, CodeColumn::Zone);
        let granted_hours = self.read(c.granted_hours, |t| parse_hours(t, decimal_comma));
        let approved_extra_hours =
            self.read(c.approved_extra_hours, |t| parse_hours(t, decimal_comma));
        let hsl_from = self.read(c.hsl_from, parse_optional_date);
        let hsl_to = self.read(c.hsl_to, parse_optional_date);
        let referral = self.read(c.referral, parse_flag);
        let level = self.read(c.level, parse_level);
        let alarm = self.read(c.alarm, parse_flag);
        let relief_hours = self.read(c.relief_hours, |t| parse_hours(t, decimal_comma));
        Some(CustomerRow {
            customer: customer?,
            provider: provider?,
            from: from?,
            to: to?,
            zone: zone?,
            granted_hours: granted_hours?,
            approved_extra_hours: approved_extra_hours?,
            hsl_from: hsl_from?,
            hsl_to: hsl_to?,
            referral: referral?,
            level: level?,
            alarm: alarm?,
            relief_hours: relief_hours?,
        })
    }

    fn event(&mut self, c: &EventColumns, codes: &CodeBook) -> Option<Event> {
        let id = self.id_text(c.event_id);
        let provider = self.id_text(c.provider);
        let customer = self.read(c.customer, |t| Ok((!t.is_empty()).then(|| t.to_string())));
        let date = self.read(c.date, |t| time::parse_date(t).map_err(|e| e.to_string()));
        let kind = self.code(c.kind, codes, CodeColumn::Kind);
        Some(Event {
            id: id?,
            provider: provider?,
            customer: customer?,
            date: date?,
            kind: kind?,
        })
    }

    fn provider(&mut self, c: &ProviderColumns, codes: &CodeBook) -> Option<Provider> {
        let id = self.id_text(c.provider);
        let name = self.text(c.name);
        let regime = self.code(c.regime, codes, CodeColumn::Regime);
        Some(Provider {
            id: id?,
            name: name?,
            regime: regime?,
        })
    }
}

/// Cells are trimmed of Unicode whitespace (spreadsheets pad with no-break
/// spaces too); the ASCII pass first is only quicker on the common case.
fn trim(text: &str) -> &str {
    let text = text.trim_ascii();
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        text.trim()
    } else {
        text
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

// ---------------------------------------------------------------------------
// Values. Each parser gets the trimmed cell text ("" for an absent column)
// and returns the value or a message saying what was expected.

fn non_empty(name: &str, text: &str) -> Result<String, String> {
    if text.is_empty() {
        Err(format!("every row needs a {name}"))
    } else {
        Ok(text.to_string())
    }
}

fn parse_optional_date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    time::parse_date(text)
        .map(Some)
        .map_err(|e| format!("{e} (or empty)"))
}

fn parse_timestamp(text: &str) -> Result<(i64, NaiveDateTime), String> {
    time::parse_timestamp(text).map_err(|e| e.to_string())
}

fn parse_staff_count(text: &str) -> Result<u32, String> {
    if text.is_empty() {
        return Ok(1);
    }
    let expected = "expected a whole number of staff, 1 or more (empty = 1)";
    if let Some(rest) = text.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("negative staff count: {expected}"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("not a staff count: {expected}"));
    }
    match text.parse::<u32>() {
        Ok(0) => Err(format!("a visit has at least one staff member: {expected}")),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("implausibly large staff count: {expected}")),
    }
}

fn parse_level(text: &str) -> Result<Option<u8>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let level = text
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<u8>().ok())
        .flatten();
    match level {
        Some(level @ 1..=29) => Ok(Some(level)),
        _ => Err("not a need level: expected a whole number from 1 to 29 (empty = none)".into()),
    }
}

/// data-format.md: `ja`/`nej`/`true`/`false`, which unlike codes are not
/// case-sensitive.
fn parse_flag(text: &str) -> Result<bool, String> {
    const YES: [&str; 2] = ["ja", "true"];
    const NO: [&str; 2] = ["nej", "false"];
    if text.is_empty() || NO.iter().any(|n| text.eq_ignore_ascii_case(n)) {
        Ok(false)
    } else if YES.iter().any(|y| text.eq_ignore_ascii_case(y)) {
        Ok(true)
    } else {
        Err("not a yes/no value: expected ja, nej, true or false (empty = nej)".into())
    }
}

/// Hours per month. Only plain notation (digits, one decimal mark): anything
/// else, such as `1e3` or `1 000`, is more likely a broken export than a
/// number, and guessing would pay the wrong amount.
fn parse_hours(text: &str, decimal_comma: bool) -> Result<Decimal, String> {
    if text.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let expected = if decimal_comma {
        "expected hours like 12,5 or 12.5 (empty = 0)"
    } else {
        "expected hours like 12.5 (empty = 0)"
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mark = digits.find(|c| c == '.' || (decimal_comma && c == ','));
    // Decimal marks are one byte, so `mark + 1` is a char boundary.
    let (whole, fraction) = match mark {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    if !is_digits(whole) || !fraction.is_none_or(is_digits) {
        if !decimal_comma && text.contains(',') {
            return Err(format!(
                "not a number: the file is comma-separated, so the decimal mark is '.'; {expected}"
            ));
        }
        return Err(format!("not a number: {expected}"));
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.unwrap_or("");
    let too_large = "implausibly large: more than 1000000000 hours";
    if whole.len() > 10 {
        return Err(too_large.into());
    }
    if fraction.len() > 18 {
        return Err(format!("too many decimals (at most 18): {expected}"));
    }
    let plain = format!(
        "{}.{}",
        if whole.is_empty() { "0" } else { whole },
        if fraction.is_empty() { "0" } else { fraction }
    );
    let value = Decimal::from_str_exact(&plain).map_err(|_| format!("not a number: {expected}"))?;
    if value > Decimal::from(1_000_000_000u32) {
        return Err(too_large.into());
    }
    if negative && !value.is_zero() {
        return Err(format!("negative hours: {expected}"));
    }
    Ok(value.normalize())
}

fn parse_code(codes: &CodeBook, column: CodeColumn, text: &str) -> Result<Code, String> {
    match codes.lookup(column, text) {
        Ok(code) => Ok(code.unwrap_or(0)),
        Err(()) => {
            let declared = codes.values(column).unwrap_or_default();
            let name = column.column();
            if text.is_empty() {
                Err(format!("{name} is required; declared: {}", list(declared)))
            } else {
                Err(format!(
                    "not a {name} code declared by the rule file; declared: {}{}",
                    list(declared),
                    suggestion(text, declared)
                ))
            }
        }
    }
}

fn parse_status(codes: &CodeBook, text: &str) -> Result<Code, String> {
    if !text.is_empty() {
        return parse_code(codes, CodeColumn::Status, text);
    }
    match codes.lookup(CodeColumn::Status, DEFAULT_STATUS) {
        Ok(code) => Ok(code.unwrap_or(0)),
        Err(()) => Err(format!(
            "status is empty, and its default '{DEFAULT_STATUS}' is not declared by the rule file; declared: {}",
            list(codes.values(CodeColumn::Status).unwrap_or_default())
        )),
    }
}

fn parse_activities(codes: &CodeBook, text: &str) -> Result<ActivitySet, String> {
    let mut set = ActivitySet::default();
    // An undeclared column is not read: the contract does not look at it.
    let Some(declared) = codes.values(CodeColumn::Activities) else {
        return Ok(set);
    };
    if text.is_empty() {
        return Ok(set);
    }
    for code in text.split('|') {
        let code = code.trim();
        if code.is_empty() {
            return Err(
                "empty activity code: expected codes separated by single '|', e.g. dusch|tvätt"
                    .into(),
            );
        }
        let Some(index) = declared.iter().position(|d| d == code) else {
            return Err(format!(
                "activity code '{}' is not declared by the rule file; declared: {}{}",
                shorten(code),
                list(declared),
                suggestion(code, declared)
            ));
        };
        // ActivitySet holds 128 codes; the checker keeps catalogues within
        // that, and this keeps the shift below from overflowing regardless.
        let index = Code::try_from(index).ok().filter(|i| *i < 128);
        let Some(index) = index else {
            return Err(format!(
                "activity code '{code}' is beyond the 128 activities taxa can hold"
            ));
        };
        set.insert(index);
    }
    Ok(set)
}

/// At most this many declared values are listed in a message; the bundled
/// activity catalogue has 14, so it is shown whole.
const MAX_LISTED: usize = 14;

fn list(values: &[String]) -> String {
    let mut out = values
        .iter()
        .take(MAX_LISTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > MAX_LISTED {
        out.push_str(&format!(", … ({} more)", values.len() - MAX_LISTED));
    }
    out
}

/// A "did you mean" for a near miss: the same code in other case, or one
/// or two typos away.
fn suggestion(text: &str, declared: &[String]) -> String {
    use crate::suggest::{Tolerance, closest, same_but_case};
    let names = || declared.iter().map(String::as_str);
    if let Some(same) = same_but_case(text, names()) {
        return format!(" (codes are case-sensitive: did you mean '{same}'?)");
    }
    closest(text, names(), Tolerance::Code)
        .map(|d| format!(" (did you mean '{d}'?)"))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Tokenizer: RFC 4180 records with exact physical line numbers.

/// One record as raw bytes. Separators stay in `buf` between the fields, so
/// an unquoted line is copied in one piece; `fields` holds each field's range.
#[derive(Debug, Default)]
struct RawRecord {
    buf: Vec<u8>,
    fields: Vec<(usize, usize)>,
    /// Where the field being read starts in `buf`.
    field_start: usize,
    /// Physical line of the record's first byte.
    line: u64,
    /// End of file came inside a quoted field.
    unclosed_quote: bool,
    /// The record passed [`MAX_ROW_BYTES`]; its cells are incomplete.
    too_long: bool,
}

impl RawRecord {
    fn clear(&mut self) {
        self.buf.clear();
        self.fields.clear();
        self.field_start = 0;
        self.unclosed_quote = false;
        self.too_long = false;
    }

    fn len(&self) -> usize {
        self.fields.len()
    }

    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let (start, end) = *self.fields.get(i)?;
        Some(start..end)
    }

    fn field(&self, i: usize) -> Option<&[u8]> {
        self.buf.get(self.range(i)?)
    }

    fn full(&mut self) -> bool {
        // Fields count against the limit too: a row of a million separators
        // is as runaway as a million-byte cell.
        if self.buf.len() + self.fields.len() >= MAX_ROW_BYTES {
            self.too_long = true;
        }
        self.too_long
    }

    fn push(&mut self, byte: u8) {
        if !self.full() {
            self.buf.push(byte);
        }
    }

    /// Appends a run of plain bytes, keeping within [`MAX_ROW_BYTES`].
    fn push_run(&mut self, bytes: &[u8]) {
        let room = MAX_ROW_BYTES.saturating_sub(self.buf.len() + self.fields.len());
        if bytes.len() > room {
            self.too_long = true;
        }
        let keep = bytes.len().min(room);
        self.buf.extend_from_slice(&bytes[..keep]);
    }

    fn end_field(&mut self) {
        if !self.full() {
            self.fields.push((self.field_start, self.buf.len()));
        }
    }

    /// Ends a field at a separator and starts the next one after it.
    fn separate(&mut self, delimiter: u8) {
        self.end_field();
        self.push(delimiter);
        self.field_start = self.buf.len();
    }

    /// Copies unquoted text up to the next `"` or line break, splitting it
    /// at separators on the way. Returns the bytes taken and whether the
    /// last was a separator (so a `"` next would open a quoted field).
    fn push_unquoted(&mut self, input: &[u8], delimiter: u8) -> (usize, bool) {
        let base = self.buf.len();
        let mut taken = 0;
        let mut after_separator = false;
        for &b in input {
            if b == delimiter {
                self.fields.push((self.field_start, base + taken));
                self.field_start = base + taken + 1;
                after_separator = true;
            } else if b == b'"' || b == b'\n' || b == b'\r' {
                break;
            } else {
                after_separator = false;
            }
            taken += 1;
        }
        self.buf.extend_from_slice(&input[..taken]);
        // One buffer of input at most overshoots the limit before this.
        self.full();
        (taken, after_separator)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: either the first of `""` or the close.
    QuoteInQuoted,
}

/// Physical line numbering. A line ends at `\n`, `\r\n` or a lone `\r`, the
/// same breaks that end a record.
#[derive(Debug, Clone, Copy)]
struct Lines {
    /// Line of the next unread byte.
    line: u64,
    after_cr: bool,
}

impl Lines {
    fn count(&mut self, b: u8) {
        if b == b'\r' || (b == b'\n' && !self.after_cr) {
            self.line += 1;
        }
        self.after_cr = b == b'\r';
    }
}

struct Tokenizer<R> {
    input: R,
    delimiter: u8,
    /// Bytes that end a run of plain text outside quotes: the delimiter,
    /// `"` and line breaks. A table lookup keeps the per-byte loop short.
    special: [bool; 256],
    lines: Lines,
}

impl<R: BufRead> Tokenizer<R> {
    fn new(input: R, delimiter: u8) -> Self {
        let mut special = [false; 256];
        for b in [delimiter, b'"', b'\n', b'\r'] {
            special[usize::from(b)] = true;
        }
        Tokenizer {
            input,
            delimiter,
            special,
            lines: Lines {
                line: 1,
                after_cr: false,
            },
        }
    }

    fn line(&self) -> u64 {
        self.lines.line
    }

    /// Reads the next record, skipping empty lines. `Ok(false)` at the end.
    fn read_record(&mut self, record: &mut RawRecord) -> io::Result<bool> {
        record.clear();
        let Tokenizer {
            input,
            delimiter,
            special,
            lines,
        } = self;
        let delimiter = *delimiter;
        loop {
            let buf = fill(input)?;
            if buf.is_empty() {
                return Ok(false);
            }
            let skip = buf.iter().position(|&b| b != b'\n' && b != b'\r');
            let skipped = skip.unwrap_or(buf.len());
            buf[..skipped].iter().for_each(|&b| lines.count(b));
            input.consume(skipped);
            if skip.is_some() {
                break;
            }
        }
        record.line = lines.line;
        let mut state = State::StartField;
        loop {
            let buf = fill(input)?;
            if buf.is_empty() {
                record.unclosed_quote = state == State::Quoted;
                record.end_field();
                return Ok(true);
            }
            let mut i = 0;
            let mut done = false;
            while i < buf.len() {
                // Plain text is copied a run at a time; only the bytes that
                // change state go through the state machine below.
                let rest = &buf[i..];
                let run = match state {
                    State::QuoteInQuoted => 0,
                    State::Quoted => {
                        let run = rest
                            .iter()
                            .position(|&b| b == b'"' || b == b'\n' || b == b'\r');
                        let run = run.unwrap_or(rest.len());
                        record.push_run(&rest[..run]);
                        run
                    }
                    State::StartField | State::Unquoted if !record.too_long => {
                        let (run, after_separator) = record.push_unquoted(rest, delimiter);
                        if run > 0 {
                            state = if after_separator {
                                State::StartField
                            } else {
                                State::Unquoted
                            };
                        }
                        run
                    }
                    // Over the limit: skip plain text, keep finding the
                    // row's end.
                    State::StartField | State::Unquoted => {
                        let run = rest.iter().position(|&b| special[usize::from(b)]);
                        let run = run.unwrap_or(rest.len());
                        if run > 0 {
                            state = State::Unquoted;
                        }
                        run
                    }
                };
                if run > 0 {
                    lines.after_cr = false;
                    i += run;
                    continue;
                }
                let b = buf[i];
                i += 1;
                lines.count(b);
                let newline = b == b'\n' || b == b'\r';
                state = match state {
                    State::Quoted if b == b'"' => State::QuoteInQuoted,
                    State::Quoted => {
                        record.push(b);
                        State::Quoted
                    }
                    State::QuoteInQuoted if b == b'"' => {
                        record.push(b'"');
                        State::Quoted
                    }
                    State::StartField if b == b'"' => State::Quoted,
                    _ if b == delimiter => {
                        record.separate(delimiter);
                        State::StartField
                    }
                    _ if newline => {
                        record.end_field();
                        done = true;
                        break;
                    }
                    // Text after a closing quote is kept, as spreadsheets
                    // read it, rather than rejected.
                    _ => {
                        record.push(b);
                        State::Unquoted
                    }
                };
            }
            input.consume(i);
            if done {
                return Ok(true);
            }
        }
    }
}

fn fill<R: BufRead>(input: &mut R) -> io::Result<&[u8]> {
    loop {
        match input.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Re-borrow on success to satisfy the borrow checker's view of
            // the loop.
            Ok(_) => return input.fill_buf(),
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::error::FileErrorKind;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    fn codes() -> CodeBook {
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

    fn dir(files: &[(&str, &[u8])]) -> (tempfile::TempDir, DataDir) {
        let tmp = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(tmp.path().join(name), content).unwrap();
        }
        let data = DataDir::new(tmp.path());
        (tmp, data)
    }

    fn visits(content: &str) -> Vec<RowResult<Visit>> {
        visits_with(content.as_bytes(), &codes())
    }

    fn visits_with(content: &[u8], codes: &CodeBook) -> Vec<RowResult<Visit>> {
        let (_tmp, data) = dir(&[(VISITS, content)]);
        data.visits(codes, &[]).unwrap().collect()
    }

    fn customers(content: &str) -> Result<Vec<CustomerRow>, DataErrors> {
        let (_tmp, data) = dir(&[(CUSTOMERS, content.as_bytes())]);
        data.customers(&codes(), &[])
    }

    fn customer_errors(content: &str) -> Vec<RowError> {
        let errors = customers(content).unwrap_err();
        assert!(errors.file_errors.is_empty(), "{:?}", errors.file_errors);
        errors.errors
    }

    /// (line, column, column name, text) of each error, the parts a user needs
    /// to find the cell.
    fn places(errors: &[RowError]) -> Vec<(u64, usize, &str, &str)> {
        errors
            .iter()
            .map(|e| (e.line, e.column, e.column_name.as_str(), e.text.as_str()))
            .collect()
    }

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        time::parse_date(text).unwrap()
    }

    const VISIT_HEADER: &str =
        "visit_id,provider,customer,staff,start,end,staff_count,activities,status\n";

    #[test]
    fn reads_a_plain_visit() {
        let rows = visits(&format!(
            "{VISIT_HEADER}V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T08:30:00,2,dusch|tvätt,bom\n"
        ));
        let v = rows[0].as_ref().unwrap();
        assert_eq!(v.id, "V1");
        assert_eq!((v.provider.as_str(), v.customer.as_str()), ("P1", "C1"));
        assert_eq!(v.staff, 0);
        assert_eq!(v.duration(), 1800);
        assert_eq!(v.start_local, local("2025-03-03T08:00"));
        assert_eq!(v.staff_count, 2);
        assert_eq!(v.activities.iter().collect::<Vec<_>>(), vec![0, 3]);
        assert_eq!(v.status, 0);
    }

    #[test]
    fn bom_is_skipped() {
        let mut content = BOM.to_vec();
        content.extend_from_slice(b"visit_id,provider,customer,staff,start,end\nV1,P1,C1,rehab,2025-03-03T08:00,2025-03-03T09:00\nV2,P1,C1,x,2025-03-03T08:00,2025-03-03T09:00\n");
        let rows = visits_with(&content, &codes());
        assert_eq!(rows[0].as_ref().unwrap().staff, 2);
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(places(std::slice::from_ref(e)), [(3, 4, "staff", "x")]);
    }

    #[test]
    fn semicolon_files_use_decimal_comma() {
        let rows = customers(
            "customer;provider;from;to;zone;granted_hours;approved_extra_hours;relief_hours\n\
             C1;P1;2025-01-01;;tätort;12,5;3.25;\"1,0\"\n",
        )
        .unwrap();
        let row = &rows[0];
        assert_eq!(row.granted_hours, Decimal::new(125, 1));
        assert_eq!(row.approved_extra_hours, Decimal::new(325, 2));
        assert_eq!(row.relief_hours, Decimal::ONE);
        assert_eq!(row.from, Some(date("2025-01-01")));
        assert_eq!(row.to, None);
    }

    #[test]
    fn comma_files_use_decimal_point() {
        let errors = customer_errors(
            "customer,provider,from,to,zone,granted_hours\nC1,P1,,,tätort,\"12,5\"\n",
        );
        assert_eq!(places(&errors), [(2, 6, "granted_hours", "12,5")]);
        assert!(
            errors[0].message.contains("decimal mark is '.'"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn separator_is_the_more_frequent_one_in_the_header() {
        // An extra column whose name holds a comma does not turn a
        // semicolon file into a comma file.
        let rows = customers(
            "customer;provider;from;to;zone;Anteckning, intern\nC1;P1;;;landsbygd;a, b\n",
        )
        .unwrap();
        assert_eq!(rows[0].zone, 1);
        // Separators inside quotes do not count.
        let rows = customers(
            "\"customer\";\"provider\";from;to;\"zone\";\"a,b,c,d,e,f\"\nC1;P1;;;landsbygd;x\n",
        )
        .unwrap();
        assert_eq!(rows[0].zone, 1);
    }

    #[test]
    fn column_order_is_free_and_unknown_columns_are_ignored() {
        let rows = visits(
            " end ,note,staff, start,customer,provider,visit_id,extra\n\
             2025-03-03T09:00,\"hello, world\",sjuksköterska,2025-03-03T08:00,C9,P9,V9,åäö\n",
        );
        let v = rows[0].as_ref().unwrap();
        assert_eq!(
            (v.id.as_str(), v.provider.as_str(), v.customer.as_str()),
            ("V9", "P9", "C9")
        );
        assert_eq!(v.staff, 1);
        assert_eq!(v.duration(), 3600);
    }

    #[test]
    fn timestamps_accept_space_and_offsets() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end\n\
             V1,P,C,omsorg,2025-03-01 08:00,2025-03-01T08:00:00+01:00\n\
             V2,P,C,omsorg,2025-03-31T23:30:00Z,2025-04-01 02:00:00\n",
        );
        let v1 = rows[0].as_ref().unwrap();
        assert_eq!(v1.duration(), 0);
        let v2 = rows[1].as_ref().unwrap();
        // Dated by its Stockholm date, not its UTC date.
        assert_eq!(v2.date(), date("2025-04-01"));
        assert_eq!(v2.duration(), 1800);
    }

    #[test]
    fn daylight_saving_changes() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end\n\
             V1,P,C,omsorg,2025-03-30T01:30,2025-03-30T03:30\n\
             V2,P,C,omsorg,2025-10-26T02:30,2025-10-26T02:30:00+02:00\n\
             V3,P,C,omsorg,2025-03-30T01:30,2025-03-30T02:30\n",
        );
        assert_eq!(rows[0].as_ref().unwrap().duration(), 3600);
        assert_eq!(rows[1].as_ref().unwrap().duration(), 0);
        let e = rows[2].as_ref().unwrap_err();
        assert_eq!(
            places(std::slice::from_ref(e)),
            [(4, 6, "end", "2025-03-30T02:30")]
        );
        assert!(e.message.contains("does not exist in Europe/Stockholm"));
        assert_eq!(e.id.as_deref(), Some("V3"));
    }

    #[test]
    fn absent_optional_columns_take_their_empty_defaults() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end\nV1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00\n",
        );
        let v = rows[0].as_ref().unwrap();
        assert_eq!(v.staff_count, 1);
        assert!(v.activities.is_empty());
        assert_eq!(v.status, 1, "empty status is utförd, declared second");

        let rows =
            customers("customer,provider,from,to,zone\nC1,P1,,2025-12-31,skärgård\n").unwrap();
        assert_eq!(
            rows[0],
            CustomerRow {
                customer: "C1".into(),
                provider: "P1".into(),
                from: None,
                to: Some(date("2025-12-31")),
                zone: 2,
                granted_hours: Decimal::ZERO,
                approved_extra_hours: Decimal::ZERO,
                hsl_from: None,
                hsl_to: None,
                referral: false,
                level: None,
                alarm: false,
                relief_hours: Decimal::ZERO,
            }
        );
    }

    #[test]
    fn empty_cells_take_their_defaults() {
        let rows = visits(&format!(
            "{VISIT_HEADER}V1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,,,\n"
        ));
        let v = rows[0].as_ref().unwrap();
        assert_eq!(
            (v.staff_count, v.activities.is_empty(), v.status),
            (1, true, 1)
        );

        let rows = customers(
            "customer,provider,from,to,zone,granted_hours,approved_extra_hours,hsl_from,hsl_to,referral,level,alarm,relief_hours\n\
             C1,P1,,,tätort,,,,,,,,\n\
             C2,P1,2025-01-01,2025-06-30,tätort,40.5,2,2024-03-01,,JA,29,true,0.5\n",
        )
        .unwrap();
        assert_eq!(
            (rows[0].referral, rows[0].alarm, rows[0].level),
            (false, false, None)
        );
        let c2 = &rows[1];
        assert_eq!(c2.granted_hours, Decimal::new(405, 1));
        assert_eq!(c2.hsl_from, Some(date("2024-03-01")));
        assert_eq!((c2.referral, c2.alarm, c2.level), (true, true, Some(29)));
    }

    #[test]
    fn undeclared_code_columns_accept_anything() {
        let empty = CodeBook::default();
        let rows = visits_with(
            format!("{VISIT_HEADER}V1,P,C,whatever,2025-03-03T08:00,2025-03-03T09:00,1,x||y,?\n")
                .as_bytes(),
            &empty,
        );
        let v = rows[0].as_ref().unwrap();
        assert_eq!((v.staff, v.status, v.activities.is_empty()), (0, 0, true));
    }

    #[test]
    fn empty_status_needs_the_default_declared() {
        let mut codes = codes();
        codes.declare(CodeColumn::Status, strings(&["bom", "performed"]));
        let rows = visits_with(
            format!("{VISIT_HEADER}V1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n")
                .as_bytes(),
            &codes,
        );
        let e = rows[0].as_ref().unwrap_err();
        assert_eq!((e.column, e.column_name.as_str()), (9, "status"));
        assert!(
            e.message.contains("'utförd' is not declared"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_visit_values_name_line_column_and_text() {
        let rows = visits(&format!(
            "{VISIT_HEADER}\
             V01,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,0,,\n\
             V02,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,-1,,\n\
             V03,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1.5,,\n\
             V04,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,två,,\n\
             V05,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,dusch||tvätt,\n\
             V06,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,dusch|bada,\n\
             V07,P,C,Omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n\
             V08,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,Utförd\n\
             V09,P,C,omsorg,2025-03-03T08:00:00.5,2025-03-03T09:00,1,,\n\
             V10,P,C,omsorg,03/03/2025 08:00,2025-03-03T09:00,1,,\n\
             ,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n\
             V12,,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n\
             V13,P,C,omsorg,2025-02-30T08:00,2025-03-03T09:00,1,,\n"
        ));
        let errors: Vec<RowError> = rows.into_iter().map(|r| r.unwrap_err()).collect();
        assert_eq!(
            places(&errors),
            [
                (2, 7, "staff_count", "0"),
                (3, 7, "staff_count", "-1"),
                (4, 7, "staff_count", "1.5"),
                (5, 7, "staff_count", "två"),
                (6, 8, "activities", "dusch||tvätt"),
                (7, 8, "activities", "dusch|bada"),
                (8, 4, "staff", "Omsorg"),
                (9, 9, "status", "Utförd"),
                (10, 5, "start", "2025-03-03T08:00:00.5"),
                (11, 5, "start", "03/03/2025 08:00"),
                (12, 1, "visit_id", ""),
                (13, 2, "provider", ""),
                (14, 5, "start", "2025-02-30T08:00"),
            ]
        );
        let ids: Vec<_> = errors.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids[0], Some("V01"));
        assert_eq!(ids[10], None);
        assert_eq!(ids[11], Some("V12"));
        assert_eq!(errors[0].file, "visits.csv");
        assert_eq!(
            errors[5].message,
            "activity code 'bada' is not declared by the rule file; declared: dusch, inköp, städning, tvätt, delegering_läkemedel"
        );
        assert!(
            errors[6].message.contains("did you mean 'omsorg'"),
            "{}",
            errors[6].message
        );
        assert!(
            errors[8].message.contains("fractional seconds"),
            "{}",
            errors[8].message
        );
        assert_eq!(errors[10].message, "every row needs a visit_id");
        assert!(
            errors[12].message.contains("no such date"),
            "{}",
            errors[12].message
        );
    }

    #[test]
    fn bad_customer_values_are_all_reported() {
        let errors = customer_errors(
            "customer,provider,from,to,zone,granted_hours,approved_extra_hours,hsl_from,hsl_to,referral,level,alarm,relief_hours\n\
             C1,P1,2025-1-1,,tätort,-3,1e3,,,kanske,0,nej,1 000\n\
             C2,P1,,2025-02-29,stad,1000000001,NaN,,,,30,,inf\n\
             C3,P1,,,tätort,1.000.5,,,,,x,,\n\
             ,P1,,,tätort,,,,,,,,\n",
        );
        assert_eq!(
            places(&errors),
            [
                (2, 3, "from", "2025-1-1"),
                (2, 6, "granted_hours", "-3"),
                (2, 7, "approved_extra_hours", "1e3"),
                (2, 10, "referral", "kanske"),
                (2, 11, "level", "0"),
                (2, 13, "relief_hours", "1 000"),
                (3, 4, "to", "2025-02-29"),
                (3, 5, "zone", "stad"),
                (3, 6, "granted_hours", "1000000001"),
                (3, 7, "approved_extra_hours", "NaN"),
                (3, 11, "level", "30"),
                (3, 13, "relief_hours", "inf"),
                (4, 6, "granted_hours", "1.000.5"),
                (4, 11, "level", "x"),
                (5, 1, "customer", ""),
            ]
        );
        assert!(
            errors[1].message.starts_with("negative"),
            "{}",
            errors[1].message
        );
        assert!(
            errors[8].message.starts_with("implausibly large"),
            "{}",
            errors[8].message
        );
        assert!(
            errors
                .iter()
                .all(|e| e.id.is_none() && e.file == "customers.csv")
        );
        // Exactly the limit is fine.
        let rows = customers(
            "customer,provider,from,to,zone,granted_hours\nC1,P1,,,tätort,1000000000.0\n",
        )
        .unwrap();
        assert_eq!(rows[0].granted_hours, Decimal::from(1_000_000_000));
    }

    #[test]
    fn events_and_providers() {
        let (_tmp, data) = dir(&[
            (
                EVENTS,
                "event_id;provider;customer;date;kind\nE1;P1;;2025-03-04;teamkonferens\nE2;P1;C1;2025-03-32;sip_leda\nE3;P1;C1;2025-03-05;sip_leda\n"
                    .as_bytes(),
            ),
            (PROVIDERS, "provider,name,regime\nP1,\"Omsorg, AB\",privat\nP2,,kommunal\n".as_bytes()),
        ]);
        let events = data.events(&codes(), &[]).unwrap();
        let e1 = events[0].as_ref().unwrap();
        assert_eq!(
            (e1.id.as_str(), e1.customer.as_deref(), e1.kind),
            ("E1", None, 1)
        );
        let bad = events[1].as_ref().unwrap_err();
        assert_eq!(
            (bad.line, bad.column, bad.id.as_deref()),
            (3, 4, Some("E2"))
        );
        assert_eq!(events[2].as_ref().unwrap().customer.as_deref(), Some("C1"));

        let providers = data.providers(&codes(), &[]).unwrap();
        assert_eq!(
            providers,
            [
                Provider {
                    id: "P1".into(),
                    name: "Omsorg, AB".into(),
                    regime: 0
                },
                Provider {
                    id: "P2".into(),
                    name: String::new(),
                    regime: 1
                },
            ]
        );
    }

    #[test]
    fn declared_regime_is_required() {
        let (_tmp, data) = dir(&[(PROVIDERS, b"provider,regime\nP1,\nP2,privat\n")]);
        let errors = data.providers(&codes(), &[]).unwrap_err();
        assert_eq!(places(&errors.errors), [(2, 2, "regime", "")]);
        assert!(errors.errors[0].message.starts_with("regime is required"));

        // Absent column: every row lacks it, reported at column 0.
        let (_tmp, data) = dir(&[(PROVIDERS, b"provider\nP1\n")]);
        let errors = data.providers(&codes(), &[]).unwrap_err();
        assert_eq!(places(&errors.errors), [(2, 0, "regime", "")]);
        // Undeclared: any regime, code 0.
        let providers = data.providers(&CodeBook::default(), &[]).unwrap();
        assert_eq!((providers[0].name.as_str(), providers[0].regime), ("", 0));
    }

    #[test]
    fn quoted_line_breaks_keep_physical_line_numbers() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end,note\r\n\
             V1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,\"two\r\nlines\"\r\n\
             V2,P,C,x,2025-03-03T08:00,2025-03-03T09:00,\"three\nmore\nlines\"\r\n\
             \r\n\
             \n\
             V3,P,C,y,2025-03-03T08:00,2025-03-03T09:00,\"\"\"quoted\"\"\"\r\n\
             V4,P,C,z,2025-03-03T08:00,2025-03-03T09:00,last",
        );
        assert!(rows[0].is_ok());
        let lines: Vec<_> = rows[1..]
            .iter()
            .map(|r| r.as_ref().unwrap_err().line)
            .collect();
        assert_eq!(lines, [4, 9, 10]);
    }

    #[test]
    fn blank_and_ragged_rows() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end\n\
             \n\
             V1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00\n\
             \x20\x20\n\
             V2,P,C,omsorg,2025-03-03T08:00\n\
             V3,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,extra,cells\n\
             ,,,,,\n",
        );
        assert_eq!(rows.len(), 4);
        assert!(rows[0].is_ok());
        let errors: Vec<_> = rows[1..].iter().map(|r| r.clone().unwrap_err()).collect();
        assert_eq!(
            places(&errors),
            [
                (5, 6, "end", ""),
                (6, 7, "", "extra"),
                (7, 1, "visit_id", "")
            ]
        );
        assert_eq!(
            errors[0].message,
            "the row has 5 cells but the header has 6 columns"
        );
        assert_eq!(errors[1].id.as_deref(), Some("V3"));
    }

    #[test]
    fn unclosed_quote_is_a_row_error() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end\n\
             V1,P,C,omsorg,2025-03-03T08:00,\"2025-03-03T09:00\n\
             V2,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00\n",
        );
        assert_eq!(rows.len(), 1);
        let e = rows[0].as_ref().unwrap_err();
        assert_eq!((e.line, e.column, e.column_name.as_str()), (2, 6, "end"));
        assert!(e.message.contains("not closed"));
    }

    #[test]
    fn runaway_rows_are_cut_off() {
        let mut content = b"visit_id,provider,customer,staff,start,end\nV1,\"".to_vec();
        content.resize(content.len() + 3 * MAX_ROW_BYTES, b'x');
        let rows = visits_with(&content, &codes());
        assert_eq!(rows.len(), 1);
        let e = rows[0].as_ref().unwrap_err();
        assert_eq!((e.line, e.column), (2, 0));
        assert!(e.message.contains("longer than"));
    }

    #[test]
    fn bad_utf8_cell_is_a_row_error() {
        let rows = visits_with(
            b"visit_id,provider,customer,staff,start,end\nV1,P,C,sjuksk\xf6terska,2025-03-03T08:00,2025-03-03T09:00\n",
            &codes(),
        );
        let e = rows[0].as_ref().unwrap_err();
        assert_eq!(
            (e.line, e.column, e.text.as_str()),
            (2, 4, "sjuksk\u{fffd}terska")
        );
        assert!(e.message.contains("UTF-8"));
        // Bytes in a column the reader does not use are not its business.
        let rows = visits_with(
            b"visit_id,provider,customer,staff,start,end,note\nV1,P,C,rehab,2025-03-03T08:00,2025-03-03T09:00,\xff\n",
            &codes(),
        );
        assert!(rows[0].is_ok());
    }

    #[test]
    fn header_problems_are_file_errors() {
        let (_tmp, data) = dir(&[(VISITS, b"visit_id,provider,customer,Staff,start\n")]);
        let errors = data
            .visits(&codes(), &["activities", "staff_count"])
            .unwrap_err();
        let messages: Vec<_> = errors.file_errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "visits.csv:1: has no column 'staff', which the data layout requires (there is 'Staff'; column names are case-sensitive)",
                "visits.csv:1: has no column 'end', which the data layout requires",
                "visits.csv:1: has no column 'activities', which the rule file uses",
                "visits.csv:1: has no column 'staff_count', which the rule file uses",
            ]
        );
        assert!(
            errors
                .file_errors
                .iter()
                .all(|e| e.kind == FileErrorKind::MissingColumn)
        );

        let (_tmp, data) = dir(&[(PROVIDERS, b"provider,name,name\nP1,a,b\n")]);
        let errors = data.providers(&codes(), &[]).unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::DuplicateColumn);

        let (_tmp, data) = dir(&[(CUSTOMERS, b"")]);
        let errors = data.customers(&codes(), &[]).unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Unreadable);

        let (_tmp, data) = dir(&[(CUSTOMERS, b"customer,provider,from,to,zone,\xffx\n")]);
        let errors = data.customers(&codes(), &[]).unwrap_err();
        assert_eq!(errors.file_errors[0].line, Some(1));
        assert!(errors.file_errors[0].message.contains("UTF-8"));
    }

    #[test]
    fn missing_files() {
        let (_tmp, data) = dir(&[]);
        assert_eq!(data.providers(&codes(), &[]).unwrap(), []);
        assert!(data.events(&codes(), &["customer"]).unwrap().is_empty());
        let errors = data.customers(&codes(), &[]).unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Missing);
        assert_eq!(errors.file_errors[0].file, "customers.csv");
        let errors = data.visits(&codes(), &[]).unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Missing);
    }

    #[test]
    fn visits_stream_many_rows() {
        let mut content = String::from("visit_id;provider;customer;staff;start;end\n");
        for i in 0..20_000 {
            content.push_str(&format!(
                "V{i};P;C;omsorg;2025-03-03T08:00;2025-03-03T09:00\n"
            ));
        }
        let (_tmp, data) = dir(&[(VISITS, content.as_bytes())]);
        let reader = data.visits(&codes(), &[]).unwrap();
        assert!(reader.semicolon_separated());
        assert_eq!(reader.filter(|r| r.is_ok()).count(), 20_000);
    }

    #[test]
    fn tokenizer_splits_rfc4180() {
        let input = b"a,\"b,c\",\"d\"\"e\"\r\n\"x\"y,,\n\r\nlast";
        let mut tokenizer = Tokenizer::new(&input[..], b',');
        let mut record = RawRecord::default();
        let mut all = Vec::new();
        while tokenizer.read_record(&mut record).unwrap() {
            let fields: Vec<String> = (0..record.len())
                .map(|i| String::from_utf8(record.field(i).unwrap().to_vec()).unwrap())
                .collect();
            all.push((record.line, fields));
        }
        let expected: Vec<(u64, Vec<String>)> = vec![
            (1, strings(&["a", "b,c", "d\"e"])),
            (2, strings(&["xy", "", ""])),
            (4, strings(&["last"])),
        ];
        assert_eq!(all, expected);
    }

    fn tokenize(input: &[u8], capacity: usize) -> Vec<(u64, Vec<Vec<u8>>, bool)> {
        let reader = std::io::BufReader::with_capacity(capacity, input);
        let mut tokenizer = Tokenizer::new(reader, b';');
        let mut record = RawRecord::default();
        let mut all = Vec::new();
        while tokenizer.read_record(&mut record).unwrap() {
            let fields = (0..record.len())
                .map(|i| record.field(i).unwrap().to_vec())
                .collect();
            all.push((record.line, fields, record.unclosed_quote));
        }
        all
    }

    #[test]
    fn tokenizer_does_not_depend_on_buffer_boundaries() {
        let input =
            b"a;\"b;\r\nc\";\"d\"\"e\"\r\n\r\n\"x\"y;;\n\rq\"r;s\r\n;\n\"\"\nlast;\"open\nend";
        let whole = tokenize(input, 1 << 16);
        assert_eq!(whole.len(), 6, "{whole:?}");
        assert_eq!(
            whole[0].1,
            [b"a".to_vec(), b"b;\r\nc".to_vec(), b"d\"e".to_vec()]
        );
        assert_eq!(whole[3].1, [b"".to_vec(), b"".to_vec()]);
        assert_eq!(
            whole[5],
            (9, vec![b"last".to_vec(), b"open\nend".to_vec()], true)
        );
        for capacity in 1..8 {
            assert_eq!(tokenize(input, capacity), whole, "capacity {capacity}");
        }
    }

    proptest::proptest! {
        /// Any split of the input into buffer-sized pieces reads the same.
        #[test]
        fn tokenizer_chunking_is_invisible(input in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'b', b';', b'"', b'\n', b'\r', b' ']), 0..80),
            capacity in 1usize..9) {
            proptest::prop_assert_eq!(tokenize(&input, capacity), tokenize(&input, 1 << 16));
        }
    }

    /// Error messages are a product: this pins how a typical set reads.
    #[test]
    fn rendered_messages() {
        let (_tmp, data) = dir(&[
            (
                CUSTOMERS,
                "customer;provider;from;to;zone;granted_hours;referral;level\n\
                 C1;P1;2025-1-1;2025-02-30;Tätort;-3;kanske;30\n\
                 C2;P1;;;tätort;1.000,5;ja;\n\
                 ;P1;;;x;;;\n\
                 C3;P1;;\n"
                    .as_bytes(),
            ),
            (
                VISITS,
                "visit_id,provider,customer,staff,start,end,activities,status\n\
                 V1,P,C,sjukskoterska,2025-03-30T02:30,2025-03-30T03:30:00.5,dusch|bada,\n\
                 V2,P,C,omsorg,2025-03-30 01:00,2025-03-30T03:00+0100,dusch||tvätt,Bom\n\
                 V3,P,C,omsorg,2025-03-30 01:00,2025-03-30T03:00:00.5\n"
                    .as_bytes(),
            ),
        ]);
        let mut rendered = Vec::new();
        let errors = data.customers(&codes(), &[]).unwrap_err();
        rendered.push(errors.to_string());
        rendered.extend(errors.errors.iter().map(|e| e.to_string()));
        let visits = data.visits(&codes(), &[]).unwrap();
        rendered.extend(visits.filter_map(|v| v.err()).map(|e| e.to_string()));
        let errors = data.visits(&codes(), &["staff_count"]).unwrap_err();
        rendered.push(errors.to_string());
        insta::assert_snapshot!(rendered.join("\n"), @r#"
        customers.csv: 10 unreadable values
        customers.csv:2:3: from "2025-1-1": not a date: expected YYYY-MM-DD (or empty)
        customers.csv:2:4: to "2025-02-30": no such date in the calendar: expected a real date as YYYY-MM-DD (or empty)
        customers.csv:2:5: zone "Tätort": not a zone code declared by the rule file; declared: tätort, landsbygd, skärgård (codes are case-sensitive: did you mean 'tätort'?)
        customers.csv:2:6: granted_hours "-3": negative hours: expected hours like 12,5 or 12.5 (empty = 0)
        customers.csv:2:7: referral "kanske": not a yes/no value: expected ja, nej, true or false (empty = nej)
        customers.csv:2:8: level "30": not a need level: expected a whole number from 1 to 29 (empty = none)
        customers.csv:3:6: granted_hours "1.000,5": not a number: expected hours like 12,5 or 12.5 (empty = 0)
        customers.csv:4:1: customer (empty): every row needs a customer
        customers.csv:4:5: zone "x": not a zone code declared by the rule file; declared: tätort, landsbygd, skärgård
        customers.csv:5:5: zone (empty): the row has 4 cells but the header has 8 columns
        visits.csv:2:4: staff "sjukskoterska": not a staff code declared by the rule file; declared: omsorg, sjuksköterska, rehab (did you mean 'sjuksköterska'?)
        visits.csv:3:6: end "2025-03-30T03:00+0100": not a UTC offset: expected Z or ±HH:MM, e.g. +01:00
        visits.csv:4:7: activities (empty): the row has 6 cells but the header has 8 columns
        visits.csv:1: has no column 'staff_count', which the rule file uses
        "#);
    }

    #[test]
    fn suggestions() {
        let declared = strings(&["omsorg", "sjuksköterska", "rehab"]);
        assert_eq!(
            suggestion("sjukskoterska", &declared),
            " (did you mean 'sjuksköterska'?)"
        );
        assert_eq!(
            suggestion("REHAB", &declared),
            " (codes are case-sensitive: did you mean 'rehab'?)"
        );
        assert_eq!(suggestion("x", &declared), "");
        let many: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
        assert!(list(&many).ends_with("c13, … (6 more)"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(64))]

        /// No input, however broken, makes the reader panic.
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
                                       pick in proptest::collection::vec(0usize..12, 0..60)) {
            // Mix random bytes with pieces of real rows so the parsers are reached.
            const PIECES: [&[u8]; 12] = [b",", b";", b"\"", b"\n", b"\r\n", b"2025-03-30T02:30", b"omsorg",
                b"dusch||", b"-1,5", b"\xef\xbb\xbf", b"2025-02-30", b"V1"];
            let mut content = b"visit_id,provider,customer,staff,start,end,staff_count,activities,status\n".to_vec();
            for p in &pick {
                content.extend_from_slice(PIECES[*p]);
            }
            content.extend_from_slice(&body);
            let (_tmp, data) = dir(&[(VISITS, &content), (CUSTOMERS, &content), (EVENTS, &body), (PROVIDERS, &content)]);
            if let Ok(reader) = data.visits(&codes(), &["x"]) {
                for row in reader {
                    if let Err(e) = row { let _ = e.to_string(); }
                }
            }
            let _ = data.customers(&codes(), &[]).map_err(|e| e.to_string());
            let _ = data.events(&codes(), &[]).map_err(|e| e.to_string());
            let _ = data.providers(&codes(), &[]).map_err(|e| e.to_string());
        }
    }
}
