//! Files a rule file declares of its own (`fil frånvaro "frånvaro.csv" per
//! kund och period`): each row a key (a customer or a provider), an
//! inclusive interval of dates and the cells of the fields the rule file
//! declares in the file (`fält orsak i frånvaro: …`).
//!
//! Such a file is read like the four standard ones, through the same
//! header checks (`layout`), cells (`cells`) and value parsers (`values`):
//! its layout is its key columns (`customer` or `provider`, `from`, `to`,
//! mappable with `rubriker`), its other columns are its declared fields.
//! What a row attaches to is the evaluator's business (`eval::attached`).

use chrono::NaiveDate;

use super::cells::Cells;
use super::error::{DataErrors, DataWarning, FileErrorKind, RowError};
use super::layout::{Col, Header, Layout, interned};
use super::model::{DataFile, Ids, Schema, Values};
use super::read::DataDir;
use super::values::parse_optional_date;

/// What the rows of an own file are about, and so what they attach to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Per {
    /// `per kund och period`: a customer's rows (absence periods).
    Customer,
    /// `per utförare och period`: a provider's rows (quality results).
    Provider,
}

impl Per {
    /// The key columns of such a file: the party, then the interval.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            Per::Customer => &["customer", "from", "to"],
            Per::Provider => &["provider", "from", "to"],
        }
    }

    /// The words of the declaration, for messages.
    pub fn words(self) -> &'static str {
        match self {
            Per::Customer => "per kund och period",
            Per::Provider => "per utförare och period",
        }
    }
}

/// A data file the rule file declares (`fil`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnFile {
    /// The name the rule file gives it (`frånvaro`), which its `fält` and
    /// `rubriker` name and conditions ask about (`ingen frånvaro`).
    pub name: String,
    /// The file in the data folder (`frånvaro.csv`).
    pub file: String,
    pub per: Per,
}

/// One row of an own file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnRow {
    /// The customer's (`CustomerId`) or provider's (`ProviderId`) id, by
    /// the file's [`Per`].
    pub key: u32,
    /// Inclusive; `None` = open.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The file's declared fields, in declaration order.
    pub cells: Values,
    /// The physical line the row starts on, for warnings.
    pub line: u64,
}

/// An own file's key columns, located in its header.
struct OwnColumns {
    party: Col,
    from: Col,
    to: Col,
    per: Per,
}

impl DataDir {
    /// The rows of the rule file's own file number `index` (its place among
    /// the `fil` declarations), and the errors of the rows that cannot be
    /// read; file-level problems (the file missing, a key column missing)
    /// are an `Err` that names the declaration. Warnings (a quoted cell over
    /// many lines) are added to `warnings`.
    pub fn own_rows(
        &self,
        index: u8,
        own: &OwnFile,
        codes: &Schema,
        ids: &mut Ids,
        warnings: &mut Vec<DataWarning>,
    ) -> Result<(Vec<OwnRow>, Vec<RowError>), DataErrors> {
        let data = DataFile::Own(index);
        let layout = Layout {
            file: interned(&own.file),
            file_required: true,
            id: None,
            always: own.per.key_columns(),
            optional: &[],
            data,
        };
        let per = own.per;
        let find = |header: &Header| {
            let [party, from, to] = [0, 1, 2].map(|i| Col::find(header, per.key_columns()[i]));
            OwnColumns {
                party,
                from,
                to,
                per,
            }
        };
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        self.rows_of(
            (layout, find),
            codes,
            ids,
            warnings,
            own_row,
            |row| match row {
                Ok(row) => rows.push(row),
                Err(e) => errors.extend(e),
            },
        )
        .map_err(|e| declared_by(e, own))?;
        Ok((rows, errors))
    }
}

/// A file-level error of an own file says which declaration asks for the
/// file or its key columns, since no data layout lists them.
fn declared_by(mut errors: DataErrors, own: &OwnFile) -> DataErrors {
    let declaration = format!("`fil {} \"{}\" {}`", own.name, own.file, own.per.words());
    for e in &mut errors.file_errors {
        match e.kind {
            FileErrorKind::Missing => {
                e.message = format!(
                    "{}, which the rule file declares ({declaration})",
                    e.message
                );
            }
            FileErrorKind::MissingColumn => {
                e.message = e.message.replace(
                    "which the data layout requires",
                    &format!("which {declaration} requires"),
                );
            }
            _ => {}
        }
    }
    errors
}

