//! The words of the checks on `kontroller` declarations (the engine's own
//! checks), kept apart from `diagnostics.rs` as `month_error.rs` is.

use super::contract::EngineCheck;
use super::error::CheckKind;
use super::words::Words;

/// Every check's name as written, for "did you mean" (the 24 of `längre
/// än 24 h` stands for any number of hours).
pub(super) const NAMES: [&str; 7] = [
    "dubblett",
    "slut inte efter start",
    "längre än 24 h",
    "utanför avtalstiden",
    "okänd kund",
    "kundrader överlappar",
    "annan utförare",
];

/// A check's name in the rule file's words.
pub(super) fn name(c: EngineCheck) -> String {
    match c {
        EngineCheck::Duplicate => "dubblett".into(),
        EngineCheck::EndNotAfterStart => "slut inte efter start".into(),
        EngineCheck::LongerThan { hours } => format!("längre än {hours} h"),
        EngineCheck::OutsideValidity => "utanför avtalstiden".into(),
        EngineCheck::UnknownCustomer => "okänd kund".into(),
        EngineCheck::CustomerRowsOverlap => "kundrader överlappar".into(),
        EngineCheck::ProviderDiffers => "annan utförare".into(),
    }
}

/// At most a leap year of hours: a longer limit is no limit (leave the
/// check out instead).
pub(super) const MAX_HOURS: u32 = 366 * 24;

/// The row kinds that have engine checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowKind {
    Visits = 0,
    Events = 1,
}

impl RowKind {
    fn word(self) -> &'static str {
        match self {
            RowKind::Visits => "besök",
            RowKind::Events => "händelser",
        }
    }
}

/// A `kontroller` declaration that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ChecksError {
    /// `kontroller för X:` where X is no row kind with engine checks.
    UnknownRows { written: String },
    /// A second `kontroller` for the same row kind.
    DeclaredTwice { rows: RowKind, first: String },
    /// Words that name no check.
    UnknownCheck {
        written: String,
        suggestion: Option<String>,
    },
    /// `längre än N h` with N not a whole number of hours from 1 to a year.
    BadHours { written: String },
    /// A check of visits in the events' declaration.
    NotOnRows { check: String, rows: RowKind },
    /// The same check listed twice.
    Twice { check: String },
    /// A check the engine cannot do without is left out.
    CannotDrop { check: EngineCheck, rows: RowKind },
}

impl ChecksError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            ChecksError::UnknownRows { written }
                if matches!(
                    written.as_str(),
                    "aktiviteter" | "kunddagar" | "utförarmånader"
                ) =>
            {
                CheckKind::Misplaced
            }
            ChecksError::UnknownRows { .. } | ChecksError::UnknownCheck { .. } => {
                CheckKind::UnknownName
            }
            ChecksError::DeclaredTwice { .. } | ChecksError::Twice { .. } => CheckKind::Duplicate,
            ChecksError::BadHours { .. } => CheckKind::TypeMismatch,
            ChecksError::NotOnRows { .. } => CheckKind::Misplaced,
            ChecksError::CannotDrop { .. } => CheckKind::RequiredCheck,
        }
    }

    pub(super) fn words(&self) -> Words {
        match self {
            ChecksError::UnknownRows { written } => {
                let help = match written.as_str() {
                    "aktiviteter" => "an activity is checked as its visit is: declare `kontroller för besök:`",
                    "kunddagar" | "utförarmånader" => {
                        "customer-days and provider-months are built from customers.csv and providers.csv, \
                         which the engine checks as it reads them; only visits and events have checks"
                    }
                    _ => "write `kontroller för besök:` or `kontroller för händelser:`",
                };
                Words::new(format!("`{written}` has no engine checks to declare"))
                    .label("not `besök` or `händelser`")
                    .help(help)
            }
            ChecksError::DeclaredTwice { rows, first } => Words::new(format!(
                "the checks of `{}` are declared twice (first at {first})",
                rows.word()
            ))
            .label("declared again")
            .help("a declaration lists every check of its rows in order; write one"),
            ChecksError::UnknownCheck {
                written,
                suggestion,
            } => Words::new(format!("`{written}` is not a check of the engine"))
                .label("no such check")
                .did_you_mean(
                    written,
                    suggestion,
                    format!(
                        "the checks are: {}",
                        NAMES
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            ChecksError::BadHours { written } => Words::new(format!(
                "`längre än {written} h` needs a whole number of hours from 1 to {}",
                MAX_HOURS
            ))
            .label("not a limit")
            .help("e.g. `längre än 24 h`; to pay visits of any length, leave the check out"),
            ChecksError::NotOnRows { check, rows } => Words::new(format!(
                "`{check}` is a check on visits, not on `{}`",
                rows.word()
            ))
            .label("not a check of events")
            .help(
                "events are checked for `dubblett` and `utanför avtalstiden`; a term that reads the \
                 event's customer says `kontrollera kund`, which gives the customer checks of the \
                 visits' declaration",
            ),
            ChecksError::Twice { check } => Words::new(format!("`{check}` is listed twice"))
                .label("listed again")
                .help("each check applies once, where it is listed; remove one"),
            ChecksError::CannotDrop { check, rows } => Words::new(format!(
                "the checks of `{}` leave out `{}`, which the engine cannot do without",
                rows.word(),
                name(*check)
            ))
            .label(format!("`{}` missing", name(*check)))
            .help(format!("{}; list it (in any place)", why(*check))),
        }
    }
}

/// Why a check cannot be left out.
fn why(check: EngineCheck) -> &'static str {
    match check {
        EngineCheck::Duplicate => {
            "every entry of a statement names its row by id: two rows under one id, both paid, \
             could not be told apart or disputed"
        }
        EngineCheck::EndNotAfterStart => {
            "a visit's time is its end minus its start, which must be positive to be paid"
        }
        EngineCheck::OutsideValidity => {
            "a contract pays only the dates it is valid for (a version pays its own dates); a \
             row outside them belongs to no billing month of the contract"
        }
        EngineCheck::UnknownCustomer => {
            "a visit is priced by its customer's row on its date (zone, grants, provider, caps per \
             customer): without one there is nothing to price it by"
        }
        EngineCheck::CustomerRowsOverlap => {
            "when two customer rows cover the date, nothing says which row's zone, grants and \
             provider price the visit"
        }
        EngineCheck::LongerThan { .. } | EngineCheck::ProviderDiffers => "it may be left out",
    }
}
