//! Column layouts: which columns each of the four files has (data-format.md),
//! the header row read into names, the checks that required columns are there
//! and that no column the reader uses appears twice, and each file's columns
//! located in its header.
//!
//! Column order is free and unknown columns are ignored, so a column is found
//! by name once per file; rows are then read by index.

use super::csv::RawRecord;
use super::error::{DataErrors, FileError, FileErrorKind, shorten};

pub const VISITS: &str = "visits.csv";
pub const CUSTOMERS: &str = "customers.csv";
pub const EVENTS: &str = "events.csv";
pub const PROVIDERS: &str = "providers.csv";

pub(super) const VISIT_COLUMNS: [&str; 6] =
    ["visit_id", "provider", "customer", "staff", "start", "end"];
pub(super) const VISIT_OPTIONAL: [&str; 3] = ["staff_count", "activities", "status"];
pub(super) const CUSTOMER_COLUMNS: [&str; 5] = ["customer", "provider", "from", "to", "zone"];
pub(super) const CUSTOMER_OPTIONAL: [&str; 8] = [
    "granted_hours",
    "approved_extra_hours",
    "hsl_from",
    "hsl_to",
    "referral",
    "level",
    "alarm",
    "relief_hours",
];
pub(super) const EVENT_COLUMNS: [&str; 4] = ["event_id", "provider", "date", "kind"];
pub(super) const EVENT_OPTIONAL: [&str; 1] = ["customer"];
pub(super) const PROVIDER_COLUMNS: [&str; 1] = ["provider"];
pub(super) const PROVIDER_OPTIONAL: [&str; 2] = ["name", "regime"];

/// The columns a file's layout knows: `always` must be in the header,
/// `optional` take their empty default when absent.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    pub(super) file: &'static str,
    pub(super) always: &'static [&'static str],
    pub(super) optional: &'static [&'static str],
}

#[derive(Debug)]
pub(super) struct Header {
    pub(super) names: Vec<String>,
    pub(super) line: u64,
}

impl Header {
    pub(super) fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// One layout column, located in this file's header (or absent).
#[derive(Debug, Clone, Copy)]
pub(super) struct Col {
    pub(super) index: Option<usize>,
    pub(super) name: &'static str,
}

impl Col {
    fn find(header: &Header, name: &'static str) -> Col {
        Col {
            index: header.index(name),
            name,
        }
    }
}

pub(super) fn read_header(file: &'static str, record: &RawRecord) -> Result<Header, DataErrors> {
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

pub(super) fn check_columns(
    layout: Layout,
    header: &Header,
    required: &[&str],
) -> Result<(), DataErrors> {
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

#[derive(Debug, Clone, Copy)]
pub(super) struct VisitColumns {
    pub(super) visit_id: Col,
    pub(super) provider: Col,
    pub(super) customer: Col,
    pub(super) staff: Col,
    pub(super) start: Col,
    pub(super) end: Col,
    pub(super) staff_count: Col,
    pub(super) activities: Col,
    pub(super) status: Col,
}

impl VisitColumns {
    pub(super) fn new(header: &Header) -> Self {
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
pub(super) struct CustomerColumns {
    pub(super) customer: Col,
    pub(super) provider: Col,
    pub(super) from: Col,
    pub(super) to: Col,
    pub(super) zone: Col,
    pub(super) granted_hours: Col,
    pub(super) approved_extra_hours: Col,
    pub(super) hsl_from: Col,
    pub(super) hsl_to: Col,
    pub(super) referral: Col,
    pub(super) level: Col,
    pub(super) alarm: Col,
    pub(super) relief_hours: Col,
}

impl CustomerColumns {
    pub(super) fn new(header: &Header) -> Self {
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
pub(super) struct EventColumns {
    pub(super) event_id: Col,
    pub(super) provider: Col,
    pub(super) customer: Col,
    pub(super) date: Col,
    pub(super) kind: Col,
}

impl EventColumns {
    pub(super) fn new(header: &Header) -> Self {
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
pub(super) struct ProviderColumns {
    pub(super) provider: Col,
    pub(super) name: Col,
    pub(super) regime: Col,
}

impl ProviderColumns {
    pub(super) fn new(header: &Header) -> Self {
        ProviderColumns {
            provider: Col::find(header, "provider"),
            name: Col::find(header, "name"),
            regime: Col::find(header, "regime"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fixtures::*;
    use crate::data::model::CustomerRow;
    use rust_decimal::Decimal;

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
}
