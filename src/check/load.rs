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
        self.contract
            .warnings
            .iter()
            .map(|w| Report::new(w.clone()).with_source_code(self.source()))
            .collect()
    }
}

/// A rule file that could not be loaded: which file, its text, and why
/// (a location and a kind).
#[derive(Debug)]
pub struct LoadError {
    /// The file's name as given and its text (empty when it could not be
    /// read).
    pub src: NamedSource<String>,
    pub kind: LoadErrorKind,
}

/// Why a rule file could not be loaded.
#[derive(Debug)]
pub enum LoadErrorKind {
    /// The file cannot be read: it is missing, a folder, not UTF-8, or not
    /// permitted.
    Read(std::io::Error),
    /// The text does not follow the grammar; every syntax error found.
    Syntax(Vec<SyntaxError>),
    /// The text parses but does not check; every error found, with the
    /// warnings among them (`CheckError::warning`).
    Check(Vec<CheckError>),
}

impl LoadError {
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
        let with_src = |r: Report| r.with_source_code(self.src.clone());
        match &self.kind {
            LoadErrorKind::Read(_) => Vec::new(),
            LoadErrorKind::Syntax(errors) => errors
                .iter()
                .map(|e| with_src(Report::new(e.clone())))
                .collect(),
            LoadErrorKind::Check(errors) => errors
                .iter()
                .map(|e| with_src(Report::new(e.clone())))
                .collect(),
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
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match self.kind {
            LoadErrorKind::Read(_) => None,
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
/// in the contract's source references.
pub fn load(src: &str, file: &str) -> Result<Contract, LoadError> {
    let fail = |kind| LoadError {
        src: NamedSource::new(file, src.to_string()),
        kind,
    };
    let tree = syntax::parse(src).map_err(|e| fail(LoadErrorKind::Syntax(e)))?;
    check(&tree, src, file).map_err(|e| fail(LoadErrorKind::Check(e)))
}

/// Reads, parses and checks the rule file at `path`, named in diagnostics by
/// the path as displayed.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|e| LoadError {
        src: NamedSource::new(&file, String::new()),
        kind: LoadErrorKind::Read(e),
    })?;
    let contract = load(&src, &file)?;
    Ok(Loaded { contract, src })
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
