//! The cells of one data row: a layout column's cell found in the record,
//! checked as UTF-8 and trimmed, handed to a value parser (see `values`), and
//! every failure kept as a [`RowError`] that names file, line, column and
//! text. A row that does not fit its header (too few or too many cells, an
//! unclosed quote, a runaway length) is one error before any cell is read.

use super::csv::{MAX_ROW_BYTES, RawRecord};
use super::error::{RowError, RowErrors, shorten};
use super::layout::{Col, Header, Layout};
use super::model::{Cell, CustomerId, DeclaredColumn, Ids, ProviderId};
use super::values::{parse_declared, parse_id};

/// A declared column of a file as its rows read it: where it is in the
/// header (`None`: the contract does not read it; `Some(None)`: read but
/// absent, every cell empty) and the header it is written under, which its
/// errors name (its messages name the field as the rule file does).
#[derive(Debug, Clone)]
pub(super) struct DeclaredAt {
    pub(super) column: DeclaredColumn,
    pub(super) index: Option<Option<usize>>,
    pub(super) header: String,
}

/// The cells of one data row, gathering an error for each unreadable one.
pub(super) struct Cells<'a> {
    layout: &'a Layout,
    header: &'a Header,
    record: &'a RawRecord,
    /// The whole record as text when it is valid UTF-8: one validation per
    /// row instead of one per cell.
    whole: Option<&'a str>,
    decimal_comma: bool,
    errors: Vec<RowError>,
    /// The row's local date, once its date cell is read (see
    /// [`RowErrors::date`]).
    date: Option<chrono::NaiveDate>,
    /// The declared columns of the file, in slot order, located once per
    /// file.
    declared_at: &'a [DeclaredAt],
}

impl<'a> Cells<'a> {
    pub(super) fn new(
        layout: &'a Layout,
        header: &'a Header,
        record: &'a RawRecord,
        decimal_comma: bool,
        declared_at: &'a [DeclaredAt],
    ) -> Self {
        Cells {
            layout,
            header,
            record,
            whole: std::str::from_utf8(&record.buf).ok(),
            decimal_comma,
            errors: Vec::new(),
            date: None,
            declared_at,
        }
    }

    /// The physical line the row starts on.
    pub(super) fn line(&self) -> u64 {
        self.record.line
    }

    fn error(&self, column: usize, column_name: &str, text: &str, message: String) -> RowError {
        RowError {
            file: self.layout.file.to_string(),
            line: self.record.line,
            column,
            column_name: column_name.to_string(),
            text: shorten(text),
            message,
            id: None,
            sheet: None,
        }
    }

