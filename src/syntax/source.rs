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
    fn lines_and_columns_count_from_one_in_characters() {
        let src = "a\nåäö x";
        assert_eq!(source_ref(src, "f", 0).to_string(), "f:1:1");
        let x = src.find('x').unwrap();
        assert_eq!(source_ref(src, "f", x).to_string(), "f:2:5");
        assert_eq!(source_ref(src, "f", 10_000).to_string(), "f:2:6");
    }
}
