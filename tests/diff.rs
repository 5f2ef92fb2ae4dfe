//! `taxa diff`: two versions of a rule file compared by what they say
//! (terms, rates, clauses, validity) and, with data, by what each provider
//! is paid under each.

use std::process::{Command, Output};

use serde_json::Value;

fn taxa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(args)
        .output()
        .expect("taxa runs")
}

fn json(args: &[&str]) -> (Value, i32) {
    let out = taxa(args);
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text}\n{}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

fn changes<'a>(v: &'a Value, subject: &str, name: &str) -> Vec<&'a Value> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["subject"] == subject && c["name"] == name)
        .collect()
}

#[test]
fn a_file_against_itself_with_other_comments_and_layout_is_equivalent() {
    let src = std::fs::read_to_string("rules/norrtalje-2025.taxa").unwrap();
    // Comments gone, indentation in tabs, a blank line after each line.
    let relaid: String = src
        .lines()
        .map(|l| {
            let code = l.split(" #").next().unwrap();
            let code = if code.starts_with('#') { "" } else { code };
            format!("\t{}\n", code.trim_start())
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("omskriven.taxa");
    std::fs::write(&other, relaid).unwrap();
    let out = taxa(&["diff", "rules/norrtalje-2025.taxa", other.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Villkoren är likvärdiga"), "{text}");
}

#[test]
fn next_years_file_shows_each_rate_with_its_change_and_the_terms_that_use_it() {
    let (v, code) = json(&[
        "diff",
        "rules/norrtalje-2024.taxa",
        "rules/norrtalje-2025.taxa",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "the versions differ");
    assert_eq!(v["equivalent"], false);
    let rate = changes(&v, "rate", "omsorg_timpris[tätort]");
    assert_eq!(rate.len(), 1);
    let r = &rate[0]["rate"];
    assert_eq!(r["old"], "476");
    assert_eq!(r["new"], "486");
    assert_eq!(r["delta"], "10");
    assert_eq!(r["percent"], "2.10");
    assert_eq!(r["used_by"], serde_json::json!(["T1", "T2", "T4"]));
    assert_eq!(rate[0]["old"]["source"], "rules/norrtalje-2024.taxa:38:29");
    assert_eq!(rate[0]["new"]["source"], "rules/norrtalje-2025.taxa:37:29");
    // A rate only the new file has.
    let added = changes(&v, "rate", "listningsavgift[skärgård]");
    assert_eq!(added[0]["change"], "added");
    assert_eq!(added[0]["new"]["text"], "2989 kr/mån");
    // T7's price clause, both texts.
    let t7 = changes(&v, "term", "T7");
    assert_eq!(t7.len(), 1, "{t7:?}");
    assert_eq!(t7[0]["clause"], "betala");
    assert_eq!(t7[0]["old"]["text"], "betala dagsandel × 2075 kr/mån");
    assert_eq!(
        t7[0]["new"]["text"],
        "betala dagsandel × listningsavgift[zone]"
    );
    // The 2024 allocations are gone; the validity moved.
    assert_eq!(
        changes(&v, "term", "stimulans-juni")[0]["change"],
        "removed"
    );
    let validity: Vec<&Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["subject"] == "validity")
        .collect();
    assert_eq!(validity[0]["old"]["text"], "2024-02-01 till 2024-12-31");
    assert_eq!(validity[0]["new"]["text"], "2025-01-01 till 2025-12-31");
    // Terms that say the same are not listed.
    assert!(changes(&v, "term", "T1").is_empty());
}

#[test]
fn every_kind_of_clause_change_is_keyed_by_term_and_clause() {
    let base = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg, rehab
kod status: utförd, bom
moment A "Hemtjänst"
    för besök där staff = omsorg
    kräver status = utförd annars "bomtid ersätts inte"
    fönster 07:00 till 22:00 annars "utanför tiden"
    betala betald_tid × 400 kr/h
moment B "Rehab"
    för besök där staff = rehab
    betala betald_tid × 900 kr/h
tak C "Tak" över A högst 1000 kr
"#;
    let next = base
        .replace("fönster 07:00 till 22:00", "fönster 06:00 till 22:00")
        .replace(
            "kräver status = utförd annars \"bomtid ersätts inte\"\n",
            "",
        )
        .replace("högst 1000 kr", "högst 1200 kr")
        .replace("moment B \"Rehab\"", "moment D \"Rehab\"")
        .replace(
            "betala betald_tid × 400 kr/h",
            "betala betald_tid × 400 kr/h\n    rad per zone",
        );
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.taxa"), dir.path().join("b.taxa"));
    std::fs::write(&a, base).unwrap();
    std::fs::write(&b, next).unwrap();
    let (v, code) = json(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let clause = |term: &str, clause: &str| -> String {
        changes(&v, "term", term)
            .iter()
            .find(|c| c["clause"] == clause)
            .map(|c| c["change"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no change of {term} {clause}: {v}"))
    };
    assert_eq!(clause("A", "fönster"), "changed");
    assert_eq!(clause("A", "kräver"), "removed");
    assert_eq!(clause("A", "rad per"), "added");
    assert_eq!(clause("C", "högst"), "changed");
    assert_eq!(changes(&v, "term", "B")[0]["change"], "removed");
    assert_eq!(changes(&v, "term", "D")[0]["change"], "added");
}

#[test]
fn a_file_that_does_not_check_is_not_a_difference() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("fel.taxa");
    std::fs::write(
        &bad,
        "avtal \"x\" gäller 2025-01-01 till 2025-12-31\nmoment T \"x\"\n",
    )
    .unwrap();
    let out = taxa(&["diff", "rules/norrtalje-2025.taxa", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
}

/// The payout of each version on the same month: the new version's side is
/// the month's statements under it (as `taxa pay` prints them), and a rate
/// change shows in the terms that use it.
#[test]
fn the_payout_on_the_same_month_is_each_versions_statements_summed() {
    let (v, _) = json(&[
        "diff",
        "rules/norrtalje-2024.taxa",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-03",
        "--format",
        "json",
    ]);
    let (pay, code) = json(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-03",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let p = &v["payout"];
    assert_eq!(p["periods"], serde_json::json!(["2025-03"]));
    let statements = pay["statements"].as_array().unwrap();
    let providers = p["providers"].as_array().unwrap();
    assert_eq!(providers.len(), statements.len());
    let mut total = rust_decimal::Decimal::ZERO;
    for (pr, st) in providers.iter().zip(statements) {
        assert_eq!(pr["provider"], st["provider"]);
        assert_eq!(pr["new"], st["total"], "{pr}");
        total += st["total"]
            .as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap();
        // Each term's new amount is the sum of its lines in the statement.
        for t in pr["terms"].as_array().unwrap() {
            let lines: rust_decimal::Decimal = st["lines"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["term"] == t["term"])
                .map(|l| {
                    l["amount"]
                        .as_str()
                        .unwrap()
                        .parse::<rust_decimal::Decimal>()
                        .unwrap()
                })
                .sum();
            assert_eq!(t["new"].as_str().unwrap(), format!("{lines:.2}"), "{t}");
        }
    }
    assert_eq!(p["new"].as_str().unwrap(), format!("{total:.2}"));
    // P1's one rehab hour in skärgård: 1 236 kr in 2024, 1 492 kr in 2025.
    let p1 = providers.iter().find(|p| p["provider"] == "P1").unwrap();
    let t6 = p1["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == "T6")
        .unwrap();
    assert_eq!(
        (t6["old"].as_str(), t6["new"].as_str()),
        (Some("1236.00"), Some("1492.00"))
    );
    assert_eq!(t6["delta"], "256.00");
    assert_eq!(t6["percent"], "20.71");
}

#[test]
fn the_html_report_is_one_self_contained_page_with_escaped_text() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string("rules/norrtalje-2025.taxa")
        .unwrap()
        .replace(
            "\"Hemtjänst, utförd tid\"",
            "\"<script>alert(1)</script> & tid\"",
        );
    let b = dir.path().join("b.taxa");
    std::fs::write(&b, src).unwrap();
    let out = taxa(&[
        "diff",
        "rules/norrtalje-2025.taxa",
        b.to_str().unwrap(),
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-03",
        "--format",
        "html",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "a label's markup is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; tid"));
    assert_eq!(html.matches("<svg").count(), 2, "two charts");
    for external in ["src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "no external resource: {external}");
    }
}
