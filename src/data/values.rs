//! Cell values: one trimmed cell text ("" for an absent column) to a typed
//! value — the engine's ids, dates and timestamps, and a declared field's
//! cell by its type (numbers with `,` as decimal mark in `;` files, yes/no,
//! whole numbers in a range, codes, sets of codes) — or a message saying what was expected, with a "did you mean" for a near
//! miss of a declared code.
//!
//! Messages are a product (data-format.md, "Bad input"): the rendered ones are
//! pinned by tests in `read`.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use num_rational::Ratio;
use rust_decimal::Decimal;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::error::shorten;
use super::model::{ActivitySet, Cell, Code, ColumnKind, DeclaredColumn, Number};
use super::time;

pub(super) fn non_empty<'t>(name: &str, text: &'t str) -> Result<&'t str, String> {
    if text.is_empty() {
        Err(format!("every row needs a {name}"))
    } else {
        Ok(text)
    }
}

/// An id (visit, event, provider, customer) as it is compared: required,
/// free of invisible characters, in Unicode NFC.
///
/// Ids are compared after NFC normalisation because the same name can be
/// typed as different code points ("å" as one, or as "a" and a combining
/// ring): two exports of one system, or a hand-edited cell, would otherwise
/// make one visit two, and pay it twice. An invisible format character
/// (general category Cf: zero width space, byte order mark, direction
/// marks, soft hyphen, …) makes an id look like another that it is not
/// equal to, so it is an error rather than something to strip silently.
///
/// ASCII ids, the common case, are borrowed untouched; others are checked
/// for Cf and, only when not already NFC, normalised into a new string.
pub(super) fn parse_id<'t>(name: &str, text: &'t str) -> Result<Cow<'t, str>, String> {
    let text = non_empty(name, text)?;
    if text.is_ascii() {
        return Ok(Cow::Borrowed(text));
    }
    if let Some((at, c)) = invisible(text) {
        return Err(format!(
            "{name} contains {} (invisible) at character {at}: remove it (an id with an \
             invisible character looks like another id but is not the same)",
            describe(c)
        ));
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Ok(Cow::Borrowed(text)),
        IsNormalized::No | IsNormalized::Maybe => Ok(Cow::Owned(text.nfc().collect())),
    }
}

/// An invisible format character (Unicode general category Cf).
pub(super) fn is_invisible(c: char) -> bool {
    !c.is_ascii() && c.general_category() == GeneralCategory::Format
}

/// The first invisible character of `text`, with its 1-based character
/// position.
pub(super) fn invisible(text: &str) -> Option<(usize, char)> {
    if text.is_ascii() {
        return None;
    }
    text.chars()
        .enumerate()
        .find(|(_, c)| is_invisible(*c))
        .map(|(i, c)| (i + 1, c))
}

/// A character as a message names it: its code point and, for the format
/// characters that turn up in exports, its Unicode name (the full name table
/// would be a large dependency for a message).
pub(super) fn describe(c: char) -> String {
    let name = match c {
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        '\u{FFF9}' => "INTERLINEAR ANNOTATION ANCHOR",
        '\u{FFFA}' => "INTERLINEAR ANNOTATION SEPARATOR",
        '\u{FFFB}' => "INTERLINEAR ANNOTATION TERMINATOR",
        _ => "",
    };
    let code = format!("U+{:04X}", u32::from(c));
    if name.is_empty() {
        code
    } else {
        format!("{code} {name}")
    }
}

pub(super) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    time::parse_date(text).map_err(|e| e.to_string())
}

pub(super) fn parse_optional_date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    time::parse_date(text)
        .map(Some)
        .map_err(|e| format!("{e} (or empty)"))
}

pub(super) fn parse_timestamp(text: &str) -> Result<(i64, NaiveDateTime), String> {
    time::parse_timestamp(text).map_err(|e| e.to_string())
}

