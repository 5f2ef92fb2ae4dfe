//! The standard fields: the data layout of data-format.md written as
//! declarations (`rules/prelude/standard.taxa`), which the checker reads
//! before every rule file; and the default engine checks (`kontroller`,
//! read by `checks.rs`). The bundled rule files use them without
//! repeating them; a rule file may replace one by declaring a field of the
//! same name in the same file.

use std::sync::OnceLock;

use crate::syntax::{Item, parse_prelude};

/// Where the standard fields are written, for contributors and messages.
pub const PRELUDE_FILE: &str = "rules/prelude/standard.taxa";

/// The text of the standard fields, bundled into the binary.
pub const PRELUDE: &str = include_str!("../../rules/prelude/standard.taxa");

/// The standard fields' declarations, parsed once per process.
pub(super) fn items() -> &'static [Item] {
    static ITEMS: OnceLock<Vec<Item>> = OnceLock::new();
    // The text is part of the crate; `tests` parse and check it, so an
    // error here is the crate's bug, not the user's input.
    ITEMS.get_or_init(|| parse_prelude(PRELUDE).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_fields_parse() {
        let items = parse_prelude(PRELUDE).expect("the prelude parses");
        let fields = items.iter().filter(|i| matches!(i, Item::Field(_))).count();
        // data-format.md's columns beyond the engine's own keys.
        assert_eq!(fields, 15);
        assert!(items.iter().any(|i| matches!(i, Item::Staff(_))));
        // The default engine checks: visits' and events'.
        let checks: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Checks(d) => Some(d.rows.node.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(checks, ["besök", "händelser"]);
    }
}
