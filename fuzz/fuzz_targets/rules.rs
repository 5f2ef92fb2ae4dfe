//! Any bytes as a rule file: `check::load` must return `Ok` or `Err`, never
//! panic, and every diagnostic it returns must render through miette with the
//! source attached (a span past the end of the text, or inside a UTF-8
//! character, would panic there). A rule file that checks is then paid, in
//! lenient mode, over the bundled example of the contract it came from, so a
//! contract the checker accepts but the evaluator cannot pay is found too.
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
    let s = String::from_utf8_lossy(data).into_owned();
    match check::load(&s, "fuzz.taxa") {
        Ok(contract) => pay_example(&contract, data.len()),
        Err(err) => match err.kind {
            LoadErrorKind::Syntax(errors) => {
                assert!(
                    !errors.is_empty(),
                    "a failed parse reports at least one error"
                );
                for e in errors {
                    render(e, &s);
                }
            }
            LoadErrorKind::Check(errors) => {
                assert!(
                    !errors.is_empty(),
                    "a failed check reports at least one error"
                );
                for e in errors {
                    render(e, &s);
                }
            }
            LoadErrorKind::Read(e) => panic!("check::load reads no file: {e}"),
        },
    }
});

fn render<E: miette::Diagnostic + Send + Sync + 'static>(e: E, s: &str) {
    let text = format!(
        "{:?}",
        miette::Report::new(e).with_source_code(s.to_string())
    );
    assert!(!text.is_empty());
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
            let _ = taxa::report::to_json(&run);
            let _ = taxa::report::to_text(&run);
            let r = &run.reconciliation;
            assert_eq!(r.visits_in, r.visits_paid + r.visits_not_paid, "{r:?}");
            assert_eq!(r.events_in, r.events_paid + r.events_not_paid, "{r:?}");
        }
        Err(e) => {
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
}
