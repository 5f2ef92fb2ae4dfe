//! The JSON view: the output contract of `--format json`
//! (see `data-format.md`, "Output contract").
//!
//! The output is built from private serde structs whose field order is the
//! output order, so it is byte-deterministic without relying on
//! `serde_json::Map` ordering. Decimals are written as strings: amounts,
//! totals and rates with exactly two decimals, quantities with two to four.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::eval::{
    ContractInfo, KeyPart, Line, NotPaid, NotPaidPart, PayRun, Reconciliation, SourceRef, Statement,
};

use super::format::{money, month, quantity};
use super::words::{self, Lang};

/// The run as pretty-printed JSON (two-space indent) with a trailing
/// newline. `lang`: the language of the reasons and explanations; field
/// names, kinds and check codes are the same in every language.
pub fn to_json(run: &PayRun, lang: Lang) -> String {
    let mut out = serde_json::to_string_pretty(&JsonRun::of(run, lang))
        .expect("serialising plain structs of strings and integers cannot fail");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonRun<'a> {
    contract: JsonContract<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    versions: Vec<JsonContract<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uncovered_months: Vec<String>,
    statements: Vec<JsonStatement<'a>>,
    not_paid: Vec<JsonNotPaid<'a>>,
    not_paid_parts: Vec<JsonPart<'a>>,
    reconciliation: JsonReconciliation,
}

#[derive(Serialize)]
struct JsonContract<'a> {
    name: &'a str,
    file: &'a str,
    valid_from: String,
    valid_to: String,
}

#[derive(Serialize)]
struct JsonStatement<'a> {
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_name: Option<&'a str>,
    period: String,
    total: String,
    lines: Vec<JsonLine<'a>>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    term: &'a str,
    label: &'a str,
    key: JsonKey<'a>,
    quantity: String,
    unit: &'a str,
    rate: String,
    rate_unit: &'a str,
    amount: String,
    source: String,
    explanation: String,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    details: &'a [String],
}

/// A line's key as a JSON object whose members keep the order of the pairs.
struct JsonKey<'a>(&'a [KeyPart]);

impl Serialize for JsonKey<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for part in self.0 {
            map.serialize_entry(&part.name, &part.value)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonNotPaid<'a> {
    kind: &'static str,
    id: &'a str,
    reason: std::borrow::Cow<'a, str>,
    /// An engine reason's stable code (`duplicate`, …); none for the rule
    /// file's own reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<std::borrow::Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<String>,
}

#[derive(Serialize)]
struct JsonPart<'a> {
    kind: &'static str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity: Option<&'a str>,
    reason: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<std::borrow::Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<String>,
}

#[derive(Serialize)]
struct JsonReconciliation {
    visits_in: u64,
    visits_paid: u64,
    visits_not_paid: u64,
    /// Only when a version says `besök ersätts inte`.
    #[serde(skip_serializing_if = "Option::is_none")]
    visits_not_priced: Option<u64>,
    events_in: u64,
    events_paid: u64,
    events_not_paid: u64,
}

impl<'a> JsonRun<'a> {
    fn of(run: &'a PayRun, lang: Lang) -> Self {
        JsonRun {
            contract: JsonContract::from(&run.contract),
            versions: run.versions.iter().map(JsonContract::from).collect(),
            uncovered_months: run.uncovered_months.iter().copied().map(month).collect(),
            statements: run
                .statements
                .iter()
                .map(|s| JsonStatement::of(s, lang))
                .collect(),
            not_paid: run
                .not_paid
                .iter()
                .map(|n| JsonNotPaid::of(n, lang))
                .collect(),
            not_paid_parts: run
                .not_paid_parts
                .iter()
                .map(|p| JsonPart::of(p, lang))
                .collect(),
            reconciliation: JsonReconciliation::from(&run.reconciliation),
        }
    }
}

impl<'a> From<&'a ContractInfo> for JsonContract<'a> {
    fn from(c: &'a ContractInfo) -> Self {
        JsonContract {
            name: &c.name,
            file: &c.file,
            valid_from: c.valid_from.to_string(),
            valid_to: c.valid_to.to_string(),
        }
    }
}

