//! The words of the checks on named values (`värde`), on `högst`/`minst`
//! between amounts and on labels and reasons that cite values (`{NAME}`),
//! kept apart from `diagnostics.rs` as `month_error.rs` is.

use super::error::CheckKind;
use super::units::Unit;
use super::words::Words;

/// A `värde`, a `högst`/`minst` or a citation that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ValueError {
    /// A name that is no declared `värde` where only a value can stand
    /// (`gräns N`, a value's own expression).
    Unknown {
        name: String,
        values: Vec<String>,
        suggestion: Option<String>,
    },
    /// `{NAME}` in a label or reason names no `värde`.
    UnknownCitation {
        name: String,
        suggestion: Option<String>,
    },
    /// A `{` in a label or reason without its `}`.
    UnclosedCitation,
    /// Two `värde` of one name.
    Duplicate { name: String },
    /// A `värde` named like a field, rate, condition or measure.
    NameTaken { name: String, what: &'static str },
    /// Values that are defined by each other.
    Cycle { names: Vec<String> },
    /// A value's expression reads a data field or a measure.
    ReadsData { name: String },
    /// A value's expression holds a rate cell, a sum, a date or ja/nej.
    NotConstant,
    /// A value divides by zero.
    DividesByZero,
    /// `avrundat till …` of a value that is not an amount in kr.
    RoundingNotKr { unit: Unit },
    /// `A högst B` / `A minst B` of different units.
    BoundUnits { left: Unit, right: Unit, max: bool },
    /// A `värde` nothing uses (warning).
    Unused { name: String },
    /// A label states a number with a unit by hand (warning).
    NumberByHand { number: String },
}

impl ValueError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            ValueError::Unknown { .. }
            | ValueError::UnknownCitation { .. }
            | ValueError::UnclosedCitation => CheckKind::UnknownName,
            ValueError::Duplicate { .. } | ValueError::NameTaken { .. } => CheckKind::Duplicate,
            ValueError::Cycle { .. } => CheckKind::Order,
            ValueError::ReadsData { .. } | ValueError::NotConstant => CheckKind::Misplaced,
            ValueError::DividesByZero => CheckKind::TypeMismatch,
            ValueError::RoundingNotKr { .. } | ValueError::BoundUnits { .. } => {
                CheckKind::UnitMismatch
            }
            ValueError::Unused { .. } => CheckKind::Unused,
            ValueError::NumberByHand { .. } => CheckKind::NumberByHand,
        }
    }

    pub(super) fn words(&self) -> Words {
        match self {
            ValueError::Unknown {
                name,
                values,
                suggestion,
            } => {
                let fallback = if values.is_empty() {
                    "declare it: `värde NAME = 455 kr/h`".to_string()
                } else {
                    format!("the values declared are {}", quoted(values))
                };
                Words::new(format!("`{name}` is no declared value"))
                    .label("unknown value")
                    .did_you_mean(name, suggestion, fallback)
            }
            ValueError::UnknownCitation { name, suggestion } => {
                Words::new(format!("`{{{name}}}` cites no declared value"))
                    .label("unknown value")
                    .did_you_mean(
                        name,
                        suggestion,
                        "a text cites a value declared with `värde NAME = …` as `{NAME}`",
                    )
            }
            ValueError::UnclosedCitation => Words::new("this `{` is not closed")
                .label("no `}`")
                .help("a text cites a value as `{NAME}`; a `{` always starts one"),
            ValueError::Duplicate { name } => {
                Words::new(format!("the value `{name}` is declared twice"))
                    .label("declared again")
                    .help("declare each value once; rename one of them")
            }
            ValueError::NameTaken { name, what } => {
                Words::new(format!("`{name}` is already the name of {what}"))
                    .label("name taken")
                    .help("give the value a name of its own")
            }
            ValueError::Cycle { names } => Words::new(format!(
                "these values are defined by each other: {}",
                names.join(" → ")
            ))
            .label("refers back")
            .help("define one of them by numbers alone"),
            ValueError::ReadsData { name } => Words::new(format!(
                "a value cannot read `{name}`, which differs from row to row"
            ))
            .label("read from the data")
            .help(
                "a value is computed from numbers and other values when the rule file is \
                         read; use the field in the term's expression, e.g. `betala tid × timpris`",
            ),
            ValueError::NotConstant => {
                Words::new("a value is computed from numbers and other values")
                    .label("not a number of the file")
                    .help(
                        "rate cells, sums, dates and ja/nej belong in a term's expression; a value \
                     holds numbers with units, `+ − × ÷`, `högst`, `minst` and other values",
                    )
            }
            ValueError::DividesByZero => Words::new("this value divides by zero")
                .label("zero")
                .help("divide by a number that is not zero"),
            ValueError::RoundingNotKr { unit } => {
                let shown = if unit.is_none() {
                    "a number without a unit".to_string()
                } else {
                    format!("in {unit}")
                };
                Words::new(format!("only an amount in kr can be rounded to kronor or öre; this is {shown}"))
                    .label("not in kr")
                    .help("round a price or an amount (`kr`, `kr/h`, `kr/mån`), or leave out `avrundat till …`")
            }
            ValueError::BoundUnits { left, right, max } => {
                let word = if *max { "minst" } else { "högst" };
                Words::new(format!(
                    "`{word}` compares amounts of one unit; this is {left} {word} {right}"
                ))
                .label(format!("{left} {word} {right}"))
                .help(format!(
                    "write both sides in the same unit, e.g. `antal × 23 kr/st {word} 684 kr`"
                ))
            }
            ValueError::Unused { name } => Words::new(format!(
                "the value `{name}` is not used by any term or text"
            ))
            .label("unused")
            .help("use it in a term or a text (`{NAME}`), or remove it"),
            ValueError::NumberByHand { number } => {
                Words::new(format!("this label states `{number}` by hand"))
                    .label("written by hand")
                    .help(
                        "declare it once, `värde NAME = …`, use it in the term and cite it in the \
                         text as `{NAME}`: the text then cannot contradict what the term pays",
                    )
            }
        }
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
