//! What a provider is sent holds only its own rows: `pay --provider P` and
//! `pay --out-dir DIR` (one file per provider) in every format contain no
//! other provider's id, name, customer ids, visit or event ids, and balance
//! their own counts.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn taxa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(args)
        .output()
        .expect("taxa runs")
}

const RULES: &str = "rules/norrtalje-2025.taxa";
const DATA: &str = "examples/norrtalje-2025";

/// Every id and name in the data files, by the provider whose rows they are
/// on (a customer on two providers' rows belongs to both).
fn owned_words() -> Vec<(String, BTreeSet<String>)> {
    let mut by: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for (file, id_col, prov_col, cust_col) in [
        ("visits.csv", 0, 1, Some(2)),
        ("events.csv", 0, 1, Some(2)),
        ("customers.csv", usize::MAX, 1, Some(0)),
        ("providers.csv", usize::MAX, 0, None),
    ] {
        let text = std::fs::read_to_string(Path::new(DATA).join(file)).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let name_col = header.iter().position(|h| *h == "name");
        for l in lines {
            let cells: Vec<&str> = l.split(',').collect();
            let p = cells[prov_col].to_string();
            let set = by.entry(p.clone()).or_default();
            set.insert(p);
            if id_col != usize::MAX {
                set.insert(cells[id_col].to_string());
            }
            if let Some(c) = cust_col
                && !cells[c].is_empty()
            {
                set.insert(cells[c].to_string());
            }
            if let Some(n) = name_col {
                set.insert(cells[n].to_string());
            }
        }
    }
    by.into_iter().collect()
}

/// `word` stands in `text` as a whole word (not inside a longer id).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let id_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !id_char(before) && !id_char(after)
    })
}

#[test]
fn a_providers_file_holds_no_other_providers_ids_names_or_customers() {
    let owned = owned_words();
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "text", "csv", "html"] {
        let out_dir = dir.path().join(format);
        let o = taxa(&[
            "pay",
            RULES,
            "--data",
            DATA,
            "--format",
            format,
            "--out-dir",
            out_dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut files: Vec<String> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let ext = if format == "text" { "txt" } else { format };
        assert_eq!(
            files,
            ["P1", "P2", "P3"].map(|p| format!("{p}.{ext}")),
            "one file per provider"
        );
        for (p, _) in owned.iter().filter(|(p, _)| p.starts_with('P')) {
            let text = std::fs::read_to_string(out_dir.join(format!("{p}.{ext}"))).unwrap();
            let mine = &owned.iter().find(|(q, _)| q == p).unwrap().1;
            for (other, words) in owned.iter().filter(|(q, _)| q != p) {
                for w in words.difference(mine) {
                    assert!(
                        !has_word(&text, w),
                        "{p}.{ext} names {w:?}, which is {other}'s"
                    );
                }
            }
            assert!(has_word(&text, p), "{p}.{ext} is about {p}");
        }
    }
}

#[test]
fn a_providers_json_is_its_statements_of_the_whole_run_and_balances() {
    let whole: Value =
        serde_json::from_slice(&taxa(&["pay", RULES, "--data", DATA, "--format", "json"]).stdout)
            .unwrap();
    let mut visits_in = 0;
    for p in ["P1", "P2", "P3"] {
        let o = taxa(&[
            "pay",
            RULES,
            "--data",
            DATA,
            "--format",
            "json",
            "--provider",
            p,
        ]);
        let mine: Value = serde_json::from_slice(&o.stdout).unwrap();
        let expected: Vec<&Value> = whole["statements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["provider"] == p)
            .collect();
        let got: Vec<&Value> = mine["statements"].as_array().unwrap().iter().collect();
        assert_eq!(
            got, expected,
            "{p}: the same statements as in the whole run"
        );
        assert!(
            mine["not_paid"]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n["provider"] == p),
            "{p}: only its own not-paid rows"
        );
        let r = &mine["reconciliation"];
        let n = |k: &str| r[k].as_u64().unwrap();
        assert_eq!(
            n("visits_in"),
            n("visits_paid") + n("visits_not_paid"),
            "{p}: {r}"
        );
        assert_eq!(
            n("events_in"),
            n("events_paid") + n("events_not_paid"),
            "{p}: {r}"
        );
        visits_in += n("visits_in");
    }
    // The example's rows all name a provider and none is unreadable, so the
    // providers' counts add up to the run's.
    assert_eq!(
        visits_in,
        whole["reconciliation"]["visits_in"].as_u64().unwrap()
    );
}
