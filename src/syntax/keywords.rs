//! The words that start a declaration at the beginning of a line: where
//! the parser cuts a file after a syntax error, to report the errors of
//! every declaration.

/// Words that start a declaration at the beginning of a line.
pub(super) const DECLARATIONS: [&str; 18] = [
    "avtal",
    "besök",
    "betald_tid",
    "fil",
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
    "värde",
    "kontroller",
];
