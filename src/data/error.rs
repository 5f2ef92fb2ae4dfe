//! Errors of reading a data set.
//!
//! Two levels, because they stop a run differently (data-format.md, "Bad
//! input"): a [`FileError`] means the file as a whole cannot be used (missing,
//! no such column, not CSV), while a [`RowError`] is one unreadable cell,
//! which lenient mode can turn into a not-paid row. Every error names the file
//! and, where there is one, the physical line and 1-based column, so a person
//! can find the cell in a spreadsheet or an editor.
//!
//! Where a problem is, is written by one function for every error and
//! warning ([`Place`]): `visits.csv:7:4` in a CSV file (line and column),
//! `visits.xlsx:Besök!D7` in a workbook (the sheet and the cell as Excel
//! names them, which can be typed into Excel's Name Box to go there;
//! `Besök!7:7` is a whole row).
//!
//! A [`DataWarning`] is what reads but looks wrong (a quoted cell running
//! over many lines): the data layer collects warnings and hands them on, it
//! never prints them.

use std::fmt;
use std::sync::Arc;

use miette::Diagnostic;

/// One cell (or one row, for a row of the wrong width) that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// File name within the data folder, e.g. `visits.csv`.
    pub file: String,
    /// Physical line of the start of the row (the header is line 1; a quoted
    /// field may span lines, so this is not the record number).
    pub line: u64,
    /// 1-based column of the cell in this file's header; 0 when the column is
    /// absent from the file (its empty default was unreadable).
    pub column: usize,
    pub column_name: String,
    /// The offending cell text, trimmed (long cells are shortened).
    pub text: String,
    /// What was expected, in plain words.
    pub message: String,
    /// The row's `visit_id` / `event_id` when it could be read, so lenient
    /// mode can list the row as not paid under its id.
    pub id: Option<String>,
    /// The worksheet, when the file is a workbook: `line` is then the row
    /// as Excel numbers it and `column` the column's number (A = 1).
    pub sheet: Option<Arc<str>>,
}

/// Where in a file a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// A CSV file: physical line and 1-based column, each 0 when there is
    /// none.
    Text { line: u64, column: usize },
    /// A worksheet: its name, the row as Excel numbers it and the 1-based
    /// column (A = 1), each 0 when there is none.
    Sheet {
        sheet: &'a str,
        row: u64,
        column: usize,
    },
}

impl<'a> Place<'a> {
    /// A CSV line and column, or, when there is a sheet, its row and column.
    pub fn new(sheet: Option<&'a str>, line: u64, column: usize) -> Place<'a> {
        match sheet {
            None => Place::Text { line, column },
            Some(sheet) => Place::Sheet {
                sheet,
                row: line,
                column,
            },
        }
    }
}

/// The one writer of a location: `file:line:column` (a line or column that
/// is 0 left out), or `file:Sheet!C7`, `file:Sheet!7:7` for a whole row,
/// `file:Sheet` for the sheet as a whole.
fn location(f: &mut fmt::Formatter<'_>, file: &str, place: Place<'_>) -> fmt::Result {
    write!(f, "{file}")?;
    match place {
        Place::Text { line, column } => {
            if line > 0 {
                write!(f, ":{line}")?;
            }
            if column > 0 {
                write!(f, ":{column}")?;
            }
            Ok(())
        }
        Place::Sheet { sheet, row, column } => {
            f.write_str(":")?;
            sheet_name(f, sheet)?;
            match (row, column) {
                (0, _) => Ok(()),
                (row, 0) => write!(f, "!{row}:{row}"),
                (row, column) => write!(f, "!{}{row}", column_letters(column)),
            }
        }
    }
}

/// A sheet's name as Excel writes it in a reference: bare when it is
/// letters, digits and `_` not starting with a digit, else in single quotes
/// with a quote doubled. Control characters are escaped, so a crafted name
/// cannot move the terminal's cursor.
fn sheet_name(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    let bare = name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if !bare {
        f.write_str("'")?;
    }
    for c in name.chars() {
        match c {
            '\'' => f.write_str("''")?,
            c if c.is_control() => write!(f, "{}", c.escape_unicode())?,
            c => write!(f, "{c}")?,
        }
    }
    if !bare {
        f.write_str("'")?;
    }
    Ok(())
}

/// A column's letters as Excel shows them: 1 → A, 26 → Z, 27 → AA,
/// 16 384 → XFD.
pub(super) fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl RowError {
    /// Where the cell is.
    pub fn place(&self) -> Place<'_> {
        Place::new(self.sheet.as_deref(), self.line, self.column)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        location(f, &self.file, self.place())?;
        // A row-level error (wrong width, read failure) has neither a column
        // name nor a text: then only the message follows the location.
        match (self.column_name.as_str(), self.text.as_str()) {
            ("", "") => {}
            ("", text) => write!(f, ": {text:?}")?,
            (name, "") => write!(f, ": {name} (empty)")?,
            (name, text) => write!(f, ": {name} {text:?}")?,
        }
        write!(f, ": {}", self.message)
    }
}

