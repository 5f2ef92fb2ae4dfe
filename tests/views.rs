//! One run, many views: the CSV view of every bundled example holds the
//! same lines, amounts and not-paid rows as its JSON, in both dialects, and
//! a cell from the data that a spreadsheet would run as a formula is text.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const EXAMPLES: &[(&str, &str)] = &[
    ("examples/norrtalje-2025", "rules/norrtalje-2025.taxa"),
    ("examples/norrtalje-2024", "rules/norrtalje-2024.taxa"),
    ("examples/osteraker-tid", "rules/osteraker-tid.taxa"),
    ("examples/osteraker-insats", "rules/osteraker-insats.taxa"),
    ("examples/orebro-niva", "rules/orebro-nivå.taxa"),
    ("examples/skr-norm", "rules/skr-norm.taxa"),
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
    ("examples/stockholm-2024", "rules/stockholm-2024.taxa"),
];

fn pay(rules: &str, data: &Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(["pay", rules, "--data"])
        .arg(data)
        .args(extra)
        .output()
        .expect("taxa runs");
    assert!(
        out.status.success(),
        "{rules}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// RFC 4180 records (quotes doubled inside quoted cells), `sep` between
/// cells; a record ends at a line end outside quotes.
fn records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => row.push(std::mem::take(&mut cell)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut cell));
                out.push(std::mem::take(&mut row));
            }
            c => cell.push(c),
        }
    }
    out
}

fn field<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = header.iter().position(|h| h == name).expect("a column");
    &row[i]
}

#[test]
fn csv_holds_every_line_and_not_paid_row_of_the_json() {
    for (data, rules) in EXAMPLES {
        let data = Path::new(data);
        let json: Value = serde_json::from_str(&pay(rules, data, &["--format", "json"])).unwrap();
        let lines: Vec<(String, String, String, String)> = json["statements"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| {
                s["lines"].as_array().unwrap().iter().map(move |l| {
                    (
                        s["provider"].as_str().unwrap().to_string(),
                        s["period"].as_str().unwrap().to_string(),
                        l["term"].as_str().unwrap().to_string(),
                        l["amount"].as_str().unwrap().to_string(),
                    )
                })
            })
            .collect();
        for (dialect, sep) in [("csv", ','), ("excel", ';')] {
            let args: &[&str] = if dialect == "excel" {
                &["--excel"]
            } else {
                &["--format", "csv"]
            };
            let text = pay(rules, data, args);
            let text = if dialect == "excel" {
                assert!(text.starts_with('\u{feff}'), "{rules}: a BOM");
                assert!(text.contains("\r\n"), "{rules}: CRLF");
                &text['\u{feff}'.len_utf8()..]
            } else {
                &text[..]
            };
            let recs = records(text, sep);
            let header = &recs[0];
            assert_eq!(header[0], "record");
            let csv_lines: Vec<(String, String, String, String)> = recs[1..]
                .iter()
                .filter(|r| r[0] == "line")
                .map(|r| {
                    let amount = field(header, r, "amount").replace(',', ".");
                    (
                        field(header, r, "provider").to_string(),
                        field(header, r, "period").to_string(),
                        field(header, r, "term").to_string(),
                        amount,
                    )
                })
                .collect();
            assert_eq!(csv_lines, lines, "{rules} {dialect}");
            let count = |kind: &str| recs.iter().filter(|r| r[0] == kind).count();
            assert_eq!(
                count("not_paid"),
                json["not_paid"].as_array().unwrap().len(),
                "{rules} {dialect}"
            );
            assert_eq!(
                count("not_paid_part"),
                json["not_paid_parts"].as_array().unwrap().len(),
                "{rules} {dialect}"
            );
            assert!(
                recs.iter().all(|r| r.len() == header.len()),
                "{rules}: every record has every column"
            );
        }
    }
}

/// Ids and names from the data that begin like a formula are written with a
/// leading `'`, so a spreadsheet shows them as text.
#[test]
fn a_cell_from_the_data_that_looks_like_a_formula_is_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["visits.csv", "customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    let replace = |file: &str, from: &str, to: &str| {
        let p = dir.path().join(file);
        let t = std::fs::read_to_string(&p).unwrap().replace(from, to);
        std::fs::write(p, t).unwrap();
    };
    replace(
        "providers.csv",
        "Omsorg Nord AB",
        "=HYPERLINK(\"http://x\";\"klicka\")",
    );
    replace("visits.csv", "V1001,", "+V1001,");
    replace("events.csv", "E11,", "@E11,");
    replace("customers.csv", "C4,", "-C4,");
    replace("visits.csv", ",C4,", ",-C4,");
    replace("events.csv", ",C4,", ",-C4,");
    for (args, sep) in [(&["--format", "csv"][..], ','), (&["--excel"][..], ';')] {
        let text = pay("rules/norrtalje-2025.taxa", dir.path(), args);
        let recs = records(text.trim_start_matches('\u{feff}'), sep);
        let cells: Vec<&String> = recs.iter().flatten().collect();
        for bad in ["=", "+", "-", "@"] {
            assert!(
                !cells.iter().any(|c| c.starts_with(bad)
                    && c.replace(',', ".")
                        .parse::<rust_decimal::Decimal>()
                        .is_err()),
                "a text cell starts with {bad}: {:?}",
                cells.iter().find(|c| c.starts_with(bad))
            );
        }
        assert!(
            cells
                .iter()
                .any(|c| c.as_str() == "'=HYPERLINK(\"http://x\";\"klicka\")")
        );
        assert!(cells.iter().any(|c| c.starts_with("'-C4")));
        // Negative amounts stay numbers.
        assert!(
            cells
                .iter()
                .any(|c| c.as_str() == "-2814.29" || c.as_str() == "-2814,29")
        );
    }
}
