//! The command line: diagnostics as rendered, exit codes, safe `--out` and
//! write errors.

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
    // Line 7, at the word after the first date (miette counts columns in bytes).
    assert!(e.contains("variant.taxa:7:44"), "{e}");
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
    assert!(e.contains("variant.taxa:83:30"), "{e}");
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
        "högst tak_delegerade × summa T1",
        "högst tak_delegerade × summa T1 + 2 h",
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
    assert_eq!(v900[0]["reason"], "utanför avtalstiden");
    assert_eq!(v900[0]["check"], "outside_validity");
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
    assert_eq!(files.len(), 7, "{files:?}");
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
    let reason = find("V02")["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("värdet `") && reason.ends_with("` i kolumnen start kan inte läsas"),
        "{reason}"
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
    assert!(e.contains("rules/norrtalje-2025.taxa:7:33"), "{e}");
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
    // A range of the right shape, backwards: say so, and how to write it.
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--period",
        "2025-03..2025-01",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        stderr(&o),
        "error: --period 2025-03..2025-01 runs backwards: 2025-03 is after 2025-01; \
         write 2025-01..2025-03\n"
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
    assert!(
        e.contains("[possible values: text, json, csv, html]"),
        "{e}"
    );
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

// `--out` and standard output: the hazards of docs/TESTING.md, "Writing the
// output", one test each.

const RULES: &str = "rules/norrtalje-2025.taxa";
const DATA: &str = "examples/norrtalje-2025";

/// `taxa pay` of the 2025 example with `--out out`.
fn pay_out(out: &Path) -> Output {
    taxa(&["pay", RULES, "--data", DATA, "--out", out.to_str().unwrap()])
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn is_statement(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v["statements"].is_array())
}

/// The 2025 example's four files copied into `dir`.
fn copy_example(dir: &Path) {
    for f in ["visits.csv", "customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(Path::new(DATA).join(f), dir.join(f)).unwrap();
    }
}

/// Main used to write `.NAME.taxa-tmp` without exclusive creation and so
/// followed a symlink planted there, overwriting whatever it pointed to.
#[test]
fn out_does_not_follow_a_symlink_planted_at_a_temporary_name() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let planted = tmp.path().join(".out.json.taxa-tmp");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let out = tmp.path().join("out.json");
    let o = pay_out(&out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_link(&planted).unwrap(), victim);
    assert!(is_statement(&out));
    assert_eq!(
        names(tmp.path()),
        [".out.json.taxa-tmp", "out.json", "victim"],
        "no temporary file is left"
    );
}

#[test]
fn out_onto_a_symlink_writes_its_target_and_keeps_the_link() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("real")).unwrap();
    let target = tmp.path().join("real/statement.json");
    std::fs::write(&target, "old").unwrap();
    let link = tmp.path().join("latest.json");
    std::os::unix::fs::symlink("real/statement.json", &link).unwrap();
    let o = pay_out(&link);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link stays a link");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("real/statement.json")
    );
    assert!(is_statement(&target), "the target is replaced");
    assert_eq!(names(&tmp.path().join("real")), ["statement.json"]);

    // A dangling link: its target is created, as the shell's `>` does.
    let dangling = tmp.path().join("next.json");
    std::os::unix::fs::symlink("real/next.json", &dangling).unwrap();
    let o = pay_out(&dangling);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&dangling).unwrap().is_symlink());
    assert!(is_statement(&tmp.path().join("real/next.json")));
}

/// Main renamed a regular file over `/dev/null`.
#[test]
fn out_dev_null_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let o = pay_out(Path::new("/dev/null"));
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device(), "{meta:?}");
}

#[test]
fn out_replacing_a_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = pay_out(&out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(is_statement(&out));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

/// Judged on the permission bits, so it holds when the tests run as root,
/// who could write the file anyway.
#[test]
fn out_read_only_target_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = pay_out(&out);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("is read-only"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
    assert_eq!(names(tmp.path()), ["out.json"]);
}

#[test]
fn out_a_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let o = pay_out(tmp.path());
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));
    assert!(names(tmp.path()).is_empty());
}

