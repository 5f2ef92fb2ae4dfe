//! The data edges a hostile or unlucky export hits (issue 9): one consistent
//! read of visits.csv per run (a FIFO, a file replaced or rewritten between
//! passes), every bad cell of a row, implausible staff counts, quotes that
//! swallow rows, ids that differ only by invisible or differently composed
//! characters, dangling links, and the messages for files that are not the
//! CSV they claim to be. Each test is named after the hazard it guards;
//! `docs/TESTING.md` ("Reading the data") lists them.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use taxa::check::{Contract, load};
use taxa::data::{DataDir, Ids, VisitsFile};
use taxa::eval::{EvalError, Options, PayRun, Reason, pay, pay_with};

const RULES: &str = "rules/norrtalje-2025.taxa";
const HEADER: &str = "visit_id,provider,customer,staff,start,end,staff_count,activities,status\n";
const CUSTOMERS: &str = "customer,provider,from,to,zone,granted_hours,hsl_from,hsl_to,referral\n\
                         C1,P1,2025-01-01,,tätort,10,,,\n";

fn contract() -> Contract {
    load(&std::fs::read_to_string(RULES).unwrap(), RULES).unwrap()
}

/// A data folder with `visits` (after the header) and the one customer.
fn folder(visits: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("visits.csv"), format!("{HEADER}{visits}")).unwrap();
    std::fs::write(tmp.path().join("customers.csv"), CUSTOMERS).unwrap();
    tmp
}

fn visit(id: &str, day: u32) -> String {
    format!("{id},P1,C1,omsorg,2025-03-{day:02}T08:00,2025-03-{day:02}T09:00,1,,\n")
}

fn run(dir: &Path, lenient: bool) -> Result<PayRun, EvalError> {
    pay_with(
        std::slice::from_ref(&contract()),
        &DataDir::new(dir),
        &Options {
            period: None,
            lenient,
            ..Default::default()
        },
    )
}

fn data_error(dir: &Path) -> String {
    match run(dir, false) {
        Err(EvalError::Data(e)) => {
            let mut all: Vec<String> = e.file_errors.iter().map(|e| e.to_string()).collect();
            all.extend(e.errors.iter().map(|e| e.to_string()));
            all.join("\n")
        }
        other => panic!("expected a data error, got {other:?}"),
    }
}

