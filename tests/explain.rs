//! `taxa explain`: the rows behind every line add up to the line, and a row
//! names the lines it fed or why it was not paid.

use std::path::Path;
use std::process::Command;

use taxa::check::load_file;
use taxa::data::DataDir;
use taxa::eval::trace::{Row, TraceScope};
use taxa::eval::{Options, Period, Working, pay_with};
use taxa::explain::{Body, Query, explain};

mod common;
use common::EXAMPLES;

/// For every line of every statement of every example: the rows behind it
/// sum exactly to the line's quantity before rounding.
#[test]
fn the_rows_behind_every_line_sum_to_its_quantity() {
    let mut lines = 0;
    for (data, rules) in EXAMPLES {
        let contract = load_file(Path::new(rules)).unwrap().contract;
        let dir = DataDir::new(data);
        let whole = pay_with(std::slice::from_ref(&contract), &dir, &Options::default()).unwrap();
        for s in &whole.statements {
            let opts = Options {
                period: Some(Period {
                    from: s.period,
                    to: s.period,
                }),
                trace: Some(TraceScope {
                    provider: Some(s.provider.clone()),
                    period: Some(s.period),
                }),
                ..Options::default()
            };
            let run = pay_with(std::slice::from_ref(&contract), &dir, &opts).unwrap();
            for (i, line) in s.lines.iter().enumerate() {
                let Working::Product { quantity, .. } = &line.working else {
                    continue;
                };
                let e = explain(&run, &s.provider, s.period, &Query::Line(i + 1)).unwrap();
                let Body::Lines(l) = &e.body else {
                    panic!("a line query explains lines")
                };
                assert_eq!(&l[0].line, line, "{rules}: the same line as the run's");
                assert!(
                    !l[0].rows.is_empty(),
                    "{rules} {} line {}: no rows",
                    s.provider,
                    i + 1
                );
                assert_eq!(
                    &l[0].sum,
                    quantity,
                    "{rules} {} {} line {} ({}): rows {:?}",
                    s.provider,
                    s.period,
                    i + 1,
                    line.term,
                    l[0].rows
                );
                lines += 1;
            }
        }
    }
    assert!(
        lines > 100,
        "every example's lines were looked at ({lines})"
    );
}

/// A run traced over every provider-month (what the HTML statement reads)
/// holds, for each line of each statement, the same rows as a run traced
/// for that provider-month alone, and they sum to the line's quantity.
#[test]
fn tracing_every_provider_month_gives_each_line_its_own_rows() {
    let mut lines = 0;
    for (data, rules) in EXAMPLES {
        let contract = load_file(Path::new(rules)).unwrap().contract;
        let dir = DataDir::new(data);
        let all = Options {
            trace: Some(TraceScope::default()),
            ..Options::default()
        };
        let run = pay_with(std::slice::from_ref(&contract), &dir, &all).unwrap();
        for s in &run.statements {
            let one = Options {
                trace: Some(TraceScope {
                    provider: Some(s.provider.clone()),
                    period: Some(s.period),
                }),
                ..Options::default()
            };
            let alone = pay_with(std::slice::from_ref(&contract), &dir, &one).unwrap();
            assert!(
                alone
                    .contributions
                    .iter()
                    .all(|c| *c.provider == *s.provider && c.period == s.period),
                "{rules}: a scoped trace holds only its provider-month"
            );
            for line in &s.lines {
                let rows = |r: &taxa::eval::PayRun| -> Vec<_> {
                    r.contributions
                        .iter()
                        .filter(|c| taxa::explain::same_key(c, s, line))
                        .cloned()
                        .collect()
                };
                let mine = rows(&run);
                assert_eq!(mine, rows(&alone), "{rules} {} {}", s.provider, line.term);
                if let Working::Product { quantity, .. } = &line.working {
                    let sum = mine
                        .iter()
                        .fold(taxa::check::Exact::from_integer(0), |a, c| a + c.quantity);
                    assert_eq!(&sum, quantity, "{rules} {} {}", s.provider, line.term);
                    lines += 1;
                }
            }
        }
    }
    assert!(
        lines > 100,
        "every example's lines were looked at ({lines})"
    );
}

