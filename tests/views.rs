//! One run, many views: the CSV view of every bundled example holds the
//! same lines, amounts and not-paid rows as its JSON, in both dialects, and
//! a cell from the data that a spreadsheet would run as a formula is text;
//! text, JSON, CSV and HTML show the same line amounts and totals.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::EXAMPLES;

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

/// `5 103,00 kr` (the text view's) as `5103.00`.
fn canonical(swedish: &str) -> String {
    swedish
        .trim()
        .trim_end_matches(" kr")
        .replace([' ', '\u{a0}'], "")
        .replace(',', ".")
}

/// The values of `attr="…"` in the page, in order.
fn attributes(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    html.split(&pat)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// Text, JSON, CSV and HTML of one run show the same line amounts and
/// statement totals, in the same order, for every example.
#[test]
fn text_json_csv_and_html_show_the_same_amounts_and_totals() {
    for (data, rules) in EXAMPLES {
        let data = Path::new(data);
        let json: Value = serde_json::from_str(&pay(rules, data, &["--format", "json"])).unwrap();
        let statements = json["statements"].as_array().unwrap();
        let totals: Vec<String> = statements
            .iter()
            .map(|s| s["total"].as_str().unwrap().to_string())
            .collect();
        let amounts: Vec<String> = statements
            .iter()
            .flat_map(|s| s["lines"].as_array().unwrap().iter())
            .map(|l| l["amount"].as_str().unwrap().to_string())
            .collect();
        assert!(!amounts.is_empty(), "{rules}: lines to compare");

        let html = pay(rules, data, &["--format", "html"]);
        assert_eq!(
            attributes(&html, "data-total"),
            totals,
            "{rules} html totals"
        );
        assert_eq!(
            attributes(&html, "data-amount"),
            amounts,
            "{rules} html amounts"
        );

        // The text view: a line's figures end `= AMOUNT kr   FILE:LINE:COL`;
        // a statement's total is its `Summa` row.
        let text = pay(rules, data, &["--format", "text"]);
        let text_amounts: Vec<String> = text
            .lines()
            .filter(|l| l.contains(" × ") && l.contains(" kr   "))
            .filter_map(|l| {
                let (figures, _) = l.rsplit_once(" kr   ")?;
                Some(canonical(figures.rsplit_once("= ")?.1))
            })
            .collect();
        assert_eq!(text_amounts, amounts, "{rules} text amounts");
        let text_totals: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  Summa"))
            .map(canonical)
            .collect();
        assert_eq!(text_totals, totals, "{rules} text totals");

        let csv = pay(rules, data, &["--format", "csv"]);
        let recs = records(&csv, ',');
        let header = &recs[0];
        let csv_amounts: Vec<String> = recs[1..]
            .iter()
            .filter(|r| r[0] == "line")
            .map(|r| field(header, r, "amount").to_string())
            .collect();
        assert_eq!(csv_amounts, amounts, "{rules} csv amounts");
        // The CSV has no total record: its lines of a statement sum to it.
        let csv_totals: Vec<String> = statements
            .iter()
            .map(|s| {
                let total: rust_decimal::Decimal = recs[1..]
                    .iter()
                    .filter(|r| {
                        r[0] == "line"
                            && field(header, r, "provider") == s["provider"].as_str().unwrap()
                            && field(header, r, "period") == s["period"].as_str().unwrap()
                    })
                    .map(|r| {
                        field(header, r, "amount")
                            .parse::<rust_decimal::Decimal>()
                            .unwrap()
                    })
                    .sum();
                format!("{total:.2}")
            })
            .collect();
        assert_eq!(csv_totals, totals, "{rules} csv totals");
    }
}
