//! Any bytes as a rule file: `check::load` must return `Ok` or `Err`, never
//! panic, and every diagnostic it returns must render through miette with the
//! source attached (a span past the end of the text, or inside a UTF-8
//! character, would panic there). A rule file that checks is then paid, in
//! lenient mode, over the bundled example of the contract it came from, so a
//! contract the checker accepts but the evaluator cannot pay is found too.
//!
//! An input that starts with 0xFE (never part of UTF-8) is a recipe for a
//! deep rule file instead, so libFuzzer reaches depths that random bytes
//! do not (issue 9: 7 000 parentheses, 10 000 `inte`, 70 000 factors): see
//! [`deep`]. `tests/deep_rules.rs` runs the same shapes in `cargo test`.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use taxa::check::{self, Contract, LoadErrorKind};
use taxa::data::DataDir;
use taxa::eval;

/// Contract names of the bundled rule files, and their worked examples.
const EXAMPLES: &[(&str, &str)] = &[
    ("Norrtälje 2025", "norrtalje-2025"),
    ("Norrtälje 2024", "norrtalje-2024"),
    ("Österåker, utförd tid 2025", "osteraker-tid"),
    ("Österåker, per insats 2025", "osteraker-insats"),
    ("Örebro, behovsnivåer 2023", "orebro-niva"),
    ("SKR normkommun 2024", "skr-norm"),
];

fuzz_target!(|data: &[u8]| {
    let s = match data.split_first() {
        Some((0xFE, recipe)) => deep(recipe),
        _ => String::from_utf8_lossy(data).into_owned(),
    };
    match check::load(&s, "fuzz.taxa") {
        Ok(contract) => pay_example(&contract, data.len()),
        Err(err) => {
            match &err.kind {
                LoadErrorKind::Syntax(errors) => {
                    assert!(!errors.is_empty(), "a failed parse reports an error")
                }
                LoadErrorKind::Check(errors) => {
                    assert!(!errors.is_empty(), "a failed check reports an error")
                }
                LoadErrorKind::Read(e) => panic!("check::load reads no file: {e}"),
            }
            for d in err.errors() {
                assert!(d.code().is_some(), "every diagnostic has a code: {d}");
                for l in d.labels().into_iter().flatten() {
                    assert!(l.offset() + l.len() <= s.len(), "a span inside the text");
                }
            }
            // As the CLI renders them: each with the text as read (a BOM
            // skipped), a span past the end or inside a character, or too
            // far right for miette, would panic here.
            for r in err.reports() {
                assert!(!format!("{r:?}").is_empty());
            }
        }
    }
});

/// A rule file from a recipe: the 2025 contract with T4's price and the
/// `utförd` condition wrapped, pair of bytes by pair of bytes, in `n`
/// levels of one kind (`n` = the second byte × 40, up to 10 200; 12 000 in
/// all): `(…)`,
/// `× 1`, `+ 0 kr/h`, `inte`, `och …`, `eller …`, nested day sums.
fn deep(recipe: &[u8]) -> String {
    let mut price = "45 kr/h".to_string();
    let mut cond = "status = utförd".to_string();
    let mut days = 0;
    // At most 8 steps and 12 000 levels in all: deep enough for every
    // hazard (pest gives up near 2 900), small enough to run in well under
    // a second with AddressSanitizer (a 1.4 MB recipe took 11 s).
    let mut budget = 12_000usize;
    for pair in recipe.chunks_exact(2).take(8) {
        let n = (usize::from(pair[1]) * 40).min(budget);
        budget -= n;
        match pair[0] % 7 {
            0 => price = format!("{}{price}{}", "(".repeat(n), ")".repeat(n)),
            1 => price += &" × 1".repeat(n),
            2 => price += &" + 0 kr/h".repeat(n),
            3 => cond = format!("{}({cond})", "inte ".repeat(n)),
            4 => cond += &" och staff = omsorg".repeat(n),
            5 => cond = format!("({cond}){}", " eller alarm = ja".repeat(n)),
            _ => days += n,
        }
    }
    include_str!("../../rules/norrtalje-2025.taxa")
        .replacen("betala betald_tid × 45 kr/h", &format!("betala betald_tid × ({price})"), 1)
        .replacen("villkor utförd: status = utförd", &format!("villkor utförd: {cond}"), 1)
        .replacen(
            "högst summa för kunddagar av",
            &format!("högst summa för kunddagar {}av", "av summa för kunddagar ".repeat(days)),
            1,
        )
}

/// Pays the example whose contract has this name (any example if the name
/// was mutated away), leniently so data the mutated contract no longer
/// declares still leaves rows to pay.
fn pay_example(contract: &Contract, salt: usize) {
    let dir = EXAMPLES
        .iter()
        .position(|(name, _)| *name == contract.name)
        .unwrap_or(salt % EXAMPLES.len());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(EXAMPLES[dir].1);
    let opts = eval::Options {
        lenient: true,
        ..Default::default()
    };
    match eval::pay_with(std::slice::from_ref(contract), &DataDir::new(path), &opts) {
        Ok(run) => {
            let _ = taxa::report::to_json(&run, taxa::report::Lang::En);
            let _ = taxa::report::to_text(&run, taxa::report::Lang::Sv);
            let r = &run.reconciliation;
            assert_eq!(r.visits_in, r.visits_paid + r.visits_not_paid, "{r:?}");
            assert_eq!(r.events_in, r.events_paid + r.events_not_paid, "{r:?}");
        }
        Err(e) => {
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
}