impl RowError {
    /// An error of a whole row rather than of one cell: no column, no text.
    pub(super) fn whole_row(
        file: impl Into<String>,
        line: u64,
        message: impl Into<String>,
    ) -> Self {
        RowError {
            file: file.into(),
            line,
            column: 0,
            column_name: String::new(),
            text: String::new(),
            message: message.into(),
            id: None,
            sheet: None,
        }
    }
}

impl std::error::Error for RowError {}

impl Diagnostic for RowError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("taxa::data::unreadable_value"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "correct the cell in {} (or, if the value is right, declare it in the rule file); \
             a lenient run lists the row as not paid instead of stopping",
            self.file
        )))
    }
}

/// Every unreadable cell of one row, by column; never empty. A strict run
/// reports them all; a lenient run lists the row as not paid under the
/// first ([`RowErrors::first`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowErrors {
    errors: Vec<RowError>,
    /// The row's local date when its date cell (a visit's start, an event's
    /// date) could be read, so a run over some months tells whether the
    /// row is of them.
    pub date: Option<chrono::NaiveDate>,
}

impl RowErrors {
    /// `None` for an empty list: a row's errors are never empty.
    pub(super) fn new(errors: Vec<RowError>, date: Option<chrono::NaiveDate>) -> Option<Self> {
        (!errors.is_empty()).then_some(RowErrors { errors, date })
    }

    /// The error of the leftmost unreadable cell.
    pub fn first(&self) -> &RowError {
        // Never empty: `new` and `From<RowError>` are the only constructors.
        &self.errors[0]
    }

    pub fn iter(&self) -> std::slice::Iter<'_, RowError> {
        self.errors.iter()
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always false; for symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl From<RowError> for RowErrors {
    fn from(error: RowError) -> Self {
        RowErrors {
            errors: vec![error],
            date: None,
        }
    }
}

impl IntoIterator for RowErrors {
    type Item = RowError;
    type IntoIter = std::vec::IntoIter<RowError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> IntoIterator for &'a RowErrors {
    type Item = &'a RowError;
    type IntoIter = std::slice::Iter<'a, RowError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

/// Why a whole file cannot be read; decides the diagnostic code and help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileErrorKind {
    /// A required file (visits.csv, customers.csv) is not in the data folder.
    Missing,
    /// The header lacks a column the layout or the rule file requires.
    MissingColumn,
    /// A column the reader uses appears twice in the header, so which one is
    /// meant is unknown.
    DuplicateColumn,
    /// The file cannot be read as a CSV file: I/O failure, empty file, no
    /// header, a folder instead of a file.
    Unreadable,
    /// The file is not UTF-8 text as a CSV export is: bad UTF-8, a NUL byte
    /// or a byte order mark inside the header, a UTF-16 file.
    Encoding,
    /// The header is separated by tabs or `|`, not by `,` or `;`.
    Separator,
    /// The file is a symbolic link to a file that does not exist. Only a
    /// file that is truly absent counts as absent (an optional file left
    /// out); a dangling link is an export gone wrong.
    DanglingLink,
    /// An `.xlsx` file that cannot be read as an Excel workbook (not a
    /// workbook, an old `.xls`, damaged, without a worksheet), or whose
    /// first sheet is not laid out as rows under a header.
    Workbook,
    /// Both `visits.csv` and `visits.xlsx` (or another file's two forms)
    /// are in the data folder: reading one would silently ignore the other.
    TwoFormats,
}

/// A problem with a file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// File name within the data folder, e.g. `visits.csv`.
    pub file: String,
    pub kind: FileErrorKind,
    /// Physical line, when the problem is at one (the header, or the point
    /// where reading failed); in a workbook, the row as Excel numbers it.
    pub line: Option<u64>,
    pub message: String,
    /// The worksheet, when the file is a workbook and the problem is in it.
    pub sheet: Option<Arc<str>>,
}

