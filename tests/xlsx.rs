//! Excel workbooks as input (`visits.xlsx`, …): the example's workbooks pay
//! exactly as its CSV files, and a workbook's errors name the file, the
//! sheet, the row and column as Excel shows them, and the text.

use std::path::{Path, PathBuf};

use taxa::check::load;
use taxa::data::DataDir;
use taxa::eval::{EvalError, Options, PayRun, pay, pay_with};
use taxa::report::json::to_json;

#[path = "../examples/kommunexport/make-xlsx.rs"]
#[allow(dead_code)]
mod make_xlsx;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/kommunexport");

fn example(path: &str) -> PathBuf {
    Path::new(EXAMPLE).join(path)
}

fn rules() -> String {
    std::fs::read_to_string(example("kommunexport.taxa")).unwrap()
}

fn csv(file: &str) -> String {
    std::fs::read_to_string(example(&format!("data/{file}.csv"))).unwrap()
}

fn sheet_of(file: &str) -> &'static str {
    make_xlsx::FILES
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, s)| *s)
        .unwrap()
}

/// A data folder: each (file, text) as `file.csv`, or, for `file.xlsx`, as
/// a workbook written by the example's generator.
fn folder(files: &[(&str, String)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = tmp.path().join(name);
        match name.strip_suffix(".xlsx") {
            Some(file) => {
                let bytes = make_xlsx::workbook(sheet_of(file), text).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            None => std::fs::write(path, text).unwrap(),
        }
    }
    tmp
}

/// The example's four files, the ones named in `xlsx` as workbooks.
fn with(xlsx: &[(&str, String)]) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = Vec::new();
    for (file, _) in make_xlsx::FILES {
        match xlsx.iter().find(|(f, _)| *f == file) {
            Some((_, text)) => files.push((format!("{file}.xlsx"), text.clone())),
            None => files.push((format!("{file}.csv"), csv(file))),
        }
    }
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    folder(&files)
}

fn run(rules: &str, dir: &Path, lenient: bool) -> Result<PayRun, EvalError> {
    let contract = load(rules, "kommunexport.taxa").unwrap_or_else(|e| panic!("{e:?}"));
    pay_with(
        std::slice::from_ref(&contract),
        &DataDir::new(dir),
        &Options {
            period: None,
            lenient,
            ..Default::default()
        },
    )
}

fn data_errors(rules: &str, dir: &Path) -> Vec<String> {
    match run(rules, dir, false) {
        Ok(_) => panic!("expected a data error"),
        Err(EvalError::Data(e)) => e
            .file_errors
            .iter()
            .map(|e| e.to_string())
            .chain(e.errors.iter().map(|e| e.to_string()))
            .collect(),
        Err(e) => panic!("not a data error: {e:?}"),
    }
}

/// `text` with its `line`th line (0 = the header) changed by `f`.
fn edit(text: &str, line: usize, f: impl Fn(&str) -> String) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[line] = f(&lines[line]);
    lines.join("\n") + "\n"
}

#[test]
fn the_workbooks_pay_byte_for_byte_as_the_csv_files() {
    let rules = rules();
    let plain = run(&rules, &example("data"), false).unwrap();
    let xlsx = run(&rules, &example("data-xlsx"), false).unwrap();
    assert!(plain.warnings.is_empty(), "{:?}", plain.warnings);
    assert!(xlsx.warnings.is_empty(), "{:?}", xlsx.warnings);
    let json = to_json(&plain, taxa::report::Lang::Sv);
    assert!(json.contains("\"total\": \"3530.98\""), "{json}");
    assert_eq!(to_json(&xlsx, taxa::report::Lang::Sv), json);
    // The checked-in workbooks are what the generator writes from data/.
    for (file, sheet) in make_xlsx::FILES {
        let written = make_xlsx::workbook(sheet, &csv(file)).unwrap();
        let kept = std::fs::read(example(&format!("data-xlsx/{file}.xlsx"))).unwrap();
        assert!(
            written == kept,
            "data-xlsx/{file}.xlsx is not what `cargo run --example make-xlsx` writes"
        );
    }
    // A folder may mix the two forms, one per file.
    let mixed = with(&[("customers", csv("customers"))]);
    assert_eq!(
        to_json(
            &run(&rules, mixed.path(), false).unwrap(),
            taxa::report::Lang::Sv
        ),
        json
    );
}