/// A plain decimal: digits and one decimal mark (`,` too in a `;` file).
/// Anything else, such as `1e3` or `1 000`, is more likely a broken export
/// than a number, and guessing would pay the wrong amount. `expected` ends
/// the message of a cell that is not one.
fn parse_decimal(
    text: &str,
    decimal_comma: bool,
    expected: impl Fn() -> String,
) -> Result<Decimal, String> {
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
                "not a number: the file is comma-separated, so the decimal mark is '.'; {}",
                expected()
            ));
        }
        return Err(format!("not a number: {}", expected()));
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.unwrap_or("");
    let too_large = "implausibly large: more than 1000000000";
    if whole.len() > 10 {
        return Err(too_large.into());
    }
    if fraction.len() > 18 {
        return Err(format!("too many decimals (at most 18): {}", expected()));
    }
    let plain = format!(
        "{}.{}",
        if whole.is_empty() { "0" } else { whole },
        if fraction.is_empty() { "0" } else { fraction }
    );
    let value =
        Decimal::from_str_exact(&plain).map_err(|_| format!("not a number: {}", expected()))?;
    if value > Decimal::from(1_000_000_000u32) {
        return Err(too_large.into());
    }
    if negative && !value.is_zero() {
        return Err(format!("negative: {}", expected()));
    }
    Ok(value.normalize())
}

/// What an empty cell of `column` reads as, for messages: ` (empty = 0)`.
fn empty_note(column: &DeclaredColumn) -> String {
    let value = match (&column.empty, &column.kind) {
        (None, _) => return String::new(),
        (Some(Cell::Empty), _) => "none".to_string(),
        (Some(Cell::Flag(b)), _) => if *b { "ja" } else { "nej" }.to_string(),
        (Some(Cell::Code(c)), ColumnKind::Code(values)) => {
            values.get(*c as usize).cloned().unwrap_or_default()
        }
        (Some(Cell::Number(n)), ColumnKind::Number { factor, .. }) => {
            (n.exact() / factor).to_string()
        }
        (Some(Cell::Number(n)), _) => n.exact().to_string(),
        (Some(Cell::Date(d)), _) => d.to_string(),
        (Some(Cell::Set(_)), _) | (Some(Cell::Code(_)), _) => "none".to_string(),
    };
    format!(" (empty = {value})")
}

/// A cell of a declared field: empty as its `tomt` says (an error without
/// one), else by the field's type.
pub(super) fn parse_declared(
    column: &DeclaredColumn,
    text: &str,
    decimal_comma: bool,
) -> Result<Cell, String> {
    let name = &column.name;
    if text.is_empty() {
        if let ColumnKind::Codes(_) = column.kind {
            return Ok(Cell::Set(ActivitySet::default()));
        }
        if let Some(default) = &column.undeclared_empty {
            let declared = match &column.kind {
                ColumnKind::Code(values) => list(values),
                _ => String::new(),
            };
            return Err(format!(
                "{name} is empty, and its default '{default}' is not declared by the rule file; declared: {declared}"
            ));
        }
        return column.empty.ok_or_else(|| match &column.kind {
            ColumnKind::Code(values) => format!("{name} is required; declared: {}", list(values)),
            _ => format!("{name} is required (the rule file declares no `tomt` value for it)"),
        });
    }
    match &column.kind {
        ColumnKind::Flag => {
            const YES: [&str; 2] = ["ja", "true"];
            const NO: [&str; 2] = ["nej", "false"];
            if YES.iter().any(|y| text.eq_ignore_ascii_case(y)) {
                Ok(Cell::Flag(true))
            } else if NO.iter().any(|n| text.eq_ignore_ascii_case(n)) {
                Ok(Cell::Flag(false))
            } else {
                Err(format!(
                    "not a yes/no value: expected ja, nej, true or false{}",
                    empty_note(column)
                ))
            }
        }
        ColumnKind::Code(values) => match values.iter().position(|v| v == text) {
            Some(i) => Ok(Cell::Code(i as Code)),
            None => Err(format!(
                "not a {name} code declared by the rule file; declared: {}{}",
                list(values),
                suggestion(text, values)
            )),
        },
        ColumnKind::Codes(values) => parse_set(name, values, text).map(Cell::Set),
        ColumnKind::Integer { min, max } => {
            // Formatted only on the way to an error: this runs on every row.
            let expected = || {
                format!(
                    "expected a whole number from {min} to {max}{}",
                    empty_note(column)
                )
            };
            if let Some(rest) = text.strip_prefix('-')
                && !rest.is_empty()
                && rest.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(format!("negative {name}: {}", expected()));
            }
            if !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("not a whole number: {}", expected()));
            }
            // Digits only, so a failed parse is a number too large for u32.
            match text.parse::<u32>() {
                Ok(n) if (*min..=*max).contains(&n) => Ok(Cell::Number(Number::integer(n as i64))),
                Ok(n) if n < *min => Err(format!("{name} below {min}: {}", expected())),
                _ => Err(format!("{name} above {max}: {}", expected())),
            }
        }
        ColumnKind::Number { factor, unit } => {
            // Formatted only on the way to an error: this runs on every row.
            let expected = || {
                let what = if unit.is_empty() {
                    "a number".to_string()
                } else {
                    format!("a number of {unit}")
                };
                let like = if decimal_comma {
                    "like 12,5 or 12.5"
                } else {
                    "like 12.5"
                };
                format!("expected {what} {like}{}", empty_note(column))
            };
            let d = parse_decimal(text, decimal_comma, expected)?;
            let exact = || Ratio::new(d.mantissa(), 10i128.pow(d.scale())) * factor;
            Number::of(d, *factor)
                .or_else(|| Number::new(exact()))
                .map(Cell::Number)
                .ok_or_else(|| format!("too precise to hold exactly: {}", expected()))
        }
        ColumnKind::Date => parse_date(text).map(Cell::Date),
    }
}

