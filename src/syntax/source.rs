//! A place in a file as a person reads it: `file:line:col`. Rules carry one
//! from the checker to every statement line; unreadable data rows carry one
//! to their not-paid entry.

use serde::Serialize;

/// Where a figure comes from: `file:line:col` (lines and columns from 1,
/// columns in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SourceRef {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// A rule file's text as the parser reads it: without a leading UTF-8 byte
/// order mark (some Windows editors write one; it is no character of the
/// file), and with each lone `\r` (old Mac line ends) made a `\n`, which
/// keeps every byte offset. `\r\n` stays: `\r` is whitespace to the
/// grammar. Spans of the result point into the result, which is the text
/// diagnostics are rendered against.
pub fn normalize(src: &str) -> std::borrow::Cow<'_, str> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lone_cr = |(i, _): &(usize, &str)| src.as_bytes().get(i + 1) != Some(&b'\n');
    if !src.match_indices('\r').any(|m| lone_cr(&m)) {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut last = 0;
    for m in src.match_indices('\r').filter(lone_cr) {
        out.push_str(&src[last..m.0]);
        out.push('\n');
        last = m.0 + 1;
    }
    out.push_str(&src[last..]);
    std::borrow::Cow::Owned(out)
}

/// `file:line:col` of a byte offset into `src`.
pub fn source_ref(src: &str, file: &str, offset: usize) -> SourceRef {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    SourceRef {
        file: file.to_string(),
        line,
        col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_goes_and_lone_carriage_returns_become_line_feeds() {
        assert_eq!(normalize("\u{feff}avtal"), "avtal");
        assert_eq!(normalize("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert!(matches!(normalize("a\r\nb"), std::borrow::Cow::Borrowed(_)));
        // Only a leading mark is one; elsewhere it is text (and an error).
        assert_eq!(normalize("a\u{feff}"), "a\u{feff}");
        let lone = normalize("x\ry");
        assert_eq!(source_ref(&lone, "f", 2).to_string(), "f:2:1");
    }

    #[test]
    fn lines_and_columns_count_from_one_in_characters() {
        let src = "a\nåäö x";
        assert_eq!(source_ref(src, "f", 0).to_string(), "f:1:1");
        let x = src.find('x').unwrap();
        assert_eq!(source_ref(src, "f", x).to_string(), "f:2:5");
        assert_eq!(source_ref(src, "f", 10_000).to_string(), "f:2:6");
    }
}