/// Runs the binary, killing it after a minute: a regression to opening a
/// FIFO twice would otherwise hang the test run.
fn taxa(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("taxa {args:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn copy_example(to: &Path) {
    for f in ["visits.csv", "customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(Path::new("examples/norrtalje-2025").join(f), to.join(f)).unwrap();
    }
}

// ---------------------------------------------------------------------------
// One consistent read of visits.csv

#[test]
fn a_fifo_visits_csv_pays_the_same_as_the_regular_file() {
    let plain = tempfile::tempdir().unwrap();
    copy_example(plain.path());
    let expected = taxa(&[
        "pay",
        RULES,
        "--data",
        plain.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(expected.status.success(), "{expected:?}");

    let piped = tempfile::tempdir().unwrap();
    copy_example(piped.path());
    let fifo = piped.path().join("visits.csv");
    std::fs::remove_file(&fifo).unwrap();
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let content = std::fs::read("examples/norrtalje-2025/visits.csv").unwrap();
    // The writer opens the FIFO once: a second open by the reader would
    // wait for a writer that never comes.
    let writer = std::thread::spawn(move || std::fs::write(fifo, content).unwrap());
    let got = taxa(&[
        "pay",
        RULES,
        "--data",
        piped.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    writer.join().unwrap();
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        String::from_utf8_lossy(&expected.stdout)
    );
}

#[test]
fn a_fifo_visits_csv_is_spooled_and_every_pass_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("visits.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let content = format!("{HEADER}{}{}", visit("V1", 3), visit("V2", 4));
    let writer = std::thread::spawn(move || std::fs::write(fifo, content).unwrap());
    let file = DataDir::new(tmp.path()).open_visits().unwrap();
    writer.join().unwrap();
    assert!(file.spooled());
    let codes = contract().codes;
    for _pass in 0..3 {
        assert_eq!(ids_of(&file, &codes), ["V1", "V2"]);
    }
}

fn ids_of(file: &VisitsFile, codes: &taxa::data::Schema) -> Vec<String> {
    let mut ids = Ids::default();
    file.rows(codes, &mut ids)
        .unwrap()
        .map(|r| r.unwrap().id)
        .collect()
}

#[test]
fn a_file_replaced_between_passes_does_not_make_them_disagree() {
    let tmp = folder(&format!("{}{}", visit("V1", 3), visit("V2", 4)));
    let data = DataDir::new(tmp.path());
    let codes = contract().codes;
    let file = data.open_visits().unwrap();
    assert!(!file.spooled());
    let first = ids_of(&file, &codes);
    // An export landing mid-run: a new file renamed over the old one, with
    // a duplicate and an unreadable row the first pass never saw.
    let new = tmp.path().join("visits.csv.new");
    std::fs::write(
        &new,
        format!(
            "{HEADER}{}{}V3,P1,C1,omsorg,x,y,1,,\n",
            visit("V1", 3),
            visit("V1", 3)
        ),
    )
    .unwrap();
    std::fs::rename(&new, tmp.path().join("visits.csv")).unwrap();
    assert_eq!(ids_of(&file, &codes), first, "the open file keeps its rows");
    assert_eq!(first, ["V1", "V2"]);
    // A run opened now reads the new file.
    let fresh = data.open_visits().unwrap();
    let mut ids = Ids::default();
    assert_eq!(fresh.rows(&codes, &mut ids).unwrap().count(), 3);
}

#[test]
fn a_file_written_in_place_between_passes_is_an_error() {
    let tmp = folder(&visit("V1", 3));
    let codes = contract().codes;
    let file = DataDir::new(tmp.path()).open_visits().unwrap();
    assert_eq!(ids_of(&file, &codes), ["V1"]);
    // Truncated and rewritten on the same inode.
    std::fs::write(
        tmp.path().join("visits.csv"),
        format!("{HEADER}{}{}", visit("V1", 3), visit("V1", 3)),
    )
    .unwrap();
    let mut ids = Ids::default();
    let e = file.rows(&codes, &mut ids).unwrap_err();
    assert!(
        e.to_string().contains("changed while it was being read"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------
// Data edges

#[test]
fn staff_count_has_one_plausible_bound_on_both_sides_of_u32() {
    let tmp = folder(
        "V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T08:45,20,,\n\
         V2,P1,C1,omsorg,2025-03-04T08:00,2025-03-04T08:45,21,,\n\
         V3,P1,C1,omsorg,2025-03-05T08:00,2025-03-05T08:45,4294967295,,\n\
         V4,P1,C1,omsorg,2025-03-06T08:00,2025-03-06T08:45,4294967296,,\n",
    );
    let errors = data_error(tmp.path());
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 3, "{errors}");
    for (line, text) in lines.iter().zip(["21", "4294967295", "4294967296"]) {
        assert!(line.contains(&format!("staff_count \"{text}\"")), "{line}");
        assert!(line.contains("staff_count above 20"), "{line}");
        assert!(line.contains("from 1 to 20"), "{line}");
    }
}

#[test]
fn every_bad_cell_of_a_visits_row_is_reported() {
    let tmp = folder("V1,P1,C1,omsorgg,2025-03-5T08:00,2025-03-05T09:00,0,bada,\n");
    let errors = data_error(tmp.path());
    let columns: Vec<&str> = errors
        .lines()
        .map(|l| l.split(": ").nth(1).unwrap().split(' ').next().unwrap())
        .collect();
    assert_eq!(
        columns,
        ["staff", "start", "staff_count", "activities"],
        "{errors}"
    );
    // A lenient run lists the row once, under its first bad cell.
    let run = run(tmp.path(), true).unwrap();
    assert_eq!(run.not_paid.len(), 1);
    match &run.not_paid[0].reason {
        Reason::Unreadable { column, .. } => assert_eq!(column, "staff"),
        other => panic!("{other:?}"),
    }
    assert_eq!(run.reconciliation.visits_in, 1);
}

#[test]
fn every_bad_cell_of_an_events_row_is_reported() {
    let tmp = folder(&visit("V1", 3));
    std::fs::write(
        tmp.path().join("events.csv"),
        "event_id,provider,customer,date,kind\nE1,,C1,2025-03-32,sip\n",
    )
    .unwrap();
    let errors = data_error(tmp.path());
    assert_eq!(errors.lines().count(), 3, "{errors}");
}

#[test]
fn a_quote_not_closed_on_line_6_warns_in_a_lenient_run() {
    let mut visits = String::new();
    for i in 1..=4 {
        visits.push_str(&visit(&format!("V{i}"), i + 1));
    }
    // Line 6: the note's quote is not closed until line 46.
    visits.push_str("V5,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,1,\"dusch,\n");
    for i in 6..45 {
        visits.push_str(&visit(&format!("V{i}"), 11 + i % 10));
    }
    visits.push_str("V46,P1,C1,omsorg,2025-03-20T08:00,2025-03-20T09:00,1,\",\n");
    let tmp = folder(&visits);
    let run = run(tmp.path(), true).unwrap();
    assert_eq!(run.warnings.len(), 1, "{:?}", run.warnings);
    let w = &run.warnings[0];
    assert_eq!((w.file.as_str(), w.line, w.column), ("visits.csv", 6, 8));
    assert!(
        w.message.contains("runs from line 6 to line 46") && w.message.contains("not closed"),
        "{}",
        w.message
    );
    assert_eq!(
        miette::Diagnostic::severity(w),
        Some(miette::Severity::Warning)
    );
    // The strict run fails on the swallowed row and carries the warning.
    match self::run(tmp.path(), false) {
        Err(EvalError::Data(e)) => assert_eq!(e.warnings, run.warnings),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_short_quoted_note_does_not_warn() {
    let tmp = folder(
        "V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,\"dusch\n\",\n\
         V2,P1,C1,omsorg,2025-03-04T08:00,2025-03-04T09:00,1,\"dusch\n\n\",\n",
    );
    let run = run(tmp.path(), true).unwrap();
    assert!(run.warnings.is_empty(), "{:?}", run.warnings);
}

#[test]
fn ids_differing_only_by_an_invisible_character_are_a_data_error() {
    let tmp = folder(&format!(
        "{}V1\u{200B},P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n\
         V3,P1\u{FEFF},C1,omsorg,2025-03-04T08:00,2025-03-04T09:00,1,,\n\
         V4,P1,C\u{00AD}1,omsorg,2025-03-05T08:00,2025-03-05T09:00,1,,\n",
        visit("V1", 3)
    ));
    let errors = data_error(tmp.path());
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 3, "{errors}");
    assert!(
        lines[0].contains("visit_id contains U+200B ZERO WIDTH SPACE (invisible) at character 3"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("provider contains U+FEFF"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("customer contains U+00AD SOFT HYPHEN (invisible) at character 2"),
        "{}",
        lines[2]
    );
}

#[test]
fn ids_composed_differently_are_one_id_and_not_paid_twice() {
    // "Vå1" precomposed (NFC) and as "a" + combining ring (NFD); the
    // customer likewise in customers.csv and visits.csv.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("visits.csv"),
        format!(
            "{HEADER}V\u{E5}1,P1,K\u{E5},omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n\
             Va\u{30A}1,P1,Ka\u{30A},omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,\n"
        ),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("customers.csv"),
        CUSTOMERS.replace("C1", "Ka\u{30A}"),
    )
    .unwrap();
    let run = pay(&contract(), &DataDir::new(tmp.path()), None).unwrap();
    assert_eq!(run.reconciliation.visits_in, 2);
    assert_eq!(run.reconciliation.visits_paid, 1);
    assert_eq!(run.not_paid.len(), 1, "{:?}", run.not_paid);
    assert!(matches!(
        &run.not_paid[0].reason,
        Reason::Check {
            check: taxa::check::EngineCheck::Duplicate,
            ..
        }
    ));
    assert_eq!(run.not_paid[0].id, "V\u{E5}1", "ids are written in NFC");
}

#[test]
fn a_dangling_events_symlink_is_an_error_not_an_absent_file() {
    let tmp = folder(&visit("V1", 3));
    std::os::unix::fs::symlink("export/events-2025-03.csv", tmp.path().join("events.csv")).unwrap();
    std::os::unix::fs::symlink("nowhere.csv", tmp.path().join("providers.csv")).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let out = taxa(&["pay", RULES, "--data", dir, "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("taxa::data::dangling_link"), "{stderr}");
    assert_eq!(
        data_error(tmp.path()),
        "providers.csv: is a symbolic link to nowhere.csv, which does not exist\n\
         events.csv: is a symbolic link to export/events-2025-03.csv, which does not exist"
    );
    assert!(out.stdout.is_empty());
    // Truly absent optional files are absent.
    std::fs::remove_file(tmp.path().join("events.csv")).unwrap();
    std::fs::remove_file(tmp.path().join("providers.csv")).unwrap();
    let out = taxa(&["pay", RULES, "--data", dir, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------
// Messages that help

#[test]
fn a_long_unquoted_cell_is_not_blamed_on_a_quote() {
    let big = "x".repeat(10 << 20);
    let tmp = folder(&format!(
        "V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,{big},\n"
    ));
    let errors = data_error(tmp.path());
    assert!(
        errors.starts_with("visits.csv:2:8: activities \"xxx"),
        "{}",
        &errors[..80]
    );
    assert!(
        errors.contains("the row starting on line 2 is longer than 1048576 bytes")
            && errors.contains("no quote is open"),
        "{errors}"
    );
    assert!(!errors.contains("probably not closed"), "{errors}");
}

#[test]
fn a_row_cut_inside_a_quote_names_the_line_of_the_quote() {
    let big = "x".repeat(2 << 20);
    let tmp = folder(&format!(
        "{}V2,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,\"dusch\n{big}\n",
        visit("V1", 3)
    ));
    let errors = data_error(tmp.path());
    assert!(
        errors.contains("the quoted cell opened on line 3 has no closing"),
        "{errors}"
    );
}

#[test]
fn a_tab_separated_file_names_its_separator() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("visits.csv"),
        HEADER.replace(',', "\t") + &visit("V1", 3).replace(',', "\t"),
    )
    .unwrap();
    std::fs::write(tmp.path().join("customers.csv"), CUSTOMERS).unwrap();
    let errors = data_error(tmp.path());
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(
        errors.contains("the header is separated by tabs, not by , or ;"),
        "{errors}"
    );
    assert!(!errors.contains("has no column"), "{errors}");
}

#[test]
fn a_nul_byte_in_the_header_is_named_with_its_column() {
    let tmp = folder(&visit("V1", 3));
    std::fs::write(
        tmp.path().join("visits.csv"),
        HEADER.replace("staff,", "sta\0ff,") + &visit("V1", 3),
    )
    .unwrap();
    let errors = data_error(tmp.path());
    assert_eq!(
        errors,
        "visits.csv:1: the header contains a NUL byte at column 4 (byte 4 of the column's name): \
         a CSV text file has none; is the file UTF-16, or not a CSV export?"
    );
}

#[test]
fn a_second_byte_order_mark_in_the_header_is_named() {
    let tmp = folder(&visit("V1", 3));
    std::fs::write(
        tmp.path().join("visits.csv"),
        format!("\u{FEFF}\u{FEFF}{HEADER}{}", visit("V1", 3)),
    )
    .unwrap();
    let errors = data_error(tmp.path());
    assert!(
        errors.contains("a second byte order mark (U+FEFF) at the start of column 1"),
        "{errors}"
    );
}

#[test]
fn a_bad_utf8_byte_in_a_cell_is_named_with_its_place() {
    let tmp = folder("");
    let mut content = HEADER.as_bytes().to_vec();
    content.extend_from_slice(b"V1,P1,C1,sjuksk\xf6terska,2025-03-03T08:00,2025-03-03T09:00,1,,\n");
    std::fs::write(tmp.path().join("visits.csv"), content).unwrap();
    let errors = data_error(tmp.path());
    assert!(
        errors.contains("not valid UTF-8: byte 7 of the cell is 0xF6, which is 'ö' in Latin-1"),
        "{errors}"
    );
}
