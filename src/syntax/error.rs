//! Syntax errors: where the parser stopped and what it expected there.

use miette::Diagnostic;
use thiserror::Error;

use super::ast::Span;
use super::parser::Rule;

/// The rule file does not follow the grammar.
#[derive(Debug, Clone, Error, Diagnostic, PartialEq, Eq)]
#[error("{message}")]
#[diagnostic(code(taxa::syntax))]
pub struct SyntaxError {
    pub message: String,
    #[label("{label}")]
    pub span: Span,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl SyntaxError {
    /// `offset`: where the parsed text starts in the file.
    pub(crate) fn from_pest(e: pest::error::Error<Rule>, offset: usize) -> SyntaxError {
        let pos = offset
            + match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
        let expected: Vec<String> = match &e.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                let mut v: Vec<String> = positives.iter().filter_map(|r| describe(*r)).collect();
                v.sort();
                v.dedup();
                v
            }
            pest::error::ErrorVariant::CustomError { message } => vec![message.clone()],
        };
        let found = found_at(e.line(), e.line_col.clone());
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
            message,
            span: Span::new(pos, pos + found.as_ref().map_or(0, |f| f.len())),
            label: format!("expected {expected_text}"),
            help: match reserved {
                Some(word) => Some(format!(
                    "`{word}` is a word of the language and cannot be a name; choose another (e.g. `{word}_1` or a Swedish synonym)"
                )),
                None => hint(&expected),
            },
        }
    }
}

/// Words of the language that cannot be names (grammar/taxa.pest, `keyword`).
const RESERVED: [&str; 52] = [
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
];

/// The word at the error position, for the message.
fn found_at(line: &str, lc: pest::error::LineColLocation) -> Option<String> {
    let col = match lc {
        pest::error::LineColLocation::Pos((_, c)) => c,
        pest::error::LineColLocation::Span((_, c), _) => c,
    };
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

/// Grammar rules in the words of the language reference.
fn describe(r: Rule) -> Option<String> {
    let name = format!("{r:?}");
    if let Some(kw) = name.strip_prefix("kw_") {
        // Rule names are ASCII; the keywords are not.
        let word = match kw {
            "galler" => "gäller",
            "over" => "över",
            "hogst" => "högst",
            "for" => "för",
            "besok" => "besök",
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
            "nar" => "när",
            "ovrig" => "övrig",
            "tillagg" => "tillägg",
            "utforare" => "utförare",
            other => other,
        };
        return Some(format!("`{word}`"));
    }
    Some(
        match r {
            Rule::ident | Rule::name | Rule::cond_ref | Rule::table_name => "a name",
            Rule::string => "a quoted text",
            Rule::date => "a date (YYYY-MM-DD)",
            Rule::month => "a month (YYYY-MM)",
            Rule::quantity | Rule::number => "a number",
            Rule::unit => "a unit (kr, h, min, mån, st, %, kr/h, …)",
            Rule::cmp_op => "a comparison (=, ≠, <, ≤, >, ≥)",
            Rule::add_op | Rule::mul_op => "an operator",
            Rule::expr | Rule::product => "a value",
            Rule::cond | Rule::cond_and | Rule::cond_not => "a condition",
            Rule::code_decl
            | Rule::table
            | Rule::condition_decl
            | Rule::pay_term
            | Rule::cap_term
            | Rule::allocation => {
                "a declaration (`kod`, `tabell`, `villkor`, `moment`, `tak`, `fördelning`)"
            }
            Rule::header => "the contract header (`avtal \"…\" gäller … till …`)",
            Rule::EOI => "end of file",
            Rule::colon => "`:`",
            Rule::comma => "`,`",
            Rule::lbracket => "`[`",
            Rule::rbracket => "`]`",
            Rule::lparen => "`(`",
            Rule::rparen => "`)`",
            Rule::cell | Rule::dash => "a table cell (a number with unit, or —)",
            Rule::requires | Rule::limit | Rule::pay | Rule::line_key => {
                "a clause (`kräver`, `gräns`, `betala`, `rad per`)"
            }
            Rule::otherwise => "`annars \"reason\"`",
            _ => return None,
        }
        .to_string(),
    )
}

fn hint(expected: &[String]) -> Option<String> {
    let any = |s: &str| expected.iter().any(|e| e.contains(s));
    if any("`avtal`") || any("contract header") {
        Some("a rule file starts with `avtal \"Name\" gäller 2025-01-01 till 2025-12-31`".into())
    } else if any("`annars`") {
        Some("name the reason a provider will read: `annars \"missed visit\"`".into())
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
