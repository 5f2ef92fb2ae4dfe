//! Loading a rule file: read it, parse it, check it. The errors keep the
//! file's name and text, so a caller (the CLI, an editor, a server) renders
//! them without reading the file again; nothing here prints.

use std::path::Path;

use miette::{Diagnostic, NamedSource, Report};

use super::{CheckError, Contract, check};
use crate::syntax::{self, SyntaxError};

/// A checked contract and the text it was checked from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub contract: Contract,
    /// The rule file's text, for rendering the contract's warnings and
    /// later diagnostics (e.g. [`super::VersionError`]) that point into it.
    pub src: String,
}

impl Loaded {
    /// The file's name (`contract.file`) with its text, as miette wants a
    /// diagnostic's source.
    pub fn source(&self) -> NamedSource<String> {
        NamedSource::new(&self.contract.file, self.src.clone())
    }

    /// Each of the contract's warnings as a report with the file's text
    /// attached, in the order the check found them.
    pub fn warning_reports(&self) -> Vec<Report> {
        let src = self.source();
        self.contract
            .warnings
            .iter()
            .map(|w| check_report(&src, w))
            .collect()
    }
}

/// A check error as a report against the text, unless it is too far right
/// to show ([`far_right`]).
fn check_report(src: &NamedSource<String>, e: &CheckError) -> Report {
    let mut e = e.clone();
    match far_right(src, e.span) {
        Some(at) => {
            e.message.push_str(&at);
            Report::new(e)
        }
        None => Report::new(e).with_source_code(src.clone()),
    }
}

/// miette pads the line of a label with `{:width$}`, and a width past
/// 65 535 panics ("Formatting argument out of range"); a rule file of one
/// long line can have an error that far right. Such an error is shown
/// without the text, its line and column in the message.
const MAX_SHOWN_COLUMN: u32 = 20_000;

/// Where `span` starts, as words for the end of its message, if that is
/// too far right to show (or its underline too long).
fn far_right(src: &NamedSource<String>, span: crate::syntax::Span) -> Option<String> {
    let text = src.inner();
    let at = crate::syntax::source_ref(text, src.name(), span.start);
    let end = crate::syntax::source_ref(text, src.name(), span.end);
    (at.col > MAX_SHOWN_COLUMN || (end.line == at.line && end.col > u32::from(u16::MAX) / 2))
        .then(|| format!(" (at {at}; the line is too long to show)"))
}

/// A rule file that could not be loaded: which file, its text, and why
/// (a location and a kind).
#[derive(Debug)]
pub struct LoadError {
    /// The file's name as given and its text as read (empty when it could
    /// not be read; with U+FFFD for bytes that are not UTF-8).
    pub src: NamedSource<String>,
    pub kind: LoadErrorKind,
}

/// Why a rule file could not be loaded.
#[derive(Debug)]
pub enum LoadErrorKind {
    /// The file cannot be read: it is missing, a folder, not UTF-8 (then
    /// the error holds a [`NotUtf8`]: see [`LoadError::not_utf8`]), or not
    /// permitted.
    Read(std::io::Error),
    /// The text does not follow the grammar; every syntax error found.
    Syntax(Vec<SyntaxError>),
    /// The text parses but does not check; every error found, with the
    /// warnings among them (`CheckError::warning`).
    Check(Vec<CheckError>),
}

impl LoadError {
    /// Where the file stops being UTF-8, if that is why it is unreadable.
    pub fn not_utf8(&self) -> Option<&NotUtf8> {
        match &self.kind {
            LoadErrorKind::Read(e) => NotUtf8::of(e),
            _ => None,
        }
    }

    /// The file's name as given to [`load`] or [`load_file`].
    pub fn file(&self) -> &str {
        self.src.name()
    }

    /// The syntax or check errors (warnings included) as diagnostics; none
    /// for an unreadable file.
    pub fn errors(&self) -> Box<dyn Iterator<Item = &dyn Diagnostic> + '_> {
        match &self.kind {
            LoadErrorKind::Read(_) => Box::new(std::iter::empty()),
            LoadErrorKind::Syntax(errors) => Box::new(errors.iter().map(|e| e as &dyn Diagnostic)),
            LoadErrorKind::Check(errors) => Box::new(errors.iter().map(|e| e as &dyn Diagnostic)),
        }
    }

    /// Each syntax or check error (warnings included) as a report with the
    /// file's text attached, in file order, for rendering one by one; none
    /// for an unreadable file, whose message is the error's own.
    pub fn reports(&self) -> Vec<Report> {
        match &self.kind {
            LoadErrorKind::Read(_) => Vec::new(),
            LoadErrorKind::Syntax(errors) => errors
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    match far_right(&self.src, e.span) {
                        Some(at) => {
                            e.message.push_str(&at);
                            Report::new(e)
                        }
                        None => Report::new(e).with_source_code(self.src.clone()),
                    }
                })
                .collect(),
            LoadErrorKind::Check(errors) => {
                errors.iter().map(|e| check_report(&self.src, e)).collect()
            }
        }
    }
}