impl FileError {
    pub fn new(file: impl Into<String>, kind: FileErrorKind, message: impl Into<String>) -> Self {
        FileError {
            file: file.into(),
            kind,
            line: None,
            message: message.into(),
            sheet: None,
        }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
}

impl FileError {
    /// Where the problem is: a line (or none), or a row of a sheet.
    pub fn place(&self) -> Place<'_> {
        Place::new(self.sheet.as_deref(), self.line.unwrap_or(0), 0)
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        location(f, &self.file, self.place())?;
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FileError {}

impl Diagnostic for FileError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(match self.kind {
            FileErrorKind::Missing => "taxa::data::missing_file",
            FileErrorKind::MissingColumn => "taxa::data::missing_column",
            FileErrorKind::DuplicateColumn => "taxa::data::duplicate_column",
            FileErrorKind::Unreadable => "taxa::data::unreadable_file",
            FileErrorKind::Encoding => "taxa::data::encoding",
            FileErrorKind::Separator => "taxa::data::separator",
            FileErrorKind::DanglingLink => "taxa::data::dangling_link",
            FileErrorKind::Workbook => "taxa::data::unreadable_workbook",
            FileErrorKind::TwoFormats => "taxa::data::two_formats",
        }))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(match self.kind {
            FileErrorKind::Missing => {
                "put the file in the data folder (see data-format.md for its columns), \
                 or point taxa at the right folder"
            }
            FileErrorKind::MissingColumn => {
                "add the column to the header row (names are case-sensitive, order is free), \
                 or change the rule file if the contract does not need it"
            }
            FileErrorKind::DuplicateColumn => "keep one column of that name in the header row",
            FileErrorKind::Unreadable => {
                "save the file as CSV in UTF-8 with a header row \
                 (in Excel: \"CSV UTF-8\"); separators may be , or ;"
            }
            FileErrorKind::Encoding => {
                "save the file as CSV in UTF-8 (in Excel: \"CSV UTF-8\"): no NUL bytes, \
                 at most one byte order mark, at the very start of the file"
            }
            FileErrorKind::Separator => {
                "save the file as CSV (in Excel: \"CSV UTF-8\", which separates columns by , \
                 or ;), or replace the separator by ; throughout the file"
            }
            FileErrorKind::DanglingLink => {
                "point the link at the exported file, or remove the link if the file is \
                 not part of this export (events.csv and providers.csv may be left out)"
            }
            FileErrorKind::Workbook => {
                "open the file in Excel and save it as an Excel workbook (.xlsx) with the \
                 export's rows on the first sheet, or save that sheet as CSV UTF-8"
            }
            FileErrorKind::TwoFormats => {
                "keep one of the two files in the data folder: remove or rename the one that \
                 is not this export"
            }
        }))
    }
}

/// Every error found in a file (or several files) before giving up, so one
/// run shows the user everything to fix (data-format.md, "Bad input").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataErrors {
    pub errors: Vec<RowError>,
    pub file_errors: Vec<FileError>,
    /// Row errors counted but not kept (beyond [`DataErrors::KEEP`] per run),
    /// so a wholly broken file of millions of rows neither floods the
    /// terminal nor fills memory.
    pub more: u64,
    /// Warnings found while reading, shown with the errors: a run that
    /// stops on an error has no statement to carry them.
    pub warnings: Vec<DataWarning>,
}

impl DataErrors {
    /// How many row errors are kept for display.
    pub const KEEP: usize = 50;

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.file_errors.is_empty() && self.more == 0
    }

    /// Records a row error, keeping the first [`DataErrors::KEEP`].
    pub fn push(&mut self, e: RowError) {
        if self.errors.len() < Self::KEEP {
            self.errors.push(e);
        } else {
            self.more += 1;
        }
    }

    /// Records every unreadable cell of a row.
    pub fn push_row(&mut self, row: RowErrors) {
        for e in row {
            self.push(e);
        }
    }

    pub fn len(&self) -> usize {
        self.errors.len() + self.file_errors.len()
    }

    /// Adds another file's errors, so a caller can report all files at once.
    pub fn extend(&mut self, other: DataErrors) {
        for e in other.errors {
            self.push(e);
        }
        self.file_errors.extend(other.file_errors);
        self.more += other.more;
        self.warnings.extend(other.warnings);
    }

    fn files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = Vec::new();
        let names = self.file_errors.iter().map(|e| e.file.as_str());
        for name in names.chain(self.errors.iter().map(|e| e.file.as_str())) {
            if !files.contains(&name) {
                files.push(name);
            }
        }
        files
    }
}