#[test]
fn the_binary_pays_a_workbook_folder_as_the_csv_folder() {
    let pay = |dir: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_taxa"))
            .args([
                "pay",
                "examples/kommunexport/kommunexport.taxa",
                "--data",
                dir,
            ])
            .args(["--format", "text"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out.stdout, out.stderr)
    };
    assert_eq!(
        pay("examples/kommunexport/data-xlsx"),
        pay("examples/kommunexport/data")
    );
}

#[test]
fn a_misspelt_mapped_header_names_the_nearest_and_the_sheet() {
    let visits = edit(&csv("visits"), 0, |h| {
        h.replacen("Starttid", "Start tid", 1)
    });
    let dir = with(&[("visits", visits)]);
    assert_eq!(
        data_errors(&rules(), dir.path()),
        [
            "visits.xlsx:Besök!1:1: has no column 'Starttid' (start, as the rule file maps it); \
          nearest: 'Start tid'"
        ]
    );
}

#[test]
fn a_bad_cell_names_sheet_row_column_letter_header_and_text() {
    // B04 (row 5): a status that is not declared; B06 (row 7): an end that
    // is not a time, written as text.
    let visits = edit(&csv("visits"), 4, |l| l.replacen(";utförd;", ";klar;", 1));
    let visits = edit(&visits, 6, |l| {
        l.replacen("2025-03-14 09:30", "halv tio", 1)
    });
    // K2 (row 3): hours in words; K4 (row 6): a from date that is no date.
    let customers = edit(&csv("customers"), 2, |l| l.replacen("12,00", "tolv", 1));
    let customers = edit(&customers, 5, |l| l.replacen("2025-01-01", "2025-13-01", 1));
    let dir = with(&[("visits", visits), ("customers", customers)]);
    let errors = data_errors(&rules(), dir.path());
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert_eq!(
        errors[0],
        "customers.xlsx:Kunder!F3: Beviljad tid, h/mån \"tolv\": not a number: expected a number of h/mån \
         like 12,5 or 12.5 (empty = 0)"
    );
    assert!(
        errors[1].starts_with(
            "customers.xlsx:Kunder!C6: Från \"2025-13-01\": no such date in the calendar"
        ),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].starts_with(
            "visits.xlsx:Besök!I5: Status \"klar\": not a status code declared by the rule file"
        ),
        "{}",
        errors[2]
    );
    assert!(
        errors[3].starts_with("visits.xlsx:Besök!F7: Sluttid \"halv tio\": "),
        "{}",
        errors[3]
    );
    // A lenient run lists the rows under their ids.
    let lenient = run(&rules(), dir.path(), true).unwrap();
    let json = to_json(&lenient, taxa::report::Lang::Sv);
    assert!(json.contains("\"id\": \"B04\""), "{json}");
    assert!(json.contains("\"id\": \"B06\""), "{json}");
}

#[test]
fn an_error_cell_is_an_error_of_its_row_where_its_column_is_read() {
    // B02 (row 3): its customer is #N/A; B11 (row 12): its staff count,
    // whose empty cell would be 1, is #DIV/0!. A column the contract does
    // not read may hold errors.
    let visits = edit(&csv("visits"), 2, |l| l.replacen(";K1;", ";#N/A;", 1));
    let visits = edit(&visits, 11, |l| {
        l.replacen(";;dusch;", ";#DIV/0!;dusch;", 1)
    });
    let visits = visits
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l};Kommentar\n"),
            _ => format!("{l};#DIV/0!\n"),
        })
        .collect::<String>();
    let dir = with(&[("visits", visits)]);
    let errors = data_errors(&rules(), dir.path());
    assert_eq!(
        errors,
        [
            "visits.xlsx:Besök!C3: Kund-ID \"#N/A\": the cell holds the Excel error #N/A (a \
             lookup found no value), not a value: correct it in the workbook (or paste the \
             column as values)",
            "visits.xlsx:Besök!G12: Antal personal \"#DIV/0!\": the cell holds the Excel error \
             #DIV/0! (a formula divides by zero), not a value: correct it in the workbook (or \
             paste the column as values)",
        ]
    );
    let lenient = to_json(
        &run(&rules(), dir.path(), true).unwrap(),
        taxa::report::Lang::Sv,
    );
    for id in ["B02", "B11"] {
        assert!(lenient.contains(&format!("\"id\": \"{id}\"")), "{lenient}");
    }
}

