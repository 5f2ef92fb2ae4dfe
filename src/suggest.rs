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
/// of equally near ones. A word that differs only in look-alike letters
/// (Cyrillic `Т` for Latin `T`, see [`LOOK_ALIKES`]) is as near as can be.
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
    let shape = skeleton(written);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if skeleton(c) == shape {
            0
        } else {
            edit_distance(written, c)
        };
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

/// Letters of other scripts that look like Latin letters, with the Latin
/// letter each is taken for and its Unicode name: a name typed on a
/// Cyrillic or Greek keyboard layout, or pasted from a PDF, can look right
/// and still be unknown.
pub const LOOK_ALIKES: [(char, char, &str); 48] = [
    ('А', 'A', "CYRILLIC CAPITAL LETTER A"),
    ('В', 'B', "CYRILLIC CAPITAL LETTER VE"),
    ('Е', 'E', "CYRILLIC CAPITAL LETTER IE"),
    ('К', 'K', "CYRILLIC CAPITAL LETTER KA"),
    ('М', 'M', "CYRILLIC CAPITAL LETTER EM"),
    ('Н', 'H', "CYRILLIC CAPITAL LETTER EN"),
    ('О', 'O', "CYRILLIC CAPITAL LETTER O"),
    ('Р', 'P', "CYRILLIC CAPITAL LETTER ER"),
    ('С', 'C', "CYRILLIC CAPITAL LETTER ES"),
    ('Т', 'T', "CYRILLIC CAPITAL LETTER TE"),
    ('У', 'Y', "CYRILLIC CAPITAL LETTER U"),
    ('Х', 'X', "CYRILLIC CAPITAL LETTER HA"),
    ('Ѕ', 'S', "CYRILLIC CAPITAL LETTER DZE"),
    ('І', 'I', "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I"),
    ('Ј', 'J', "CYRILLIC CAPITAL LETTER JE"),
    ('а', 'a', "CYRILLIC SMALL LETTER A"),
    ('е', 'e', "CYRILLIC SMALL LETTER IE"),
    ('о', 'o', "CYRILLIC SMALL LETTER O"),
    ('р', 'p', "CYRILLIC SMALL LETTER ER"),
    ('с', 'c', "CYRILLIC SMALL LETTER ES"),
    ('у', 'y', "CYRILLIC SMALL LETTER U"),
    ('х', 'x', "CYRILLIC SMALL LETTER HA"),
    ('ѕ', 's', "CYRILLIC SMALL LETTER DZE"),
    ('і', 'i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
    ('ј', 'j', "CYRILLIC SMALL LETTER JE"),
    ('һ', 'h', "CYRILLIC SMALL LETTER SHHA"),
    ('ԁ', 'd', "CYRILLIC SMALL LETTER KOMI DE"),
    ('ѵ', 'v', "CYRILLIC SMALL LETTER IZHITSA"),
    ('Α', 'A', "GREEK CAPITAL LETTER ALPHA"),
    ('Β', 'B', "GREEK CAPITAL LETTER BETA"),
    ('Ε', 'E', "GREEK CAPITAL LETTER EPSILON"),
    ('Ζ', 'Z', "GREEK CAPITAL LETTER ZETA"),
    ('Η', 'H', "GREEK CAPITAL LETTER ETA"),
    ('Ι', 'I', "GREEK CAPITAL LETTER IOTA"),
    ('Κ', 'K', "GREEK CAPITAL LETTER KAPPA"),
    ('Μ', 'M', "GREEK CAPITAL LETTER MU"),
    ('Ν', 'N', "GREEK CAPITAL LETTER NU"),
    ('Ο', 'O', "GREEK CAPITAL LETTER OMICRON"),
    ('Ρ', 'P', "GREEK CAPITAL LETTER RHO"),
    ('Τ', 'T', "GREEK CAPITAL LETTER TAU"),
    ('Υ', 'Y', "GREEK CAPITAL LETTER UPSILON"),
    ('Χ', 'X', "GREEK CAPITAL LETTER CHI"),
    ('ο', 'o', "GREEK SMALL LETTER OMICRON"),
    ('ν', 'v', "GREEK SMALL LETTER NU"),
    ('ι', 'i', "GREEK SMALL LETTER IOTA"),
    ('κ', 'k', "GREEK SMALL LETTER KAPPA"),
    ('ρ', 'p', "GREEK SMALL LETTER RHO"),
    ('υ', 'u', "GREEK SMALL LETTER UPSILON"),
];

/// `written` with each look-alike letter replaced by the Latin one it is
/// taken for.
pub fn skeleton(written: &str) -> String {
    written
        .chars()
        .map(|c| {
            LOOK_ALIKES
                .iter()
                .find(|(other, _, _)| *other == c)
                .map_or(c, |(_, latin, _)| *latin)
        })
        .collect()
}

/// What a reader cannot see between `written` and the near miss `meant`
/// that [`closest`] found: the first letter that only looks alike
/// (`` `Т` (U+0422 CYRILLIC CAPITAL LETTER TE) looks like `T` ``), or the
/// one letter that differs when the written one is neither ASCII nor a
/// Latin-1 letter (`` `ı` (U+0131) where `tid` has `i` (U+0069) ``). None
/// when the difference is plain to see (`T2` for `T1`, `o` for `ö`, a
/// letter too many).
pub fn invisible_difference(written: &str, meant: &str) -> Option<String> {
    let (w, m): (Vec<char>, Vec<char>) = (written.chars().collect(), meant.chars().collect());
    if w.len() != m.len() {
        return None;
    }
    let differ: Vec<(char, char)> = w
        .iter()
        .zip(&m)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    let name = |c: char| match LOOK_ALIKES.iter().find(|(o, _, _)| *o == c) {
        Some((_, _, name)) => format!("U+{:04X} {name}", c as u32),
        None => format!("U+{:04X}", c as u32),
    };
    let (a, b) = *differ.first()?;
    if skeleton(written) == meant {
        let more = match differ.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more letter like it)".to_string(),
            n => format!(" (and {n} more letters like it)"),
        };
        return Some(format!("`{a}` ({}) looks like `{b}`{more}", name(a)));
    }
    // å, ä, ö, é, ü … are plain to see; `ı` for `i` or `ǃ` for `!` is not.
    let uncommon = |c: char| !c.is_ascii() && !('\u{c0}'..='\u{ff}').contains(&c);
    if differ.len() == 1 && uncommon(a) {
        return Some(format!(
            "`{a}` ({}) where `{meant}` has `{b}` ({})",
            name(a),
            name(b)
        ));
    }
    None
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
    fn look_alike_letters_are_named_with_their_code_point() {
        // `Т1` with a Cyrillic Т: the same shape as `T1`, nearer than `Т2`.
        let terms = ["T2", "T1"];
        assert_eq!(closest("Т1", terms, Tolerance::Name), Some("T1"));
        assert_eq!(
            invisible_difference("Т1", "T1").as_deref(),
            Some("`Т` (U+0422 CYRILLIC CAPITAL LETTER TE) looks like `T`")
        );
        // A whole word of look-alikes is found however long it is.
        assert_eq!(
            closest("ОМСОРГ", ["OMCOPГ", "OMCOPT"], Tolerance::Name),
            Some("OMCOPГ")
        );
        assert_eq!(
            invisible_difference("орех", "opex").as_deref(),
            Some(
                "`о` (U+043E CYRILLIC SMALL LETTER O) looks like `o` (and 3 more letters like it)"
            )
        );
        assert_eq!(
            invisible_difference("Οmsorg", "Omsorg").as_deref(),
            Some("`Ο` (U+039F GREEK CAPITAL LETTER OMICRON) looks like `O`")
        );
    }

    #[test]
    fn one_differing_letter_is_named_only_when_hard_to_see() {
        assert_eq!(
            invisible_difference("tıd", "tid").as_deref(),
            Some("`ı` (U+0131) where `tid` has `i` (U+0069)")
        );
        assert_eq!(invisible_difference("tätort", "tåtort"), None);
        assert_eq!(invisible_difference("sjukskoterska", "sjuksköterska"), None);
        assert_eq!(invisible_difference("T2", "T1"), None);
        assert_eq!(
            invisible_difference("omsorg_timpri", "omsorg_timpris"),
            None
        );
        assert_eq!(invisible_difference("T1", "T1"), None);
        // Every look-alike is a letter of another script, taken for ASCII.
        for (other, latin, name) in LOOK_ALIKES {
            assert!(!other.is_ascii() && latin.is_ascii_alphabetic(), "{name}");
            assert!(name.starts_with("CYRILLIC") || name.starts_with("GREEK"));
        }
    }

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("tätort", "tatort"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
