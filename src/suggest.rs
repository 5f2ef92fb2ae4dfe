//! "Did you mean": the one near-miss finder behind every hint that names a
//! declared word, in rule files (names, codes, fields) and in data (code
//! values). A leaf module: it knows strings, not stages.

/// How far a near miss may be from what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// Names a person typed in a rule file: about one edit per three
    /// characters, so `omsorg_timpri` finds `omsorg_timpris`.
    Name,
    /// Codes in a spreadsheet cell: at most two edits, and fewer than the
    /// code's own length, so `x` never "means" `ab`.
    Code,
}

/// The declared word closest to `written`, if one is near enough; the first
/// of equally near ones.
pub fn closest<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    tolerance: Tolerance,
) -> Option<&'a str> {
    // Edit distance is quadratic; long texts are not typos of short words.
    if tolerance == Tolerance::Code && written.chars().count() > 64 {
        return None;
    }
    let len = written.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(written, c);
        let near = match tolerance {
            Tolerance::Name => d <= len.max(3) / 3 + 1,
            Tolerance::Code => d <= 2 && d < c.chars().count(),
        };
        if near && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The declared word that differs from `written` only in case (codes are
/// case-sensitive; spreadsheets capitalise).
pub fn same_but_case<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = written.to_lowercase();
    candidates.into_iter().find(|c| c.to_lowercase() == lower)
}

/// Levenshtein distance in characters (not bytes: `å` is one edit).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_allow_one_edit_per_three_characters() {
        let names = ["omsorg_timpris", "hsl_timpris", "listningsavgift"];
        assert_eq!(
            closest("omsorg_timpri", names, Tolerance::Name),
            Some("omsorg_timpris")
        );
        assert_eq!(closest("xyz", names, Tolerance::Name), None);
    }

    #[test]
    fn codes_allow_two_edits_and_never_the_whole_code() {
        let codes = ["omsorg", "sjuksköterska", "rehab", "ab"];
        assert_eq!(
            closest("sjukskoterska", codes, Tolerance::Code),
            Some("sjuksköterska")
        );
        assert_eq!(closest("x", codes, Tolerance::Code), None);
        assert_eq!(closest("omsorgxyz", codes, Tolerance::Code), None);
        assert_eq!(same_but_case("REHAB", codes), Some("rehab"));
        assert_eq!(closest(&"a".repeat(65), ["a"], Tolerance::Code), None);
    }

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("tätort", "tatort"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
