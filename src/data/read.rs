//! Readers: the files of a data folder ([`DataDir`]) turned into typed rows
//! (data-format.md), strictly or leniently.
//!
//! Every unreadable cell of a file is reported, not only the first, with the
//! file, the physical line and the 1-based column, so the user can fix a whole
//! export in one go. visits.csv can hold millions of rows, so it is read as a
//! stream ([`VisitReader`]); the other files are small and read whole.
//!
//! A file is opened here (records from `csv`, its header checked by
//! `layout`); each row's cells are read through `cells` with the parsers of
//! `values`, one function per file putting them together into a row.
//!
//! A file may be an Excel workbook instead (visits.xlsx, …): its sheet is
//! written out as CSV by `xlsx` and read here like any CSV file, its errors
//! then placed in the sheet.
//!
//! Provider and customer ids are interned into the run's [`Ids`] as their
//! cells are read. The run reads providers.csv first, then customers.csv,
//! events.csv and visits.csv, so the providers providers.csv lists are the
//! ids `0..k` (see `eval::parties`).

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::cells::{Cells, DeclaredAt};
use super::csv::{MAX_QUOTED_LINES, RawRecord, Tokenizer};
use super::error::{
    DataErrors, DataWarning, DataWarningKind, FileError, FileErrorKind, RowError, RowErrors,
};
pub use super::layout::{CUSTOMERS, EVENTS, PROVIDERS, VISITS};
use super::layout::{
    CustomerColumns, EventColumns, FileColumns, Header, Layout, ProviderColumns, VisitColumns,
    check_columns, read_header,
};
use super::model::{CustomerRow, Event, Ids, Provider, Reading, Schema, Visit};
pub use super::open::VisitsFile;
use super::open::{At, Input, open_input};
use super::values::{parse_date, parse_optional_date, parse_timestamp};
use super::xlsx::{Sheet, date_columns};

