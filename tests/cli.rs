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

fn json_of(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn versions_pay_each_month_by_the_version_valid_then() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["visits.csv", "customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            tmp.path().join(f),
        )
        .unwrap();
    }
    // A visit before the 2024 version starts: no version covers January 2024.
    let visits = tmp.path().join("visits.csv");
    let mut text = std::fs::read_to_string(&visits).unwrap();
    let header = text.lines().next().unwrap().to_string();
    let cols: Vec<&str> = header.split(',').collect();
    let row: Vec<&str> = cols
        .iter()
        .map(|c| match *c {
            "visit_id" => "V900",
            "provider" => "P1",
            "customer" => "C1",
            "staff" => "omsorg",
            "start" => "2024-01-15T08:00",
            "end" => "2024-01-15T09:00",
            _ => "",
        })
        .collect();
    text.push_str(&row.join(","));
    text.push('\n');
    std::fs::write(&visits, text).unwrap();
    let data = tmp.path().to_str().unwrap();

    let both = json_of(&taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "rules/norrtalje-2024.taxa",
        "--data",
        data,
        "--format",
        "json",
    ]));
    let only_2025 = json_of(&taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        data,
        "--format",
        "json",
    ]));
    let months = |run: &serde_json::Value, prefix: &str| -> Vec<serde_json::Value> {
        run["statements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["period"].as_str().unwrap().starts_with(prefix))
            .cloned()
            .collect()
    };
    // 2025 months are paid exactly as by the 2025 version alone.
    assert_eq!(months(&both, "2025"), months(&only_2025, "2025"));
    // The December 2024 visit and event are paid by the 2024 version, at 2024 rates.
    let dec = months(&both, "2024-12");
    let p1 = dec
        .iter()
        .find(|s| s["provider"] == "P1")
        .expect("P1 is paid for December 2024");
    assert!(
        p1["lines"][0]["source"]
            .as_str()
            .unwrap()
            .starts_with("rules/norrtalje-2024.taxa")
    );
    assert_eq!(p1["lines"][0]["rate"], "476.00");
    assert!(months(&only_2025, "2024").is_empty());
    // January 2024 is covered by no version: reported, and its visit not paid.
    assert_eq!(both["uncovered_months"], serde_json::json!(["2024-01"]));
    let v900: Vec<&serde_json::Value> = both["not_paid"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["id"] == "V900")
        .collect();
    assert_eq!(v900.len(), 1);
    assert_eq!(v900[0]["reason"], "outside validity");
    let r = &both["reconciliation"];
    assert_eq!(
        r["visits_in"].as_u64().unwrap(),
        r["visits_paid"].as_u64().unwrap() + r["visits_not_paid"].as_u64().unwrap()
    );
    assert_eq!(both["versions"].as_array().unwrap().len(), 2);
}

#[test]
fn overlapping_versions_are_a_rule_error() {
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "rules/osteraker-tid.taxa",
        "--data",
        "examples/norrtalje-2025",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("taxa::overlapping_versions"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_bundled_rule_file_checks() {
    let mut files: Vec<String> = std::fs::read_dir("rules")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".taxa"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "{files:?}");
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let o = taxa(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A copy of the 2025 example with two unreadable visit cells and one
/// unreadable customer cell.
fn broken_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["visits.csv", "customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            tmp.path().join(f),
        )
        .unwrap();
    }
    let edit = |f: &str, line: usize, from: &str, to: &str| {
        let p = tmp.path().join(f);
        let text = std::fs::read_to_string(&p).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        assert!(lines[line - 1].contains(from), "{f}:{line} has no {from}");
        lines[line - 1] = lines[line - 1].replacen(from, to, 1);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    };
    edit("visits.csv", 3, "2025-03-05T08:00", "2025-03-5T08:00");
    edit("visits.csv", 5, "omsorg", "omsorgg");
    edit("customers.csv", 4, "tätort", "tatort");
    tmp
}

#[test]
fn data_errors_name_file_line_column_and_text_and_stop_the_run() {
    let tmp = broken_copy();
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(o.stdout.is_empty(), "nothing is printed on a data error");
    assert!(
        e.contains("customers.csv, visits.csv: 3 unreadable values"),
        "{e}"
    );
    assert!(
        e.contains("visits.csv:3:5: start \"2025-03-5T08:00\""),
        "{e}"
    );
    assert!(e.contains("visits.csv:5:4: staff \"omsorgg\""), "{e}");
    assert!(e.contains("customers.csv:4:5: zone \"tatort\""), "{e}");
}

#[test]
fn lenient_lists_unreadable_rows_as_not_paid_and_still_balances() {
    let tmp = broken_copy();
    let run = json_of(&taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        tmp.path().to_str().unwrap(),
        "--lenient",
        "--format",
        "json",
    ]));
    let np = run["not_paid"].as_array().unwrap();
    let find = |id: &str| {
        np.iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    assert_eq!(find("V02")["source"], "visits.csv:3:5");
    assert!(
        find("V02")["reason"]
            .as_str()
            .unwrap()
            .starts_with("unreadable start")
    );
    assert_eq!(find("V04")["kind"], "visit");
    assert_eq!(find("customers.csv:4")["kind"], "customer-row");
    let r = &run["reconciliation"];
    let n = |k: &str| r[k].as_u64().unwrap();
    assert_eq!(n("visits_in"), 45, "every row of visits.csv is counted");
    assert_eq!(n("visits_in"), n("visits_paid") + n("visits_not_paid"));
}

