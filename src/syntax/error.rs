//! Syntax errors and their wording: where the parser stopped, what it found
//! there and what it expected. Built from plain data by the pest glue in
//! `parser.rs`, so no pest type reaches this file.

use miette::Diagnostic;
use thiserror::Error;

use super::ast::Span;
use super::depth::MAX_DEPTH;

/// The rule file does not follow the grammar, or nests too deep to be read.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct SyntaxError {
    pub kind: SyntaxKind,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
}

/// What kind of syntax error, one variant per diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxKind {
    /// The text does not follow the grammar (`taxa::syntax`).
    Grammar,
    /// An expression or condition nests deeper than
    /// [`MAX_DEPTH`](super::depth::MAX_DEPTH) levels (`taxa::too_deep`):
    /// parentheses found by the scan before parsing, any other level by the
    /// walk to the syntax tree, or pest's own stack guard giving up.
    TooDeep,
}

impl SyntaxKind {
    pub fn code(self) -> &'static str {
        match self {
            SyntaxKind::Grammar => "taxa::syntax",
            SyntaxKind::TooDeep => "taxa::too_deep",
        }
    }
}

impl Diagnostic for SyntaxError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.label.clone()), self.span),
        )))
    }
}

/// Something the grammar would have accepted where the parser stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Expected {
    /// A keyword, as written (`gäller`, not the rule's ASCII name).
    Keyword(String),
    Name,
    QuotedText,
    Date,
    /// A clock time, `HH:MM`.
    ClockTime,
    Month,
    Number,
    Unit,
    Comparison,
    Operator,
    Value,
    Condition,
    Declaration,
    Header,
    EndOfFile,
    Colon,
    Comma,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Cell,
    Clause,
    Otherwise,
    /// A message the grammar gives itself.
    Other(String),
}

impl Expected {
    /// In the words of the language reference.
    fn text(&self) -> String {
        match self {
            Expected::Keyword(word) => format!("`{word}`"),
            Expected::Other(message) => message.clone(),
            Expected::Name => "a name".into(),
            Expected::QuotedText => "a quoted text".into(),
            Expected::Date => "a date (YYYY-MM-DD)".into(),
            Expected::ClockTime => "a time of day (HH:MM, e.g. 07:00)".into(),
            Expected::Month => "a month (YYYY-MM)".into(),
            Expected::Number => "a number".into(),
            Expected::Unit => "a unit (kr, h, min, mån, st, %, kr/h, …)".into(),
            Expected::Comparison => "a comparison (=, ≠, <, ≤, >, ≥)".into(),
            Expected::Operator => "an operator".into(),
            Expected::Value => "a value".into(),
            Expected::Condition => "a condition".into(),
            Expected::Declaration => {
                "a declaration (`kod`, `tabell`, `villkor`, `moment`, `tak`, `fördelning`)".into()
            }
            Expected::Header => "the contract header (`avtal \"…\" gäller … till …`)".into(),
            Expected::EndOfFile => "end of file".into(),
            Expected::Colon => "`:`".into(),
            Expected::Comma => "`,`".into(),
            Expected::LBracket => "`[`".into(),
            Expected::RBracket => "`]`".into(),
            Expected::LParen => "`(`".into(),
            Expected::RParen => "`)`".into(),
            Expected::Cell => "a table cell (a number with unit, or —)".into(),
            Expected::Clause => "a clause (`kräver`, `gräns`, `betala`, `rad per`)".into(),
            Expected::Otherwise => "`annars \"reason\"`".into(),
        }
    }
}

impl SyntaxError {
    /// The parser stopped at byte `pos`, before `found` (the word there;
    /// `None` at the end of the input), where it would have taken any of
    /// `expected`.
    pub(super) fn unexpected(pos: usize, found: Option<String>, expected: &[Expected]) -> Self {
        let mut expected: Vec<String> = expected.iter().map(Expected::text).collect();
        expected.sort();
        expected.dedup();
        let expected_text = match expected.len() {
            0 => "something else".to_string(),
            1 => expected[0].clone(),
            _ => {
                let (last, rest) = expected.split_last().expect("len > 1");
                format!("{} or {}", rest.join(", "), last)
            }
        };
        let message = match &found {
            Some(f) => format!("unexpected `{f}`: expected {expected_text}"),
            None => format!("unexpected end of file: expected {expected_text}"),
        };
        let reserved = found
            .as_deref()
            .filter(|f| RESERVED.contains(f) && expected.iter().any(|e| e == "a name"));
        SyntaxError {
            kind: SyntaxKind::Grammar,
            message,
            span: Span::new(pos, pos + found.as_ref().map_or(0, |f| f.len())),
            label: format!("expected {expected_text}"),
            help: match reserved {
                // `dagar lördag och söndag`: a list of days (or codes) takes
                // commas.
                Some("och") if expected.iter().any(|e| e == "`,`") => Some(
                    "separate the items of this list with commas: `lördag, söndag`, not `lördag och söndag`"
                        .to_string(),
                ),
                Some(word) => Some(format!(
                    "`{word}` is a word of the language and cannot be a name; choose another (e.g. `{word}_1` or a Swedish synonym)"
                )),
                None => hint(&expected),
            },
        }
    }

