//! Header mapping: `rubriker` and `fält … kolumn` read a municipality's
//! export (Swedish headers, `;` separators, decimal commas) as the
//! standard layout, and name the headers in their errors.

use std::path::Path;

use taxa::check::{LoadErrorKind, load};
use taxa::data::DataDir;
use taxa::eval::pay;
use taxa::report::json::to_json;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/egna-kolumner");

const VISIT_HEADERS: [(&str, &str); 10] = [
    ("visit_id", "Besöks-ID"),
    ("provider", "Utförare"),
    ("customer", "Kund-ID"),
    ("staff", "Personalkategori"),
    ("start", "Starttid"),
    ("end", "Sluttid"),
    ("staff_count", "Antal personal"),
    ("activities", "Insatser"),
    ("status", "Status"),
    ("planerad_tid", "Planerad tid"),
];

const CUSTOMER_HEADERS: [(&str, &str); 8] = [
    ("customer", "Kund-ID"),
    ("provider", "Utförare"),
    ("from", "Från"),
    ("to", "Till"),
    ("zone", "Zon"),
    ("granted_hours", "Beviljade timmar"),
    ("dubbelbemanning", "Dubbelbemanning"),
    ("larmtyp", "Larmtyp"),
];

/// The example's rule file, reading the Swedish export.
fn swedish_rules() -> String {
    let src = std::fs::read_to_string(Path::new(EXAMPLE).join("egna-kolumner.taxa")).unwrap();
    let src = src
        .replace(
            "fält dubbelbemanning i kunder:",
            "fält dubbelbemanning i kunder, kolumn \"Dubbelbemanning\":",
        )
        .replace(
            "fält larmtyp i kunder:",
            "fält larmtyp i kunder, kolumn \"Larmtyp\":",
        )
        .replace(
            "fält planerad_tid i besök:",
            "fält planerad_tid i besök, kolumn \"Planerad tid\":",
        );
    assert_eq!(
        src.matches("kolumn \"").count(),
        3,
        "the example declares its fields"
    );
    format!(
        "{src}\nrubriker i besök: visit_id = \"Besöks-ID\", provider = \"Utförare\",\n    \
         customer = \"Kund-ID\", staff = \"Personalkategori\", start = \"Starttid\",\n    \
         end = \"Sluttid\", staff_count = \"Antal personal\", activities = \"Insatser\",\n    \
         status = \"Status\"\n\
         rubriker i kunder: customer = \"Kund-ID\", provider = \"Utförare\", from = \"Från\",\n    \
         to = \"Till\", zone = \"Zon\", granted_hours = \"Beviljade timmar\"\n"
    )
}

/// A standard CSV as the export writes it: headers renamed, `;`-separated,
/// decimal commas.
fn swedish(csv: &str, headers: &[(&str, &str)]) -> String {
    let mut lines = csv.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|n| {
            headers
                .iter()
                .find(|(c, _)| *c == n)
                .map_or(n.to_string(), |(_, h)| h.to_string())
        })
        .collect();
    let mut out = header.join(";") + "\n";
    for line in lines {
        let cells: Vec<String> = line.split(',').map(|c| c.replace('.', ",")).collect();
        out += &(cells.join(";") + "\n");
    }
    out
}

/// The example's data with a decimal in it (the export's hours have
/// decimals).
fn standard(name: &str) -> String {
    let text = std::fs::read_to_string(Path::new(EXAMPLE).join(name)).unwrap();
    if name == "customers.csv" {
        let with = text.replacen(",tätort,20,", ",tätort,20.5,", 1);
        assert_ne!(with, text, "the example's first customer");
        with
    } else {
        text
    }
}