/// A `|`-separated set of codes (an activity list).
fn parse_set(name: &str, declared: &[String], text: &str) -> Result<ActivitySet, String> {
    let mut set = ActivitySet::default();
    // By bytes: `|` is ASCII, so each piece is on character boundaries, and
    // this runs for every visit (`str::split` with a char pattern and
    // `trim` cost several times more here).
    let bytes = text.as_bytes();
    let mut start = 0;
    while start <= bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'|')
            .map_or(bytes.len(), |i| start + i);
        let piece = &text[start..end];
        start = end + 1;
        let code = piece.trim_ascii();
        let code = if code.starts_with(char::is_whitespace) || code.ends_with(char::is_whitespace) {
            code.trim()
        } else {
            code
        };
        if code.is_empty() {
            return Err(format!(
                "empty {name} code: expected codes separated by single '|', e.g. dusch|tvätt"
            ));
        }
        let Some(index) = declared.iter().position(|d| d == code) else {
            return Err(format!(
                "{name} code '{}' is not declared by the rule file; declared: {}{}",
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
                "{name} code '{code}' is beyond the 128 codes taxa can hold in a set"
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::error::RowError;
    use crate::data::fixtures::*;

    #[test]
    fn semicolon_files_use_decimal_comma() {
        let rows = customers(
            "customer;provider;from;to;zone;granted_hours;approved_extra_hours;relief_hours\n\
             C1;P1;2025-01-01;;tätort;12,5;3.25;\"1,0\"\n",
        )
        .unwrap();
        let row = &rows[0];
        assert_eq!(number(&row.values, 1), Some(Ratio::new(25, 2)));
        assert_eq!(number(&row.values, 2), Some(Ratio::new(13, 4)));
        assert_eq!(number(&row.values, 8), Some(Ratio::from_integer(1)));
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
    fn empty_cells_take_their_defaults() {
        let rows = visits(&format!(
            "{VISIT_HEADER}V1,P,C,omsorg,2025-03-03T08:00,2025-03-03T09:00,,,\n"
        ));
        let v = rows[0].as_ref().unwrap();
        assert_eq!(
            (v.values[1], v.values[2], v.values[3]),
            (
                Cell::Number(crate::data::Number::integer(1)),
                Cell::Set(ActivitySet::default()),
                Cell::Code(1)
            )
        );

        let rows = customers(
            "customer,provider,from,to,zone,granted_hours,approved_extra_hours,hsl_from,hsl_to,referral,level,alarm,relief_hours\n\
             C1,P1,,,tätort,,,,,,,,\n\
             C2,P1,2025-01-01,2025-06-30,tätort,40.5,2,2024-03-01,,JA,29,true,0.5\n",
        )
        .unwrap();
        // referral 5, level 6, alarm 7 (see `fixtures::codes`).
        let v = &rows[0].values;
        assert_eq!(
            (v[5], v[6], v[7]),
            (Cell::Flag(false), Cell::Empty, Cell::Flag(false))
        );
        let c2 = &rows[1].values;
        assert_eq!(number(c2, 1), Some(Ratio::new(81, 2)));
        assert_eq!(c2[3], Cell::Date(date("2024-03-01")));
        assert_eq!(
            (c2[5], c2[6], c2[7]),
            (
                Cell::Flag(true),
                Cell::Number(crate::data::Number::integer(29)),
                Cell::Flag(true)
            )
        );
    }

    #[test]
    fn columns_no_rule_reads_are_not_read() {
        let mut unread = codes();
        let columns = unread
            .columns()
            .iter()
            .cloned()
            .map(|mut c| {
                c.reading = crate::data::Reading::Unread;
                c
            })
            .collect();
        unread.declare_columns(columns);
        let rows = visits_with(
            format!("{VISIT_HEADER}V1,P,C,whatever,2025-03-03T08:00,2025-03-03T09:00,1,x||y,?\n")
                .as_bytes(),
            &unread,
        );
        let v = rows[0].as_ref().unwrap();
        assert!(v.values.iter().all(|c| *c == Cell::Empty));
    }

    #[test]
    fn empty_status_needs_the_default_declared() {
        // As the checker leaves the standard `status` when the rule file's
        // `kod status` lacks `utförd`, its `tomt` value.
        let mut codes = codes();
        let mut columns = codes.columns().to_vec();
        columns[3].kind = ColumnKind::Code(strings(&["bom", "performed"]));
        columns[3].empty = None;
        columns[3].undeclared_empty = Some("utförd".into());
        codes.declare_columns(columns);
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
            "activities code 'bada' is not declared by the rule file; declared: dusch, inköp, städning, tvätt, delegering_läkemedel"
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
        assert_eq!(
            number(&rows[0].values, 1),
            Some(Ratio::from_integer(1_000_000_000))
        );
    }

    #[test]
    fn ids_are_compared_in_nfc_and_free_of_format_characters() {
        use std::borrow::Cow;
        assert!(matches!(
            parse_id("visit_id", "V1"),
            Ok(Cow::Borrowed("V1"))
        ));
        // Already NFC: borrowed, no allocation.
        assert!(matches!(
            parse_id("visit_id", "Vå"),
            Ok(Cow::Borrowed("Vå"))
        ));
        let nfd = parse_id("customer", "Ka\u{30A}").unwrap();
        assert!(matches!(nfd, Cow::Owned(_)));
        assert_eq!(nfd, "K\u{E5}");
        assert_eq!(
            parse_id("visit_id", "V\u{2060}1").unwrap_err(),
            "visit_id contains U+2060 WORD JOINER (invisible) at character 2: remove it (an id \
             with an invisible character looks like another id but is not the same)"
        );
        // A format character the table does not name: its code point.
        assert!(
            parse_id("visit_id", "V\u{E0001}")
                .unwrap_err()
                .starts_with("visit_id contains U+E0001 (invisible) at character 2")
        );
        assert_eq!(
            parse_id("visit_id", "").unwrap_err(),
            "every row needs a visit_id"
        );
        // Visible non-ASCII is not invisible, nor is a no-break space.
        assert_eq!(invisible("Åsa\u{A0}Ö"), None);
        assert_eq!(invisible("a\u{200E}"), Some((2, '\u{200E}')));
        assert_eq!(describe('\u{200E}'), "U+200E LEFT-TO-RIGHT MARK");
    }

    #[test]
    fn whole_number_bound_is_the_same_on_both_sides_of_u32() {
        let staff = &codes().columns()[1].clone();
        let parse = |t: &str| parse_declared(staff, t, false);
        assert_eq!(
            parse("20"),
            Ok(Cell::Number(crate::data::Number::integer(20)))
        );
        let too_large = |t: &str| parse(t).unwrap_err();
        assert!(too_large("21").starts_with("staff_count above 20"));
        assert_eq!(too_large("21"), too_large("4294967295"));
        assert_eq!(too_large("4294967295"), too_large("4294967296"));
        assert!(too_large("99999999999999999999999").contains("from 1 to 20 (empty = 1)"));
        assert!(parse("0").unwrap_err().starts_with("staff_count below 1"));
        assert!(parse("-1").unwrap_err().starts_with("negative staff_count"));
        assert_eq!(parse(""), Ok(Cell::Number(crate::data::Number::integer(1))));
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
}