impl<'a> JsonStatement<'a> {
    fn of(s: &'a Statement, lang: Lang) -> Self {
        JsonStatement {
            provider: &s.provider,
            provider_name: s.provider_name.as_deref(),
            period: month(s.period),
            total: money(s.total),
            lines: s.lines.iter().map(|l| JsonLine::of(l, lang)).collect(),
        }
    }
}

impl<'a> JsonLine<'a> {
    fn of(l: &'a Line, lang: Lang) -> Self {
        JsonLine {
            term: &l.term,
            label: &l.label,
            key: JsonKey(&l.key),
            quantity: quantity(l.quantity),
            unit: &l.unit,
            rate: money(l.rate),
            rate_unit: &l.rate_unit,
            amount: money(l.amount),
            source: l.source.to_string(),
            explanation: words::working(l, lang, false),
            details: &l.details,
        }
    }
}

impl<'a> JsonNotPaid<'a> {
    fn of(n: &'a NotPaid, lang: Lang) -> Self {
        JsonNotPaid {
            kind: n.kind.as_str(),
            id: &n.id,
            reason: words::reason(&n.reason, lang),
            check: words::check_code(&n.reason),
            source: n.source.as_ref().map(SourceRef::to_string),
            provider: n.provider.as_deref(),
            period: n.period.map(month),
        }
    }
}

impl<'a> JsonPart<'a> {
    fn of(p: &'a NotPaidPart, lang: Lang) -> Self {
        JsonPart {
            kind: words::part_kind(&p.kind),
            id: &p.id,
            seconds: p.seconds,
            activity: p.activity.as_deref(),
            reason: words::reason(&p.reason, lang),
            check: words::check_code(&p.reason),
            source: p.source.as_ref().map(SourceRef::to_string),
            provider: p.provider.as_deref(),
            period: p.period.map(month),
        }
    }
}

