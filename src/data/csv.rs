//! CSV records: RFC 4180 fields of a byte stream, each record with the
//! physical line it starts on; the separator sniffed from the header line and
//! a leading BOM skipped.
//!
//! A small tokenizer of our own rather than the `csv` crate: `csv` reports as
//! a record's line the line where its reader stopped after the previous
//! record, which is one too low on every row of a CRLF file and ignores blank
//! lines skipped before the record. Line numbers are the product here, so the
//! tokenizer counts them itself. It knows nothing of headers or columns
//! (see `layout`) nor of what a cell means (see `values`).

use std::io::{self, BufRead};

/// Rows longer than this are not kept in memory: no real row comes close,
/// and the usual cause is a quote that is never closed, which would otherwise
/// pull the rest of a large file into one cell.
pub(super) const MAX_ROW_BYTES: usize = 1 << 20;

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A quoted cell may hold line breaks (a note of a few lines); one that runs
/// over more physical lines than this is reported as a warning
/// ([`RawRecord::long_quote`]): it is usually a quote that is not closed,
/// which swallows the rows after it.
pub(super) const MAX_QUOTED_LINES: u64 = 3;

/// A quoted field that ran over more than [`MAX_QUOTED_LINES`] lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LongQuote {
    /// 1-based column of the field.
    pub(super) column: usize,
    /// Line of its opening quote.
    pub(super) from: u64,
    /// Line of its closing quote.
    pub(super) to: u64,
}

/// Where a record passed [`MAX_ROW_BYTES`] and was cut off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cut {
    /// 1-based column of the field being read.
    pub(super) column: usize,
    /// Where that field starts in the record's buffer.
    pub(super) field_start: usize,
    /// Line of the field's opening quote, when the cut came inside a quoted
    /// field; `None` when no quote was open (the row itself is that long).
    pub(super) open_quote: Option<u64>,
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

/// One record as raw bytes. Separators stay in `buf` between the fields, so
/// an unquoted line is copied in one piece; `fields` holds each field's range.
#[derive(Debug, Default)]
pub(super) struct RawRecord {
    pub(super) buf: Vec<u8>,
    fields: Vec<(usize, usize)>,
    /// Where the field being read starts in `buf`.
    field_start: usize,
    /// Physical line of the record's first byte.
    pub(super) line: u64,
    /// End of file came inside a quoted field.
    pub(super) unclosed_quote: bool,
    /// The record passed [`MAX_ROW_BYTES`]; its cells are incomplete.
    pub(super) too_long: bool,
    /// Where it passed the limit, when it did.
    pub(super) cut: Option<Cut>,
    /// Inside a quoted field (until its close is confirmed).
    in_quotes: bool,
    /// Line and 1-based column of the last quoted field's opening quote.
    quote_start: (u64, usize),
    /// Line of the last `"` seen inside a quoted field.
    quote_end: u64,
    /// The record's first quoted field over [`MAX_QUOTED_LINES`] lines.
    pub(super) long_quote: Option<LongQuote>,
}

impl RawRecord {
    fn clear(&mut self) {
        self.buf.clear();
        self.fields.clear();
        self.field_start = 0;
        self.unclosed_quote = false;
        self.too_long = false;
        self.cut = None;
        self.in_quotes = false;
        self.long_quote = None;
    }

    /// Line of the last quoted field's opening quote (for an unclosed one:
    /// where the quote that is missing its close opens).
    pub(super) fn quote_line(&self) -> u64 {
        self.quote_start.0
    }

    fn open_quote(&mut self, line: u64) {
        self.in_quotes = true;
        self.quote_start = (line, self.fields.len() + 1);
    }

    fn close_quote(&mut self) {
        self.in_quotes = false;
        let (from, column) = self.quote_start;
        let lines = self.quote_end.saturating_sub(from) + 1;
        if lines > MAX_QUOTED_LINES && self.long_quote.is_none() {
            self.long_quote = Some(LongQuote {
                column,
                from,
                to: self.quote_end,
            });
        }
    }

    /// Marks the record as over the limit, noting where.
    fn cut_off(&mut self) {
        if !self.too_long {
            self.too_long = true;
            self.cut = Some(Cut {
                column: self.fields.len() + 1,
                field_start: self.field_start,
                open_quote: self.in_quotes.then_some(self.quote_start.0),
            });
        }
    }

    pub(super) fn len(&self) -> usize {
        self.fields.len()
    }