impl From<FileError> for DataErrors {
    fn from(error: FileError) -> Self {
        DataErrors {
            file_errors: vec![error],
            ..DataErrors::default()
        }
    }
}

impl From<RowError> for DataErrors {
    fn from(error: RowError) -> Self {
        DataErrors {
            errors: vec![error],
            ..DataErrors::default()
        }
    }
}

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file_errors.as_slice(), self.errors.as_slice()) {
            ([], []) => f.write_str("no data errors"),
            ([one], []) => one.fmt(f),
            ([], [one]) => one.fmt(f),
            (files, rows) => {
                write!(f, "{}: ", self.files().join(", "))?;
                let mut parts = Vec::new();
                if !files.is_empty() {
                    parts.push(plural(files.len(), "file error", "file errors"));
                }
                if !rows.is_empty() {
                    let n = rows.len() + self.more as usize;
                    parts.push(plural(n, "unreadable value", "unreadable values"));
                }
                f.write_str(&parts.join(" and "))
            }
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl std::error::Error for DataErrors {}

impl DataErrors {
    /// The only error, when there is just one: it is then shown as itself,
    /// with its own code and help, rather than as a list of one.
    fn single(&self) -> Option<&dyn Diagnostic> {
        match (self.file_errors.as_slice(), self.errors.as_slice()) {
            ([one], []) if self.more == 0 => Some(one),
            ([], [one]) if self.more == 0 => Some(one),
            _ => None,
        }
    }
}

impl Diagnostic for DataErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self.single() {
            Some(one) => one.code(),
            None => Some(Box::new("taxa::data::errors")),
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self.single() {
            Some(one) => one.help(),
            None if self.more > 0 => Some(Box::new(format!(
                "the first {} are listed, {} more are not; nothing was paid or written: fix the values and run again (or pay with --lenient to list unreadable rows as not paid)",
                self.errors.len(),
                self.more
            ))),
            None => Some(Box::new(
                "nothing was paid or written; fix every listed value and run again (or pay with --lenient to list unreadable rows as not paid)",
            )),
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        let warnings = self.warnings.iter().map(|w| w as &dyn Diagnostic);
        if self.single().is_some() {
            if self.warnings.is_empty() {
                return None;
            }
            return Some(Box::new(warnings));
        }
        let files = self.file_errors.iter().map(|e| e as &dyn Diagnostic);
        let rows = self.errors.iter().map(|e| e as &dyn Diagnostic);
        Some(Box::new(files.chain(rows).chain(warnings)))
    }
}

/// Why a [`DataWarning`] is given; decides its code and help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataWarningKind {
    /// A quoted cell runs over more than three physical lines
    /// (`csv::MAX_QUOTED_LINES`): usually a quote that is not closed, which
    /// swallows the rows after it into one cell (and so leaves them unpaid,
    /// or unread).
    LongQuotedCell,
    /// A provider the run pays (or lists as not paid) has no row in
    /// providers.csv: its statement has no name, and a contract that prices
    /// by the provider's regime does not pay it.
    UnlistedProvider,
    /// A workbook has sheets with values besides the first, the one read.
    OtherSheets,
    /// Two rows of a file the rule file declares (`fil`) give one customer
    /// (or provider) overlapping intervals: on the dates both cover, the
    /// one that starts first is read.
    OverlappingRows,
    /// A row of a file the rule file declares ends before it starts: it
    /// attaches to no date.
    EmptyInterval,
}

/// Something that reads but looks wrong. The data layer collects these
/// (`VisitReader::warnings`, the `warnings` list the small files' readers
/// fill) and never prints them; a run keeps them in `PayRun::warnings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataWarning {
    pub kind: DataWarningKind,
    /// File name within the data folder, e.g. `visits.csv`.
    pub file: String,
    /// Physical line where the questionable part starts.
    pub line: u64,
    /// 1-based column of the cell; 0 when there is none.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for DataWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        location(f, &self.file, Place::new(None, self.line, self.column))?;
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DataWarning {}

