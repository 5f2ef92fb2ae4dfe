//! Deep and long rule files, generated: nested parentheses, `inte`, `och` /
//! `eller`, `summa för kunddagar` and long `×` / `+` chains, up to 10 000
//! levels, in the places a contract has them (`betala`, `där`, `villkor`, a
//! cap's bound). `check::load` must return (a contract or diagnostics,
//! every one with a code and a span inside the text), and a contract that
//! checks must pay the worked example without a panic. Everything runs on
//! a thread with a 2 MiB stack, what `cargo test` gives its threads, so a
//! stack overflow is a failure of this test, not of a later one.
//!
//! The same shapes are in the `rules` fuzz target's dictionary
//! (`fuzz/rules.dict`); this is the structure-aware half, which also runs
//! where cargo-fuzz cannot.

use proptest::prelude::*;
use taxa::check;
use taxa::data::DataDir;
use taxa::eval;
use taxa::syntax::MAX_DEPTH;

const NORRTALJE_2025: &str = include_str!("../rules/norrtalje-2025.taxa");

/// One level of nesting around an expression or a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Paren,
    /// `x × 1`, or `x + 0 kr/h` (a chain grows to the left).
    Times,
    Plus,
    /// `inte (…)`: only around conditions.
    Not,
    /// `… och status = utförd`, `… eller alarm = ja`.
    And,
    Or,
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![
        Just(Level::Paren),
        Just(Level::Times),
        Just(Level::Plus),
        Just(Level::Not),
        Just(Level::And),
        Just(Level::Or),
    ]
}

/// Up to 10 000 levels, as runs of one kind (a run of 7 000 parentheses
/// is a different stress than 7 000 alternating levels).
fn levels() -> impl Strategy<Value = Vec<(Level, usize)>> {
    prop::collection::vec(
        (
            level(),
            prop_oneof![1..4usize, 30..70usize, 500..2_000usize, 5_000..10_000usize],
        ),
        0..4,
    )
}

/// `base` wrapped in `levels`, innermost first: an amount in kr/h when
/// `cond` is false, else a condition.
fn wrap(base: &str, levels: &[(Level, usize)], cond: bool) -> String {
    let mut s = base.to_string();
    for &(l, n) in levels {
        let n = n.min(10_000);
        s = match l {
            Level::Paren => format!("{}{s}{}", "(".repeat(n), ")".repeat(n)),
            Level::Times if !cond => format!("{s}{}", " × 1".repeat(n)),
            Level::Plus if !cond => format!("{s}{}", " + 0 kr/h".repeat(n)),
            Level::Not if cond => format!("{}({s})", "inte ".repeat(n)),
            Level::And if cond => format!("{s}{}", " och status = utförd".repeat(n)),
            Level::Or if cond => format!("({s}){}", " eller alarm = ja".repeat(n)),
            // A level that does not fit: parentheses, which always do.
            _ => format!("{}{s}{}", "(".repeat(n), ")".repeat(n)),
        };
    }
    s
}

/// The 2025 contract with T4's price, T1's filter and the `utförd`
/// condition nested as generated, and `days` nested day sums in T2's bound.
fn rule_file(price: &[(Level, usize)], filter: &[(Level, usize)], days: usize) -> String {
    let price = wrap("45 kr/h", price, false);
    let filter = wrap("staff = omsorg", filter, true);
    let src = NORRTALJE_2025
        .replacen(
            "betala betald_tid × 45 kr/h",
            &format!("betala betald_tid × ({price})"),
            1,
        )
        .replacen(
            "villkor utförd: status = utförd",
            &format!("villkor utförd: {filter}"),
            1,
        );
    // The bound without its share (`tak_biståndstid ×`, 100 %), so the sums
    // nest from the bound's first level as before.
    src.replacen(
        "högst tak_biståndstid × summa för kunddagar av",
        &format!(
            "högst summa för kunddagar {}av",
            "av summa för kunddagar ".repeat(days)
        ),
        1,
    )
}

/// Checks `src`, and pays the example when it checks; on a 2 MiB stack.
/// The codes of the errors, if any.
fn check_and_pay(src: String) -> Result<(), Vec<String>> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let err = match check::load(&src, "deep.taxa") {
                Ok(contract) => {
                    let run = eval::pay(
                        &contract,
                        &DataDir::new(concat!(
                            env!("CARGO_MANIFEST_DIR"),
                            "/examples/norrtalje-2025"
                        )),
                        None,
                    );
                    assert!(run.is_ok(), "{run:?}");
                    return Ok(());
                }
                Err(err) => err,
            };
            let mut codes = Vec::new();
            for d in err.errors() {
                let code = d.code().expect("every diagnostic has a code").to_string();
                let labels: Vec<_> = d.labels().expect("every diagnostic has a span").collect();
                assert!(!labels.is_empty(), "{code}: no span");
                for l in labels {
                    assert!(
                        l.offset() + l.len() <= src.len(),
                        "{code}: span past the text"
                    );
                }
                assert!(d.help().is_some(), "{code}: no help: {d}");
                codes.push(code);
            }
            // As the CLI renders them: no panic in miette either.
            for r in err.reports() {
                let _ = format!("{r:?}");
            }
            assert!(!codes.is_empty());
            Err(codes)
        })
        .unwrap()
        .join()
        .expect("no panic and no stack overflow on a 2 MiB stack")
}

/// Whether a run of `n` levels of this kind nests (`och` and `eller` lists
/// are one level however long).
fn nests(l: Level) -> bool {
    !matches!(l, Level::And | Level::Or)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn deep_rule_files_check_or_say_too_deep(
        price in levels(),
        filter in levels(),
        days in prop_oneof![Just(0usize), 1..80usize, 1_000..3_000usize],
    ) {
        let deep = price.iter().chain(&filter).any(|&(l, n)| nests(l) && n > MAX_DEPTH)
            || days > MAX_DEPTH;
        match check_and_pay(rule_file(&price, &filter, days)) {
            Ok(()) => prop_assert!(!deep, "checked and paid although too deep"),
            // Deep is refused as too deep, never as something else.
            Err(codes) => if deep {
                prop_assert!(codes.iter().any(|c| c == "taxa::too_deep"), "{codes:?}");
            },
        }
    }
}

/// The limit exactly: `betala betald_tid × (P)` puts P at level 3 (the
/// product, its operand in parentheses, P), and `villkor utförd: inte … (C)`
/// puts C's operands three levels below the `inte`s; so `MAX_DEPTH - 3`
/// levels of any kind check and pay, one more is `taxa::too_deep`.
#[test]
fn the_limit_is_the_same_for_every_kind_of_level() {
    let fits = MAX_DEPTH - 3;
    for kind in [Level::Paren, Level::Times, Level::Plus, Level::Not] {
        let file = |n| {
            if kind == Level::Not {
                rule_file(&[], &[(kind, n)], 0)
            } else {
                rule_file(&[(kind, n)], &[], 0)
            }
        };
        assert_eq!(check_and_pay(file(fits)), Ok(()), "{kind:?} × {fits}");
        let err = check_and_pay(file(fits + 1)).unwrap_err();
        assert_eq!(err, ["taxa::too_deep"], "{kind:?} × {}", fits + 1);
    }
    // A list is one level, however long (but each use of `utförd` is a
    // copy of it: 10 000 alternatives would be `taxa::too_large`).
    for kind in [Level::And, Level::Or] {
        assert_eq!(
            check_and_pay(rule_file(&[], &[(kind, 2_000)], 0)),
            Ok(()),
            "{kind:?}"
        );
    }
}