    pub(super) fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let (start, end) = *self.fields.get(i)?;
        Some(start..end)
    }

    pub(super) fn field(&self, i: usize) -> Option<&[u8]> {
        self.buf.get(self.range(i)?)
    }

    fn full(&mut self) -> bool {
        // Fields count against the limit too: a row of a million separators
        // is as runaway as a million-byte cell.
        if self.buf.len() + self.fields.len() >= MAX_ROW_BYTES {
            self.cut_off();
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
            self.cut_off();
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
        // Every byte above the separator and `"` (letters, digits after a
        // `,`, UTF-8's bytes) is plain text: one comparison each, as this
        // runs over every byte of visits.csv, twice.
        let plain_above = delimiter.max(b'"');
        let mut taken = 0;
        let mut after_separator = false;
        for &b in input {
            if b > plain_above {
                after_separator = false;
            } else if b == delimiter {
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

pub(super) struct Tokenizer<R> {
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

    /// A tokenizer for a file whose separator is not known yet: it is
    /// sniffed from the header line, and a BOM before it is skipped.
    pub(super) fn sniffed(mut input: R) -> io::Result<Self> {
        let start = input.fill_buf()?;
        let delimiter = sniff_delimiter(start);
        if start.starts_with(BOM) {
            input.consume(BOM.len());
        }
        Ok(Tokenizer::new(input, delimiter))
    }

    pub(super) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Line of the next unread byte.
    pub(super) fn line(&self) -> u64 {
        self.lines.line
    }

    /// Reads the next record, skipping empty lines. `Ok(false)` at the end.
    pub(super) fn read_record(&mut self, record: &mut RawRecord) -> io::Result<bool> {
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
                if state == State::QuoteInQuoted {
                    record.close_quote();
                }
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
                if state == State::QuoteInQuoted && b != b'"' {
                    record.close_quote();
                }
                state = match state {
                    State::Quoted if b == b'"' => {
                        record.quote_end = lines.line;
                        State::QuoteInQuoted
                    }
                    State::Quoted => {
                        record.push(b);
                        State::Quoted
                    }
                    State::QuoteInQuoted if b == b'"' => {
                        record.push(b'"');
                        State::Quoted
                    }
                    State::StartField if b == b'"' => {
                        record.open_quote(lines.line);
                        State::Quoted
                    }
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
    use crate::data::fixtures::*;

    #[test]
    fn bom_is_skipped() {
        let mut content = BOM.to_vec();
        content.extend_from_slice(b"visit_id,provider,customer,staff,start,end\nV1,P1,C1,rehab,2025-03-03T08:00,2025-03-03T09:00\nV2,P1,C1,x,2025-03-03T08:00,2025-03-03T09:00\n");
        let rows = visits_with(&content, &codes());
        assert_eq!(code(&rows[0].as_ref().unwrap().values, 0), 2);
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(places(std::slice::from_ref(e)), [(3, 4, "staff", "x")]);
    }

    #[test]
    fn separator_is_the_more_frequent_one_in_the_header() {
        // An extra column whose name holds a comma does not turn a
        // semicolon file into a comma file.
        let rows = customers(
            "customer;provider;from;to;zone;Anteckning, intern\nC1;P1;;;landsbygd;a, b\n",
        )
        .unwrap();
        assert_eq!(code(&rows[0].values, 0), 1);
        // Separators inside quotes do not count.
        let rows = customers(
            "\"customer\";\"provider\";from;to;\"zone\";\"a,b,c,d,e,f\"\nC1;P1;;;landsbygd;x\n",
        )
        .unwrap();
        assert_eq!(code(&rows[0].values, 0), 1);
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

    #[test]
    fn quoted_fields_over_three_lines_are_noted_with_their_lines() {
        let input = b"a;\"1\n2\n3\";b\nc;\"1\n2\n3\n4\";d;\"x\"\ne;\"\"\"\n\n\n\n\"\n";
        for capacity in [1, 2, 3, 5, 1 << 16] {
            let reader = std::io::BufReader::with_capacity(capacity, &input[..]);
            let mut tokenizer = Tokenizer::new(reader, b';');
            let mut record = RawRecord::default();
            let mut long = Vec::new();
            while tokenizer.read_record(&mut record).unwrap() {
                long.push(record.long_quote);
            }
            let quote = |column, from, to| Some(LongQuote { column, from, to });
            // Three lines is a note; four is suspect (an escaped quote
            // first does not hide it).
            assert_eq!(
                long,
                [None, quote(2, 4, 7), quote(2, 8, 12)],
                "capacity {capacity}"
            );
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
}