/// `cannot read FILE: REASON` (the CLI's message for an unreadable file),
/// `FILE does not parse` or `FILE does not check`. The read error is part of
/// the message rather than a `source()`, so it is not printed twice.
impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self.file();
        match &self.kind {
            LoadErrorKind::Read(e) => write!(f, "cannot read {file}: {e}"),
            LoadErrorKind::Syntax(_) => write!(f, "{file} does not parse"),
            LoadErrorKind::Check(_) => write!(f, "{file} does not check"),
        }
    }
}

impl std::error::Error for LoadError {}

/// The file's text with its syntax or check errors as related diagnostics,
/// so rendering the whole error shows each of them against the text.
impl Diagnostic for LoadError {
    /// `taxa::not_utf8` for a file that is not UTF-8 (the CLI prints the
    /// message alone, which says where); syntax and check errors have
    /// codes of their own.
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.not_utf8()
            .map(|_| Box::new("taxa::not_utf8") as Box<dyn std::fmt::Display>)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.not_utf8().map(|_| {
            Box::new(
                "save the file as UTF-8 (e.g. in Notepad: Save as… → Encoding: UTF-8); files saved as Windows-1252 or Latin-1 have å, ä, ö as single bytes",
            ) as Box<dyn std::fmt::Display>
        })
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        // The text is the file with each bad byte run replaced by U+FFFD,
        // whose first byte is where the file's bad byte is.
        let bad = self.not_utf8()?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            Some(format!("byte 0x{:02X}", bad.byte)),
            bad.offset,
            '\u{fffd}'.len_utf8(),
        ))))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match &self.kind {
            LoadErrorKind::Read(_) if self.not_utf8().is_none() => None,
            _ => Some(&self.src),
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        match self.kind {
            LoadErrorKind::Read(_) => None,
            _ => Some(self.errors()),
        }
    }
}

/// Parses and checks a rule file's text; `file` names it in diagnostics and
/// in the contract's source references. A leading byte order mark and lone
/// `\r` line ends are read as [`syntax::normalize`] says; the error's text
/// is the text as read, which its spans point into.
pub fn load(src: &str, file: &str) -> Result<Contract, LoadError> {
    load_text(&syntax::normalize(src), file)
}

fn load_text(src: &str, file: &str) -> Result<Contract, LoadError> {
    let fail = |kind| LoadError {
        src: NamedSource::new(file, src.to_string()),
        kind,
    };
    let tree = syntax::parse(src).map_err(|e| fail(LoadErrorKind::Syntax(e)))?;
    check(&tree, src, file).map_err(|e| fail(LoadErrorKind::Check(e)))
}

/// Reads, parses and checks the rule file at `path`, named in diagnostics by
/// the path as displayed. A file that is not UTF-8 is unreadable
/// (`LoadErrorKind::Read`, exit 3 like any unusable file) with a
/// [`NotUtf8`] inside that says where.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let unreadable = |text: String, e| LoadError {
        src: NamedSource::new(&file, text),
        kind: LoadErrorKind::Read(e),
    };
    let bytes = std::fs::read(path).map_err(|e| unreadable(String::new(), e))?;
    let src = String::from_utf8(bytes).map_err(|e| {
        let bad = NotUtf8::at(e.as_bytes(), e.utf8_error().valid_up_to());
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        unreadable(
            text,
            std::io::Error::new(std::io::ErrorKind::InvalidData, bad),
        )
    })?;
    let src = syntax::normalize(&src).into_owned();
    let contract = load_text(&src, &file)?;
    Ok(Loaded { contract, src })
}

/// The first byte of a rule file that is not UTF-8: where it is and what
/// it is, so the file can be mended in an editor or with a hex dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not UTF-8 from line {line}, column {col}: byte 0x{byte:02X} (byte {offset} of the file) starts no UTF-8 character; save the file as UTF-8"
)]
pub struct NotUtf8 {
    /// From 0, in the file as read (a byte order mark included).
    pub offset: usize,
    /// From 1, as an editor counts them (`\n`, `\r\n` or a lone `\r`
    /// ends a line; columns are characters).
    pub line: u32,
    pub col: u32,
    pub byte: u8,
}