fn run_json(rules: &str, files: &[(&str, String)]) -> String {
    let contract = load(rules, "egna-kolumner.taxa").unwrap_or_else(|e| panic!("{e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let run = pay(&contract, &DataDir::new(tmp.path()), None).unwrap_or_else(|e| panic!("{e:?}"));
    to_json(&run, taxa::report::Lang::Sv)
}

#[test]
fn a_swedish_export_pays_exactly_like_the_standard_layout() {
    let rules = std::fs::read_to_string(Path::new(EXAMPLE).join("egna-kolumner.taxa")).unwrap();
    let events = standard("events.csv");
    let providers = standard("providers.csv");
    let plain = run_json(
        &rules,
        &[
            ("visits.csv", standard("visits.csv")),
            ("customers.csv", standard("customers.csv")),
            ("events.csv", events.clone()),
            ("providers.csv", providers.clone()),
        ],
    );
    let visits = swedish(&standard("visits.csv"), &VISIT_HEADERS);
    assert!(visits.starts_with("Besöks-ID;Utförare;Kund-ID;Personalkategori;Starttid;"));
    let customers = swedish(&standard("customers.csv"), &CUSTOMER_HEADERS);
    assert!(customers.contains(";20,5;"));
    let mapped = run_json(
        &swedish_rules(),
        &[
            ("visits.csv", visits),
            ("customers.csv", customers),
            ("events.csv", events),
            ("providers.csv", providers),
        ],
    );
    assert!(plain.contains("\"statements\""), "{plain}");
    assert_eq!(mapped, plain);
}

fn data_error(rules: &str, files: &[(&str, String)]) -> Vec<String> {
    let contract = load(rules, "egna-kolumner.taxa").unwrap_or_else(|e| panic!("{e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    match pay(&contract, &DataDir::new(tmp.path()), None) {
        Ok(_) => panic!("expected a data error"),
        Err(taxa::eval::EvalError::Data(e)) => e
            .file_errors
            .iter()
            .map(|e| e.to_string())
            .chain(e.errors.iter().map(|e| e.to_string()))
            .collect(),
        Err(e) => panic!("not a data error: {e:?}"),
    }
}

#[test]
fn a_missing_mapped_header_names_the_header_the_field_and_the_nearest() {
    let visits = swedish(&standard("visits.csv"), &VISIT_HEADERS)
        .replacen("Starttid", "Start tid", 1)
        .replacen("Planerad tid", "planerad Tid", 1);
    let errors = data_error(
        &swedish_rules(),
        &[
            ("visits.csv", visits),
            (
                "customers.csv",
                swedish(&standard("customers.csv"), &CUSTOMER_HEADERS),
            ),
        ],
    );
    assert_eq!(
        errors,
        [
            "visits.csv:1: has no column 'Starttid' (start, as the rule file maps it); nearest: 'Start tid'",
            "visits.csv:1: has no column 'Planerad tid' (planerad_tid, as the rule file maps it); nearest: 'planerad Tid'",
        ]
    );
}

#[test]
fn cell_errors_name_the_header_as_the_file_writes_it() {
    let visits = swedish(&standard("visits.csv"), &VISIT_HEADERS);
    let mut lines: Vec<String> = visits.lines().map(String::from).collect();
    // V01: a bad start and a bad planned time.
    lines[1] = lines[1]
        .replacen("2025-03-03T08:00", "igår", 1)
        .replacen(";60", ";sextio", 1);
    let visits = lines.join("\n") + "\n";
    let errors = data_error(
        &swedish_rules(),
        &[
            ("visits.csv", visits),
            (
                "customers.csv",
                swedish(&standard("customers.csv"), &CUSTOMER_HEADERS),
            ),
        ],
    );
    let joined = errors.join("\n");
    assert!(joined.contains("Starttid"), "{joined}");
    assert!(joined.contains("Planerad tid"), "{joined}");
    assert!(
        !joined.contains("planerad_tid") && !joined.contains("(start)"),
        "{joined}"
    );
}

fn check_errors(rules: &str) -> String {
    let src = format!(
        "avtal \"Prov\" gäller 2025-01-01 till 2025-12-31\nkod staff: omsorg\n{rules}\
         moment T1 \"x\" för besök betala tid × 1 kr/h\n"
    );
    match load(&src, "prov.taxa") {
        Ok(_) => String::new(),
        Err(e) => match e.kind {
            LoadErrorKind::Check(e) => e
                .iter()
                .map(|e| format!("{} {}\n", e.kind.code(), e.message))
                .collect(),
            other => panic!("{other:?}"),
        },
    }
}

#[test]
fn the_checker_refuses_unknown_columns_and_double_mappings() {
    assert_eq!(
        check_errors("rubriker i besök: start = \"Starttid\", end = \"Sluttid\"\n"),
        ""
    );
    let e = check_errors("rubriker i besök: strat = \"Starttid\"\n");
    assert!(
        e.starts_with("taxa::unknown_name `strat` is not a column of visits.csv"),
        "{e}"
    );
    let e = check_errors("rubriker i kunder: zone = \"Zon\", zone = \"Område\"\n");
    assert!(
        e.starts_with("taxa::duplicate_name the header of `zone` is given twice"),
        "{e}"
    );
    let e = check_errors(
        "rubriker i besök: start = \"Tid\"\nfält planerad i besök, kolumn \"Tid\": tal min, tomt = inget\n",
    );
    assert!(
        e.starts_with(
            "taxa::duplicate_name `planerad` and `start` are both mapped to the header \"Tid\""
        ),
        "{e}"
    );
    // One header per file: the same header in two files is two columns.
    assert_eq!(
        check_errors(
            "rubriker i besök: customer = \"Kund-ID\"\nrubriker i kunder: customer = \"Kund-ID\"\n"
        ),
        ""
    );
    let e = check_errors("rubriker i kund: customer = \"Kund-ID\"\n");
    assert!(
        e.starts_with("taxa::unknown_name `kund` is not a data file"),
        "{e}"
    );
}
