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