/// One data row read, or every reason it cannot be (each unreadable cell).
pub type RowResult<T> = Result<T, RowErrors>;

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
    /// The schema says which declared columns are read. Warnings (a quoted cell over many lines) are added to
    /// `warnings`, whatever the outcome.
    pub fn customers(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Result<Vec<CustomerRow>, DataErrors> {
        strict(self.customers_lenient(codes, ids, warnings))
    }

    /// customers.csv for a lenient run: the readable rows, and the errors of
    /// the rows that cannot be read.
    pub fn customers_lenient(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Result<(Vec<CustomerRow>, Vec<RowError>), DataErrors> {
        self.read_lenient(codes, ids, warnings, customer_row)
    }

    /// providers.csv for a lenient run.
    pub fn providers_lenient(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Result<(Vec<Provider>, Vec<RowError>), DataErrors> {
        self.read_lenient(codes, ids, warnings, provider_row)
    }

    /// providers.csv: optional file (a missing file gives no providers).
    pub fn providers(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Result<Vec<Provider>, DataErrors> {
        strict(self.providers_lenient(codes, ids, warnings))
    }

    /// events.csv: optional file (a missing file gives no events). Each row
    /// comes with its own outcome, because in lenient mode an unreadable
    /// event is a not-paid row rather than a stop.
    pub fn events(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Result<Vec<RowResult<Event>>, DataErrors> {
        let mut rows = Vec::new();
        self.each_row(codes, ids, warnings, event_row, |row| {
            rows.push(row);
        })?;
        Ok(rows)
    }

    /// Opens visits.csv (required file) for a whole run: once, however
    /// many passes read it ([`VisitsFile::rows`]), so that every pass reads
    /// the same bytes (see `open`). A pipe is spooled here.
    pub fn open_visits(&self) -> Result<VisitsFile, DataErrors> {
        VisitsFile::open(&self.path, VISITS)
    }

    /// The readable rows of a small file and the errors of the others; only
    /// file-level problems (a missing column, bad UTF-8 in the header) are an
    /// `Err`.
    fn read_lenient<C: FileColumns, T>(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
        row: impl FnMut(&mut Cells<'_>, &C, &mut Ids) -> Option<T>,
    ) -> Result<(Vec<T>, Vec<RowError>), DataErrors> {
        let mut rows = Vec::new();
        let mut row_errors = Vec::new();
        self.each_row(codes, ids, warnings, row, |read| match read {
            Ok(read) => rows.push(read),
            Err(e) => row_errors.extend(e),
        })?;
        Ok((rows, row_errors))
    }

    /// Reads every row of a small file, handing each row's value, or all its
    /// errors, to `each`. Only file-level problems are an `Err`, reported
    /// after the rows; an optional file that is not there has no rows.
    fn each_row<C: FileColumns, T>(
        &self,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
        row: impl FnMut(&mut Cells<'_>, &C, &mut Ids) -> Option<T>,
        each: impl FnMut(RowResult<T>),
    ) -> Result<(), DataErrors> {
        let file = (C::LAYOUT, C::new as fn(&Header) -> C);
        self.rows_of(file, codes, ids, warnings, row, each)
    }

    /// [`DataDir::each_row`] for a layout known only at run time (a file
    /// the rule file declares, see `own`): the layout, and how its columns
    /// are found in the header.
    pub(super) fn rows_of<C, T>(
        &self,
        (layout, find): (Layout, impl FnOnce(&Header) -> C),
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
        mut row: impl FnMut(&mut Cells<'_>, &C, &mut Ids) -> Option<T>,
        mut each: impl FnMut(RowResult<T>),
    ) -> Result<(), DataErrors> {
        let input = open_input(&self.path, layout.file, layout.file_required)?;
        let (file, sheet) = match input {
            None => return Ok(()),
            Some(Input::Csv(file)) => (file, None),
            Some(Input::Workbook(mut book)) => {
                let spool = book.spool(|names| date_columns(names, &layout, codes))?;
                (spool.file, Some(Arc::new(spool.sheet)))
            }
        };
        let mut csv = CsvFile::read(file, layout, codes, sheet)?;
        let columns = find(&csv.header);
        let mut errors = DataErrors::default();
        loop {
            let next = csv.next_row();
            match next {
                Next::End => break,
                Next::Failed(error) => errors.file_errors.push(error),
                Next::Unreadable(error) => each(csv.placed(Err(error.into()))),
                Next::Row(mut cells) => {
                    let value = row(&mut cells, &columns, ids);
                    let read = cells.finish(value);
                    each(csv.placed(read));
                }
            }
        }
        warnings.append(&mut csv.warnings);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl VisitsFile {
    /// One pass over visits.csv, as a stream: the file is read from its
    /// start as the iterator advances, one row at a time, so memory does
    /// not grow with the number of visits. Header problems are reported
    /// here; row problems come out of the iterator. Provider and customer
    /// ids are interned into `ids`, which the reader lends out between rows
    /// ([`VisitReader::ids`]). Passes are independent of one another (each
    /// reads at its own offset) but are meant to run one after the other.
    pub fn rows<'i>(
        &'i self,
        codes: &Schema,
        ids: &'i mut Ids,
    ) -> Result<VisitReader<'i>, DataErrors> {
        self.unchanged(VISITS)?;
        let (reader, sheet) = self.source(codes)?;
        let csv = CsvFile::read(reader, VisitColumns::LAYOUT, codes, sheet)?;
        let columns = VisitColumns::new(&csv.header);
        Ok(VisitReader {
            csv,
            file: self,
            columns,
            ids,
            ended: false,
        })
    }
}

/// The rows of visits.csv in one pass, read lazily. Yields one `Err` per
/// unreadable row, with every bad cell of it; a read failure part-way
/// through the file, or the file found written in place at the end of the
/// pass, is yielded as an error of the row where it happened and ends the
/// stream. Warnings gather in [`VisitReader::warnings`]; every pass finds
/// the same, so a run takes them from one.
pub struct VisitReader<'i> {
    csv: CsvFile<At<'i>>,
    file: &'i VisitsFile,
    columns: VisitColumns,
    ids: &'i mut Ids,
    ended: bool,
}

impl VisitReader<'_> {
    /// Whether the file uses `;` as separator and `,` as decimal mark.
    pub fn semicolon_separated(&self) -> bool {
        self.csv.decimal_comma
    }

    /// The ids read so far, for the names of the row just yielded.
    pub fn ids(&self) -> &Ids {
        self.ids
    }

    /// The warnings of the rows read so far, in file order.
    pub fn warnings(&self) -> &[DataWarning] {
        &self.csv.warnings
    }

    /// The warnings of the rows read so far, handed over.
    pub fn take_warnings(&mut self) -> Vec<DataWarning> {
        std::mem::take(&mut self.csv.warnings)
    }
}

impl std::fmt::Debug for VisitReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VisitReader")
            .field("file", &self.csv.layout.file)
            .field("line", &self.csv.tokenizer.line())
            .finish_non_exhaustive()
    }
}

impl Iterator for VisitReader<'_> {
    type Item = RowResult<Visit>;

    fn next(&mut self) -> Option<Self::Item> {
        let whole_row = |error: FileError, line: u64| {
            let mut e = RowError::whole_row(error.file, error.line.unwrap_or(line), error.message);
            e.sheet = error.sheet;
            Err(e.into())
        };
        let next = self.csv.next_row();
        match next {
            Next::End if self.ended => None,
            Next::End => {
                self.ended = true;
                let line = self.csv.line();
                self.file.unchanged(VISITS).err().map(|mut error| {
                    if let Some(sheet) = &self.csv.sheet {
                        sheet.place_file_error(&mut error);
                    }
                    whole_row(error, line)
                })
            }
            Next::Failed(error) => Some(whole_row(error, 0)),
            Next::Unreadable(error) => Some(self.csv.placed(Err(error.into()))),
            Next::Row(mut cells) => {
                let visit = visit_row(&mut cells, &self.columns, self.ids);
                let read = cells.finish(visit);
                Some(self.csv.placed(read))
            }
        }
    }
}

/// A strict read of a small file: any unreadable row makes the file's errors,
/// all of them, the result.
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

// ---------------------------------------------------------------------------
// Files

/// One data file, open: its header read and checked, its rows read one at a
/// time into a single record buffer that every row reuses.
struct CsvFile<R> {
    layout: Layout,
    tokenizer: Tokenizer<BufReader<R>>,
    header: Header,
    /// `;`-separated files come from Swedish spreadsheets, which write `,`
    /// as decimal mark.
    decimal_comma: bool,
    record: RawRecord,
    failed: bool,
    warnings: Vec<DataWarning>,
    /// Where each of the rule file's own columns of this file is.
    declared_at: Vec<DeclaredAt>,
    /// A workbook's sheet the CSV text was written out from: its records'
    /// lines become the sheet's rows, its errors the workbook's.
    sheet: Option<Arc<Sheet>>,
    /// For a sheet, the 1-based columns its rows are read from (a cell
    /// without a value in another column is not an error).
    sheet_columns: Vec<usize>,
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

impl<R: Read> CsvFile<R> {
    /// Reads the header of an open file and checks its columns.
    fn read(
        input: R,
        layout: Layout,
        codes: &Schema,
        sheet: Option<Arc<Sheet>>,
    ) -> Result<CsvFile<R>, DataErrors> {
        let placed = |errors: DataErrors| match &sheet {
            Some(sheet) => sheet.place_all(errors),
            None => errors,
        };
        let file_name = layout.file;
        let unreadable = |e: &std::io::Error| {
            FileError::new(
                file_name,
                FileErrorKind::Unreadable,
                format!("cannot be read: {e}"),
            )
        };
        let input = BufReader::with_capacity(64 * 1024, input);
        let mut tokenizer = Tokenizer::sniffed(input).map_err(|e| placed(unreadable(&e).into()))?;
        let mut record = RawRecord::default();
        match tokenizer.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return Err(placed(
                    FileError::new(
                        file_name,
                        FileErrorKind::Unreadable,
                        "the file is empty: expected a header row naming the columns",
                    )
                    .into(),
                ));
            }
            Err(e) => return Err(placed(unreadable(&e).into())),
        }
        if let Some(sheet) = &sheet {
            record.line = sheet.row(record.line);
        }
        let mut header = read_header(file_name, &record).map_err(placed)?;
        let file = layout.data_file();
        header.map(codes.headers_of(file));
        let wanted: Vec<&str> = codes
            .columns_of(file)
            .filter(|c| c.reading == Reading::Required)
            .map(|c| c.name.as_str())
            .collect();
        let read: Vec<&str> = codes
            .columns_of(file)
            .filter(|c| c.reading != Reading::Unread)
            .map(|c| c.name.as_str())
            .collect();
        check_columns(layout, &header, &wanted, &read).map_err(placed)?;
        let declared_at = codes
            .columns_of(file)
            .map(|c| DeclaredAt {
                column: c.clone(),
                index: (c.reading != Reading::Unread).then(|| header.index(&c.name)),
                header: header.header_of(&c.name).to_string(),
            })
            .collect();
        let sheet_columns = match &sheet {
            Some(_) => super::xlsx::read_columns(&layout, &header, &read),
            None => Vec::new(),
        };
        Ok(CsvFile {
            declared_at,
            layout,
            // A sheet's numbers are written with `.`, its text cells (a
            // Swedish workbook) with `,`: both are read.
            decimal_comma: sheet.is_some() || tokenizer.delimiter() == b';',
            tokenizer,
            header,
            record,
            failed: false,
            warnings: sheet.as_ref().map_or_else(Vec::new, |s| s.warnings.clone()),
            sheet,
            sheet_columns,
        })
    }

    /// The line (or, in a sheet, the row) of the next unread byte.
    fn line(&self) -> u64 {
        let line = self.tokenizer.line();
        self.sheet.as_ref().map_or(line, |sheet| sheet.row(line))
    }

    /// A row read from the current record, its errors placed in the sheet
    /// it was written out from (a CSV file's are where they are).
    fn placed<T>(&self, read: RowResult<T>) -> RowResult<T> {
        match &self.sheet {
            None => read,
            Some(sheet) => sheet.place_row(
                read,
                &self.record,
                &self.header,
                &self.layout,
                &self.sheet_columns,
            ),
        }
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
                    let mut error = FileError::new(
                        self.layout.file,
                        FileErrorKind::Unreadable,
                        format!("reading stopped part-way through the file: {e}"),
                    )
                    .at_line(self.line());
                    if let Some(sheet) = &self.sheet {
                        sheet.place_file_error(&mut error);
                    }
                    return Next::Failed(error);
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
        match &self.sheet {
            Some(sheet) => self.record.line = sheet.row(self.record.line),
            None => {
                if let Some(quote) = self.record.long_quote {
                    self.warnings
                        .push(long_quote_warning(self.layout.file, &self.header, quote));
                }
            }
        }
        let cells = Cells::new(
            &self.layout,
            &self.header,
            &self.record,
            self.decimal_comma,
            &self.declared_at,
        );
        match cells.shape_error() {
            Some(error) => Next::Unreadable(error),
            None => Next::Row(cells),
        }
    }
}

/// The warning for a quoted cell over [`MAX_QUOTED_LINES`] lines.
fn long_quote_warning(file: &str, header: &Header, q: super::csv::LongQuote) -> DataWarning {
    let name = header
        .names
        .get(q.column.wrapping_sub(1))
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    DataWarning {
        kind: DataWarningKind::LongQuotedCell,
        file: file.to_string(),
        line: q.from,
        column: q.column,
        message: format!(
            "a quoted cell{name} runs from line {} to line {} ({} lines, more than the {} \
             a cell is expected to hold): is a quote not closed?",
            q.from,
            q.to,
            q.to - q.from + 1,
            MAX_QUOTED_LINES
        ),
    }
}

// ---------------------------------------------------------------------------
// Rows, one function per file. Each reads every cell before the first `?`,
// so that a row reports all its unreadable cells, not only the first.

fn visit_row(cells: &mut Cells<'_>, c: &VisitColumns, ids: &mut Ids) -> Option<Visit> {
    let id = cells.id_text(c.visit_id);
    let provider = cells.provider(c.provider, ids);
    let customer = cells.customer(c.customer, ids);
    let start = cells.read(c.start, parse_timestamp);
    if let Some((_, local)) = &start {
        cells.note_date(local.date());
    }
    let end = cells.read(c.end, parse_timestamp);
    let values = cells.declared();
    let (Some(id), Some(provider), Some(customer), Some((start, start_local)), Some((end, _))) =
        (id, provider, customer, start, end)
    else {
        return None;
    };
    Some(Visit {
        id,
        provider,
        customer,
        start,
        end,
        start_local,
        values: values?,
    })
}

fn customer_row(cells: &mut Cells<'_>, c: &CustomerColumns, ids: &mut Ids) -> Option<CustomerRow> {
    let customer = cells.customer(c.customer, ids);
    let provider = cells.provider(c.provider, ids);
    let from = cells.read(c.from, parse_optional_date);
    let to = cells.read(c.to, parse_optional_date);
    let values = cells.declared();
    Some(CustomerRow {
        customer: customer?,
        provider: provider?,
        from: from?,
        to: to?,
        values: values?,
    })
}

fn event_row(cells: &mut Cells<'_>, c: &EventColumns, ids: &mut Ids) -> Option<Event> {
    let id = cells.id_text(c.event_id);
    let provider = cells.provider(c.provider, ids);
    let customer = cells.optional_customer(c.customer, ids);
    let date = cells.read(c.date, parse_date);
    if let Some(d) = date {
        cells.note_date(d);
    }
    let values = cells.declared();
    Some(Event {
        id: id?,
        provider: provider?,
        customer: customer?,
        date: date?,
        values: values?,
    })
}

fn provider_row(cells: &mut Cells<'_>, c: &ProviderColumns, ids: &mut Ids) -> Option<Provider> {
    let id = cells.provider(c.provider, ids);
    let name = cells.text(c.name);
    let values = cells.declared();
    Some(Provider {
        id: id?,
        name: name?,
        values: values?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fixtures::*;

    #[test]
    fn reads_a_plain_visit() {
        let (rows, ids) = visits_and_ids(&format!(
            "{VISIT_HEADER}V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T08:30:00,2,dusch|tvätt,bom\n"
        ));
        let v = rows[0].as_ref().unwrap();
        assert_eq!(v.id, "V1");
        assert_eq!(
            (ids.provider_name(v.provider), ids.customer_name(v.customer)),
            ("P1", "C1")
        );
        assert_eq!(code(&v.values, 0), 0);
        assert_eq!(v.duration(), 1800);
        assert_eq!(v.start_local, local("2025-03-03T08:00"));
        assert_eq!(number(&v.values, 1), Some(2.into()));
        let crate::data::Cell::Set(activities) = v.values[2] else {
            panic!("activities are a set")
        };
        assert_eq!(activities.iter().collect::<Vec<_>>(), vec![0, 3]);
        assert_eq!(code(&v.values, 3), 0);
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
        // providers.csv first, as a run reads it.
        let mut ids = Ids::default();
        let providers = data.providers(&codes(), &mut ids, &mut Vec::new()).unwrap();
        let events = data.events(&codes(), &mut ids, &mut Vec::new()).unwrap();
        let customer = |e: &Event| e.customer.map(|c| ids.customer_name(c));
        let e1 = events[0].as_ref().unwrap();
        assert_eq!(
            (e1.id.as_str(), customer(e1), code(&e1.values, 0)),
            ("E1", None, 1)
        );
        let bad = events[1].as_ref().unwrap_err().first();
        assert_eq!(
            (bad.line, bad.column, bad.id.as_deref()),
            (3, 4, Some("E2"))
        );
        assert_eq!(customer(events[2].as_ref().unwrap()), Some("C1"));

        let id = |name: &str| ids.find_provider(name).unwrap();
        assert_eq!(
            providers,
            [
                Provider {
                    id: id("P1"),
                    name: "Omsorg, AB".into(),
                    values: [crate::data::Cell::Code(0)].into_iter().collect(),
                },
                Provider {
                    id: id("P2"),
                    name: String::new(),
                    values: [crate::data::Cell::Code(1)].into_iter().collect(),
                },
            ]
        );
    }

    #[test]
    fn declared_regime_is_required() {
        let (_tmp, data) = dir(&[(PROVIDERS, b"provider,regime\nP1,\nP2,privat\n")]);
        let errors = data
            .providers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(places(&errors.errors), [(2, 2, "regime", "")]);
        assert!(errors.errors[0].message.starts_with("regime is required"));

        // Absent column: the header lacks a column a rule reads.
        let (_tmp, data) = dir(&[(PROVIDERS, b"provider\nP1\n")]);
        let errors = data
            .providers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(
            errors.file_errors[0].to_string(),
            "providers.csv:1: has no column 'regime', which the rule file uses"
        );
        // Not read (no rule uses it): not there, no error.
        let providers = data
            .providers(&Schema::default(), &mut Ids::default(), &mut Vec::new())
            .unwrap();
        assert_eq!(
            (providers[0].name.as_str(), providers[0].values.len()),
            ("", 0)
        );
    }

    #[test]
    fn missing_files() {
        let (_tmp, data) = dir(&[]);
        let mut ids = Ids::default();
        assert_eq!(
            data.providers(&codes(), &mut ids, &mut Vec::new()).unwrap(),
            []
        );
        assert!(
            data.events(&codes(), &mut ids, &mut Vec::new())
                .unwrap()
                .is_empty()
        );
        let errors = data
            .customers(&codes(), &mut ids, &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Missing);
        assert_eq!(errors.file_errors[0].file, "customers.csv");
        let errors = data.open_visits().unwrap_err();
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
        let mut ids = Ids::default();
        let file = data.open_visits().unwrap();
        let reader = file.rows(&codes(), &mut ids).unwrap();
        assert!(reader.semicolon_separated());
        assert_eq!(reader.filter(|r| r.is_ok()).count(), 20_000);
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
        let mut ids = Ids::default();
        let errors = data
            .customers(&codes(), &mut ids, &mut Vec::new())
            .unwrap_err();
        rendered.push(errors.to_string());
        rendered.extend(errors.errors.iter().map(|e| e.to_string()));
        let visits = visit_rows(&data, &codes(), &mut ids).unwrap();
        rendered.extend(
            visits
                .into_iter()
                .filter_map(|v| v.err())
                .flatten()
                .map(|e| e.to_string()),
        );
        let mut mapped = codes();
        let mut columns = mapped.columns().to_vec();
        columns[1].reading = crate::data::Reading::Required;
        mapped.declare_columns(columns);
        mapped.map_headers(vec![crate::data::HeaderMapping {
            file: crate::data::DataFile::Visits,
            column: "staff_count".into(),
            header: "Antal personal".into(),
        }]);
        let errors = visit_rows(&data, &mapped, &mut ids).unwrap_err();
        rendered.push(errors.to_string());
        insta::assert_snapshot!(rendered.join("\n"), @r#"
        customers.csv: 10 unreadable values
        customers.csv:2:3: from "2025-1-1": not a date: expected YYYY-MM-DD (or empty)
        customers.csv:2:4: to "2025-02-30": no such date in the calendar: expected a real date as YYYY-MM-DD (or empty)
        customers.csv:2:5: zone "Tätort": not a zone code declared by the rule file; declared: tätort, landsbygd, skärgård (codes are case-sensitive: did you mean 'tätort'?)
        customers.csv:2:6: granted_hours "-3": negative: expected a number of h/mån like 12,5 or 12.5 (empty = 0)
        customers.csv:2:7: referral "kanske": not a yes/no value: expected ja, nej, true or false (empty = nej)
        customers.csv:2:8: level "30": level above 29: expected a whole number from 1 to 29 (empty = none)
        customers.csv:3:6: granted_hours "1.000,5": not a number: expected a number of h/mån like 12,5 or 12.5 (empty = 0)
        customers.csv:4:1: customer (empty): every row needs a customer
        customers.csv:4:5: zone "x": not a zone code declared by the rule file; declared: tätort, landsbygd, skärgård
        customers.csv:5:5: zone (empty): the row has 4 cells but the header has 8 columns
        visits.csv:2:4: staff "sjukskoterska": not a staff code declared by the rule file; declared: omsorg, sjuksköterska, rehab (did you mean 'sjuksköterska'?)
        visits.csv:2:5: start "2025-03-30T02:30": does not exist in Europe/Stockholm (clocks jump forward); give the time with its offset or correct it
        visits.csv:2:6: end "2025-03-30T03:30:00.5": fractional seconds are not supported: timestamps have whole seconds (HH:MM:SS)
        visits.csv:2:7: activities "dusch|bada": activities code 'bada' is not declared by the rule file; declared: dusch, inköp, städning, tvätt, delegering_läkemedel
        visits.csv:3:6: end "2025-03-30T03:00+0100": not a UTC offset: expected Z or ±HH:MM, e.g. +01:00
        visits.csv:3:7: activities "dusch||tvätt": empty activities code: expected codes separated by single '|', e.g. dusch|tvätt
        visits.csv:3:8: status "Bom": not a status code declared by the rule file; declared: bom, utförd (codes are case-sensitive: did you mean 'bom'?)
        visits.csv:4:7: activities (empty): the row has 6 cells but the header has 8 columns
        visits.csv:1: has no column 'Antal personal' (staff_count, as the rule file maps it)
        "#);
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
            let mut ids = Ids::default();
            if let Ok(rows) = visit_rows(&data, &codes(), &mut ids) {
                for row in rows {
                    if let Err(e) = row { e.iter().for_each(|e| { let _ = e.to_string(); }); }
                }
            }
            let _ = data.providers(&codes(), &mut ids, &mut Vec::new()).map_err(|e| e.to_string());
            let _ = data.customers(&codes(), &mut ids, &mut Vec::new()).map_err(|e| e.to_string());
            let _ = data.events(&codes(), &mut ids, &mut Vec::new()).map_err(|e| e.to_string());
        }
    }
}
