//! The command line: diagnostics as rendered, exit codes, atomic output.

use std::path::Path;
use std::process::{Command, Output};

fn taxa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("taxa runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes the 2025 rule file with one text replaced, and checks it.
fn check_variant(dir: &Path, from: &str, to: &str) -> Output {
    let src = std::fs::read_to_string("rules/norrtalje-2025.taxa").unwrap();
    assert!(src.contains(from), "fixture text not found: {from}");
    let path = dir.join("variant.taxa");
    std::fs::write(&path, src.replacen(from, to, 1)).unwrap();
    taxa(&["check", path.to_str().unwrap()])
}

#[test]
fn bundled_rules_check_clean() {
    let o = taxa(&[
        "check",
        "rules/norrtalje-2025.taxa",
        "rules/norrtalje-2024.taxa",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Norrtälje 2025"));
}

#[test]
fn syntax_error_points_at_the_offending_word() {
    let tmp = tempfile::tempdir().unwrap();
    let o = check_variant(
        tmp.path(),
        "gäller 2025-01-01 till",
        "gäller 2025-01-01 tills",
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("taxa::syntax"), "{e}");
    assert!(e.contains("expected `till`"), "{e}");
    // Line 11, at the word after the first date (miette counts columns in bytes).
    assert!(e.contains("variant.taxa:11:44"), "{e}");
    assert!(e.contains("──┬──"), "the underline covers `tills`: {e}");
}

#[test]
fn unknown_name_suggests_the_near_miss() {
    let tmp = tempfile::tempdir().unwrap();
    let o = check_variant(
        tmp.path(),
        "för besök där staff = sjuksköterska",
        "för besök där staff = sjukskötersk",
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("taxa::unknown_name"), "{e}");
    assert!(
        e.contains("`sjukskötersk` is not a declared `staff` code"),
        "{e}"
    );
    assert!(e.contains("did you mean `sjuksköterska`?"), "{e}");
    assert!(e.contains("variant.taxa:71:30"), "{e}");
}

#[test]
fn unit_mismatch_shows_both_units() {
    let tmp = tempfile::tempdir().unwrap();
    let o = check_variant(tmp.path(), "betald_tid × 45 kr/h", "betald_tid × 45 kr");
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("taxa::unit_mismatch"), "{e}");
    assert!(e.contains("this pays h × kr = kr·h, not kr"), "{e}");
    assert!(e.contains("the price must be in kr/h"), "{e}");

    let o = check_variant(
        tmp.path(),
        "högst 13 % × summa T1",
        "högst 13 % × summa T1 + 2 h",
    );
    let e = stderr(&o);
    assert!(e.contains("cannot add kr and h"), "{e}");
}

#[test]
fn every_error_of_a_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string("rules/norrtalje-2025.taxa")
        .unwrap()
        .replace(
            "omsorg_timpris[zone]\n    rad",
            "omsorgs_timpris[zone]\n    rad",
        )
        .replace("× 750 kr/st", "× 750 kr/h");
    let path = tmp.path().join("many.taxa");
    std::fs::write(&path, src).unwrap();
    let o = taxa(&["check", path.to_str().unwrap()]);
    let e = stderr(&o);
    assert!(e.contains("many.taxa: 3 errors"), "{e}");
}

#[test]
fn incomplete_rate_table_lists_the_missing_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let o = check_variant(
        tmp.path(),
        "kod zone: tätort, landsbygd, skärgård",
        "kod zone: tätort, landsbygd, skärgård, glesbygd",
    );
    let e = stderr(&o);
    assert!(e.contains("taxa::table"), "{e}");
    assert!(
        e.contains("the table has no value for zone `glesbygd`"),
        "{e}"
    );
}

#[test]
fn pay_writes_nothing_when_data_cannot_be_read() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["visits.csv", "customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            tmp.path().join(f),
        )
        .unwrap();
    }
    let visits = tmp.path().join("visits.csv");
    let text = std::fs::read_to_string(&visits).unwrap().replacen(
        "2025-03-05T08:00",
        "2025-03-5T08:00",
        1,
    );
    std::fs::write(&visits, text).unwrap();
    let out = tmp.path().join("out.json");
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("visits.csv"), "{}", stderr(&o));
    assert!(stderr(&o).contains("2025-03-5T08:00"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing is written on a data error");
}

#[test]
fn pay_out_writes_json_and_period_narrows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.json");
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-04",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let periods: Vec<&str> = run["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["period"].as_str().unwrap())
        .collect();
    assert!(!periods.is_empty());
    assert!(periods.iter().all(|p| *p == "2025-04"), "{periods:?}");
    assert_eq!(run["contract"]["valid_from"], "2025-01-01");
}

#[test]
fn bad_period_is_a_usage_error() {
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-13",
    ]);
    assert_eq!(o.status.code(), Some(3));
}
