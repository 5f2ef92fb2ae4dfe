//! Column layouts: the engine's own columns of each of the four files
//! (ids, provider, customer, times, dates; every other column is a declared
//! field, see `model::Schema`),
//! the header row read into names, the checks that required columns are there
//! and that no column the reader uses appears twice, and each file's columns
//! located in its header.
//!
//! Column order is free and unknown columns are ignored, so a column is found
//! by name once per file; rows are then read by index.

use super::csv::RawRecord;
use super::error::{DataErrors, FileError, FileErrorKind, shorten};
use super::model::{DataFile, HeaderMapping};
use super::values::{describe, invisible, is_invisible};

pub const VISITS: &str = "visits.csv";
pub const CUSTOMERS: &str = "customers.csv";
pub const EVENTS: &str = "events.csv";
pub const PROVIDERS: &str = "providers.csv";

/// The columns a file's layout knows: `always` must be in the header,
/// `optional` take their empty default when absent.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    pub(super) file: &'static str,
    /// Whether the data folder must have the file; an optional one that is
    /// not there has no rows.
    pub(super) file_required: bool,
    /// The column that identifies a row, so that lenient mode can list an
    /// unreadable row as not paid under its id.
    pub(super) id: Option<&'static str>,
    pub(super) always: &'static [&'static str],
    pub(super) optional: &'static [&'static str],
    /// Which file this is, for its declared columns and mapped headers.
    pub(super) data: DataFile,
}

impl Layout {
    /// Which file this is, for its declared columns.
    pub(super) fn data_file(&self) -> DataFile {
        self.data
    }
}

#[derive(Debug)]
pub(super) struct Header {
    /// The header's names, as the file writes them.
    pub(super) names: Vec<String>,
    pub(super) line: u64,
    /// Columns the rule file reads from another header: (column, header).
    pub(super) mapped: Vec<(String, String)>,
}

impl Header {
    /// Where the column `name` is: under the header the rule file maps it
    /// to, else under its own name.
    pub(super) fn index(&self, name: &str) -> Option<usize> {
        let wanted = self.header_of(name);
        self.names.iter().position(|n| n == wanted)
    }

    /// The header text the column `name` is read from.
    pub(super) fn header_of<'a>(&'a self, name: &'a str) -> &'a str {
        self.mapped
            .iter()
            .find(|(c, _)| c == name)
            .map_or(name, |(_, h)| h.as_str())
    }

    /// The header the rule file maps `name` to, if it maps it.
    fn mapping(&self, name: &str) -> Option<&str> {
        self.mapped
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, h)| h.as_str())
    }

    /// Reads the columns the rule file maps to other headers.
    pub(super) fn map<'a>(&mut self, headers: impl Iterator<Item = &'a HeaderMapping>) {
        self.mapped = headers
            .map(|h| (h.column.clone(), h.header.clone()))
            .collect();
    }
}

/// The name of a file the rule file declares (`fil`), as the `&'static
/// str` a [`Layout`] names its file by. Each distinct name is kept once for
/// the life of the process (a rule file declares a handful), so reading the
/// file again allocates nothing.
pub(super) fn interned(text: &str) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == text) {
        return n;
    }
    let n: &'static str = Box::leak(text.to_owned().into_boxed_str());
    names.push(n);
    n
}

/// The columns of a file's layout (data-format.md), the ones a `rubriker`
/// declaration may map.
pub fn layout_columns(file: DataFile) -> impl Iterator<Item = &'static str> {
    let layout = match file {
        DataFile::Visits => VisitColumns::LAYOUT,
        DataFile::Customers => CustomerColumns::LAYOUT,
        DataFile::Events => EventColumns::LAYOUT,
        DataFile::Providers => ProviderColumns::LAYOUT,
        // A file of the rule file's own has the key columns of how its rows
        // attach (`own::Per::key_columns`), which the file's number alone
        // does not tell.
        DataFile::Own(_) => {
            const NONE: &[&str] = &[];
            return NONE.iter().chain(NONE).copied();
        }
    };
    layout.always.iter().chain(layout.optional).copied()
}

/// One layout column, located in this file's header (or absent).
#[derive(Debug, Clone, Copy)]
pub(super) struct Col {
    pub(super) index: Option<usize>,
    /// The column's name in the layout; [`Header::header_of`] gives the
    /// header the file writes it under (for messages).
    pub(super) name: &'static str,
}

impl Col {
    pub(super) fn find(header: &Header, name: &'static str) -> Col {
        Col {
            index: header.index(name),
            name,
        }
    }
}