fn explain_cli(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args([
            "explain",
            "rules/norrtalje-2025.taxa",
            "--data",
            "examples/norrtalje-2025",
        ])
        .args(["--provider", "P1", "--period", "2025-03"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.code().unwrap())
}

#[test]
fn a_visit_names_the_lines_it_fed_and_a_refused_row_its_reason() {
    let (text, code) = explain_cli(&["--visit", "V01"]);
    assert_eq!(code, 0, "{text}");
    // 1.5 h of T1 at 486 kr/h, and the T3 supplement at 45 kr/h.
    assert!(
        text.contains("rad 1: T1 Hemtjänst, utförd tid — 1,5 h = 729 kr före avrundning"),
        "{text}"
    );
    assert!(text.contains("T3"), "{text}");
    let (text, code) = explain_cli(&["--event", "E11"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("ej ersatt: över antalsgränsen   (rules/norrtalje-2025.taxa:114:5)"),
        "{text}"
    );
    // An engine check names the values that decided it.
    let (text, _) = explain_cli(&["--visit", "V12"]);
    assert!(
        text.contains("ej ersatt: annan utförare än kundens"),
        "{text}"
    );
    assert!(
        text.contains("avgjordes av: kunden C3 har utföraren P2 den 2025-03-17"),
        "{text}"
    );
    let (text, _) = explain_cli(&["--visit", "V17", "--lang", "en"]);
    assert!(
        text.contains("no row of customers.csv for customer C99 covers 2025-03-08"),
        "{text}"
    );
    // A rule's condition: the fields it read, with the visit's values.
    let (text, _) = explain_cli(&["--visit", "V06"]);
    assert!(text.contains("ej ersatt: bomtid ersätts inte"), "{text}");
    assert!(text.contains("avgjordes av: status = bom"), "{text}");
    let (text, _) = explain_cli(&["--visit", "V16"]);
    assert!(
        text.contains("avgjordes av: datum = 2025-03-21, hsl_from = tomt, hsl_to = tomt"),
        "{text}"
    );
    // Another provider's visit is not explained to P1.
    let (json, _) = explain_cli(&["--customer", "C8", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["row"]["kind"], "customer");
    let shares = v["row"]["shares"].as_array().unwrap();
    assert!(
        shares
            .iter()
            .any(|s| s["term"] == "T7" && s["row"]["kind"] == "customer_days")
    );
    let (text, code) = explain_cli(&["--line", "99"]);
    assert_eq!(code, 3);
    assert!(text.contains("there is no line 99"), "{text}");
}

#[test]
fn a_customer_replaced_by_another_term_is_a_negative_row() {
    let contract = load_file(Path::new("rules/orebro-nivå.taxa"))
        .unwrap()
        .contract;
    let dir = DataDir::new("examples/orebro-niva");
    let whole = pay_with(std::slice::from_ref(&contract), &dir, &Options::default()).unwrap();
    let s = whole
        .statements
        .iter()
        .find(|s| s.lines.iter().any(|l| !l.details.is_empty()))
        .expect("an Örebro statement replaces a customer");
    let opts = Options {
        trace: Some(TraceScope {
            provider: Some(s.provider.clone()),
            period: Some(s.period),
        }),
        ..Options::default()
    };
    let run = pay_with(std::slice::from_ref(&contract), &dir, &opts).unwrap();
    assert!(
        run.contributions
            .iter()
            .any(|c| matches!(c.row, Row::Replaced { .. }) && c.quantity < 0.into()),
        "{:?}",
        run.contributions
    );
}

/// A supplement names the lines it was computed from: the lines of the
/// terms it sums, whose amounts add up to its base.
#[test]
fn a_supplement_names_the_lines_it_sums() {
    let contract = load_file(Path::new("rules/osteraker-insats.taxa"))
        .unwrap()
        .contract;
    let dir = DataDir::new("examples/osteraker-insats");
    let run = pay_with(std::slice::from_ref(&contract), &dir, &Options::default()).unwrap();
    let s = run
        .statements
        .iter()
        .find(|s| s.lines.iter().any(|l| l.term == "MOMS"))
        .expect("a private provider's statement");
    let n = s.lines.iter().position(|l| l.term == "MOMS").unwrap() + 1;
    let e = explain(&run, &s.provider, s.period, &Query::Line(n)).unwrap();
    let Body::Lines(l) = &e.body else { panic!() };
    let Working::Share { base, .. } = &l[0].line.working else {
        panic!("a supplement's working is a share")
    };
    assert!(!l[0].from_lines.is_empty());
    let sum: rust_decimal::Decimal = l[0].from_lines.iter().map(|i| s.lines[i - 1].amount).sum();
    assert_eq!(taxa::eval::round::exact_of(sum), *base);
}

/// A cap per customer says each customer's share of the cut: performed
/// against bound, and the excesses add up to the line's.
#[test]
fn a_per_customer_cap_gives_each_customers_share_of_the_cut() {
    let contract = load_file(Path::new("rules/osteraker-tid.taxa"))
        .unwrap()
        .contract;
    let dir = DataDir::new("examples/osteraker-tid");
    let run = pay_with(std::slice::from_ref(&contract), &dir, &Options::default()).unwrap();
    let mut seen = 0;
    for line in run.statements.iter().flat_map(|s| &s.lines) {
        let Working::CapPerCustomer {
            excess, customers, ..
        } = &line.working
        else {
            continue;
        };
        assert!(!customers.is_empty());
        let sum = customers
            .iter()
            .fold(taxa::check::Exact::from_integer(0), |a, c| a + c.excess);
        assert_eq!(&sum, excess, "{}", line.term);
        assert!(customers.iter().all(|c| c.performed - c.bound == c.excess));
        seen += 1;
    }
    assert!(seen > 0, "the example has a per-customer cap line");
}

/// An allocation names the customers it counted for the provider.
#[test]
fn an_allocation_names_the_customers_it_counted() {
    let contract = load_file(Path::new("rules/norrtalje-2024.taxa"))
        .unwrap()
        .contract;
    let dir = DataDir::new("examples/norrtalje-2024");
    let run = pay_with(std::slice::from_ref(&contract), &dir, &Options::default()).unwrap();
    let mut seen = 0;
    for line in run.statements.iter().flat_map(|s| &s.lines) {
        if let Working::Allocation {
            count, customers, ..
        } = &line.working
        {
            assert_eq!(customers.len() as u64, *count, "{}", line.term);
            seen += 1;
        }
    }
    assert!(seen > 0);
}

/// `explain --format html`: the line with its rows and their sum as a page;
/// a visit's account in the page, escaped.
#[test]
fn an_explanation_as_a_page() {
    let (page, code) = explain_cli(&["--line", "1", "--format", "html"]);
    assert_eq!(code, 0, "{page}");
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("data-amount=\"5103.00\""), "{page}");
    assert!(page.contains("<td>besök V01 (kund C1)</td>"), "{page}");
    assert!(
        page.contains("<td class=\"n\">10,5</td>"),
        "the rows' sum: {page}"
    );
    let (page, code) = explain_cli(&["--visit", "V01", "--format", "html"]);
    assert_eq!(code, 0, "{page}");
    assert!(
        page.contains("<pre>") && page.contains("rad 1: T1"),
        "{page}"
    );
}

/// Two versions that share a month (a change on the 16th) both have a T1
/// line per zone in March: each line has its own version's rows, which sum
/// to it, and the page shows them so.
#[test]
fn a_month_two_versions_share_gives_each_versions_line_its_rows() {
    let text = std::fs::read_to_string("rules/norrtalje-2025.taxa").unwrap();
    let whole = "gäller 2025-01-01 till 2025-12-31";
    assert!(text.contains(whole));
    let a = taxa::check::load(
        &text.replace(whole, "gäller 2025-01-01 till 2025-03-15"),
        "a.taxa",
    )
    .unwrap();
    let b = taxa::check::load(
        &text.replace(whole, "gäller 2025-03-16 till 2025-12-31"),
        "b.taxa",
    )
    .unwrap();
    let opts = Options {
        period: Some(Period::parse("2025-03").unwrap()),
        lenient: true,
        trace: Some(TraceScope::default()),
    };
    let run = pay_with(&[a, b], &DataDir::new("examples/norrtalje-2025"), &opts).unwrap();
    let mut both = 0;
    for s in &run.statements {
        let files: std::collections::BTreeSet<&str> =
            s.lines.iter().map(|l| l.source.file.as_str()).collect();
        if files.len() == 2 {
            both += 1;
        }
        for l in &s.lines {
            let Working::Product { quantity, .. } = &l.working else {
                continue;
            };
            let rows: Vec<_> = run
                .contributions
                .iter()
                .filter(|c| taxa::explain::same_key(c, s, l))
                .collect();
            assert!(!rows.is_empty(), "{} {} {}", s.provider, l.source, l.term);
            let sum = rows
                .iter()
                .fold(taxa::check::Exact::from_integer(0), |a, c| a + c.quantity);
            assert_eq!(&sum, quantity, "{} {} {}", s.provider, l.source, l.term);
        }
    }
    assert!(both > 0, "a statement with lines of both versions");
}