    /// The construct at `span` is the first to nest below level
    /// `MAX_DEPTH`.
    pub(super) fn too_deep(span: Span) -> Self {
        SyntaxError {
            kind: SyntaxKind::TooDeep,
            message: format!("this nests deeper than {MAX_DEPTH} levels"),
            span,
            label: format!("more than {MAX_DEPTH} levels deep"),
            help: Some(format!(
                "an expression or condition nests at most {MAX_DEPTH} levels (a pair of parentheses, an `inte`, a comparison, an `och`/`eller` list, a `summa för kunddagar` and each operator of a chain like `a × b × c` add one); drop redundant parentheses and double `inte`, or write a shorter product"
            )),
        }
    }

    /// After a first error, each declaration is parsed on its own: the end
    /// of its piece is where the next declaration begins, not the end of
    /// the file. `preamble`: the piece before the first declaration.
    pub(super) fn at_piece_end(mut self, preamble: bool) -> Self {
        let next = if preamble {
            "a declaration (`avtal`, `kod`, `tabell`, `villkor`, `moment`, …) at the start of a line"
        } else {
            "a new declaration at the start of a line"
        };
        self.message = self.message.replace("end of file", next);
        self.label = self.label.replace("end of file", next);
        self
    }
}

/// The word at column `col` (1-based) of `line`, for the message.
pub(super) fn found_at(line: &str, col: usize) -> Option<String> {
    let rest: String = line.chars().skip(col.saturating_sub(1)).collect();
    let rest = rest.trim_end();
    if rest.is_empty() {
        return None;
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    Some(if word.is_empty() {
        rest.chars().next().unwrap().to_string()
    } else {
        word
    })
}

/// Words of the language that cannot be names (grammar/taxa.pest, `keyword`).
pub(super) const RESERVED: [&str; 58] = [
    "avtal",
    "gäller",
    "till",
    "kod",
    "tabell",
    "per",
    "och",
    "villkor",
    "annars",
    "moment",
    "tak",
    "över",
    "högst",
    "för",
    "besök",
    "kunddagar",
    "händelser",
    "där",
    "i",
    "kräver",
    "gräns",
    "ordnat",
    "efter",
    "betala",
    "rad",
    "fördelning",
    "fördela",
    "avrunda",
    "fönster",
    "kontrollera",
    "kontroller",
    "ersätter",
    "när",
    "klass",
    "om",
    "kalender",
    "tidsband",
    "klockan",
    "dagar",
    "övrig",
    "finns",
    "tillägg",
    "aktiviteter",
    "eller",
    "inte",
    "har",
    "någon",
    "av",
    "bara",
    "inom",
    "summa",
    "ja",
    "nej",
    "fält",
    "utförarmånader",
    "fil",
    "värde",
    "minst",
];

/// The keyword a `kw_` rule matches, from the rule's name: rule names are
/// ASCII, the keywords are not. (Tested against the grammar in
/// `parser.rs`.)
pub(super) fn keyword(rule: &str) -> &str {
    match rule {
        "galler" => "gäller",
        "over" => "över",
        "hogst" => "högst",
        "for" => "för",
        "besok" => "besök",
        "far" => "får",
        "handelser" => "händelser",
        "dar" => "där",
        "kraver" => "kräver",
        "grans" => "gräns",
        "fordelning" => "fördelning",
        "fordela" => "fördela",
        "storsta" => "största",
        "nagon" => "någon",
        "fonster" => "fönster",
        "ersatter" => "ersätter",
        "ersatts" => "ersätts",
        "nar" => "när",
        "ovrig" => "övrig",
        "tillagg" => "tillägg",
        "utforare" => "utförare",
        "falt" => "fält",
        "utforarmanader" => "utförarmånader",
        "varde" => "värde",
        "ore" => "öre",
        other => other,
    }
}

/// What to write, for the first kind of thing the parser expected.
fn hint(expected: &[String]) -> Option<String> {
    let any = |s: &str| expected.iter().any(|e| e.contains(s));
    if any("`avtal`") || any("contract header") {
        Some("a rule file starts with `avtal \"Name\" gäller 2025-01-01 till 2025-12-31`".into())
    } else if any("`annars`") {
        Some("name the reason a provider will read: `annars \"bomtid ersätts inte\"`".into())
    } else if any("a unit") {
        Some("write the unit after the number, e.g. `486 kr/h`, `2075 kr/mån`, `13 %`".into())
    } else if any("a declaration") {
        Some("each declaration starts with a keyword: `kod`, `tabell`, `villkor`, `moment`, `tak` or `fördelning`".into())
    } else if any("a date") {
        Some("dates are written YYYY-MM-DD, e.g. 2025-01-01".into())
    } else if any("`:`") {
        Some("a declaration's name is followed by `:`, e.g. `kod zone: tätort, landsbygd` or `tabell per zone:`".into())
    } else if any("a quoted text") {
        Some(
            "write the tender's label in double quotes: `moment T1 \"Hemtjänst, utförd tid\"`"
                .into(),
        )
    } else if any("a value") || any("a number") {
        Some("write a number with its unit (`45 kr/h`), a name, a rate cell (`pris[zone]`) or a date".into())
    } else if any("a condition") {
        Some("a condition compares or tests fields: `staff = omsorg`, `activities har dusch`, `datum inom hsl_from till hsl_to`".into())
    } else if any("a name") {
        Some(
            "a name starts with a letter; letters (å, ä, ö too), digits, `_` and `-` may follow"
                .into(),
        )
    } else {
        Some("compare with the form of this declaration in docs/LANGUAGE.md".into())
    }
}