pub(super) fn read_header(file: &'static str, record: &RawRecord) -> Result<Header, DataErrors> {
    let error = |kind: FileErrorKind, message: String| {
        DataErrors::from(FileError::new(file, kind, message).at_line(record.line))
    };
    if record.unclosed_quote || record.too_long {
        return Err(error(
            FileErrorKind::Unreadable,
            "the header row has a quote that is not closed (or is implausibly long)".into(),
        ));
    }
    let first = record.field(0).unwrap_or_default();
    for (bom, name) in [(b"\xFF\xFE", "FF FE"), (b"\xFE\xFF", "FE FF")] {
        if first.starts_with(bom) {
            return Err(error(
                FileErrorKind::Encoding,
                format!(
                    "the file is UTF-16, not UTF-8: it starts with the UTF-16 byte order mark {name}"
                ),
            ));
        }
    }
    let mut names = Vec::with_capacity(record.len());
    for i in 0..record.len() {
        let bytes = record.field(i).unwrap_or_default();
        let column = i + 1;
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(error(
                FileErrorKind::Encoding,
                format!(
                    "the header contains a NUL byte at column {column} (byte {} of the column's name): \
                     a CSV text file has none; is the file UTF-16, or not a CSV export?",
                    at + 1
                ),
            ));
        }
        let name = match std::str::from_utf8(bytes) {
            Ok(name) => name.trim(),
            Err(e) => {
                let at = e.valid_up_to();
                return Err(error(
                    FileErrorKind::Encoding,
                    format!(
                        "the header row is not valid UTF-8: column {column} has the byte 0x{:02X} \
                         at byte {} of its name ({})",
                        bytes[at],
                        at + 1,
                        shorten(&String::from_utf8_lossy(bytes))
                    ),
                ));
            }
        };
        // A byte order mark belongs before the first byte of the file, once
        // (the tokenizer skips it); anywhere else it hides in a name.
        if let Some(at) = name.chars().position(|c| c == '\u{FEFF}') {
            let message = if column == 1 && at == 0 {
                "the header has a second byte order mark (U+FEFF) at the start of column 1: \
                 the file starts with two"
                    .to_string()
            } else {
                format!(
                    "the header has a byte order mark (U+FEFF) in column {column}, at character {}: \
                     were two files joined?",
                    at + 1
                )
            };
            return Err(error(FileErrorKind::Encoding, message));
        }
        names.push(name.to_string());
    }
    Ok(Header {
        names,
        line: record.line,
        mapped: Vec::new(),
    })
}

/// The separators a header is sometimes written with instead of `,` or `;`.
const WRONG_SEPARATORS: [(char, &str); 2] = [('\t', "tabs"), ('|', "'|'")];

/// When columns are missing because the header is split by another
/// separator (a tab-separated export), one error saying so instead of one
/// "has no column" per column.
fn wrong_separator(layout: Layout, header: &Header, missing: &[&str]) -> Option<FileError> {
    WRONG_SEPARATORS.iter().find_map(|&(sep, what)| {
        let parts: Vec<&str> = header
            .names
            .iter()
            .flat_map(|n| n.split(sep))
            .map(str::trim)
            .collect();
        let split = header.names.iter().any(|n| n.contains(sep));
        if !split || !missing.iter().any(|m| parts.contains(m)) {
            return None;
        }
        let mut shown: Vec<String> = parts.iter().take(6).map(|p| shorten(p)).collect();
        if parts.len() > 6 {
            shown.push("…".into());
        }
        let message = format!(
            "the header is separated by {what}, not by , or ;: taxa reads {} separated by , or ; \
             (split at {what}, the header names {})",
            layout.file,
            shown.join(", ")
        );
        Some(FileError::new(layout.file, FileErrorKind::Separator, message).at_line(header.line))
    })
}

/// A header name that is `name` but for invisible characters, and the first
/// of them, for a missing column's message.
fn hidden_in(header: &Header, name: &str) -> Option<String> {
    header.names.iter().enumerate().find_map(|(i, n)| {
        let (at, c) = invisible(n)?;
        let visible: String = n.chars().filter(|c| !is_invisible(*c)).collect();
        (visible == name).then(|| {
            format!(
                " (column {} is {n:?}, which contains {} (invisible) at character {at}: remove it)",
                i + 1,
                describe(c)
            )
        })
    })
}

