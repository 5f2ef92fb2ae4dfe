//! The spelling of the language's keywords: a pest rule `kw_…` has an
//! ASCII name, the keyword it matches may not (`kw_hogst` is `högst`).
//! The parser names an expected keyword by it; a test in `parser.rs`
//! checks every `kw_` rule of the grammar against it.

/// The keyword a `kw_` rule matches, from the rule's name: rule names are
/// ASCII, the keywords are not. (Tested against the grammar below.)
pub(super) fn keyword(rule: &str) -> &str {
    match rule {
        "far" => "får",
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
        "falt" => "fält",
        other => other,
    }
}

/// Words that start a declaration at the beginning of a line.
pub(super) const DECLARATIONS: [&str; 14] = [
    "avtal",
    "betald_tid",
    "fält",
    "rubriker",
    "kod",
    "tabell",
    "villkor",
    "moment",
    "tak",
    "tillägg",
    "fördelning",
    "klass",
    "kalender",
    "tidsband",
];