impl Diagnostic for DataWarning {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(match self.kind {
            DataWarningKind::LongQuotedCell => "taxa::data::long_quoted_cell",
            DataWarningKind::UnlistedProvider => "taxa::data::unlisted_provider",
            DataWarningKind::OtherSheets => "taxa::data::other_sheets",
            DataWarningKind::OverlappingRows => "taxa::data::overlapping_rows",
            DataWarningKind::EmptyInterval => "taxa::data::empty_interval",
        }))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(match self.kind {
            DataWarningKind::LongQuotedCell => format!(
                "everything between the quotes is one cell, line breaks included; if the cell \
                 should end on line {}, add the missing \" there (the rows after it were read \
                 as part of this cell)",
                self.line
            ),
            DataWarningKind::UnlistedProvider => "add the provider to providers.csv \
                 (provider,name,regime), or correct the provider id in the rows that name it"
                .to_string(),
            DataWarningKind::OtherSheets => "taxa reads the first sheet of a workbook only: \
                 put the export's rows on the first sheet, or remove the sheets that are not \
                 part of it"
                .to_string(),
            DataWarningKind::OverlappingRows => "give each customer (or provider) one row per \
                 date: end the earlier period the day before the later one starts, or join \
                 the two rows into one"
                .to_string(),
            DataWarningKind::EmptyInterval => {
                "correct `from` or `to`: the row covers the dates from `from` to `to`, both \
                 included"
                    .to_string()
            }
        }))
    }
}

/// Error texts are shortened to this many characters: enough to recognise
/// the cell, without flooding the terminal with a runaway field.
const MAX_TEXT_CHARS: usize = 200;

/// A cell text as an error shows it.
pub(super) fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_error(column: usize, text: &str) -> RowError {
        RowError {
            file: "visits.csv".into(),
            line: 7,
            column,
            column_name: "staff".into(),
            text: text.into(),
            message: "not a declared staff code; declared: omsorg, rehab".into(),
            id: Some("V1".into()),
            sheet: None,
        }
    }

    #[test]
    fn row_error_names_file_line_column_and_text() {
        assert_eq!(
            row_error(4, "Omsorg").to_string(),
            "visits.csv:7:4: staff \"Omsorg\": not a declared staff code; declared: omsorg, rehab"
        );
        assert_eq!(
            row_error(0, "").to_string(),
            "visits.csv:7: staff (empty): not a declared staff code; declared: omsorg, rehab"
        );
        let mut whole_row = row_error(0, "");
        whole_row.column_name.clear();
        whole_row.message = "the row is too long".into();
        assert_eq!(whole_row.to_string(), "visits.csv:7: the row is too long");
        let e = row_error(4, "x");
        assert_eq!(
            e.code().unwrap().to_string(),
            "taxa::data::unreadable_value"
        );
        assert!(e.help().unwrap().to_string().contains("visits.csv"));
    }

    #[test]
    fn file_error_codes() {
        let e = FileError::new(
            "customers.csv",
            FileErrorKind::MissingColumn,
            "no column 'zone'",
        );
        assert_eq!(e.to_string(), "customers.csv: no column 'zone'");
        assert_eq!(e.code().unwrap().to_string(), "taxa::data::missing_column");
        let e = e.at_line(1);
        assert_eq!(e.to_string(), "customers.csv:1: no column 'zone'");
    }

    #[test]
    fn data_errors_summarise_and_relate_all() {
        let mut all = DataErrors::from(row_error(4, "a"));
        assert_eq!(all.to_string(), row_error(4, "a").to_string());
        all.extend(DataErrors::from(row_error(5, "b")));
        all.extend(DataErrors::from(FileError::new(
            "events.csv",
            FileErrorKind::Unreadable,
            "empty",
        )));
        assert_eq!(all.len(), 3);
        assert_eq!(
            all.to_string(),
            "events.csv, visits.csv: 1 file error and 2 unreadable values"
        );
        assert_eq!(all.related().unwrap().count(), 3);
        assert!(DataErrors::default().is_empty());
        let one = DataErrors::from(row_error(4, "a"));
        assert_eq!(
            one.code().unwrap().to_string(),
            "taxa::data::unreadable_value"
        );
        assert!(one.related().is_none());
    }
}