/// Main wrote the statement over `DATA/visits.csv` while reading it, exit
/// 0. The rule file here does not parse: the refusal must come first, before
/// any file is read.
#[test]
fn out_an_input_file_is_refused_before_anything_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    copy_example(&data);
    let broken = tmp.path().join("broken.taxa");
    std::fs::write(&broken, "this is not a contract").unwrap();
    std::fs::hard_link(data.join("customers.csv"), tmp.path().join("hard.csv")).unwrap();
    std::os::unix::fs::symlink("data/providers.csv", tmp.path().join("soft.csv")).unwrap();
    let before: Vec<Vec<u8>> = names(&data)
        .iter()
        .map(|n| std::fs::read(data.join(n)).unwrap())
        .collect();
    let outs = [
        data.join("visits.csv"),
        data.join("./events.csv"),
        tmp.path().join("hard.csv"),
        tmp.path().join("soft.csv"),
        broken.clone(),
    ];
    for out in &outs {
        let o = taxa(&[
            "pay",
            broken.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(3), "{}: {e}", out.display());
        assert!(e.contains("an input of this run"), "{}: {e}", out.display());
        assert!(!e.contains("syntax"), "nothing was read: {e}");
    }
    let after: Vec<Vec<u8>> = names(&data)
        .iter()
        .map(|n| std::fs::read(data.join(n)).unwrap())
        .collect();
    assert!(before == after, "the data files are unchanged");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "this is not a contract"
    );

    // An optional data file that is not there yet: the next run would read
    // the statement as its events.
    std::fs::remove_file(data.join("events.csv")).unwrap();
    let o = taxa(&[
        "pay",
        RULES,
        "--data",
        data.to_str().unwrap(),
        "--out",
        data.join("events.csv").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!data.join("events.csv").exists());
}

/// `/dev/full` fails every write with ENOSPC; main exited 0 with truncated
/// JSON on standard output.
fn to_dev_full(args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(full)
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_on_standard_output_is_an_error() {
    for format in ["json", "text"] {
        let o = to_dev_full(&["pay", RULES, "--data", DATA, "--format", format]);
        assert_eq!(o.status.code(), Some(3), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("error: cannot write standard output: No space left on device"),
            "{format}: {}",
            stderr(&o)
        );
    }
    let o = to_dev_full(&["check", RULES]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: cannot write standard output: No space left on device"),
        "{}",
        stderr(&o)
    );
}

/// A device is written in place, so its error is the write's own.
#[test]
fn a_full_disk_on_out_is_an_error() {
    use std::os::unix::fs::FileTypeExt;
    let o = pay_out(Path::new("/dev/full"));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: cannot write /dev/full: No space left on device"),
        "{}",
        stderr(&o)
    );
    let meta = std::fs::symlink_metadata("/dev/full").unwrap();
    assert!(meta.file_type().is_char_device());
}

/// The example with 3000 visits of an unknown customer added: half a
/// megabyte of JSON, far more than a pipe holds.
fn big_data(dir: &Path) {
    copy_example(dir);
    let mut visits = std::fs::read_to_string(dir.join("visits.csv")).unwrap();
    for i in 0..3000 {
        visits.push_str(&format!(
            "X{i:05},P1,NOBODY,omsorg,2025-03-03T08:00,2025-03-03T09:30,1,dusch,utförd\n"
        ));
    }
    std::fs::write(dir.join("visits.csv"), visits).unwrap();
}

