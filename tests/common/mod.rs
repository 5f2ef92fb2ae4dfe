//! What the integration tests share: the bundled examples, each a data
//! folder and the rule file that pays it (one list, so a new example is
//! checked by every view and explanation test at once).

/// (data folder, rule file) of every bundled example.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("examples/norrtalje-2025", "rules/norrtalje-2025.taxa"),
    ("examples/norrtalje-2024", "rules/norrtalje-2024.taxa"),
    ("examples/osteraker-tid", "rules/osteraker-tid.taxa"),
    ("examples/osteraker-insats", "rules/osteraker-insats.taxa"),
    ("examples/orebro-niva", "rules/orebro-nivå.taxa"),
    ("examples/skr-norm", "rules/skr-norm.taxa"),
    ("examples/stockholm-2024", "rules/stockholm-2024.taxa"),
    (
        "examples/egna-kolumner",
        "examples/egna-kolumner/egna-kolumner.taxa",
    ),
    (
        "examples/beviljad-tid",
        "examples/beviljad-tid/beviljad-tid.taxa",
    ),
    (
        "examples/kommunexport/data",
        "examples/kommunexport/kommunexport.taxa",
    ),
    ("examples/franvaro", "examples/franvaro/franvaro.taxa"),
    ("examples/vikarier", "examples/vikarier/vikarier.taxa"),
];
