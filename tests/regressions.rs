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
    let text = taxa::report::to_text(&run);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
    assert!(text.contains("Evil\\u{1b}[2J\\u{7}AB"), "{text}");
    let json = taxa::report::to_json(&run);
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
