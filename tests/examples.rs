//! The bundled examples, end to end through the `taxa` binary: every line,
//! total and not-paid entry of the hand-worked statement (expected.json,
//! worked in EXPECTED.md), conservation, and independence of row order.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod common;
use common::EXAMPLES;

fn taxa_json(rules: &str, data: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(["pay", rules, "--format", "json", "--data"])
        .arg(data)
        .output()
        .expect("taxa runs");
    assert!(
        out.status.success(),
        "taxa pay failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The fields a hand-worked statement pins down.
fn project(run: &Value) -> Value {
    let statements: Vec<Value> = run["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            json!({
                "provider": s["provider"],
                "period": s["period"],
                "total": s["total"],
                "lines": s["lines"].as_array().unwrap().iter().map(|l| json!({
                    "term": l["term"], "key": l["key"], "amount": l["amount"],
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let not_paid: Vec<Value> = run["not_paid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| json!({"kind": n["kind"], "id": n["id"], "reason": n["reason"]}))
        .collect();
    let parts: Vec<Value> = run["not_paid_parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut o = json!({"kind": p["kind"], "id": p["id"], "reason": p["reason"]});
            for f in ["seconds", "activity"] {
                if !p[f].is_null() {
                    o[f] = p[f].clone();
                }
            }
            o
        })
        .collect();
    json!({
        "statements": statements,
        "not_paid": not_paid,
        "not_paid_parts": parts,
        "reconciliation": run["reconciliation"],
    })
}

#[test]
fn examples_reproduce_the_hand_worked_statements() {
    for (dir, rules) in EXAMPLES {
        let got: Value = serde_json::from_str(&taxa_json(rules, Path::new(dir))).unwrap();
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/expected.json")).unwrap())
                .unwrap();
        let got = project(&got);
        for (g, w) in got["statements"]
            .as_array()
            .unwrap()
            .iter()
            .zip(want["statements"].as_array().unwrap())
        {
            assert_eq!(g, w, "{dir}: statement differs");
        }
        assert_eq!(got["statements"], want["statements"], "{dir}: statements");
        assert_eq!(got["not_paid"], want["not_paid"], "{dir}: not paid");
        let no_parts = json!([]);
        let want_parts = want.get("not_paid_parts").unwrap_or(&no_parts);
        let strip = |v: &Value| -> Vec<Value> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    p.as_object_mut().unwrap().retain(|k, _| {
                        ["kind", "id", "reason", "seconds", "activity"].contains(&k.as_str())
                    });
                    p
                })
                .collect()
        };
        assert_eq!(
            strip(&got["not_paid_parts"]),
            strip(want_parts),
            "{dir}: not paid parts"
        );
        assert_eq!(
            got["reconciliation"], want["reconciliation"],
            "{dir}: reconciliation"
        );
    }
}

#[test]
fn nothing_is_lost() {
    for (dir, rules) in EXAMPLES {
        let run: Value = serde_json::from_str(&taxa_json(rules, Path::new(dir))).unwrap();
        let r = &run["reconciliation"];
        let n = |k: &str| r[k].as_u64().unwrap();
        // A contract that prices no visits counts them instead.
        let not_priced = r["visits_not_priced"].as_u64().unwrap_or(0);
        assert_eq!(
            n("visits_in"),
            n("visits_paid") + n("visits_not_paid") + not_priced,
            "{dir}"
        );
        assert_eq!(
            n("events_in"),
            n("events_paid") + n("events_not_paid"),
            "{dir}"
        );
        let rows = |f: &str| {
            csv::Reader::from_path(format!("{dir}/{f}"))
                .unwrap()
                .records()
                .count() as u64
        };
        assert_eq!(
            n("visits_in"),
            rows("visits.csv"),
            "{dir}: every visit row counted"
        );
        assert_eq!(
            n("events_in"),
            rows("events.csv"),
            "{dir}: every event row counted"
        );
        // Every statement's total is the sum of its lines.
        for s in run["statements"].as_array().unwrap() {
            let cents = |v: &Value| -> i64 {
                let t = v.as_str().unwrap().replace('.', "");
                t.parse().unwrap()
            };
            let sum: i64 = s["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| cents(&l["amount"]))
                .sum();
            assert_eq!(
                sum,
                cents(&s["total"]),
                "{dir} {} {}",
                s["provider"],
                s["period"]
            );
        }
    }
}

/// A small deterministic shuffle (xorshift), so the test needs no RNG crate.
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}

fn shuffled_copy(dir: &Path, seed: u64) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    // Every file of the data set: the four standard ones and any the rule
    // file declares of its own (`fil`).
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".csv"))
        .collect();
    files.sort();
    for f in &files {
        let mut r = csv::Reader::from_path(dir.join(f)).unwrap();
        let header = r.headers().unwrap().clone();
        let mut rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        shuffle(
            &mut rows,
            seed.wrapping_mul(31).wrapping_add(f.len() as u64) | 1,
        );
        let mut w = csv::Writer::from_path(tmp.path().join(f)).unwrap();
        w.write_record(&header).unwrap();
        for row in rows {
            w.write_record(&row).unwrap();
        }
        w.flush().unwrap();
    }
    tmp
}

#[test]
fn row_order_does_not_change_a_byte() {
    for (dir, rules) in EXAMPLES {
        let original = taxa_json(rules, &PathBuf::from(dir));
        for seed in [1u64, 7, 42, 1234] {
            let tmp = shuffled_copy(Path::new(dir), seed);
            assert_eq!(
                taxa_json(rules, tmp.path()),
                original,
                "{dir}: output changed with rows shuffled (seed {seed})"
            );
        }
    }
}

/// The JSON of a run in `lang` (`sv` or `en`).
fn taxa_json_in(rules: &str, data: &Path, lang: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(["pay", rules, "--format", "json", "--lang", lang, "--data"])
        .arg(data)
        .output()
        .expect("taxa runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_language_changes_only_reasons_and_explanations_and_engine_reasons_carry_a_code() {
    for (dir, rules) in EXAMPLES {
        let (mut sv, mut en) = (
            taxa_json_in(rules, Path::new(dir), "sv"),
            taxa_json_in(rules, Path::new(dir), "en"),
        );
        assert_eq!(
            sv,
            serde_json::from_str::<Value>(&taxa_json(rules, Path::new(dir))).unwrap()
        );
        for n in sv["not_paid"].as_array().unwrap() {
            // The engine's own reasons cite nothing or a `kontroller` line and
            // carry a code; the rule file's cite their rule and carry none.
            let engine = n.get("check").is_some();
            let source = n["source"].as_str().unwrap_or("");
            assert!(
                engine || !source.is_empty(),
                "{dir}: {n} is neither the engine's nor a rule's"
            );
        }
        for v in [&mut sv, &mut en] {
            for key in ["not_paid", "not_paid_parts"] {
                for n in v[key].as_array_mut().unwrap() {
                    n.as_object_mut().unwrap().remove("reason");
                }
            }
            for s in v["statements"].as_array_mut().unwrap() {
                for l in s["lines"].as_array_mut().unwrap() {
                    l.as_object_mut().unwrap().remove("explanation");
                }
            }
        }
        assert_eq!(sv, en, "{dir}: the languages differ beyond words");
    }
}