impl NotUtf8 {
    fn at(bytes: &[u8], offset: usize) -> Self {
        let before = std::str::from_utf8(&bytes[..offset]).expect("valid up to `offset`");
        let before = syntax::normalize(before);
        let at = syntax::source_ref(&before, "", before.len());
        NotUtf8 {
            offset,
            line: at.line,
            col: at.col,
            // `offset` is where the decoder stopped, so a byte is there.
            byte: bytes[offset],
        }
    }

    /// The one inside a [`LoadErrorKind::Read`], if that is why.
    fn of(e: &std::io::Error) -> Option<&NotUtf8> {
        e.get_ref().and_then(|inner| inner.downcast_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(d: &dyn Diagnostic) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, d)
            .unwrap();
        out
    }

    #[test]
    fn an_unreadable_file_names_itself_and_the_reason() {
        let err = load_file(Path::new("no/such/file.taxa")).unwrap_err();
        assert!(matches!(err.kind, LoadErrorKind::Read(_)));
        assert_eq!(err.file(), "no/such/file.taxa");
        assert!(
            err.to_string()
                .starts_with("cannot read no/such/file.taxa: "),
            "{err}"
        );
        assert!(err.reports().is_empty());
        assert!(err.related().is_none());
    }

    #[test]
    fn a_file_that_is_not_utf8_says_where_and_which_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.taxa");
        // "villkor bör" in Latin-1: ö is the single byte 0xF6.
        std::fs::write(&path, b"\xef\xbb\xbfavtal\r\nvillkor b\xf6r").unwrap();
        let err = load_file(&path).unwrap_err();
        let bad = err.not_utf8().expect("not UTF-8");
        assert_eq!((bad.offset, bad.line, bad.col, bad.byte), (19, 2, 10, 0xF6));
        assert!(matches!(err.kind, LoadErrorKind::Read(_)));
        assert!(err.reports().is_empty());
        let message = err.to_string();
        assert!(
            message.contains("from line 2, column 10: byte 0xF6 (byte 19 of the file)"),
            "{message}"
        );
        let rendered = render(&err);
        assert!(rendered.contains("taxa::not_utf8"), "{rendered}");
        assert!(rendered.contains("latin1.taxa:2:"), "{rendered}");
        assert!(rendered.contains("save the file as UTF-8"), "{rendered}");
    }

    #[test]
    fn a_bom_and_lone_carriage_returns_are_read() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/norrtalje-2025.taxa");
        let text = std::fs::read_to_string(&path).unwrap();
        for src in [format!("\u{feff}{text}"), text.replace('\n', "\r")] {
            let c = load(&src, "x.taxa").expect("checks");
            assert_eq!(c.name, "Norrtälje 2025");
        }
        // Spans point into the text as read, so lines and columns are right.
        let src = format!(
            "\u{feff}{}",
            text.replacen("omsorg_timpris[", "omsorg_timpriss[", 1)
                .replace('\n', "\r")
        );
        let err = load(&src, "x.taxa").unwrap_err();
        let first = format!("{:?}", err.reports()[0]);
        let line = text
            .lines()
            .position(|l| l.contains("omsorg_timpris["))
            .unwrap()
            + 1;
        assert!(first.contains(&format!("x.taxa:{line}:")), "{first}");
    }

    #[test]
    fn a_loaded_file_keeps_its_text() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/norrtalje-2025.taxa");
        let loaded = load_file(&path).unwrap();
        assert_eq!(loaded.src, std::fs::read_to_string(&path).unwrap());
        assert_eq!(loaded.contract.file, path.display().to_string());
        assert!(loaded.warning_reports().is_empty());
    }

    #[test]
    fn errors_render_against_the_text_without_reading_the_file() {
        let src = "avtal \"X\" gäller 2025-01-01 tills 2025-12-31\n";
        let err = load(src, "gone.taxa").unwrap_err();
        assert!(matches!(err.kind, LoadErrorKind::Syntax(_)));
        assert_eq!(err.to_string(), "gone.taxa does not parse");
        // One by one, as the CLI prints them.
        let reports = err.reports();
        assert_eq!(reports.len(), 1);
        let one = format!("{:?}", reports[0]);
        assert!(one.contains("gone.taxa:1:"), "{one}");
        // As one diagnostic, each error related and shown against the text.
        let all = render(&err);
        assert!(all.contains("gone.taxa does not parse"), "{all}");
        assert!(all.contains("taxa::syntax"), "{all}");
        assert!(all.contains("gone.taxa:1:"), "{all}");
    }
}
