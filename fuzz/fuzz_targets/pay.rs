//! Any bytes as a data set, paid by every bundled contract: `eval::pay` must
//! return `Ok` or `Err`, never panic; on `Ok` both reports render and the
//! reconciliation balances.
//!
//! Input layout: byte 0 picks the run. Its high bit asks for a lenient run
//! (unreadable rows become not-paid entries); the low seven bits, modulo
//! `CONTRACTS.len() + 1`, pick the contract, the last value paying by both
//! Norrtälje versions at once (several versions of one contract). The rest is split on 0xFF bytes (never part of UTF-8
//! text): part 0 is visits.csv, part 1 customers.csv, part 2 events.csv. A
//! part that is not there is a file that is not there. providers.csv is
//! fixed and valid.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use taxa::check::{self, Contract};
use taxa::data::DataDir;
use taxa::eval::{self, PayRun};

const CONTRACTS: &[(&str, &str)] = &[
    (
        "rules/norrtalje-2025.taxa",
        include_str!("../../rules/norrtalje-2025.taxa"),
    ),
    (
        "rules/norrtalje-2024.taxa",
        include_str!("../../rules/norrtalje-2024.taxa"),
    ),
    (
        "rules/osteraker-tid.taxa",
        include_str!("../../rules/osteraker-tid.taxa"),
    ),
    (
        "rules/osteraker-insats.taxa",
        include_str!("../../rules/osteraker-insats.taxa"),
    ),
    (
        "rules/orebro-nivå.taxa",
        include_str!("../../rules/orebro-nivå.taxa"),
    ),
    (
        "rules/skr-norm.taxa",
        include_str!("../../rules/skr-norm.taxa"),
    ),
];

const PROVIDERS: &str = "provider,name,regime
P1,Omsorg Nord AB,privat
P2,Kommunens hemtjänst,kommunal
P3,Roslagens Vård AB,privat
A1,Omsorgshuset AB,privat
A2,Kommunens hemtjänst,kommunal
A3,Nära Omsorg AB,privat
";

const FILES: [&str; 3] = ["visits.csv", "customers.csv", "events.csv"];

fn contracts() -> &'static [Contract] {
    static C: OnceLock<Vec<Contract>> = OnceLock::new();
    C.get_or_init(|| {
        CONTRACTS
            .iter()
            .map(|(file, src)| {
                check::load(src, file)
                    .unwrap_or_else(|e| panic!("bundled rule file {file} does not load: {e:?}"))
            })
            .collect()
    })
}

fn both_norrtalje() -> &'static [Contract] {
    static V: OnceLock<Vec<Contract>> = OnceLock::new();
    V.get_or_init(|| {
        let mut v = vec![contracts()[0].clone(), contracts()[1].clone()];
        v.sort_by_key(|c| c.valid_from);
        v
    })
}

fn lenient_opts() -> eval::Options {
    eval::Options {
        lenient: true,
        ..Default::default()
    }
}

/// A fresh folder per input, in memory when /dev/shm is there.
fn temp_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let b = tempfile::Builder::new().prefix("taxa-fuzz-").to_owned();
    if shm.is_dir() {
        if let Ok(d) = b.tempdir_in(shm) {
            return d;
        }
    }
    b.tempdir().expect("temp dir")
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let contracts = contracts();
    let dir = temp_dir();
    std::fs::write(dir.path().join("providers.csv"), PROVIDERS).expect("write providers.csv");
    for (file, part) in FILES.iter().zip(rest.split(|&b| b == 0xFF)) {
        std::fs::write(dir.path().join(file), part).expect("write data file");
    }
    let data_dir = DataDir::new(dir.path());
    let lenient = pick & 0x80 != 0;
    let pick = (pick & 0x7F) as usize % (contracts.len() + 1);
    let result = match (pick < contracts.len(), lenient) {
        (true, false) => eval::pay(&contracts[pick], &data_dir, None),
        (true, true) => eval::pay_with(
            std::slice::from_ref(&contracts[pick]),
            &data_dir,
            &lenient_opts(),
        ),
        (false, _) => {
            // Two versions of one contract, sorted by validity as the CLI does.
            let v = both_norrtalje();
            if lenient {
                eval::pay_with(v, &data_dir, &lenient_opts())
            } else {
                eval::pay_versions(v, &data_dir, None)
            }
        }
    };
    match result {
        Ok(run) => check_run(&run),
        Err(e) => {
            // Data errors render as the CLI renders them.
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
});

fn check_run(run: &PayRun) {
    let json = taxa::report::to_json(run, taxa::report::Lang::Sv);
    let text = taxa::report::to_text(run, taxa::report::Lang::En);
    assert!(!json.is_empty() && !text.is_empty());
    let r = &run.reconciliation;
    assert_eq!(
        r.visits_in,
        r.visits_paid + r.visits_not_paid,
        "visits do not balance: {r:?}"
    );
    assert_eq!(
        r.events_in,
        r.events_paid + r.events_not_paid,
        "events do not balance: {r:?}"
    );
}
