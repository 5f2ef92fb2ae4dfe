//! Every word the checker says. A check builds an [`Error`] from what it
//! found (names, units, types, the near miss); this file turns each variant
//! into message, label and help in one arm, so all the checker's wording can
//! be reviewed here, in one place.

use chrono::NaiveDate;

use crate::syntax::{MAX_DEPTH, Span};

use super::contract::{MAX_CLASSES, MAX_NODES, Measure, RowSource};
use super::error::{CheckError, CheckKind};
use super::types::Ctx;
use super::units::Unit;
use super::words::{Words, did_you_mean};

/// What a value should have been, in a type error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    Number,
    Date,
    /// A bare name in a condition: a ja/nej field or a `villkor`.
    BoolOrCondition,
    AmountIn(Unit),
}

/// Whose amount has the wrong unit, to say why the unit is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AmountOf {
    Supplement,
    CapBound,
    /// A cap per customer bounds the capped term's quantity.
    CapPerCustomer,
    /// `tomt = …` of a `tal` field is in the field's unit.
    EmptyCell,
}

/// A problem found by the checker, with what it needs to be told.
/// `suggestion` is the near miss among the declared names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Error {
    // ---- taxa::unknown_name -------------------------------------------------
    /// `kod COLUMN:` names a column the data does not have.
    UnknownCodeColumn {
        name: String,
        /// The declared `kod` and `koder` fields.
        names: Vec<String>,
        suggestion: Option<String>,
    },
    /// A table or line is keyed `per activity` without `kod activities`.
    ActivitiesNotDeclared,
    /// A table or line is keyed by a code column without its `kod`.
    KeyCodesNotDeclared { column: String },
    /// A table or line is keyed by something that is no declared code,
    /// class, band or `level`.
    UnknownKey {
        name: String,
        declared: Vec<String>,
        suggestion: Option<String>,
    },
    /// A table's header or row label is no value of its key.
    UnknownKeyValue {
        value: String,
        field: String,
        values: Vec<String>,
        suggestion: Option<String>,
    },
    /// A number is followed by something that is not a unit.
    UnknownUnit { unit: String },
    /// A `rubriker` or `kolumn` mapping that cannot hold.
    Header(super::header_error::HeaderError),
    /// A declared field's type or `betald_tid` line that cannot hold.
    Field(super::field_error::FieldError),
    /// A provider-month term or a `besök ersätts inte` that cannot hold.
    Month(super::month_error::MonthError),
    /// A `värde`, `högst`/`minst` or `{NAME}` citation that cannot hold.
    Value(super::values_error::ValueError),
    /// A `kontroller` declaration that cannot hold.
    Checks(super::checks_error::ChecksError),
    /// A `fil` declaration, or a use of it, that cannot hold.
    File(super::file_error::FileError),
    /// A `tidsband`, a band, or a test of a visit's start or end that
    /// cannot hold.
    Band(super::band_error::BandError),
    /// `fält NAME i FILE`: FILE is not one of the four data files.
    UnknownFieldFile {
        name: String,
        suggestion: Option<String>,
    },
    /// A `dagar` band names neither a weekday nor a `kalender`.
    UnknownDay {
        day: String,
        suggestion: Option<String>,
    },
    /// A term refers to a term that the file does not declare at all.
    UnknownTerm {
        name: String,
        suggestion: Option<String>,
    },
    /// `kräver NAME` names no `villkor`.
    UnknownCondition {
        name: String,
        suggestion: Option<String>,
    },
    /// `gräns … per X` where X is no period or party.
    UnknownScope {
        scope: String,
        scopes: &'static [&'static str],
        suggestion: Option<String>,
    },
    /// `gräns … ordnat efter X` where the rows have no X to order by.
    UnknownOrder {
        field: String,
        allowed: &'static [&'static str],
        suggestion: Option<String>,
    },
    /// `lika rest efter X` with another X than `utförare`.
    UnknownTieBreak { written: String },
    /// A class compared with a value the `klass` does not have.
    UnknownClassValue {
        value: String,
        class: String,
        values: Vec<String>,
        suggestion: Option<String>,
    },
    /// A code value (in a condition or a limit) its `kod` does not list.
    UnknownCode {
        value: String,
        column: String,
        values: Vec<String>,
        suggestion: Option<String>,
    },
    /// A code column is read in a rule but its `kod` is missing.
    CodesNotDeclared { column: String },
    /// A name in an expression or condition that nothing declares.
    UnknownName {
        name: String,
        suggestion: Option<String>,
    },
    /// `RATE[…]` where no table has that rate.
    UnknownRate {
        name: String,
        suggestion: Option<String>,
    },

    // ---- taxa::unit_mismatch ------------------------------------------------
    /// The cells of one rate are written in different units.
    MixedCellUnits {
        rate: String,
        unit: Unit,
        others: Unit,
    },
    /// `betala` multiplies to something other than kr.
    PayNotKr { quantity: Unit, rate: Unit },
    /// `fördela` an amount that is not a whole, non-negative kr.
    FundNotWholeKronor,
    /// A comparison of two amounts in different units.
    CannotCompareUnits { left: Unit, right: Unit },
    /// An amount whose unit is not the one its place requires.
    WrongUnit {
        found: Unit,
        want: Unit,
        of: AmountOf,
    },
    /// `+` or `−` of amounts in different units.
    CannotAdd {
        left: Unit,
        right: Unit,
        subtract: bool,
    },

    // ---- taxa::type_mismatch ------------------------------------------------
    /// A literal that does not fit the exact arithmetic.
    NumberTooLarge,
    /// `gräns N` where N is not a whole count (a fraction, or a unit other
    /// than `st`).
    LimitNotWholeCount,
    /// `personal högst N` where N is not a whole count of at least 1.
    StaffCapNotWholeCount,
    /// `gräns 0`: a whole count, but a limit that would refuse every row.
    LimitBelowOne,
    /// `X har …` where X is not the visit's `activities`.
    NotASet { name: String },
    /// A comparison of values of different kinds (a code with a date, …).
    /// (Each type as `words::describe` words it.)
    CannotCompare { left: String, right: String },
    /// `<`, `≤`, `>`, `≥` on values that have no order.
    NoOrder { ty: String },
    /// A value of another type than its place requires.
    Expected { want: Want, found: String },
    /// `tomt = VALUE` where VALUE is not of the field's type.
    EmptyWrongType { field: String, want: String },

    // ---- taxa::invalid_date -------------------------------------------------
    /// A date that the calendar does not have (`2025-02-30`).
    NotADate { text: String },
    /// `gäller FROM till TO` with TO before FROM.
    InvertedValidity { from: NaiveDate, to: NaiveDate },
    /// A clock time that is not HH:MM.
    NotATime { text: String },
    /// A fund's month that is not YYYY-MM.
    NotAMonth { text: String },

    // ---- taxa::table --------------------------------------------------------
    /// A table with no key, three keys, or two keys and no name.
    TableShape,
    /// A table row with more or fewer cells than the table has columns.
    CellCount {
        row: String,
        cells: usize,
        columns: usize,
    },
    /// A key value that heads two columns or rows.
    DuplicateKey { value: String },
    /// A table that lacks some declared values of its key.
    IncompleteTable { field: String, missing: Vec<String> },
    /// A `tidsband` without `övrig tid`, so some seconds have no band.
    NoRestBand,

    // ---- taxa::duplicate_name -----------------------------------------------
    /// Two `villkor` with one name.
    DuplicateCondition { name: String },
    /// Two `kod` lines for one column.
    DuplicateCodeColumn { column: String },
    /// A value listed twice in one `kod` line.
    DuplicateCode { value: String },
    /// `fält NAME` declared twice, or NAME is a field of the data layout.
    DuplicateField { name: String, built_in: bool },
    /// Two rates with one name.
    DuplicateRate { name: String },
    /// A `klass` named like a code column or another class.
    ClassNameTaken { name: String },
    /// A band listed twice in the `tidsband`.
    DuplicateBand { band: String },
    /// Two terms with one name.
    DuplicateTerm { name: String },
    /// A clause written twice in one term.
    RepeatedClause { word: String, term: String },

    // ---- taxa::misplaced ----------------------------------------------------
    /// More terms than a contract can hold.
    TooManyTerms,
    /// More activity codes than an activity set can hold.
    TooManyActivityCodes,
    /// `per activities`: the set of a visit's activities as a key.
    ActivitiesAsKey,
    /// More `klass` declarations than the evaluator keeps.
    TooManyClasses,
    /// A `tillägg` priced from `summa för kunddagar`.
    SupplementFromDaySums,
    /// `i TERM` where TERM pays another kind of rows.
    WithinOtherRows { term: String },
    /// `fönster` in a term that does not pay visits.
    WindowNotOnVisits,
    /// `personal högst` in a term that does not pay visits.
    StaffCapNotOnVisits,
    /// `kontrollera kund` in a term that does not pay events.
    CheckCustomerNotOnEvents,
    /// `rad per X` where the selected rows have no X.
    KeyNotInRows { key: String },
    /// `rad per` with more than four fields.
    TooManyKeyFields,
    /// A `moment` without `betala`.
    NoPay { term: String },
    /// `ersätter` outside a visit term, or naming no customer-day term.
    ReplacesMisplaced,
    /// A requirement with neither `annars "…"` nor a named `villkor`.
    NoReason,
    /// `gräns` in a customer-day term.
    LimitOnCustomerDays,
    /// `gräns … för ACTIVITIES` in a term that does not pay activities.
    LimitOnlyNotActivities,
    /// `betala … ÷ QUANTITY`.
    QuantityDivides,
    /// A price read from a table keyed by a field the lines are not kept by.
    PriceVariesWithinLine { field: String },
    /// `betala` without a quantity (only prices).
    PayCountsNothing,
    /// `betala` with two quantities multiplied.
    PayCountsMany,
    /// `tak … över TERM` where TERM is a cap or allocation.
    CapOverNonPaying { term: String },
    /// `tak … per X` where X is not `kund`.
    CapPerNotCustomer,
    /// A cap per customer over more than one term.
    CapPerCustomerTerms,
    /// A cap per customer whose fields are not the capped term's line key.
    CapPerCustomerKey { key: Vec<String> },
    /// `X finns` where X is not a table lookup.
    FinnsNotLookup,
    /// A field the rows of this context do not have.
    NotAField { name: String, ctx: Ctx, band: bool },
    /// A quantity (`betald_tid`, `tid`, `antal`, `dagsandel`) read where
    /// the rows do not measure it.
    MeasureMisplaced { name: String, measure: Measure },
    /// A rate named without `[key]`.
    RateNeedsKey { rate: String, keys: Vec<String> },
    /// A lookup with other keys than the rate's.
    WrongKeys { rate: String, keys: Vec<String> },
    /// `summa för kunddagar` outside a cap's bound or an `ersätter`.
    DaySumMisplaced,
    /// `summa TERM` outside a cap's or supplement's amount.
    TermSumMisplaced,

    // ---- taxa::order --------------------------------------------------------
    /// A term refers to a term declared below it.
    ForwardReference { name: String },
    /// A `villkor` whose definition uses itself, or a term (a cap, a sum)
    /// over itself.
    SelfReference { name: String, term: bool },

    // ---- taxa::too_deep and taxa::too_large ---------------------------------
    /// A condition nests deeper than `MAX_DEPTH` levels once the `villkor`
    /// it names are written out (each on its own is within the limit: the
    /// parser counts those). `through`: the `villkor` being written out,
    /// outermost first.
    TooDeep { through: Vec<String> },
    /// More than `MAX_NODES` expression and condition nodes once every
    /// `villkor` is written out where it is used (`villkor` that each name
    /// the one before twice double at each step).
    TooLarge { through: Vec<String> },

    // ---- taxa::unused (warning) ---------------------------------------------
    /// A `villkor` that no term requires.
    UnusedCondition { name: String },
    /// A rate that no term reads.
    UnusedRate { name: String },

    // ---- taxa::unreachable (warning) ----------------------------------------
    /// A band after `övrig tid`, which has taken every second left.
    BandAfterRest { band: String },
    /// A filter that asks one code for two values at once.
    NeverSelects {
        term: String,
        column: String,
        first: String,
        second: String,
    },
    /// A fund paid in a month outside the contract's validity.
    FundOutsideValidity {
        month: String,
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl Error {
    pub(super) fn kind(&self) -> CheckKind {
        use Error::*;
        match self {
            Header(e) => e.kind(),
            Field(e) => e.kind(),
            Month(e) => e.kind(),
            Value(e) => e.kind(),
            Checks(e) => e.kind(),
            File(e) => e.kind(),
            Band(e) => e.kind(),
            UnknownCodeColumn { .. }
            | ActivitiesNotDeclared
            | KeyCodesNotDeclared { .. }
            | UnknownKey { .. }
            | UnknownKeyValue { .. }
            | UnknownUnit { .. }
            | UnknownFieldFile { .. }
            | UnknownDay { .. }
            | UnknownTerm { .. }
            | UnknownCondition { .. }
            | UnknownScope { .. }
            | UnknownOrder { .. }
            | UnknownTieBreak { .. }
            | UnknownClassValue { .. }
            | UnknownCode { .. }
            | CodesNotDeclared { .. }
            | UnknownName { .. }
            | UnknownRate { .. } => CheckKind::UnknownName,
            MixedCellUnits { .. }
            | PayNotKr { .. }
            | FundNotWholeKronor
            | CannotCompareUnits { .. }
            | WrongUnit { .. }
            | CannotAdd { .. } => CheckKind::UnitMismatch,
            NumberTooLarge
            | LimitNotWholeCount
            | StaffCapNotWholeCount
            | LimitBelowOne
            | NotASet { .. }
            | CannotCompare { .. }
            | NoOrder { .. }
            | Expected { .. }
            | EmptyWrongType { .. } => CheckKind::TypeMismatch,
            NotADate { .. } | InvertedValidity { .. } | NotATime { .. } | NotAMonth { .. } => {
                CheckKind::InvalidDate
            }
            TableShape
            | CellCount { .. }
            | DuplicateKey { .. }
            | IncompleteTable { .. }
            | NoRestBand => CheckKind::Table,
            DuplicateCondition { .. }
            | DuplicateCodeColumn { .. }
            | DuplicateCode { .. }
            | DuplicateField { .. }
            | DuplicateRate { .. }
            | ClassNameTaken { .. }
            | DuplicateBand { .. }
            | DuplicateTerm { .. }
            | RepeatedClause { .. } => CheckKind::Duplicate,
            TooManyTerms
            | TooManyActivityCodes
            | ActivitiesAsKey
            | TooManyClasses
            | SupplementFromDaySums
            | WithinOtherRows { .. }
            | WindowNotOnVisits
            | StaffCapNotOnVisits
            | CheckCustomerNotOnEvents
            | KeyNotInRows { .. }
            | TooManyKeyFields
            | NoPay { .. }
            | ReplacesMisplaced
            | NoReason
            | LimitOnCustomerDays
            | LimitOnlyNotActivities
            | QuantityDivides
            | PriceVariesWithinLine { .. }
            | PayCountsNothing
            | PayCountsMany
            | CapOverNonPaying { .. }
            | CapPerNotCustomer
            | CapPerCustomerTerms
            | CapPerCustomerKey { .. }
            | FinnsNotLookup
            | NotAField { .. }
            | MeasureMisplaced { .. }
            | RateNeedsKey { .. }
            | WrongKeys { .. }
            | DaySumMisplaced
            | TermSumMisplaced => CheckKind::Misplaced,
            ForwardReference { .. } | SelfReference { .. } => CheckKind::Order,
            TooDeep { .. } => CheckKind::TooDeep,
            TooLarge { .. } => CheckKind::TooLarge,
            UnusedCondition { .. } | UnusedRate { .. } => CheckKind::Unused,
            BandAfterRest { .. } | NeverSelects { .. } | FundOutsideValidity { .. } => {
                CheckKind::Unreachable
            }
        }
    }

    /// Message, label and help, each variant's in one arm.
    pub(super) fn words(&self) -> Words {
        use Error::*;
        match self {
            Header(e) => e.words(),
            Field(e) => e.words(),
            Month(e) => e.words(),
            Value(e) => e.words(),
            Checks(e) => e.words(),
            File(e) => e.words(),
            Band(e) => e.words(),
            // ---- taxa::unknown_name ----
            UnknownCodeColumn {
                name,
                names,
                suggestion,
            } => {
                let names = names.join(", ");
                Words::new(format!("`{name}` is not a code column of the data"))
                    .label("unknown column")
                    .help(match suggestion {
                        Some(s) => format!("{} Code columns: {names}", did_you_mean(name, s)),
                        None => format!("code columns: {names}"),
                    })
            }
            ActivitiesNotDeclared => Words::new("the activity codes are not declared")
                .help("declare them: `kod activities: dusch, inköp, …`"),
            KeyCodesNotDeclared { column } => {
                Words::new(format!("`{column}` has no declared codes"))
                    .help(format!("declare them first: `kod {column}: value, value, …`"))
            }
            UnknownKey {
                name,
                declared,
                suggestion,
            } => Words::new(format!("`{name}` is not a declared code column"))
                .label("unknown key")
                .did_you_mean(
                    name, suggestion,
                    format!(
                        "a table is keyed by declared codes: {}",
                        declared.join(", ")
                    ),
                ),
            UnknownKeyValue {
                value,
                field,
                values,
                suggestion,
            } => Words::new(format!("`{value}` is not a declared `{field}` code"))
                .label("not declared")
                .did_you_mean(
                    value, suggestion,
                    format!("declared `{field}` codes: {}", values.join(", ")),
                ),
            UnknownUnit { unit } => Words::new(format!("`{unit}` is not a unit"))
                .help("units: kr, h, min, mån, st, %, and quotients like kr/h"),
            UnknownFieldFile { name, suggestion } => {
                Words::new(format!("`{name}` is not a data file"))
                    .label("unknown file")
                    .did_you_mean(
                        name, suggestion,
                        "a field is in `besök` (visits.csv), `kunder` (customers.csv), \
                         `händelser` (events.csv) or `utförare` (providers.csv)",
                    )
            }
            UnknownDay { day, suggestion } => Words::new(format!(
                "`{day}` is not a weekday or a declared calendar"
            ))
            .did_you_mean(
                day, suggestion,
                "use måndag … söndag, vardag, helg, påskafton, midsommarafton, julafton, nyårsafton, or declare the calendar: `kalender helgdag: svenska helgdagar`",
            ),
            UnknownTerm { name, suggestion } => {
                Words::new(format!("no term `{name}` is declared"))
                    .label("unknown term")
                    .did_you_mean(name, suggestion, "a term can refer only to terms listed above it")
            }
            UnknownCondition { name, suggestion } => {
                Words::new(format!("no condition `{name}` is declared"))
                    .label("unknown condition")
                    .did_you_mean(
                        name, suggestion,
                        format!("declare it: `villkor {name}: … annars \"reason\"`"),
                    )
            }
            UnknownScope {
                scope,
                scopes,
                suggestion,
            } => Words::new(format!(
                "`{scope}` is not a period or party a limit can count per"
            ))
            .did_you_mean(scope, suggestion, format!("count per {}", scopes.join(", "))),
            UnknownOrder {
                field,
                allowed,
                suggestion,
            } => Words::new(format!("these rows cannot be ordered by `{field}`"))
                .did_you_mean(field, suggestion, format!("order by {}", allowed.join(", "))),
            UnknownTieBreak { written } => Words::new(format!(
                "remainder ties can be broken by `utförare`, not `{written}`"
            ))
            .help("write `lika rest efter utförare`"),
            UnknownClassValue {
                value,
                class,
                values,
                suggestion,
            } => Words::new(format!("`{value}` is not a value of the class `{class}`"))
                .did_you_mean(value, suggestion, format!("its values: {}", values.join(", "))),
            UnknownCode {
                value,
                column,
                values,
                suggestion,
            } => {
                Words::new(format!("`{value}` is not a declared `{column}` code"))
                    .label("not declared")
                    .did_you_mean(
                        value, suggestion,
                        format!(
                            "declared `{column}` codes: {}; add it to `kod {column}` if the tender has it",
                            values.join(", ")
                        ),
                    )
            }
            CodesNotDeclared { column } => {
                Words::new(format!("the codes of `{column}` are not declared"))
                    .help(format!("declare them: `kod {column}: value, value, …`"))
            }
            UnknownName { name, suggestion } => Words::new(format!("`{name}` is not declared"))
                .label("unknown name")
                .did_you_mean(
                    name, suggestion,
                    "a name is a field of the data, a quantity (betald_tid, tid, antal, dagsandel), a rate from a `tabell`, or a `villkor`",
                ),
            UnknownRate { name, suggestion } => {
                Words::new(format!("no rate `{name}` is declared"))
                    .label("unknown rate")
                    .did_you_mean(name, suggestion, "declare it in a `tabell`")
            }

            // ---- taxa::unit_mismatch ----
            MixedCellUnits { rate, unit, others } => Words::new(format!(
                "this cell is in {unit}, the other cells of `{rate}` are in {others}"
            ))
            .label(unit.to_string())
            .help(format!("write every cell of `{rate}` in {others}")),
            PayNotKr { quantity, rate } => {
                let paid = *quantity * *rate;
                Words::new(format!("this pays {quantity} × {rate} = {paid}, not kr"))
                    .label(paid.to_string())
                    .help(format!(
                        "a payment is in kr: with a quantity in {quantity}, the price must be in kr/{quantity}"
                    ))
            }
            FundNotWholeKronor => Words::new("a fund is a whole number of kronor")
                .help("write e.g. `fördela 6 642 095 kr`"),
            CannotCompareUnits { left, right } => {
                Words::new(format!("cannot compare {left} with {right}"))
                    .label("different kinds")
                    .help(COMPARE_LIKE)
            }
            WrongUnit { found, want, of } => {
                Words::new(format!("this is in {found}, expected {want}"))
                    .label(found.to_string())
                    .help(match of {
                        AmountOf::Supplement => {
                            "a supplement pays an amount in kr, e.g. `3 % × summa A1, A2`"
                        }
                        AmountOf::CapBound => "a cap's bound is an amount in kr",
                        AmountOf::CapPerCustomer => {
                            "a cap per customer bounds the capped term's quantity (e.g. hours), whose excess is priced at its rate"
                        }
                        AmountOf::EmptyCell => {
                            "an empty cell stands for a value in the field's own unit (`tal min, tomt = 0 min`)"
                        }
                    })
            }
            CannotAdd {
                left,
                right,
                subtract,
            } => Words::new(format!("cannot add {left} and {right}"))
                .label(format!(
                    "{left} {} {right}",
                    if *subtract { "−" } else { "+" }
                ))
                .help("only amounts of the same unit add up; did you forget a rate (× kr/h)?"),

            // ---- taxa::type_mismatch ----
            NumberTooLarge => Words::new("this number is too large or too precise")
                .help("write amounts with at most 12 decimals and fewer than 28 digits"),
            LimitNotWholeCount => Words::new("a limit is a whole count")
                .help("write e.g. `gräns 4 per utförare och månad`"),
            StaffCapNotWholeCount => Words::new("a staff cap is a whole count of at least 1")
                .help("write e.g. `personal högst 1 utom när dubbelbemanning = ja annars \"…\"`"),
            LimitBelowOne => Words::new("a limit counts at least 1")
                .label("pays no row")
                .help("`gräns 0` would refuse every row: write the number of rows that are paid, e.g. `gräns 4 per utförare och månad`, or remove the term if it pays nothing"),
            NotASet { name } => Words::new(format!("`{name}` is not a set of codes"))
                .help("`har` tests the visit's `activities`"),
            CannotCompare { left, right } => Words::new(format!("cannot compare {left} with {right}"))
            .label("different kinds")
            .help(COMPARE_LIKE),
            NoOrder { ty } => {
                Words::new(format!("{ty} has no order")).help("use = or ≠")
            }
            EmptyWrongType { field, want } => {
                Words::new(format!("an empty `{field}` cell must be {want}"))
                    .label("not of the field's type")
                    .help(format!("write {want} after `tomt =`, or `tomt = inget` for no value"))
            }
            Expected { want, found } => {
                let want = match want {
                    Want::Number => "a number".to_string(),
                    Want::Date => "a date".to_string(),
                    Want::BoolOrCondition => "ja/nej or a condition".to_string(),
                    Want::AmountIn(u) => format!("an amount in {u}"),
                };
                Words::new(format!("expected {want}, found {found}")).label(found.clone())
            }

            // ---- taxa::invalid_date ----
            NotADate { text } => Words::new(format!("`{text}` is not a date in the calendar"))
                .label("no such date")
                .help("write a real date as YYYY-MM-DD, e.g. 2025-02-28"),
            InvertedValidity { from, to } => Words::new(format!(
                "the contract ends ({to}) before it starts ({from})"
            ))
            .label("empty validity")
            .help("`gäller FROM till TO` needs FROM on or before TO"),
            NotATime { text } => Words::new(format!("`{text}` is not a time of day"))
                .help("write a local clock time as HH:MM, 00:00–23:59"),
            NotAMonth { text } => Words::new(format!("`{text}` is not a month"))
                .help("write the month as YYYY-MM, e.g. 2024-06"),

            // ---- taxa::table ----
            TableShape => Words::new(
                "a table has one key (`tabell per zone:`) or is named with two (`tabell pris per regime och typ:`)",
            )
            .help("name the table when it is keyed by two codes"),
            CellCount {
                row,
                cells,
                columns,
            } => Words::new(format!(
                "the row `{row}` has {cells} cells, the table has {columns} columns"
            ))
            .label("wrong number of cells")
            .help("give every row one cell per column; write — for a cell without a value"),
            DuplicateKey { value } => Words::new(format!("`{value}` appears twice in the table"))
                .label("duplicate key")
                .help("each value gets exactly one column or row"),
            IncompleteTable { field, missing } => Words::new(format!(
                "the table has no value for {field} {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .label("incomplete table")
            .help(format!(
                "add a column for {}; every declared `{field}` code needs a rate",
                missing.join(", ")
            )),
            NoRestBand => Words::new("some seconds would fall in no band")
                .label("no band for the rest")
                .help("end the list with a band for `övrig tid`"),

            // ---- taxa::duplicate_name ----
            DuplicateCondition { name } => {
                Words::new(format!("the condition `{name}` is declared twice"))
                    .help("give each `villkor` its own name")
            }
            DuplicateCodeColumn { column } => {
                Words::new(format!("the codes of `{column}` are declared twice"))
                    .help("list all of a column's codes in one `kod` line")
            }
            DuplicateCode { value } => {
                Words::new(format!("`{value}` is listed twice")).help("remove the second one")
            }
            DuplicateField { name, built_in: true } => {
                Words::new(format!("`{name}` is a field of the data layout"))
                    .help("give the declared field a name of its own")
            }
            DuplicateField { name, .. } => Words::new(format!("the field `{name}` is declared twice"))
                .help("declare each field once"),
            DuplicateRate { name } => Words::new(format!("the rate `{name}` is declared twice"))
                .help("give each rate its own name"),
            ClassNameTaken { name } => {
                Words::new(format!("`{name}` is already a code column or class"))
                    .help("give the class a name of its own")
            }
            DuplicateBand { band } => Words::new(format!("the band `{band}` is declared twice"))
                .help("each band once; the first that matches a second takes it"),
            DuplicateTerm { name } => Words::new(format!("the term `{name}` is declared twice"))
                .help("give each term its own name, e.g. the tender's paragraph number"),
            RepeatedClause { word, term } => {
                Words::new(format!("`{word}` appears twice in the term `{term}`"))
                    .label("second time")
                    .help(format!(
                        "a term has one `{word}`; merge the two, or split the term"
                    ))
            }

            // ---- taxa::misplaced ----
            TooManyTerms => Words::new("a contract has at most 128 terms")
                .help("split the contract into versions or files"),
            TooManyActivityCodes => Words::new("at most 128 activity codes can be declared"),
            ActivitiesAsKey => {
                Words::new("a visit's `activities` are a set of codes, not one key")
                    .label("a set")
                    .help("key by one activity: `per activity` (with `för aktiviteter` rows)")
            }
            TooManyClasses => Words::new(format!("at most {MAX_CLASSES} `klass` declarations"))
                .help("combine classes, or ask for the limit to be raised"),
            SupplementFromDaySums => Words::new(
                "a supplement is priced from other terms' lines, not from customer-days",
            )
            .help("write it from `summa TERM, …`, or make a `moment … för kunddagar` term"),
            WithinOtherRows { term } => Words::new(format!(
                "`{term}` does not pay the same kind of rows as this term"
            ))
            .help("`i TERM` narrows to rows another term pays; both must select the same rows"),
            WindowNotOnVisits => Words::new("a time window applies to visits")
                .help("use `fönster` in a `för besök` term"),
            StaffCapNotOnVisits => Words::new("`personal högst` applies to visits")
                .help("use it in a `för besök` term that pays `betald_tid`"),
            CheckCustomerNotOnEvents => Words::new("`kontrollera kund` applies to events")
                .help("visits always get the customer checks"),
            KeyNotInRows { key } => Words::new(format!(
                "these rows have no `{key}` to keep lines by"
            ))
            .label("not a field of these rows")
            .help("keep lines by a field the selected rows have, e.g. `zone` for visits and customer-days, `activity` for activities, `level` for customer-days"),
            TooManyKeyFields => Words::new("a line is kept by at most four fields")
                .help("split the term, or drop a field from `rad per`"),
            NoPay { term } => Words::new(format!("the term `{term}` does not say what it pays"))
                .help("add `betala QUANTITY × RATE`, e.g. `betala betald_tid × omsorg_timpris[zone]`"),
            ReplacesMisplaced => Words::new(
                "`ersätter` lets a visit term stand in for a customer-day term, per customer",
            )
            .help("write it in a `för besök` term, naming a `för kunddagar` term above it"),
            NoReason => Words::new("say why a row that fails this is not paid")
                .label("no reason")
                .help("add `annars \"reason\"`, or name a `villkor` that has one"),
            LimitOnCustomerDays => Words::new(
                "count limits apply to visits, activities and events, not to customer-days",
            )
            .help("move the `gräns` to a `för besök`, `för aktiviteter` or `för händelser` term"),
            LimitOnlyNotActivities => Words::new("`för …` in a limit names activities")
                .help("use it in a `för aktiviteter` term"),
            QuantityDivides => Words::new("a quantity cannot divide")
                .help("multiply by the quantity: `betald_tid × rate`"),
            PriceVariesWithinLine { field } => Words::new(format!(
                "the price depends on `{field}`, but the lines are not kept per `{field}`"
            ))
            .label("price varies within a line")
            .help(format!("add `rad per {field}` to the term")),
            PayCountsNothing | PayCountsMany => Words::new(if matches!(self, PayCountsNothing) {
                "`betala` does not say what is counted"
            } else {
                "`betala` counts more than one quantity"
            })
            .help("multiply one quantity (betald_tid, tid, antal or dagsandel) by a price, e.g. `betald_tid × 486 kr/h`"),
            CapOverNonPaying { term } => Words::new(format!("`{term}` is not a paying term"))
                .help("a cap applies to `moment` terms"),
            CapPerNotCustomer => Words::new("a cap is per provider and month, or `per kund`")
                .help("write `per kund` (and the fields its lines are kept by, e.g. `per kund och zone`)"),
            CapPerCustomerTerms => {
                Words::new("a cap per customer caps one term").help("name one term after `över`")
            }
            CapPerCustomerKey { key } => Words::new(
                "a cap per customer keeps its lines by the same fields as the term it caps",
            )
            .help(format!(
                "write `per kund{}`",
                key.iter().map(|f| format!(" och {f}")).collect::<String>()
            )),
            FinnsNotLookup => Words::new("`finns` asks whether a table has a value")
                .help("write e.g. `standardtid[activity] finns`"),
            NotAField { name, ctx, band } => {
                let place = match ctx {
                    _ if *band => "this row (a band is of a visit's time: `för besök` or `för aktiviteter`)",
                    Ctx::Rows(RowSource::Visits) => "a visit",
                    Ctx::Rows(RowSource::Activities) => "an activity",
                    Ctx::Rows(RowSource::CustomerDays) => "a customer-day",
                    Ctx::Rows(RowSource::Events) => "an event",
                    Ctx::Rows(RowSource::ProviderMonths) => {
                        "a provider-month (its provider's fields and `datum`)"
                    }
                    Ctx::Customer => "a customer row",
                    Ctx::Provider => "a provider (only `regime`)",
                    Ctx::Cap | Ctx::Replace(_) => {
                        "a sum over lines (use `summa för kunddagar av …` to read customer rows)"
                    }
                };
                Words::new(format!("`{name}` is not a field of {place}"))
                    .label("not available here")
            }
            MeasureMisplaced { name, measure } => {
                Words::new(format!("`{name}` cannot be measured here")).help(match measure {
                    Measure::PaidTime | Measure::Duration => {
                        "time is measured on visits (`för besök`)"
                    }
                    Measure::DayShare => {
                        "`dagsandel` is measured on customer-days (`för kunddagar`, or `summa för kunddagar av …`)"
                    }
                    Measure::Count => "`antal` counts the rows a term selects",
                })
            }
            RateNeedsKey { rate, keys } => Words::new(format!("the rate `{rate}` needs its key"))
                .help(format!("pick the cell: `{rate}[{}]`", keys.join(", "))),
            WrongKeys { rate, keys } => {
                Words::new(format!("`{rate}` is keyed by {}", keys.join(", ")))
                    .help(format!("write `{rate}[{}]`", keys.join(", ")))
            }
            DaySumMisplaced => Words::new("`summa för kunddagar` belongs in a cap's bound")
                .help("sum customer-days in a `tak … högst` bound or an `ersätter … när`; inside the sum, read the customer row's fields themselves, e.g. `summa för kunddagar av granted_hours × dagsandel`"),
            TermSumMisplaced => Words::new("`summa TERM` belongs in a cap's bound")
                .help("sum the lines of terms above in a `tak … högst` bound or a `tillägg`'s `betala`"),

            // ---- taxa::order ----
            ForwardReference { name } => Words::new(format!(
                "`{name}` is declared below this term"
            ))
            .label("refers forward")
            .help("a term can refer only to terms above it (this also rules out circular references); move this term below it"),
            SelfReference { name, term: false } => {
                Words::new(format!("the condition `{name}` refers to itself"))
                    .help("a condition cannot be defined by itself; break the circle")
            }
            SelfReference { name, term: true } => Words::new(format!("the term `{name}` refers to itself"))
                .label("itself")
                .help("a cap or sum is over terms declared above it: name those (e.g. `tak T2 … över T1`)"),

            // ---- taxa::too_deep ----
            TooDeep { through } => {
                let names = chain(through);
                Words::new(if through.is_empty() {
                    format!("this nests deeper than {MAX_DEPTH} levels")
                } else {
                    format!(
                        "written out where it is used (through {names}), this nests deeper than {MAX_DEPTH} levels"
                    )
                })
                .label(format!("more than {MAX_DEPTH} levels deep"))
                .help(
                    "a `villkor` counts its own levels where it is named, so `villkor` that name `villkor` add up; name fewer of them inside one another, or drop redundant parentheses and double `inte`",
                )
            }

            TooLarge { through } => Words::new(format!(
                "with every `villkor` written out where it is used, this contract has more than {MAX_NODES} conditions and values{}",
                if through.is_empty() {
                    String::new()
                } else {
                    format!(" (here through {})", chain(through))
                }
            ))
            .label("too many written out")
            .help(
                "each use of a `villkor` is a copy of it, so a `villkor` that names another twice doubles it; name each `villkor` once, or require them side by side (`kräver a, b`)",
            ),

            // ---- taxa::unused ----
            UnusedCondition { name } => Words::new(format!(
                "the condition `{name}` is not used by any term"
            ))
            .label("unused")
            .help(format!(
                "require it in a term (`kräver {name}`), or remove it"
            )),
            UnusedRate { name } => Words::new(format!("the rate `{name}` is not used by any term"))
                .label("unused")
                .help(format!(
                    "price a term with it (`{name}[…]`), or remove the row"
                )),

            // ---- taxa::unreachable ----
            BandAfterRest { band } => Words::new(format!(
                "the band `{band}` comes after `övrig tid` and gets no seconds"
            ))
            .label("never matches")
            .help("bands match in order; move `övrig tid` last"),
            NeverSelects {
                term,
                column,
                first,
                second,
            } => Words::new(format!(
                "the term `{term}` can never select a row: `{column}` cannot be both `{first}` and `{second}`"
            ))
            .label("never true")
            .help("did you mean `eller` (or) instead of `och` (and)?"),
            FundOutsideValidity { month, from, to } => Words::new(format!(
                "{month} is outside the contract's validity ({from} – {to}): the fund is never paid"
            ))
            .label("never paid")
            .help("pay the fund in a month of the validity, or move it to the contract version valid then"),
        }
    }
}

/// `` `a` → `b` → `c` ``: the `villkor` being written out, outermost first;
/// of a long chain the two ends.
fn chain(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    if quoted.len() > 5 {
        let n = quoted.len();
        format!(
            "{} → … → {}",
            quoted[..2].join(" → "),
            quoted[n - 2..].join(" → ")
        )
    } else {
        quoted.join(" → ")
    }
}

/// Both comparisons of unlike things end with the same advice.
const COMPARE_LIKE: &str =
    "compare like with like: a code with one of its values, a date with a date, hours with hours";

impl CheckError {
    pub(in crate::check) fn new(span: Span, error: Error) -> Self {
        let kind = error.kind();
        let Words {
            message,
            label,
            help,
        } = error.words();
        CheckError {
            kind,
            warning: kind.is_warning(),
            message,
            span,
            label,
            help,
        }
    }
}