    /// A row that cannot be split into the header's columns; checked before
    /// any cell, since its cells would be read under the wrong names.
    pub(super) fn shape_error(&self) -> Option<RowError> {
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
        let line = self.record.line;
        let mut error = if let Some(cut) = self.record.cut {
            // Say what is true: a quote left open, or a row that is simply
            // that long (one huge cell, or no line breaks in the file).
            let message = match cut.open_quote {
                Some(from) => format!(
                    "the row starting on line {line} is longer than {MAX_ROW_BYTES} bytes, the most \
                     a row may hold: the quoted cell opened on line {from} has no closing \" \
                     within that"
                ),
                None => format!(
                    "the row starting on line {line} is longer than {MAX_ROW_BYTES} bytes, the most \
                     a row may hold, and no quote is open: the cell itself is that long (or the \
                     file has no line breaks)"
                ),
            };
            let start = cut.field_start.min(self.record.buf.len());
            let text = String::from_utf8_lossy(&self.record.buf[start..]);
            self.error(cut.column, &name(cut.column - 1), text.trim(), message)
        } else if self.record.unclosed_quote {
            self.error(
                fields,
                &name(fields.saturating_sub(1)),
                &last_text(),
                format!(
                    "a quoted cell is not closed before the end of the file (a \" is missing; \
                     the quote opens on line {})",
                    self.record.quote_line()
                ),
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
        let name = self.layout.id?;
        let bytes = self.record.field(self.header.index(name)?)?;
        let text = std::str::from_utf8(bytes).ok()?.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Reads one cell with `parse`; an absent column reads as empty. On
    /// failure, records an error and returns `None`.
    #[inline]
    pub(super) fn read<T>(
        &mut self,
        col: Col,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let header = self.header;
        self.read_at(col.index, header.header_of(col.name), parse)
    }

    /// Reads one cell by its place in the header and its column's name.
    #[inline]
    fn read_at<T>(
        &mut self,
        index: Option<usize>,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let (text, column) = match index {
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
                        let message = not_utf8(bytes, e.valid_up_to());
                        let text = String::from_utf8_lossy(bytes);
                        let error = self.error(i + 1, name, text.trim(), message);
                        self.errors.push(error);
                        return None;
                    }
                }
            }
        };
        match parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                let error = self.error(column, name, text, message);
                self.errors.push(error);
                None
            }
        }
    }

    pub(super) fn text(&mut self, col: Col) -> Option<String> {
        self.read(col, |t| Ok(t.to_string()))
    }

    /// A visit or event id, in the form ids are compared in (`parse_id`).
    pub(super) fn id_text(&mut self, col: Col) -> Option<String> {
        let name = self.header.header_of(col.name);
        self.read(col, |t| parse_id(name, t).map(|t| t.into_owned()))
    }

    /// A provider id, interned: a hash of the cell, no allocation once the
    /// id has been seen (nor for normalising an ASCII or NFC id).
    pub(super) fn provider(&mut self, col: Col, ids: &mut Ids) -> Option<ProviderId> {
        let name = self.header.header_of(col.name);
        self.read(col, |t| parse_id(name, t).map(|t| ids.provider(&t)))
    }

    /// A customer id, interned.
    pub(super) fn customer(&mut self, col: Col, ids: &mut Ids) -> Option<CustomerId> {
        let name = self.header.header_of(col.name);
        self.read(col, |t| parse_id(name, t).map(|t| ids.customer(&t)))
    }

    /// A customer id that may be left empty (events.csv): empty is none.
    pub(super) fn optional_customer(
        &mut self,
        col: Col,
        ids: &mut Ids,
    ) -> Option<Option<CustomerId>> {
        let name = self.header.header_of(col.name);
        self.read(col, |t| {
            if t.is_empty() {
                return Ok(None);
            }
            parse_id(name, t).map(|t| Some(ids.customer(&t)))
        })
    }

    /// The cells of the declared fields of this file, in slot order; a
    /// field the contract does not read is [`Cell::Empty`], unread.
    pub(super) fn declared<A: smallvec::Array<Item = Cell>>(
        &mut self,
    ) -> Option<smallvec::SmallVec<A>> {
        let at = self.declared_at;
        let decimal_comma = self.decimal_comma;
        let mut cells = smallvec::SmallVec::with_capacity(at.len());
        let mut ok = true;
        for d in at {
            let Some(index) = d.index else {
                cells.push(Cell::Empty);
                continue;
            };
            match self.read_at(index, &d.header, |t| {
                parse_declared(&d.column, t, decimal_comma)
            }) {
                Some(cell) => cells.push(cell),
                None => ok = false,
            }
        }
        ok.then_some(cells)
    }

    /// Notes the row's local date, for its errors (a run over some months
    /// tells whether an unreadable row is of them).
    pub(super) fn note_date(&mut self, date: chrono::NaiveDate) {
        self.date = Some(date);
    }

    /// The row's value, or all its errors (by column) carrying the row's id.
    pub(super) fn finish<T>(self, value: Option<T>) -> Result<T, RowErrors> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => {
                let id = self.id();
                let mut errors = self.errors;
                for error in &mut errors {
                    error.id.clone_from(&id);
                }
                errors.sort_by_key(|e| e.column);
                let date = self.date;
                Err(RowErrors::new(errors, date).unwrap_or_else(|| {
                    let mut error = RowError::whole_row(
                        self.layout.file,
                        self.record.line,
                        "the row could not be read",
                    );
                    error.id = id;
                    error.into()
                }))
            }
        }
    }
}

/// What is wrong with a cell that is not UTF-8: the offending byte and where
/// it is, and the likely cause when it is a Latin-1 letter (an export saved
/// as "CSV" rather than "CSV UTF-8" writes å, ä, ö as one byte each).
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> String {
    let Some(&byte) = bytes.get(valid_up_to) else {
        return "not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")".into();
    };
    let latin1 = match byte {
        0xC0..=0xFF if byte != 0xD7 && byte != 0xF7 => format!(
            ", which is '{}' in Latin-1 or Windows-1252: the file is probably saved in one of those",
            char::from(byte)
        ),
        _ => String::new(),
    };
    format!(
        "not valid UTF-8: byte {} of the cell is 0x{byte:02X}{latin1}; save the file as UTF-8 \
         (in Excel: \"CSV UTF-8\")",
        valid_up_to + 1
    )
}

/// Cells are trimmed of Unicode whitespace (spreadsheets pad with no-break
/// spaces too); the ASCII pass first is only quicker on the common case.
fn trim(text: &str) -> &str {
    // Most cells begin and end with a visible ASCII character: nothing to
    // trim, and no character to decode (this runs for every cell read).
    if let (Some(first), Some(last)) = (text.as_bytes().first(), text.as_bytes().last())
        && first.is_ascii_graphic()
        && last.is_ascii_graphic()
    {
        return text;
    }
    let text = text.trim_ascii();
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        text.trim()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fixtures::*;

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
        // The cell that passed the limit, and the quote that did it.
        assert_eq!(
            (e.line, e.column, e.column_name.as_str()),
            (2, 2, "provider")
        );
        assert!(e.message.contains("longer than"), "{}", e.message);
        assert!(e.message.contains("opened on line 2"), "{}", e.message);
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
}