/// `taxa pay … | head -c 10`: the reader leaves early; taxa ends quietly,
/// exit 0, as ripgrep does.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let tmp = tempfile::tempdir().unwrap();
    big_data(tmp.path());
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_taxa"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let data = tmp.path().to_str().unwrap();
    let mut child = spawn(&["pay", RULES, "--data", data, "--format", "json"]);
    let mut head = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(&head, b"{\n  \"contr");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    // Closed before the first write: `check` used println!, which panics.
    let mut child = spawn(&["check", RULES, "rules/norrtalje-2024.taxa"]);
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// A failed run writes nothing: no statement, no temporary file.
#[test]
fn a_failed_run_leaves_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    copy_example(&data);
    std::fs::write(data.join("providers.csv"), "provider\nP1\n\"P2\n").unwrap();
    let outs = tmp.path().join("outs");
    std::fs::create_dir(&outs).unwrap();
    let out = outs.join("out.json");
    let o = taxa(&[
        "pay",
        RULES,
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(names(&outs).is_empty(), "{:?}", names(&outs));

    let broken = tmp.path().join("broken.taxa");
    std::fs::write(&broken, "this is not a contract").unwrap();
    let o = taxa(&[
        "pay",
        broken.to_str().unwrap(),
        "--data",
        DATA,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(names(&outs).is_empty(), "{:?}", names(&outs));
}

/// SIGINT at moments spread over a run: whatever it interrupts, the folder
/// holds no temporary file and either no statement or a whole one. The
/// write is too short to be hit for sure; the handler itself is tested by
/// `cli::output::cleanup::tests` in the binary, which signals a child
/// holding a temporary file.
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    big_data(&data);
    for delay_ms in [0, 5, 10, 20, 30, 40, 60, 80, 120] {
        let outs = tmp.path().join(format!("outs-{delay_ms}"));
        std::fs::create_dir(&outs).unwrap();
        let out = outs.join("out.json");
        let mut child = Command::new(env!("CARGO_BIN_EXE_taxa"))
            .args(["pay", RULES, "--data", data.to_str().unwrap(), "--out"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let left = names(&outs);
        match left.as_slice() {
            [] => assert!(!status.success(), "{delay_ms} ms: {status:?}"),
            [name] if name == "out.json" => assert!(is_statement(&out), "{delay_ms} ms"),
            _ => panic!("{delay_ms} ms: {left:?} ({status:?})"),
        }
    }
}

/// A provider missing from providers.csv was paid with no warning; now the
/// run warns (and still pays it, as the contract does not price by regime).
#[test]
fn a_provider_missing_from_providers_csv_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["customers.csv", "events.csv", "visits.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("providers.csv"),
        "provider,name,regime\nP2,Kommunens hemtjänst,kommunal\nP3,Roslagens Vård AB,privat\n",
    )
    .unwrap();
    let data = dir.path().to_str().unwrap();
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        data,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("taxa::data::unlisted_provider"), "{e}");
    assert!(e.contains("provider P1 is named in the data"), "{e}");
    assert!(
        !e.contains("provider P2") && !e.contains("provider P3"),
        "{e}"
    );
    let run: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        run["statements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["provider"] == "P1"),
        "P1 is still paid"
    );
    // With every provider listed there is no warning.
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--format",
        "json",
    ]);
    assert!(!stderr(&o).contains("unlisted_provider"), "{}", stderr(&o));
}

#[test]
fn lang_en_writes_the_engines_words_in_english_and_keeps_the_rule_files() {
    let run = |lang: &[&str]| {
        let mut args = vec![
            "pay",
            "rules/norrtalje-2025.taxa",
            "--data",
            "examples/norrtalje-2025",
            "--format",
            "text",
        ];
        args.extend_from_slice(lang);
        let o = taxa(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let sv = run(&[]);
    assert_eq!(sv, run(&["--lang", "sv"]));
    assert!(
        sv.contains("Ej ersatt (24)") && sv.contains("Avstämning"),
        "{sv}"
    );
    let en = run(&["--lang", "en"]);
    assert!(
        en.contains("Not paid (24)") && en.contains("Reconciliation"),
        "{en}"
    );
    // The rule file's words (its reasons, its declared checks) as written.
    assert!(en.contains("bomtid ersätts inte") && en.contains("annan utförare än kundens"));
    // No term pays E7: the engine's own words.
    assert!(
        sv.contains("händelsetypen ersätts inte enligt avtalet"),
        "{sv}"
    );
    assert!(en.contains("event kind not paid by this contract"), "{en}");
    let o = taxa(&[
        "pay",
        "rules/norrtalje-2025.taxa",
        "--data",
        "examples/norrtalje-2025",
        "--lang",
        "de",
    ]);
    assert_eq!(o.status.code(), Some(2), "clap refuses an unknown language");
}
