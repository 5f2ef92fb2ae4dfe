//! The words of the checks on time bands (`tidsband` sets, a band's days
//! and clock range) and on a visit's start and end in conditions
//! (`start klockan …`, `start i natt`), kept apart from `diagnostics.rs` as
//! `month_error.rs` is.

use super::error::CheckKind;
use super::words::Words;

/// A `tidsband`, a band, or a test of a visit's start or end that cannot
/// hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum BandError {
    /// More `tidsband` sets than a visit keeps.
    TooManySets { most: usize },
    /// A `tidsband` named like another set, a `klass` or a field.
    SetNameTaken {
        name: String,
        taken_by: &'static str,
    },
    /// A band with two `dagar` lists or two `klockan` ranges.
    TwoParts { band: String, part: &'static str },
    /// `övrig tid` beside `dagar` or `klockan` in one band.
    RestCombined { band: String },
    /// A `kalender` named like a day word of `dagar` (`vardag`, `helg`, …).
    CalendarIsDayWord { name: String },
    /// `start …` or `slut …` where no visit is at hand.
    AtNotOnVisits { row: &'static str },
    /// `start i X`: X is no band of any set.
    UnknownBand {
        value: String,
        sets: Vec<String>,
        suggestion: Option<String>,
    },
    /// `start i X`: X is a band of two sets.
    AmbiguousBand {
        value: String,
        first: String,
        second: String,
    },
    /// `start i T1`: T1 is a term, and no band.
    TermNotBand { name: String },
    /// `i natt` alone: `natt` is a band, and no term.
    BandNotTerm { value: String },
}

impl BandError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            BandError::TooManySets { .. }
            | BandError::TwoParts { .. }
            | BandError::RestCombined { .. }
            | BandError::AtNotOnVisits { .. } => CheckKind::Misplaced,
            BandError::SetNameTaken { .. }
            | BandError::CalendarIsDayWord { .. }
            | BandError::AmbiguousBand { .. } => CheckKind::Duplicate,
            BandError::UnknownBand { .. }
            | BandError::TermNotBand { .. }
            | BandError::BandNotTerm { .. } => CheckKind::UnknownName,
        }
    }

    pub(super) fn words(&self) -> Words {
        match self {
            BandError::TooManySets { most } => {
                Words::new(format!("at most {most} `tidsband` declarations"))
                    .help("combine sets, or ask for the limit to be raised")
            }
            BandError::SetNameTaken { name, taken_by } => {
                Words::new(format!("`{name}` already names {taken_by}"))
                    .label("named again")
                    .help("give the `tidsband` a name of its own: it keys tables and lines")
            }
            BandError::TwoParts { band, part } => Words::new(format!(
                "the band `{band}` has a second `{part}`"
            ))
            .label("a second one")
            .help(
                "a band is at most one `dagar` list and one `klockan` range, and a second must \
                 match both, e.g. `helg_kväll dagar lördag, söndag klockan 19:00 till 22:00`; for \
                 a second range write a second band (`kväll_sen klockan …`) or list the days in \
                 one `dagar`",
            ),
            BandError::RestCombined { band } => Words::new(format!(
                "`övrig tid` takes every second left: the band `{band}` cannot also name days or a clock range"
            ))
            .label("beside `övrig tid`")
            .help("write the rest band alone and last (`dag övrig tid`), and the days or hours in a band of their own"),
            BandError::CalendarIsDayWord { name } => Words::new(format!(
                "`{name}` is a day word of `dagar` and cannot name a calendar"
            ))
            .label("a day word")
            .help("name the calendar otherwise, e.g. `kalender helgdag: svenska helgdagar`"),
            BandError::AtNotOnVisits { row } => Words::new(format!(
                "`start` and `slut` are a visit's times; {row} has none"
            ))
            .label("no visit here")
            .help("test when a visit starts or ends in a `för besök` or `för aktiviteter` term"),
            BandError::UnknownBand {
                value,
                sets,
                suggestion,
            } => {
                let fallback = if sets.is_empty() {
                    "declare the bands first: `tidsband band:` with e.g. `natt klockan 22:00 till 07:00` and `dag övrig tid`, or test the clock: `start klockan 22:00 till 07:00`".to_string()
                } else {
                    format!(
                        "name a band of {}, or test the clock: `start klockan 22:00 till 07:00`",
                        sets.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    )
                };
                Words::new(format!("`{value}` is not a band of any `tidsband`"))
                    .label("no such band")
                    .did_you_mean(value, suggestion, fallback)
            }
            BandError::AmbiguousBand {
                value,
                first,
                second,
            } => Words::new(format!(
                "`{value}` is a band of both `{first}` and `{second}`"
            ))
            .label("which set?")
            .help(format!(
                "for the start write `{first} = {value}` (the band of the visit's start in that set), or give the bands distinct names"
            )),
            BandError::BandNotTerm { value } => Words::new(format!(
                "`{value}` is a band, not a term"
            ))
            .label("a band")
            .help(format!(
                "`i TERM` asks whether an earlier term paid the row; for the band of the visit's start write `start i {value}`"
            )),
            BandError::TermNotBand { name } => Words::new(format!(
                "`{name}` is a term, not a band"
            ))
            .label("a term")
            .help(format!(
                "`start i BAND` names a band of a `tidsband`; to ask whether `{name}` paid the visit, write `i {name}` on its own"
            )),
        }
    }
}