/// One row: its key, its interval and its declared cells, every cell read
/// before the first `?` so the row reports all its unreadable cells.
fn own_row(cells: &mut Cells<'_>, c: &OwnColumns, ids: &mut Ids) -> Option<OwnRow> {
    let key = match c.per {
        Per::Customer => cells.customer(c.party, ids).map(|id| id.0),
        Per::Provider => cells.provider(c.party, ids).map(|id| id.0),
    };
    let from = cells.read(c.from, parse_optional_date);
    let to = cells.read(c.to, parse_optional_date);
    let extra = cells.declared();
    Some(OwnRow {
        key: key?,
        from: from?,
        to: to?,
        cells: extra?,
        line: cells.line(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Cell;
    use crate::data::fixtures::*;
    use crate::data::model::{ColumnKind, DeclaredColumn, HeaderMapping};

    fn absence() -> OwnFile {
        OwnFile {
            name: "frånvaro".into(),
            file: "frånvaro.csv".into(),
            per: Per::Customer,
        }
    }

    fn book() -> Schema {
        let mut codes = codes();
        codes.declare_columns(vec![DeclaredColumn {
            name: "orsak".into(),
            file: DataFile::Own(0),
            kind: ColumnKind::Code(strings(&["sjukhus", "resa"])),
            empty: Some(Cell::Empty),
            undeclared_empty: None,
            reading: crate::data::Reading::Required,
        }]);
        codes
    }

    #[test]
    fn rows_are_read_with_their_key_interval_and_cells() {
        let (_tmp, data) = dir(&[(
            "frånvaro.csv",
            "customer;from;to;orsak\nC1;2025-03-10;2025-03-12;sjukhus\nC2;;;\n".as_bytes(),
        )]);
        let mut ids = Ids::default();
        let (rows, errors) = data
            .own_rows(0, &absence(), &book(), &mut ids, &mut Vec::new())
            .unwrap();
        assert!(errors.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!(
            ids.customer_name(crate::data::CustomerId(rows[0].key)),
            "C1"
        );
        assert_eq!(
            (rows[0].from, rows[0].to, &*rows[0].cells, rows[0].line),
            (
                Some(date("2025-03-10")),
                Some(date("2025-03-12")),
                &[Cell::Code(0)][..],
                2
            )
        );
        assert_eq!(
            (rows[1].from, rows[1].to, &*rows[1].cells),
            (None, None, &[Cell::Empty][..])
        );
    }

    #[test]
    fn bad_cells_name_file_line_column_and_text() {
        let (_tmp, data) = dir(&[(
            "frånvaro.csv",
            "customer,from,to,orsak\nC1,2025-3-10,,sjukhu\n,2025-03-01,,\n".as_bytes(),
        )]);
        let (rows, errors) = data
            .own_rows(0, &absence(), &book(), &mut Ids::default(), &mut Vec::new())
            .unwrap();
        assert!(rows.is_empty());
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "frånvaro.csv:2:2: from \"2025-3-10\": not a date: expected YYYY-MM-DD (or empty)",
                "frånvaro.csv:2:4: orsak \"sjukhu\": not a orsak code declared by the rule file; \
                 declared: sjukhus, resa (did you mean 'sjukhus'?)",
                "frånvaro.csv:3:1: customer (empty): every row needs a customer",
            ]
        );
    }

    #[test]
    fn a_missing_file_or_key_column_names_the_declaration() {
        let (_tmp, data) = dir(&[]);
        let errors = data
            .own_rows(0, &absence(), &book(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(errors.file_errors[0].kind, FileErrorKind::Missing);
        assert!(
            errors.file_errors[0].message.ends_with(
                "which the rule file declares (`fil frånvaro \"frånvaro.csv\" per kund och period`)"
            ),
            "{}",
            errors.file_errors[0].message
        );
        let (_tmp, data) = dir(&[("frånvaro.csv", b"customer,to,orsak\n")]);
        let errors = data
            .own_rows(0, &absence(), &book(), &mut Ids::default(), &mut Vec::new())
            .unwrap_err();
        assert_eq!(
            errors.file_errors[0].to_string(),
            "frånvaro.csv:1: has no column 'from', which `fil frånvaro \"frånvaro.csv\" per kund \
             och period` requires"
        );
    }

    #[test]
    fn key_columns_and_fields_are_read_from_mapped_headers() {
        let (_tmp, data) = dir(&[(
            "frånvaro.csv",
            "Kund-ID;Från;Till;Orsak\nC1;2025-03-10;;resa\n".as_bytes(),
        )]);
        let mut codes = book();
        let map = |column: &str, header: &str| HeaderMapping {
            file: DataFile::Own(0),
            column: column.into(),
            header: header.into(),
        };
        codes.map_headers(vec![
            map("customer", "Kund-ID"),
            map("from", "Från"),
            map("to", "Till"),
            map("orsak", "Orsak"),
        ]);
        let (rows, errors) = data
            .own_rows(0, &absence(), &codes, &mut Ids::default(), &mut Vec::new())
            .unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            (rows[0].from, &*rows[0].cells),
            (Some(date("2025-03-10")), &[Cell::Code(1)][..])
        );
    }
}
