//! The words of a `fil` declaration that cannot hold, or of a file of the
//! rule file's own read where its rows cannot attach (kept apart from the
//! checks in `files`, which the checker imports).

use crate::data::Per;

use super::contract::RowSource;
use super::error::CheckKind;
use super::types::Ctx;
use super::words::Words;

/// A `fil` declaration, or a use of one, that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FileError {
    // ---- taxa::unknown_name ----
    /// `fält … i NAME` or `rubriker i NAME`: NAME is neither a standard file
    /// nor one the rule file declares (which there are).
    UnknownFile {
        name: String,
        suggestion: Option<String>,
        own: Vec<String>,
    },
    /// `ingen NAME`: NAME is not a file the rule file declares.
    NoRowsOfWhat {
        name: String,
        suggestion: Option<String>,
        own: Vec<String>,
    },

    // ---- taxa::duplicate_name ----
    /// `fil kunder …`: the name of a standard file.
    StandardName { name: String },
    /// Two `fil` declarations with one name.
    DeclaredTwice { name: String },
    /// A `fil` named like a field, class, band or `villkor`, or a `fält`
    /// named like a `fil`: in a condition the name would mean two things.
    NameTaken {
        name: String,
        taken_by: &'static str,
    },
    /// `fil x "visits.csv" …`: a standard file of the data layout.
    StandardFile { file: String },
    /// Two `fil` declarations reading one file.
    SameFile { file: String, other: String },

    // ---- taxa::type_mismatch ----
    /// The file is not a plain name in the data folder.
    BadFileName { file: String, why: &'static str },

    // ---- taxa::misplaced ----
    /// A field of an own file (or the file itself) read where its rows
    /// cannot attach: a `per kund` file in a provider-month's sums.
    NotAttached {
        name: String,
        file: String,
        per: Per,
        ctx: Ctx,
    },
    /// More `fil` declarations than a field can name.
    TooManyFiles { most: usize },
}

impl FileError {
    pub(super) fn kind(&self) -> CheckKind {
        use FileError::*;
        match self {
            UnknownFile { .. } | NoRowsOfWhat { .. } => CheckKind::UnknownName,
            StandardName { .. }
            | DeclaredTwice { .. }
            | NameTaken { .. }
            | StandardFile { .. }
            | SameFile { .. } => CheckKind::Duplicate,
            BadFileName { .. } => CheckKind::TypeMismatch,
            NotAttached { .. } | TooManyFiles { .. } => CheckKind::Misplaced,
        }
    }

    pub(super) fn words(&self) -> Words {
        use FileError::*;
        match self {
            UnknownFile {
                name,
                suggestion,
                own,
            } => Words::new(format!("`{name}` is not a data file"))
                .label("unknown file")
                .did_you_mean(
                    name,
                    suggestion,
                    format!(
                        "a field is in `besök` (visits.csv), `kunder` (customers.csv), \
                         `händelser` (events.csv), `utförare` (providers.csv) or a file the \
                         rule file declares: {}",
                        quoted(own)
                    ),
                ),
            NoRowsOfWhat {
                name,
                suggestion,
                own,
            } => Words::new(format!("`{name}` is not a file the rule file declares"))
                .label("not a `fil`")
                .did_you_mean(
                    name,
                    suggestion,
                    if own.is_empty() {
                        "`ingen NAME` asks whether no row of a file declared with `fil NAME \
                         \"….csv\" per kund och period` attaches; for a yes/no field write \
                         `inte NAME`"
                            .to_string()
                    } else {
                        format!(
                            "`ingen` asks about a file declared with `fil`: {}; for a yes/no \
                             field write `inte {name}`",
                            quoted(own)
                        )
                    },
                ),
            StandardName { name } => Words::new(format!("`{name}` is a standard data file"))
                .label("already a file")
                .help("give the file a name of its own, e.g. `fil frånvaro \"frånvaro.csv\" per kund och period`"),
            DeclaredTwice { name } => Words::new(format!("the file `{name}` is declared twice"))
                .label("declared again")
                .help("declare each file once"),
            NameTaken { name, taken_by } => {
                Words::new(format!("`{name}` is already the name of {taken_by}"))
                    .label("name taken")
                    .help(
                        "a file's name asks in conditions whether a row attaches (`ingen \
                         frånvaro`), so it cannot be a field's, class's or condition's too: \
                         give one of them another name",
                    )
            }
            StandardFile { file } => {
                Words::new(format!("{file} is a standard file of the data layout"))
                    .label("standard file")
                    .help(
                        "a column of it is declared with `fält NAME i besök|kunder|händelser|\
                         utförare`; `fil` declares another file of the data folder",
                    )
            }
            SameFile { file, other } => Words::new(format!(
                "{file} is already declared as `{other}`"
            ))
            .label("declared again")
            .help(format!(
                "declare each file once; declare every field it has with `fält … i {other}`"
            )),
            BadFileName { file, why } => Words::new(format!(
                "\"{file}\" is not a file name in the data folder: {why}"
            ))
            .label("not a file name")
            .help("write the file's name as it is in the data folder, e.g. \"frånvaro.csv\""),
            NotAttached {
                name,
                file,
                per,
                ctx,
            } => {
                let place = match ctx {
                    Ctx::Cap => "a cap's bound or a supplement's amount",
                    Ctx::Provider => "a supplement's filter",
                    Ctx::Replace(_) => "an `ersätter` condition",
                    Ctx::Rows(RowSource::Visits) => "a visit",
                    Ctx::Rows(RowSource::Activities) => "an activity",
                    Ctx::Rows(RowSource::CustomerDays) => "a customer-day",
                    Ctx::Rows(RowSource::Events) => "an event",
                    Ctx::Rows(RowSource::ProviderMonths) => "a provider-month",
                    Ctx::Customer => "a customer row",
                };
                let party = match per {
                    Per::Customer => "a customer",
                    Per::Provider => "a provider",
                };
                // The file itself (`ingen frånvaro`), or one of its fields.
                let what = if name == file {
                    format!("no row of `{file}` can attach in {place}: its rows")
                } else {
                    format!("`{name}` cannot be read in {place}: the rows of `{file}`")
                };
                Words::new(format!(
                    "{what} attach to {party} on a date (`{}`), and {place} is per provider and \
                     month",
                    per.words(),
                ))
                .label("no row attaches here")
                .help(
                    "a `per kund` file is read where a customer is at hand: in `för besök`, \
                     `för aktiviteter`, `för kunddagar` and `för händelser` terms, in `summa för \
                     kunddagar … av …` and in a `fördelning`'s filter; a `per utförare` file \
                     also per provider and month (on the month's first day)",
                )
            }
            TooManyFiles { most } => Words::new(format!(
                "a rule file declares at most {most} files of its own"
            ))
            .help("join files that are about the same rows"),
        }
    }
}

/// `a`, `b`, …
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
