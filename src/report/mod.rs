//! Views of a [`crate::eval::PayRun`]: text for people, JSON for tools.
//!
//! Every word a person reads is rendered here: [`format`] owns the numbers
//! and dates (the JSON view prints canonical decimal strings such as
//! `123565.50`, the text view only localises them to `123 565,50`), and
//! [`words`] the wording of workings, reasons, kinds and headings, in the
//! [`Lang`] the caller asks for (Swedish by default).

pub mod csv;
pub mod diff;
pub mod diff_html;
pub mod explain;
pub mod explain_html;
pub mod format;
pub mod html;
pub mod html_escape;
pub mod json;
pub mod printable;
pub mod text;
pub mod words;

pub use json::to_json;
pub use text::to_text;
pub use words::Lang;

/// A small pay run exercising every part of the views, shared by the tests of
/// both formats.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::check::{Exact, Field};
    use crate::data::DataFile;
    use crate::eval::{
        ContractInfo, KeyPart, Line, Month, NotPaid, NotPaidKind, NotPaidPart, PartKind, PayRun,
        Reason, Reconciliation, SourceRef, Statement, Working,
    };
    use rust_decimal::Decimal;

    pub(crate) const FILE: &str = "rules/norrtalje-2025.taxa";

    pub(crate) fn dec(s: &str) -> Decimal {
        s.parse().expect("test decimal")
    }

    fn exact(s: &str) -> Exact {
        crate::eval::round::exact_of(dec(s))
    }

    pub(crate) fn src(line: u32, col: u32) -> SourceRef {
        SourceRef {
            file: FILE.to_string(),
            line,
            col,
        }
    }

    pub(crate) fn march() -> Month {
        Month::new(2025, 3).unwrap()
    }

    fn key(pairs: &[(&str, &str)]) -> Vec<KeyPart> {
        pairs
            .iter()
            .map(|(k, v)| KeyPart {
                field: Field::Declared(DataFile::Customers, 0),
                name: k.to_string(),
                value: v.to_string(),
            })
            .collect()
    }

    /// A paying term's line: `quantity × rate`, in seconds when `seconds`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line(
        term: &str,
        label: &str,
        key_pairs: &[(&str, &str)],
        quantity: &str,
        unit: &str,
        rate: &str,
        rate_unit: &str,
        amount: &str,
        source: SourceRef,
        seconds: Option<&str>,
        details: &[&str],
    ) -> Line {
        Line {
            term: term.to_string(),
            label: label.to_string(),
            key: key(key_pairs),
            quantity: dec(quantity),
            unit: unit.to_string(),
            rate: dec(rate),
            rate_unit: rate_unit.to_string(),
            amount: dec(amount),
            source,
            working: Working::Product {
                quantity: exact(quantity),
                unit: unit.to_string(),
                rate: exact(rate),
                rate_unit: rate_unit.to_string(),
                seconds: seconds.map(exact),
                product: exact(amount),
            },
            details: details.iter().map(|d| d.to_string()).collect(),
        }
    }

    pub(crate) fn empty_run() -> PayRun {
        PayRun {
            contract: ContractInfo {
                name: "Norrtälje 2025".to_string(),
                file: FILE.to_string(),
                valid_from: "2025-01-01".parse().unwrap(),
                valid_to: "2025-12-31".parse().unwrap(),
            },
            versions: Vec::new(),
            statements: Vec::new(),
            not_paid: Vec::new(),
            not_paid_parts: Vec::new(),
            reconciliation: Reconciliation::default(),
            uncovered_months: Vec::new(),
            warnings: Vec::new(),
            contributions: Vec::new(),
            provider_reconciliations: Default::default(),
            details: Default::default(),
        }
    }

    fn rule(words: &str) -> Reason {
        Reason::Rule(words.to_string())
    }

    /// Two providers (one without a name), a two-field key, a line capped to a
    /// negative amount, a quantity with four decimals, details, every kind of
    /// not-paid entry (with and without source, provider and period) and both
    /// kinds of part.
    pub(crate) fn sample_run() -> PayRun {
        let p01 = Statement {
            provider: "P01".to_string(),
            provider_name: Some("Omsorg Nord AB".to_string()),
            period: march(),
            total: dec("106169.41"),
            lines: vec![
                line(
                    "T1",
                    "Hemtjänst, utförd tid",
                    &[("zone", "tätort")],
                    "254.25",
                    "h",
                    "486",
                    "kr/h",
                    "123565.50",
                    src(14, 1),
                    Some("915300"),
                    &[],
                ),
                line(
                    "T1",
                    "Hemtjänst, utförd tid",
                    &[("zone", "landsbygd")],
                    "3.2258",
                    "h",
                    "512",
                    "kr/h",
                    "1651.61",
                    src(14, 1),
                    Some("11613"),
                    &[],
                ),
                line(
                    "T3",
                    "Larmutryckning",
                    &[],
                    "12",
                    "st",
                    "350",
                    "kr/st",
                    "4200.00",
                    src(22, 1),
                    None,
                    &[],
                ),
                Line {
                    term: "T9".to_string(),
                    label: "Tak per månad".to_string(),
                    key: Vec::new(),
                    quantity: dec("1"),
                    unit: "st".to_string(),
                    rate: dec("-23247.70"),
                    rate_unit: "kr".to_string(),
                    amount: dec("-23247.70"),
                    source: src(40, 3),
                    working: Working::Cap {
                        over: vec!["T1".to_string(), "T3".to_string()],
                        capped: dec("129417.11"),
                        bound: dec("106169.41"),
                        excess: dec("23247.70"),
                    },
                    details: vec!["cuts T1, T3".to_string()],
                },
            ],
        };
        let p02 = Statement {
            provider: "P02".to_string(),
            provider_name: None,
            period: march(),
            total: dec("1238167.80"),
            lines: vec![
                line(
                    "T2",
                    "Hemtjänst, dubbelbemanning",
                    &[("zone", "skärgård"), ("shift", "natt")],
                    "2286.2367",
                    "h",
                    "540.00",
                    "kr/h",
                    "1234567.80",
                    src(18, 1),
                    Some("8230452"),
                    &[],
                ),
                line(
                    "T6",
                    "Månadsavgift per kund",
                    &[],
                    "3",
                    "mån",
                    "1200",
                    "kr/mån",
                    "3600.00",
                    src(31, 1),
                    None,
                    &["C017", "C105", "C230"],
                ),
            ],
        };
        PayRun {
            statements: vec![p01, p02],
            not_paid: vec![
                NotPaid {
                    kind: NotPaidKind::Visit,
                    id: "V1001".to_string(),
                    reason: rule("before the contract's validity"),
                    source: Some(src(3, 1)),
                    provider: Some("P01".to_string()),
                    period: Some(Month::new(2024, 12).unwrap()),
                },
                NotPaid {
                    kind: NotPaidKind::Visit,
                    id: "V1007".to_string(),
                    reason: Reason::check(crate::check::EngineCheck::Duplicate),
                    source: None,
                    provider: Some("P01".to_string()),
                    period: Some(march()),
                },
                NotPaid {
                    kind: NotPaidKind::Visit,
                    id: "V1099".to_string(),
                    reason: Reason::check(crate::check::EngineCheck::EndNotAfterStart),
                    source: None,
                    provider: None,
                    period: None,
                },
                NotPaid {
                    kind: NotPaidKind::Event,
                    id: "E0003".to_string(),
                    reason: rule("alarm not answered within 30 min"),
                    source: Some(src(52, 5)),
                    provider: Some("P02".to_string()),
                    period: Some(march()),
                },
                NotPaid {
                    kind: NotPaidKind::CustomerMonth,
                    id: "C042:2025-03".to_string(),
                    reason: rule("no referral for the month"),
                    source: Some(src(31, 1)),
                    provider: Some("P02".to_string()),
                    period: Some(march()),
                },
            ],
            not_paid_parts: vec![
                NotPaidPart {
                    kind: PartKind::VisitTime,
                    id: "V1002".to_string(),
                    seconds: Some(1800),
                    activity: None,
                    reason: rule("outside the paid window 07:00–22:00"),
                    source: Some(src(16, 5)),
                    provider: Some("P01".to_string()),
                    period: Some(march()),
                },
                NotPaidPart {
                    kind: PartKind::VisitActivity,
                    id: "V1003".to_string(),
                    seconds: None,
                    activity: Some("inköp".to_string()),
                    reason: rule("over the limit of 1 per week"),
                    source: Some(src(25, 5)),
                    provider: Some("P01".to_string()),
                    period: Some(march()),
                },
            ],
            reconciliation: Reconciliation {
                visits_in: 1204,
                visits_paid: 1201,
                visits_not_paid: 3,
                visits_not_priced: None,
                events_in: 37,
                events_paid: 36,
                events_not_paid: 1,
            },
            ..empty_run()
        }
    }
}