#[test]
fn both_forms_of_a_file_is_an_error_naming_both() {
    let dir = with(&[("visits", csv("visits"))]);
    std::fs::write(dir.path().join("visits.csv"), csv("visits")).unwrap();
    assert_eq!(
        data_errors(&rules(), dir.path()),
        [
            "visits.csv: visits.xlsx is in the data folder too: taxa reads one of visits.csv and \
          visits.xlsx, and will not choose which"
        ]
    );
    let dir = with(&[("events", csv("events"))]);
    std::fs::write(dir.path().join("events.csv"), csv("events")).unwrap();
    let errors = data_errors(&rules(), dir.path());
    assert!(
        errors[0].starts_with("events.csv: events.xlsx is in the data folder too"),
        "{errors:?}"
    );
}

#[test]
fn a_date_field_of_visits_is_read_as_a_date() {
    // A `datum` field of visits: its midnight date cells are dates (the
    // sheet is written out again for it), its column a date column.
    let rules = rules().replace(
        "fält planerad_tid",
        "fält beslut i besök, kolumn \"Beslutsdatum\": datum, tomt = inget\nfält planerad_tid",
    );
    let visits = csv("visits")
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l};Beslutsdatum\n"),
            _ => format!("{l};2025-02-0{}\n", 1 + i % 9),
        })
        .collect::<String>();
    let as_csv = folder(&[
        ("visits.csv", visits.clone()),
        ("customers.csv", csv("customers")),
        ("events.csv", csv("events")),
        ("providers.csv", csv("providers")),
    ]);
    let as_xlsx = with(&[("visits", visits)]);
    let want = to_json(
        &run(&rules, as_csv.path(), false).unwrap(),
        taxa::report::Lang::Sv,
    );
    assert_eq!(
        to_json(
            &run(&rules, as_xlsx.path(), false).unwrap(),
            taxa::report::Lang::Sv
        ),
        want
    );
}

#[test]
fn a_file_that_is_no_workbook_says_what_it_is() {
    let dir = with(&[]);
    std::fs::remove_file(dir.path().join("providers.csv")).unwrap();
    std::fs::write(dir.path().join("providers.xlsx"), csv("providers")).unwrap();
    assert_eq!(
        data_errors(&rules(), dir.path()),
        ["providers.xlsx: is a text file, not an Excel workbook: if it is CSV, name it .csv"]
    );
    std::fs::write(dir.path().join("providers.xlsx"), b"PK\x03\x04broken").unwrap();
    let errors = data_errors(&rules(), dir.path());
    assert!(
        errors[0].starts_with("providers.xlsx: cannot be read as an Excel workbook: "),
        "{errors:?}"
    );
}

#[test]
fn other_sheets_with_values_are_a_warning() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let first = book.add_worksheet();
    first.set_name("Utförare").unwrap();
    for (r, line) in csv("providers").lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            first.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.add_worksheet().set_name("Blad2").unwrap();
    let info = book.add_worksheet();
    info.set_name("Info").unwrap();
    info.write_string(3, 2, "Exporterad 2025-04-01").unwrap();
    let dir = with(&[]);
    std::fs::remove_file(dir.path().join("providers.csv")).unwrap();
    std::fs::write(
        dir.path().join("providers.xlsx"),
        book.save_to_buffer().unwrap(),
    )
    .unwrap();
    let run = run(&rules(), dir.path(), false).unwrap();
    let warnings: Vec<String> = run.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "providers.xlsx: the workbook has another sheet with values ('Info') besides \
          'Utförare', the first, which is the one read: it is not read"
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(48))]

    /// A damaged workbook is an error, never a panic.
    #[test]
    fn a_damaged_workbook_never_panics(cut in 0usize..7000, flips in proptest::collection::vec((0usize..7000, 1u8..=255), 0..6)) {
        let mut bytes = std::fs::read(example("data-xlsx/visits.xlsx")).unwrap();
        for (at, x) in flips {
            let at = at % bytes.len();
            bytes[at] ^= x;
        }
        bytes.truncate(cut.max(1));
        let dir = with(&[]);
        std::fs::remove_file(dir.path().join("visits.csv")).unwrap();
        std::fs::write(dir.path().join("visits.xlsx"), &bytes).unwrap();
        let contract = load(&rules(), "kommunexport.taxa").unwrap();
        if let Err(e) = pay(&contract, &DataDir::new(dir.path()), None) {
            let _ = e.to_string();
        }
    }
}