#[test]
fn many_data_errors_are_capped_with_a_count_of_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            tmp.path().join(f),
        )
        .unwrap();
    }
    let mut visits = String::from("visit_id,provider,customer,staff,start,end\n");
    for i in 0..200 {
        visits.push_str(&format!("V{i},P1,C1,omsorg,not-a-date,2025-03-01T09:00\n"));
    }
    std::fs::write(tmp.path().join("visits.csv"), visits).unwrap();
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("visits.csv: 200 unreadable values"), "{e}");
    assert!(
        e.contains("the first 50 are listed, 150 more are not"),
        "{e}"
    );
    assert_eq!(e.matches("not a date-time").count(), 50, "{e}");
}

#[test]
fn the_same_version_twice_overlaps_itself() {
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(e.contains("taxa::overlapping_versions"), "{e}");
    // The label sits on the later file's validity, read from the loaded text.
    assert!(e.contains("rules/norrtalje-2025.taxa:11:33"), "{e}");
    assert!(e.contains("starts before the other version ends"), "{e}");
    assert!(
        e.contains("ends (2025-12-31), or pay them separately"),
        "{e}"
    );
}

#[test]
fn versions_with_different_codes_are_a_rule_error() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string("rules/norrtalje-2024.taxa").unwrap();
    assert!(src.contains("kod status: utförd, bom\n"));
    let path = tmp.path().join("reordered-2024.taxa");
    std::fs::write(
        &path,
        src.replacen("kod status: utförd, bom\n", "kod status: bom, utförd\n", 1),
    )
    .unwrap();
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        path.to_str().unwrap(),
        "--data",
        "examples/norrtalje-2025",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(e.contains("taxa::versions_differ_in_codes"), "{e}");
    assert!(e.contains("declare the same `kod` lines"), "{e}");
}

#[test]
fn an_unreadable_rule_file_is_a_usage_error() {
    for args in [
        &["check", "no/such/rules.taxa"][..],
        &["pay", "rules", "--data", "examples/norrtalje-2025"],
    ] {
        let o = taxa(args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        let e = stderr(&o);
        assert!(
            e.starts_with(&format!("error: cannot read {}: ", args[1])),
            "{e}"
        );
    }
}

#[test]
fn arguments_taxa_cannot_use_are_named_in_its_words() {
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-13",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        stderr(&o),
        "error: --period must be YYYY-MM or YYYY-MM..YYYY-MM (got `2025-13`)\n"
    );
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "rules/norrtalje-2025.taxa",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        stderr(&o),
        "error: --data rules/norrtalje-2025.taxa is not a folder\n"
    );
    // clap's own usage errors keep clap's words and its exit code 2.
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--format",
        "xml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("invalid value 'xml' for '--format <FORMAT>'"),
        "{e}"
    );
    assert!(e.contains("[possible values: text, json]"), "{e}");
}

#[test]
fn warnings_print_and_the_check_passes() {
    let o = taxa(&["check", "tests/diagnostics/unused.taxa"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("taxa::unused"), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("tests/diagnostics/unused.taxa: ok — "),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

/// The library returns diagnostics; only the command line (`src/main.rs`,
/// `src/cli.rs`, `src/cli/`) prints them.
#[test]
fn the_library_prints_nothing() {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs")
                || path == Path::new("src/main.rs")
                || path == Path::new("src/cli.rs")
                || path.starts_with("src/cli")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                // `print!` also matches `eprint!`; `println!` also `eprintln!`.
                let prints = ["print!", "println!", "dbg!", "stdout()", "stderr()"]
                    .iter()
                    .any(|m| line.contains(m));
                if prints {
                    found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(Path::new("src"), &mut found);
    assert!(
        found.is_empty(),
        "the library prints:\n{}",
        found.join("\n")
    );
}