impl From<&Reconciliation> for JsonReconciliation {
    fn from(r: &Reconciliation) -> Self {
        JsonReconciliation {
            visits_in: r.visits_in,
            visits_paid: r.visits_paid,
            visits_not_paid: r.visits_not_paid,
            visits_not_priced: r.visits_not_priced,
            events_in: r.events_in,
            events_paid: r.events_paid,
            events_not_paid: r.events_not_paid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{dec, empty_run, line, sample_run, src};
    use serde_json::Value;

    #[test]
    fn sample_run_snapshot() {
        insta::assert_snapshot!("sample_run_json", to_json(&sample_run(), Lang::En));
    }

    #[test]
    fn sample_run_snapshot_in_swedish() {
        insta::assert_snapshot!("sample_run_json_sv", to_json(&sample_run(), Lang::Sv));
    }

    #[test]
    fn empty_run_snapshot() {
        insta::assert_snapshot!("empty_run_json", to_json(&empty_run(), Lang::En));
    }

    #[test]
    fn parses_back_with_the_contract_fields() {
        let v: Value = serde_json::from_str(&to_json(&sample_run(), Lang::En)).unwrap();
        assert_eq!(v["contract"]["file"], "rules/norrtalje-2025.taxa");
        assert_eq!(v["contract"]["valid_to"], "2025-12-31");

        let statements = v["statements"].as_array().unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(statements[0]["provider"], "P01");
        assert_eq!(statements[0]["provider_name"], "Omsorg Nord AB");
        assert!(statements[1].get("provider_name").is_none());
        assert_eq!(statements[0]["total"], "106169.41");

        let l = &statements[0]["lines"][0];
        assert_eq!(l["term"], "T1");
        assert_eq!(l["quantity"], "254.25");
        assert_eq!(l["rate"], "486.00");
        assert_eq!(l["rate_unit"], "kr/h");
        assert_eq!(l["amount"], "123565.50");
        assert_eq!(l["source"], "rules/norrtalje-2025.taxa:14:1");
        assert!(l.get("details").is_none());
        assert_eq!(statements[0]["lines"][2]["key"], serde_json::json!({}));
        assert_eq!(statements[0]["lines"][3]["amount"], "-23247.70");
        assert_eq!(
            statements[0]["lines"][3]["details"],
            serde_json::json!(["cuts T1, T3"])
        );

        let np = v["not_paid"].as_array().unwrap();
        assert_eq!(np.len(), 5);
        assert_eq!(np[0]["kind"], "visit");
        assert_eq!(np[0]["source"], "rules/norrtalje-2025.taxa:3:1");
        assert!(np[1].get("source").is_none());
        assert!(np[2].get("provider").is_none() && np[2].get("period").is_none());
        assert_eq!(np[3]["kind"], "event");
        assert_eq!(np[4]["kind"], "customer-month");
        assert_eq!(np[4]["id"], "C042:2025-03");

        let parts = v["not_paid_parts"].as_array().unwrap();
        assert_eq!(parts[0]["kind"], "visit_time");
        assert_eq!(parts[0]["seconds"], 1800);
        assert!(parts[0].get("activity").is_none());
        assert_eq!(parts[1]["kind"], "visit_activity");
        assert_eq!(parts[1]["activity"], "inköp");
        assert!(parts[1].get("seconds").is_none());

        let r = &v["reconciliation"];
        assert_eq!(r["visits_in"], 1204);
        assert_eq!(r["events_not_paid"], 1);
    }

    #[test]
    fn every_amount_total_and_rate_has_two_decimals() {
        let v: Value = serde_json::from_str(&to_json(&sample_run(), Lang::En)).unwrap();
        let two_decimals = |s: &Value| {
            let s = s.as_str().expect("a decimal string");
            let (_, frac) = s.split_once('.').expect("a decimal point");
            frac.len() == 2 && frac.chars().all(|c| c.is_ascii_digit())
        };
        for st in v["statements"].as_array().unwrap() {
            assert!(two_decimals(&st["total"]), "{}", st["total"]);
            for l in st["lines"].as_array().unwrap() {
                assert!(two_decimals(&l["amount"]), "{}", l["amount"]);
                assert!(two_decimals(&l["rate"]), "{}", l["rate"]);
            }
        }
    }

    #[test]
    fn key_object_keeps_the_pair_order() {
        // Reverse alphabetical, so a sorted map would give a different order.
        let mut run = empty_run();
        run.statements.push(Statement {
            provider: "P01".to_string(),
            provider_name: None,
            period: crate::report::fixture::march(),
            total: dec("1"),
            lines: vec![line(
                "T1",
                "Hemtjänst",
                &[("zone", "tätort"), ("shift", "natt"), ("avtal", "A")],
                "1",
                "h",
                "1",
                "kr/h",
                "1",
                src(1, 1),
                None,
                &[],
            )],
        });
        let json = to_json(&run, Lang::En);
        let zone = json.find("\"zone\"").unwrap();
        let shift = json.find("\"shift\"").unwrap();
        let avtal = json.find("\"avtal\"").unwrap();
        assert!(zone < shift && shift < avtal, "{json}");

        // serde_json's Map sorts on parse, so only the members are checked here.
        let v: Value = serde_json::from_str(&json).unwrap();
        let key = v["statements"][0]["lines"][0]["key"].as_object().unwrap();
        assert_eq!(key.len(), 3);
        assert_eq!(key["zone"], "tätort");
        assert_eq!(key["shift"], "natt");
        assert_eq!(key["avtal"], "A");
    }

    #[test]
    fn pretty_with_two_space_indent_and_trailing_newline() {
        let json = to_json(&sample_run(), Lang::En);
        assert!(json.starts_with("{\n  \"contract\": {\n    \"name\""));
        assert!(json.ends_with("}\n") && !json.ends_with("\n\n"));
    }

    #[test]
    fn deterministic() {
        assert_eq!(
            to_json(&sample_run(), Lang::En),
            to_json(&sample_run(), Lang::En)
        );
    }
}