/// `required`: the declared columns the header must have; `read`: every
/// declared column read (none may appear twice).
pub(super) fn check_columns(
    layout: Layout,
    header: &Header,
    required: &[&str],
    read: &[&str],
) -> Result<(), DataErrors> {
    let mut errors = DataErrors::default();
    let wanted = layout.always.iter().map(|c| (*c, true));
    let wanted = wanted.chain(required.iter().map(|c| (*c, false)));
    let mut seen: Vec<&str> = Vec::new();
    let mut missing = Vec::new();
    for (name, by_layout) in wanted {
        if seen.contains(&name) || header.index(name).is_some() {
            continue;
        }
        seen.push(name);
        missing.push((name, by_layout));
    }
    let names: Vec<&str> = missing.iter().map(|(n, _)| header.header_of(n)).collect();
    if let Some(error) = wrong_separator(layout, header, &names) {
        return Err(error.into());
    }
    for (name, by_layout) in missing {
        if let Some(wanted) = header.mapping(name) {
            let mut message =
                format!("has no column '{wanted}' ({name}, as the rule file maps it)");
            let found = header.names.iter().map(String::as_str);
            let near = crate::suggest::same_but_case(wanted, found.clone()).or_else(|| {
                crate::suggest::closest(wanted, found, crate::suggest::Tolerance::Code)
            });
            if let Some(near) = near {
                message.push_str(&format!("; nearest: '{near}'"));
            }
            errors.file_errors.push(
                FileError::new(layout.file, FileErrorKind::MissingColumn, message)
                    .at_line(header.line),
            );
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
        } else if let Some(hidden) = hidden_in(header, name) {
            message.push_str(&hidden);
        }
        errors.file_errors.push(
            FileError::new(layout.file, FileErrorKind::MissingColumn, message).at_line(header.line),
        );
    }
    let known = layout.always.iter().chain(layout.optional).copied();
    let mut checked: Vec<&str> = Vec::new();
    for name in known.chain(read.iter().copied()) {
        if checked.contains(&name) {
            continue;
        }
        checked.push(name);
        let name = header.header_of(name);
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

/// A file's columns, each located in the file's header.
pub(super) trait FileColumns: Sized {
    const LAYOUT: Layout;

    fn new(header: &Header) -> Self;
}

/// Declares one file's columns: a struct with a [`Col`] per column and its
/// [`FileColumns`] impl. Each name is written once, so the columns the header
/// is checked for and the ones rows are read from cannot drift apart.
macro_rules! file_columns {
    (
        $(#[$doc:meta])*
        $columns:ident {
            file: $file:expr,
            data: $data:expr,
            file_required: $file_required:expr,
            id: $id:expr,
            always: [$($always:ident),+ $(,)?],
            optional: [$($optional:ident),* $(,)?] $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub(super) struct $columns {
            $(pub(super) $always: Col,)+
            $(pub(super) $optional: Col,)*
        }

        impl FileColumns for $columns {
            const LAYOUT: Layout = Layout {
                file: $file,
                data: $data,
                file_required: $file_required,
                id: $id,
                always: &[$(stringify!($always)),+],
                optional: &[$(stringify!($optional)),*],
            };

            fn new(header: &Header) -> Self {
                $columns {
                    $($always: Col::find(header, stringify!($always)),)+
                    $($optional: Col::find(header, stringify!($optional)),)*
                }
            }
        }
    };
}

file_columns! {
    /// visits.csv: one row per registered visit.
    VisitColumns {
        file: VISITS,
        data: DataFile::Visits,
        file_required: true,
        id: Some("visit_id"),
        always: [visit_id, provider, customer, start, end],
        optional: [],
    }
}

file_columns! {
    /// customers.csv: the customer's situation over an interval.
    CustomerColumns {
        file: CUSTOMERS,
        data: DataFile::Customers,
        file_required: true,
        id: None,
        always: [customer, provider, from, to],
        optional: [],
    }
}

file_columns! {
    /// events.csv: things paid per occurrence.
    EventColumns {
        file: EVENTS,
        data: DataFile::Events,
        file_required: false,
        id: Some("event_id"),
        always: [event_id, provider, date],
        optional: [customer],
    }
}

file_columns! {
    /// providers.csv.
    ProviderColumns {
        file: PROVIDERS,
        data: DataFile::Providers,
        file_required: false,
        id: None,
        always: [provider],
        optional: [name],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fixtures::*;
    use crate::data::model::{Cell, CustomerRow, Ids};
    use num_rational::Ratio;

    #[test]
    fn column_order_is_free_and_unknown_columns_are_ignored() {
        let (rows, ids) = visits_and_ids(
            " end ,note,staff, start,customer,provider,visit_id,extra\n\
             2025-03-03T09:00,\"hello, world\",sjuksköterska,2025-03-03T08:00,C9,P9,V9,åäö\n",
        );
        let v = rows[0].as_ref().unwrap();
        assert_eq!(
            (
                v.id.as_str(),
                ids.provider_name(v.provider),
                ids.customer_name(v.customer)
            ),
            ("V9", "P9", "C9")
        );
        assert_eq!(code(&v.values, 0), 1);
        assert_eq!(v.duration(), 3600);
    }

    #[test]
    fn absent_optional_columns_take_their_empty_defaults() {
        let rows = visits(
            "visit_id,provider,customer,staff,start,end\nV1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00\n",
        );
        let v = rows[0].as_ref().unwrap();
        assert_eq!(number(&v.values, 1), Some(Ratio::from_integer(1)));
        assert_eq!(v.values[2], Cell::Set(Default::default()));
        assert_eq!(
            code(&v.values, 3),
            1,
            "empty status is utförd, declared second"
        );

        let zero = crate::data::Number::integer(0);
        let (rows, ids) =
            customers_and_ids("customer,provider,from,to,zone\nC1,P1,,2025-12-31,skärgård\n");
        assert_eq!(
            rows.unwrap()[0],
            CustomerRow {
                customer: ids.find_customer("C1").unwrap(),
                provider: ids.find_provider("P1").unwrap(),
                from: None,
                to: Some(date("2025-12-31")),
                values: [
                    Cell::Code(2),
                    Cell::Number(zero),
                    Cell::Number(zero),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Flag(false),
                    Cell::Empty,
                    Cell::Flag(false),
                    Cell::Number(zero),
                ]
                .into_iter()
                .collect(),
            }
        );
    }

    #[test]
    fn header_problems_are_file_errors() {
        let (_tmp, data) = dir(&[(VISITS, b"visit_id,provider,customer,Staff,start\n")]);
        // A field the rule file maps to a header must be there.
        let mut schema = codes();
        let mut columns = schema.columns().to_vec();
        columns[2].reading = crate::data::Reading::Required;
        schema.declare_columns(columns);
        schema.map_headers(vec![crate::data::HeaderMapping {
            file: crate::data::DataFile::Visits,
            column: "activities".into(),
            header: "Insatser".into(),
        }]);
        let errors = visit_rows(&data, &schema, &mut Ids::default()).unwrap_err();
        let messages: Vec<_> = errors.file_errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "visits.csv:1: has no column 'end', which the data layout requires",
                "visits.csv:1: has no column 'staff', which the rule file uses (there is 'Staff'; column names are case-sensitive)",
                "visits.csv:1: has no column 'Insatser' (activities, as the rule file maps it)",
            ]
        );
        assert!(
            errors
                .file_errors
                .iter()
                .all(|e| e.kind == FileErrorKind::MissingColumn)
        );

        let (_tmp, data) = dir(&[(PROVIDERS, b"provider,name,name,regime\nP1,a,b,privat\n")]);
        let errors = data
            .providers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::DuplicateColumn);

        let (_tmp, data) = dir(&[(CUSTOMERS, b"")]);
        let errors = data
            .customers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Unreadable);

        let (_tmp, data) = dir(&[(CUSTOMERS, b"customer,provider,from,to,zone,\xffx\n")]);
        let errors = data
            .customers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].line, Some(1));
        assert!(errors.file_errors[0].message.contains("UTF-8"));
    }

    #[test]
    fn a_pipe_separated_header_is_one_error_naming_the_separator() {
        let (_tmp, data) = dir(&[(CUSTOMERS, b"customer|provider|from|to|zone\nC1|P1|||x\n")]);
        let errors = data
            .customers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors.len(), 1);
        let e = &errors.file_errors[0];
        assert_eq!(e.kind, FileErrorKind::Separator);
        assert_eq!(
            e.to_string(),
            "customers.csv:1: the header is separated by '|', not by , or ;: taxa reads \
             customers.csv separated by , or ; (split at '|', the header names customer, \
             provider, from, to, zone)"
        );
        // A '|' in an extra column's name is no such sign.
        let (_tmp, data) = dir(&[(CUSTOMERS, b"customer,provider,from,to,a|b\n")]);
        let errors = data
            .customers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::MissingColumn);
    }

    #[test]
    fn an_invisible_character_in_a_header_name_is_named() {
        let (_tmp, data) = dir(&[(
            CUSTOMERS,
            "customer,provider,from,to,zo\u{200B}ne\n".as_bytes(),
        )]);
        let errors = data
            .customers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(
            errors.file_errors[0].message,
            "has no column 'zone', which the rule file uses (column 5 is \"zo\\u{200b}ne\", \
             which contains U+200B ZERO WIDTH SPACE (invisible) at character 3: remove it)"
        );
        // UTF-16 is named as such.
        let (_tmp, data) = dir(&[(CUSTOMERS, b"\xFF\xFEc\0u\0")]);
        let errors = data
            .customers(&codes(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Encoding);
        assert!(errors.file_errors[0].message.contains("UTF-16"));
    }
}
