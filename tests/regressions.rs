//! Regressions: inputs that once panicked or paid wrong amounts, each named
//! after its bug, through the library as the fuzz targets call it.

use std::path::Path;

use taxa::check;
use taxa::data::DataDir;
use taxa::eval::{self, EvalError};

const NORRTALJE_2025: &str = include_str!("../rules/norrtalje-2025.taxa");

/// The 2025 rule file with one text replaced.
fn variant(from: &str, to: &str) -> check::Contract {
    assert!(
        NORRTALJE_2025.contains(from),
        "fixture text not found: {from}"
    );
    let src = NORRTALJE_2025.replacen(from, to, 1);
    check::load(&src, "variant.taxa").expect("the variant checks")
}

fn assert_overflow(r: Result<eval::PayRun, EvalError>) {
    match r {
        Err(EvalError::Overflow { contract }) => assert_eq!(contract, "Norrtälje 2025"),
        Err(e) => panic!("expected an overflow error, got {e:?}"),
        Ok(run) => panic!("expected an overflow error, got a run: {run:?}"),
    }
}

/// A rate just under the largest literal the checker accepts: the line
/// amount (rate × 1.5 h) does not fit a `Decimal`, and
/// `Decimal::from_i128_with_scale` panicked in `round_half_away`.
#[test]
fn rate_too_large_for_a_decimal_is_an_error_not_a_panic() {
    let c = variant(
        "omsorg_timpris          486 kr/h",
        "omsorg_timpris          79228162514264337593543950334 kr/h",
    );
    assert_overflow(eval::pay(
        &c,
        &DataDir::new("examples/norrtalje-2025"),
        None,
    ));
}

/// A product of two large literals outgrows `i128`: `Ratio`'s `*` panicked
/// ("attempt to multiply with overflow") in debug builds and wrapped in
/// release builds.
#[test]
fn product_of_large_literals_is_an_error_not_a_panic() {
    let c = variant(
        "betala betald_tid × 45 kr/h",
        "betala betald_tid × 79228162514264337593543950334 kr/h × 79228162514264337593543950334",
    );
    assert_overflow(eval::pay(
        &c,
        &DataDir::new("examples/norrtalje-2025"),
        None,
    ));
}

