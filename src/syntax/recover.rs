//! Error recovery: after a first syntax error the file is cut at each line
//! that starts with a declaration keyword and each piece is parsed alone,
//! so one run reports the errors of every declaration.

use super::error::SyntaxError;
use super::keywords::DECLARATIONS;

/// What a piece of the file is parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Piece {
    /// The text before the first declaration.
    Preamble,
    Header,
    Item,
}

/// After a first error: parse each declaration on its own (`parse`: the
/// piece's text and where it starts in the file) and gather the errors of
/// all of them.
pub(super) fn recover(
    src: &str,
    first: SyntaxError,
    parse: impl Fn(Piece, &str, usize) -> Result<(), SyntaxError>,
) -> Vec<SyntaxError> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let word: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
        if DECLARATIONS.contains(&word.as_str()) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut errors = Vec::new();
    let mut pieces = vec![(
        0,
        starts.first().copied().unwrap_or(src.len()),
        Piece::Preamble,
    )];
    for (i, &a) in starts.iter().enumerate() {
        let b = starts.get(i + 1).copied().unwrap_or(src.len());
        let rule = if src[a..].starts_with("avtal") {
            Piece::Header
        } else {
            Piece::Item
        };
        pieces.push((a, b, rule));
    }
    for (a, b, rule) in pieces {
        if let Err(e) = parse(rule, &src[a..b], a) {
            errors.push(e.at_piece_end(rule == Piece::Preamble));
        }
    }
    if !starts.iter().any(|&a| src[a..].starts_with("avtal")) {
        errors.insert(0, first.clone());
    }
    if errors.is_empty() {
        errors.push(first);
    }
    errors.sort_by_key(|e| e.span.start);
    errors.dedup_by_key(|e| e.span.start);
    errors
}