/// Granted hours with 18 decimals (the reader allows them) times a rate with
/// 12 decimals (the checker allows them), summed over customer-days: the
/// T2 cap's exact sum outgrew `i128`. Release builds wrapped silently and
/// paid negative statement totals; now the run stops with an error.
#[test]
fn precise_hours_times_precise_rate_do_not_wrap() {
    let c = variant(
        "omsorg_timpris          486 kr/h",
        "omsorg_timpris          486.000000000001 kr/h",
    );
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new("examples/norrtalje-2025");
    for f in ["visits.csv", "events.csv", "providers.csv"] {
        std::fs::copy(example.join(f), dir.path().join(f)).unwrap();
    }
    let customers = std::fs::read_to_string(example.join("customers.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(customers.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let granted = header.iter().position(|h| h == "granted_hours").unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("customers.csv")).unwrap();
    w.write_record(&header).unwrap();
    let hours = [
        "999999999.999999999999999999",
        "0.123456789012345677",
        "1.000000000000000007",
        "7.7777777777777777",
    ];
    for (i, row) in rdr.records().enumerate() {
        let row = row.unwrap();
        let row: Vec<&str> = row
            .iter()
            .enumerate()
            .map(|(j, v)| {
                if j == granted {
                    hours[i % hours.len()]
                } else {
                    v
                }
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    assert_overflow(eval::pay(&c, &DataDir::new(dir.path()), None));
}

/// A time-band visit in the last days of year 9999 (valid by a contract
/// that runs to 9999-12-31) had no local-time pieces: it counted as paid
/// with 0 kr and no unpaid part. It is now refused with a reason.
#[test]
fn a_visit_at_the_end_of_year_9999_is_refused_not_paid_nothing() {
    let src = include_str!("../rules/osteraker-tid.taxa").replacen(
        "gäller 2025-01-01 till 2025-12-31",
        "gäller 2025-01-01 till 9999-12-31",
        1,
    );
    let c = check::load(&src, "osteraker-9999.taxa").expect("the variant checks");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("customers.csv"),
        "customer,provider,from,to,zone,granted_hours,approved_extra_hours\n\
         C1,P1,2024-01-01,,tätort,4,1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("providers.csv"),
        "provider,name,regime\nP1,Åkersberga Omsorg AB,privat\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("visits.csv"),
        "visit_id,provider,customer,staff,start,end,staff_count,activities,status\n\
         V1,P1,C1,omsorg,9999-12-30T08:00,9999-12-30T09:00,1,,utförd\n\
         V2,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,utförd\n",
    )
    .unwrap();
    let run = eval::pay(&c, &DataDir::new(dir.path()), None).expect("the run");
    let r = &run.reconciliation;
    assert_eq!((r.visits_in, r.visits_paid, r.visits_not_paid), (2, 1, 1));
    assert_eq!(run.not_paid.len(), 1);
    assert_eq!(run.not_paid[0].id, "V1");
    assert_eq!(run.not_paid[0].reason, eval::Reason::OutsideTimeRange);
    assert!(run.not_paid_parts.is_empty());
}

/// The text statement wrote raw control characters from the data (an ESC
/// sequence in a provider name, a NUL in a visit id) to the terminal.
#[test]
fn control_characters_from_the_data_are_escaped_in_the_text_statement() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["customers.csv", "events.csv", "visits.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    let providers = std::fs::read_to_string("examples/norrtalje-2025/providers.csv").unwrap();
    let (head, rest) = providers.split_once('\n').unwrap();
    let mut lines: Vec<String> = rest.lines().map(str::to_string).collect();
    let first: Vec<&str> = lines[0].split(',').collect();
    lines[0] = format!("{},\"Evil\u{1b}[2J\u{7}AB\",{}", first[0], first[2]);
    std::fs::write(
        dir.path().join("providers.csv"),
        format!("{head}\n{}\n", lines.join("\n")),
    )
    .unwrap();
    let c = check::load(NORRTALJE_2025, "rules.taxa").unwrap();
    let run = eval::pay(&c, &DataDir::new(dir.path()), None).unwrap();
    let text = taxa::report::to_text(&run, taxa::report::Lang::Sv);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
    assert!(text.contains("Evil\\u{1b}[2J\\u{7}AB"), "{text}");
    let json = taxa::report::to_json(&run, taxa::report::Lang::Sv);
    assert!(
        json.contains("Evil\\u001b[2J\\u0007AB"),
        "JSON escapes by itself"
    );
}

/// `--period 2025-04 --lenient` counted an unreadable March row but no
/// readable March row. An unreadable row now counts for the months asked
/// for only when its start is of them, or cannot be read at all.
#[test]
fn a_lenient_period_counts_only_unreadable_rows_of_its_months() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["customers.csv", "events.csv", "providers.csv"] {
        std::fs::copy(
            Path::new("examples/norrtalje-2025").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("visits.csv"),
        "visit_id,provider,customer,staff,start,end,staff_count,activities,status\n\
         V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00,1,,utförd\n\
         V2,P1,C1,omsorg,2025-03-04T08:00,2025-03-04T09:00,1,,utförd_typo\n\
         V3,P1,C1,omsorg,2025-04-04T08:00,2025-04-04T09:00,1,,utförd_typo\n\
         V4,P1,C1,omsorg,2025-04-31T08:00,2025-04-04T09:00,1,,utförd\n",
    )
    .unwrap();
    let c = check::load(NORRTALJE_2025, "rules.taxa").unwrap();
    let opts = eval::Options {
        period: Some(eval::Period::parse("2025-04").unwrap()),
        lenient: true,
        ..Default::default()
    };
    let run = eval::pay_with(&[c], &DataDir::new(dir.path()), &opts).unwrap();
    let listed: Vec<&str> = run
        .not_paid
        .iter()
        .filter(|n| n.kind == eval::NotPaidKind::Visit)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(
        listed,
        ["V3", "V4"],
        "V2 is a March row; V4's start is unreadable"
    );
    assert_eq!(run.reconciliation.visits_in, 2);
    assert_eq!(run.reconciliation.visits_not_paid, 2);
}

// ---- Rule files that crashed the process (issue 9) -------------------------
//
// Each runs on a thread with a 2 MiB stack, what `cargo test` gives its
// threads, so a regression is a failure here and not a flake; the largest
// also run the binary, whose main thread has 8 MiB: exit 1 with the code,
// not 134 (abort on stack overflow).

/// Runs `f` on a thread with a 2 MiB stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic and no stack overflow")
}

/// The codes of `check::load`'s errors on `src`, on a 2 MiB stack.
fn codes(src: String) -> Vec<String> {
    on_small_stack(move || match check::load(&src, "deep.taxa") {
        Ok(_) => Vec::new(),
        Err(e) => e
            .errors()
            .filter_map(|d| d.code().map(|c| c.to_string()))
            .collect(),
    })
}

/// `taxa ARGS…` on a rule file of text `src`: exit code and stderr.
fn taxa(args: &[&str], src: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("deep.taxa");
    std::fs::write(&rules, src).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(args)
        .arg(&rules)
        .output()
        .unwrap();
    let code = out.status.code().expect("exited, not killed by a signal");
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn assert_check_and_pay_say(src: &str, code: &str) {
    for args in [
        &["check"][..],
        &["pay", "--data", "examples/norrtalje-2025"],
    ] {
        let (exit, stderr) = taxa(args, src.as_bytes());
        assert_eq!(exit, 1, "taxa {args:?}: {stderr}");
        assert!(stderr.contains(code), "taxa {args:?}: {stderr}");
    }
}

/// `betala (((…(betald_tid)…))) × 45 kr/h` with 7 000 pairs: the build of
/// the syntax tree overflowed the stack (pest stopped itself at about
/// 2 800 pairs with "expected stack limit reached").
#[test]
fn seven_thousand_parentheses_are_too_deep_not_a_stack_overflow() {
    let n = 7_000;
    let src = NORRTALJE_2025.replacen(
        "betala betald_tid × 45 kr/h",
        &format!(
            "betala {}betald_tid{} × 45 kr/h",
            "(".repeat(n),
            ")".repeat(n)
        ),
        1,
    );
    assert_eq!(codes(src.clone()), ["taxa::too_deep"]);
    assert_check_and_pay_say(&src, "taxa::too_deep");
}

/// `villkor utförd: inte inte … status = utförd` with 10 000 `inte`: the
/// checker recursed once per `inte` and overflowed.
#[test]
fn ten_thousand_inte_are_too_deep_not_a_stack_overflow() {
    let src = NORRTALJE_2025.replacen(
        "villkor utförd: status = utförd",
        &format!("villkor utförd: {}status = utförd", "inte ".repeat(10_000)),
        1,
    );
    assert_eq!(codes(src.clone()), ["taxa::too_deep"]);
    assert_check_and_pay_say(&src, "taxa::too_deep");
}

/// `betala betald_tid × 45 kr/h × 1 × 1 × …` with 70 000 factors: a flat
/// chain in the text, a left-deep tree 70 000 levels deep after parsing;
/// `taxa check` overflowed in debug builds and `taxa pay` in release
/// builds (the evaluator recursed over it).
#[test]
fn seventy_thousand_factors_are_too_deep_in_check_and_pay() {
    let src = NORRTALJE_2025.replacen(
        "betala betald_tid × 45 kr/h",
        &format!("betala betald_tid × 45 kr/h{}", " × 1".repeat(70_000)),
        1,
    );
    assert_eq!(codes(src.clone()), ["taxa::too_deep"]);
    assert_check_and_pay_say(&src, "taxa::too_deep");
}

/// 20 000 nested `summa för kunddagar av`: no parentheses for the scan to
/// count, so pest goes as deep as its own stack guard lets it (about 690
/// levels on this thread), and that is reported as the same code.
#[test]
fn nested_day_sums_deeper_than_pest_goes_are_too_deep() {
    let src = NORRTALJE_2025.replacen(
        "högst tak_biståndstid × summa för kunddagar av",
        &format!(
            "högst summa för kunddagar {}av",
            "av summa för kunddagar ".repeat(20_000)
        ),
        1,
    );
    assert_eq!(codes(src.clone()), ["taxa::too_deep"]);
    assert_check_and_pay_say(&src, "taxa::too_deep");
}

/// An error past column 65 535 of a line: miette pads the line with a
/// formatting width that large and panicked ("Formatting argument out of
/// range", exit 101). Such an error now names its line and column instead.
#[test]
fn an_error_past_column_65535_is_reported_not_a_panic() {
    let src = NORRTALJE_2025.replacen(
        "betala betald_tid × 45 kr/h",
        &format!("betala{}betald_tid × 45 kr/hh", " ".repeat(70_000)),
        1,
    );
    let line = NORRTALJE_2025
        .lines()
        .position(|l| l.contains("betald_tid × 45 kr/h"))
        .unwrap()
        + 1;
    let (exit, stderr) = taxa(&["check"], src.as_bytes());
    assert_eq!(exit, 1, "{stderr}");
    assert!(stderr.contains("taxa::"), "{stderr}");
    assert!(
        stderr.contains(&format!("deep.taxa:{line}:")) && stderr.contains("too long to show"),
        "{stderr}"
    );
}

/// 40 `villkor`, each naming the one before twice: written out, 2⁴⁰
/// conditions; the checker never finished (and would have run out of
/// memory).
#[test]
fn villkor_that_double_are_too_large_not_a_hang() {
    let mut src = String::from(
        "avtal \"X\" gäller 2025-01-01 till 2025-12-31\nkod status: utförd, bom\nvillkor v0: status = utförd annars \"a\"\n",
    );
    for i in 1..=40 {
        src += &format!("villkor v{i}: v{} och v{} annars \"a\"\n", i - 1, i - 1);
    }
    src += "moment T1 \"x\"\n    för besök\n    kräver v40\n    betala tid × 1 kr/h\n";
    assert_eq!(codes(src), ["taxa::too_large"]);
}

/// `villkor` naming `villkor`, each within the limit, deeper than it
/// written out: the checked contract (which the evaluator walks by
/// recursion) would have been as deep as all of them together.
#[test]
fn villkor_naming_villkor_are_too_deep_written_out() {
    let nots = "inte ".repeat(40);
    let mut src =
        String::from("avtal \"X\" gäller 2025-01-01 till 2025-12-31\nkod status: utförd, bom\n");
    src += &format!("villkor v0: {nots}status = utförd annars \"a\"\n");
    for i in 1..=200 {
        src += &format!("villkor v{i}: {nots}v{} annars \"a\"\n", i - 1);
    }
    src += "moment T1 \"x\"\n    för besök\n    kräver v200\n    betala tid × 1 kr/h\n";
    assert_eq!(codes(src), ["taxa::too_deep"]);
}

/// A rule file saved with a UTF-8 byte order mark was refused ("unexpected
/// `﻿`"); the mark is skipped, and lines and columns stay those of the file.
#[test]
fn a_rule_file_with_a_bom_checks() {
    let (exit, stderr) = taxa(&["check"], format!("\u{feff}{NORRTALJE_2025}").as_bytes());
    assert_eq!(exit, 0, "{stderr}");
    let broken = NORRTALJE_2025.replacen(
        "betala betald_tid × 45 kr/h",
        "betala betald_tid × 45 kr/hh",
        1,
    );
    let (exit, stderr) = taxa(&["check"], format!("\u{feff}{broken}").as_bytes());
    let line = NORRTALJE_2025
        .lines()
        .position(|l| l.contains("betald_tid × 45 kr/h"))
        .unwrap()
        + 1;
    assert_eq!(exit, 1, "{stderr}");
    assert!(stderr.contains(&format!("deep.taxa:{line}:")), "{stderr}");
}

/// Windows line ends (`\r\n`) check as they did.
#[test]
fn crlf_line_ends_check() {
    let (exit, stderr) = taxa(&["check"], NORRTALJE_2025.replace('\n', "\r\n").as_bytes());
    assert_eq!(exit, 0, "{stderr}");
}

/// Old Mac line ends (a lone `\r`): a comment ran to the end of the file,
/// and the file "ended" before its header.
#[test]
fn lone_cr_line_ends_check() {
    let (exit, stderr) = taxa(&["check"], NORRTALJE_2025.replace('\n', "\r").as_bytes());
    assert_eq!(exit, 0, "{stderr}");
}

/// A rule file saved as Latin-1: exit 3 with "stream did not contain valid
/// UTF-8", and no place. Now the line, column, offset and byte.
#[test]
fn a_rule_file_that_is_not_utf8_says_where_and_which_byte() {
    let mut bytes = NORRTALJE_2025.as_bytes().to_vec();
    let at = NORRTALJE_2025.find("tätort").unwrap() + 1;
    // `ä` (0xC3 0xA4) as Latin-1's single 0xE4.
    bytes.splice(at..at + 2, [0xE4]);
    let line = NORRTALJE_2025[..at].lines().count();
    let col = NORRTALJE_2025[..at].lines().last().unwrap().chars().count() + 1;
    let (exit, stderr) = taxa(&["check"], &bytes);
    assert_eq!(exit, 3, "{stderr}");
    let want = format!("from line {line}, column {col}: byte 0xE4 (byte {at} of the file)");
    assert!(stderr.contains(&want), "{stderr}");
}

/// `över Т1` with a Cyrillic `Т`: "did you mean `T1`?" with no word on
/// what differs, which the eye cannot see.
#[test]
fn a_cyrillic_t1_names_the_look_alike_letter() {
    let src = NORRTALJE_2025.replacen("över T1\n", "över Т1\n", 1);
    let err = check::load(&src, "x.taxa").unwrap_err();
    let help: Vec<String> = err
        .errors()
        .filter_map(|d| d.help().map(|h| h.to_string()))
        .collect();
    assert_eq!(
        help,
        ["did you mean `T1`? `Т` (U+0422 CYRILLIC CAPITAL LETTER TE) looks like `T`"]
    );
}

/// `gräns 0` said "a limit is a whole count", which 0 is.
#[test]
fn grans_0_says_a_limit_counts_at_least_1() {
    let src = NORRTALJE_2025.replacen("gräns 4 per", "gräns 0 per", 1);
    let err = check::load(&src, "x.taxa").unwrap_err();
    let messages: Vec<String> = err.errors().map(|d| d.to_string()).collect();
    assert_eq!(messages, ["a limit counts at least 1"]);
    let src = NORRTALJE_2025.replacen("gräns 4 per", "gräns 1,5 per", 1);
    let err = check::load(&src, "x.taxa").unwrap_err();
    let messages: Vec<String> = err.errors().map(|d| d.to_string()).collect();
    assert_eq!(messages, ["a limit is a whole count"]);
}
